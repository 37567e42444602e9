"""Severities that fit the evidence: analyses built by hand (no OCR), checked against the
answers of the complete sample."""

from __future__ import annotations

import json

from forms.analysis.crosscheck import material_findings
from forms.analysis.model import Analysis, ReadField
from forms.application import Application
from forms.profiles import load_profile
from forms.rules.materials import requirements_for
from tests.conftest import SAMPLES, TODAY

APP = Application.model_validate(
    json.loads((SAMPLES / "complete" / "application.json").read_text(encoding="utf-8")))


def _findings(kind: str, app: Application = APP, profile: str = "national",
              **fields: tuple[str, float]) -> set[tuple[str, str]]:
    m = app.materials_of(kind)[0]
    a = Analysis(sha256="a" * 64, version=1, setup="0" * 16, kind=kind, read=True,
                 fields={k: ReadField(value=v, confidence=c) for k, (v, c) in fields.items()})
    return {(f.code, f.severity) for f in material_findings(
        app, load_profile(profile), TODAY, {m.file: a})}


def test_the_applicants_own_card_says_nothing() -> None:
    assert _findings("id_card_front", name=("李文静", 0.99), sex=("female", 0.99),
                     id_number=("410102199203080262", 0.99),
                     birth_date=("1992-03-08", 0.99)) == set()


def test_a_name_read_with_confidence_is_an_error_and_an_unsure_one_a_warning() -> None:
    assert _findings("id_card_front", name=("孙伟娜", 1.0)) == {("material.name_differs",
                                                                "error")}
    assert _findings("id_card_front", name=("李文睁", 0.75)) == {("material.name_unsure",
                                                                 "warning")}
    assert _findings("id_card_front", name=("李文睁", 0.3)) == set()   # says nothing


def test_a_valid_number_that_differs_is_an_error_a_misread_one_is_not() -> None:
    assert _findings("id_card_front", id_number=("11010519491231002X", 0.99)) == {
        ("material.number_differs", "error")}
    assert _findings("id_card_front", id_number=("11010519491231002Y", 0.99)) == set()


def test_an_expired_permit_is_an_error_when_the_route_needs_it() -> None:
    for profile in ("beijing", "national"):
        needed = any(r.kind == "residence_permit" and r.need == "required"
                     for r in requirements_for(APP, load_profile(profile)))
        found = _findings("residence_permit", profile=profile,
                          valid_until=("2025-05-31", 0.99))
        assert ("material.permit_expired", "error" if needed else "warning") in found
    assert not any(code == "material.permit_expired" for code, _ in _findings(
        "residence_permit", valid_until=("2030-05-31", 0.99)))


def test_a_permit_from_another_city() -> None:
    chengdu = APP.model_copy(update={"profile_id": "chengdu"})
    found = _findings("residence_permit", app=chengdu, profile="chengdu",
                      id_number=("110105202400012345", 0.99), issuer=("北京市", 0.99))
    assert ("material.permit_elsewhere", "error") in found
    found = _findings("residence_permit", app=chengdu, profile="chengdu",
                      issuer=("北京市", 0.99))
    assert ("material.permit_elsewhere", "error") in found


def test_a_permit_of_someone_else() -> None:
    assert _findings("residence_permit", name=("孙伟娜", 0.99),
                     id_number=("11010519491231002X", 0.99)) == {
        ("material.permit_holder", "error"), ("material.permit_number_differs", "error")}
