"""Materials: which kinds this applicant must bring under the profile, and whether the
files given for them are there and are images or PDFs at all.

The image checks proper (resolution, blur, faces) belong to the imaging pipeline; this
module only looks at what is cheap enough to run on every keystroke.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from forms.application import Application
from forms.filetypes import sniff
from forms.findings import Finding, error, info, warning
from forms.profiles.schema import MaterialRequirement, Profile
from forms.rules.facts import Facts, gather
from forms.vocabulary import Group


def applies(req: MaterialRequirement, app: Application, non_local: bool,
            group: Group | None = None) -> bool:
    w = req.when
    if w.groups is not None and group not in w.groups:
        return False
    if w.has_id_card is not None and w.has_id_card != app.applicant.has_id_card:
        return False
    if w.id_types is not None and app.applicant.id_type not in w.id_types:
        return False
    if w.non_local_hukou is not None and w.non_local_hukou != non_local:
        return False
    if w.situations is not None and app.employment.situation not in w.situations:
        return False
    return True


def requirements_for(app: Application, profile: Profile,
                     on: dt.date | None = None) -> list[MaterialRequirement]:
    """The material kinds this applicant needs for the chosen scheme (none before a choice)."""
    if app.scheme.scheme is None:
        return []
    facts = gather(app, profile, on or dt.date.today())
    reqs = profile.scheme(app.scheme.scheme).materials
    return [r for r in reqs if applies(r, app, facts.non_local, facts.group)]


def _presence(facts: Facts) -> list[Finding]:
    out: list[Finding] = []
    for req in requirements_for(facts.app, facts.profile, facts.on):
        have = len(facts.app.materials_of(req.kind))
        if have >= req.count or req.need == "optional":
            continue
        unverified = req.unverified or facts.profile.sources[req.source].unverified
        params = dict(kind=req.kind, count=req.count, have=have, source=req.source,
                      unverified=unverified)
        if req.need == "required" and not unverified:
            out.append(error("material.missing", f"materials.{req.kind}", **params))
        else:
            out.append(warning("material.recommended", f"materials.{req.kind}", **params))
    return out


def _files(facts: Facts, base_dir: Path) -> list[Finding]:
    out: list[Finding] = []
    for m in facts.app.materials:
        field = f"materials.{m.kind}"
        path = (base_dir / m.file)
        name = Path(m.file).name
        try:
            if not path.is_file():
                out.append(error("material.file_missing", field, file=name, kind=m.kind))
                continue
            if path.stat().st_size == 0:
                out.append(error("material.file_empty", field, file=name, kind=m.kind))
                continue
            kind = sniff(path)
        except OSError:
            out.append(error("material.file_unreadable", field, file=name, kind=m.kind))
            continue
        if kind is None:
            out.append(error("material.file_not_image", field, file=name, kind=m.kind))
    return out


def check(facts: Facts, base_dir: Path | None) -> list[Finding]:
    out = _presence(facts) + _not_needed(facts)
    if base_dir is not None:
        out += _files(facts, base_dir)
    return out


def _not_needed(facts: Facts) -> list[Finding]:
    """A note for files of a kind this applicant does not need (harmless, but worth saying)."""
    if facts.app.scheme.scheme is None:
        return []
    needed = {r.kind for r in requirements_for(facts.app, facts.profile, facts.on)}
    extra = sorted({m.kind for m in facts.app.materials} - needed - {"other"})
    return [info("material.not_needed", f"materials.{k}", kind=k) for k in extra]
