"""Run a domain function off the UI thread and hear about it on the UI thread.

The domain function is plain (``fn(progress)``) and takes the Progress protocol; this
wrapper gives it a token whose steps become a Qt signal and whose ``cancelled`` answers
the Cancel button. Results and errors come back as signals, delivered on the UI thread
because the Task object lives there. Workers get copies of the model, never widgets.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from desktop.memory import trim

log = logging.getLogger(__name__)


class Task(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    # the Progress protocol, called from the worker thread
    def step(self, done: int, total: int, label: str) -> None:
        self.progressed.emit(done, total, label)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Runner(QRunnable):
    def __init__(self, task: Task, fn: Callable[[Task], Any]) -> None:
        super().__init__()
        self.task, self.fn = task, fn

    def run(self) -> None:
        if self.task.cancelled():  # cancelled while queued (closing): dropped, never started
            try:
                self.task.done.emit()
            except RuntimeError:
                pass
            return
        try:
            try:
                result = self.fn(self.task)
            except Exception as exc:  # handed to the UI thread, never lost
                log.debug("task failed", exc_info=True)
                self.task.failed.emit(exc)
            else:
                self.task.succeeded.emit(result)
            finally:
                trim()  # return the image buffers this job freed
                self.task.done.emit()
        except RuntimeError:  # the application is shutting down: nobody left to tell
            log.debug("task finished after its receiver was deleted")


_running: set[Task] = set()
_error_handler: Callable[[BaseException], None] | None = None


def set_error_handler(handler: Callable[[BaseException], None] | None) -> None:
    """Where failures go when the caller names no ``on_error`` (the window's reporter)."""
    global _error_handler
    _error_handler = handler


def _default_error(exc: BaseException) -> None:
    if _error_handler is not None:
        _error_handler(exc)
    else:
        log.error("background task failed", exc_info=(type(exc), exc, exc.__traceback__))


def start(fn: Callable[[Task], Any], *, on_result: Callable[[Any], None] | None = None,
          on_error: Callable[[BaseException], None] | None = None,
          on_progress: Callable[[int, int, str], None] | None = None) -> Task:
    """Run ``fn(task)`` on the global thread pool; callbacks run on the UI thread. A failure
    nobody asked to hear about goes to the error handler, so it is never lost."""
    task = Task()
    if on_result:
        task.succeeded.connect(on_result)
    task.failed.connect(on_error or _default_error)
    if on_progress:
        task.progressed.connect(on_progress)
    _running.add(task)
    task.done.connect(lambda: _running.discard(task))
    QThreadPool.globalInstance().start(_Runner(task, fn))
    return task


def cancel_all() -> None:
    for task in list(_running):
        task.cancel()


def wait_all(timeout_ms: int = 30000) -> bool:
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
