"""The application: one person's enrolment, as typed and dropped in — or a household's.

The top-level parts are the person who acts (the main applicant); ``members`` are the
people they act for (spouse, children, parents), each with their own parts. Which
materials belong to whom is ``Material.member``; forms.household splits a file into
one-person views that the rules and the packet take unchanged.

Drafts may be incomplete, so almost every field is optional; whether it is complete enough
to print is for the rules to say (forms.rules), never a parse error. Values that can be
wrong in a way the user must be told about (an ID number with a bad check digit, a mobile
number with 10 digits) are also accepted as typed and flagged by the rules, because a parse
error would lose what the person typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)
from pydantic_core import PydanticCustomError

from forms.vocabulary import (
    AssistedGroup,
    HukouType,
    IdType,
    MaterialKind,
    Relation,
    RetirementCategory,
    Scheme,
    Sex,
    Situation,
)

SCHEMA_VERSION = 3
MAX_MEMBERS = 12   # people one person acts for in one file


def _blank_to_none(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        return None
    return value


# Free text: trimmed, bounded, and an empty string means "not given".
Text = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None,
    BeforeValidator(_blank_to_none),
]
LongText = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None,
    BeforeValidator(_blank_to_none),
]
OptDate = Annotated[dt.date | None, BeforeValidator(_blank_to_none)]


def _id_text(value: object) -> object:
    """ID numbers are stored as printed on the card: a typed lowercase x becomes X."""
    value = _blank_to_none(value)
    return value.strip().upper() if isinstance(value, str) else value


IdText = Annotated[
    Annotated[str, StringConstraints(max_length=200)] | None, BeforeValidator(_id_text)
]
Money = Annotated[float, Field(ge=0, le=10_000_000)]


class Part(BaseModel):
    """Common configuration: unknown keys are an error (a typo must not vanish silently)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Applicant(Part):
    name: Text = None
    sex: Sex | None = None
    ethnicity: Text = None
    birth_date: OptDate = None
    nationality: Text = "中国"
    id_type: IdType = "resident_id"
    id_number: IdText = None
    id_valid_from: OptDate = None
    id_valid_until: OptDate = None
    id_long_term: bool = False
    # A child may have an ID number (on the household register) but no card yet: then the
    # register's personal page and a guardian's ID stand in for the two card sides.
    has_id_card: bool = True
    # 低保/特困/重度残疾: the counter asks, because Art. 25 subsidises their premium.
    assisted_group: AssistedGroup | None = None


class Hukou(Part):
    # 农业/非农业 was abolished in 2014 (State Council, household registration reform):
    # kept for older forms that still ask, never required.
    type: HukouType | None = None
    region: Text = None
    region_code: Text = None
    address: LongText = None


class Residence(Part):
    city: Text = None
    address: LongText = None
    living_since: OptDate = None
    permit_number: Text = None
    permit_valid_until: OptDate = None


class Contact(Part):
    mobile: Text = None
    email: Text = None


class Employment(Part):
    situation: Situation | None = None
    employer: Text = None
    # Women's statutory retirement age started from 50 (workers) or 55 (cadres); the
    # profile's default applies when this is not given.
    retirement_category: RetirementCategory | None = None


class SchemeChoice(Part):
    scheme: Scheme | None = None
    contribution_base: Money | None = None
    start_date: OptDate = None
    first_enrolment: bool = True
    gap_years: Annotated[int, Field(ge=0, le=100)] = 0
    backpay_years: Annotated[int, Field(ge=0, le=100)] = 0


class Guardian(Part):
    """A parent or guardian who enrols a minor and signs for them."""

    name: Text = None
    relation: Text = None
    id_type: IdType = "resident_id"
    id_number: IdText = None


class BankAccount(Part):
    bank: Text = None
    holder: Text = None
    account: Text = None


