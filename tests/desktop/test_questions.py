"""The question pages as a person drives them: typing, leaving a field, Continue, radio
buttons by mouse and arrow keys, Change links from the check-answers page."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.mainwindow import MainWindow
from desktop.pages.question import QuestionPage
from tests.desktop.driving import click, click_task

pytestmark = pytest.mark.x11  # keyboard focus and shortcuts: see make test


def page(window: MainWindow, name: str) -> QuestionPage:
    found = window.pages[name]
    assert isinstance(found, QuestionPage)
    return found


def line_of(p: QuestionPage, path: str) -> QLineEdit:
    widget = p.inputs[path].widget
    assert isinstance(widget, QLineEdit)
    return widget


def click_and_type(qtbot: QtBot, p: QuestionPage, path: str, text: str) -> QLineEdit:
    line = line_of(p, path)
    p.ensureWidgetVisible(line)
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    line.selectAll()
    qtbot.keyClicks(line, text)
    return line


def press_continue(qtbot: QtBot, p: QuestionPage) -> None:
    p.ensureWidgetVisible(p.continue_button)
    qtbot.mouseClick(p.continue_button, Qt.MouseButton.LeftButton)


def test_an_impossible_date_is_kept_as_typed_and_named_on_continue(
        qtbot: QtBot, window: MainWindow) -> None:
    window.new_application("national")
    window.go("personal")
    personal = page(window, "personal")
    until = click_and_type(qtbot, personal, "applicant.id_valid_until", "2027-04-31")
    # editing another field re-runs the rules and redraws the page
    with qtbot.waitSignal(window.session.checked, timeout=5000):
        click_and_type(qtbot, personal, "applicant.name", "Zhang San")
        qtbot.keyClick(line_of(personal, "applicant.name"), Qt.Key.Key_Tab)
    assert until.text() == "2027-04-31"                      # never rolled over
    assert window.session.app.applicant.id_valid_until is None
    assert not personal.errors["applicant.id_valid_until"].isVisible()   # not while typing
    press_continue(qtbot, personal)
    error = personal.errors["applicant.id_valid_until"]
    assert error.isVisible() and error.text() == "证件有效期止：4月没有31日"
    assert "证件有效期止：4月没有31日" in personal.summary_list.text()
    assert until.text() == "2027-04-31"


def test_a_leap_day_in_a_common_year_says_so_in_english(qtbot: QtBot,
                                                       window: MainWindow) -> None:
    window.set_language("en")
    window.new_application("national")
    window.go("residence")
    residence = page(window, "residence")
    assert line_of(residence, "residence.living_since").placeholderText() == "YYYY-MM-DD"
    click_and_type(qtbot, residence, "residence.living_since", "2027-02-29")
    press_continue(qtbot, residence)
    assert residence.errors["residence.living_since"].text() == (
        "Living here since: 2027 is not a leap year, so February has no day 29")
    click_and_type(qtbot, residence, "residence.living_since", "2027-04-31")
    press_continue(qtbot, residence)
    assert residence.errors["residence.living_since"].text() == (
        "Living here since: April has no day 31")


def test_a_corrected_date_clears_its_error_without_moving_the_page(
        qtbot: QtBot, window: MainWindow) -> None:
    window.new_application("national")
    window.go("personal")
    personal = page(window, "personal")
    click_and_type(qtbot, personal, "applicant.id_valid_from", "2020-02-30")
    press_continue(qtbot, personal)
    error = personal.errors["applicant.id_valid_from"]
    assert error.isVisible()
    below = personal.labels["applicant.id_valid_until"]
    QApplication.processEvents()   # let the layout place what Continue showed
    before = below.mapTo(personal.widget(), below.rect().topLeft())
    with qtbot.waitSignal(window.session.checked, timeout=5000):
        click_and_type(qtbot, personal, "applicant.id_valid_from", "2020-02-28")
        qtbot.keyClick(line_of(personal, "applicant.id_valid_from"), Qt.Key.Key_Tab)
    assert window.session.app.applicant.id_valid_from == dt.date(2020, 2, 28)
    qtbot.waitUntil(lambda: not error.isVisible())              # no stale red error
    QApplication.processEvents()
    assert below.mapTo(personal.widget(), below.rect().topLeft()) == before


def test_choices_are_radio_buttons_by_mouse_and_arrow_keys(qtbot: QtBot,
                                                          window: MainWindow) -> None:
    window.new_application("national")
    window.go("eligibility")
    elig = page(window, "eligibility")
    radios = elig.inputs["employment.situation"].radios
    employer = elig.inputs["employment.employer"]
    qtbot.mouseClick(radios["employed"], Qt.MouseButton.LeftButton)
    assert window.session.app.employment.situation == "employed"
    assert employer.isVisible()
    qtbot.mouseClick(radios["student"], Qt.MouseButton.LeftButton)
    assert window.session.app.employment.situation == "student"
    assert not employer.isVisible()                       # a student names no employer
    assert radios["student"].hasFocus()
    qtbot.keyClick(radios["student"], Qt.Key.Key_Down)
    # the arrow moves the visible choice with the focus, never silently
    assert radios["preschool_child"].hasFocus() and radios["preschool_child"].isChecked()
    assert window.session.app.employment.situation == "preschool_child"
    qtbot.keyClick(radios["preschool_child"], Qt.Key.Key_Up)
    assert radios["student"].isChecked()
    assert window.session.app.employment.situation == "student"


def test_resident_insurance_asks_no_contribution_base(qtbot: QtBot,
                                                      window: MainWindow) -> None:
    window.new_application("beijing")
    window.go("region")
    region = page(window, "region")
    base = region.inputs["scheme.contribution_base"]
    qtbot.mouseClick(region.inputs["scheme.scheme"].radios["flexible"],
                     Qt.MouseButton.LeftButton)
    assert base.isVisible() and region.labels["scheme.contribution_base"].isVisible()
    qtbot.mouseClick(region.inputs["scheme.scheme"].radios["resident"],
                     Qt.MouseButton.LeftButton)
    assert not base.isVisible() and not region.labels["scheme.contribution_base"].isVisible()
    assert "scheme.contribution_base" not in region.paths


def test_check_answers_lists_only_what_was_asked(qtbot: QtBot, window: MainWindow) -> None:
    """The sample enrols in resident insurance: its check-answers page has no "contribution
    base: not provided" row; choosing the flexible route brings the row back."""
    click(qtbot, window.start.sample_button)
    review = window.pages["review"]
    label = window.translate("field.scheme.contribution_base")

    def listed() -> bool:
        return any(b.accessibleName().endswith(" " + label)
                   for b in review.findChildren(QPushButton))

    assert window.page_stack.currentWidget() is review and not listed()
    click_task(qtbot, window, "region")
    click(qtbot, page(window, "region").inputs["scheme.scheme"].radios["flexible"])
    click_task(qtbot, window, "review")
    qtbot.waitUntil(listed)


