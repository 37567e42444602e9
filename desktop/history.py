"""Keeps the list of recent applicants in step with the session: whenever the open file
is saved as it stands (opened, saved, its materials analysed), its entry is written with
the verdict's status. Unsaved edits never reach the list: it describes the files."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject

from desktop.recent import Entry, RecentApplicants, id_tail
from desktop.session import Session
from forms.verdict import household_progress, household_verdict


def applicant_status(session: Session) -> str:
    """The task list's words for the whole file (the least advanced of its people), from
    a verdict made now: the session's own may wait for its re-check timer."""
    p = session.processor
    fresh = household_verdict(session.app, session.profile, dt.date.today(),
                              base_dir=session.base_dir, analyses=p.current(),
                              pending=p.pending, unanalysed=p.failed)
    return household_progress(fresh)[""]


def entry_of(session: Session) -> Entry | None:
    if session.path is None:
        return None
    try:
        changed = dt.datetime.fromtimestamp(session.path.stat().st_mtime)
    except OSError:
        changed = dt.datetime.now()
    a, sealed = session.app.applicant, session.sealed
    return Entry(path=str(session.path), name="" if sealed else (a.name or "")[:100],
                 id_tail="" if sealed else id_tail(a.id_number),
                 city=session.app.profile_id, status=applicant_status(session),
                 changed=changed.replace(microsecond=0), sealed=sealed,
                 members=len(session.app.members))


class ApplicantHistory(QObject):
    def __init__(self, session: Session, store: RecentApplicants) -> None:
        super().__init__(session)
        self.session, self.store = session, store
        session.fileChanged.connect(self.note)
        session.checked.connect(self.note)

    def note(self) -> None:
        if self.session.dirty:
            return
        entry = entry_of(self.session)
        if entry is not None:
            self.store.record(entry)
