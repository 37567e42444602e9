from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forms.application import Application
from tests.conftest import SAMPLES, TODAY
from tests.forms.helpers import by_code, changed, check, codes, id_number, sample

D = dt.date


def test_complete_sample_has_no_errors_or_warnings() -> None:
    result = check(sample(), base_dir=SAMPLES / "complete")
    assert result.ok
    assert [f.severity for f in result.findings] == ["info"]  # unverified estimate note


def test_incomplete_sample_shows_the_typical_mistakes() -> None:
    raw = (SAMPLES / "incomplete" / "application.json").read_text(encoding="utf-8")
    app = Application.model_validate_json(raw)
    result = check(app, base_dir=SAMPLES / "incomplete")
    assert not result.ok
    assert codes(result) >= {"required", "id_number.checksum", "mobile.format",
                             "eligibility.situation", "material.file_missing"}
    assert by_code(result, "eligibility.situation").params["alternative"] == "resident"


def test_an_empty_draft_lists_what_is_required() -> None:
    result = check(Application(), "national")
    required = {f.field for f in result.findings if f.code == "required"}
    assert {"applicant.name", "applicant.id_number", "applicant.sex", "applicant.birth_date",
            "contact.mobile", "scheme.scheme", "residence.city"} <= required


def test_a_valid_id_number_supplies_birth_date_and_sex() -> None:
    app = changed(applicant={"birth_date": None, "sex": None})
    required = {f.field for f in check(app).findings if f.code == "required"}
    assert "applicant.birth_date" not in required and "applicant.sex" not in required


def test_typed_details_are_checked_against_the_id_number() -> None:
    result = check(changed(applicant={"sex": "male", "birth_date": "1992-03-09"}))
    assert by_code(result, "sex.mismatch").params == {"typed_sex": "male", "id_sex": "female"}
    assert by_code(result, "birth_date.mismatch").params["from_id"] == "1992-03-08"


def test_wrong_check_digit_is_an_error_on_the_id_field() -> None:
    f = by_code(check(changed(applicant={"id_number": "410102199203080264"})),
                "id_number.checksum")
    assert f.severity == "error" and f.field == "applicant.id_number"


def test_document_type_must_match_the_number() -> None:
    assert "id_number.type_mismatch" in codes(check(
        changed(applicant={"id_type": "hmt_residence_permit"})))


@pytest.mark.parametrize(("until", "code"), [("2026-11-24", "id_document.expired"),
                                             ("2026-12-10", "id_document.expires_soon")])
def test_id_document_validity(until: str, code: str) -> None:
    assert code in codes(check(changed(applicant={"id_valid_until": until})))


def test_long_term_id_needs_no_end_date() -> None:
    result = check(changed(applicant={"id_valid_until": None, "id_long_term": True}))
    assert result.ok


def test_employed_people_are_sent_to_their_employer() -> None:
    f = by_code(check(changed(employment={"situation": "employed"})), "eligibility.employed")
    assert f.severity == "error"


def test_shanghai_flexible_upper_age_is_the_own_retirement_age() -> None:
    # Was a fixed 55 for women: now 55 + 2 months for a woman born 1970-06 (2024 NPC
    # decision, women-55 category: +1 month per 4 months of birth from 1970-01).
    woman = id_number("310104", D(1970, 6, 1), 2)
    app = changed(applicant={"id_number": woman, "birth_date": "1970-06-01"},
                  scheme={"scheme": "flexible", "contribution_base": 8000},
                  employment={"situation": "flexible_employee"})
    f = by_code(check(app, "shanghai"), "eligibility.retirement_age")
    assert (f.params["years"], f.params["months"], f.params["date"]) == (55, 2, "2025-08-01")
    assert f.params["alternative"] == "resident"
    man_56 = id_number("310104", D(1970, 6, 1), 1)
    app_m = changed(applicant={"id_number": man_56, "birth_date": "1970-06-01", "sex": "male"},
                    scheme={"scheme": "flexible", "contribution_base": 8000},
                    employment={"situation": "flexible_employee"})
    assert "eligibility.retirement_age" not in codes(check(app_m, "shanghai"))


