"""The list of recent applicants a service point's desk keeps: who, which city, how far
their application is, when their file last changed and where it is.

It lives in the app's own data folder as one small JSON file, owner-only (0600, written
atomically). It never holds a full ID number (only the last four characters, masked by
``forms.idnumbers.mask``), no images and no answers beyond the name; a sealed file's
entry holds not even the name, since the person chose to keep their file closed. The file
is read as untrusted: one that is too large, not JSON, or breaks any of the limits below
is set aside, reported, and the list started again from the files the app knows.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from desktop.recovery import data_root
from desktop.vocabulary import STATUSES
from forms.atomic import write_json
from forms.idnumbers import mask
from forms.private_files import private_file

log = logging.getLogger(__name__)
FILE_NAME = "recent-applicants.json"
MAX_ENTRIES = 50
MAX_BYTES = 256 * 1024
VISIBLE_ID = 4   # characters of an ID number the list may show (and keep)

Status = Literal["completed", "incomplete", "problem", "blocked", "checking", ""]
assert set(STATUSES) <= set(get_args(Status))
# At most four visible characters, after the stars: a full number is refused on reading.
IdTail = Annotated[str, Field(max_length=18, pattern=r"^(\*{0,18}[0-9X]{0,4})$")]


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Annotated[str, Field(min_length=1, max_length=4096)]
    name: Annotated[str, Field(max_length=100)] = ""
    id_tail: IdTail = ""
    city: Annotated[str, Field(max_length=41, pattern=r"^([a-z][a-z0-9_]{0,40})?$")] = ""
    status: Status = ""
    changed: dt.datetime | None = None
    sealed: bool = False
    members: Annotated[int, Field(ge=0, le=12)] = 0   # people the applicant acts for

    @field_validator("changed")
    @classmethod
    def _local_time(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value.tzinfo is not None:
            raise ValueError("times are local, without a zone")
        return value

    @property
    def missing(self) -> bool:
        return not Path(self.path).is_file()

    def last_change(self) -> dt.datetime | None:
        """The later of what was recorded and the file's own time (another program, or the
        command line, may have written it since)."""
        try:
            on_disk = dt.datetime.fromtimestamp(Path(self.path).stat().st_mtime)
        except OSError:
            return self.changed
        return max(on_disk, self.changed) if self.changed else on_disk


class _Stored(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    entries: Annotated[list[Entry], Field(max_length=MAX_ENTRIES)] = []


def id_tail(number: str | None) -> str:
    """The last four characters of an ID number, the rest as stars."""
    return mask(number, head=0, tail=VISIBLE_ID)


def matches(entry: Entry, query: str) -> bool:
    """A name (or part of it), the file's name, or the last digits of the ID — typed as
    digits, as the masked form, or as a whole number read off a card."""
    q = query.strip().casefold()
    if not q:
        return True
    if q in entry.name.casefold() or q in Path(entry.path).name.casefold():
        return True
    digits = re.sub(r"[\s*\-]", "", q).upper()
    if not digits or not re.fullmatch(r"[0-9X]+", digits):
        return False
    shown = entry.id_tail.lstrip("*")
    return bool(shown) and shown.endswith(digits[-VISIBLE_ID:])


class RecentApplicants:
    """Read, change and write the list; every change is written at once."""

    def __init__(self, folder: Path | None = None) -> None:
        self.file = (folder or data_root()) / FILE_NAME
        self.damaged = False   # the last read found a file it could not trust

    def entries(self) -> list[Entry]:
        """Newest first. A damaged file is reported once (``damaged``) and replaced."""
        self.damaged = False
        try:
            if self.file.is_symlink() or self.file.stat().st_size > MAX_BYTES:
                raise ValueError("not a plain file of a sensible size")
            raw = self.file.read_bytes()
            stored = _Stored.model_validate(json.loads(raw.decode("utf-8")))
        except FileNotFoundError:
            return []
        except (OSError, ValueError, ValidationError, RecursionError):
            log.warning("the list of recent applicants was unreadable; started again")
            self.damaged = True
            self._set_aside()
            return []
        return sorted(stored.entries, key=_newest, reverse=True)

    def add_paths(self, paths: Iterable[str]) -> list[Entry]:
        """Files the app knows but the list does not (after a damaged list was set aside,
        or from before there was a list): listed by where they are, the rest filled in
        when each is next opened. Returns the whole list."""
        entries = self._current()
        listed = {e.path for e in entries}
        entries += [Entry(path=p) for p in paths if Path(p).is_absolute() and p not in listed]
        self._write(entries)
        return self.entries()

    def record(self, entry: Entry) -> None:
        current = self._current()
        if current[:1] == [entry]:
            return   # nothing new: the file is not rewritten
        self._write([entry] + [e for e in current if e.path != entry.path])

    def remove(self, path: str) -> None:
        """Off the list; the file itself is left where it is."""
        self._write([e for e in self._current() if e.path != path])

    def _current(self) -> list[Entry]:
        damaged, entries = self.damaged, self.entries()
        self.damaged = damaged or self.damaged
        return entries

    def _write(self, entries: list[Entry]) -> None:
        stored = _Stored(entries=sorted(entries, key=_newest, reverse=True)[:MAX_ENTRIES])
        try:
            write_json(json.loads(stored.model_dump_json()), self.file)
            private_file(self.file)
        except OSError:
            log.warning("could not write the list of recent applicants", exc_info=True)

    def _set_aside(self) -> None:
        """A damaged list goes (nothing in it can be trusted, and it may hold what a list
        must not); a link is removed, never followed."""
        try:
            os.unlink(self.file)
        except OSError:
            pass


def _newest(entry: Entry) -> dt.datetime:
    return entry.changed or dt.datetime.min
