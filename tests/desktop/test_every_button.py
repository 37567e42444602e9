"""Every enabled button on every page, clicked once as a person would, with the system's
dialogs answered "Cancel" at their boundary: none raises, none shows an unexpected-error
message (the export button once failed on every click while its method worked)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from desktop.mainwindow import MainWindow
from desktop.vocabulary import TASKS
from tests.desktop.driving import click, click_task, visible_messages


def _settled(window: MainWindow) -> bool:
    s = window.session
    return not s.processor.pending and not any(
        f.code == "material.checking" for f in s.result.findings)


def _select_files(qtbot: QtBot, window: MainWindow) -> None:
    """On the materials page, a click on the first file of each slot that has one: the
    file's own buttons act on the selected file."""
    page = window.pages["materials"]
    if not page.isVisible():
        return
    for slot in page.slots.values():  # type: ignore[attr-defined]
        if slot.list.count() and slot.list.currentItem() is None:
            page.ensureWidgetVisible(slot.list)  # type: ignore[attr-defined]
            rect = slot.list.visualItemRect(slot.list.item(0))
            qtbot.mouseClick(slot.list.viewport(), Qt.MouseButton.LeftButton,
                             pos=rect.center())


def test_every_enabled_button_on_every_page_works(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    def cancel(dialog: QDialog) -> int:
        opened.append(type(dialog).__name__)
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(QDialog, "exec", cancel)
    monkeypatch.setattr(QPrintDialog, "exec", cancel)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([], "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *a, **k: QMessageBox.StandardButton.No))

    click(qtbot, window.start.sample_button)
    qtbot.waitUntil(lambda: _settled(window), timeout=180000)
    clicked: dict[str, list[str]] = {}
    for task in TASKS:
        click_task(qtbot, window, task)
        page = window.pages[task]
        _select_files(qtbot, window)
        buttons = [b for b in page.findChildren(QPushButton)
                   if b.isVisible() and b.isEnabled()]
        assert buttons, f"no button on {task}"
        for button in buttons:
            click_task(qtbot, window, task)      # a Continue may have moved on
            _select_files(qtbot, window)
            if not (button.isVisible() and button.isEnabled()):
                continue   # an earlier click (remove, rotate) changed what is offered
            click(qtbot, button)
            qtbot.waitUntil(lambda: _settled(window), timeout=180000)
            assert not visible_messages(window), (task, button.text(),
                                                  visible_messages(window)[0].text())
            for dialog in window.findChildren(QDialog):   # a window-modal view, closed
                if dialog.isVisible() and not isinstance(dialog, QMessageBox):
                    opened.append(type(dialog).__name__)
                    dialog.reject()
            name = next((n for slot in getattr(page, "slots", {}).values()
                         for n, b in slot.buttons.items() if b is button), button.text())
            clicked.setdefault(task, []).append(name)
    assert set(clicked) == set(TASKS)
    for action in ("view", "rotate", "corners", "whiten", "replace", "remove"):
        assert action in clicked["materials"], action
    assert {"CornerDialog", "QDialog"} <= set(opened)      # corners; the view
