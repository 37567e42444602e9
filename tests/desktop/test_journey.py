"""The whole journey driven through the widgets: a new application, every page filled
(a wrong ID number flagged and corrected), materials added from generated images,
answers checked, the packet exported and checked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from desktop.mainwindow import MainWindow
from desktop.pages.question import QuestionPage
from tests.forms.imaging_support import PERSON, card_photo, portrait_photo, save
from tests.packet.pdfread import placed_images
from tests.support import synthetic


def type_into(qtbot: QtBot, page: QuestionPage, path: str, text: str) -> None:
    """Type as a person would: keys for ASCII, an input-method commit for Chinese (which is
    how a pinyin IME delivers it; QTest cannot send those characters as key presses)."""
    widget = page.inputs[path].widget
    assert isinstance(widget, QLineEdit)
    widget.setFocus()
    widget.selectAll()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)   # leaving the field commits what was typed


def choose(qtbot: QtBot, page: QuestionPage, path: str, value: str) -> None:
    radio = page.inputs[path].radios[value]
    page.ensureWidgetVisible(radio)
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton)
    assert radio.isChecked()


def press_continue(qtbot: QtBot, page: QuestionPage) -> None:
    qtbot.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)


@pytest.mark.slow
def test_the_whole_journey(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    # Start screen: a new application for Beijing.
    start = window.start
    start.region.setCurrentIndex(start.region.findData("beijing"))
    qtbot.mouseClick(start.start_button, Qt.MouseButton.LeftButton)
    assert window.session.app.profile_id == "beijing"

    region = window.pages["region"]
    assert isinstance(region, QuestionPage)
    choose(qtbot, region, "scheme.scheme", "resident")
    type_into(qtbot, region, "scheme.start_date", "2027-01-01")
    press_continue(qtbot, region)
    assert window.page_stack.currentWidget() is window.pages["eligibility"]

    elig = window.pages["eligibility"]
    assert isinstance(elig, QuestionPage)
    choose(qtbot, elig, "employment.situation", "platform_worker")
    press_continue(qtbot, elig)

    personal = window.pages["personal"]
    assert isinstance(personal, QuestionPage)
    type_into(qtbot, personal, "applicant.id_number", "510107198808081235")  # one digit off
    type_into(qtbot, personal, "applicant.name", PERSON.name)
    type_into(qtbot, personal, "applicant.ethnicity", "汉")
    type_into(qtbot, personal, "applicant.id_valid_until", "2040-06-01")
    press_continue(qtbot, personal)
    # The problem is summarised at the top, linked to its field, and said under the field.
    assert personal.summary.isVisible()
    assert "校验位" in personal.summary_list.text()
    assert personal.errors["applicant.id_number"].isVisible()
    personal.summary_list.linkActivated.emit("applicant.id_number")
    assert personal.inputs["applicant.id_number"].widget.hasFocus()
    type_into(qtbot, personal, "applicant.id_number", PERSON.id_number)
    # derived from the number: birth date and sex, pre-filled
    qtbot.waitUntil(lambda: window.session.app.applicant.birth_date == dt.date(1988, 8, 8))
    assert window.session.app.applicant.sex == "male"
    press_continue(qtbot, personal)
    assert not personal.summary.isVisible()

    residence = window.pages["residence"]
    assert isinstance(residence, QuestionPage)
    choose(qtbot, residence, "hukou.type", "urban")
    type_into(qtbot, residence, "hukou.region", "四川省成都市武侯区")
    type_into(qtbot, residence, "hukou.region_code", "510107")
    type_into(qtbot, residence, "hukou.address", PERSON.address)
    type_into(qtbot, residence, "residence.city", "北京市")
    type_into(qtbot, residence, "residence.address", "北京市海淀区中关村大街1号")
    type_into(qtbot, residence, "residence.permit_number", "110108202500001234")
    type_into(qtbot, residence, "residence.permit_valid_until", "2031-01-01")
    press_continue(qtbot, residence)

    contact = window.pages["contact"]
    assert isinstance(contact, QuestionPage)
    type_into(qtbot, contact, "contact.mobile", "13912345678")
    press_continue(qtbot, contact)
    assert window.page_stack.currentWidget() is window.pages["materials"]

    # Materials from generated images, processed on worker threads.
    folder = tmp_path / "phone"
    folder.mkdir()
    front = save(card_photo(1, frame=(2400, 1800), fill=0.7)[0], folder / "front.jpg")
    back = save(card_photo(2, frame=(2400, 1800), fill=0.7, side="back")[0], folder / "back.jpg")
    permit_img = synthetic.residence_permit(PERSON, "110108202500001234", "北京市",
                                            dt.date(2031, 1, 1)).resize((1600, 1009))
    permit = save(permit_img, folder / "permit.png", "PNG")
    photo = save(portrait_photo(1400), folder / "me.jpg")
    materials = window.pages["materials"]
    for kind, path in (("id_card_front", front), ("id_card_back", back),
                       ("residence_permit", permit), ("photo", photo)):
        materials.add_files(kind, [path])  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: len(window.session.app.materials) == 4, timeout=30000)
    qtbot.waitUntil(lambda: all(m.file in materials.cache  # type: ignore[attr-defined]
                                for m in window.session.app.materials), timeout=60000)
    slot = materials.slots["id_card_front"]  # type: ignore[attr-defined]
    assert slot.list.count() == 1 and not slot.list.item(0).icon().isNull()
    qtbot.mouseClick(materials.continue_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]

    window.session.recheck()
    errors = [f for f in window.session.result.findings if f.severity == "error"]
    assert errors == []

    review = window.pages["review"]
    assert window.page_stack.currentWidget() is review
    texts = [w.text() for w in review.grid_host.findChildren(type(start.title))]  # type: ignore[attr-defined]
    assert PERSON.name in texts and "未填写" in texts

    export = window.pages["export"]
    dest = tmp_path / "packet.pdf"
    export.export(dest)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: export.result is not None, timeout=60000)  # type: ignore[attr-defined]
    reader = PdfReader(str(dest))
    text = "".join(p.extract_text() for p in reader.pages)
    assert PERSON.name in text and "草稿" not in text
    cards = [i for i in placed_images(dest) if abs(i.width_mm - 85.6) < 2]
    assert cards and all(abs(c.width_mm - 85.6) <= 0.3 and abs(c.height_mm - 54) <= 0.3
                         for c in cards)
    assert export.pages.count() == len(reader.pages)  # type: ignore[attr-defined]
    statuses = [window.tasks.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(window.tasks.count())]
    assert statuses == ["completed"] * len(statuses)
