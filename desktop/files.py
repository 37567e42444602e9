"""Files as a person handles them: open (asking for a passphrase when sealed), save, save
as, save encrypted, recent files, the "save changes?" question, and the offer to restore
work left by a crash. The window owns menus; this owns what they do to files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMenu, QMessageBox, QWidget

from desktop import recovery
from desktop.errors import Reporter
from desktop.history import ApplicantHistory
from desktop.i18n import Translator, plain
from desktop.recent import RecentApplicants
from desktop.session import Session
from desktop.settings import Settings
from forms import crypto
from forms.crypto import SealKey
from forms.errors import FormsError, PassphraseNeeded, PassphraseWrong
from forms.paths import resource
from forms.safenames import suggested_name


class Files(QObject):
    opened = Signal()     # an application was opened or restored: show its answers
    message = Signal(str)  # a short confirmation for the status bar

    def __init__(self, parent: QWidget, session: Session, translate: Translator,
                 settings: Settings, reporter: Reporter,
                 commit: Callable[[], None] = lambda: None) -> None:
        super().__init__(parent)
        self.parent_widget, self.session, self.translate = parent, session, translate
        self.settings, self.reporter, self.commit = settings, reporter, commit
        self.history = ApplicantHistory(session, RecentApplicants())   # the start screen's list

    # --- opening --------------------------------------------------------------------------
    def open_dialog(self) -> None:
        if not self.confirm_discard():
            return
        tr = self.translate
        path, _ = QFileDialog.getOpenFileName(
            self.parent_widget, plain(tr("ui.menu.open")), self.settings.last_folder,
            f"{tr('ui.files.yibao')} (*.yibao);;application.json (*.json)")
        if path:
            self.open_file(Path(path))

    def ask_passphrase(self, prompt: str) -> str | None:
        text, ok = QInputDialog.getText(self.parent_widget,
                                        self.translate("ui.passphrase.title"), prompt,
                                        QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def open_file(self, path: Path) -> bool:
        passphrase = None
        while True:
            try:
                self.session.open(path, passphrase)
                break
            except PassphraseNeeded:
                passphrase = self.ask_passphrase(self.translate("ui.passphrase.enter",
                                                                file=path.name))
                if passphrase is None:
                    return False
            except FormsError as exc:
                self.reporter.show(exc)
                return False
        self.settings.last_folder = str(path.parent)
        if path.suffix.lower() == ".yibao":
            self.settings.add_recent(str(path))
        self.opened.emit()
        return True

    def open_sample(self) -> None:
        self.open_file(resource("samples", "complete", "application.json"))

    def fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        for path in self.settings.recent():
            action = menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.confirm_discard()
                                     and self.open_file(Path(p)))

    # --- saving ---------------------------------------------------------------------------
    def save(self) -> bool:
        self.commit()
        if self.session.path is None:
            return self.save_as()
        return self._save_to(self.session.path)

    def save_encrypted(self) -> bool:
        """Save As with a passphrase, asked twice; forgotten passphrases cannot be helped."""
        first = self.ask_passphrase(self.translate("ui.passphrase.new"))
        if first is None:
            return False
        second = self.ask_passphrase(self.translate("ui.passphrase.again"))
        if first != second or len(first) < 8:
            QMessageBox.warning(self.parent_widget, self.translate("ui.passphrase.title"),
                                self.translate("ui.passphrase.mismatch"))
            return False
        return self.save_as(key=crypto.derive(first))   # derived once, kept by the session

    def save_as(self, key: SealKey | None = None) -> bool:
        self.commit()
        tr = self.translate
        name = suggested_name(self.session.app.applicant.name, tr("ui.untitled"), ".yibao")
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, plain(tr("ui.menu.save_as")),
                                              str(Path(self.settings.last_folder) / name),
                                              f"{tr('ui.files.yibao')} (*.yibao)")
        if not path:
            return False
        return self._save_to(Path(path if path.endswith(".yibao") else path + ".yibao"), key)

    def _save_to(self, dest: Path, key: SealKey | None = None) -> bool:
        try:
            self.session.save(dest, key=key)
        except FormsError as exc:
            self.reporter.show(exc)
            return False
        self.settings.last_folder = str(dest.parent)
        self.settings.add_recent(str(dest))
        self.message.emit(self.translate("ui.saved", path=str(dest)))
        return True

    def confirm_discard(self) -> bool:
        """Unsaved changes: save them, discard them, or stay."""
        self.commit()
        if not self.session.dirty:
            return True
        tr = self.translate
        box = QMessageBox(QMessageBox.Icon.Question, tr("ui.unsaved.title"),
                          tr("ui.unsaved.text"), parent=self.parent_widget)
        save = box.addButton(tr("ui.unsaved.save"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(tr("ui.unsaved.discard"),
                                QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(tr("ui.cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is save:
            return self.save()
        return box.clickedButton() is discard

    # --- recovery -------------------------------------------------------------------------
    def offer_recovery(self) -> None:
        """After a crash or a kill: offer what was typed back."""
        found = [r for r in recovery.pending() if r.workspace.id != self.session.workspace.id]
        if not found:
            return
        latest, tr = found[0], self.translate
        when = tr.timestamp(latest.saved_at)
        text = (tr("ui.recover.text_sealed", when=when) if latest.app is None
                else tr("ui.recover.text", when=when,
                        name=latest.app.applicant.name or tr("ui.untitled")))
        box = QMessageBox(QMessageBox.Icon.Question, tr("ui.recover.title"), text,
                          parent=self.parent_widget)
        restore = box.addButton(tr("ui.recover.restore"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("ui.recover.discard"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not restore:
            for rec in found:
                rec.workspace.discard()
            return
        passphrase = None
        while latest.app is None:   # sealed: its passphrase opens it (kept if cancelled)
            passphrase = self.ask_passphrase(tr("ui.passphrase.recover"))
            if passphrase is None:
                return
            try:
                latest = recovery.unlock(latest, passphrase)
            except PassphraseWrong as exc:
                self.reporter.show(exc)
            except FormsError as exc:
                self.reporter.show(exc)
                return
        self.restore(latest, passphrase)

    def restore(self, rec: recovery.Recoverable, passphrase: str | None = None) -> None:
        self.session.restore(rec, passphrase)
        self.opened.emit()
