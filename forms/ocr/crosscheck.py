"""Suggestions for empty answers from what a card says (offered, never taken silently).

Differences between the answers and the cards are findings of the whole verdict:
forms.analysis.crosscheck."""

from __future__ import annotations

import datetime as dt
from typing import Any

from forms import idnumbers
from forms.application import Application, value_at
from forms.findings import Finding, info, warning
from forms.ocr.fields import Read

MIN_CONFIDENCE = 0.80

# (kind, field read) -> application path
_TARGETS: dict[tuple[str, str], str] = {
    ("id_card_front", "name"): "applicant.name",
    ("id_card_front", "sex"): "applicant.sex",
    ("id_card_front", "ethnicity"): "applicant.ethnicity",
    ("id_card_front", "birth_date"): "applicant.birth_date",
    ("id_card_front", "id_number"): "applicant.id_number",
    ("id_card_front", "address"): "hukou.address",
    ("id_card_back", "valid_from"): "applicant.id_valid_from",
    ("id_card_back", "valid_until"): "applicant.id_valid_until",
    ("residence_permit", "id_number"): "residence.permit_number",
    ("residence_permit", "valid_until"): "residence.permit_valid_until",
    ("hukou_personal_page", "name"): "applicant.name",
    ("hukou_personal_page", "id_number"): "applicant.id_number",
    ("hukou_personal_page", "address"): "hukou.address",
}


def _pairs(read: Read) -> list[tuple[str, str, float]]:
    out = []
    for name, (value, score) in read.fields.items():
        path = _TARGETS.get((read.kind, name))
        if path is None or score < MIN_CONFIDENCE or not value or value == "长期":
            continue
        if name == "id_number" and path == "applicant.id_number" and \
                idnumbers.problem_of(value) is not None:
            continue  # a misread number, not evidence
        out.append((path, value, score))
    return out


def reading_findings(read: Read) -> list[Finding]:
    """What the reading itself says, whatever was typed: a birth date taken from the valid
    ID number instead of a misread (or unread) printed one, and a rare character in the
    name read with little certainty."""
    fld = f"materials.{read.kind}"
    out: list[Finding] = []
    if read.flags.get("birth_date") == "from_number":
        birth = read.value("birth_date") or ""
        if "birth_date" in read.misread:
            out.append(info("ocr.birth_from_number", fld, read=read.misread["birth_date"],
                            date=birth))
        else:
            out.append(info("ocr.birth_unread", fld, date=birth))
    if read.flags.get("name") == "rare_character":
        out.append(warning("ocr.rare_character", fld, read=read.value("name") or ""))
    return out


def suggestions(app: Application, read: Read) -> dict[str, Any]:
    """Values read with confidence for fields still empty: offered, never taken silently."""
    out: dict[str, Any] = {}
    for path, value, _score in _pairs(read):
        if value_at(app, path) not in (None, ""):
            continue
        if path.endswith(("birth_date", "valid_until", "valid_from")):
            out[path] = dt.date.fromisoformat(value)
        else:
            out[path] = value
    return out
