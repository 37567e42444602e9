"""A main window per test, with its own settings file and data folder, and a check that no
worker thread outlives the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop import tasks
from desktop.i18n import Translator
from desktop.mainwindow import MainWindow
from desktop.settings import Settings


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("YIBAO_DATA_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def no_leftover_threads() -> Iterator[None]:
    yield
    assert tasks.wait_all(60000), "a worker was still running at the end of the test"
    assert QThreadPool.globalInstance().activeThreadCount() == 0


_windows: list[MainWindow] = []


def make_window(tmp_path: Path, lang: str = "zh") -> MainWindow:
    """A window the test closes itself (or ``close_all`` does): pytest-qt's own closing
    would meet the "save changes?" question and wait for an answer."""
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Settings(store), Translator(lang))
    window.resize(1100, 800)
    _windows.append(window)
    return window


@pytest.fixture(autouse=True)
def close_all() -> Iterator[None]:
    yield
    tasks.cancel_all()   # as closing the window does: queued jobs are dropped
    tasks.wait_all(60000)
    while _windows:
        win = _windows.pop()
        win.commit()
        win.session.dirty = False  # tests do not answer the "save changes?" question
        win.close()
        win.deleteLater()


def show_active(qtbot: QtBot, win: QWidget) -> None:
    """Show ``win`` and make it the active window, as a person's click would. Offscreen
    every shown window counts as active; on a real X server (the Xvfb run of make test)
    keyboard focus goes only to the active window."""
    win.show()
    qtbot.waitExposed(win)
    win.raise_()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)


@pytest.fixture
def in_process_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Materials analysed on the app's own threads, for tests that replace a domain
    function (the OCR engine, the reader) in this process: the analysis process would
    never see the replacement."""
    from desktop import analysis_pool

    monkeypatch.setattr(analysis_pool, "in_process", True)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    win = make_window(tmp_path)
    show_active(qtbot, win)
    return win
