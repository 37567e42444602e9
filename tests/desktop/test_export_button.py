"""The Export button itself makes the packet (its `clicked(bool)` once reached the page as
the destination, so clicking it failed while calling the method worked)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop.mainwindow import MainWindow


def test_clicking_export_asks_where_and_writes_the_packet(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dest = tmp_path / "my packet"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(dest), "PDF (*.pdf)")))
    window.files.open_sample()
    window.go("export")
    page = window.pages["export"]
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.result is not None, timeout=60000)  # type: ignore[attr-defined]
    assert (tmp_path / "my packet.pdf").read_bytes().startswith(b"%PDF")
