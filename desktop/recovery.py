"""Recovery copies: what the user typed survives a crash or a kill.

Each editing session has a private folder under the user's data directory holding its
material files, and a small JSON recovery file written a few seconds after every change
and on quit (atomically, readable by the owner only). A clean close removes both; what is
left at the next start is offered back.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from PySide6.QtCore import QLockFile

from forms.application import Application
from forms.private_files import private_dir, private_file
from forms.storage import write_json


def data_root() -> Path:
    override = os.environ.get("YIBAO_DATA_DIR")
    root = Path(override) if override else Path(user_data_dir("yibao-desk", appauthor=False))
    return private_dir(root, tighten=not override)


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

    @classmethod
    def create(cls) -> Workspace:
        sid = uuid.uuid4().hex[:12]
        base = private_dir(data_root() / "work") / sid
        private_dir(base / "materials")
        rec = private_dir(data_root() / "recovery")
        workspace = cls(sid, base, rec / f"{sid}.json")
        workspace.take()
        return workspace

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

    def write(self, app: Application, path: Path | None) -> None:
        write_json({"saved_at": dt.datetime.now().isoformat(timespec="seconds"),
                    "path": str(path) if path else None, "base": str(self.base),
                    "application": json.loads(app.model_dump_json())}, self.recovery)

    def release(self) -> None:
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None

    def discard(self) -> None:
        """A clean close: nothing left to recover."""
        self.recovery.unlink(missing_ok=True)
        shutil.rmtree(self.base, ignore_errors=True)
        self.release()


@dataclass
class Recoverable:
    workspace: Workspace
    saved_at: str
    path: Path | None
    app: Application


def pending() -> list[Recoverable]:
    """Recovery copies left by sessions that did not close cleanly, newest first."""
    folder = data_root() / "recovery"
    found: list[Recoverable] = []
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
