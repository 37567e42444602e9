"""Which group of applicants someone belongs to, as the rules and estimates see it.

A route may differ by group (国办发〔2024〕38号: students enrol where they study, children
where they live; newborns have no waiting period), so the group is worked out once, here,
from the birth date and the situation typed.
"""

from __future__ import annotations

import datetime as dt

from forms.application import Application
from forms.dates import age_on
from forms.profiles.schema import Profile
from forms.vocabulary import Group


def group_of(app: Application, profile: Profile, birth: dt.date | None,
             on: dt.date) -> Group | None:
    """Which group the rules treat the applicant as: newborn, child, student, elderly or
    adult. Students go by the situation typed (schoolchildren and university students
    alike: 38号 sends them to enrol where they study); the rest by age on ``on``."""
    p = profile.schemes.resident.premium
    situation = app.employment.situation
    if birth is not None and birth <= on and (on - birth).days < p.newborn_within_days:
        return "newborn"
    if situation == "newborn" and (birth is None or age_on(birth, on) < 1):
        return "newborn"
    if situation == "student":
        return "student"
    if situation == "preschool_child" and (birth is None or age_on(birth, on) < 18):
        return "child"
    if birth is None or birth > on:
        return None
    age = age_on(birth, on)
    if age < p.child_below_age:
        return "child"
    if age >= p.elderly_from_age:
        return "elderly"
    return "adult"
