"""A broken file added to a slot: a truncated photo is told as plainly as an empty one, by
the name the person chose, and nothing is half-added to the slot."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.mainwindow import MainWindow
from tests.desktop.driving import answer_open_files, click, click_task, visible_messages
from tests.forms.imaging_support import card_photo, save


def _truncated(tmp_path: Path) -> Path:
    whole = save(card_photo(4)[0], tmp_path / "whole.jpg")
    cut = tmp_path / "身份证正面.jpg"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    return cut


def _empty(tmp_path: Path) -> Path:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    return empty


@pytest.mark.parametrize("make", [_empty, _truncated])
def test_a_broken_file_gets_a_clear_message_and_no_action_needs_it(
        make: object, qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    broken = make(tmp_path)  # type: ignore[operator]
    click(qtbot, window.start.sample_button)  # type: ignore[attr-defined]
    click_task(qtbot, window, "materials")
    page = window.pages["materials"]
    slot = page.slots["id_card_front"]  # type: ignore[attr-defined]
    answer_open_files(monkeypatch, lambda: [broken])
    before, rows = len(window.session.app.materials), slot.list.count()
    click(qtbot, slot.buttons["add"])

    qtbot.waitUntil(lambda: bool(visible_messages(window)), timeout=60000)
    qtbot.waitUntil(lambda: not page.busy.isVisible(), timeout=60000)  # type: ignore[attr-defined]
    text = visible_messages(window)[-1].text()
    # the same dialog for both: the file by the name the person chose, and what is wrong
    assert broken.name in text and "无法作为图片使用" in text
    assert len(window.session.app.materials) == before     # nothing half-added to the slot
    assert slot.list.count() == rows


def test_a_broken_replacement_leaves_the_card_it_was_to_replace(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    broken = _truncated(tmp_path)
    click(qtbot, window.start.sample_button)  # type: ignore[attr-defined]
    click_task(qtbot, window, "materials")
    page = window.pages["materials"]
    slot = page.slots["id_card_front"]  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: slot.list.count() == 1, timeout=60000)
    item = slot.list.visualItemRect(slot.list.item(0)).center()
    qtbot.mouseClick(slot.list.viewport(), Qt.MouseButton.LeftButton, pos=item)
    assert slot.selected() is not None
    before = list(window.session.app.materials)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(broken), ""))
    click(qtbot, slot.buttons["replace"])

    qtbot.waitUntil(lambda: bool(visible_messages(window)), timeout=60000)
    qtbot.waitUntil(lambda: not page.busy.isVisible(), timeout=60000)  # type: ignore[attr-defined]
    assert broken.name in visible_messages(window)[-1].text()
    assert window.session.app.materials == before          # the card is still there
    assert slot.list.count() == 1
