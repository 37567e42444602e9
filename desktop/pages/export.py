"""Print packet: export with progress and Cancel, preview the pages in the app, print
through the system dialog, open the folder. An application with problems can still be
exported as a draft, marked as such."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRectF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import tasks
from desktop.pages.context import PageContext
from desktop.pages.question import Page, clear_layout
from desktop.widgets.images import to_pixmap, to_qimage
from forms.errors import NotReady
from forms.findings import has_errors
from forms.messages import render_finding
from forms.safenames import suggested_name

if TYPE_CHECKING:
    from forms.packet.builder import PacketResult

PREVIEW_DPI = 60


def render_pages(path: Path, dpi: int) -> list[Any]:
    """PIL images of every page (pdfium): the preview and the printout."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page.render(scale=dpi / 72).to_pil() for page in pdf]
    finally:
        pdf.close()


class ExportPage(Page):
    def __init__(self, ctx: PageContext) -> None:
        super().__init__(ctx, "ui.task.export", "ui.intro.export")
        self.settings = ctx.settings
        self.result: PacketResult | None = None
        # Every change to the application counts; the packet is current while the count is
        # what it was when the packet's copy of the application was taken.
        self.edits = 0
        self.exported_at: int | None = None
        self.session.changed.connect(self._edited)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.draft = QCheckBox()
        # A household: one packet for everybody, or on request one file per person.
        self.per_person = QCheckBox()
        row = QHBoxLayout()
        self.export_button, self.print_button, self.folder_button = (QPushButton(),
                                                                     QPushButton(),
                                                                     QPushButton())
        self.export_button.clicked.connect(lambda: self.export())  # not `checked` as dest
        self.print_button.clicked.connect(lambda: self.print_packet())
        self.folder_button.clicked.connect(lambda: self.open_folder())
        for b in (self.export_button, self.print_button):
            row.addWidget(b)
        row.addStretch(1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        # The confirmation: what was written, where, and what to bring — a panel on the
        # page, not a modal, so it stays beside the preview while the person prints.
        self.confirmation = QFrame()
        self.confirmation.setFrameShape(QFrame.Shape.StyledPanel)
        panel = QVBoxLayout(self.confirmation)
        self.stale, self.written, self.where, self.bring = (QLabel(), QLabel(), QLabel(),
                                                            QLabel())
        self.stale.setStyleSheet("color: #d4351c; font-weight: bold;")
        for label in (self.stale, self.written, self.where):
            label.setWordWrap(True)
            panel.addWidget(label)
        panel.addWidget(self.folder_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.bring.setWordWrap(True)
        self.bring.setTextFormat(Qt.TextFormat.RichText)
        panel.addWidget(self.bring)
        self.confirmation.hide()
        self.pages_host = QWidget()
        self.pages = QVBoxLayout(self.pages_host)
        for w in (self.problems, self.draft, self.per_person):
            self.column.addWidget(w)
        self.column.addLayout(row)
        self.column.addWidget(self.status)
        self.column.addWidget(self.confirmation)
        self.column.addWidget(self.pages_host)
        self.column.addStretch(1)
        self.session.checked.connect(self.refresh)
        self.session.switched.connect(self._forget)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        super().retranslate()
        if hasattr(self, "draft"):
            self.draft.setText(self.translate("ui.export.draft"))
            self.per_person.setText(self.translate("ui.export.per_person"))
            self.export_button.setText(self.translate("ui.export.export"))
            self.print_button.setText(self.translate("ui.export.print"))
            self.folder_button.setText(self.translate("ui.export.folder"))
            self.refresh()

    def _forget(self) -> None:
        """Another applicant: the last one's packet is neither shown nor printable here."""
        self.result, self.exported_at = None, None
        clear_layout(self.pages)
        self.status.setText("")
        self.draft.setChecked(False)
        self.refresh()

    def refresh(self) -> None:
        errors = [f for f in self.session.result.findings if f.severity == "error"]
        if errors:
            lines = "".join(
                f"<li>{html.escape(render_finding(f, self.translate.lang, self.session.profile))}"
                "</li>" for f in errors[:12])
            self.problems.setText(self.translate("ui.export.has_problems", count=len(errors))
                                  + f"<ul>{lines}</ul>")
        self.problems.setVisible(bool(errors))
        self.draft.setVisible(bool(errors))
        self.per_person.setVisible(bool(self.session.app.members))
        self.print_button.setEnabled(self.result is not None)
        self.folder_button.setEnabled(self.result is not None)
        self.show_confirmation()

    @property
    def current(self) -> bool:
        """A packet exists and nothing in the application changed since its copy was taken."""
        return self.result is not None and self.exported_at == self.edits

    def _edited(self) -> None:
        self.edits += 1
        if self.result is not None:
            self.refresh()
            self.status_changed.emit()

    def show_confirmation(self) -> None:
        r = self.result
        self.confirmation.setVisible(r is not None)
        if r is None:
            return
        tr = self.translate
        self.stale.setVisible(not self.current)
        self.stale.setText(tr("ui.export.stale"))
        self.written.setText(tr("ui.export.done", path=r.path.name, pages=r.pages)
                             + " " + tr("ui.export.size", kb=max(1, round(r.size_bytes / 1024))))
        self.where.setText(tr("ui.export.where", folder=str(r.path.parent)))
        items = "".join(f"<li>{html.escape(item.text(tr.lang))}</li>" for item in r.bring)
        self.bring.setText(f"<b>{html.escape(tr('ui.export.bring'))}</b><ul>{items}</ul>")

    def export(self, dest: Path | None = None) -> None:
        if self.per_person.isVisible() and self.per_person.isChecked():
            self.export_per_person()
            return
        if dest is None:
            name = suggested_name(self.session.app.applicant.name, "packet", ".pdf")
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.translate("ui.export.export"),
                str(Path(self.settings.last_folder) / name),
                "PDF (*.pdf)")
            if not chosen:
                return
            dest = Path(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")
        app = self.session.app.model_copy(deep=True)
        profile, base = self.session.profile, self.session.base_dir
        # A box ticked while there were problems does not make a clean application a draft.
        draft = self.draft.isChecked() and has_errors(self.session.result.findings)
        font = self.settings.packet_font or None
        known = dict(self.session.processor.cache)   # the packet's verdict reuses them
        taken_at, generation = self.edits, self.session.generation
        dialog = QProgressDialog(self.translate("ui.export.working"),
                                 self.translate("ui.cancel"), 0, 100,
                                 self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)

        def work(task: tasks.Task) -> tuple[PacketResult, list[Any]]:
            # reportlab and the imaging stack load here, off the UI thread and off start-up
            from forms.packet.builder import build_packet

            result = build_packet(app, profile, base, dest, on=dt.date.today(), draft=draft,
                                  font=font, progress=task, analyses=known)
            return result, render_pages(dest, PREVIEW_DPI)

        def progressed(done: int, total: int, label: str) -> None:
            dialog.setMaximum(max(1, total))
            dialog.setValue(done)
            dialog.setLabelText(self.translate(label))

        def finished(value: tuple[PacketResult, list[Any]]) -> None:
            dialog.reset()
            if self.session.generation != generation:
                return   # written for the applicant before: not this one's packet
            self.result, pages = value
            self.exported_at = taken_at
            self.settings.last_folder = str(dest.parent)
            self.status.setText("")
            self.show_preview(pages)
            self.refresh()
            self.status_changed.emit()

        def failed(exc: BaseException) -> None:
            dialog.reset()
            if isinstance(exc, NotReady):
                self.status.setText(self.translate("ui.export.not_ready"))
                self.refresh()
                return
            self.ctx.reporter.show(exc)

        task = tasks.start(work, on_result=finished, on_error=failed, on_progress=progressed)
        dialog.canceled.connect(task.cancel)

    def export_per_person(self) -> None:
        """One packet per person of the household, into a folder the person picks; all or
        none (forms.packet.household checks everybody before writing anything)."""
        chosen = QFileDialog.getExistingDirectory(self, self.translate("ui.export.per_person"),
                                                  self.settings.last_folder)
        if not chosen:
            return
        folder = Path(chosen)
        app = self.session.app.model_copy(deep=True)
        profile, base = self.session.profile, self.session.base_dir
        draft = self.draft.isChecked() and has_errors(self.session.result.findings)
        font = self.settings.packet_font or None
        known = dict(self.session.processor.cache)
        generation = self.session.generation

        def work(task: tasks.Task) -> list[tuple[str, int]]:
            from forms.packet.household import build_member_packets

            made = build_member_packets(app, profile, base, folder, on=dt.date.today(),
                                        draft=draft, font=font, analyses=known)
            return [(result.path.name, result.pages) for _person, result in made]

        def finished(made: list[tuple[str, int]]) -> None:
            if self.session.generation != generation:
                return
            self.settings.last_folder = str(folder)
            separator = "、" if self.translate.lang == "zh" else ", "
            files = separator.join(self.translate("ui.export.file_pages", path=name, pages=pages)
                             for name, pages in made)
            self.status.setText(self.translate("ui.export.per_person_done", count=len(made),
                                               folder=str(folder), files=files))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, NotReady):
                self.status.setText(self.translate("ui.export.not_ready"))
                return
            self.ctx.reporter.show(exc)

        self.status.setText(self.translate("ui.export.working"))
        tasks.start(work, on_result=finished, on_error=failed)

    def show_preview(self, pages: list[Any]) -> None:
        clear_layout(self.pages)
        for i, page in enumerate(pages, start=1):
            label = QLabel()
            pixmap = to_pixmap(page)
            room = max(200, self.viewport().width() - 100)   # at 200 % a page would scroll sideways
            if pixmap.width() > room:
                pixmap = pixmap.scaledToWidth(room, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)
            label.setAccessibleName(self.translate("ui.export.page", page=i))
            label.setStyleSheet("border: 1px solid palette(mid);")
            self.pages.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)

    def print_packet(self) -> None:
        if self.result is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Paint every page at the printer's resolution (up to 300 dpi), at actual size."""
        assert self.result is not None
        printer.setFullPage(True)
        pages = render_pages(self.result.path, min(300, printer.resolution()))
        painter = QPainter(printer)
        try:
            for i, page in enumerate(pages):
                if i:
                    printer.newPage()
                # Actual size: the page rectangle is the A4 sheet, so nothing is scaled to fit.
                rect = printer.paperRect(QPrinter.Unit.DevicePixel)
                painter.drawImage(QRectF(0, 0, rect.width(), rect.height()), to_qimage(page))
        finally:
            painter.end()

    def open_folder(self) -> None:
        if self.result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.path.parent)))
