"""The questions, section by section: which answer each asks for, what kind of answer it
is, the words its choices are said in, and to whom it applies.

One list read by the desktop's question pages (one page a section), the check-answers
page and the packet's summary table, so a field is added, renamed or given a hint in one
place. A question that does not apply to this person is not asked (the desktop hides it),
so the answer is never demanded of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from forms import vocabulary as v
from forms.application import Application
from forms.dates import age_on

Kind = Literal["text", "choice", "date", "bool", "int", "money"]

# Work situations in which there is no employer to name.
NO_EMPLOYER = ("student", "retired", "unemployed", "self_employed", "flexible_employee")


def always(_app: Application) -> bool:
    return True


def flexible(app: Application) -> bool:
    """Resident insurance has a fixed premium: there is no contribution base to choose."""
    return app.scheme.scheme == "flexible"


def has_employer(app: Application) -> bool:
    return app.employment.situation is not None and app.employment.situation not in NO_EMPLOYER


def acts_for_someone(app: Application) -> bool:
    """A guardian or helper is asked for a minor, or for someone enrolling without an ID
    card (a child with only the household register)."""
    a = app.applicant
    minor = a.birth_date is not None and age_on(a.birth_date, dt.date.today()) < 18
    return minor or a.has_id_card is False or app.guardian is not None


@dataclass(frozen=True)
class Question:
    path: str                                   # the answer's field ("applicant.name")
    kind: Kind = "text"
    choices: tuple[str, ...] = ()
    prefix: str = ""                            # catalog prefix of a choice's words
    hint: str | None = None                     # catalog key of a hint under the label
    applies: Callable[[Application], bool] = always
    reviewed: bool = True                       # listed on the check-answers page


# The region's choices are the profiles on this machine: the desktop fills them in.
SECTIONS: dict[str, tuple[Question, ...]] = {
    "region": (
        Question("profile_id", "choice", hint="ui.hint.region"),
        Question("scheme.scheme", "choice", v.SCHEMES, "scheme", hint="ui.hint.scheme"),
        Question("scheme.contribution_base", "money", hint="ui.hint.base", applies=flexible),
        Question("scheme.start_date", "date", hint="ui.hint.date"),
        Question("scheme.first_enrolment", "bool"),
        Question("scheme.gap_years", "int", hint="ui.hint.gap"),
        Question("scheme.backpay_years", "int"),
    ),
    "eligibility": (
        Question("employment.situation", "choice", v.SITUATIONS, "situation",
                 hint="ui.hint.situation"),
        Question("employment.employer", hint="ui.hint.employer", applies=has_employer),
        Question("employment.retirement_category", "choice", v.RETIREMENT_CATEGORIES,
                 "retirement_category", applies=flexible, reviewed=False),
    ),
    "personal": (
        Question("applicant.id_type", "choice", v.ID_TYPES, "id_type"),
        Question("applicant.id_number", hint="ui.hint.id_number"),
        Question("applicant.name"),
        Question("applicant.sex", "choice", v.SEXES, "sex", hint="ui.hint.from_id"),
        Question("applicant.birth_date", "date", hint="ui.hint.from_id"),
        Question("applicant.ethnicity", hint="ui.hint.ethnicity"),
        Question("applicant.nationality"),
        Question("applicant.id_valid_from", "date", hint="ui.hint.date"),
        Question("applicant.id_valid_until", "date", hint="ui.hint.date"),
        Question("applicant.id_long_term", "bool"),
        Question("applicant.has_id_card", "bool", reviewed=False),
        Question("guardian.name", applies=acts_for_someone),
        Question("guardian.relation", applies=acts_for_someone),
        Question("guardian.id_number", applies=acts_for_someone),
    ),
    "residence": (
        Question("hukou.type", "choice", v.HUKOU_TYPES, "hukou_type"),
        Question("hukou.region", hint="ui.hint.hukou_region"),
        Question("hukou.region_code", hint="ui.hint.region_code"),
        Question("hukou.address"),
        Question("residence.city"),
        Question("residence.address"),
        Question("residence.living_since", "date", hint="ui.hint.date"),
        Question("residence.permit_number", hint="ui.hint.permit"),
        Question("residence.permit_valid_until", "date", hint="ui.hint.date"),
    ),
    "contact": (
        Question("contact.mobile", hint="ui.hint.mobile"),
        Question("contact.email"),
        Question("bank.bank", hint="ui.hint.bank"),
        Question("bank.holder"),
        Question("bank.account"),
    ),
}

QUESTIONS: dict[str, Question] = {q.path: q for qs in SECTIONS.values() for q in qs}
