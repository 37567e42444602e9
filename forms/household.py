"""A household file split into people: one-person views the rules and the packet take as
they are.

One application file may hold the person who acts (the top-level parts) and the members
they act for. Every check, estimate and packet section was written for one person, so
instead of teaching each of them about households, ``people`` makes a one-person
``Application`` per person: the member's parts at the top level, that person's own
materials plus the shared ones they need, ``members`` empty. A file without members gives
exactly one view, equal to the file itself, so single-person behaviour cannot change.

What a view borrows from the acting applicant (and why):
- the register's head page and the guardian's ID are given once, by the acting applicant
  (issue 17), and reach every person who needs them: with a profile, whoever's required
  materials (forms.rules.materials, the one list) name that kind; without one, the head
  page goes to everyone on the register who enrols on it (a minor, or without an ID card)
  and the guardian's ID to everyone enrolled through a guardian;
- a minor whose guardian is not given gets the acting applicant as guardian when the
  relation makes them a parent (``relation == "child"``);
- a member's blank address, city, residence date, mobile and e-mail are the acting
  applicant's, and so is a blank hukou on the same register: a household lives at one
  address, and a baby has no phone. Personal papers (a residence permit) are never borrowed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from forms import idnumbers
from forms.application import Application, Guardian, Material, Member, Part
from forms.dates import age_on
from forms.profiles.schema import Profile
from forms.rules.materials import requirements_for
from forms.vocabulary import Relation

Part_ = TypeVar("Part_", bound=Part)
ACTING = "applicant"   # the acting applicant's key (member ids are [a-z0-9], never this)
# Materials one person gives for several: the register's head page and the guardian's ID.
SHARED_KINDS = ("hukou_head_page", "guardian_id")
ADULT_AGE = 18
# Situations that make someone a minor even before a birth date is known.
_MINOR_SITUATIONS = ("newborn", "preschool_child")


@dataclass(frozen=True)
class Person:
    """One person of the file: ``key`` is "applicant" or the member id; ``relation`` is
    None for the acting applicant; ``view`` is their one-person application."""

    key: str
    relation: Relation | None
    view: Application

    @property
    def acting(self) -> bool:
        return self.key == ACTING

    @property
    def name(self) -> str | None:
        return self.view.applicant.name


def is_household(app: Application) -> bool:
    return bool(app.members)


def people(app: Application, on: dt.date | None = None,
           profile: Profile | None = None) -> list[Person]:
    """Every person of the file in order, the acting applicant first. ``on`` decides who
    is a minor (today when not given); ``profile`` who needs a shared material."""
    if not app.members:
        return [Person(ACTING, None, app.model_copy(deep=True))]
    on = on or dt.date.today()
    out = [Person(ACTING, None, _acting_view(app, on, profile))]
    out += [Person(m.id, m.relation, _member_view(app, m, on, profile)) for m in app.members]
    return out


def person(app: Application, key: str, on: dt.date | None = None,
           profile: Profile | None = None) -> Person:
    """The person with ``key``; KeyError when there is none."""
    for p in people(app, on, profile):
        if p.key == key:
            return p
    raise KeyError(key)


def unknown_member_materials(app: Application) -> list[Material]:
    """Materials that name a member the file does not have: nobody's, and said so."""
    ids = {m.id for m in app.members}
    return [m for m in app.materials if m.member is not None and m.member not in ids]


def _acting_view(app: Application, on: dt.date, profile: Profile | None) -> Application:
    view = app.model_copy(update={"members": [], "materials": []}, deep=True)
    mine = [m for m in app.materials if m.member is None]
    own = [m for m in mine if m.kind not in SHARED_KINDS]
    shared = [m for m in mine if m.kind in SHARED_KINDS]
    return _with_materials(view, own, shared, True, on, profile)


def _member_view(app: Application, member: Member, on: dt.date,
                 profile: Profile | None) -> Application:
    parts = member.model_dump(exclude={"id", "relation", "same_household"})
    view = Application.model_validate({
        "schema_version": app.schema_version, "profile_id": app.profile_id, **parts})
    borrowed: dict[str, object] = {
        "residence": _fill(view.residence, app.residence, ("city", "address", "living_since")),
        "contact": _fill(view.contact, app.contact, ("mobile", "email")),
    }
    if member.same_household:
        borrowed["hukou"] = _fill(view.hukou, app.hukou, ("type", "region", "region_code",
                                                          "address"))
    if view.guardian is None and member.relation == "child" and _is_minor(view, on):
        borrowed["guardian"] = _acting_as_guardian(app)
    view = view.model_copy(update=borrowed)
    own = [m for m in app.materials if m.member == member.id]
    shared = [m for m in app.materials if m.member is None and m.kind in SHARED_KINDS]
    return _with_materials(view, own, shared, member.same_household, on, profile)


def _with_materials(view: Application, own: list[Material], shared: list[Material],
                    same_register: bool, on: dt.date, profile: Profile | None) -> Application:
    """``view`` with its own materials and the shared ones it needs (its own of a kind
    win over the shared ones), each with ``member`` cleared."""
    own_kinds = {m.kind for m in own}
    wanted = _shared_wanted(view, same_register, on, profile)
    chosen = own + [m for m in shared if m.kind in wanted and m.kind not in own_kinds]
    return view.model_copy(update={"materials": [m.model_copy(update={"member": None})
                                                 for m in chosen]})


def _shared_wanted(view: Application, same_register: bool, on: dt.date,
                   profile: Profile | None) -> set[str]:
    if profile is not None:
        needed: set[str] = {r.kind for r in requirements_for(view, profile, on)}
    else:
        needed = {"hukou_head_page", "guardian_id"} if _needs_guardian(view, on) else set()
    if not same_register:
        needed.discard("hukou_head_page")
    return needed & set(SHARED_KINDS)


def _fill(mine: Part_, theirs: Part_, names: tuple[str, ...]) -> Part_:
    """``mine`` with each of ``names`` left blank taken from ``theirs``."""
    update = {n: getattr(theirs, n) for n in names
              if getattr(mine, n) is None and getattr(theirs, n) is not None}
    return mine.model_copy(update=update) if update else mine


def _is_minor(view: Application, on: dt.date) -> bool:
    birth = view.applicant.birth_date or _birth_from_id(view, on)
    if birth is not None and birth <= on:
        return age_on(birth, on) < ADULT_AGE
    return view.employment.situation in _MINOR_SITUATIONS


def _needs_guardian(view: Application, on: dt.date) -> bool:
    """Enrolled through a guardian: a minor, or someone without an ID card of their own."""
    return not view.applicant.has_id_card or _is_minor(view, on)


def _birth_from_id(view: Application, on: dt.date) -> dt.date | None:
    number = view.applicant.id_number
    if not number or view.applicant.id_type != "resident_id":
        return None
    try:
        return idnumbers.parse(number, today=on).birth_date
    except idnumbers.IdNumberError:
        return None


def _acting_as_guardian(app: Application) -> Guardian:
    """The acting applicant as a child's guardian: their name and ID document."""
    a = app.applicant
    sex = a.sex or _sex_from_id(app)
    relation = {"male": "父亲", "female": "母亲"}.get(sex or "", "父母")
    return Guardian(name=a.name, relation=relation, id_type=a.id_type, id_number=a.id_number)


def _sex_from_id(app: Application) -> str | None:
    number = app.applicant.id_number
    if not number or app.applicant.id_type != "resident_id":
        return None
    try:
        return idnumbers.parse(number).sex
    except idnumbers.IdNumberError:
        return None
