"""The household: the acting applicant and the members they enrol with them, each with
their relation, name and how far their part is (the task list's words, from
forms.verdict); add a member, open a person's answers or materials, remove a member (asked
first, undoable), or start a new application from this household's shared parts."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import Translator
from desktop.pages.context import PageContext
from desktop.pages.question import Page
from desktop.widgets.applicants import MARK
from desktop.widgets.flow import FlowLayout
from forms.application import MAX_MEMBERS, Member
from forms.household import ACTING, people
from forms.verdict import household_progress
from forms.vocabulary import RELATIONS, Relation


def new_member_id(taken: set[str]) -> str:
    """Short and stable (materials refer to it): m1, m2, … the first not in use."""
    return next(f"m{n}" for n in range(1, len(taken) + 2) if f"m{n}" not in taken)


def person_label(tr: Translator, relation: str | None) -> str:
    return tr("ui.household.acting") if relation is None else tr(f"relation.{relation}")


class AddMemberDialog(QDialog):
    """Who the new member is to the applicant, and whether they share the register."""

    def __init__(self, tr: Translator, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("ui.household.add_title"))
        lay = QVBoxLayout(self)
        question = QLabel(tr("ui.household.add_question"))
        question.setWordWrap(True)
        lay.addWidget(question)
        self.group = QButtonGroup(self)
        self.choices: dict[str, QRadioButton] = {}
        for relation in RELATIONS:
            button = QRadioButton(tr(f"relation.{relation}"))
            self.group.addButton(button)
            self.choices[relation] = button
            lay.addWidget(button)
        self.choices["child"].setChecked(True)   # the usual case: a parent enrols a child
        self.same = QCheckBox(tr("ui.household.same_register"))
        self.same.setChecked(True)
        lay.addWidget(self.same)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(tr("ui.household.add_ok"),
                                    QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("ui.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def relation(self) -> Relation:
        return cast(Relation, next(r for r, b in self.choices.items() if b.isChecked()))


class HouseholdPage(Page):
    open_person = Signal(str, str)     # key, "answers" or "materials"
    new_from_household = Signal()

    def __init__(self, ctx: PageContext) -> None:
        super().__init__(ctx, "ui.household.title", "ui.household.intro")
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setColumnCount(3)
        self.table.setMinimumHeight(160)
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.header().setStretchLastSection(True)
        self.table.itemActivated.connect(lambda item, _c: self._open(item, "answers"))
        self.table.currentItemChanged.connect(lambda *_a: self._enable())
        self.column.addWidget(self.table)
        row = FlowLayout()
        self.add_button, self.answers_button, self.materials_button = (
            QPushButton(), QPushButton(), QPushButton())
        self.remove_button, self.new_button = QPushButton(), QPushButton()
        self.add_button.clicked.connect(lambda: self.add_member())
        self.answers_button.clicked.connect(
            lambda: self._open(self.table.currentItem(), "answers"))
        self.materials_button.clicked.connect(
            lambda: self._open(self.table.currentItem(), "materials"))
        self.remove_button.clicked.connect(lambda: self.remove_member())
        self.new_button.clicked.connect(self.new_from_household.emit)
        for b in (self.add_button, self.answers_button, self.materials_button,
                  self.remove_button):
            row.addWidget(b)
        self.column.addLayout(row)
        self.shared = QLabel()
        self.shared.setWordWrap(True)
        self.column.addWidget(self.shared)
        self.column.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.column.addStretch(1)
        self.session.changed.connect(self.refresh_when_seen)
        self.session.checked.connect(self.refresh_when_seen)
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        if not hasattr(self, "table"):
            return
        tr = self.translate
        self.table.setHeaderLabels([tr("ui.household.relation"), tr("ui.recent.name"),
                                    tr("ui.recent.status")])
        self.table.setAccessibleName(tr("ui.household.title"))
        for key, button in (("ui.household.add", self.add_button),
                            ("ui.household.answers", self.answers_button),
                            ("ui.household.materials", self.materials_button),
                            ("ui.household.remove", self.remove_button),
                            ("ui.household.new_from", self.new_button)):
            button.setText(tr(key))
        self.shared.setText(tr("ui.household.shared"))
        self.refresh()

    def refresh(self) -> None:
        tr, s = self.translate, self.session
        current = self.table.currentItem()
        keep = current.data(0, Qt.ItemDataRole.UserRole) if current else None
        self.table.clear()
        progress = household_progress(s.household)
        for p in people(s.app):
            state = progress.get(p.key, "incomplete")
            item = QTreeWidgetItem([person_label(tr, p.relation),
                                    p.name or tr("ui.recent.no_name"),
                                    f"{MARK[state]} {tr(f'ui.status.{state}')}"])
            item.setData(0, Qt.ItemDataRole.UserRole, p.key)
            self.table.addTopLevelItem(item)
            if p.key == keep:
                self.table.setCurrentItem(item)
        if self.table.currentItem() is None and self.table.topLevelItemCount():
            first = self.table.topLevelItem(0)
            if first is not None:
                self.table.setCurrentItem(first)
        self.add_button.setEnabled(len(s.app.members) < MAX_MEMBERS)
        self._enable()

    def _enable(self) -> None:
        item = self.table.currentItem()
        self.answers_button.setEnabled(item is not None)
        self.materials_button.setEnabled(item is not None)
        self.remove_button.setEnabled(
            item is not None and item.data(0, Qt.ItemDataRole.UserRole) != ACTING)

    def _open(self, item: QTreeWidgetItem | None, part: str) -> None:
        if item is not None:
            self.open_person.emit(item.data(0, Qt.ItemDataRole.UserRole), part)

    # --- changing the household ------------------------------------------------------------
    def add_member(self) -> None:
        dialog = AddMemberDialog(self.translate, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        relation, same = dialog.relation(), dialog.same.isChecked()
        dialog.deleteLater()
        if not accepted:
            return
        members = self.session.app.members
        member = Member(id=new_member_id({m.id for m in members}),
                        relation=relation,
                        same_household=same)
        self.session.set_value("members", [*members, member])   # one undo step
        self.open_person.emit(member.id, "answers")

    def remove_member(self) -> None:
        item = self.table.currentItem()
        key = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        member = next((m for m in self.session.app.members if m.id == key), None)
        if member is None:
            return
        tr = self.translate
        name = member.applicant.name or tr("ui.recent.no_name")
        box = QMessageBox(QMessageBox.Icon.Question, tr("ui.household.remove_title"),
                          tr("ui.household.remove_text", name=name,
                             relation=tr(f"relation.{member.relation}")), parent=self)
        remove = box.addButton(tr("ui.household.remove_ok"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(tr("ui.cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        chosen = box.clickedButton() is remove
        box.deleteLater()
        if not chosen:
            return
        s = self.session
        s.undo.beginMacro(tr("ui.household.remove"))   # the member and their files: one step
        try:
            s.set_value("materials", [m for m in s.app.materials if m.member != member.id])
            s.set_value("members", [m for m in s.app.members if m.id != member.id])
        finally:
            s.undo.endMacro()
