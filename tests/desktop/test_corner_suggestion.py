"""A doubted outline is not printed, but the corner editor starts from it: the person
moves four handles a little instead of dragging them across the whole photo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from desktop.mainwindow import MainWindow
from tests.desktop.driving import answer_open_files, click, click_task
from tests.support import synthetic

PERSON = synthetic.Person("李喆", "女", "汉", dt.date(1990, 2, 3),
                          "四川省成都市武侯区人民南路四段12号3栋2单元501", "510107199002031221")


def _invisible_card(path: Path) -> Path:
    """A card on a desk of its own colour, without shadow, rim or contact shade (drawn
    "bare": no line round the card, no shade at its foot): its outline stays doubtful."""
    desk = Image.new("RGB", (1600, 1200), (238, 240, 236))
    quad = np.array([[300, 250], [1250, 300], [1220, 900], [280, 860]], dtype=np.float32)
    was, synthetic.EDGE = synthetic.EDGE, "bare"
    try:
        synthetic.place_card(synthetic.real_front(PERSON), desk, quad, shadow=1.0).save(
            path, quality=90)
    finally:
        synthetic.EDGE = was
    return path


def test_the_corner_editor_starts_from_a_doubted_outline(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.widgets.corners import CornerDialog
    from forms.imaging.scans import process_scan

    photo = _invisible_card(tmp_path / "card.jpg")
    scan = process_scan(photo, "id_card_front")
    assert scan.doubtful and scan.suggested is not None and not scan.true_size

    window.new_application("national")
    window.session.set_value("scheme.scheme", "resident")
    click_task(qtbot, window, "materials")
    page = window.pages["materials"]
    slot = page.slots["id_card_front"]  # type: ignore[attr-defined]
    answer_open_files(monkeypatch, lambda: [photo])
    click(qtbot, slot.buttons["add"])
    qtbot.waitUntil(lambda: any(m.file in page.cache  # type: ignore[attr-defined]
                                for m in window.session.app.materials), timeout=120000)
    if getattr(page, "read_dialog", None) is not None and page.read_dialog.isVisible():  # type: ignore[attr-defined]
        page.read_dialog.reject()  # type: ignore[attr-defined]
    window.go("materials")
    slot.list.setCurrentRow(0)
    assert slot.buttons["corners"].isVisible() and slot.buttons["corners"].isEnabled()

    opened: list[list[tuple[float, float]]] = []

    def look(dialog: CornerDialog) -> int:  # the modal dialog, answered at its boundary
        opened.append(dialog.corners())
        return 0  # cancelled: nothing changes

    monkeypatch.setattr(CornerDialog, "exec", look)
    click(qtbot, slot.buttons["corners"])
    assert len(opened) == 1
    start = np.array(opened[0])
    assert np.abs(start - np.array(scan.suggested)).max() < 2.0   # source pixels
    default = np.array([(0.08 * 1600, 0.08 * 1200), (0.92 * 1600, 0.08 * 1200),
                        (0.92 * 1600, 0.92 * 1200), (0.08 * 1600, 0.92 * 1200)])
    assert np.abs(start - default).max() > 20
