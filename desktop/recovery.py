"""Recovery copies: what the user typed survives a crash or a kill.

Each editing session has a private folder holding its material files, and a small
recovery file written a few seconds after every change and on quit (atomically, readable
by the owner only). A clean close removes both; what is left at the next start is offered
back.

Work on a plain file keeps its folder under the user's data directory and its copy as
``recovery/ID.json``. Work on a sealed file stays sealed at rest:

- its copy is ``recovery/ID.sealed``, sealed with the key derived when the file was opened
  or first sealed (forms.crypto: no scrypt run per copy). Restoring it asks for the
  passphrase, which derives the same key from the salt in the copy's header;
- its folder of decrypted scans is a private scratch folder (forms.scratch: under the
  runtime folder, 0700, removed on exit and swept at the next start if the app was
  killed). A restored sealed session takes its materials from the sealed file again;
  materials added after its last save must be added again (the check says which).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile

from forms import crypto
from forms.application import Application
from forms.atomic import write_bytes, write_json
from forms.crypto import SealKey
from forms.errors import FormsError, PassphraseWrong
from forms.paths import user_data
from forms.private_files import private_dir, private_file
from forms.scratch import Scratch
from forms.storage import MAX_JSON_BYTES


def data_root() -> Path:
    return private_dir(user_data(), tighten="YIBAO_DATA_DIR" not in os.environ)


def _lock_path(sid: str) -> str:
    return str(data_root() / "recovery" / f"{sid}.lock")


@dataclass
class Workspace:
    """A session's private folders: ``materials`` lives under ``base``. A lock held while
    the session lives tells a second window that this work is not abandoned."""

    id: str
    base: Path
    recovery: Path
    lock: QLockFile | None = None
    scratch: Scratch | None = None    # ``base`` is a private scratch folder (sealed work)

    @classmethod
    def create(cls, *, private: bool = False, sid: str | None = None) -> Workspace:
        """``private``: for sealed work, the materials go to a scratch folder (see above)."""
        sid = sid or uuid.uuid4().hex[:12]
        scratch = Scratch("work") if private else None
        base = scratch.path if scratch else private_dir(data_root() / "work") / sid
        private_dir(base / "materials")
        rec = private_dir(data_root() / "recovery")
        workspace = cls(sid, base, rec / f"{sid}.json", scratch=scratch)
        workspace.take()
        return workspace

    @property
    def sealed_recovery(self) -> Path:
        return self.recovery.with_suffix(".sealed")

    def take(self) -> bool:
        """Hold this workspace's lock (False: a running window holds it)."""
        if self.lock is None:
            self.lock = QLockFile(_lock_path(self.id))
            self.lock.setStaleLockTime(0)  # only a dead process's lock is stale
        if self.lock.isLocked():
            return True
        if not self.lock.tryLock(0):
            return False
        private_file(Path(_lock_path(self.id)))  # Qt creates it with the umask's mode
        return True

    def write(self, app: Application, path: Path | None, key: SealKey | None = None) -> None:
        """The recovery copy: sealed with ``key`` when the work is sealed."""
        record = {"saved_at": dt.datetime.now().isoformat(timespec="seconds"),
                  "path": str(path) if path else None, "base": str(self.base),
                  "application": json.loads(app.model_dump_json())}
        if key is None:
            write_json(record, self.recovery)
            self.sealed_recovery.unlink(missing_ok=True)
        else:
            plain = json.dumps(record, ensure_ascii=False).encode("utf-8")
            write_bytes(crypto.seal(plain, key), self.sealed_recovery)
            self.recovery.unlink(missing_ok=True)

    def release(self) -> None:
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None

    def discard(self) -> None:
        """A clean close: nothing left to recover."""
        self.recovery.unlink(missing_ok=True)
        self.sealed_recovery.unlink(missing_ok=True)
        if self.scratch is not None:
            self.scratch.cleanup()
        else:
            shutil.rmtree(self.base, ignore_errors=True)
        self.release()


@dataclass
class Recoverable:
    """Work left behind. A sealed copy has no ``app`` until :func:`unlock` opens it."""

    workspace: Workspace
    saved_at: str
    path: Path | None
    app: Application | None
    sealed: bool = False
    key: SealKey | None = None


def unlock(rec: Recoverable, passphrase: str) -> Recoverable:
    """Open a sealed recovery copy; raises PassphraseWrong (or ArchiveUnsafe if altered)."""
    plain, key = crypto.unseal_file(rec.workspace.sealed_recovery, passphrase,
                                    limit=2 * MAX_JSON_BYTES)
    try:
        data = json.loads(plain.getvalue().decode("utf-8"))
        app = Application.model_validate(data["application"])
    except (ValueError, KeyError, TypeError):
        raise PassphraseWrong(rec.workspace.sealed_recovery.name,
                                     file=rec.workspace.sealed_recovery.name) from None
    return Recoverable(rec.workspace, str(data.get("saved_at")),
                       Path(data["path"]) if data.get("path") else None, app, True, key)


def _pending_sealed(file: Path) -> Recoverable | None:
    """A sealed copy shows only its time (from the file) until the passphrase opens it."""
    try:
        with file.open("rb") as fh:
            crypto.parse_header(fh.read(crypto.HEADER_SIZE), file=file.name)
        when = dt.datetime.fromtimestamp(file.stat().st_mtime).isoformat(timespec="seconds")
    except (OSError, FormsError):
        return None   # not ours to judge (perhaps a newer version's): left alone
    workspace = Workspace(file.stem, data_root() / "work" / file.stem,
                          file.with_suffix(".json"))
    return Recoverable(workspace, when, None, None, sealed=True)


def pending() -> list[Recoverable]:
    """Recovery copies left by sessions that did not close cleanly, newest first."""
    folder = data_root() / "recovery"
    found: list[Recoverable] = []
    for file in folder.glob("*.sealed") if folder.is_dir() else []:
        rec = _pending_sealed(file)
        if rec is None:
            continue
        if not rec.workspace.take():
            continue  # another window is working on it right now
        rec.workspace.release()
        found.append(rec)
    for file in folder.glob("*.json") if folder.is_dir() else []:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            app = Application.model_validate(data["application"])
            base = Path(data["base"])
        except (OSError, ValueError, KeyError, TypeError):
            file.unlink(missing_ok=True)  # unreadable leftovers help nobody
            continue
        workspace = Workspace(file.stem, base, file)
        if not workspace.take():
            continue  # another window is working on it right now
        workspace.release()  # only probed: whoever restores it takes it again
        found.append(Recoverable(workspace, str(data.get("saved_at")),
                                 Path(data["path"]) if data.get("path") else None, app))
    return sorted(found, key=lambda r: r.saved_at, reverse=True)
