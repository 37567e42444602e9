"""A desk serves one person after another in one window: opening B after A, or closing A,
leaves nothing of A reachable — no analysis, image, thumbnail, pixmap, dialog, packet
preview, undo step or recovery copy — and A's images are released from memory."""

from __future__ import annotations

import gc
import json
import weakref
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap, QPixmapCache
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop import recovery
from desktop.mainwindow import MainWindow
from desktop.pages.materials import MaterialsPage
from tests.desktop.driving import answer_save, click, click_task
from tests.desktop.modals import answering, click_button
from tests.forms.imaging_support import portrait_photo, save

CTRL = Qt.KeyboardModifier.ControlModifier


def analysed(qtbot: QtBot, window: MainWindow, count: int) -> None:
    p = window.session.processor
    qtbot.waitUntil(lambda: not p.pending and len(p.analyses) == count, timeout=90000)


def person_b(folder: Path) -> Path:
    """Another person's application.json with one photo of their own."""
    folder.mkdir()
    (folder / "materials").mkdir()
    save(portrait_photo(900), folder / "materials" / "photo.jpg")
    (folder / "application.json").write_text(json.dumps({
        "schema_version": 2, "profile_id": "national",
        "applicant": {"name": "赵丽"},
        "materials": [{"kind": "photo", "file": "materials/photo.jpg"}]},
        ensure_ascii=False), encoding="utf-8")
    return folder / "application.json"


def images_of(window: MainWindow) -> list[weakref.ref[Any]]:
    """Weak references to every picture and analysis the processor holds now."""
    p = window.session.processor
    refs: list[weakref.ref[Any]] = []
    for done in p.shown.values():
        refs.append(weakref.ref(done))
        refs += [weakref.ref(img) for img in (done.thumb, done.preview, done.original)
                 if img is not None]
    refs += [weakref.ref(a) for a in p.cache.values()]
    return refs


def view_first_material(qtbot: QtBot, window: MainWindow) -> MaterialsPage:
    """The materials page with A's thumbnails, and one picture opened full size."""
    click_task(qtbot, window, "materials")
    page = window.pages["materials"]
    assert isinstance(page, MaterialsPage)
    qtbot.waitUntil(lambda: any(not s.list.item(0).icon().isNull()
                                for s in page.slots.values() if s.list.count()),
                    timeout=20000)
    slot = next(s for s in page.slots.values() if s.list.count())
    page.ensureWidgetVisible(slot.list)
    rect = slot.list.visualItemRect(slot.list.item(0))
    qtbot.mouseClick(slot.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    click(qtbot, slot.buttons["view"])
    dialog = next(d for d in page.findChildren(QDialog) if d.isVisible())
    dialog.reject()
    return page


def no_thumbnails(page: MaterialsPage) -> bool:
    return all(s.list.item(i).icon().isNull()
               for s in page.slots.values() for i in range(s.list.count()))


def test_opening_b_after_a_leaves_nothing_of_a(qtbot: QtBot, window: MainWindow,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    click(qtbot, window.start.sample_button)                      # A: 李文静, four cards
    analysed(qtbot, window, 4)
    a_file = tmp_path / "a.yibao"
    answer_save(monkeypatch, a_file)
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
    window.session.set_value("contact.email", "a@example.com")   # an unsaved step to undo
    analysed(qtbot, window, 4)    # saving renamed the files inside: analysed again
    page = view_first_material(qtbot, window)
    a_keys = set(window.session.processor.cache)
    a_refs = images_of(window)
    a_workspace = window.session.workspace
    window.session.write_recovery()
    assert a_workspace.recovery.exists() and a_keys and a_refs
    probe = QPixmap(64, 64)
    QPixmapCache.insert("counter-probe", probe)

    b_file = person_b(tmp_path / "b")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(b_file), "")))
    with answering(QMessageBox, click_button("不保存")):        # A's unsaved e-mail: discard
        qtbot.keyClick(window, Qt.Key.Key_O, CTRL)
    assert window.session.app.applicant.name == "赵丽"
    analysed(qtbot, window, 1)
    qtbot.waitUntil(lambda: (b_file.parent / ".yibao-cache" / "analyses.json").exists(),
                    timeout=10000)
    s, p = window.session, window.session.processor
    b_files = {m.file for m in s.app.materials}
    # the processor: B's analyses and pictures only
    assert not a_keys & set(p.cache) and set(p.shown) == b_files == set(p.analyses)
    # nothing of A saved beside B's application.json for the command line
    shared = (b_file.parent / ".yibao-cache" / "analyses.json").read_text(encoding="utf-8")
    assert not any(k in shared for k in a_keys) and "李文静" not in shared
    # no undo step, recovery copy or folder of A
    assert s.undo.count() == 0
    assert not a_workspace.recovery.exists() and not a_workspace.base.exists()
    assert all(r.app is None or r.app.applicant.name != "李文静" for r in recovery.pending())
    assert QPixmapCache.find("counter-probe") is None
    # the pages: no thumbnail, picture dialog or packet of A
    assert not page.findChildren(QDialog)
    assert all(s.list.item(i).data(Qt.ItemDataRole.UserRole).file in b_files
               for s in page.slots.values() for i in range(s.list.count()))
    export = window.pages["export"]
    assert export.result is None and export.pages.count() == 0   # type: ignore[attr-defined]
    gc.collect()
    assert [r for r in a_refs if r() is not None] == []


def test_closing_an_applicant_releases_its_images(qtbot: QtBot, window: MainWindow) -> None:
    click(qtbot, window.start.sample_button)
    analysed(qtbot, window, 4)
    page = view_first_material(qtbot, window)
    refs = images_of(window)
    assert len(refs) >= 12     # four files: result, thumbnail, preview, original; analyses
    with answering(QMessageBox, click_button("不保存")):   # opened from application.json
        qtbot.keyClick(window, Qt.Key.Key_W, CTRL)
    assert window.stack.currentIndex() == 0
    p = window.session.processor
    assert not p.shown and not p.analyses and not p.cache
    assert no_thumbnails(page) and not page.findChildren(QDialog)
    assert window.session.app.applicant.name is None and window.session.undo.count() == 0
    gc.collect()
    assert [r for r in refs if r() is not None] == []
