"""Errors reach the user as a non-modal message in plain words with what to do next.

Expected errors (FormsError) are rendered from the catalogs. An unexpected exception is
logged — with ID numbers masked — shown, and the work is written to the recovery copy, so
nothing typed is lost. Every failure shows its message (a retry that fails again must say
so); only a message identical to one still open on screen is not stacked a second time.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_dir
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.i18n import Translator
from forms.errors import FormsError
from forms.logmask import MaskIdNumbers, PrivateLogFile
from forms.messages import render_error
from forms.private_files import private_dir

log = logging.getLogger("yibao")
_native_crashes: object = None   # the open file faulthandler writes to (kept open)


def setup_logging() -> Path:
    """The log file, in a 0700 folder, 0600 itself and on every rotation (logs written by
    older versions are tightened too), with personal numbers masked."""
    folder = private_dir(Path(user_log_dir("yibao-desk", appauthor=False)))
    path = folder / "yibao-desk.log"
    for old in folder.glob("yibao-desk.log*"):
        if old.is_file() and not old.is_symlink():
            old.chmod(0o600)
    handler = PrivateLogFile(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.addFilter(MaskIdNumbers())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _record_native_crashes(folder / "native-crash.log")
    return path


def _record_native_crashes(path: Path) -> None:
    """Where a crash inside a native library (a double free, a segfault) would leave no
    trace at all, the Python stack of every thread is written to ``path`` (0600): file
    and function names only, nothing the person typed. Appended, so the last crash stays
    next to the ones before it."""
    global _native_crashes
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600)
    except OSError:
        log.warning("no file for native crash reports", exc_info=True)
        return
    os.fchmod(fd, 0o600)
    _native_crashes = os.fdopen(fd, "a", encoding="utf-8")
    faulthandler.enable(file=_native_crashes, all_threads=True)


class Reporter:
    """Shows errors over ``parent``; ``save_work`` writes the recovery copy when something
    unexpected happens."""

    def __init__(self, parent: QWidget, translate: Translator,
                 save_work: Callable[[], None] | None = None) -> None:
        self.parent, self.translate, self.save_work = parent, translate, save_work
        self.open: list[QMessageBox] = []

    def show(self, exc: BaseException) -> None:
        expected = isinstance(exc, FormsError)
        if not expected:
            log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        text = render_error(exc, self.translate.lang)
        for box in self.open:
            if box.text() == text and box.isVisible():
                return   # the same words are already on screen, not yet closed
        box = QMessageBox(QMessageBox.Icon.Warning, self.translate("ui.error.title"), text,
                          QMessageBox.StandardButton.Ok, self.parent)
        box.setModal(False)
        box.finished.connect(lambda _r, b=box: self.open.remove(b) if b in self.open else None)
        self.open.append(box)
        box.show()

    def hook(self, kind: type[BaseException], exc: BaseException,
             tb: TracebackType | None) -> None:
        """sys.excepthook: log, save the work, tell the user."""
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        try:
            if self.save_work is not None:
                self.save_work()
        except Exception:
            log.exception("recovery copy failed")
        self.show(exc)
