"""The app shows what the materials show, as the command line does: the same finding
codes, ✗ in the task list, the findings on the check-answers page, and an export that is
refused (no PDF) until the problems are fixed or a draft is asked for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from cli import main
from desktop.mainwindow import MainWindow
from desktop.vocabulary import TASKS
from forms.messages import render_finding
from tests.conftest import TODAY
from tests.support.scenarios import SCENARIOS, build

MATERIALS = TASKS.index("materials")


def _open_via_menu(window: MainWindow, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.actions_by_key["ui.menu.open"].trigger()   # File → Open…


def _settled(window: MainWindow) -> bool:
    """Every file analysed and the verdict redone since."""
    s = window.session
    return not s.processor.pending and not any(
        f.code == "material.checking" for f in s.result.findings)


def _click_task(qtbot: QtBot, window: MainWindow, task: str) -> None:
    item = window.tasks.item(TASKS.index(task))
    rect = window.tasks.visualItemRect(item)
    qtbot.mouseClick(window.tasks.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _cli_codes(app: Path, capsys: pytest.CaptureFixture[str]) -> set[tuple[str, str | None]]:
    main(["check", str(app), "--on", TODAY.isoformat(), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return {(f["code"], f["field"]) for f in report["findings"] if f["severity"] != "info"}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_app_reports_what_the_materials_show(
        name: str, qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    app = build(name, tmp_path)
    codes = SCENARIOS[name][2]
    _open_via_menu(window, app, monkeypatch)
    task_text = window.tasks.item(MATERIALS).text
    assert task_text().startswith("…"), task_text()   # checking, never a tick meanwhile
    qtbot.waitUntil(lambda: _settled(window), timeout=180000)
    qtbot.waitUntil(lambda: task_text().startswith("✗"), timeout=10000)

    session = window.session
    found = {(f.code, f.field) for f in session.result.findings if f.severity != "info"}
    assert codes <= {c for c, _ in found}
    assert {c for c, _ in found} == {c for c, _ in _cli_codes(app, capsys)}  # one verdict

    review = window.pages["review"]
    assert review.isVisible()      # opening a file lands on the check-answers page
    qtbot.waitUntil(lambda: all(
        render_finding(f, "zh", session.profile) in review.findings.text()  # type: ignore[attr-defined]
        for f in session.result.findings if f.code in codes), timeout=10000)
    # and each file's own row on check answers names what its analysis found
    rows = [w.text() for w in review.grid_host.findChildren(QLabel)]  # type: ignore[attr-defined]
    for m in session.app.materials:
        for f in session.findings_of_file(m.file):
            if f.severity != "info":
                text = render_finding(f, "zh", session.profile)
                assert any(text in r for r in rows), text

    _click_task(qtbot, window, "export")
    export = window.pages["export"]
    assert export.isVisible() and export.draft.isVisible()  # type: ignore[attr-defined]
    assert not export.draft.isChecked()  # type: ignore[attr-defined]
    dest = tmp_path / "packet.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    qtbot.mouseClick(export.export_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.translate("ui.export.not_ready")
                    in export.status.text(), timeout=120000)  # type: ignore[attr-defined]
    assert not dest.exists()


def test_a_saved_file_brings_its_analyses_back(qtbot: QtBot, window: MainWindow,
                                                tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                in_process_analysis: None) -> None:
    """Opening a saved .yibao shows the verdict without reading the cards again."""
    app = build("two_face", tmp_path)
    _open_via_menu(window, app, monkeypatch)
    qtbot.waitUntil(lambda: _settled(window), timeout=180000)
    dest = tmp_path / "saved.yibao"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(dest), ""))
    window.actions_by_key["ui.menu.save_as"].trigger()
    assert dest.is_file()

    from forms.analysis import reading as reader

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("read again although the saved file holds the analysis")

    monkeypatch.setattr(reader, "read_image", refuse)
    _open_via_menu(window, dest, monkeypatch)
    qtbot.waitUntil(lambda: _settled(window), timeout=180000)
    qtbot.waitUntil(lambda: window.tasks.item(MATERIALS).text().startswith("✗"),
                    timeout=10000)
    assert "photo.many_faces" in {f.code for f in window.session.result.findings}


def test_a_newer_request_for_a_file_supersedes_an_older_one(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user rotates a card while its first analysis is still running: the slow, stale
    result must not overwrite the new one, and a failure is said, never a tick."""
    import threading
    from types import SimpleNamespace

    from desktop import processing, tasks
    from forms.analysis.model import Analysis, setup_of
    from forms.application import Material

    release = threading.Event()

    def work(m: Material, _base: Path, _known: object) -> tuple[object, Analysis]:
        if m.rotate == 0:
            release.wait(30)           # the first request is slow
        if m.rotate == 270:
            raise RuntimeError("a fault in a pipeline")
        return SimpleNamespace(rotate=m.rotate), Analysis(
            sha256="a" * 64, version=1, setup=setup_of(m), kind=m.kind)

    monkeypatch.setattr(processing, "_work", work)
    proc = processing.MaterialProcessor()
    first = Material(kind="id_card_front", file="materials/f.jpg")
    proc.sync([first], tmp_path)
    turned = first.model_copy(update={"rotate": 90})
    with qtbot.waitSignal(proc.analysed, timeout=30000):
        proc.sync([turned], tmp_path)
    assert proc.shown[first.file].rotate == 90          # type: ignore[attr-defined]
    release.set()                                       # the stale result arrives now
    qtbot.waitUntil(lambda: not tasks._running, timeout=30000)  # ... and is delivered
    assert proc.shown[first.file].rotate == 90          # type: ignore[attr-defined]
    assert proc.analyses[first.file].setup == setup_of(turned)

    broken = first.model_copy(update={"rotate": 270})
    with qtbot.waitSignal(proc.analysed, timeout=30000):
        proc.sync([broken], tmp_path)
    assert first.file in proc.failed and first.file not in proc.analyses


def test_the_app_leaves_its_analyses_where_the_command_line_finds_them(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    app = build("swapped_side", tmp_path, shipped=False)
    _open_via_menu(window, app, monkeypatch)
    qtbot.waitUntil(lambda: _settled(window), timeout=180000)

    import forms.analysis.compute as compute

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the command line analysed again")

    monkeypatch.setattr(compute, "analyse", refuse)
    app_codes = {(f.code, f.field) for f in window.session.result.findings
                 if f.severity != "info"}
    assert _cli_codes(app, capsys) == app_codes
