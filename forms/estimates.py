"""What enrolment will cost and how long before the fund pays: figures with their sources.

Both routes are estimated whatever the applicant chose, so the scheme page can show them
side by side. A figure the profile does not have is left out, never guessed; the national
minimum premium is offered as a floor when a city's own figure is not in its profile.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel

from forms.application import Application
from forms.dates import age_on
from forms.groups import group_of
from forms.profiles.dated import Resolved
from forms.profiles.schema import Profile, resolve
from forms.vocabulary import Group, PremiumCategory, WaitingReading


class Figure(BaseModel):
    value: float
    source: str
    since: dt.date
    unverified: bool
    note: str | None = None
    # Set when the year asked for has no published figure and an earlier year's stands in:
    # shown as "2027年标准未公布，按2026年标准估算", never silently.
    estimated_from_year: int | None = None

    @classmethod
    def of(cls, r: Resolved[float], computed: float | None = None) -> Figure:
        """The profile's value as published, or a computed amount rounded to the fen."""
        value = r.value if computed is None else round(computed, 2)
        return cls(value=value, source=r.source,
                   since=r.since, unverified=r.unverified, note=r.note)

    @classmethod
    def for_year(cls, r: Resolved[float], year: int) -> Figure:
        """A yearly figure for ``year``: flagged as an estimate when published for an
        earlier year (a dated value holds until the next, but nobody published it)."""
        fig = cls.of(r)
        if r.since.year < year:
            fig.estimated_from_year = r.since.year
        return fig


class FlexibleEstimate(BaseModel):
    method: Literal["fixed", "fixed_base", "base_rate", "rate_only", "unknown"]
    rate: Figure | None = None
    base_min: Figure | None = None
    base_max: Figure | None = None
    monthly_min: Figure | None = None
    monthly_max: Figure | None = None
    monthly_chosen: Figure | None = None


class ResidentEstimate(BaseModel):
    coverage_year: int
    category: PremiumCategory | None
    yearly: Figure | None = None
    # National *per-capita* standards (人均), not what this person pays: Shanghai 2024
    # charged children 295 and adults 935 against a 400 standard.
    national_minimum: Figure | None = None
    subsidy_minimum: Figure | None = None


class WaitingEstimate(BaseModel):
    """Resident insurance waiting period (国办发〔2024〕38号), with the reading used."""

    months: int
    outside_period: bool
    gap_years: int
    source: str
    unverified: bool
    group: Group | None = None
    exempt: bool = False
    reading: WaitingReading = "first_gap_year_in_fixed"


class FlexibleWaitingEstimate(BaseModel):
    """A city's waiting period for flexible employees in employee insurance."""

    months: int
    waived_within_months: int | None
    source: str
    unverified: bool


class Estimates(BaseModel):
    on: dt.date
    flexible: FlexibleEstimate
    resident: ResidentEstimate
    waiting: WaitingEstimate | None = None
    flexible_waiting: FlexibleWaitingEstimate | None = None

    def figures(self) -> list[Figure]:
        found: list[Figure] = []
        for part in (self.flexible, self.resident):
            for name in type(part).model_fields:
                value = getattr(part, name)
                if isinstance(value, Figure):
                    found.append(value)
        return found


def flexible(app: Application, profile: Profile, on: dt.date) -> FlexibleEstimate:
    c = profile.schemes.flexible.contribution
    fixed = resolve(profile, c.fixed_monthly, on)
    if fixed is not None:
        return FlexibleEstimate(method="fixed", monthly_min=Figure.of(fixed),
                                monthly_max=Figure.of(fixed), monthly_chosen=Figure.of(fixed))
    rate = resolve(profile, c.rate, on)
    if rate is None:
        return FlexibleEstimate(method="unknown")
    fixed_base = resolve(profile, c.base_fixed, on)
    if fixed_base is not None:
        monthly = Figure.of(fixed_base, fixed_base.value * rate.value)
        monthly.unverified = monthly.unverified or rate.unverified
        return FlexibleEstimate(method="fixed_base", rate=Figure.of(rate),
                                base_min=Figure.of(fixed_base), base_max=Figure.of(fixed_base),
                                monthly_min=monthly, monthly_max=monthly,
                                monthly_chosen=monthly)
    low, high = resolve(profile, c.base_min, on), resolve(profile, c.base_max, on)
    est = FlexibleEstimate(method="rate_only", rate=Figure.of(rate))
    if low is not None and high is not None:
        est.method = "base_rate"
        est.base_min, est.base_max = Figure.of(low), Figure.of(high)
        est.monthly_min = Figure.of(low, low.value * rate.value)
        est.monthly_max = Figure.of(high, high.value * rate.value)
    base = app.scheme.contribution_base
    if base is not None:
        est.monthly_chosen = Figure.of(rate, base * rate.value)
    return est


