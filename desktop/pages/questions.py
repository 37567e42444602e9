"""The question pages: region and scheme, eligibility, personal details, household
registration and residence, contact and payment."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel

from desktop.pages.fields import FieldSpec
from desktop.pages.question import QuestionPage
from desktop.pages.context import PageContext
from forms import vocabulary as v
from forms.application import Application
from forms.dates import age_on
from forms.estimate_text import estimate_lines
from forms.messages import render_finding
from forms.profiles.loader import available_profiles, load_profile
from forms.profiles.origin import origin_text


# Work situations in which there is no employer to name.
_NO_EMPLOYER = ("student", "retired", "unemployed", "self_employed", "flexible_employee")


def _flexible(app: Application) -> bool:
    """Resident insurance has a fixed premium: there is no contribution base to choose."""
    return app.scheme.scheme == "flexible"


def _has_employer(app: Application) -> bool:
    return app.employment.situation is not None and app.employment.situation not in _NO_EMPLOYER


def _acts_for_someone(app: Application) -> bool:
    """A guardian or helper is asked for a minor, or for someone enrolling without an ID
    card (a child with only the household register)."""
    a = app.applicant
    minor = a.birth_date is not None and age_on(a.birth_date, dt.date.today()) < 18
    return minor or a.has_id_card is False or app.guardian is not None


def _panel() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName("panel")
    label.setStyleSheet("#panel { border-left: 5px solid palette(highlight); padding: 8px; }")
    return label


class RegionPage(QuestionPage):
    """Where and which scheme, with the estimates and their sources beside the choice."""

    def __init__(self, ctx: PageContext) -> None:
        profiles = tuple(available_profiles())
        labels = {p: load_profile(p).name.zh for p in profiles}
        specs = [
            FieldSpec("profile_id", "choice", profiles, labels=labels, hint="ui.hint.region"),
            FieldSpec("scheme.scheme", "choice", v.SCHEMES, prefix="scheme",
                      hint="ui.hint.scheme"),
            FieldSpec("scheme.contribution_base", "money", hint="ui.hint.base",
                      applies=_flexible),
            FieldSpec("scheme.start_date", "date", hint="ui.hint.date"),
            FieldSpec("scheme.first_enrolment", "bool"),
            FieldSpec("scheme.gap_years", "int", hint="ui.hint.gap"),
            FieldSpec("scheme.backpay_years", "int"),
        ]
        super().__init__(ctx, "ui.task.region", specs, "ui.intro.region")
        self.estimates_title = QLabel()
        self.estimates_title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.estimates = _panel()
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
        self.estimates.setText("<br>".join(self._esc(line).replace("    ", "&nbsp;" * 4)
                                           for line in [*head, *lines]))


class EligibilityPage(QuestionPage):
    """Who the person is, workwise; explains on the page why a route is closed and which
    one is open, rather than as a validation error."""

    def __init__(self, ctx: PageContext) -> None:
        specs = [FieldSpec("employment.situation", "choice", v.SITUATIONS, prefix="situation",
                           hint="ui.hint.situation"),
                 FieldSpec("employment.employer", "text", hint="ui.hint.employer",
                           applies=_has_employer),
                 FieldSpec("employment.retirement_category", "choice", v.RETIREMENT_CATEGORIES,
                           prefix="retirement_category", applies=_flexible)]
        super().__init__(ctx, "ui.task.eligibility", specs, "ui.intro.eligibility")
        self.verdict = _panel()
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
            text = "<br>".join(self._esc(render_finding(f, self.translate.lang, s.profile))
                               for f in found)
        else:
            text = self.translate("ui.eligibility.ok", scheme=self.translate(f"scheme.{s.app.scheme.scheme}"))
        self.verdict.setText(text)

    def retranslate(self) -> None:
        super().retranslate()
        if hasattr(self, "verdict"):
            self.explain()


def personal_page(ctx: PageContext) -> QuestionPage:
    specs = [
        FieldSpec("applicant.id_type", "choice", v.ID_TYPES, prefix="id_type"),
        FieldSpec("applicant.id_number", hint="ui.hint.id_number"),
        FieldSpec("applicant.name"),
        FieldSpec("applicant.sex", "choice", v.SEXES, prefix="sex", hint="ui.hint.from_id"),
        FieldSpec("applicant.birth_date", "date", hint="ui.hint.from_id"),
        FieldSpec("applicant.ethnicity", hint="ui.hint.ethnicity"),
        FieldSpec("applicant.nationality"),
        FieldSpec("applicant.id_valid_from", "date", hint="ui.hint.date"),
        FieldSpec("applicant.id_valid_until", "date", hint="ui.hint.date"),
        FieldSpec("applicant.id_long_term", "bool"),
        FieldSpec("applicant.has_id_card", "bool"),
        FieldSpec("guardian.name", applies=_acts_for_someone),
        FieldSpec("guardian.relation", applies=_acts_for_someone),
        FieldSpec("guardian.id_number", applies=_acts_for_someone),
    ]
    return QuestionPage(ctx, "ui.task.personal", specs, "ui.intro.personal")


def residence_page(ctx: PageContext) -> QuestionPage:
    specs = [
        FieldSpec("hukou.type", "choice", v.HUKOU_TYPES, prefix="hukou_type"),
        FieldSpec("hukou.region", hint="ui.hint.hukou_region"),
        FieldSpec("hukou.region_code", hint="ui.hint.region_code"),
        FieldSpec("hukou.address"),
        FieldSpec("residence.city"),
        FieldSpec("residence.address"),
        FieldSpec("residence.living_since", "date", hint="ui.hint.date"),
        FieldSpec("residence.permit_number", hint="ui.hint.permit"),
        FieldSpec("residence.permit_valid_until", "date", hint="ui.hint.date"),
    ]
    return QuestionPage(ctx, "ui.task.residence", specs, "ui.intro.residence")


def contact_page(ctx: PageContext) -> QuestionPage:
    specs = [
        FieldSpec("contact.mobile", hint="ui.hint.mobile"),
        FieldSpec("contact.email"),
        FieldSpec("bank.bank", hint="ui.hint.bank"),
        FieldSpec("bank.holder"),
        FieldSpec("bank.account"),
    ]
    return QuestionPage(ctx, "ui.task.contact", specs, "ui.intro.contact")
