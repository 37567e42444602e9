"""The household in the window: a button above the task list (how many people the file
holds) that shows the household page, each member's pages built when first opened and
dropped when the member or the file goes, and "new application from this household"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QPushButton, QStackedWidget, QVBoxLayout, QWidget

from desktop.pages.household import HouseholdPage
from desktop.pages.member import MemberPages
from forms.household import ACTING
from forms.household_start import household_start

if TYPE_CHECKING:
    from desktop.mainwindow import MainWindow


class MemberStack(QStackedWidget):
    """The members' pages, one in view; what is typed there is taken as on any page."""

    def commit(self) -> None:
        pages = self.currentWidget()
        if isinstance(pages, MemberPages):
            pages.commit()


class HouseholdNav(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.button = QPushButton()
        self.button.clicked.connect(lambda: self.show_household())
        self.page = HouseholdPage(window.ctx)
        self.page.open_person.connect(self.open_person)
        self.page.new_from_household.connect(self.new_from_household)
        self.members = MemberStack()
        self.member_pages: dict[str, MemberPages] = {}
        window.page_stack.addWidget(self.page)
        window.page_stack.addWidget(self.members)
        self.session.switched.connect(self._drop_all)
        self.session.changed.connect(self._drop_removed)
        window.translate.changed.connect(lambda _l: self.relabel())
        self.relabel()

    def beside(self, tasks: QWidget) -> QWidget:
        """The window's left column: this button above the task list."""
        column = QWidget()
        lay = QVBoxLayout(column)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.button)
        lay.addWidget(tasks, 1)
        return column

    def relabel(self) -> None:
        count = 1 + len(self.session.app.members)
        self.button.setText(self.window.translate("ui.household.button", count=count))

    def _show(self, widget: object) -> None:
        w = self.window
        w.commit()
        w.stack.setCurrentIndex(1)
        w.tasks.setCurrentRow(-1)    # no task is in view; a click on any task shows it
        if widget is self.page:
            w.page_stack.setCurrentWidget(self.page)
        else:
            assert isinstance(widget, MemberPages)
            self.members.setCurrentWidget(widget)
            w.page_stack.setCurrentWidget(self.members)

    def show_household(self) -> None:
        self._show(self.page)
        self.page.table.setFocus()

    def open_person(self, key: str, part: str) -> None:
        if key == ACTING:   # the acting applicant's own pages are the task list's
            self.window.go("materials" if part == "materials" else "personal")
            return
        pages = self.member_pages.get(key)
        if pages is None:
            pages = MemberPages(self.window.ctx, key)
            pages.back.connect(self.show_household)
            self.member_pages[key] = pages
            self.members.addWidget(pages)
        pages.show_part(part)
        self._show(pages)

    def new_from_household(self) -> None:
        """After the unsaved-changes question: a new application with what the household
        shares (forms.household_start says what and why)."""
        w = self.window
        if not w.files.confirm_discard():
            return
        self.session.new_from(household_start(self.session.app))
        w.visited.clear()
        w.seen.clear()
        w.go("region")

    def _forget(self, key: str) -> None:
        pages = self.member_pages.pop(key)
        if self.window.page_stack.currentWidget() is self.members and \
                self.members.currentWidget() is pages:
            self.window.page_stack.setCurrentWidget(self.page)
        self.members.removeWidget(pages)
        pages.setParent(None)
        pages.deleteLater()

    def _drop_all(self) -> None:
        for key in list(self.member_pages):
            self._forget(key)

    def _drop_removed(self) -> None:
        ids = {m.id for m in self.session.app.members}
        for key in [k for k in self.member_pages if k not in ids]:
            self._forget(key)
        self.relabel()