def test_a_city_permit_rule_asks_for_a_valid_residence_permit() -> None:
    # A permit is a city rule (Beijing adults, unverified), no longer a national one.
    app = changed(residence={"permit_number": None, "permit_valid_until": "2026-01-01"})
    result = check(app, "beijing")
    assert {"eligibility.permit_needed", "residence_permit.expired"} <= codes(result)
    assert by_code(result, "eligibility.permit_needed").params["source"] == "gbf_2024_38"
    assert not {"eligibility.permit_needed", "residence_permit.expired"} & codes(check(app))


def test_local_hukou_needs_no_residence_permit_in_its_city() -> None:
    app = changed(hukou={"region_code": "110105"},
                  residence={"permit_number": None, "permit_valid_until": None},
                  materials=[m for m in sample().model_dump()["materials"]
                             if m["kind"] != "residence_permit"])
    result = check(app, "beijing")
    assert not codes(result) & {"eligibility.permit_needed", "material.missing"}


def test_foreign_card_holder_in_flexible_route_gets_a_warning_not_a_refusal() -> None:
    number = id_number("933156", D(1985, 6, 15), 4)
    app = changed(applicant={"id_type": "foreign_permanent_residence", "id_number": number,
                             "birth_date": "1985-06-15", "nationality": "新加坡"},
                  scheme={"scheme": "flexible"}, employment={"situation": "self_employed"})
    f = by_code(check(app), "eligibility.id_type")
    assert f.severity == "warning" and f.params["unverified"] is True


def test_required_materials_follow_the_applicant() -> None:
    app = changed(materials=[{"kind": "id_card_front", "file": "materials/id-front.jpg"}])
    missing = {f.params["kind"] for f in check(app).findings if f.code == "material.missing"}
    assert missing == {"id_card_back"}  # no national residence-permit requirement (38号)


def test_hangzhou_unverified_requirement_is_a_warning() -> None:
    app = changed(scheme={"scheme": "flexible", "contribution_base": 6000},
                  employment={"situation": "flexible_employee"})
    result = check(app, "hangzhou")
    f = next(f for f in result.findings if f.params.get("kind") == "employment_proof")
    assert f.code == "material.recommended" and f.severity == "warning"


def test_material_files_must_exist_and_be_images(sample_dir: Path) -> None:
    (sample_dir / "materials" / "id-back.jpg").write_bytes(b"")
    (sample_dir / "materials" / "photo.jpg").write_text("not an image")
    (sample_dir / "materials" / "residence-permit.jpg").unlink()
    result = check(sample(), base_dir=sample_dir)
    assert {"material.file_empty", "material.file_not_image", "material.file_missing"} <= codes(
        result)


def test_profile_older_than_a_year_warns() -> None:
    result = check(sample(), on=D(2027, 4, 1))
    f = by_code(result, "profile.stale")
    assert f.severity == "warning" and f.params["days"] == 366


def test_enrolling_outside_the_collection_period_warns_with_the_wait() -> None:
    result = check(sample(), on=D(2027, 3, 1))
    f = by_code(result, "timing.outside_collection_period_wait")
    assert f.params["months"] == 3 and f.params["unverified"] is True


def test_a_gap_in_cover_brings_a_waiting_period() -> None:
    result = check(changed(scheme={"gap_years": 2}))
    # Qingdao's worked example: two missed years → 3 + 1 = 4 months (was 5 here before)
    assert by_code(result, "timing.waiting_period").params["months"] == 4


def test_bank_details_half_filled_are_incomplete() -> None:
    result = check(changed(bank={"bank": None, "holder": "李文静", "account": "6222 0202"}))
    assert {"required", "bank.account_format"} <= codes(result)


def test_mobile_formats() -> None:
    assert "mobile.format" not in codes(check(changed(contact={"mobile": "+86 138-0013-8000"})))
    assert "mobile.format" in codes(check(changed(contact={"mobile": "23800138000"})))


def test_errors_come_first() -> None:
    order = [f.severity for f in check(Application(), on=TODAY).findings]
    assert order == sorted(order, key=["error", "warning", "info"].index)
