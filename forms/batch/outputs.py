"""Where a batch writes, and the rule that keeps it from overwriting anyone's files.

The output folder may already hold files: a packet from an earlier run, or something a
colleague put there. The rule: a name is written over only when it holds *our own*
earlier file for the *same* source (or summary), unchanged since we wrote it — the
ledger ``.yibao-batch.json`` in the output folder records which file we wrote for which
source, with its SHA-256. Any other file keeps its name, and ours takes the next free
one (``name (2).pdf``). The ledger is read as hostile input: too large, not JSON or the
wrong shape, it is ignored, which only means earlier packets are left alone.

Packet names come from the source's path with personal numbers masked, through
``safe_name``: nothing read from the input folder picks a path in the output folder.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from forms.atomic import write_bytes
from forms.batch.job import sha256_of
from forms.errors import MaterialUnsafe, PermissionDenied, SaveFailed
from forms.logmask import scrub
from forms.safenames import safe_name

LEDGER = ".yibao-batch.json"
MAX_LEDGER_BYTES = 4 * 1024 * 1024
MAX_TRIES = 1000
SUMMARY_KEY = ":summary"     # no source path starts with ":"


def packet_stem(rel: str) -> str:
    """``a/b/c.yibao`` → ``a_b_c``; ``x/application.json`` → ``x``; numbers masked."""
    parts = rel.split("/")
    if parts[-1] == "application.json":
        parts = parts[:-1] or ["application"]
    elif parts[-1].lower().endswith(".yibao"):
        parts[-1] = parts[-1][: -len(".yibao")]
    return scrub("_".join(parts), head=0, tail=4)


def check_output(out: Path) -> Path:
    """Create OUT if needed and make sure files can be written there (else the whole
    batch is unusable: exit 2 before anything is checked)."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise SaveFailed("not a folder", file=str(out), reason="write_error") from None
    except PermissionError:
        raise PermissionDenied(str(out), file=str(out)) from None
    except OSError as exc:
        raise SaveFailed(exc.strerror or str(exc), file=str(out), reason="write_error") from None
    if not out.is_dir():
        raise SaveFailed("not a folder", file=str(out), reason="write_error")
    if not os.access(out, os.W_OK | os.X_OK):
        raise PermissionDenied(str(out), file=str(out))
    return out


@dataclass
class Outputs:
    """Names in OUT for this run's packets and summaries."""

    folder: Path
    ledger: dict[str, dict[str, str]] = field(default_factory=dict)   # name -> source, sha
    taken: set[str] = field(default_factory=set)                      # names given this run

    @classmethod
    def open(cls, folder: Path) -> Outputs:
        return cls(Path(folder), read_ledger(Path(folder) / LEDGER))

    def ours(self, name: str, key: str) -> bool:
        """``name`` is free for ``key``: missing, or our unchanged file for that key."""
        path = self.folder / name
        if not os.path.lexists(path):
            return True
        entry = self.ledger.get(name)
        if not entry or entry.get("source") != key or path.is_symlink() or not path.is_file():
            return False
        try:
            return sha256_of(path) == entry.get("sha256")
        except OSError:
            return False

    def name_for(self, key: str, stem: str, suffix: str) -> str:
        """The name this run writes for ``key``: ``stem + suffix`` if it is ours to
        write, else the first free ``stem (n) + suffix``."""
        base = safe_name(stem + suffix, room=200)
        base_stem = base.removesuffix(suffix)
        for n in range(1, MAX_TRIES + 1):
            name = base if n == 1 else f"{base_stem} ({n}){suffix}"
            if name in self.taken or name == LEDGER:
                continue
            if self.ours(name, key):
                self.taken.add(name)
                return name
        raise SaveFailed("no free name", file=str(self.folder / base), reason="write_error")

    def earlier(self, key: str) -> list[str]:
        """Our own unchanged files from earlier runs for ``key`` (a packet that a source
        no longer earns is removed, so no stale packet suggests it is ready)."""
        return [name for name, e in list(self.ledger.items())
                if e.get("source") == key and self.ours(name, key)]

    def remove(self, name: str) -> None:
        try:
            (self.folder / name).unlink()
        except OSError:
            return
        self.ledger.pop(name, None)

    def record(self, name: str, key: str, sha256: str) -> None:
        self.ledger[name] = {"source": key, "sha256": sha256}

    def save(self) -> None:
        data = json.dumps({"written": self.ledger}, ensure_ascii=False, indent=1)
        write_bytes(data.encode("utf-8"), self.folder / LEDGER)


def read_ledger(path: Path) -> dict[str, dict[str, str]]:
    try:
        if path.is_symlink() or not path.is_file():
            return {}
        with path.open("rb") as fh:
            raw = fh.read(MAX_LEDGER_BYTES + 1)
    except OSError:
        return {}
    if len(raw) > MAX_LEDGER_BYTES:
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return {}
    written = data.get("written") if isinstance(data, dict) else None
    if not isinstance(written, dict):
        return {}
    out: dict[str, dict[str, str]] = {}
    for name, entry in written.items():
        if (isinstance(name, str) and isinstance(entry, dict)
                and isinstance(entry.get("source"), str) and isinstance(entry.get("sha256"), str)
                and _plain_name(name)):
            out[name] = {"source": entry["source"], "sha256": entry["sha256"]}
    return out


def _plain_name(name: str) -> bool:
    """A ledger entry may only name a file directly in OUT (never ../ or a folder)."""
    try:
        return safe_name(name) == name
    except MaterialUnsafe:
        return False
