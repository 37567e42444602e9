"""The start screen's list of recent applicants, as a service point's desk uses it: saved
files appear with the ID's last four only, search finds a person by name or by the last
digits read off their card, a vanished file shows as missing, Remove keeps the file, and
a damaged or hostile list is set aside with a message and rebuilt."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot
from stdnum.cn import ric

from desktop.mainwindow import MainWindow
from desktop.recent import FILE_NAME
from desktop.settings import Settings
from forms import storage
from forms.application import Application
from tests.conftest import SAMPLES
from tests.desktop.conftest import make_window, show_active
from tests.desktop.driving import answer_save, click, type_text
from tests.support.shipped import shipped_beside

SAMPLE = SAMPLES / "complete"


def valid_id(prefix17: str) -> str:
    return prefix17 + ric.calc_check_digit(prefix17)


def saved_file(folder: Path, name: str, number: str, stem: str,
               members: tuple[str, ...] = ()) -> Path:
    """A real .yibao of another person (the sample's answers, another name and number),
    with the family members named."""
    raw = json.loads((SAMPLE / "application.json").read_text(encoding="utf-8"))
    raw["applicant"].update(name=name, id_number=number)
    raw["members"] = [{"id": f"m{i}", "relation": "child", "applicant": {"name": m}}
                      for i, m in enumerate(members, start=1)]
    app = Application.model_validate(raw)
    dest = folder / f"{stem}.yibao"
    storage.save(app, SAMPLE, dest, analyses=shipped_beside(SAMPLE / "application.json"))
    return dest


def rows(window: MainWindow) -> list[list[str]]:
    table = window.start.recent.table
    return [[table.topLevelItem(i).text(c) for c in range(table.columnCount())]
            for i in range(table.topLevelItemCount())]


def open_row(qtbot: QtBot, win: MainWindow, path: Path) -> None:
    """Click the file's row, then Open; then close it again (Ctrl+W)."""
    table = win.start.recent.table
    item = next(table.topLevelItem(i) for i in range(table.topLevelItemCount())
                if table.topLevelItem(i).text(5) == str(path))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualItemRect(item).center())
    click(qtbot, win.start.recent.open_button)
    assert win.stack.currentIndex() == 1 and win.session.path == path
    qtbot.keyClick(win, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert win.stack.currentIndex() == 0


def window_with(qtbot: QtBot, tmp_path: Path, paths: list[Path], lang: str = "zh"
                ) -> MainWindow:
    """A window whose app already knew these saved files (File → Open recent)."""
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings = Settings(store)
    for p in reversed(paths):
        settings.add_recent(str(p))
    store.sync()
    win = make_window(tmp_path, lang)
    show_active(qtbot, win)
    return win


def test_a_saved_applicant_is_listed_with_only_the_last_four(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, data_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    click(qtbot, window.start.sample_button)
    qtbot.waitUntil(lambda: not window.session.processor.pending
                    and len(window.session.processor.analyses) == 4, timeout=60000)
    dest = tmp_path / "li.yibao"
    answer_save(monkeypatch, dest)
    qtbot.keyClick(window, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert dest.is_file()
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)  # saved: no question
    assert window.stack.currentIndex() == 0
    [row] = rows(window)
    name, id_tail, city, status, changed, file = row
    assert (name, id_tail, file) == ("李文静", "****0262", str(dest))
    assert city.startswith("北京")
    assert status == "✓ 已完成" and changed
    listed = data_dir / FILE_NAME
    assert listed.stat().st_mode & 0o777 == 0o600
    text = listed.read_text(encoding="utf-8")
    assert "410102199203080262" not in text and "41010219920308" not in text
    assert not re.search(r"\d{5,}", text.replace(str(dest), ""))   # no longer digit run
    assert len(text) < 2000   # names and places only: no pictures


def test_search_by_name_or_the_last_digits_of_the_card(qtbot: QtBot, tmp_path: Path) -> None:
    wang = valid_id("11010519900101123")
    zhao = valid_id("44030519850615456")
    files = [saved_file(tmp_path, "王小明", wang, "wang"),
             saved_file(tmp_path, "赵丽", zhao, "zhao"),
             saved_file(tmp_path, "王芳", valid_id("32010219781111789"), "wangfang",
                        members=("王小雨", "王小宝"))]
    win = window_with(qtbot, tmp_path, files)
    for f in files:    # each opened once at the desk
        open_row(qtbot, win, f)
    assert {r[0] for r in rows(win)} == {"王小明", "赵丽", "王芳 等 3 人"}   # a family of 3
    search = win.start.recent.search
    type_text(qtbot, search, "王")
    assert sorted(r[0] for r in rows(win)) == ["王小明", "王芳 等 3 人"]
    type_text(qtbot, search, zhao[-4:])               # the last digits
    assert [r[0] for r in rows(win)] == ["赵丽"]
    type_text(qtbot, search, "****" + wang[-4:])      # as the list shows it
    assert [r[0] for r in rows(win)] == ["王小明"]
    type_text(qtbot, search, zhao)                    # the whole number, read off the card
    assert [r[0] for r in rows(win)] == ["赵丽"]
    type_text(qtbot, search, "李")
    assert rows(win) == [] and win.start.recent.empty.isVisible()
    type_text(qtbot, search, "赵")
    search.setFocus()
    qtbot.keyClick(search, Qt.Key.Key_Return)          # one left: Enter opens it
    assert win.stack.currentIndex() == 1
    assert win.session.app.applicant.name == "赵丽" and win.session.path == files[1]


def test_a_vanished_file_is_shown_missing_and_remove_keeps_the_file(
        qtbot: QtBot, tmp_path: Path, data_dir: Path) -> None:
    keep = saved_file(tmp_path, "王小明", valid_id("11010519900101123"), "wang")
    gone = saved_file(tmp_path, "赵丽", valid_id("44030519850615456"), "zhao")
    win = window_with(qtbot, tmp_path, [keep, gone], lang="en")
    for f in (keep, gone):
        open_row(qtbot, win, f)
    gone.unlink()
    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # back at the start
    by_name = {r[0]: r for r in rows(win)}
    assert by_name["赵丽"][3] == "File missing"
    # (the sample's cards show another name: once read, that is a problem)
    assert by_name["王小明"][3] in ("… Checking…", "✗ There is a problem")
    table = win.start.recent.table
    row = next(i for i in range(table.topLevelItemCount())
               if table.topLevelItem(i).text(0) == "王小明")
    table.setFocus()
    table.setCurrentItem(table.topLevelItem(row))
    click(qtbot, win.start.recent.remove_button)
    assert [r[0] for r in rows(win)] == ["赵丽"]
    assert keep.is_file()                               # off the list, not deleted
    assert str(keep) not in (data_dir / FILE_NAME).read_text(encoding="utf-8")
    assert str(keep) not in win.settings.recent()
    qtbot.keyClick(table, Qt.Key.Key_Delete)            # the key does the same
    assert rows(win) == [] and gone.name not in (data_dir / FILE_NAME).read_text("utf-8")


def _hostile(kind: str, listed: Path, full_id: str) -> None:
    if kind == "garbage":
        listed.write_bytes(os.urandom(3000))
    elif kind == "full_id":      # well-formed, but a list must never hold a whole number
        listed.write_text(json.dumps({"version": 1, "entries": [
            {"path": "/tmp/x.yibao", "name": "王", "id_tail": full_id}]}), encoding="utf-8")
    elif kind == "deep":
        listed.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    elif kind == "huge":
        listed.write_text(json.dumps({"version": 1, "entries": [], "pad": "x" * 600_000}))
    elif kind == "zoned":        # a time with a zone would break sorting by time
        listed.write_text(json.dumps({"version": 1, "entries": [
            {"path": "/a.yibao", "changed": "2026-01-01T10:00:00+08:00"},
            {"path": "/b.yibao", "changed": "2026-01-01T10:00:00"}]}), encoding="utf-8")
    elif kind == "link":
        target = listed.parent / "elsewhere.json"
        target.write_text('{"version": 1, "entries": []}', encoding="utf-8")
        listed.symlink_to(target)


@pytest.mark.parametrize("kind", ["garbage", "full_id", "deep", "huge", "zoned", "link"])
def test_a_damaged_or_hostile_list_is_set_aside_with_a_message_and_rebuilt(
        qtbot: QtBot, tmp_path: Path, data_dir: Path, kind: str) -> None:
    known = saved_file(tmp_path, "王小明", valid_id("11010519900101123"), "wang")
    data_dir.mkdir(parents=True, exist_ok=True)
    listed = data_dir / FILE_NAME
    full_id = valid_id("11010519491231002")
    _hostile(kind, listed, full_id)
    win = window_with(qtbot, tmp_path, [known])
    notice = win.start.recent.notice
    assert notice.isVisible() and "重新建立" in notice.text()
    assert [r[5] for r in rows(win)] == [str(known)]   # rebuilt from the files the app knows
    assert not listed.is_symlink() and listed.stat().st_mode & 0o777 == 0o600
    assert full_id not in listed.read_text(encoding="utf-8")
    json.loads(listed.read_text(encoding="utf-8"))
