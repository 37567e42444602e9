"""Timing: is the profile fresh enough to trust, is the applicant inside the collection
period, and how long will they wait for benefits."""

from __future__ import annotations

from pydantic import BaseModel

from forms.estimates import Estimates, Figure
from forms.findings import Finding, info, warning
from forms.profiles.schema import resolve
from forms.rules.facts import Facts

STALE_AFTER_DAYS = 365


def check(facts: Facts, estimates: Estimates) -> list[Finding]:
    profile, on = facts.profile, facts.on
    out: list[Finding] = []
    age_days = (on - profile.verified).days
    if age_days > STALE_AFTER_DAYS:
        out.append(warning("profile.stale", None, profile=profile.id,
                           verified=profile.verified.isoformat(), days=age_days))

    if facts.app.scheme.scheme == "resident":
        period = resolve(profile, profile.schemes.resident.collection_period, on)
        wait = estimates.waiting
        if period is not None and not period.value.contains(on):
            out.append(warning("timing.outside_collection_period", "scheme.start_date",
                               start=period.value.start, end=period.value.end,
                               months=wait.months if wait else None,
                               unverified=period.unverified))
        elif wait is not None and wait.months > 0:
            out.append(warning("timing.waiting_period", "scheme.gap_years",
                               months=wait.months, gap_years=wait.gap_years))

    if facts.app.scheme.scheme is not None:
        used = estimates.flexible if facts.app.scheme.scheme == "flexible" else estimates.resident
        shaky = [f for f in estimates.figures() if f.unverified and _belongs(f, used)]
        if shaky:
            out.append(info("estimate.unverified", "scheme.scheme", count=len(shaky)))
    return out


def _belongs(figure: Figure, part: BaseModel) -> bool:
    return any(getattr(part, n) is figure for n in type(part).model_fields)
