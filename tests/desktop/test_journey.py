"""The whole journey as a person drives it, from the start screen to the printed packet:
only clicks, keys (an input-method commit for Chinese) and answers to the system's file
and print dialogs. No page method is called to act. The cards are drawn for the person
typed, so the verdict is clean and every task ends with a tick; the English variant first
exports a draft without the ID card's back, then adds it and exports again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from desktop.mainwindow import MainWindow
from desktop.pages.export import ExportPage
from desktop.pages.question import QuestionPage
from desktop.vocabulary import TASKS
from forms.messages import t
from tests.desktop.conftest import make_window
from tests.desktop.driving import (
    answer_open_files,
    answer_print,
    answer_save,
    click,
    click_task,
    pick,
    task_marks,
    type_text,
)
from tests.forms.imaging_support import PERSON, card_photo, portrait_photo, save
from tests.packet.pdfread import placed_images
from tests.support import synthetic

PERMIT = "110108202500001234"
TASKS_MATERIALS = TASKS.index("materials")


def _type(qtbot: QtBot, page: QuestionPage, path: str, text: str) -> None:
    type_text(qtbot, page.inputs[path].widget, text)


def _choose(qtbot: QtBot, page: QuestionPage, path: str, value: str) -> None:
    radio = page.inputs[path].radios[value]
    click(qtbot, radio)
    assert radio.isChecked()


def _settled(window: MainWindow) -> bool:
    s = window.session
    return not s.processor.pending and not any(
        f.code == "material.checking" for f in s.result.findings)


def _images(folder: Path) -> dict[str, Path]:
    """Phone photos of the person's own cards and a portrait, drawn by code."""
    folder.mkdir()
    permit = synthetic.residence_permit(PERSON, PERMIT, "北京市",
                                        dt.date(2031, 1, 1)).resize((1600, 1009))
    return {
        "id_card_front": save(card_photo(1, frame=(2400, 1800), fill=0.7)[0],
                              folder / "front.jpg"),
        "id_card_back": save(card_photo(2, frame=(2400, 1800), fill=0.7, side="back")[0],
                             folder / "back.jpg"),
        "residence_permit": save(permit, folder / "permit.png", "PNG"),
        "photo": save(portrait_photo(1400), folder / "me.jpg"),
    }


def _answer_questions(qtbot: QtBot, window: MainWindow) -> None:
    region = window.pages["region"]
    assert isinstance(region, QuestionPage) and region.isVisible()
    _choose(qtbot, region, "scheme.scheme", "resident")
    _type(qtbot, region, "scheme.start_date", "2027-01-01")
    click(qtbot, region.continue_button)

    elig = window.pages["eligibility"]
    assert isinstance(elig, QuestionPage) and elig.isVisible()
    _choose(qtbot, elig, "employment.situation", "platform_worker")
    click(qtbot, elig.continue_button)

    personal = window.pages["personal"]
    assert isinstance(personal, QuestionPage) and personal.isVisible()
    _type(qtbot, personal, "applicant.id_number", "510107198808081235")  # one digit off
    _type(qtbot, personal, "applicant.name", PERSON.name)
    _type(qtbot, personal, "applicant.ethnicity", "汉")
    _type(qtbot, personal, "applicant.id_valid_until", "2040-06-01")
    click(qtbot, personal.continue_button)
    # The problem is summarised at the top and said under its field; the page stays.
    assert personal.isVisible() and personal.summary.isVisible()
    assert personal.errors["applicant.id_number"].isVisible()
    assert task_marks(window)[2] == "✗"
    _type(qtbot, personal, "applicant.id_number", PERSON.id_number)
    click(qtbot, personal.continue_button)
    assert window.session.app.applicant.birth_date == dt.date(1988, 8, 8)  # from the number
    assert window.session.app.applicant.sex == "male"

    residence = window.pages["residence"]
    assert isinstance(residence, QuestionPage) and residence.isVisible()
    _choose(qtbot, residence, "hukou.type", "urban")
    _type(qtbot, residence, "hukou.region", "四川省成都市武侯区")
    _type(qtbot, residence, "hukou.region_code", "510107")
    _type(qtbot, residence, "hukou.address", PERSON.address)
    _type(qtbot, residence, "residence.city", "北京市")
    _type(qtbot, residence, "residence.address", "北京市海淀区中关村大街1号")
    _type(qtbot, residence, "residence.permit_number", PERMIT)
    _type(qtbot, residence, "residence.permit_valid_until", "2031-01-01")
    click(qtbot, residence.continue_button)

    contact = window.pages["contact"]
    assert isinstance(contact, QuestionPage) and contact.isVisible()
    _type(qtbot, contact, "contact.mobile", "13912345678")
    click(qtbot, contact.continue_button)
    assert window.pages["materials"].isVisible()


def _add(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
         images: dict[str, Path], kinds: list[str]) -> None:
    """Each slot's Add button, the Open dialog answering that slot's file."""
    materials = window.pages["materials"]
    for kind in kinds:
        answer_open_files(monkeypatch, lambda k=kind: [images[k]])
        click(qtbot, materials.slots[kind].buttons["add"])  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda k=kind: any(m.kind == k for m in window.session.app.materials),
                        timeout=30000)
    qtbot.waitUntil(lambda: _settled(window), timeout=180000)


