"""Pages are built from what they are given, not from the window that holds them; a
background failure nobody listens for still reaches the person."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop import tasks
from desktop.mainwindow import MainWindow
from tests.conftest import ROOT


def test_no_page_reaches_into_its_window() -> None:
    for path in (ROOT / "desktop").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "self.window()" not in source, path
        assert "ignore[attr-defined]" not in source, path
        # the translator is not called tr: QObject.tr stays Qt's own
        assert not re.search(r"self\.tr\b", source), path


def test_the_main_window_stays_small() -> None:
    lines = (ROOT / "desktop" / "mainwindow.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) < 300


def test_a_task_without_an_error_callback_still_shows_its_error(qtbot: QtBot,
                                                                window: MainWindow) -> None:
    def fail(_task: tasks.Task) -> None:
        raise PermissionError("denied")

    tasks.start(fail)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)),
                    timeout=10000)
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    assert "PermissionError" in box.text()
    box.close()
