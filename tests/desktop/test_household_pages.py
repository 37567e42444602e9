"""A parent enrolling the family: the household page lists who is in the file, a member is
added with their relation, their own questions and materials pages take their answers
and cards (a child's materials are what the rules ask of a child), a member is removed
after a question and comes back with Undo, and a new application from the household
takes only what the household shares."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.mainwindow import MainWindow
from desktop.pages.household import AddMemberDialog, HouseholdPage
from desktop.pages.materials import MaterialsPage, Slot
from desktop.pages.member import PARTS, MemberPages
from desktop.pages.question import QuestionPage
from forms.household import person
from forms.rules.materials import slot_kinds
from tests.desktop.conftest import show_active
from tests.desktop.driving import click, drop_files, type_text
from tests.desktop.modals import answering, click_button
from tests.forms.imaging_support import card_photo, save

CTRL = Qt.KeyboardModifier.ControlModifier


def household(window: MainWindow) -> HouseholdPage:
    return window.household.page


def names(window: MainWindow) -> list[tuple[str, str, str]]:
    t = household(window).table
    return [(t.topLevelItem(i).text(0), t.topLevelItem(i).text(1), t.topLevelItem(i).text(2))
            for i in range(t.topLevelItemCount())]


def select_row(qtbot: QtBot, window: MainWindow, row: int) -> None:
    t = household(window).table
    qtbot.mouseClick(t.viewport(), Qt.MouseButton.LeftButton,
                     pos=t.visualItemRect(t.topLevelItem(row)).center())


def add_member(qtbot: QtBot, window: MainWindow, relation: str) -> MemberPages:
    """Household → Add member… → the relation → Add: the new member's pages open."""
    click(qtbot, window.household.button)

    def pick(dialog: AddMemberDialog) -> None:
        qtbot.mouseClick(dialog.choices[relation], Qt.MouseButton.LeftButton)
        dialog.ok.click()
    with answering(AddMemberDialog, pick):
        click(qtbot, household(window).add_button)
    show_active(qtbot, window)   # back in the window, as after any dialog
    pages = window.household.members.currentWidget()
    assert isinstance(pages, MemberPages) and pages.isVisible()
    return pages


def tab(qtbot: QtBot, pages: MemberPages, part: str) -> QWidget:
    bar = pages.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(PARTS.index(part)).center())
    page = pages.pages[part]
    assert page.isVisible()
    return page


def answer(qtbot: QtBot, page: QuestionPage, path: str, text: str) -> None:
    page.ensureWidgetVisible(page.inputs[path].widget)
    type_text(qtbot, page.inputs[path].widget, text)


def slot_order(page: MaterialsPage) -> list[str]:
    """The material slots as they stand on the page, top to bottom."""
    widgets = [page.slots_box.itemAt(i).widget() for i in range(page.slots_box.count())]
    return [w.kind for w in widgets if isinstance(w, Slot) and w.kind in page.slots]


def choose(qtbot: QtBot, page: QuestionPage, path: str, value: str) -> None:
    radio = page.inputs[path].radios[value]
    page.ensureWidgetVisible(radio)
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton)


def test_a_parent_adds_children_and_fills_in_their_parts(qtbot: QtBot, window: MainWindow,
                                                         tmp_path: Path) -> None:
    click(qtbot, window.start.start_button)
    click(qtbot, window.household.button)
    assert names(window) == [("申请人本人（办理人）", "（尚未填写姓名）", names(window)[0][2])]
    assert window.household.button.text() == "家庭成员（1 人）"

    child = add_member(qtbot, window, "child")
    assert window.household.button.text() == "家庭成员（2 人）"
    [member] = window.session.app.members
    assert member.relation == "child" and member.same_household
    choose(qtbot, tab(qtbot, child, "scheme"), "scheme.scheme", "resident")  # type: ignore[arg-type]
    personal = tab(qtbot, child, "personal")
    assert isinstance(personal, QuestionPage)
    answer(qtbot, personal, "applicant.name", "王小宝")
    answer(qtbot, personal, "applicant.birth_date", "2020-05-01")
    app = window.session.app
    assert app.members[0].applicant.name == "王小宝" and app.applicant.name is None
    assert "王小宝" in child.title.text() and "子女" in child.title.text()

    # a child's materials: what the rules ask of this child, the register's page first
    materials = tab(qtbot, child, "materials")
    assert isinstance(materials, MaterialsPage)
    wanted = slot_kinds(person(window.session.app, member.id).view, window.session.profile)
    assert slot_order(materials) == wanted
    assert wanted[0] == "hukou_personal_page" and "id_card_front" not in wanted
    page_png = save(card_photo(7, frame=(800, 600))[0], tmp_path / "child-page.jpg")
    drop_files(materials.slots["hukou_personal_page"], [page_png])
    qtbot.waitUntil(lambda: len(window.session.app.materials) == 1, timeout=20000)
    [given] = window.session.app.materials
    assert given.member == member.id and given.kind == "hukou_personal_page"

    # a newborn is asked for the birth certificate
    baby = add_member(qtbot, window, "child")
    choose(qtbot, tab(qtbot, baby, "scheme"), "scheme.scheme", "resident")  # type: ignore[arg-type]
    choose(qtbot, tab(qtbot, baby, "eligibility"), "employment.situation",  # type: ignore[arg-type]
           "newborn")
    baby_materials = tab(qtbot, baby, "materials")
    assert isinstance(baby_materials, MaterialsPage)
    assert "birth_certificate" in baby_materials.slots
    assert slot_order(baby_materials) == slot_kinds(
        person(window.session.app, baby.key).view, window.session.profile)

    # the acting applicant's own materials page does not show the child's file
    click(qtbot, baby.back_button)
    rows = names(window)
    assert [r[1] for r in rows] == ["（尚未填写姓名）", "王小宝", "（尚未填写姓名）"]
    assert [r[0] for r in rows] == ["申请人本人（办理人）", "子女", "子女"]
    # each person's status in the task list's words: the applicant has chosen no scheme
    qtbot.waitUntil(lambda: all("暂不能开始" not in r[2] for r in names(window)[1:]),
                    timeout=5000)
    statuses = [r[2] for r in names(window)]
    assert statuses[0] == "— 暂不能开始"
    assert all(s.split()[-1] in ("未完成", "有问题", "正在检查…") for s in statuses[1:])
    select_row(qtbot, window, 0)
    click(qtbot, household(window).materials_button)
    own = window.pages["materials"]
    assert isinstance(own, MaterialsPage) and own.isVisible()
    assert all(s.list.count() == 0 for s in own.slots.values())
    qtbot.waitUntil(lambda: not window.session.processor.pending, timeout=30000)


