"""Materials: which kinds this applicant must bring under the profile, each kind's status
(the one place the rules, the packet cover and the materials page take it from), and
whether the files given are there and are images or PDFs at all.

The image checks proper (resolution, blur, faces, what the cards say) are analyses
(forms.analysis); this module only looks at what is cheap enough to run on every keystroke.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from forms.application import Application
from forms.filetypes import sniff
from forms.findings import Finding, error, has_errors, info, warning
from forms.profiles.schema import MaterialRequirement, Profile
from forms.rules.facts import Facts, gather
from forms.vocabulary import Group


def applies(req: MaterialRequirement, app: Application, non_local: bool,
            group: Group | None = None, minor: bool = False) -> bool:
    w = req.when
    if w.minor is not None and w.minor != minor:
        return False
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
    return [r for r in reqs if applies(r, app, facts.non_local, facts.group, facts.minor)]


OPTIONAL_KINDS = ("hukou_head_page", "hukou_personal_page", "residence_permit", "photo",
                  "employment_proof", "other")

State = Literal["ok", "missing", "advised", "problem", "checking"]


@dataclass(frozen=True)
class MaterialStatus:
    """One required kind: how many are needed and given, and what the verdict says."""

    req: MaterialRequirement
    have: int
    unverified: bool
    state: State

    @property
    def kind(self) -> str:
        return self.req.kind


def statuses(app: Application, profile: Profile, findings: Sequence[Finding] = (), *,
             have: Mapping[str, int] | None = None,
             on: dt.date | None = None) -> list[MaterialStatus]:
    """Each kind this applicant needs, with its state: missing or advised when too few
    files are given (``have``: usable counts, default the files listed), a problem when
    the verdict has an error on its slot, checking while a file is still analysed."""
    out = []
    for req in requirements_for(app, profile, on):
        given = have[req.kind] if have is not None and req.kind in have \
            else len(app.materials_of(req.kind))
        unverified = req.unverified or profile.sources[req.source].unverified
        mine = [f for f in findings if f.field == f"materials.{req.kind}"]
        state: State
        if given < req.count:
            state = "missing" if req.need == "required" and not unverified else "advised"
        elif has_errors(mine):
            state = "problem"
        elif any(f.code == "material.checking" for f in mine):
            state = "checking"
        else:
            state = "ok"
        out.append(MaterialStatus(req, given, unverified, state))
    return out


def slot_kinds(app: Application, profile: Profile) -> list[str]:
    """The kinds to offer a slot for: the needed ones first, then the optional ones."""
    needed = [r.kind for r in requirements_for(app, profile)]
    return needed + [k for k in OPTIONAL_KINDS if k not in needed]


def _presence(facts: Facts) -> list[Finding]:
    out: list[Finding] = []
    for st in statuses(facts.app, facts.profile, on=facts.on):
        req = st.req
        if st.state not in ("missing", "advised") or req.need == "optional":
            continue
        params = dict(kind=req.kind, count=req.count, have=st.have, source=req.source,
                      unverified=st.unverified)
        if st.state == "missing":
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
