"""The shape of a region profile file, validated by pydantic when loaded.

Every figure a rule or an estimate uses is a ``Dated`` parameter with its source; every
local material requirement beyond the ID document cites its source too (Regulation on
Social Insurance Handling, Art. 31: nothing but an ID document may be demanded unless a
law, regulation or State Council decision says so).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from forms.profiles.dated import Dated, Resolved
from forms.vocabulary import (
    Group,
    IdType,
    MaterialKind,
    Need,
    PremiumCategory,
    ResidenceRule,
    RetirementCategory,
    Sex,
    Situation,
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(Strict):
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Source(Strict):
    title: LocalText
    issuer: str | None = None
    reference: str | LocalText | None = None   # a document number, or words in each language
    date: dt.date | None = None
    url: str | None = None
    article: str | LocalText | None = None
    quote: str | None = None
    quote_is_summary: bool = False
    unverified: bool = False


def _month_day(value: str) -> str:
    if not re.fullmatch(r"\d{2}-\d{2}", value):
        raise ValueError("expected MM-DD")
    dt.date(2024, int(value[:2]), int(value[3:]))  # raises on 02-30 and the like
    return value


MonthDay = Annotated[str, AfterValidator(_month_day)]


class CollectionPeriod(Strict):
    start: MonthDay
    end: MonthDay

    def contains(self, day: dt.date) -> bool:
        md = day.strftime("%m-%d")
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end  # wraps over new year


class WaitingRule(Strict):
    """National rule from 2025 (国办发〔2024〕38号) as data: a fixed wait, one more month per
    extra year of gap, reducible by back-paying, never below a floor after a long gap.

    ``first_gap_year_in_fixed``: how gap years count. The official worked example (Qingdao
    medical security bureau: 2025 and 2026 missed → 3 + 1 = 4 months) lets the fixed wait
    cover the first missed year, so only the years after it add a month; false reads "one
    month per missed year" (2 missed → 5). ``exempt_groups``: "除新生儿等特殊群体外"."""

    fixed_months: int = Field(ge=0, le=24)
    extra_month_per_gap_year: int = Field(ge=0, le=12)
    floor_months: int = Field(ge=0, le=24)
    floor_from_gap_years: int = Field(ge=1, le=50)
    first_gap_year_in_fixed: bool = True
    exempt_groups: list[Group] = Field(default_factory=list)


class FlexibleWaiting(Strict):
    """A waiting period for flexible employees joining employee insurance, which some
    cities set (Shanghai: 6 months), waived for someone who left employee insurance
    within ``waived_within_months``."""

    months: int = Field(ge=0, le=24)
    waived_within_months: int | None = Field(default=None, ge=0, le=24)


class UpperAge(Strict):
    """The upper age is the person's own statutory retirement age (NPC Standing Committee
    decision of 2024-09-13), from their birth month and the category they started from."""

    male: RetirementCategory = "men_60"
    female: RetirementCategory = "women_55"


class GroupRule(Strict):
    """What differs for one group of applicants on a route: who may enrol (a residence
    permit is a city rule, never a national one) and a note the app shows."""

    residence: Dated[ResidenceRule] | None = None
    note: LocalText | None = None


class Condition(Strict):
    """When a material applies; an empty condition means always."""

    id_types: list[IdType] | None = None
    non_local_hukou: bool | None = None
    situations: list[Situation] | None = None
    groups: list[Group] | None = None
    has_id_card: bool | None = None
    # Under 18 (or a child or newborn by situation): enrolled through a guardian, on the
    # household register's personal page instead of an ID card.
    minor: bool | None = None


class MaterialRequirement(Strict):
    kind: MaterialKind
    need: Need = "required"
    count: int = Field(default=1, ge=1, le=10)
    when: Condition = Condition()
    source: str
    verified: dt.date
    unverified: bool = False
    help: LocalText | None = None


class FlexibleContribution(Strict):
    fixed_monthly: Dated[float] | None = None
    base_fixed: Dated[float] | None = None  # a base the person cannot choose (Hangzhou)
    base_min: Dated[float] | None = None
    base_max: Dated[float] | None = None
    rate: Dated[float] | None = None


