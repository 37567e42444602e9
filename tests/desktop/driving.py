"""What a person does with the window, for tests: click a visible button or a row of the
task list, type with the keyboard (an input-method commit for Chinese), pick from a combo
with the arrow keys, and answer the system's file and print dialogs at their boundary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QInputMethodEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QMessageBox,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.mainwindow import MainWindow
from desktop.vocabulary import TASKS


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    """A left click on a button the person can see (scrolled into view first)."""
    # A widget put into a shown layout appears on the next turn of the event loop.
    qtbot.waitUntil(button.isVisible, timeout=5000)
    parent = button.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if isinstance(parent, QScrollArea):
        parent.ensureWidgetVisible(button)
    assert button.isVisible(), f"{button.text()!r} is not on screen"
    assert button.isEnabled(), f"{button.text()!r} is disabled"
    if isinstance(button, QCheckBox):   # on its box: a wide check box's middle is empty space
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
        return
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_task(qtbot: QtBot, window: MainWindow, task: str) -> None:
    item = window.tasks.item(TASKS.index(task))
    rect = window.tasks.visualItemRect(item)
    qtbot.mouseClick(window.tasks.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Keys for ASCII, an input-method commit for anything else (how a pinyin IME delivers
    Chinese; QTest cannot press those characters), then Tab to leave the field."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def pick(qtbot: QtBot, combo: QComboBox, data: str) -> None:
    """Arrow keys on a focused, closed combo until the wanted entry shows."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentData() == data:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == data, f"{data} is not in the list"


def drop_files(widget: QWidget, paths: list[Path]) -> None:
    """Files dragged from the file manager and let go over ``widget``."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    at = QPointF(widget.rect().center())
    action = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at, action, mime, buttons, mods)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted(), "the widget does not take dropped files"
    drop = QDropEvent(at, action, mime, buttons, mods)
    QApplication.sendEvent(widget, drop)
    assert drop.isAccepted()


def task_marks(window: MainWindow) -> list[str]:
    """The mark each row of the visible task list starts with (✓ ○ ✗ — …)."""
    return [window.tasks.item(i).text().split()[0] for i in range(window.tasks.count())]


def answer_save(monkeypatch: pytest.MonkeyPatch, dest: Path) -> list[tuple[object, ...]]:
    """The Save dialog answers ``dest``; returns the calls made."""
    calls: list[tuple[object, ...]] = []

    def answer(*args: object, **_kw: object) -> tuple[str, str]:
        calls.append(args)
        return str(dest), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(answer))
    return calls


def answer_open_files(monkeypatch: pytest.MonkeyPatch,
                      choose: Callable[[], list[Path]]) -> None:
    """The Open dialog (several files) answers whatever ``choose`` says at that moment."""
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(
        lambda *a, **k: ([str(p) for p in choose()], "")))


def answer_print(monkeypatch: pytest.MonkeyPatch, out: Path) -> list[QPrinter]:
    """The print dialog: the printer it was opened with is recorded and sent to a PDF file
    (as "Print to file" would), then the dialog is accepted."""
    seen: list[QPrinter] = []

    def exec_(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        seen.append(printer)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return QPrintDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    return seen


def visible_messages(window: MainWindow) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]
