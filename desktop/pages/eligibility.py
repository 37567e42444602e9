"""Eligibility: the person's work situation, and on the page why a route is closed and
which one is open."""

from __future__ import annotations

import html

from desktop.pages.context import PageContext
from desktop.pages.fields import section_specs
from desktop.pages.panel import panel
from desktop.pages.question import QuestionPage
from forms.messages import render_finding


class EligibilityPage(QuestionPage):
    """Who the person is, workwise; explains on the page why a route is closed and which
    one is open, rather than as a validation error."""

    def __init__(self, ctx: PageContext) -> None:
        super().__init__(ctx, "ui.task.eligibility", section_specs("eligibility"),
                         "ui.intro.eligibility")
        self.verdict = panel()
        self.extra.addWidget(self.verdict)
        self.session.checked.connect(self.explain)
        self.explain()

    def problems(self) -> list[tuple[str, str]]:
        # eligibility is explained in the panel; only missing answers block Continue here
        return [p for p in super().problems() if p[0] == "employment.situation"
                and self.session.value("employment.situation") is None]

    def explain(self) -> None:
        s = self.session
        found = [f for f in s.result.findings if f.code.startswith(("eligibility.",
                                                                    "scheme.not_offered"))]
        if s.app.scheme.scheme is None or s.app.employment.situation is None:
            text = self.translate("ui.eligibility.unknown")
        elif found:
            lang = self.translate.lang
            text = "<br>".join(html.escape(render_finding(f, lang, s.profile), quote=False)
                               for f in found)
        else:
            scheme = self.translate(f"scheme.{s.app.scheme.scheme}")
            text = self.translate("ui.eligibility.ok", scheme=scheme)
        self.verdict.setText(text)

    def retranslate(self) -> None:
        super().retranslate()
        if hasattr(self, "verdict"):
            self.explain()
