"""One file of a batch: open it, take the verdict with its cached analyses, and write its
packet when it is ready — the same steps as ``yibao-desk check`` and ``export``.

This runs in a worker process. It never raises: whatever goes wrong with this file (a
damaged zip, a malformed application.json, a missing passphrase, a bug) becomes this
file's row, so one bad file never stops the rest. Everything the file brought in is
released when it returns (reference counting; a full ``gc.collect()`` per file was
measured at 0.18 s of a 1 s job, and workers are replaced every few dozen files anyway).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from forms.analysis.cache import cache_for, keep
from forms.application import Application
from forms.errors import FormsError, NotReady, PassphraseNeeded, PassphraseWrong
from forms.findings import Finding
from forms.idnumbers import mask
from forms.logmask import scrub
from forms.messages import printable, render_error, render_finding, t
from forms.profiles.loader import load_profile, local_dir, set_local_dir
from forms.profiles.schema import Profile
from forms.storage import load
from forms.verdict import HouseholdVerdict, full_household_verdict

log = logging.getLogger(__name__)

Status = Literal["ready", "has_errors", "needs_passphrase", "unusable", "skipped"]
STATUSES: tuple[Status, ...] = ("ready", "has_errors", "needs_passphrase", "unusable",
                                "skipped")
# A summary keeps the last four characters of a number: what staff read out to match a
# person at the counter, and nothing a form could be filled in with.
KEEP_LAST = 4


def hide(text: str) -> str:
    """Text for the summary: control characters shown as escapes and every personal
    number masked but its last four characters."""
    return scrub(printable(text), head=0, tail=KEEP_LAST)


@dataclass(frozen=True)
class Job:
    source: str               # absolute path of the .yibao or application.json
    rel: str                  # as shown to staff (relative to the batch folder)
    dest: str                 # where its packet goes when it is ready
    on: dt.date
    lang: str
    passphrase: str | None = field(default=None, repr=False)
    profile: str | None = None
    profiles_dir: str | None = None   # --profiles: workers do not share the parent's state


@dataclass(frozen=True)
class PersonRow:
    name: str = ""
    id_masked: str = ""
    relation: str = ""        # "" for the acting applicant, else words for the relation
    city: str = ""
    route: str = ""
    errors: tuple[str, ...] = ()     # this person's own problems, in words


@dataclass(frozen=True)
class FileResult:
    rel: str
    status: Status
    people: tuple[PersonRow, ...] = ()
    errors: tuple[str, ...] = ()     # the file's own problems (cannot be opened, …)
    packet: str = ""                 # file name inside OUT, "" when none was written
    packet_sha256: str = ""


def person_row(app: Application, profile: Profile, lang: str, relation: str = "",
               errors: tuple[str, ...] = ()) -> PersonRow:
    a = app.applicant
    city = (app.residence.city if app.residence and app.residence.city
            else profile.name.get(lang))
    scheme = app.scheme.scheme if app.scheme else None
    return PersonRow(
        name=hide(a.name or "") if a else "",
        id_masked=mask(a.id_number, head=0, tail=KEEP_LAST) if a and a.id_number else "",
        relation=relation,
        city=hide(city or ""),
        route=t(f"scheme.{scheme}", lang) if scheme else "",
        errors=errors,
    )


def _error_texts(findings: list[Finding], lang: str, profile: Profile) -> tuple[str, ...]:
    seen: list[str] = []
    for f in findings:
        if f.severity == "error":
            text = hide(render_finding(f, lang, profile))
            if text not in seen:
                seen.append(text)
    return tuple(seen)


def run_job(job: Job) -> FileResult:
    """The row for one file; never raises."""
    try:
        return _run(job)
    except (PassphraseNeeded, PassphraseWrong) as exc:
        return FileResult(job.rel, "needs_passphrase", errors=(hide(render_error(exc, job.lang)),))
    except FormsError as exc:
        return FileResult(job.rel, "unusable", errors=(hide(render_error(exc, job.lang)),))
    except MemoryError:
        return FileResult(job.rel, "unusable",
                          errors=(t("error.unexpected", job.lang, detail="MemoryError"),))
    except Exception as exc:  # a bug: this file's row says so, the batch goes on
        # never a traceback on the worker's stderr (the staff member's terminal)
        log.debug("batch: unexpected failure", exc_info=True)
        return FileResult(job.rel, "unusable", errors=(hide(render_error(exc, job.lang)),))


def _run(job: Job) -> FileResult:
    from forms.packet.builder import build_packet  # reportlab and OpenCV: only to export

    if os.path.islink(job.source):   # made a link after it was found: still not followed
        return FileResult(job.rel, "skipped", errors=(t("cli.batch_skip_link", job.lang),))
    if job.profiles_dir and local_dir() != Path(job.profiles_dir):
        set_local_dir(Path(job.profiles_dir))
    with load(Path(job.source), passphrase=job.passphrase) as opened:
        app = opened.app
        profile = load_profile(job.profile or app.profile_id)
        cache = cache_for(opened)
        hv, _, fresh = full_household_verdict(app, profile, job.on, opened.base_dir, cache)
        keep(opened, cache, fresh)
        # The file-wide findings (a material naming no member) go on the acting row.
        own = [_error_texts(v.result.findings + (hv.findings if i == 0 else []),
                            job.lang, profile) for i, v in enumerate(hv.verdicts)]
        if any(own):
            return FileResult(job.rel, "has_errors", _rows(hv, own, profile, job.lang))
        try:
            build_packet(app, profile, opened.base_dir, Path(job.dest), on=job.on,
                         analyses={**cache, **{a.key: a for a in fresh}})
        except NotReady as exc:   # what only the packet sees (a character no font has)
            own[0] = _error_texts(exc.findings, job.lang, profile)
            return FileResult(job.rel, "has_errors", _rows(hv, own, profile, job.lang))
    return FileResult(job.rel, "ready", _rows(hv, own, profile, job.lang),
                      packet=Path(job.dest).name, packet_sha256=sha256_of(Path(job.dest)))


def _rows(hv: HouseholdVerdict, own: list[tuple[str, ...]], profile: Profile,
          lang: str) -> tuple[PersonRow, ...]:
    """One row per person of the file. A file is ready only when everybody in it is
    (one packet for all): a person without problems of their own in a file that is not
    ready is told why there is no packet."""
    blocked = any(own)
    rows = []
    for v, errors in zip(hv.verdicts, own):
        if blocked and not errors:
            errors = (t("cli.batch_other_person", lang),)
        relation = t(f"relation.{v.person.relation}", lang) if v.person.relation else ""
        rows.append(person_row(v.person.view, profile, lang, relation, errors))
    return tuple(rows)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
