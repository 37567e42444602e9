"""The recent applicants on the start screen: a searchable table (name, ID's last four,
city, status, last change, file) to open one with a double click or Enter, or take one off
the list. A file that is no longer there shows as missing; nothing here opens files."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import Translator
from desktop.recent import Entry, RecentApplicants, matches
from forms.errors import FormsError
from forms.profiles.loader import load_profile

COLUMNS = ("ui.recent.name", "ui.recent.id", "ui.recent.city", "ui.recent.status",
           "ui.recent.changed", "ui.recent.file")
MARK = {"completed": "✓", "incomplete": "○", "problem": "✗", "blocked": "—", "checking": "…"}


@cache
def _city(pid: str, lang: str) -> str:
    try:
        return load_profile(pid).name.get(lang)
    except FormsError:
        return pid


class _Table(QTreeWidget):
    """Delete takes the current row off the list, as the button does."""

    remove_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.currentItem():
            self.remove_pressed.emit()
            return
        super().keyPressEvent(event)


class ApplicantsPanel(QWidget):
    open_path = Signal(str)

    def __init__(self, translate: Translator, store: RecentApplicants,
                 known_paths: Callable[[], list[str]],
                 forget: Callable[[str], None] = lambda _p: None) -> None:
        """``known_paths``: the saved files the app remembers elsewhere (File → Open
        recent), listed too; ``forget`` takes one off there as well."""
        super().__init__()
        self.translate, self.store = translate, store
        self.known_paths, self.forget = known_paths, forget
        self.entries: list[Entry] = []
        self.damaged_seen = False   # the notice stays until the app is closed
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #d4351c; font-weight: bold;")
        self.notice.hide()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.show_entries())
        self.search.returnPressed.connect(self._open_first)
        self.table = _Table()
        self.table.setRootIsDecorated(False)
        self.table.setColumnCount(len(COLUMNS))
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        head = self.table.header()
        head.setStretchLastSection(True)
        for i in range(len(COLUMNS) - 1):
            head.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemActivated.connect(lambda item, _c: self._open(item))
        self.table.currentItemChanged.connect(lambda *_a: self._enable())
        self.table.remove_pressed.connect(self.remove_current)
        self.open_button, self.remove_button = QPushButton(), QPushButton()
        self.open_button.clicked.connect(lambda: self._open(self.table.currentItem()))
        self.remove_button.clicked.connect(lambda: self.remove_current())
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.open_button)
        row.addWidget(self.remove_button)
        lay.addWidget(self.notice)
        lay.addLayout(row)
        lay.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        lay.addWidget(self.empty)
        translate.changed.connect(lambda _l: self.retranslate())
        self.retranslate()

    # --- reading --------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the list again (a damaged one is reported and rebuilt from known files)."""
        entries = self.store.entries()
        damaged = self.store.damaged
        listed = {e.path for e in entries}
        unlisted = [p for p in self.known_paths() if p not in listed]
        if unlisted:
            entries = self.store.add_paths(unlisted)
        self.damaged_seen = self.damaged_seen or damaged
        self.notice.setText(self.translate("ui.recent.damaged"))
        self.notice.setVisible(self.damaged_seen)
        self.entries = entries
        self.show_entries()

    def retranslate(self) -> None:
        tr = self.translate
        self.table.setHeaderLabels([tr(c) for c in COLUMNS])
        self.table.setAccessibleName(tr("ui.start.recent"))
        self.search.setPlaceholderText(tr("ui.recent.search"))
        self.search.setAccessibleName(tr("ui.recent.search"))
        self.open_button.setText(tr("ui.recent.open"))
        self.remove_button.setText(tr("ui.recent.remove"))
        self.notice.setText(tr("ui.recent.damaged"))
        self.show_entries()

    def show_entries(self) -> None:
        tr = self.translate
        self.table.clear()
        shown = [e for e in self.entries if matches(e, self.search.text())]
        muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        for e in shown:
            missing = e.missing
            when = e.last_change()
            status = (tr("ui.recent.missing") if missing
                      else f"{MARK[e.status]} {tr(f'ui.status.{e.status}')}" if e.status
                      else "")
            name = (tr("ui.recent.sealed") if e.sealed
                    else e.name or tr("ui.recent.no_name"))
            if e.members:   # a household: the acting applicant and how many more
                name = tr("ui.recent.household", name=name, total=e.members + 1)
            item = QTreeWidgetItem([name, e.id_tail.lstrip("*") and "****" + e.id_tail.lstrip("*"),
                                    _city(e.city, tr.lang) if e.city else "", status,
                                    tr.timestamp(when) if when else "", e.path])
            item.setData(0, Qt.ItemDataRole.UserRole, e.path)
            item.setToolTip(5, e.path)
            if missing:
                for col in range(len(COLUMNS)):
                    item.setForeground(col, muted)
            self.table.addTopLevelItem(item)
        first = self.table.topLevelItem(0)
        if first is not None:
            self.table.setCurrentItem(first)
        self.empty.setText(tr("ui.start.no_recent") if not self.entries
                           else tr("ui.recent.none_match") if not shown else "")
        self.empty.setVisible(not shown)
        self._enable()

    def _enable(self) -> None:
        has = self.table.currentItem() is not None
        self.open_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    # --- acting ---------------------------------------------------------------------------
    def _open(self, item: QTreeWidgetItem | None) -> None:
        if item is not None:
            self.open_path.emit(item.data(0, Qt.ItemDataRole.UserRole))

    def _open_first(self) -> None:
        """Enter in the search box opens the one person it leaves."""
        if self.table.topLevelItemCount() == 1:
            self._open(self.table.topLevelItem(0))

    def remove_current(self) -> None:
        item = self.table.currentItem()
        if item is None:
            return
        path = item.data(0, Qt.ItemDataRole.UserRole)
        self.store.remove(path)
        self.forget(path)
        self.entries = self.store.entries()
        self.show_entries()
