"""One household member seen as a session of their own, so the ordinary question and
materials pages serve them unchanged.

The pages read ``app`` (the member's one-person view from forms.household: their own
parts, their materials plus the shared ones they use), ``result`` (their verdict) and
``value``; they write through ``set_value`` and ``set_materials``. Each write goes to the
member's part of the one application the real session owns (``members.ID.…``), on the
same undo stack, so nothing here holds a second truth. The acting applicant is a
person too (key "applicant"): their materials page lists only their own files and the
shared ones, never a member's card. Everything else (the processor,
the workspace, the profile, undo) is the real session's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.session import Session
from forms.analysis.crosscheck import material_findings
from forms.application import Application, Material, Member, value_at
from forms.findings import Finding
from forms.household import ACTING, SHARED_KINDS, person
from forms.rules import CheckResult


class _Relay(QObject):
    """Another object's signals re-sent from a QObject that dies with the member's pages,
    so the pages' lambda connections go with them; everything else is the original's."""

    def __init__(self, original: Any, parent: QObject) -> None:
        super().__init__(parent)
        self._original: Any = original

    def __getattr__(self, name: str) -> Any:
        if name == "_original":
            raise AttributeError(name)
        return getattr(self._original, name)


class ProcessorRelay(_Relay):
    analysed = Signal(str)
    busy = Signal(bool)

    def __init__(self, original: Any, parent: QObject) -> None:
        super().__init__(original, parent)
        original.analysed.connect(self.analysed)
        original.busy.connect(self.busy)


class TranslatorRelay(_Relay):
    changed = Signal(str)

    def __init__(self, original: Any, parent: QObject) -> None:
        super().__init__(original, parent)
        original.changed.connect(self.changed)

    def __call__(self, key: str, **params: Any) -> str:
        return str(self._original(key, **params))


class MemberSession(QObject):
    changed = Signal()
    checked = Signal()
    fileChanged = Signal()
    switched = Signal()

    def __init__(self, session: Session, key: str) -> None:
        super().__init__(session)
        self.session, self.key = session, key
        self._view: tuple[Application, Application] | None = None
        # Signal to signal: Qt drops these when this object is deleted with the pages.
        session.changed.connect(self.changed)
        session.checked.connect(self.checked)
        session.fileChanged.connect(self.fileChanged)
        session.switched.connect(self.switched)
        self.processor = ProcessorRelay(session.processor, self)

    def __getattr__(self, name: str) -> Any:
        """The rest (processor, profile, base_dir, undo, generation, recheck…) is the
        real session's."""
        if name in ("session", "key", "_view", "processor"):   # not set yet (construction)
            raise AttributeError(name)
        return getattr(self.session, name)

    # --- reading ---------------------------------------------------------------------------
    @property
    def member(self) -> Member | None:
        return next((m for m in self.session.app.members if m.id == self.key), None)

    @property
    def app(self) -> Application:
        """The member's one-person view (made once per change of the application)."""
        real = self.session.app
        if self._view is None or self._view[0] is not real:
            try:
                view = person(real, self.key).view
            except KeyError:   # removed: an empty page until the household page closes it
                view = Application(profile_id=real.profile_id)
            self._view = (real, view)
        return self._view[1]

    @property
    def acting(self) -> bool:
        return self.key == ACTING

    @property
    def result(self) -> CheckResult:
        if self.acting:
            return self.session.result
        found = self.session.household.by_key().get(self.key)
        return found.result if found is not None else CheckResult([], self.session.result.estimates)

    def value(self, path: str) -> Any:
        """The member's own answer (left blank, a shared one is borrowed by the view)."""
        if path == "profile_id" or self.acting:
            return self.session.value(path)
        member = self.member
        return None if member is None else value_at(member, path)

    def findings_for(self, fields: set[str] | None = None, prefix: str | None = None
                     ) -> list[Finding]:
        return Session.findings_for(self, fields, prefix)  # type: ignore[arg-type]

    def findings_of_file(self, file: str) -> list[Finding]:
        """A card is compared with this member's answers, not the acting applicant's."""
        m = next((x for x in self.app.materials if x.file == file), None)
        analysis = self.session.processor.analyses.get(file)
        if m is None or analysis is None:
            return []
        only = self.app.model_copy(update={"materials": [m]})
        return material_findings(only, self.session.profile, dt.date.today(), {file: analysis})

    def owns(self, file: str) -> bool:
        mine = None if self.acting else self.key
        return any(m.file == file and m.member == mine for m in self.session.app.materials)

    # --- writing ---------------------------------------------------------------------------
    def set_value(self, path: str, value: Any) -> None:
        self.session.set_value(path if self.acting else f"members.{self.key}.{path}", value)

    def set_materials(self, materials: list[Material]) -> None:
        """The view's list back into the file: new and changed files are this member's;
        a shared one (the register's head page) changed here is changed for everybody,
        and stays the acting applicant's to give or take away."""
        real = self.session.app.materials
        if self.acting:   # theirs first, as they were; the members' files untouched
            self.session.set_materials([m.model_copy(update={"member": None})
                                        for m in materials]
                                       + [m for m in real if m.member is not None])
            return
        shared = {m.file for m in real if m.member is None}
        by_file = {m.file: m for m in materials}
        out: list[Material] = []
        for m in real:
            if m.member == self.key:
                continue
            if m.member is None and m.kind in SHARED_KINDS and m.file in by_file:
                out.append(by_file[m.file].model_copy(update={"member": None}))
            else:
                out.append(m)
        out += [m.model_copy(update={"member": self.key}) for m in materials
                if m.file not in shared]
        self.session.set_materials(out)
