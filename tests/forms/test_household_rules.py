"""Rules per person: a minor's guardian and register page, a newborn's birth certificate,
shared materials given once (forms.rules.materials stays the one list of requirements)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from forms.household import people
from forms.profiles import load_profile
from forms.rules.materials import requirements_for
from forms.verdict import household_verdict
from tests.conftest import TODAY
from tests.forms.helpers import changed, check, codes, id_number
from tests.forms.household_data import FATHER_ID, household, household_data

D = dt.date
NATIONAL = load_profile("national")


SCHOOLCHILD_BIRTH = D(2016, 3, 15)


def _child(birth: dt.date = SCHOOLCHILD_BIRTH, situation: str = "student",
           **sections: Any) -> Any:
    """A single-person file for a schoolchild, typed as a parent would: a card is assumed."""
    base: dict[str, Any] = {
        "applicant": {"name": "陈雨桐", "sex": "female", "birth_date": birth.isoformat(),
                      "id_number": id_number("410102", birth, 26), "id_valid_until": None},
        "employment": {"situation": situation},
        "scheme": {"scheme": "resident"},
        "guardian": {"name": "陈志强", "relation": "父亲", "id_number": FATHER_ID},
        "bank": None,
        "materials": [],
    }
    for key, value in sections.items():
        base[key] = {**base.get(key, {}), **value} if isinstance(value, dict) else value
    return changed(**base)


def _kinds(app: Any, profile: str = "national") -> dict[str, str]:
    return {r.kind: r.need for r in requirements_for(app, load_profile(profile), TODAY)}


@pytest.mark.parametrize("profile", ["national", "beijing", "shanghai", "guangzhou"])
def test_a_childs_route_takes_the_register_page_not_the_id_card(profile: str) -> None:
    kinds = _kinds(_child(), profile)   # has_id_card left at its default (True)
    assert not {"id_card_front", "id_card_back"} & set(kinds)
    assert kinds["hukou_personal_page"] == "required"
    assert kinds["guardian_id"] == "required"
    assert "hukou_head_page" in kinds


def test_an_adult_still_takes_both_card_sides() -> None:
    adult = _child(D(1990, 8, 20), "unemployed", guardian=None)
    kinds = _kinds(adult)
    assert kinds["id_card_front"] == kinds["id_card_back"] == "required"
    assert not {"hukou_personal_page", "guardian_id", "birth_certificate"} & set(kinds)


def test_a_childs_missing_card_sides_are_not_asked_for() -> None:
    found = check(_child()).findings
    missing = {f.params["kind"] for f in found if f.code in ("material.missing",
                                                               "material.recommended")}
    assert missing == {"hukou_personal_page", "hukou_head_page", "guardian_id"}
    assert "applicant.id_valid_until" not in {f.field for f in found if f.code == "required"}


def test_a_minor_must_name_a_guardian_with_an_id() -> None:
    required = {f.field for f in check(_child(guardian=None)).findings if f.code == "required"}
    assert {"guardian.name", "guardian.id_number"} <= required


@pytest.mark.parametrize(("number", "code", "severity"), [
    (FATHER_ID[:-1] + ("0" if FATHER_ID[-1] != "0" else "1"), "guardian.id_number.checksum",
     "error"),
    ("41010219880512", "guardian.id_number.length", "error"),
    ("ABC102198805120371", "guardian.id_number.format", "error"),
    (id_number("410102", D(2016, 3, 15), 26), "guardian.same_as_applicant", "error"),
    (id_number("410102", D(2010, 1, 1), 31), "guardian.minor", "warning"),
])
def test_the_guardians_id_number_is_validated(number: str, code: str, severity: str) -> None:
    found = check(_child(guardian={"id_number": number})).findings
    mine = [f for f in found if f.field == "guardian.id_number"]
    assert [(f.code, f.severity) for f in mine] == [(code, severity)]
    assert not [f for f in found if f.field == "applicant.id_number"]


def test_a_valid_guardian_raises_nothing() -> None:
    found = check(_child()).findings
    assert not [f for f in found if f.field and f.field.startswith("guardian.")]


def test_a_newborn_takes_the_birth_certificate() -> None:
    baby = _child(D(2026, 10, 2), "newborn", applicant={"id_number": None,
                                                         "has_id_card": False})
    kinds = _kinds(baby)
    assert kinds["birth_certificate"] == "required"
    assert kinds["hukou_personal_page"] == "recommended"   # once entered on the register
    found = check(baby).findings
    cert = [f for f in found if f.field == "materials.birth_certificate"]
    # the profile's source is one city's guide (unverified): advised, never blocking
    assert [(f.code, f.severity) for f in cert] == [("material.recommended", "warning")]
    assert cert[0].params["unverified"] is True
    # no number before the birth is registered: said, not an error
    assert ("newborn.no_id_number", "warning") in {(f.code, f.severity) for f in found}
    assert "required" not in {f.code for f in found if f.field == "applicant.id_number"}
    given = changed(**{**baby.model_dump(), "materials": [
        {"kind": "birth_certificate", "file": "materials/b.jpg"}]})
    assert not [f for f in check(given).findings if f.field == "materials.birth_certificate"]


def test_an_older_child_needs_no_birth_certificate() -> None:
    assert "birth_certificate" not in _kinds(_child())


def test_the_shared_head_page_and_guardian_id_serve_every_member_who_needs_them() -> None:
    result = household_verdict(household(), NATIONAL, TODAY).by_key()
    for key in ("child", "baby"):
        view = result[key].person.view
        assert [m.file for m in view.materials_of("hukou_head_page")] == [
            "materials/hukou-head.jpg"]
        assert [m.file for m in view.materials_of("guardian_id")] == [
            "materials/father-guardian.jpg"]
        missing = {f.params.get("kind") for f in result[key].result.findings
                   if f.code in ("material.missing", "material.recommended")}
        assert not missing & {"hukou_head_page", "guardian_id"}, key
    for key in ("applicant", "spouse"):   # adults with a card: not theirs, and not flagged
        assert not codes(result[key].result) & {"material.not_needed", "material.missing"}


def test_each_member_is_checked_on_their_own_route() -> None:
    result = household_verdict(household(), NATIONAL, TODAY).by_key()
    assert "guardian.name" not in {f.field for f in result["child"].result.findings}
    assert result["child"].person.view.guardian is not None
    baby_kinds = {r.kind for r in requirements_for(result["baby"].person.view, NATIONAL,
                                                   TODAY)}
    assert "birth_certificate" in baby_kinds
    assert result["baby"].result.estimates.waiting is None or \
        result["baby"].result.estimates.waiting.exempt
    assert result["applicant"].result.estimates.flexible is not None


def test_a_member_missing_their_own_material_is_their_error_only() -> None:
    data = household_data()
    data["materials"] = [m for m in data["materials"] if m.get("member") != "spouse"]
    result = household_verdict(household(**{"materials": data["materials"]}), NATIONAL,
                               TODAY).by_key()
    assert {f.params["kind"] for f in result["spouse"].result.findings
            if f.code == "material.missing"} == {"id_card_front", "id_card_back"}
    assert "material.missing" not in codes(result["applicant"].result)


def test_people_without_a_profile_agree_with_the_profile_for_this_household() -> None:
    plain = {p.key: sorted(m.file for m in p.view.materials) for p in people(household(), TODAY)}
    ruled = {p.key: sorted(m.file for m in p.view.materials)
             for p in people(household(), TODAY, NATIONAL)}
    assert plain == ruled
