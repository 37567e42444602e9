"""What a household pays: each member's own estimate, added up.

Every person keeps their own sourced figure (a resident premium is yearly, a flexible
employee's contribution monthly); the household total is only the sum of the figures
that are known, and says who has none (a national minimum is a per-capita standard, never
what this person pays, so it is not added).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from forms.estimates import Estimates, Figure
from forms.household import Person
from forms.vocabulary import Scheme

MONTHS = 12


@dataclass(frozen=True)
class MemberCost:
    key: str
    name: str | None
    scheme: Scheme | None
    yearly: Figure | None    # a resident premium for the coverage year
    monthly: Figure | None   # a flexible employee's monthly contribution
    coverage_year: int

    @property
    def per_year(self) -> float | None:
        """What this person pays in a year, or None when no figure is known."""
        if self.yearly is not None:
            return self.yearly.value
        if self.monthly is not None:
            return round(self.monthly.value * MONTHS, 2)
        return None


@dataclass(frozen=True)
class HouseholdCost:
    members: list[MemberCost]

    @property
    def resident_yearly(self) -> float:
        return round(sum(m.yearly.value for m in self.members if m.yearly is not None), 2)

    @property
    def flexible_monthly(self) -> float:
        return round(sum(m.monthly.value for m in self.members if m.monthly is not None), 2)

    @property
    def per_year(self) -> float:
        """Every known figure for one year: resident premiums plus 12 monthly payments."""
        return round(sum(m.per_year or 0.0 for m in self.members), 2)

    @property
    def unknown(self) -> list[MemberCost]:
        return [m for m in self.members if m.per_year is None]

    @property
    def unverified(self) -> bool:
        return any(f is not None and f.unverified
                   for m in self.members for f in (m.yearly, m.monthly))


def member_cost(person: Person, est: Estimates) -> MemberCost:
    scheme = person.view.scheme.scheme
    yearly = est.resident.yearly if scheme == "resident" else None
    monthly = est.flexible.monthly_chosen if scheme == "flexible" else None
    return MemberCost(person.key, person.name, scheme, yearly, monthly,
                      est.resident.coverage_year)


def household_cost(people: Sequence[tuple[Person, Estimates]]) -> HouseholdCost:
    """The household's cost from each person's own estimate, in the file's order."""
    return HouseholdCost([member_cost(p, est) for p, est in people])
