"""The main window: the start screen, or the task list beside the current page; menus,
shortcuts, files, language, and never losing work on close."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from desktop import recovery, tasks
from desktop.errors import Reporter
from desktop.i18n import Translator
from desktop.pages.export import ExportPage
from desktop.pages.materials import MaterialsPage
from desktop.pages.question import Page, QuestionPage
from desktop.pages.questions import (
    EligibilityPage,
    RegionPage,
    contact_page,
    personal_page,
    residence_page,
)
from desktop.pages.review import ReviewPage
from desktop.session import Session
from desktop.settings import Settings
from desktop.start import StartScreen
from desktop.tasklist import TASKS, status
from forms import crypto
from forms.crypto import SealKey
from forms.errors import FormsError, PassphraseNeeded, PassphraseWrong
from forms.paths import resource
from forms.safenames import suggested_name

STATUS_MARK = {"completed": "✓", "incomplete": "○", "problem": "✗", "blocked": "—"}


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings, tr: Translator) -> None:
        super().__init__()
        self.settings, self.tr = settings, tr
        self.session = Session()
        self.reporter = Reporter(self, tr)
        self.visited: set[str] = set()
        self.stack = QStackedWidget()
        self.start = StartScreen(tr, settings)
        self.start.new_requested.connect(self.new_application)
        self.start.open_requested.connect(self.open_dialog)
        self.start.open_path.connect(lambda p: self.open_file(Path(p)))
        self.start.sample_requested.connect(self.open_sample)
        self.stack.addWidget(self.start)
        self.stack.addWidget(self._build_work())
        self.setCentralWidget(self.stack)
        self._build_menus()
        self.session.checked.connect(self.update_tasks)
        self.session.fileChanged.connect(self.update_title)
        tr.changed.connect(lambda _l: self.retranslate())
        self.retranslate()
        if settings.geometry is not None:
            self.restoreGeometry(settings.geometry)
        else:
            self.resize(1100, 780)

    # --- construction ---------------------------------------------------------------------
    def _build_work(self) -> QWidget:
        s, tr = self.session, self.tr
        self.tasks = QListWidget()
        self.tasks.setMinimumWidth(230)
        self.tasks.currentRowChanged.connect(self._show_task)
        self.pages: dict[str, Page] = {
            "region": RegionPage(s, tr), "eligibility": EligibilityPage(s, tr),
            "personal": personal_page(s, tr), "residence": residence_page(s, tr),
            "contact": contact_page(s, tr), "materials": MaterialsPage(s, tr),
            "review": ReviewPage(s, tr), "export": ExportPage(s, tr, self.settings),
        }
        self.page_stack = QStackedWidget()
        for name in TASKS:
            page = self.pages[name]
            self.page_stack.addWidget(page)
            page.continued.connect(lambda n=name: self._next(n))
            self.tasks.addItem(QListWidgetItem())
        review = self.pages["review"]
        assert isinstance(review, ReviewPage)
        review.change.connect(self.go)
        split = QSplitter()
        split.addWidget(self.tasks)
        split.addWidget(self.page_stack)
        split.setStretchFactor(1, 1)
        host = QWidget()
        lay = QHBoxLayout(host)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)
        return host

    def _action(self, menu: Any, key: str, slot: Any,
                shortcut: QKeySequence | QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(self)
        action.setData(key)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(shortcut)
        menu.addAction(action)
        self.actions_by_key[key] = action
        return action

    def _build_menus(self) -> None:
        self.actions_by_key: dict[str, QAction] = {}
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        K = QKeySequence.StandardKey
        self._action(self.file_menu, "ui.menu.new", self.show_start, QKeySequence(K.New))
        self._action(self.file_menu, "ui.menu.open", self.open_dialog, QKeySequence(K.Open))
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(self.file_menu, "ui.menu.save", self.save, QKeySequence(K.Save))
        self._action(self.file_menu, "ui.menu.save_as", self.save_as,
                     QKeySequence("Ctrl+Shift+S"))
        self._action(self.file_menu, "ui.save_encrypted", self.save_encrypted)
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
        for lang, label in (("zh", "中文"), ("en", "English")):
            action = QAction(label, self, checkable=True)
            action.setChecked(self.tr.lang == lang)
            action.triggered.connect(lambda _c=False, lg=lang: self.set_language(lg))
            group.addAction(action)
            self.language_menu.addAction(action)
        self._action(self.settings_menu, "ui.menu.font", self.choose_font)

    def retranslate(self) -> None:
        tr = self.tr
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
        s = self.session
        for row, name in enumerate(TASKS):
            page = self.pages[name]
            fields = page.paths if isinstance(page, QuestionPage) else set()
            done = (getattr(page, "result", None) is not None if name == "export"
                    else name in self.visited)   # printing is done once a packet exists
            state = status(name, fields, s.result.findings, s.app.scheme.scheme is not None,
                           done)
            item = self.tasks.item(row)
            item.setText(f"{STATUS_MARK[state]}  {self.tr(f'ui.task.{name}')}\n"
                         f"      {self.tr(f'ui.status.{state}')}")
            item.setData(Qt.ItemDataRole.UserRole, state)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"{self.tr(f'ui.task.{name}')}: {self.tr(f'ui.status.{state}')}")

    def _show_task(self, row: int) -> None:
        if row < 0:
            return
        self.page_stack.setCurrentIndex(row)
        self.visited.add(TASKS[row])
        self.update_tasks()

    def go(self, task: str) -> None:
        self.stack.setCurrentIndex(1)
        self.tasks.setCurrentRow(TASKS.index(task))

    def _next(self, task: str) -> None:
        self.visited.add(task)
        self.update_tasks()
        index = TASKS.index(task)
        if index + 1 < len(TASKS):
            self.go(TASKS[index + 1])

    def update_title(self) -> None:
        name = self.session.path.name if self.session.path else self.tr("ui.untitled")
        star = " *" if self.session.dirty else ""
        self.setWindowTitle(f"{name}{star} — yibao-desk")

    # --- files ----------------------------------------------------------------------------
    def show_start(self) -> None:
        if self.confirm_discard():
            self.start.fill_recent()
            self.stack.setCurrentIndex(0)

    def new_application(self, profile_id: str) -> None:
        self.session.new(profile_id)
        self.visited.clear()
        self.go("region")

    def open_dialog(self) -> None:
        if not self.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("ui.menu.open"), self.settings.last_folder,
            f"{self.tr('ui.files.yibao')} (*.yibao);;application.json (*.json)")
        if path:
            self.open_file(Path(path))

    def ask_passphrase(self, prompt: str) -> str | None:
        text, ok = QInputDialog.getText(self, self.tr("ui.passphrase.title"), prompt,
                                        QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def open_file(self, path: Path) -> bool:
        passphrase = None
        while True:
            try:
                self.session.open(path, passphrase)
                break
            except PassphraseNeeded:
                passphrase = self.ask_passphrase(self.tr("ui.passphrase.enter", file=path.name))
                if passphrase is None:
                    return False
            except FormsError as exc:
                self.show_error(exc)
                return False
        self.settings.last_folder = str(path.parent)
        if path.suffix.lower() == ".yibao":
            self.settings.add_recent(str(path))
        self.visited = set(TASKS[:5])
        self.go("review")
        return True

    def open_sample(self) -> None:
        self.open_file(resource("samples", "complete", "application.json"))

    def save(self) -> bool:
        if self.session.path is None:
            return self.save_as()
        return self._save_to(self.session.path)

    def save_encrypted(self) -> bool:
        """Save As with a passphrase, asked twice; forgotten passphrases cannot be helped."""
        first = self.ask_passphrase(self.tr("ui.passphrase.new"))
        if first is None:
            return False
        second = self.ask_passphrase(self.tr("ui.passphrase.again"))
        if first != second or len(first) < 8:
            QMessageBox.warning(self, self.tr("ui.passphrase.title"),
                                self.tr("ui.passphrase.mismatch"))
            return False
        return self.save_as(key=crypto.derive(first))   # derived once, kept by the session

    def save_as(self, key: SealKey | None = None) -> bool:
        name = suggested_name(self.session.app.applicant.name, self.tr("ui.untitled"), ".yibao")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("ui.menu.save_as"),
                                              str(Path(self.settings.last_folder) / name),
                                              f"{self.tr('ui.files.yibao')} (*.yibao)")
        if not path:
            return False
        dest = Path(path if path.endswith(".yibao") else path + ".yibao")
        return self._save_to(dest, key)

    def _save_to(self, dest: Path, key: SealKey | None = None) -> bool:
        try:
            self.session.save(dest, key=key)
        except FormsError as exc:
            self.show_error(exc)
            return False
        self.settings.last_folder = str(dest.parent)
        self.settings.add_recent(str(dest))
        self.statusBar().showMessage(self.tr("ui.saved", path=str(dest)), 5000)
        return True

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.confirm_discard()
                                     and self.open_file(Path(p)))

    def confirm_discard(self) -> bool:
        """Unsaved changes: save them, discard them, or stay."""
        if not self.session.dirty:
            return True
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("ui.unsaved.title"),
                          self.tr("ui.unsaved.text"), parent=self)
        save = box.addButton(self.tr("ui.unsaved.save"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.tr("ui.unsaved.discard"),
                                QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("ui.cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is save:
            return self.save()
        return box.clickedButton() is discard

    def offer_recovery(self) -> None:
        """After a crash or a kill: offer what was typed back."""
        found = [r for r in recovery.pending() if r.workspace.id != self.session.workspace.id]
        if not found:
            return
        latest = found[0]
        text = (self.tr("ui.recover.text_sealed", when=latest.saved_at) if latest.app is None
                else self.tr("ui.recover.text", when=latest.saved_at,
                             name=latest.app.applicant.name or self.tr("ui.untitled")))
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("ui.recover.title"), text,
                          parent=self)
        restore = box.addButton(self.tr("ui.recover.restore"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("ui.recover.discard"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not restore:
            for rec in found:
                rec.workspace.discard()
            return
        passphrase = None
        while latest.app is None:   # sealed: its passphrase opens it (kept if cancelled)
            passphrase = self.ask_passphrase(self.tr("ui.passphrase.recover"))
            if passphrase is None:
                return
            try:
                latest = recovery.unlock(latest, passphrase)
            except PassphraseWrong as exc:
                self.show_error(exc)
            except FormsError as exc:
                self.show_error(exc)
                return
        self.restore(latest, passphrase)

    def restore(self, rec: recovery.Recoverable, passphrase: str | None = None) -> None:
        self.session.restore(rec, passphrase)
        self.visited = set(TASKS[:5])
        self.go("review")

    # --- settings -------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        self.settings.language = lang
        self.tr.set_lang(lang)

    def choose_font(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("ui.menu.font"),
                                              "/usr/share/fonts", "TrueType (*.ttf *.ttc)")
        if not path:
            return
        from forms.packet.fonts import find_font

        try:
            find_font(path)
        except FormsError as exc:
            self.show_error(exc)
            return
        self.settings.packet_font = path

    def show_error(self, exc: BaseException) -> None:
        self.reporter.show(exc)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.confirm_discard():
            event.ignore()
            return
        self.settings.geometry = self.saveGeometry()
        tasks.cancel_all()
        tasks.wait_all(10000)   # no worker may outlive the window it reports to
        self.session.close()
        event.accept()