def _export(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
            dest: Path) -> ExportPage:
    page = window.pages["export"]
    assert isinstance(page, ExportPage) and page.isVisible()
    before = page.result
    answer_save(monkeypatch, dest)
    click(qtbot, page.export_button)
    qtbot.waitUntil(lambda: page.result is not before and page.confirmation.isVisible(),
                    timeout=180000)
    assert dest.name in page.written.text() and not page.stale.isVisible()
    return page


def _print(qtbot: QtBot, page: ExportPage, monkeypatch: pytest.MonkeyPatch,
           out: Path) -> list[QPrinter]:
    printers = answer_print(monkeypatch, out)
    click(qtbot, page.print_button)
    return printers


def _start(qtbot: QtBot, window: MainWindow) -> None:
    start = window.start
    assert start.isVisible()
    pick(qtbot, start.region, "beijing")        # arrow keys on the region list
    click(qtbot, start.start_button)
    assert window.session.app.profile_id == "beijing"


def test_the_whole_journey(qtbot: QtBot, window: MainWindow, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    images = _images(tmp_path / "phone")
    _start(qtbot, window)
    _answer_questions(qtbot, window)
    _add(qtbot, window, monkeypatch, images, list(images))
    materials = window.pages["materials"]
    slot = materials.slots["id_card_front"]  # type: ignore[attr-defined]
    assert slot.list.count() == 1 and not slot.list.item(0).icon().isNull()
    assert [f for f in window.session.result.findings if f.severity == "error"] == []
    assert task_marks(window)[TASKS_MATERIALS] == "✓"
    click(qtbot, materials.continue_button)  # type: ignore[attr-defined]

    review = window.pages["review"]
    assert review.isVisible()
    assert task_marks(window)[-2] != "✓"        # looking at the answers is not confirming
    assert PERSON.name in " ".join(w.text() for w in review.grid_host.findChildren(  # type: ignore[attr-defined]
        type(window.start.title)))
    click(qtbot, review.continue_button)  # type: ignore[attr-defined]

    export = window.pages["export"]
    assert isinstance(export, ExportPage) and not export.draft.isVisible()
    assert task_marks(window)[-1] != "✓"        # no packet yet
    dest = tmp_path / "packet.pdf"
    _export(qtbot, window, monkeypatch, dest)
    reader = PdfReader(str(dest))
    text = "".join(p.extract_text() for p in reader.pages)
    assert PERSON.name in text and "草稿" not in text
    cards = [i for i in placed_images(dest) if abs(i.width_mm - 85.6) < 2]
    assert cards and all(abs(c.width_mm - 85.6) <= 0.3 and abs(c.height_mm - 54) <= 0.3
                         for c in cards)
    assert export.pages.count() == len(reader.pages)    # the preview shows every page
    assert t("packet.original_permit", "zh") in export.bring.text()

    printed = tmp_path / "printed.pdf"
    printers = _print(qtbot, export, monkeypatch, printed)
    assert len(printers) == 1 and len(PdfReader(str(printed)).pages) == len(reader.pages)
    assert task_marks(window) == ["✓"] * window.tasks.count()


def test_the_journey_in_english_with_a_draft_first(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(tmp_path, "en")
    window.show()
    qtbot.waitExposed(window)
    images = _images(tmp_path / "phone")
    _start(qtbot, window)
    _answer_questions(qtbot, window)
    _add(qtbot, window, monkeypatch, images, ["id_card_front", "residence_permit",
                                              "photo"])   # the card's back later
    materials = window.pages["materials"]
    assert task_marks(window)[TASKS_MATERIALS] != "✓"
    click(qtbot, materials.continue_button)  # type: ignore[attr-defined]
    click(qtbot, window.pages["review"].continue_button)  # type: ignore[attr-defined]

    export = window.pages["export"]
    assert isinstance(export, ExportPage)
    assert export.problems.isVisible() and export.draft.isVisible()
    click(qtbot, export.draft)
    draft = tmp_path / "draft.pdf"
    _export(qtbot, window, monkeypatch, draft)
    assert "草稿" in "".join(p.extract_text() for p in PdfReader(str(draft)).pages)
    assert t("packet.bring_packet", "en") in export.bring.text()
    printers = _print(qtbot, export, monkeypatch, tmp_path / "draft-printed.pdf")
    assert len(printers) == 1 and (tmp_path / "draft-printed.pdf").exists()
    assert task_marks(window)[-1] != "✓"        # a draft with a problem is no tick

    # The card's back, added from its slot: the draft no longer matches the application.
    click_task(qtbot, window, "materials")
    _add(qtbot, window, monkeypatch, images, ["id_card_back"])
    click(qtbot, window.pages["materials"].continue_button)  # type: ignore[attr-defined]
    click(qtbot, window.pages["review"].continue_button)  # type: ignore[attr-defined]
    assert export.isVisible() and export.stale.isVisible()
    assert not export.draft.isVisible()           # nothing wrong left: no draft offered
    final = tmp_path / "final.pdf"
    _export(qtbot, window, monkeypatch, final)
    reader = PdfReader(str(final))
    pages = len(reader.pages)
    assert "草稿" not in "".join(p.extract_text() for p in reader.pages)  # the tick is gone
    printed = tmp_path / "printed.pdf"
    _print(qtbot, export, monkeypatch, printed)
    assert len(PdfReader(str(printed)).pages) == pages
    assert task_marks(window) == ["✓"] * window.tasks.count()
