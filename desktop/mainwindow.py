"""The main window: the start screen, or the task list beside the current page; menus,
shortcuts, language, and never losing work on close. File handling is in desktop/files.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from desktop import tasks
from desktop.errors import Reporter
from desktop.files import Files
from desktop.household_nav import HouseholdNav
from desktop.i18n import Translator, plain
from desktop.pages.contact import contact_page
from desktop.pages.context import PageContext
from desktop.pages.eligibility import EligibilityPage
from desktop.pages.export import ExportPage
from desktop.pages.materials import MaterialsPage
from desktop.pages.personal import personal_page
from desktop.pages.question import Page, QuestionPage
from desktop.pages.region import RegionPage
from desktop.pages.residence import residence_page
from desktop.pages.review import ReviewPage
from desktop.session import Session
from desktop.settings import Settings
from desktop.start import StartScreen
from desktop.tasklist import STATUS_MARK, TASK_LIST_STYLE, TASKS, status
from forms.errors import FormsError


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings, translate: Translator) -> None:
        super().__init__()
        self.settings, self.translate = settings, translate
        self.session = Session()
        self.reporter = Reporter(self, translate, self.session.write_recovery)
        tasks.set_error_handler(self.reporter.show)
        self.ctx = PageContext(self.session, translate, settings, self.reporter)
        self.files = Files(self, self.session, translate, settings, self.reporter,
                           commit=self.commit)
        self.files.opened.connect(self._opened)
        self.files.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.visited: set[str] = set()   # finished with Continue (or an opened file)
        self.seen: set[str] = set()      # been in view: its problems may show
        self.changing = False   # came from a Change link: Continue goes back to the answers
        self.stack = QStackedWidget()
        self.start = StartScreen(translate, settings, self.files.history.store)
        self.start.new_requested.connect(self.new_application)
        self.start.open_requested.connect(self.files.open_dialog)
        self.start.open_path.connect(lambda p: self.files.open_file(Path(p)))
        self.start.sample_requested.connect(self.files.open_sample)
        self.stack.addWidget(self.start)
        self.stack.addWidget(self._build_work())
        self.setCentralWidget(self.stack)
        self._build_menus()
        self.session.checked.connect(self.update_tasks)
        self.session.fileChanged.connect(self.update_title)
        translate.changed.connect(lambda _l: self.retranslate())
        self.retranslate()
        if settings.geometry is not None:
            self.restoreGeometry(settings.geometry)
        else:   # a first start fits the screen it opens on (1366 × 768 laptops included)
            room = self.screen().availableGeometry()
            self.resize(min(1100, room.width() - 40), min(780, room.height() - 60))

    # --- construction ---------------------------------------------------------------------
    def _build_work(self) -> QWidget:
        ctx = self.ctx
        self.tasks = QListWidget()
        self.tasks.setStyleSheet(TASK_LIST_STYLE)
        self.tasks.setMinimumWidth(150)
        self.tasks.setWordWrap(True)
        self.tasks.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tasks.currentRowChanged.connect(self._show_task)
        self.pages: dict[str, Page] = {
            "region": RegionPage(ctx), "eligibility": EligibilityPage(ctx),
            "personal": personal_page(ctx), "residence": residence_page(ctx),
            "contact": contact_page(ctx), "materials": MaterialsPage(ctx.for_member("applicant")),
            "review": ReviewPage(ctx), "export": ExportPage(ctx),
        }
        self.page_stack = QStackedWidget()
        for name in TASKS:
            page = self.pages[name]
            self.page_stack.addWidget(page)
            page.continued.connect(lambda n=name: self._next(n))
            page.status_changed.connect(self.update_tasks)
            self.tasks.addItem(QListWidgetItem())
        review = self.pages["review"]
        assert isinstance(review, ReviewPage)
        review.change.connect(self.change)
        self.household = HouseholdNav(self)   # its page and members' pages follow the tasks'
        split = QSplitter()
        split.setChildrenCollapsible(False)
        split.addWidget(self.household.beside(self.tasks))
        split.addWidget(self.page_stack)
        split.setStretchFactor(1, 1)
        split.setSizes([240, 860])
        host = QWidget()
        lay = QHBoxLayout(host)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)
        return host

    def _action(self, menu: QMenu, key: str, slot: Callable[[], object],
                shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(self)
        action.setData(key)
        action.triggered.connect(lambda _c=False: slot())
        if shortcut is not None:
            action.setShortcut(shortcut)
        menu.addAction(action)
        self.actions_by_key[key] = action
        return action

    def _build_menus(self) -> None:
        self.actions_by_key: dict[str, QAction] = {}
        bar, f = self.menuBar(), self.files
        self.file_menu = bar.addMenu("")
        K = QKeySequence.StandardKey
        self._action(self.file_menu, "ui.menu.new", self.show_start, QKeySequence(K.New))
        self._action(self.file_menu, "ui.menu.open", f.open_dialog, QKeySequence(K.Open))
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.aboutToShow.connect(lambda: f.fill_recent(self.recent_menu))
        self._action(self.file_menu, "ui.menu.close", self.show_start, QKeySequence("Ctrl+W"))
        self._action(self.file_menu, "ui.menu.save", f.save, QKeySequence(K.Save))
        self._action(self.file_menu, "ui.menu.save_as", f.save_as, QKeySequence("Ctrl+Shift+S"))
        self._action(self.file_menu, "ui.save_encrypted", f.save_encrypted)
        self._action(self.file_menu, "ui.menu.print", lambda: self.go("export"),
                     QKeySequence(K.Print))
        self.file_menu.addSeparator()
        self._action(self.file_menu, "ui.menu.quit", self.close, QKeySequence("Ctrl+Q"))
        self.edit_menu = bar.addMenu("")
        undo = self.session.undo.createUndoAction(self)
        undo.setShortcut(QKeySequence(K.Undo))
        redo = self.session.undo.createRedoAction(self)
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence(K.Redo)])
        self.undo_action, self.redo_action = undo, redo
        self.edit_menu.addAction(undo)
        self.edit_menu.addAction(redo)
        self.settings_menu = bar.addMenu("")
        self.language_menu = self.settings_menu.addMenu("")
        group = QActionGroup(self)
        for lang, label in (("zh", "中文(&Z)"), ("en", "&English")):
            action = QAction(label, self, checkable=True)
            action.setChecked(self.translate.lang == lang)
            action.triggered.connect(lambda _c=False, lg=lang: self.set_language(lg))
            group.addAction(action)
            self.language_menu.addAction(action)
        self._action(self.settings_menu, "ui.menu.font", self.choose_font)

    def retranslate(self) -> None:
        tr = self.translate
        self.file_menu.setTitle(tr("ui.menu.file"))
        self.recent_menu.setTitle(tr("ui.menu.recent"))
        self.edit_menu.setTitle(tr("ui.menu.edit"))
        self.settings_menu.setTitle(tr("ui.menu.settings"))
        self.language_menu.setTitle(tr("ui.menu.language"))
        self.undo_action.setText(tr("ui.menu.undo"))
        self.redo_action.setText(tr("ui.menu.redo"))
        for key, action in self.actions_by_key.items():
            action.setText(tr(key))
        self.tasks.setAccessibleName(tr("ui.tasks"))
        self.update_tasks()
        self.update_title()

    # --- tasks ----------------------------------------------------------------------------
    def update_tasks(self) -> None:
        s, tr = self.session, self.translate
        # printing is done while the packet written is still that of the application, and
        # printing it confirms the answers as much as Continue on the check page does
        printed = bool(getattr(self.pages["export"], "current", False))
        for row, name in enumerate(TASKS):
            page = self.pages[name]
            fields = page.paths if isinstance(page, QuestionPage) else set()
            done = printed if name == "export" else \
                name in self.visited or (name == "review" and printed)
            state = status(name, fields, s.result.findings, s.app.scheme.scheme is not None,
                           name in self.seen or name in self.visited, done)
            item = self.tasks.item(row)
            item.setText(f"{STATUS_MARK[state]}  {tr(f'ui.task.{name}')}\n"
                         f"      {tr(f'ui.status.{state}')}")
            item.setData(Qt.ItemDataRole.UserRole, state)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"{tr(f'ui.task.{name}')}: {tr(f'ui.status.{state}')}")

    def _show_task(self, row: int) -> None:
        if row < 0:
            return
        self.page_stack.setCurrentIndex(row)
        self.seen.add(TASKS[row])   # seen, not done: looking never completes a task
        self.update_tasks()

    def go(self, task: str) -> None:
        self.commit()
        self.stack.setCurrentIndex(1)
        self.tasks.setCurrentRow(TASKS.index(task))

    def change(self, path: str) -> None:
        """A Change link: the page holding this answer, with the keyboard on it; Continue
        there comes back to the answers."""
        page = next((n for n, p in self.pages.items()
                     if isinstance(p, QuestionPage) and path in p.inputs), "materials")
        self.changing = True
        self.go(page)
        self.pages[page].focus_field(path)

    def _next(self, task: str) -> None:
        self.visited.add(task)
        self.update_tasks()
        index = TASKS.index(task)
        if self.changing and index < TASKS.index("review"):
            self.changing = False
            self.go("review")
        elif index + 1 < len(TASKS):
            self.changing = False
            self.go(TASKS[index + 1])

    def commit(self) -> None:
        """Whatever is typed on the page in view becomes a value (Save, leaving the page)."""
        commit = getattr(self.page_stack.currentWidget(), "commit", None)  # a member's too
        if callable(commit):
            commit()

    def update_title(self) -> None:
        name = self.session.path.name if self.session.path else self.translate("ui.untitled")
        star = " *" if self.session.dirty else ""
        self.setWindowTitle(f"{name}{star} — yibao-desk")

    # --- files ----------------------------------------------------------------------------
    def show_start(self) -> None:
        """New or Close: after the unsaved-changes question, nothing of the file stays."""
        if self.files.confirm_discard():
            self.session.close_applicant()
            self.visited, self.seen = set(), set()
            self.start.fill_recent()
            self.stack.setCurrentIndex(0)

    def new_application(self, profile_id: str) -> None:
        self.session.new(profile_id)
        self.visited.clear()
        self.seen.clear()
        self.go("region")

    def _opened(self) -> None:
        self.visited = set(TASKS[:5])
        self.go("review")

    # --- settings -------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        self.settings.language = lang
        self.translate.set_lang(lang)

    def choose_font(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, plain(self.translate("ui.menu.font")),
                                              "/usr/share/fonts", "TrueType (*.ttf *.ttc)")
        if not path:
            return
        from forms.packet.fonts import find_font

        try:
            find_font(path)
        except FormsError as exc:
            self.reporter.show(exc)
            return
        self.settings.packet_font = path

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.confirm_discard():
            event.ignore()
            return
        self.settings.geometry = self.saveGeometry()
        tasks.cancel_all()
        tasks.wait_all(10000)   # no worker may outlive the window it reports to
        tasks.set_error_handler(None)
        self.session.close()
        event.accept()