# A corner in source pixels: finite (NaN or infinity would reach the geometry code) and
# within any plausible image, give or take a corner placed beyond its edge.
Coordinate = Annotated[float, Field(allow_inf_nan=False, ge=-1_000_000, le=1_000_000)]
Point = tuple[Coordinate, Coordinate]
# A household member's key: short, plain and stable, because materials refer to it.
MemberId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]{1,16}$")]


class Material(Part):
    """One file and how to process it. ``corners`` (upright source pixels) are kept when
    the user placed them by hand, so the packet straightens the same way every time."""

    kind: MaterialKind
    file: Annotated[str, StringConstraints(min_length=1, max_length=400)]
    original_name: Text = None   # the name of the file the person chose, shown in the app
    note: Text = None
    page: Annotated[int, Field(ge=0, le=999)] = 0
    rotate: Literal[0, 90, 180, 270] = 0
    corners: Annotated[list[Point], Field(min_length=4, max_length=4)] | None = None
    whiten: bool = False
    # Whose material this is: None for the acting applicant (and the shared ones they give
    # once for everybody: the register's head page, the guardian's ID), else a Member.id.
    member: MemberId | None = None


class PersonParts(Part):
    """One person's answers: the acting applicant's at the top of the file, each member's
    in their entry, so a part added here is asked of everybody."""

    applicant: Applicant = Field(default_factory=Applicant)
    hukou: Hukou = Field(default_factory=Hukou)
    residence: Residence = Field(default_factory=Residence)
    contact: Contact = Field(default_factory=Contact)
    employment: Employment = Field(default_factory=Employment)
    scheme: SchemeChoice = Field(default_factory=SchemeChoice)
    bank: BankAccount | None = None
    guardian: Guardian | None = None


class Member(PersonParts):
    """Someone the acting applicant enrols with them, with their own answers.

    ``same_household``: on the acting person's household register, so its head page (given
    once by the acting applicant) serves this member too."""

    id: MemberId
    relation: Relation
    same_household: bool = True


class Application(PersonParts):
    schema_version: int = SCHEMA_VERSION
    profile_id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,40}$")] = "national"
    materials: list[Material] = Field(default_factory=list, max_length=100)
    members: list[Member] = Field(default_factory=list)

    @field_validator("members", mode="before")
    @classmethod
    def _not_too_many(cls, value: object) -> object:
        if isinstance(value, list) and len(value) > MAX_MEMBERS:
            raise PydanticCustomError("too_many_members", "at most {limit} members, not {count}",
                                      {"limit": MAX_MEMBERS, "count": len(value)})
        return value

    @field_validator("members")
    @classmethod
    def _unique_ids(cls, value: list[Member]) -> list[Member]:
        seen: set[str] = set()
        for m in value:
            if m.id in seen:
                raise PydanticCustomError("duplicate_member", "member id {member} given twice",
                                          {"member": m.id})
            seen.add(m.id)
        return value

    def materials_of(self, kind: str) -> list[Material]:
        return [m for m in self.materials if m.kind == kind]


def field_paths(model: type[BaseModel] = Application, prefix: str = "") -> list[str]:
    """Every leaf field as a dotted path ("applicant.name"): the keys findings point at."""
    paths: list[str] = []
    for name, info in model.model_fields.items():
        if name == "schema_version":
            continue
        ann = info.annotation
        sub = _submodel(ann)
        path = f"{prefix}{name}"
        if sub is not None and name not in ("materials", "members"):
            paths.extend(field_paths(sub, path + "."))
        else:
            paths.append(path)
    return paths


def value_at(model: BaseModel, path: str) -> Any:
    """The value a dotted path ("applicant.name") points at, or None where a part on the
    way is missing (no guardian, no bank): the one walk over paths that findings, pages
    and the packet share. In a list of members a part is a member's id:
    "members.m1.applicant.name"."""
    node: Any = model
    for part in path.split("."):
        if isinstance(node, list):
            node = next((x for x in node if getattr(x, "id", None) == part), None)
        else:
            node = getattr(node, part, None)
        if node is None:
            return None
    return node


def _submodel(ann: object) -> type[BaseModel] | None:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in getattr(ann, "__args__", ()):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None
