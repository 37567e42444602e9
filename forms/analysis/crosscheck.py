"""What the materials show against what was typed, with severities that fit the evidence.

A validated ID number that differs is an error; a name read with confidence that differs
is an error naming what the card shows, and an unsure one a warning to compare; sex and
birth date disagreeing with the card are errors. A card in the wrong slot or upside down,
a photo without exactly one face, and a residence permit of someone else, from another
city or expired are errors; a straightening that no longer looks like a card is a
warning to check the corners. Every finding points at the material's slot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from forms import idnumbers
from forms.analysis.model import Analysis
from forms.application import Application, Material
from forms.findings import Finding, error, info, warning
from forms.profiles.schema import Profile
from forms.rules.materials import requirements_for
from forms.rules.region import issued_elsewhere

SURE = 0.90     # a reading this confident is evidence; below it, ask to compare
MIN = 0.60      # below this a reading says nothing
# Sex is one character after its label, found by pattern: a line read at 0.8 (its
# confidence is the whole line's, 性别女民族汉) is evidence enough.
SEX_SURE = 0.80


def _valid(number: str | None) -> bool:
    return bool(number) and idnumbers.problem_of(number or "") in (None, "type")


def _norm(text: str | None) -> str:
    return "".join((text or "").split())


def _identity(m: Material, a: Analysis, app: Application) -> list[Finding]:
    """Name and number on a card or register page against the applicant's."""
    fld, out = f"materials.{m.kind}", []
    typed_name, typed_no = app.applicant.name, app.applicant.id_number
    number = a.value("id_number")
    if number and number[1] >= MIN and _valid(number[0]) and typed_no:
        if not _valid(typed_no):
            out.append(warning("ocr.number_differs", fld, typed=typed_no, read=number[0]))
        elif idnumbers.normalise(typed_no) != number[0]:
            out.append(error("material.number_differs", fld, kind=m.kind, read=number[0],
                             typed=idnumbers.normalise(typed_no)))
    name = a.value("name")
    if name and name[1] >= MIN and typed_name and _norm(typed_name) != _norm(name[0]):
        if name[1] >= SURE:
            out.append(error("material.name_differs", fld, kind=m.kind, read=name[0],
                             typed=typed_name))
        else:
            out.append(warning("material.name_unsure", fld, kind=m.kind, read=name[0],
                               typed=typed_name))
    return out


def _details(m: Material, a: Analysis, app: Application) -> list[Finding]:
    fld, out = f"materials.{m.kind}", []
    ap = app.applicant
    sex = a.value("sex")
    if sex and sex[1] >= SEX_SURE and ap.sex and sex[0] != ap.sex:
        out.append(error("material.sex_differs", fld, kind=m.kind, typed_sex=ap.sex,
                         read_sex=sex[0]))
    birth = a.value("birth_date")
    if birth and birth[1] >= SURE and ap.birth_date and birth[0] != ap.birth_date.isoformat():
        out.append(error("material.detail_differs", fld, kind=m.kind,
                         answer="applicant.birth_date", typed=ap.birth_date.isoformat(),
                         read=birth[0]))
    for name, path, typed in (("ethnicity", "applicant.ethnicity", ap.ethnicity),
                              ("address", "hukou.address", app.hukou.address)):
        got = a.value(name)
        if got and got[1] >= SURE and typed and _norm(typed) != _norm(got[0]):
            out.append(warning("material.detail_mismatch", fld, answer=path, typed=typed,
                               read=got[0], kind=m.kind))
    return out


def _permit(m: Material, a: Analysis, app: Application, profile: Profile, on: dt.date
            ) -> list[Finding]:
    fld, out = f"materials.{m.kind}", []
    name = a.value("name")
    if name and name[1] >= MIN and app.applicant.name and \
            _norm(name[0]) != _norm(app.applicant.name):
        if name[1] >= SURE:
            out.append(error("material.permit_holder", fld, read=name[0],
                             typed=app.applicant.name))
        else:
            out.append(warning("material.permit_holder", fld, read=name[0],
                               typed=app.applicant.name))
    number = a.value("id_number")
    theirs = {idnumbers.normalise(x) for x in (app.applicant.id_number,
                                                app.residence.permit_number) if x}
    if number and number[1] >= SURE and theirs and number[0] not in theirs:
        out.append(error("material.permit_number_differs", fld, read=number[0]))
    issuer = a.value("issuer")
    place = issued_elsewhere(number[0] if number and number[1] >= MIN else None,
                             issuer[0] if issuer and issuer[1] >= MIN else None, profile)
    if place is not None:
        out.append(error("material.permit_elsewhere", fld, place=place,
                         region=profile.name.zh))
    until = a.value("valid_until")
    needed = any(r.kind == "residence_permit" and r.need == "required"
                 for r in requirements_for(app, profile))
    if until and until[1] >= SURE and until[0] < on.isoformat():
        if needed:
            out.append(error("material.permit_expired", fld, until=until[0]))
        else:
            out.append(warning("material.permit_expired", fld, until=until[0]))
    return out


def _orientation(m: Material, a: Analysis) -> list[Finding]:
    fld, out = f"materials.{m.kind}", []
    if m.kind == "id_card_front" and a.side == "back":
        out.append(error("ocr.wrong_side", fld, kind=m.kind, other="id_card_back"))
    if m.kind == "id_card_back" and a.side == "front":
        out.append(error("ocr.wrong_side", fld, kind=m.kind, other="id_card_front"))
    if a.upside_down:
        out.append(error("ocr.upside_down", fld, kind=m.kind))
    return out


def material_findings(app: Application, profile: Profile, on: dt.date,
                      analyses: Mapping[str, Analysis]) -> list[Finding]:
    """Findings for every material with an analysis (by file)."""
    out: list[Finding] = []
    for m in app.materials:
        a = analyses.get(m.file)
        if a is None or a.kind != m.kind:
            continue
        out += a.findings
        if a.looks_like_card is False:
            out.append(warning("material.crop_doubtful", f"materials.{m.kind}", kind=m.kind,
                               file=Path(m.file).name))
        if not a.read:
            continue
        out += _orientation(m, a)
        if m.kind in ("id_card_front", "hukou_personal_page"):
            out += _identity(m, a, app)
        if m.kind == "id_card_front":
            out += _details(m, a, app)
        if m.kind == "residence_permit":
            out += _permit(m, a, app, profile, on)
    if any(a.ocr_unavailable for a in analyses.values()):
        out.append(info("material.ocr_unavailable"))
    return out
