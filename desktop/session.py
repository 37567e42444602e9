"""The session: owns the one Application, edits it, re-runs the rules, and tells the views.

Widgets never hold the truth: they call ``set_value`` and redraw when ``changed`` fires.
Field edits go through an undo stack (consecutive typing in one field merges into one
step). The rules re-run shortly after the last change, and a recovery copy is written a
few seconds after it.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import zipfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.recovery import Recoverable, Workspace
from forms import idnumbers, storage
from forms.application import Application, BankAccount, Material
from forms.findings import Finding
from forms.profiles.loader import load_profile
from forms.profiles.schema import Profile
from forms.rules import CheckResult, run

log = logging.getLogger(__name__)
RECHECK_MS = 120
AUTOSAVE_MS = 3000


def get_path(model: BaseModel, path: str) -> Any:
    node: Any = model
    for part in path.split("."):
        node = getattr(node, part, None)
        if node is None:
            return None
    return node


class _SetField(QUndoCommand):
    def __init__(self, session: Session, path: str, old: Any, new: Any,
                 built: Application) -> None:
        super().__init__(path)
        self.session, self.path, self.old, self.new = session, path, old, new
        self.built: Application | None = built   # already validated: used by the first redo

    def id(self) -> int:
        return hash(self.path) & 0x7FFFFFFF

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if isinstance(other, _SetField) and other.path == self.path:
            self.new = other.new
            return True
        return False

    def redo(self) -> None:
        built, self.built = self.built, None
        self.session._apply(self.path, built or self.session._build(self.path, self.new))

    def undo(self) -> None:
        self.session._apply(self.path, self.session._build(self.path, self.old))


class Session(QObject):
    changed = Signal()          # the application changed (any field or material)
    checked = Signal()          # findings and estimates are fresh
    fileChanged = Signal()      # path or dirty state changed

    def __init__(self) -> None:
        super().__init__()
        self.app = Application()
        self.profile: Profile = load_profile("national")
        self.path: Path | None = None
        self.passphrase: str | None = None   # in memory only, for a sealed file's saves
        self.dirty = False
        self.workspace = Workspace.create()
        self.undo = QUndoStack(self)
        self.result: CheckResult = run(self.app, self.profile, dt.date.today())
        self._recheck = QTimer(self, singleShot=True, interval=RECHECK_MS)
        self._recheck.timeout.connect(self.recheck)
        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.write_recovery)

    # --- reading -----------------------------------------------------------------------
    @property
    def base_dir(self) -> Path:
        return self.workspace.base

    def value(self, path: str) -> Any:
        return get_path(self.app, path)

    def findings_for(self, fields: set[str] | None = None, prefix: str | None = None
                     ) -> list[Finding]:
        out = []
        for f in self.result.findings:
            if f.field is None:
                continue
            if (fields is not None and f.field in fields) or (prefix and f.field.startswith(
                    prefix)):
                out.append(f)
        return out

    # --- editing -----------------------------------------------------------------------
    def set_value(self, path: str, value: Any) -> None:
        """Change one field (undoable). Invalid values raise ValueError and change nothing."""
        old = self.value(path)
        if old == value:
            return
        self.undo.push(_SetField(self, path, old, value, self._build(path, value)))

    def _build(self, path: str, value: Any) -> Application:
        """The application with one field changed, validated; ValueError when invalid."""
        try:
            return Application.model_validate(self._with(path, value).model_dump())
        except ValidationError as exc:
            raise ValueError(str(exc.errors()[0]["msg"])) from None

    def _with(self, path: str, value: Any) -> Application:
        app = self.app.model_copy(deep=True)
        section, _, name = path.partition(".")
        if not name:
            object.__setattr__(app, section, value)
            return app
        node = getattr(app, section)
        if node is None and section == "bank":
            node = BankAccount()
            object.__setattr__(app, "bank", node)
        object.__setattr__(node, name, value)
        return app

    def _apply(self, path: str, app: Application) -> None:
        self.app = app
        if path == "profile_id":
            self.profile = load_profile(app.profile_id)
        if path == "applicant.id_number":
            self._derive_from_id()
        self._touched()

    def _derive_from_id(self) -> None:
        """A valid ID number pre-fills an empty birth date and sex (never overwrites)."""
        number = self.app.applicant.id_number
        if not number:
            return
        try:
            parsed = idnumbers.parse(number)
        except idnumbers.IdNumberError:
            return
        a = self.app.applicant
        updates: dict[str, Any] = {}
        if a.birth_date is None:
            updates["birth_date"] = parsed.birth_date
        if a.sex is None:
            updates["sex"] = parsed.sex
        if updates:
            self.app = self.app.model_copy(update={"applicant": a.model_copy(update=updates)})

    def set_materials(self, materials: list[Material]) -> None:
        self.app = self.app.model_copy(update={"materials": materials})
        self._touched()

    def _touched(self) -> None:
        self.dirty = True
        self.changed.emit()
        self.fileChanged.emit()
        self._recheck.start()
        self._autosave.start()

    def recheck(self) -> None:
        self._recheck.stop()
        self.result = run(self.app, self.profile, dt.date.today(), base_dir=self.base_dir)
        self.checked.emit()

    # --- files -------------------------------------------------------------------------
    def _replace(self, app: Application, path: Path | None, workspace: Workspace,
                 dirty: bool) -> None:
        old = self.workspace
        self.app, self.path, self.workspace, self.dirty = app, path, workspace, dirty
        self.profile = load_profile(app.profile_id)
        if old is not workspace:
            old.discard()
        self.undo.clear()
        self.changed.emit()
        self.fileChanged.emit()
        self.recheck()

    def new(self, profile_id: str) -> None:
        self.passphrase = None
        self._replace(Application(profile_id=profile_id), None, Workspace.create(), False)
        self.write_recovery()

    def open(self, path: Path, passphrase: str | None = None) -> None:
        """Open a .yibao or application.json; raises FormsError and leaves all as it was."""
        workspace = Workspace.create()
        try:
            opened = storage.load(Path(path), into=workspace.base, passphrase=passphrase)
            app = opened.app
            if opened.base_dir != workspace.base:  # an application.json: copy its files in
                for m in app.materials:
                    src = opened.base_dir / m.file
                    if src.is_file():
                        dest = workspace.base / m.file
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(src, dest)
            load_profile(app.profile_id)
        except BaseException:
            workspace.discard()
            raise
        is_archive = Path(path).suffix.lower() == ".yibao"
        self._replace(app, Path(path) if is_archive else None, workspace, not is_archive)
        self.passphrase = passphrase

    def restore(self, rec: Recoverable) -> None:
        rec.workspace.take()
        self._replace(rec.app, rec.path, rec.workspace, True)

    def save(self, path: Path | None = None, *, passphrase: str | None = None) -> Path:
        """Save; a sealed file stays sealed under the passphrase it was opened or saved with."""
        dest = Path(path or self.path)  # type: ignore[arg-type]
        passphrase = passphrase or self.passphrase
        saved = storage.save(self.app, self.base_dir, dest, passphrase=passphrase)
        self.passphrase = passphrase
        # The archive's names (and, for re-encoded files, bytes) are the workspace's now.
        content = storage.load_bytes_of(dest, passphrase)
        with zipfile.ZipFile(content) as zf:
            for m in saved.materials:
                target = self.base_dir / m.file
                if not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(zf.read(m.file))
                    target.chmod(0o600)
        self.app, self.path, self.dirty = saved, dest, False
        self.fileChanged.emit()
        self.write_recovery()
        return dest

    def write_recovery(self) -> None:
        self._autosave.stop()
        try:
            self.workspace.write(self.app, self.path)
        except OSError:
            log.warning("could not write the recovery copy", exc_info=True)

    def close(self) -> None:
        """A clean close: the recovery copy and the private folder go."""
        self._autosave.stop()
        self.workspace.discard()
