"""The session: owns the one Application, edits it, re-runs the whole verdict (the rules
and what its material processor found in the files), and tells the views.

Widgets never hold the truth: they call ``set_value`` and redraw when ``changed`` fires.
Field edits go through an undo stack (consecutive typing in one field merges into one
step). The rules re-run shortly after the last change, and a recovery copy is written a
few seconds after it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import shutil
import threading
import zipfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QPixmapCache, QUndoCommand, QUndoStack

from desktop import tasks
from desktop.processing import MaterialProcessor
from desktop.recovery import Recoverable, Workspace
from forms import crypto, idnumbers, storage
from forms.analysis.cache import cache_file, cache_for, dump_cache, write_cache_file
from forms.analysis.crosscheck import material_findings
from forms.application import Application, BankAccount, Guardian, Material, value_at
from forms.crypto import SealKey
from forms.errors import FormsError
from forms.findings import Finding, sort_findings
from forms.paths import resource
from forms.profiles.loader import load_profile
from forms.profiles.schema import Profile
from forms.rules import CheckResult
from forms.safenames import material_source, place, safe_name
from forms.verdict import HouseholdVerdict, household_verdict

log = logging.getLogger(__name__)
RECHECK_MS = 120
AUTOSAVE_MS = 3000


class _SetField(QUndoCommand):
    def __init__(self, session: Session, path: str, old: Any, new: Any,
                 built: Application) -> None:
        super().__init__(path)
        self.session, self.path, self.old, self.new = session, path, old, new
        self.built: Application | None = built   # already validated: used by the first redo
        self.derived: dict[str, Any] = {}        # fields this edit filled in (from the ID)

    def id(self) -> int:
        return hash(self.path) & 0x7FFFFFFF

    def mergeWith(self, other: QUndoCommand) -> bool:
        if isinstance(other, _SetField) and other.path == self.path:
            self.new = other.new
            self.derived.update(other.derived)
            return True
        return False

    def redo(self) -> None:
        built, self.built = self.built, None
        self.derived.update(
            self.session._apply(self.path, built or self.session._build(self.path, self.new)))

    def undo(self) -> None:
        """The old value back, and what this edit filled in taken out again (unless the
        user has changed it since)."""
        app = self.session._build(self.path, self.old)
        for path, value in self.derived.items():
            if value_at(app, path) == value:
                app = app.model_copy(deep=True)
                section, _, name = path.partition(".")
                object.__setattr__(getattr(app, section), name, None)
        self.derived = {}
        self.session._apply(self.path, app)


def _write_private(target: Path, data: bytes) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _unused(folder: Path, plain: str, index: int, keep: bool) -> str:
    """``plain`` itself when ``keep`` and unused, else ``NNN-plain``, ``NNN-2-plain``, …"""
    numbered = (f"{index:03d}-{plain}" if k == 1 else f"{index:03d}-{k}-{plain}"
                for k in itertools.count(1))
    candidates = itertools.chain([plain] if keep else [], numbered)
    return next(name for name in candidates if not (folder / name).exists())


def _copy_in(app: Application, source: Path, base: Path, file: str) -> Application:
    """Copy an application.json's material files into the workspace, each under a safe
    name in ``materials/``: its own name when that is already a plain, unused one, else a
    numbered one. Names in the file never choose where anything is written. Files that
    are not there keep their (checked) name, so the rules can say they are missing."""
    folder = base / storage.MATERIALS
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    materials = []
    for i, m in enumerate(app.materials, start=1):
        src = material_source(source, m.file, file=file)
        if src is None:
            materials.append(m)
            continue
        plain = safe_name(m.file, file=file, room=200)
        keep = m.file == f"{storage.MATERIALS}/{plain}"
        target = place(folder, _unused(folder, plain, i, keep), file=file)
        shutil.copyfile(src, target)
        target.chmod(0o600)
        materials.append(m.model_copy(update={"file": f"{storage.MATERIALS}/{target.name}"}))
    return app.model_copy(update={"materials": materials})


def _warm_region_names() -> None:
    """stdnum reads its region database (a quarter of a second) at the first ID number
    checked: read it on a worker thread now, not on the UI thread in the middle of the
    first verdict. Once per process."""
    global _warmed
    if not _warmed:
        _warmed = True
        tasks.start(_read_region_names)


def _read_region_names(_task: tasks.Task) -> None:
    try:
        idnumbers.region_name_of("110105")
    except Exception:  # only a warm-up: the verdict will say what is wrong
        log.debug("region names could not be read ahead", exc_info=True)


_warmed = False


class Session(QObject):
    changed = Signal()          # the application changed (any field or material)
    checked = Signal()          # findings and estimates are fresh
    fileChanged = Signal()      # path or dirty state changed
    switched = Signal()         # another applicant (or none): drop all that was the last one's

    def __init__(self) -> None:
        super().__init__()
        self.app = Application()
        self.profile: Profile = load_profile("national")
        self.path: Path | None = None
        # A sealed file's key, derived once (forms.crypto) and kept in memory only: every
        # save and recovery copy of sealed work is sealed with it.
        self.key: SealKey | None = None
        self.dirty = False
        self.generation = 0   # one per applicant: work started for an earlier one is dropped
        self.workspace = Workspace.create()
        self.undo = QUndoStack(self)
        self.processor = MaterialProcessor(self)
        self.shared_cache: Path | None = None   # .yibao-cache beside an opened application.json
        self.household: HouseholdVerdict = household_verdict(self.app, self.profile)
        self.result: CheckResult = self.household.verdicts[0].result
        self._recheck = QTimer(self, singleShot=True, interval=RECHECK_MS)
        self._recheck.timeout.connect(self.recheck)
        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self._write_recovery_in_background)
        self._recovery_lock = threading.Lock()   # one recovery write at a time
        self._recovery_seq = 0                   # the newest copy asked for
        _warm_region_names()
        self.changed.connect(lambda: self.processor.sync(self.app.materials, self.base_dir))
        self.processor.analysed.connect(lambda _file: self._recheck.start())
        self.processor.analysed.connect(lambda _file: self._share_analyses())

    # --- reading -----------------------------------------------------------------------
    @property
    def base_dir(self) -> Path:
        return self.workspace.base

    def value(self, path: str) -> Any:
        return value_at(self.app, path)

    def findings_of_file(self, file: str) -> list[Finding]:
        """What the analysis of one file says (the verdict reports it by slot)."""
        m = next((x for x in self.app.materials if x.file == file), None)
        analysis = self.processor.analyses.get(file)
        if m is None or analysis is None:
            return []
        only = self.app.model_copy(update={"materials": [m]})
        return material_findings(only, self.profile, dt.date.today(), {file: analysis})

    def owns(self, file: str) -> bool:
        """A file the acting applicant gave (theirs, or shared by the household)."""
        return any(m.file == file and m.member is None for m in self.app.materials)

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
        host: BaseModel = app
        if path.startswith("members."):   # members.ID.section.name: a member's own answer
            _, member, path = path.split(".", 2)
            found = next((m for m in app.members if m.id == member), None)
            if found is None:
                raise ValueError(f"no member {member}")
            host = found
        section, _, name = path.partition(".")
        if not name:
            object.__setattr__(host, section, value)
            return app
        node = getattr(host, section)
        if node is None and section in ("bank", "guardian"):
            node = BankAccount() if section == "bank" else Guardian()
            object.__setattr__(host, section, node)
        object.__setattr__(node, name, value)
        return app

    def _apply(self, path: str, app: Application) -> dict[str, Any]:
        """Make ``app`` current; returns the fields filled in from it (dotted path: value)."""
        self.app = app
        derived: dict[str, Any] = {}
        if path == "profile_id":
            self.profile = load_profile(app.profile_id)
        if path == "applicant.id_number":
            derived = self._derive_from_id()
        self._touched()
        return derived

    def _derive_from_id(self) -> dict[str, Any]:
        """A valid ID number pre-fills an empty birth date and sex (never overwrites)."""
        number = self.app.applicant.id_number
        if not number:
            return {}
        try:
            parsed = idnumbers.parse(number)
        except idnumbers.IdNumberError:
            return {}
        a = self.app.applicant
        updates: dict[str, Any] = {}
        if a.birth_date is None:
            updates["birth_date"] = parsed.birth_date
        if a.sex is None:
            updates["sex"] = parsed.sex
        if updates:
            self.app = self.app.model_copy(update={"applicant": a.model_copy(update=updates)})
        return {f"applicant.{k}": v for k, v in updates.items()}

    def set_materials(self, materials: list[Material]) -> None:
        self.app = self.app.model_copy(update={"materials": materials})
        self._touched()

    def _touched(self) -> None:
        self.dirty = True
        self.changed.emit()
        self.fileChanged.emit()
        self._recheck.start()
        self._autosave.start()

    def _share_analyses(self) -> None:
        """Keep what was found beside the application.json the app was opened from, where
        the command line looks (a small JSON file; a read-only folder just means none)."""
        if self.shared_cache is not None and not self.processor.pending:
            write_cache_file(self.shared_cache, self.processor.cache.values())

    def recheck(self) -> None:
        self._recheck.stop()
        self.household = household_verdict(
            self.app, self.profile, dt.date.today(), base_dir=self.base_dir,
            analyses=self.processor.current(), pending=self.processor.pending,
            unanalysed=self.processor.failed)
        # The task list is the acting applicant's; a household file is split into people
        # first, so members' answers and cards are never checked as theirs.
        acting = self.household.verdicts[0].result
        self.result = acting if not self.household.findings else CheckResult(
            sort_findings(acting.findings + self.household.findings), acting.estimates)
        self.checked.emit()

    # --- files -------------------------------------------------------------------------
    def _replace(self, app: Application, path: Path | None, workspace: Workspace,
                 dirty: bool, analyses: dict[str, Any] | None = None) -> None:
        """Another applicant's file becomes the session's. Nothing of the last one stays
        reachable: its undo steps, analyses, images and pixmaps, its folder and recovery
        copy, and (through ``switched``) whatever pages kept of it."""
        old = self.workspace
        self.app, self.path, self.workspace, self.dirty = app, path, workspace, dirty
        self.profile = load_profile(app.profile_id)
        if old is not workspace:
            self._forget_queued_recovery()
            old.discard()
        self.generation += 1
        self._autosave.stop()
        self.undo.clear()
        self.processor.reset(forget=True)
        self.processor.seed(analyses or {})
        QPixmapCache.clear()
        self.switched.emit()
        self.changed.emit()
        self.fileChanged.emit()
        self.recheck()

    @property
    def sealed(self) -> bool:
        return self.key is not None

    def new(self, profile_id: str) -> None:
        self.key = None
        self.shared_cache = None
        self._replace(Application(profile_id=profile_id), None, Workspace.create(), False)
        self.write_recovery()

    def new_from(self, app: Application) -> None:
        """A new application starting from ``app`` (parts of the file open now): its
        material files are copied from this workspace into the new one. Sealed work stays
        sealed: the new file keeps the passphrase's key and a private scratch folder."""
        workspace = Workspace.create(private=self.sealed)
        try:
            app = _copy_in(app, self.base_dir, workspace.base, "household")
        except BaseException:
            workspace.discard()
            raise
        self.shared_cache = None
        self._replace(app, None, workspace, True)
        self.write_recovery()

    def open(self, path: Path, passphrase: str | None = None) -> None:
        """Open a .yibao or application.json; raises FormsError and leaves all as it was."""
        sealed = crypto.is_sealed_file(Path(path))
        workspace = Workspace.create(private=sealed)   # decrypted scans: scratch folder
        try:
            opened = storage.load(Path(path), into=workspace.base, passphrase=passphrase)
            app = opened.app
            key = opened.key
            if key is not None and key.version != crypto.VERSION and passphrase:
                key = crypto.derive(passphrase)   # an old file is saved in the new format
            if opened.base_dir != workspace.base:  # an application.json: copy its files in
                app = _copy_in(app, opened.base_dir, workspace.base, Path(path).name)
            load_profile(app.profile_id)
            analyses = cache_for(opened)
        except BaseException:
            workspace.discard()
            raise
        is_archive = Path(path).suffix.lower() == ".yibao"
        bundled = Path(path).resolve().is_relative_to(resource("samples").resolve())
        self.shared_cache = None if is_archive or bundled else cache_file(Path(path))
        self.key = key
        self._replace(app, Path(path) if is_archive else None, workspace, not is_archive,
                      analyses)

    def restore(self, rec: Recoverable, passphrase: str | None = None) -> None:
        """Take back work left by a crash; a sealed copy must be unlocked first."""
        assert rec.app is not None, "a sealed recovery copy is restored after unlock()"
        self.shared_cache = None
        if rec.sealed:
            # Its scratch folder went with the process: the materials come from the
            # sealed file again, opened with the same key (no second scrypt run) — or with
            # the passphrase when the file has another salt (an old-format file).
            workspace = Workspace.create(private=True, sid=rec.workspace.id)
            secrets = [s for s in (rec.key, passphrase) if s is not None]
            reopened = False
            if rec.path is not None and rec.path.is_file():
                for secret in secrets:
                    try:
                        storage.load(rec.path, into=workspace.base, passphrase=secret).close()
                        reopened = True
                        break
                    except FormsError:
                        continue
            if not reopened:
                log.warning("the sealed file of recovered work could not be reopened")
            rec.workspace.release()
        else:
            workspace = rec.workspace
            workspace.take()
        self.key = rec.key
        self._replace(rec.app, rec.path, workspace, True)
        self.write_recovery()

    def save(self, path: Path | None = None, *, key: SealKey | None = None) -> Path:
        """Save; sealed with ``key`` (asked for by Save encrypted), and a sealed file stays
        sealed under the key it was opened or saved with. Once work is sealed its
        decrypted materials live in a private scratch folder (see desktop.recovery)."""
        dest = Path(path or self.path)  # type: ignore[arg-type]
        key = key or self.key
        known = [self.processor.analyses[m.file] for m in self.app.materials
                 if m.file in self.processor.analyses]
        saved = storage.save(self.app, self.base_dir, dest, passphrase=key,
                             analyses=dump_cache(known))
        self.key = key
        # The archive's names (and, for re-encoded files, bytes) are the workspace's now.
        content = storage.load_bytes_of(dest, key)
        old = self.workspace
        if key is not None and old.scratch is None:
            self.workspace = Workspace.create(private=True)   # plaintext folder goes below
        folder = self.base_dir / storage.MATERIALS
        with zipfile.ZipFile(content) as zf:
            for m in saved.materials:
                target = place(folder, m.file, file=dest.name)
                if not target.exists():
                    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                    _write_private(target, zf.read(m.file))
        if old is not self.workspace:
            self._forget_queued_recovery()
            old.discard()
        self.app, self.path, self.dirty = saved, dest, False
        self.fileChanged.emit()
        self.write_recovery()
        return dest

    def write_recovery(self) -> None:
        self._autosave.stop()
        with self._recovery_lock:
            self._recovery_seq += 1    # a timed copy still queued is older: dropped
            try:
                self.workspace.write(self.app, self.path, self.key)
            except OSError:
                log.warning("could not write the recovery copy", exc_info=True)

    def _write_recovery_in_background(self) -> None:
        """The timed recovery copy, a few seconds after a change: written (and synced to
        disk, which a busy disk can make last) on a worker thread, never the UI's. One
        at a time; a copy overtaken by a newer one, or whose workspace was closed
        meanwhile, is not written."""
        self._recovery_seq += 1
        seq, app, path, key, workspace = self._recovery_seq, self.app, self.path, self.key, \
            self.workspace

        def write(_task: tasks.Task) -> None:
            with self._recovery_lock:
                if seq != self._recovery_seq:
                    return
                try:
                    workspace.write(app, path, key)
                except OSError:
                    log.warning("could not write the recovery copy", exc_info=True)

        tasks.start(write)

    def _forget_queued_recovery(self) -> None:
        """Before a workspace goes: no timed copy may recreate its recovery file."""
        self._autosave.stop()
        with self._recovery_lock:
            self._recovery_seq += 1

    def close_applicant(self) -> None:
        """Nobody's file is open (the start screen): the last applicant's work and images
        go, as when another file is opened."""
        self.key = None
        self.shared_cache = None
        self._replace(Application(), None, Workspace.create(), False)

    def close(self) -> None:
        """A clean close: the recovery copy and the private folder go."""
        self._forget_queued_recovery()
        self.workspace.discard()
