"""Region sanity: does what the applicant says about where they live and work fit the
region profile chosen? A Beijing address or employer in a Chengdu application is worth a
warning that names both places; a residence permit issued elsewhere is an error (it is
the permit that proves residence in the chosen city).

Places are recognised from the shipped city profiles: their region-code prefix (the first
digits of an ID-format number) and their name.
"""

from __future__ import annotations

from functools import cache

from forms.findings import Finding, error, warning
from forms.profiles.loader import available_profiles, load_profile
from forms.profiles.schema import Profile
from forms.rules.facts import Facts


@cache
def known_places() -> tuple[tuple[str, str], ...]:
    """(region-code prefix, name) of every city profile, longest prefix first."""
    places = []
    for pid in available_profiles():
        p = load_profile(pid)
        if p.region_prefix:
            places.append((p.region_prefix, p.name.zh))
    return tuple(sorted(places, key=lambda x: -len(x[0])))


def _short(name: str) -> str:
    return name.removesuffix("市")


def place_named_in(text: str | None) -> str | None:
    """The first known city named in ``text`` (成都 or 成都市)."""
    if not text:
        return None
    for _prefix, name in known_places():
        if _short(name) in text:
            return name
    return None


def place_of_number(number: str | None) -> str | None:
    """The known city whose region code starts an ID-format number, if any."""
    digits = "".join(ch for ch in (number or "") if ch.isdigit())
    for prefix, name in known_places():
        if digits.startswith(prefix):
            return name
    return None


def issued_elsewhere(number: str | None, issuer: str | None, profile: Profile
                     ) -> str | None:
    """The place a permit names (by number prefix or printed issuer) when it is not the
    chosen region; None when it fits or cannot be told."""
    if profile.region_prefix is None:
        return None
    digits = "".join(ch for ch in (number or "") if ch.isdigit())
    if len(digits) >= 6 and not digits.startswith(profile.region_prefix):
        return place_of_number(digits) or digits[:6]
    place = place_named_in(issuer)
    if place is not None and place != profile.name.zh:
        return place
    return None


def check(facts: Facts) -> list[Finding]:
    profile, app = facts.profile, facts.app
    if profile.region_prefix is None:
        return []  # national rules: no city chosen to compare with
    region = profile.name.zh
    out: list[Finding] = []
    for path, text in (("residence.city", app.residence.city),
                       ("residence.address", app.residence.address),
                       ("employment.employer", app.employment.employer)):
        place = place_named_in(text)
        if place is not None and place != region:
            out.append(warning("region.other_city", path, place=place, region=region))
    elsewhere = issued_elsewhere(app.residence.permit_number, None, profile)
    if elsewhere is not None:
        out.append(error("region.permit_elsewhere", "residence.permit_number",
                         place=elsewhere, region=region))
    return out
