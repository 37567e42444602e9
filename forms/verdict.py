"""The whole verdict on an application: the answers' rules, region sanity, and what the
materials show — the one source the command line, the packet and the desktop all use.

``verdict`` is pure and fast: it merges analyses already made. ``full_verdict`` is what a
command runs: it takes analyses from the caches, computes the missing ones (OCR too,
unless ``read`` is False) and says which are new so the caller can keep them.
``household_verdict`` gives the same per person of a household file (forms.household).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from forms.analysis.crosscheck import material_findings
from forms.analysis.model import Analysis
from forms.application import Application
from forms.findings import Finding, error, has_errors, info, sort_findings, warning, worst
from forms.household import Person, people, unknown_member_materials
from forms.profiles.schema import Profile
from forms.rules import CheckResult, region, run
from forms.rules.facts import gather


def verdict(app: Application, profile: Profile, on: dt.date | None = None, *,
            base_dir: Path | None = None, analyses: Mapping[str, Analysis] | None = None,
            pending: Iterable[str] = (), unanalysed: Iterable[str] = (),
            read: bool = True) -> CheckResult:
    """Rules + region + material findings. ``analyses`` by material file; files in
    ``pending`` are still being analysed and files in ``unanalysed`` could not be: both
    say so (never a clean bill of health)."""
    on = on or dt.date.today()
    result = run(app, profile, on, base_dir=base_dir)
    found: list[Finding] = list(result.findings) + region.check(gather(app, profile, on))
    found += material_findings(app, profile, on, analyses or {})
    waiting, failed = set(pending), set(unanalysed)
    for m in app.materials:
        if m.file in waiting:
            found.append(info("material.checking", f"materials.{m.kind}", kind=m.kind,
                              file=Path(m.file).name))
        elif m.file in failed:
            found.append(warning("material.not_analysed", f"materials.{m.kind}", kind=m.kind,
                                 file=Path(m.file).name))
    if not read and app.materials:
        found.append(info("material.not_read"))
    return CheckResult(sort_findings(_unique(found)), result.estimates)


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[str] = set()
    out = []
    for f in findings:
        key = f.model_dump_json()
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def full_verdict(app: Application, profile: Profile, on: dt.date | None, base_dir: Path,
                 cache: Mapping[str, Analysis], *, read: bool = True
                 ) -> tuple[CheckResult, dict[str, Analysis], list[Analysis]]:
    """The verdict with every material analysed: (result, analyses by file, new ones)."""
    from forms.analysis.compute import READ_KINDS, analyse_all

    analyses, fresh = analyse_all(app, base_dir, cache, read=read)
    all_read = read or all(a.read for a in analyses.values() if a.kind in READ_KINDS)
    failed = [m.file for m in app.materials
              if m.file not in analyses and (Path(base_dir) / m.file).is_file()]
    return verdict(app, profile, on, base_dir=base_dir, analyses=analyses, read=all_read,
                   unanalysed=failed), analyses, fresh


@dataclass(frozen=True)
class PersonVerdict:
    """One person's verdict: ``person.key`` is "applicant" or the member id."""

    person: Person
    result: CheckResult

    @property
    def key(self) -> str:
        return self.person.key


@dataclass(frozen=True)
class HouseholdVerdict:
    """A verdict per person, in the file's order, and what belongs to nobody in
    particular (a material naming a member the file does not have)."""

    verdicts: list[PersonVerdict]
    findings: list[Finding]

    def by_key(self) -> dict[str, PersonVerdict]:
        return {v.key: v for v in self.verdicts}

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings) and all(v.result.ok for v in self.verdicts)

    @property
    def status(self) -> str:
        """"error", "warning" or "ok": the worst of everybody's findings."""
        return worst(self.findings + [f for v in self.verdicts for f in v.result.findings])


def household_findings(app: Application) -> list[Finding]:
    """Findings about the household as a whole: materials that name no member."""
    return [error("household.unknown_member", f"materials.{m.kind}", member=m.member,
                  kind=m.kind, file=Path(m.file).name)
            for m in unknown_member_materials(app)]


def household_verdict(app: Application, profile: Profile, on: dt.date | None = None, *,
                      base_dir: Path | None = None,
                      analyses: Mapping[str, Analysis] | None = None,
                      pending: Iterable[str] = (), unanalysed: Iterable[str] = (),
                      read: bool = True) -> HouseholdVerdict:
    """``verdict`` for every person of the file (one for a single-person file)."""
    on = on or dt.date.today()
    pending, unanalysed = list(pending), list(unanalysed)
    out = [PersonVerdict(p, verdict(p.view, profile, on, base_dir=base_dir, analyses=analyses,
                                    pending=pending, unanalysed=unanalysed, read=read))
           for p in people(app, on, profile)]
    return HouseholdVerdict(out, household_findings(app))


def full_household_verdict(app: Application, profile: Profile, on: dt.date | None,
                           base_dir: Path, cache: Mapping[str, Analysis], *,
                           read: bool = True
                           ) -> tuple[HouseholdVerdict, dict[str, Analysis], list[Analysis]]:
    """``full_verdict`` for a household: every material analysed once, whoever uses it."""
    from forms.analysis.compute import READ_KINDS, analyse_all

    analyses, fresh = analyse_all(app, base_dir, cache, read=read)
    all_read = read or all(a.read for a in analyses.values() if a.kind in READ_KINDS)
    failed = [m.file for m in app.materials
              if m.file not in analyses and (Path(base_dir) / m.file).is_file()]
    return household_verdict(app, profile, on, base_dir=base_dir, analyses=analyses,
                             read=all_read, unanalysed=failed), analyses, fresh
