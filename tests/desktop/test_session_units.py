"""The desktop's small parts on their own: the session's undo stack and ID derivation,
the task list's status rule, and a background job's result, error and cancel paths."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from desktop import tasks
from desktop.session import Session
from desktop.tasklist import CANNOT_START, CHECKING, COMPLETED, INCOMPLETE, PROBLEM, status
from forms.errors import Cancelled, FormsError
from forms.findings import error, info, warning
from forms.progress import checkpoint

ID_NUMBER = "11010519491231002X"      # a valid check digit: born 1949-12-31, female


@pytest.fixture
def session(qtbot: QtBot) -> Iterator[Session]:
    s = Session()
    s.new("national")
    yield s
    s.dirty = False
    s.close()
    # Destroyed here, on the UI thread: left to the garbage collector, its timers could be
    # freed on a worker thread that happens to trigger a collection.
    shiboken6.delete(s)


def _type(session: Session, path: str, text: str) -> None:
    """What a line edit does while a person types: one change per key."""
    for i in range(1, len(text) + 1):
        session.set_value(path, text[:i])


# --- undo ---------------------------------------------------------------------------------

def test_typing_in_one_field_is_one_undo_step(session: Session) -> None:
    before = session.undo.count()
    _type(session, "applicant.nationality", "Canada")
    assert session.undo.count() == before + 1
    session.undo.undo()
    assert session.app.applicant.nationality == "中国"
    session.undo.redo()
    assert session.app.applicant.nationality == "Canada"


def test_edits_in_different_fields_are_separate_steps(session: Session) -> None:
    _type(session, "applicant.nationality", "Canada")
    _type(session, "contact.mobile", "13800138000")
    _type(session, "applicant.nationality", "Peru")    # back in the first field: a new step
    assert session.undo.count() == 3
    session.undo.undo()
    assert session.app.applicant.nationality == "Canada"
    assert session.app.contact.mobile == "13800138000"
    session.undo.undo()
    assert session.app.contact.mobile in (None, "")
    assert session.app.applicant.nationality == "Canada"
    session.undo.undo()
    assert session.app.applicant.nationality == "中国"
    assert not session.undo.canUndo()


# --- ID number -------------------------------------------------------------------------

def test_a_valid_id_number_fills_an_empty_birth_date_and_sex(session: Session) -> None:
    _type(session, "applicant.id_number", ID_NUMBER)
    assert session.app.applicant.birth_date == dt.date(1949, 12, 31)
    assert session.app.applicant.sex == "female"


def test_a_half_typed_id_number_fills_nothing(session: Session) -> None:
    _type(session, "applicant.id_number", ID_NUMBER[:10])
    assert session.app.applicant.birth_date is None and session.app.applicant.sex is None


def test_the_id_number_never_overwrites_what_the_person_entered(session: Session) -> None:
    session.set_value("applicant.birth_date", dt.date(1990, 1, 2))
    session.set_value("applicant.sex", "male")
    _type(session, "applicant.id_number", ID_NUMBER)
    assert session.app.applicant.birth_date == dt.date(1990, 1, 2)
    assert session.app.applicant.sex == "male"


def test_undoing_the_id_number_takes_out_what_it_filled_in(session: Session) -> None:
    session.set_value("applicant.sex", "male")           # entered by hand: stays
    _type(session, "applicant.id_number", ID_NUMBER)
    session.undo.undo()
    assert session.app.applicant.id_number is None
    assert session.app.applicant.birth_date is None
    assert session.app.applicant.sex == "male"
    session.undo.redo()
    assert session.app.applicant.birth_date == dt.date(1949, 12, 31)


# --- task status -------------------------------------------------------------------------

NAME = {"applicant.name"}


@pytest.mark.parametrize(("task", "fields", "findings", "chosen", "visited", "expected"), [
    ("personal", NAME, [], True, False, COMPLETED),                  # nothing wrong
    ("personal", NAME, [error("required", "applicant.name")], True, True, INCOMPLETE),
    ("personal", NAME, [error("required", "applicant.name")], True, False, INCOMPLETE),
    ("personal", NAME, [error("name.invalid", "applicant.name")], True, True, PROBLEM),
    ("personal", NAME, [error("name.invalid", "applicant.name")], True, False, INCOMPLETE),
    ("personal", NAME, [warning("name.odd", "applicant.name")], True, True, COMPLETED),
    ("personal", NAME, [error("x", "contact.mobile")], True, True, COMPLETED),  # not mine
    ("materials", set(), [], False, True, CANNOT_START),
    ("review", set(), [], False, True, CANNOT_START),
    ("export", set(), [], False, False, CANNOT_START),
    ("materials", set(), [error("material.missing", "materials.photo")], True, True,
     INCOMPLETE),
    ("materials", set(), [error("material.file_unusable", "materials.photo")], True, True,
     PROBLEM),
    ("review", set(), [], True, False, INCOMPLETE),                  # not yet looked at
    ("review", set(), [], True, True, COMPLETED),
    ("export", set(), [error("name.invalid", "applicant.name")], True, True, PROBLEM),
])
def test_task_status(task: str, fields: set[str], findings: list, chosen: bool,  # type: ignore[type-arg]
                     visited: bool, expected: str) -> None:
    assert status(task, fields, findings, chosen, visited) == expected


@pytest.mark.parametrize(("task", "findings", "seen", "done", "expected"), [
    ("review", [], True, False, INCOMPLETE),          # looked at, not confirmed: no tick
    ("review", [], True, True, COMPLETED),            # Continue on the answers
    ("export", [], True, False, INCOMPLETE),          # no packet, or one out of date
    ("export", [], False, True, COMPLETED),           # a current packet
    ("export", [error("name.invalid", "applicant.name")], True, True, PROBLEM),  # a draft
    ("materials", [error("photo.many_faces", "materials.photo")], False, False, PROBLEM),
    ("materials", [error("photo.many_faces", "materials.photo")], True, True, PROBLEM),
    ("materials", [info("material.checking", "materials.photo")], True, True, CHECKING),
    ("personal", [], True, False, COMPLETED),         # answers without error are done
])
def test_seeing_a_page_is_not_finishing_it(task: str, findings: list,  # type: ignore[type-arg]
                                           seen: bool, done: bool, expected: str) -> None:
    assert status(task, NAME, findings, True, seen, done) == expected


# --- background jobs ---------------------------------------------------------------------

def _wait_done(qtbot: QtBot, task: tasks.Task) -> None:
    """Until the job's ``done`` reached the UI thread (it may have before we look)."""
    qtbot.waitUntil(lambda: task not in tasks._running, timeout=10000)


