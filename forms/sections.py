"""Which questions apply to whom: a question that does not apply to this person is not
asked (the desktop hides it), so the answer is never demanded of them."""

from __future__ import annotations

import datetime as dt

from forms.application import Application
from forms.dates import age_on

# Work situations in which there is no employer to name.
NO_EMPLOYER = ("student", "retired", "unemployed", "self_employed", "flexible_employee")


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