def test_removing_a_member_asks_first_and_undo_brings_them_back(
        qtbot: QtBot, window: MainWindow) -> None:
    click(qtbot, window.start.start_button)
    spouse = add_member(qtbot, window, "spouse")
    answer(qtbot, tab(qtbot, spouse, "personal"), "applicant.name", "李娜")  # type: ignore[arg-type]
    click(qtbot, spouse.back_button)
    select_row(qtbot, window, 1)
    with answering(QMessageBox, click_button("取消")) as boxes:
        click(qtbot, household(window).remove_button)
    assert "李娜" in boxes[0].text() and len(window.session.app.members) == 1
    select_row(qtbot, window, 1)
    with answering(QMessageBox, click_button("移除")):
        click(qtbot, household(window).remove_button)
    assert window.session.app.members == [] and len(names(window)) == 1
    assert not window.household.member_pages     # their pages went with them
    qtbot.waitUntil(lambda: not shiboken6.isValid(spouse), timeout=5000)
    window.set_language("en")    # nothing of theirs is still listening
    window.set_language("zh")
    show_active(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)   # one undo step
    assert [m.applicant.name for m in window.session.app.members] == ["李娜"]
    assert [r[1] for r in names(window)] == ["（尚未填写姓名）", "李娜"]


def test_a_new_application_from_the_household_takes_only_what_it_shares(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "family"
    (folder / "materials").mkdir(parents=True)
    save(card_photo(3, frame=(800, 600))[0], folder / "materials" / "head.jpg")
    save(card_photo(4, frame=(800, 600))[0], folder / "materials" / "front.jpg")
    (folder / "application.json").write_text(json.dumps({
        "schema_version": 3, "profile_id": "beijing",
        "applicant": {"name": "王建国", "id_number": "11010519491231002X"},
        "hukou": {"type": "rural", "region": "河南省郑州市中原区", "region_code": "410102",
                  "address": "河南省郑州市中原区建设西路88号"},
        "residence": {"city": "北京市", "address": "北京市朝阳区望京街道6号",
                      "living_since": "2023-04-01", "permit_number": "110105202400012345"},
        "contact": {"mobile": "13800138000"},
        "bank": {"bank": "工商银行", "holder": "王建国", "account": "6222020200112233445"},
        "members": [{"id": "m1", "relation": "child", "applicant": {"name": "王小宝"}}],
        "materials": [{"kind": "hukou_head_page", "file": "materials/head.jpg"},
                      {"kind": "id_card_front", "file": "materials/front.jpg"}]},
        ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(folder / "application.json"), "")))
    qtbot.keyClick(window, Qt.Key.Key_O, CTRL)
    old_base = window.session.base_dir
    click(qtbot, window.household.button)
    assert [r[1] for r in names(window)] == ["王建国", "王小宝"]
    select_row(qtbot, window, 1)
    click(qtbot, household(window).answers_button)        # the child's pages, built now
    child = window.household.member_pages["m1"]
    assert child.isVisible() and "王小宝" in child.title.text()
    click(qtbot, window.household.button)
    with answering(QMessageBox, click_button("不保存")):
        click(qtbot, household(window).new_button)
    s = window.session
    assert not window.household.member_pages     # nothing of the last household's people
    qtbot.waitUntil(lambda: not shiboken6.isValid(child), timeout=5000)
    app = s.app
    assert s.path is None and s.base_dir != old_base
    assert app.profile_id == "beijing" and app.members == []
    assert app.hukou.address == "河南省郑州市中原区建设西路88号" and app.hukou.type == "rural"
    assert (app.residence.city, app.residence.address) == ("北京市", "北京市朝阳区望京街道6号")
    assert app.residence.living_since is None and app.residence.permit_number is None
    assert app.applicant.name is None and app.applicant.id_number is None
    assert app.contact.mobile is None and app.bank is None
    [head] = app.materials
    assert head.kind == "hukou_head_page" and head.member is None
    assert (s.base_dir / head.file).read_bytes() == (folder / "materials" / "head.jpg").read_bytes()
    assert window.pages["region"].isVisible()
    qtbot.waitUntil(lambda: not s.processor.pending, timeout=30000)
