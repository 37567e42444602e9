"""Reading the card in the app: a confirmation pre-filled from a dropped photo, and a
mismatch after a deliberate typo."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.mainwindow import MainWindow
from desktop.pages.question import QuestionPage
from tests.desktop.driving import answer_open_files, click, click_task, drop_files
from tests.forms.imaging_support import PERSON, card_photo, save


def _text(widget: object) -> str:
    text = getattr(widget, "text", None)
    return text() if callable(text) else ""


def test_dropping_a_card_offers_its_details_and_flags_a_typo(qtbot: QtBot, window: MainWindow,
                                                             tmp_path: Path) -> None:
    window.new_application("national")
    window.session.set_value("scheme.scheme", "resident")
    click_task(qtbot, window, "materials")
    page = window.pages["materials"]
    photo = save(card_photo(12, frame=(2400, 1800), fill=0.7)[0], tmp_path / "front.jpg")
    drop_files(page.slots["id_card_front"], [photo])  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.read_dialog is not None  # type: ignore[attr-defined]
                    and page.read_dialog.isVisible(), timeout=60000)  # type: ignore[attr-defined]
    dialog = page.read_dialog  # type: ignore[attr-defined]
    offered = {path: value for path, (_box, value) in dialog.boxes.items()}
    assert offered["applicant.name"] == PERSON.name
    assert offered["applicant.id_number"] == PERSON.id_number
    assert str(offered["applicant.birth_date"]) == "1988-08-08"
    dialog.boxes["hukou.address"][0].setChecked(False)   # the user may leave some out
    dialog.accept()
    app = window.session.app
    assert app.applicant.name == PERSON.name and app.applicant.id_number == PERSON.id_number
    assert app.hukou.address is None
    taken = {p for p, (box, _v) in dialog.boxes.items() if box.isChecked()}
    personal = window.pages["personal"]
    assert isinstance(personal, QuestionPage)
    shown = {p: personal.inputs[p].widget for p in ("applicant.name", "applicant.id_number")}
    # Taking the card's details is one ordinary edit: one undo takes all of it back,
    # in the model and on the page that shows it; one redo puts it all back.
    window.undo_action.trigger()
    window.go("personal")
    app = window.session.app
    assert app.applicant.name is None and app.applicant.id_number is None
    assert app.applicant.birth_date is None
    assert all(window.session.value(p) in (None, "") for p in taken
               if p != "applicant.nationality"), taken
    assert all(_text(w) == "" for w in shown.values())
    window.redo_action.trigger()
    app = window.session.app
    assert app.applicant.name == PERSON.name and app.applicant.id_number == PERSON.id_number
    assert str(app.applicant.birth_date) == "1988-08-08" and app.hukou.address is None
    assert _text(shown["applicant.name"]) == PERSON.name
    assert _text(shown["applicant.id_number"]) == PERSON.id_number

    window.session.set_value("applicant.name", "王小名")   # a deliberate typo
    window.go("materials")
    slot = page.slots["id_card_front"]  # type: ignore[attr-defined]
    slot.list.setCurrentRow(0)
    assert "王小名" in slot.details.text() and PERSON.name in slot.details.text()
    assert slot.list.item(0).text().startswith("✗")   # a confident reading: an error


def test_without_the_engine_the_slot_says_reading_is_unavailable(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch,  # type: ignore[no-untyped-def]
        in_process_analysis: None) -> None:
    from forms.ocr import engine

    monkeypatch.setattr(engine, "_engine", None)
    monkeypatch.setattr(engine, "_failure", "ImportError: no onnxruntime")
    window.new_application("national")
    window.session.set_value("scheme.scheme", "resident")
    click_task(qtbot, window, "materials")
    page = window.pages["materials"]
    card = save(card_photo(12)[0], tmp_path / "f.jpg")
    answer_open_files(monkeypatch, lambda: [card])
    click(qtbot, page.slots["id_card_front"].buttons["add"])  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: any(m.file in page.cache  # type: ignore[attr-defined]
                                for m in window.session.app.materials), timeout=60000)
    window.go("materials")
    slot = page.slots["id_card_front"]  # type: ignore[attr-defined]
    slot.list.setCurrentRow(0)
    assert window.translate("ui.ocr.unavailable") in slot.details.text()
    assert page.read_dialog is None  # type: ignore[attr-defined]
