"""Region and scheme: where and which scheme, with the estimates and their sources beside
the choice."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QLabel

from desktop.pages.context import PageContext
from desktop.pages.fields import section_specs
from desktop.pages.panel import panel
from desktop.pages.question import QuestionPage
from forms.estimate_text import estimate_lines
from forms.profile_origin import origin_text
from forms.profiles.loader import available_profiles, load_profile


class RegionPage(QuestionPage):
    """Where and which scheme, with the estimates and their sources beside the choice."""

    def __init__(self, ctx: PageContext) -> None:
        profiles = tuple(available_profiles())
        labels = {p: load_profile(p).name.zh for p in profiles}
        specs = section_specs("region", profile_id=(profiles, labels))
        super().__init__(ctx, "ui.task.region", specs, "ui.intro.region")
        self.estimates_title = QLabel()
        self.estimates_title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.estimates = panel()
        self.extra.addWidget(self.estimates_title)
        self.extra.addWidget(self.estimates)
        self.session.checked.connect(self.show_estimates)
        self.retranslate()

    def retranslate(self) -> None:
        names = {p: load_profile(p).name.get(self.translate.lang) for p in available_profiles()}
        self.inputs["profile_id"].spec.labels.update(names)
        super().retranslate()
        if hasattr(self, "estimates"):
            self.estimates_title.setText(self.translate("ui.estimates"))
            self.show_estimates()

    def show_estimates(self) -> None:
        s = self.session
        lines = estimate_lines(s.result.estimates, s.profile, self.translate.lang)
        verified = self.translate("ui.profile_verified",
                                  date=self.translate.date(s.profile.verified))
        origin = origin_text(s.profile.id, self.translate.lang)  # a service point's local rules
        head = [verified, origin] if origin else [verified]
        self.estimates.setText("<br>".join(
            html.escape(line, quote=False).replace("    ", "&nbsp;" * 4)
            for line in [*head, *lines]))