def change_link(qtbot: QtBot, window: MainWindow, path: str) -> QPushButton:
    review = window.pages["review"]
    label = window.translate(f"field.{path}")

    def visible() -> list[QPushButton]:
        return [b for b in review.findChildren(QPushButton)
                if b.accessibleName().endswith(" " + label) and b.isVisible()]

    qtbot.waitUntil(lambda: len(visible()) == 1)
    link = visible()[0]
    review.ensureWidgetVisible(link)
    return link


def test_change_links_focus_the_exact_field_and_continue_returns(
        qtbot: QtBot, window: MainWindow) -> None:
    click(qtbot, window.start.sample_button)   # the start screen's sample
    assert window.page_stack.currentWidget() is window.pages["review"]
    personal = page(window, "personal")
    for path in ("applicant.id_valid_until", "applicant.ethnicity", "applicant.id_valid_from"):
        window.go("review")
        link = change_link(qtbot, window, path)
        qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
        assert window.page_stack.currentWidget() is personal
        assert line_of(personal, path).hasFocus(), path
    press_continue(qtbot, personal)
    assert window.page_stack.currentWidget() is window.pages["review"]
    # a radio answer: the chosen radio button has the focus
    link = change_link(qtbot, window, "employment.situation")
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    chosen = page(window, "eligibility").inputs["employment.situation"]
    situation = window.session.app.employment.situation
    assert situation is not None and chosen.radios[situation].hasFocus()


def test_the_error_summary_names_the_field(qtbot: QtBot, window: MainWindow) -> None:
    window.new_application("national")
    window.go("contact")
    contact = page(window, "contact")
    press_continue(qtbot, contact)
    assert "移动电话" in contact.summary_list.text()
    click_and_type(qtbot, contact, "contact.email", "x@")
    press_continue(qtbot, contact)
    for path, text in contact.problems():
        assert window.translate(f"field.{path}") in contact.named(path, text)


def test_chinese_from_an_input_method_is_committed_on_leaving(qtbot: QtBot,
                                                              window: MainWindow) -> None:
    window.new_application("national")
    window.go("personal")
    personal = page(window, "personal")
    name = line_of(personal, "applicant.name")
    qtbot.mouseClick(name, Qt.MouseButton.LeftButton)
    for syllable in ("王", "小明"):          # a pinyin IME commits a few characters at a time
        event = QInputMethodEvent()
        event.setCommitString(syllable)
        QApplication.sendEvent(name, event)
    assert name.text() == "王小明" and window.session.app.applicant.name is None
    with qtbot.waitSignal(window.session.changed, timeout=5000):
        qtbot.keyClick(name, Qt.Key.Key_Tab)
    assert window.session.app.applicant.name == "王小明"
    window.undo_action.trigger()              # one undoable step, not one per syllable
    assert window.session.app.applicant.name is None and name.text() == ""
