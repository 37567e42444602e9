"""Statutory retirement age by birth month, after the NPC Standing Committee decision of
2024-09-13 (全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定).

From 2025-01-01 the age rises gradually over fifteen years: men 60 → 63 and women whose
age was 55 → 58 by one month for every four months of birth, women whose age was 50 → 55
by one month for every two months. The first birth month affected is the one that would
have retired in January 2025 under the old age (men born 1965-01, women-55 born 1970-01,
women-50 born 1975-01). Whoever was born earlier keeps the old age.

The schedule is the law's own table, so it lives here as code with its source id, not in
a city profile; profiles only say which category applies to whom.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from forms.vocabulary import RetirementCategory

SOURCE = "npcsc_2024_retirement"


@dataclass(frozen=True, slots=True)
class Schedule:
    base_years: int
    first_birth_month: tuple[int, int]  # (year, month) of the first birth month delayed
    birth_months_per_step: int
    max_delay_months: int


SCHEDULES: dict[str, Schedule] = {
    "men_60": Schedule(60, (1965, 1), 4, 36),
    "women_55": Schedule(55, (1970, 1), 4, 36),
    "women_50": Schedule(50, (1975, 1), 2, 60),
}


def delay_months(category: RetirementCategory, birth: dt.date) -> int:
    """Months added to the old age for someone born in ``birth``'s month."""
    s = SCHEDULES[category]
    since = (birth.year - s.first_birth_month[0]) * 12 + birth.month - s.first_birth_month[1]
    if since < 0:
        return 0
    return min(since // s.birth_months_per_step + 1, s.max_delay_months)


def retirement_age_months(category: RetirementCategory, birth: dt.date) -> int:
    """The statutory retirement age in months (60 years 4 months → 724)."""
    return SCHEDULES[category].base_years * 12 + delay_months(category, birth)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def retirement_date(category: RetirementCategory, birth: dt.date) -> dt.date:
    """The day the person reaches their statutory retirement age."""
    return add_months(birth, retirement_age_months(category, birth))


def age_text(months: int) -> tuple[int, int]:
    """(years, months) of an age in months."""
    return divmod(months, 12)
