"""Answering the app's modal questions from a test, without fixed delays and without hanging.

A modal dialog's ``exec()`` blocks the test's own call, so the answer has to be arranged
before the call: ``answering`` polls for the active modal dialog of the expected kind and
answers it. If none appears within the timeout, whatever modal is up (the wrong one) is
closed so the call returns, and the test fails with a message instead of hanging.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

D = TypeVar("D", bound=QWidget)


def active_modal(kind: type[D]) -> D | None:
    widget = QApplication.activeModalWidget()
    return widget if isinstance(widget, kind) and widget.isVisible() else None


@contextmanager
def answering(kind: type[D], answer: Callable[[D], None], *,
              timeout_ms: int = 15000) -> Iterator[list[D]]:
    """Within the block, the first modal ``kind`` to show is passed to ``answer``; on
    leaving the block, fails unless it was answered. Yields the list the dialog goes in."""
    answered: list[D] = []
    problems: list[str] = []
    deadline = time.monotonic() + timeout_ms / 1000
    timer = QTimer()

    def poll() -> None:
        box = active_modal(kind)
        if box is not None:
            timer.stop()
            answered.append(box)
            try:
                answer(box)
            except Exception as exc:
                problems.append(f"answering {kind.__name__} failed: {exc!r}")
                box.close()
            return
        if time.monotonic() > deadline:
            timer.stop()
            other = QApplication.activeModalWidget()
            problems.append(f"no modal {kind.__name__} within {timeout_ms} ms"
                            + (f" ({type(other).__name__} was up instead)" if other else ""))
            if isinstance(other, QDialog):
                other.reject()
            elif other is not None:
                other.close()

    timer.timeout.connect(poll)
    timer.start(10)
    try:
        yield answered
    finally:
        timer.stop()
    assert not problems, problems[0]
    assert answered, f"no modal {kind.__name__} was shown"


def click_button(text: str) -> Callable[[QMessageBox], None]:
    """An answer that clicks the message box's button labelled ``text``."""
    def click(box: QMessageBox) -> None:
        buttons = [b for b in box.buttons() if b.text() == text]
        assert buttons, f"no button {text!r} among {[b.text() for b in box.buttons()]}"
        buttons[0].click()
    return click