def test_a_job_hands_its_result_to_the_ui_thread(qtbot: QtBot) -> None:
    seen: list[tuple[object, bool]] = []
    ui = threading.get_ident()

    def job(_t: tasks.Task) -> int:
        assert threading.get_ident() != ui   # the work is off the UI thread
        return 42

    task = tasks.start(job, on_result=lambda r: seen.append((r, threading.get_ident() == ui)))
    _wait_done(qtbot, task)
    assert seen == [(42, True)]


def test_a_job_error_comes_back_as_the_exception(qtbot: QtBot) -> None:
    errors: list[BaseException] = []
    results: list[object] = []

    def job(_t: tasks.Task) -> None:
        raise FormsError("boom")

    task = tasks.start(job, on_result=results.append, on_error=errors.append)
    _wait_done(qtbot, task)
    assert results == [] and len(errors) == 1 and isinstance(errors[0], FormsError)


def test_a_cancelled_job_stops_at_its_next_step(qtbot: QtBot) -> None:
    started, release = threading.Event(), threading.Event()
    steps: list[int] = []

    def job(t: tasks.Task) -> str:
        checkpoint(t, 0, 3, "one")
        started.set()
        release.wait(10)
        checkpoint(t, 1, 3, "two")      # raises Cancelled: the user asked to stop
        return "finished"

    errors: list[BaseException] = []
    results: list[object] = []
    task = tasks.start(job, on_result=results.append, on_error=errors.append,
                       on_progress=lambda d, _n, _l: steps.append(d))
    assert started.wait(10)
    tasks.cancel_all()
    assert task.cancelled()
    release.set()
    _wait_done(qtbot, task)
    assert results == [] and [type(e) for e in errors] == [Cancelled]
    qtbot.waitUntil(lambda: steps == [0], timeout=5000)


def test_a_job_cancelled_before_it_starts_never_runs(qtbot: QtBot) -> None:
    from PySide6.QtCore import QThreadPool

    pool = QThreadPool.globalInstance()
    gate = threading.Event()
    blockers = [tasks.start(lambda _t: gate.wait(10)) for _ in range(pool.maxThreadCount())]
    ran: list[object] = []
    queued = tasks.start(lambda _t: ran.append("ran"), on_result=ran.append,
                         on_error=ran.append)
    tasks.cancel_all()                  # what closing the window does
    gate.set()
    for task in [*blockers, queued]:
        _wait_done(qtbot, task)
    assert ran == []
