"""What the rules need to know about an applicant, worked out once per check.

Derived values (age, the parsed ID number, whether the hukou is local) are computed here
so each rule module stays a short list of conditions and does not repeat the derivation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from forms import idnumbers
from forms.application import Application
from forms.dates import age_on
from forms.groups import group_of
from forms.profiles.schema import FlexibleScheme, Profile, ResidentScheme
from forms.vocabulary import Group

# Full civil capacity from 18 (Civil Code Art. 17): younger people enrol through a guardian.
ADULT_AGE = 18


@dataclass(frozen=True, slots=True)
class Facts:
    app: Application
    profile: Profile
    on: dt.date
    id_parsed: idnumbers.IdNumber | None
    birth_date: dt.date | None
    sex: str | None
    age: int | None
    non_local: bool
    scheme: FlexibleScheme | ResidentScheme | None
    group: Group | None

    @property
    def minor(self) -> bool:
        """Under 18 by birth date; without one, a child or newborn by situation."""
        if self.age is not None:
            return self.age < ADULT_AGE
        return self.group in ("child", "newborn")

    @property
    def is_resident_id(self) -> bool:
        return self.app.applicant.id_type == "resident_id"


def is_non_local(app: Application, profile: Profile) -> bool:
    """Whether the hukou lies outside the profile's region.

    Holders of HK/Macau/Taiwan permits or a foreign card have no mainland hukou, so they
    count as non-local. Without a region code to compare (national profile, or no code
    typed) the applicant is taken to be non-local: that is who this app is for, and it
    errs towards asking for the residence permit rather than forgetting it.
    """
    if app.applicant.id_type != "resident_id":
        return True
    code = app.hukou.region_code
    if profile.region_prefix is None or not code:
        return True
    return not code.startswith(profile.region_prefix)


def gather(app: Application, profile: Profile, on: dt.date) -> Facts:
    parsed: idnumbers.IdNumber | None = None
    if app.applicant.id_number:
        try:
            parsed = idnumbers.parse(app.applicant.id_number, today=on)
        except idnumbers.IdNumberError:
            parsed = None
    birth = app.applicant.birth_date or (parsed.birth_date if parsed else None)
    sex = app.applicant.sex or (parsed.sex if parsed else None)
    age = age_on(birth, on) if birth and birth <= on else None
    chosen = app.scheme.scheme
    scheme = profile.scheme(chosen) if chosen else None
    return Facts(app, profile, on, parsed, birth, sex, age, is_non_local(app, profile), scheme,
                 group_of(app, profile, birth, on))