def coverage_year(profile: Profile, app: Application, on: dt.date) -> int:
    """Premiums paid in the collection period buy next year's cover; otherwise this year's.

    A period that starts in the second half of the year and runs past New Year (09-01 to
    02-28) buys the year that has just begun when paid in January or February."""
    if app.scheme.start_date is not None:
        return app.scheme.start_date.year
    period = resolve(profile, profile.schemes.resident.collection_period, on)
    if period is not None and period.value.contains(on) and period.value.start >= "07-01":
        before_new_year = on.strftime("%m-%d") >= period.value.start
        return on.year + 1 if before_new_year else on.year
    return on.year


def premium_category(profile: Profile, app: Application, birth: dt.date | None,
                     year: int) -> PremiumCategory | None:
    p = profile.schemes.resident.premium
    if app.employment.situation == "student":
        return "student_child"
    if birth is None:
        return None
    age = age_on(birth, dt.date(year, 1, 1))
    if age < p.child_below_age:
        return "student_child"
    if age >= p.elderly_from_age:
        return "elderly"
    return "working_age"


def resident(app: Application, profile: Profile, on: dt.date,
             birth: dt.date | None) -> ResidentEstimate:
    year = coverage_year(profile, app, on)
    when = dt.date(year, 1, 1)
    p = profile.schemes.resident.premium
    category = premium_category(profile, app, birth, year)
    est = ResidentEstimate(coverage_year=year, category=category)
    if category is not None and category in p.individual:
        found = resolve(profile, p.individual[category], when)
        est.yearly = Figure.for_year(found, year) if found else None
    low = resolve(profile, p.national_minimum, when)
    est.national_minimum = Figure.for_year(low, year) if low else None
    subsidy = resolve(profile, p.subsidy_minimum, when)
    est.subsidy_minimum = Figure.for_year(subsidy, year) if subsidy else None
    return est


def waiting(app: Application, profile: Profile, on: dt.date,
            group: Group | None = None) -> WaitingEstimate | None:
    """Months without benefits after enrolling in resident insurance (national rule, 2025).

    Gap years count as the official worked example does (Qingdao: 2025 and 2026 missed →
    3 + 1 = 4 months) unless the profile says ``first_gap_year_in_fixed: false``. Groups
    the profile exempts (newborns: "除新生儿等特殊群体外") wait for nothing."""
    rules = profile.schemes.resident
    rule = resolve(profile, rules.waiting_period, on)
    if rule is None:
        return None
    period = resolve(profile, rules.collection_period, on)
    outside = period is not None and not period.value.contains(on)
    gap = app.scheme.gap_years
    w = rule.value
    reading: WaitingReading = (
        "first_gap_year_in_fixed" if w.first_gap_year_in_fixed else "per_gap_year")
    unverified = rule.unverified or bool(outside and period is not None and period.unverified)
    if group is not None and group in w.exempt_groups:
        return WaitingEstimate(months=0, outside_period=outside, gap_years=gap,
                               source=rule.source, unverified=rule.unverified, group=group,
                               exempt=True, reading=reading)
    months = 0
    if outside or gap > 0:
        counted = max(0, gap - 1) if w.first_gap_year_in_fixed else gap
        variable = max(0, counted * w.extra_month_per_gap_year - app.scheme.backpay_years)
        months = w.fixed_months + variable
        if gap >= w.floor_from_gap_years:
            months = max(months, w.floor_months)
    return WaitingEstimate(months=months, outside_period=outside, gap_years=gap,
                           source=rule.source, unverified=unverified, group=group,
                           reading=reading)


def flexible_waiting(profile: Profile, on: dt.date) -> FlexibleWaitingEstimate | None:
    rule = resolve(profile, profile.schemes.flexible.waiting_period, on)
    if rule is None:
        return None
    return FlexibleWaitingEstimate(months=rule.value.months,
                                   waived_within_months=rule.value.waived_within_months,
                                   source=rule.source, unverified=rule.unverified)


def estimate(app: Application, profile: Profile, on: dt.date,
             birth: dt.date | None = None) -> Estimates:
    birth = birth or app.applicant.birth_date
    group = group_of(app, profile, birth, on)
    return Estimates(on=on, flexible=flexible(app, profile, on),
                     resident=resident(app, profile, on, birth),
                     waiting=waiting(app, profile, on, group),
                     flexible_waiting=flexible_waiting(profile, on))
