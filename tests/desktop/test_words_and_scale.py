"""Words a person understands, the keyboard, and 200 % scale on a 1366 × 768 screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.i18n import Translator, plain
from desktop.mainwindow import MainWindow
from desktop.tasklist import TASKS
from forms.messages import t
from tests.desktop.driving import click
from tests.forms.imaging_support import portrait_photo, save

pytestmark = pytest.mark.x11  # keyboard focus and shortcuts: see make test

CJK = re.compile(r"[\u3400-\u9fff\uff08-\uff1f\u3001-\u3011]")
# 200 % on 1366 × 768: the window has 683 × 384 device-independent pixels, less the title
# bar and the panel of the desktop.
SCREEN_AT_200 = (683, 384 - 40)


def test_qt_dialog_buttons_follow_the_language(qtbot: QtBot, window: MainWindow) -> None:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                           | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    assert (plain(ok.text()), plain(cancel.text())) == ("确定", "取消")
    window.set_language("en")
    qtbot.waitUntil(lambda: plain(ok.text()) == "OK")       # switched live
    assert plain(cancel.text()) == "Cancel"
    window.set_language("zh")
    qtbot.waitUntil(lambda: plain(ok.text()) == "确定")


def test_the_save_dialog_labels_are_chinese_under_zh(qtbot: QtBot, window: MainWindow) -> None:
    """Qt 6 asks for "&Look in:" and "Files of &type:", which the shipped catalog lacks."""
    def labels() -> list[str]:
        dialog = QFileDialog(window, "x", "", "PDF (*.pdf)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        qtbot.addWidget(dialog)
        return [plain(label.text()) for label in dialog.findChildren(QLabel) if label.text()]

    zh = labels()
    assert zh and all(CJK.search(text) and not re.search("[A-Za-z]", text) for text in zh), zh
    window.set_language("en")
    assert "Look in:" in labels()
    window.set_language("zh")
    assert "查找范围：" in labels()


def test_plurals_and_timestamps_in_the_language() -> None:
    assert t("ui.export.has_problems", "en", count=1).startswith("The application has 1 "
                                                                  "problem,")
    assert "2 problems," in t("ui.export.has_problems", "en", count=2)
    assert "(1 page)" in t("ui.export.done", "en", path="p.pdf", pages=1)
    assert "(3 pages)" in t("ui.export.done", "en", path="p.pdf", pages=3)
    assert Translator("zh").timestamp("2026-11-29T10:05:07") == "2026年11月29日 10:05"
    assert Translator("en").timestamp("2026-11-29T10:05:07") == "29 November 2026, 10:05"


def _visible_texts(root: QWidget) -> list[str]:
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root):
            continue
        if isinstance(w, (QLabel, QAbstractButton)):
            out.append(w.text())
    return out


def _answers(window: MainWindow) -> list[str]:
    """What the person typed (names and addresses in Chinese are theirs, not the UI's)."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str):
            found.append(node)

    walk(window.session.app.model_dump(mode="json"))
    return sorted(found, key=len, reverse=True)


def test_the_english_interface_has_no_chinese_of_its_own(qtbot: QtBot,
                                                        window: MainWindow) -> None:
    window.set_language("en")
    click(qtbot, window.start.sample_button)   # the start screen's sample
    answers = _answers(window)
    for task in TASKS:
        window.go(task)
        page = window.pages[task]
        qtbot.waitUntil(page.isVisible)
        for text in _visible_texts(page):
            for answer in answers:
                text = text.replace(answer, "")
            assert not CJK.search(re.sub("<[^>]+>", "", text)), (task, text)


def test_menus_and_buttons_have_alt_mnemonics(window: MainWindow) -> None:
    for lang in ("zh", "en"):
        window.set_language(lang)
        menus = [a.menu() for a in window.menuBar().actions()]
        titles = [a.text() for a in window.menuBar().actions()]
        assert all("&" in title for title in titles), titles
        keys = [re.search(r"&(\w)", title)[1].lower() for title in titles]  # type: ignore[index]
        assert len(set(keys)) == len(keys)
        for menu in menus:
            assert isinstance(menu, QMenu)
            texts = [a.text() for a in menu.actions() if not a.isSeparator()]
            assert all("&" in text for text in texts), texts
        for button in (window.start.start_button, window.start.open_button,
                       window.start.sample_button):
            assert "&" in button.text()


@pytest.mark.qt_log_ignore("This plugin does not support")   # the offscreen platform
def test_alt_f_opens_the_file_menu(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(window.file_menu.isVisible)
    qtbot.keyClick(window.file_menu, Qt.Key.Key_Escape)


def test_the_task_list_shows_where_the_keyboard_is(qtbot: QtBot, window: MainWindow) -> None:
    window.new_application("national")
    elsewhere = window.pages["region"].continue_button  # type: ignore[attr-defined]
    elsewhere.setFocus()
    qtbot.waitUntil(elsewhere.hasFocus)
    without: QImage = window.tasks.grab().toImage()
    window.tasks.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(window.tasks.hasFocus)
    with_focus: QImage = window.tasks.grab().toImage()
    assert without != with_focus
    # and it moves between steps with the arrow keys
    qtbot.keyClick(window.tasks, Qt.Key.Key_Down)
    assert window.page_stack.currentWidget() is window.pages["eligibility"]


def _clipped(root: QWidget) -> list[str]:
    """Labels and buttons whose text does not fit the space they were given."""
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or w.width() <= 0:
            continue
        if isinstance(w, QLabel) and w.text() and w.pixmap().isNull():
            if w.wordWrap():
                if w.heightForWidth(w.width()) > w.height() + 1:
                    out.append(f"label (wrapped) {w.text()[:40]!r} {w.size().toTuple()}")
            elif w.sizeHint().width() > w.width() + 1:
                out.append(f"label {w.text()[:40]!r} {w.sizeHint().width()} > {w.width()}")
        elif isinstance(w, QAbstractButton) and w.text():
            if w.sizeHint().width() > w.width() + 1:
                out.append(f"button {w.text()[:40]!r} {w.sizeHint().width()} > {w.width()}")
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_at_200_percent_nothing_scrolls_sideways_or_is_cut(qtbot: QtBot, window: MainWindow,
                                                           lang: str) -> None:
    window.set_language(lang)
    window.resize(*SCREEN_AT_200)
    QApplication.processEvents()
    assert window.width() <= SCREEN_AT_200[0], window.minimumSizeHint()
    assert not _clipped(window.start)
    click(qtbot, window.start.sample_button)   # the start screen's sample
    for task in TASKS:
        window.go(task)
        page = window.pages[task]
        qtbot.waitUntil(page.isVisible)
        # the layout settles after the page's redraws: wait for it, then judge
        try:
            qtbot.waitUntil(lambda p=page: not _clipped(p), timeout=3000)
        except AssertionError:
            pass
        assert not page.horizontalScrollBar().isVisible(), task
        assert not _clipped(page), (task, _clipped(page))
        assert not _clipped(window.tasks), _clipped(window.tasks)


def test_a_material_shows_the_name_of_the_file_the_person_chose(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window.new_application("national")
    window.session.set_value("scheme.scheme", "resident")
    window.go("materials")
    page = window.pages["materials"]
    chosen = save(portrait_photo(600), tmp_path / "我的证件照.jpg")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *_a, **_k: ([str(chosen)], ""))
    slot = page.slots["photo"]  # type: ignore[attr-defined]
    page.ensureWidgetVisible(slot.buttons["add"])
    qtbot.mouseClick(slot.buttons["add"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: slot.list.count() == 1 and not slot.list.item(0).text()
                    .startswith("…"), timeout=60000)
    stored = window.session.app.materials[0].file
    text = slot.list.item(0).text()
    assert "我的证件照.jpg" in text and Path(stored).name not in text
    # and the name survives a save and a reopen
    window.files._save_to(tmp_path / "a.yibao")
    assert window.files.open_file(tmp_path / "a.yibao")
    assert window.session.app.materials[0].original_name == "我的证件照.jpg"
