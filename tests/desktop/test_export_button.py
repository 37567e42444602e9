"""The export page as a person uses it: the Export button makes the packet (its
`clicked(bool)` once reached the page as the destination), every failure says so — the
second as well as the first —, a confirmation on the page says what was written, where
and what to bring, Print opens the system dialog with an A4 printer, and the packet stops
being current the moment the application changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QPageSize
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

import forms.packet.builder
from desktop.mainwindow import MainWindow
from desktop.pages.export import ExportPage
from desktop.pages.question import QuestionPage
from forms.messages import t
from tests.desktop.conftest import make_window
from tests.desktop.driving import (
    answer_print,
    answer_save,
    click,
    click_task,
    task_marks,
    type_text,
    visible_messages,
)
from tests.support.scenarios import build
from tests.support.shipped import copy_sample


def _settled(window: MainWindow) -> bool:
    s = window.session
    return not s.processor.pending and not any(
        f.code == "material.checking" for f in s.result.findings)


def _sample_on_export_page(qtbot: QtBot, window: MainWindow) -> ExportPage:
    click(qtbot, window.start.sample_button)          # the start screen's "try a sample"
    qtbot.waitUntil(lambda: _settled(window), timeout=180000)
    click_task(qtbot, window, "export")
    page = window.pages["export"]
    assert isinstance(page, ExportPage) and page.isVisible()
    return page


def test_a_second_failure_shows_its_message_again(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    page = _sample_on_export_page(qtbot, window)
    answer_save(monkeypatch, tmp_path / "packet.pdf")

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(forms.packet.builder, "build_packet", broken)
    for attempt in range(2):
        click(qtbot, page.export_button)
        qtbot.waitUntil(lambda: len(visible_messages(window)) == 1, timeout=60000)
        box = visible_messages(window)[0]
        assert "RuntimeError" in box.text(), (attempt, box.text())
        click(qtbot, box.button(QMessageBox.StandardButton.Ok))   # the person reads, closes
        qtbot.waitUntil(lambda: not visible_messages(window))
    assert not (tmp_path / "packet.pdf").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_confirms_and_print_opens_the_dialog(
        lang: str, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(tmp_path, lang)
    window.show()
    qtbot.waitExposed(window)
    page = _sample_on_export_page(qtbot, window)
    assert not page.confirmation.isVisible() and not page.print_button.isEnabled()
    saves = answer_save(monkeypatch, tmp_path / "my packet")   # no extension typed
    click(qtbot, page.export_button)
    qtbot.waitUntil(lambda: page.confirmation.isVisible(), timeout=120000)
    dest = tmp_path / "my packet.pdf"
    assert len(saves) == 1 and dest.read_bytes().startswith(b"%PDF")
    pages = len(PdfReader(str(dest)).pages)

    # What was written, where, and what to bring — in the UI's language.
    assert "my packet.pdf" in page.written.text() and str(pages) in page.written.text()
    assert f"{round(dest.stat().st_size / 1024)} KB" in page.written.text()
    assert str(tmp_path) in page.where.text()
    for key in ("packet.original_id", "packet.bring_packet"):
        assert t(key, lang) in page.bring.text()
    assert not page.stale.isVisible()
    assert page.pages.count() == pages                 # the preview, one image a page
    # printed straight from the task list: the packet confirms the answers too
    assert task_marks(window) == ["✓"] * window.tasks.count()

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(opened.append))
    click(qtbot, page.folder_button)
    assert [u.toLocalFile() for u in opened] == [str(tmp_path)]

    printed = tmp_path / "printed.pdf"
    printers = answer_print(monkeypatch, printed)
    click(qtbot, page.print_button)
    assert len(printers) == 1
    assert printers[0].pageLayout().pageSize().id() == QPageSize.PageSizeId.A4
    assert len(PdfReader(str(printed)).pages) == pages

    # A later edit, typed on another page: the packet no longer matches the application.
    click_task(qtbot, window, "contact")
    contact = window.pages["contact"]
    assert isinstance(contact, QuestionPage)
    type_text(qtbot, contact.inputs["contact.mobile"].widget, "13700001111")
    click(qtbot, contact.continue_button)
    assert window.session.app.contact.mobile == "13700001111"
    click_task(qtbot, window, "export")
    assert page.stale.isVisible() and page.stale.text() == window.translate("ui.export.stale")
    assert task_marks(window)[-1] != "✓"


def test_a_draft_is_exported_from_the_button(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = build("wrong_person", tmp_path)
    from PySide6.QtWidgets import QFileDialog
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(app), ""))
    window.actions_by_key["ui.menu.open"].trigger()   # File → Open…
    qtbot.waitUntil(lambda: _settled(window), timeout=180000)
    click_task(qtbot, window, "export")
    page = window.pages["export"]
    assert isinstance(page, ExportPage)
    click(qtbot, page.draft)
    assert page.draft.isChecked()
    answer_save(monkeypatch, tmp_path / "draft.pdf")
    click(qtbot, page.export_button)
    qtbot.waitUntil(lambda: page.confirmation.isVisible(), timeout=120000)
    text = "".join(p.extract_text() for p in PdfReader(str(tmp_path / "draft.pdf")).pages)
    assert "草稿" in text
    assert task_marks(window)[-1] == "✗"     # a draft of a wrong application is no tick


def test_after_the_sample_the_packet_is_not_offered_a_place_inside_the_program(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from forms.paths import resources_dir

    page = _sample_on_export_page(qtbot, window)
    saves = answer_save(monkeypatch, tmp_path / "packet.pdf")
    click(qtbot, page.export_button)
    qtbot.waitUntil(lambda: bool(saves))
    offered = Path(str(saves[0][2])).resolve()
    assert not offered.is_relative_to(resources_dir().resolve()), offered


def test_a_household_can_be_exported_one_packet_per_person(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The household sample: the option shows only for a household; ticked, Export asks for
    a folder and writes one numbered packet per person there."""

    from PySide6.QtWidgets import QFileDialog

    from tests.conftest import SAMPLES

    family = tmp_path / "family"
    copy_sample(SAMPLES / "household", family)
    page = _sample_on_export_page(qtbot, window)         # one person: no such option
    assert not page.per_person.isVisible()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(family / "application.json"), ""))
    from tests.desktop.modals import answering, click_button
    with answering(QMessageBox, click_button("不保存")):
        window.actions_by_key["ui.menu.open"].trigger()   # File → Open…
    qtbot.waitUntil(lambda: _settled(window), timeout=180000)
    click_task(qtbot, window, "export")
    assert page.per_person.isVisible()
    click(qtbot, page.per_person)
    out = tmp_path / "out"
    out.mkdir()
    asked: list[object] = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda *a, **k: asked.append(a) or str(out))
    click(qtbot, page.export_button)
    qtbot.waitUntil(lambda: "4" in page.status.text() and str(out) in page.status.text(),
                    timeout=180000)
    assert asked and sorted(p.name for p in out.iterdir()) == [
        "1-陈志强.pdf", "2-刘芳.pdf", "3-陈雨桐.pdf", "4-陈小宝.pdf"]
    assert "陈小宝" in PdfReader(str(out / "4-陈小宝.pdf")).pages[1].extract_text()