class ResidentPremium(Strict):
    individual: dict[PremiumCategory, Dated[float]] = Field(default_factory=dict)
    national_minimum: Dated[float] | None = None
    subsidy_minimum: Dated[float] | None = None
    elderly_from_age: int = 60
    child_below_age: int = 18
    newborn_within_days: int = Field(default=90, ge=0, le=731)


class SchemeRules(Strict):
    offered: Dated[bool]
    id_types: Dated[list[IdType]]
    residence: Dated[ResidenceRule]
    situations: list[Situation]
    min_age: Dated[int] | None = None
    max_age: dict[Sex, Dated[int]] = Field(default_factory=dict)
    upper_age: Dated[UpperAge] | None = None
    groups: dict[Group, GroupRule] = Field(default_factory=dict)
    materials: list[MaterialRequirement]


class FlexibleScheme(SchemeRules):
    contribution: FlexibleContribution
    waiting_period: Dated[FlexibleWaiting] | None = None


class ResidentScheme(SchemeRules):
    premium: ResidentPremium
    collection_period: Dated[CollectionPeriod] | None = None
    waiting_period: Dated[WaitingRule] | None = None


class Schemes(Strict):
    flexible: FlexibleScheme
    resident: ResidentScheme


class WhereToApply(Strict):
    counters: LocalText
    online: LocalText | None = None
    originals: list[LocalText] = Field(default_factory=list)


class CardPhotoSpec(Strict):
    width_px: int = Field(gt=0)
    height_px: int = Field(gt=0)
    dpi: int = Field(gt=0)
    min_kb: int = Field(gt=0)
    max_kb: int = Field(gt=0)

    @model_validator(mode="after")
    def _range(self) -> CardPhotoSpec:
        if self.min_kb > self.max_kb:
            raise ValueError("min_kb is above max_kb")
        return self


class Photos(Strict):
    printed_count: Dated[int]
    printed_size: Dated[str]
    card_photo: Dated[CardPhotoSpec]


class Profile(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,40}$")]
    name: LocalText
    region_prefix: Annotated[str, Field(pattern=r"^\d{2,6}$")] | None = None
    extends: str | None = None
    verified: dt.date
    sources: dict[str, Source]
    legal_basis: list[str]
    schemes: Schemes
    where_to_apply: Dated[WhereToApply]
    photos: Photos

    @model_validator(mode="after")
    def _sources_exist(self) -> Profile:
        missing = sorted(name for name in referenced_sources(self) if name not in self.sources)
        if missing:
            raise ValueError(f"unknown source(s): {', '.join(missing)}")
        return self

    def scheme(self, name: str) -> FlexibleScheme | ResidentScheme:
        return self.schemes.flexible if name == "flexible" else self.schemes.resident


def referenced_sources(node: Any) -> set[str]:
    """Every source id a profile mentions, wherever it sits in the tree."""
    found: set[str] = set()
    if isinstance(node, Dated):
        found |= node.sources()
    elif isinstance(node, MaterialRequirement):
        found.add(node.source)
    elif isinstance(node, Profile):
        found |= set(node.legal_basis)
        for name in type(node).model_fields:
            if name != "sources":
                found |= referenced_sources(getattr(node, name))
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            found |= referenced_sources(getattr(node, name))
    elif isinstance(node, dict):
        for v in node.values():
            found |= referenced_sources(v)
    elif isinstance(node, list):
        for v in node:
            found |= referenced_sources(v)
    return found


def resolve(profile: Profile, param: Dated[Any] | None, on: dt.date) -> Resolved[Any] | None:
    """A parameter's value on a date, unverified if either the value or its source is."""
    if param is None:
        return None
    found = param.at(on)
    if found is None:
        return None
    source = profile.sources.get(found.source)
    if source is not None and source.unverified and not found.unverified:
        return found.model_copy(update={"unverified": True})
    return found
