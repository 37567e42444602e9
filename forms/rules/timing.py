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
        out += _resident_wait(facts, estimates)
    elif facts.app.scheme.scheme == "flexible" and estimates.flexible_waiting is not None:
        fw = estimates.flexible_waiting
        out.append(info("timing.flexible_waiting", "scheme.scheme", months=fw.months,
                        within=fw.waived_within_months or 0, source=fw.source,
                        unverified=fw.unverified))

    if facts.app.scheme.scheme is not None:
        used = estimates.flexible if facts.app.scheme.scheme == "flexible" else estimates.resident
        shaky = [f for f in estimates.figures() if f.unverified and _belongs(f, used)]
        if shaky:
            out.append(info("estimate.unverified", "scheme.scheme", count=len(shaky)))
    return out


def _resident_wait(facts: Facts, estimates: Estimates) -> list[Finding]:
    """Outside the collection period or after a gap: how long, and by which reading; a
    group exempt from waiting is told so instead of "0 months"."""
    period = resolve(facts.profile, facts.profile.schemes.resident.collection_period, facts.on)
    wait = estimates.waiting
    outside = period is not None and not period.value.contains(facts.on)
    if wait is not None and wait.exempt:
        if outside or wait.gap_years > 0:
            return [info("timing.waiting_exempt", "scheme.start_date", group=wait.group or "",
                         source=wait.source)]
        return []
    if outside and period is not None:
        if wait is None:
            return [warning("timing.outside_collection_period", "scheme.start_date",
                            start=period.value.start, end=period.value.end,
                            unverified=period.unverified)]
        return [warning("timing.outside_collection_period_wait", "scheme.start_date",
                        start=period.value.start, end=period.value.end, months=wait.months,
                        reading=wait.reading, unverified=period.unverified)]
    if wait is not None and wait.months > 0:
        return [warning("timing.waiting_period", "scheme.gap_years", months=wait.months,
                        gap_years=wait.gap_years, reading=wait.reading)]
    return []


def _belongs(figure: Figure, part: BaseModel) -> bool:
    return any(getattr(part, n) is figure for n in type(part).model_fields)
