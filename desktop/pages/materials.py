"""Materials: one slot per kind this applicant needs (and the optional ones), each taking
dropped or picked files; every file is copied without metadata and shown with its
thumbnail, status and findings. The session's material processor analyses the files;
this page only displays what it holds (a file still being analysed shows "…")."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import tasks
from desktop.pages.context import PageContext
from desktop.pages.question import Page
from desktop.vocabulary import MATERIAL_ACTIONS
from desktop.widgets.corners import CornerDialog
from desktop.widgets.flow import FlowLayout
from desktop.widgets.images import to_pixmap
from forms.application import Material
from forms.findings import worst
from forms.messages import render_finding, render_params
from forms.ocr.crosscheck import suggestions
from forms.rules.materials import slot_kinds, statuses

if TYPE_CHECKING:  # the imaging stack (OpenCV) loads on first use, in a worker
    from forms.analysis.processed import Processed

BADGE = {"ok": "✓", "warning": "!", "error": "✗", "busy": "…"}
STATE_MARK = {"ok": "✓", "missing": "○", "advised": "○", "problem": "✗", "checking": "…"}
# One clean copy at a time: each decodes a whole photo (36 MB for 12 MP) in the app's
# own process, and a drop while an earlier batch is still copying would double that.
_COPYING = threading.Semaphore(1)
FILTER = "*.jpg *.jpeg *.png *.webp *.tif *.tiff *.bmp *.heic *.heif *.pdf"


def _process(m: Material, base: Path, **kw: Any) -> Processed:
    """On a worker thread: the imaging stack (OpenCV) is imported on first use, not at
    start-up."""
    from forms.analysis.pipeline import process_material

    return process_material(m, base, **kw)


def shown_name(m: Material, translate: Any) -> str:
    """The name of the file the person chose; for files from before that was kept, the
    kind of document, never the stored name (hashes, numbered prefixes)."""
    return m.original_name or translate(f"material.{m.kind}")


class Slot(QGroupBox):
    """One material kind: help, files, and the actions on the selected file."""

    files_dropped = Signal(str, list)

    def __init__(self, page: MaterialsPage, kind: str) -> None:
        super().__init__()
        self.page, self.kind, self.translate = page, kind, page.translate
        self.setAcceptDrops(True)
        lay = QVBoxLayout(self)
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(160, 110))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMinimumHeight(150)
        self.list.setMaximumHeight(190)
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(lambda _r: self.page.show_details(self))
        self.details = QLabel()
        self.details.setWordWrap(True)
        row = FlowLayout()   # wraps at 200 % rather than widening the page
        self.buttons: dict[str, QPushButton] = {}
        for name in MATERIAL_ACTIONS:
            button = QPushButton()
            button.clicked.connect(lambda _c=False, n=name: self.page.act(self, n))
            self.buttons[name] = button
            row.addWidget(button)
        for w in (self.help, self.list, self.details):
            lay.addWidget(w)
        lay.addLayout(row)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.page.add_files(self.kind, [Path(p) for p in paths])
            event.acceptProposedAction()

    def selected(self) -> Material | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None


class MaterialsPage(Page):
    def __init__(self, ctx: PageContext) -> None:
        super().__init__(ctx, "ui.task.materials", "ui.intro.materials")
        self.adding: set[str] = set()
        self.offered: set[str] = set()
        self.read_dialog: QDialog | None = None
        self._icons: dict[str, tuple[Any, QIcon]] = {}   # file -> (its thumbnail, icon)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.column.addWidget(self.busy)
        self.slots_box = QVBoxLayout()
        self.column.addLayout(self.slots_box)
        self.slots: dict[str, Slot] = {}
        self.continue_button = QPushButton()
        self.continue_button.clicked.connect(self.continued.emit)
        self.column.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.column.addStretch(1)
        self.session.processor.analysed.connect(self._analysed)
        self.session.processor.busy.connect(lambda _b: self._show_busy())
        self.session.changed.connect(self.refresh_when_seen)
        self.session.checked.connect(self.refresh_when_seen)
        self.session.switched.connect(self._forget)
        self.retranslate()
        self.refresh()

    # --- layout ---------------------------------------------------------------------------
    @property
    def cache(self) -> dict[str, Processed]:
        """The processor's display results, by file."""
        return self.session.processor.shown

    def kinds(self) -> list[str]:
        return slot_kinds(self.session.app, self.session.profile)

    def _show_busy(self) -> None:
        self.busy.setVisible(bool(self.session.processor.pending or self.adding))

    def _forget(self) -> None:
        """Another applicant (or none): the last one's thumbnails, card readings and
        picture dialogs go now, not when the page is next shown."""
        self.offered.clear()
        self.adding.clear()
        self.read_dialog = None
        for dialog in self.findChildren(QDialog):
            dialog.reject()
            dialog.setParent(None)
            dialog.deleteLater()
        for slot in self.slots.values():
            slot.list.clear()
            slot.details.clear()
        self.refresh_when_seen()

    def _analysed(self, file: str) -> None:
        self.refresh_when_seen()
        self.offer_reading(file)

    def retranslate(self) -> None:
        super().retranslate()
        if hasattr(self, "continue_button"):
            self.continue_button.setText(self.translate("ui.continue"))
            for slot in self.slots.values():
                self._label_slot(slot)
            self.refresh()

    def _label_slot(self, slot: Slot) -> None:
        s, tr = self.session, self.translate
        st = next((x for x in statuses(s.app, s.profile, s.result.findings)
                   if x.kind == slot.kind), None)
        req = st.req if st else None
        need = tr(f"ui.need.{req.need}") if req else tr("ui.need.optional")
        mark = f"{STATE_MARK[st.state]} " if st else ""
        slot.setTitle(f"{mark}{tr(f'material.{slot.kind}')} — {need}")
        slot.setAccessibleName(tr(f"material.{slot.kind}"))
        help_text = tr(f"ui.help.{slot.kind}")
        if req is not None:
            basis = render_params({"source": req.source}, tr.lang, s.profile)["source"]
            help_text += "<br>" + tr("ui.basis", source=basis)
            if req.unverified or s.profile.sources[req.source].unverified:
                help_text += tr("note.unverified")
            if req.help is not None:
                help_text += "<br>" + req.help.get(tr.lang)
        slot.help.setText(help_text)
        for name, button in slot.buttons.items():
            button.setText(tr(f"ui.material.{name}"))
            button.setAccessibleName(f"{tr(f'ui.material.{name}')} {tr(f'material.{slot.kind}')}")
        slot.buttons["whiten"].setVisible(slot.kind == "photo")
        slot.buttons["corners"].setVisible(slot.kind != "photo")

    def refresh(self) -> None:
        wanted = self.kinds()
        for kind in list(self.slots):
            if kind not in wanted:
                self.slots.pop(kind).deleteLater()
        for i, kind in enumerate(wanted):
            if kind not in self.slots:
                self.slots[kind] = Slot(self, kind)
                self._label_slot(self.slots[kind])
            self.slots_box.insertWidget(i, self.slots[kind])
        self._icons = {f: v for f, v in self._icons.items() if f in self.cache}
        for slot in self.slots.values():
            self._label_slot(slot)  # the need and basis follow the answers
            self._fill(slot)
        self._show_busy()

    def _fill(self, slot: Slot) -> None:
        current = slot.selected()
        slot.list.clear()
        for m in self.session.app.materials_of(slot.kind):
            done = self.cache.get(m.file)
            busy = done is None or m.file in self.session.processor.pending
            state = "busy" if busy else worst(self.session.findings_of_file(m.file))
            item = QListWidgetItem(f"{BADGE[state]} {shown_name(m, self.translate)}")
            item.setData(Qt.ItemDataRole.UserRole, m)
            item.setToolTip(self.translate("ui.processing") if busy
                            else self._findings_text(m.file))
            if done and done.thumb is not None:
                item.setIcon(self._icon(m.file, done.thumb))
            slot.list.addItem(item)
            if current is not None and current.file == m.file:
                slot.list.setCurrentItem(item)
        self.show_details(slot)

    def _icon(self, file: str, thumb: Any) -> QIcon:
        """A file's thumbnail as an icon, converted once per result: every refresh
        redraws every slot, and converting each thumbnail again was UI-thread time."""
        kept = self._icons.get(file)
        if kept is None or kept[0] is not thumb:
            kept = self._icons[file] = (thumb, QIcon(to_pixmap(thumb)))
        return kept[1]

    def _findings_text(self, file: str) -> str:
        texts = [render_finding(f, self.translate.lang, self.session.profile)
                 for f in self.session.findings_of_file(file) if f.severity != "info"]
        analysis = self.session.processor.analyses.get(file)
        if analysis is not None and analysis.ocr_unavailable:
            texts.append(self.translate("ui.ocr.unavailable"))
        return "\n".join(texts) or self.translate("ui.material.ok")

    def offer_reading(self, file: str) -> None:
        """Fill empty answers from the card — shown first, taken only when confirmed."""
        done = self.cache.get(file)
        if done is None or done.read is None or file in self.offered:
            return
        if not self.session.owns(file):
            return   # another household member's card: offered on their page
        offer = suggestions(self.session.app, done.read)
        self.offered.add(file)
        if not offer:
            return
        dialog = ReadDialog(offer, self.translate, self)
        dialog.accepted.connect(lambda: self._take(dialog.chosen()))
        self.read_dialog = dialog
        dialog.open()

    def _take(self, values: dict[str, Any]) -> None:
        """All the values taken from one card are one step for undo."""
        self.session.undo.beginMacro(self.translate("ui.ocr.take"))
        try:
            for path, value in values.items():
                try:
                    self.session.set_value(path, value)
                except ValueError:
                    continue
        finally:
            self.session.undo.endMacro()

    def show_details(self, slot: Slot) -> None:
        m = slot.selected()
        done = self.cache.get(m.file) if m else None
        busy = m is not None and (done is None or m.file in self.session.processor.pending)
        slot.details.setText("" if m is None else self.translate("ui.processing") if busy
                             else self._findings_text(m.file))
        for name in ("view", "rotate", "corners", "whiten", "replace", "remove"):
            slot.buttons[name].setEnabled(m is not None and (done is not None or name in (
                "remove", "replace")))

    # --- work -----------------------------------------------------------------------------
    def add_files(self, kind: str, paths: list[Path], *, replacing: str | None = None) -> None:
        """Copy ``paths`` into the application's folder and add them to ``kind``'s slot;
        ``replacing`` (a material's file) goes only once its replacement is in: a file that
        is refused leaves the slot as it was."""
        folder = self.session.base_dir / "materials"
        generation = self.session.generation
        self.adding.add(kind)
        self.busy.show()

        def copy(_task: tasks.Task) -> list[Material]:
            from forms.imaging.sanitize import store_clean_copy

            with _COPYING:
                return [Material(kind=kind, file=f"materials/{store_clean_copy(p, folder).name}",
                                 original_name=p.name[:200]) for p in paths]

        def added(materials: list[Material]) -> None:
            if self.session.generation != generation:
                return   # copied for an applicant whose file has been closed since
            self.adding.discard(kind)
            kept = [x for x in self.session.app.materials if x.file != replacing]
            self.session.set_materials(kept + materials)   # one step to undo

        def failed(exc: BaseException) -> None:
            if self.session.generation != generation:
                return
            self.adding.discard(kind)
            self.refresh()
            self.ctx.reporter.show(exc)

        tasks.start(copy, on_result=added, on_error=failed)

    def _update(self, old: Material, **changes: Any) -> None:
        materials = [m.model_copy(update=changes) if m.file == old.file else m
                     for m in self.session.app.materials]
        self.session.set_materials(materials)  # the processor sees the new choices

    def act(self, slot: Slot, action: str) -> None:
        m = slot.selected()
        if action == "add":
            files, _ = QFileDialog.getOpenFileNames(self, self.translate("ui.material.add"),
                                                    self.ctx.settings.last_folder,
                                                    f"{self.translate('ui.files')} ({FILTER})")
            if files:
                self.ctx.settings.last_folder = str(Path(files[0]).parent)
                self.add_files(slot.kind, [Path(f) for f in files])
            return
        if m is None:
            return
        if action == "remove":
            self.session.set_materials([x for x in self.session.app.materials if x.file != m.file])
        elif action == "rotate":
            self._update(m, rotate=(m.rotate + 90) % 360, corners=None)
        elif action == "replace":
            file, _ = QFileDialog.getOpenFileName(self, self.translate("ui.material.replace"),
                                                  self.ctx.settings.last_folder,
                                                  f"{self.translate('ui.files')} ({FILTER})")
            if file:
                self.add_files(slot.kind, [Path(file)], replacing=m.file)
        elif action == "corners":
            self.edit_corners(m)
        elif action == "view":
            self.view(m)
        elif action == "whiten":
            self.offer_whitening(m)

    def edit_corners(self, m: Material) -> None:
        done = self.cache.get(m.file)
        if done is None or done.original is None:
            return
        from forms.imaging.loader import load_image
        from forms.imaging.scans import _rotate

        image = _rotate(load_image(self.session.base_dir / m.file, page=m.page).image, m.rotate)
        # A doubted outline was kept out of the print, but it is the best start for the hand.
        dialog = CornerDialog(image, m.corners or done.corners or done.suggested,
                              self.translate, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._update(m, corners=dialog.corners())

    def view(self, m: Material) -> None:
        done = self.cache.get(m.file)
        if done is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(self.translate(f"material.{m.kind}"))
        lay = QHBoxLayout(dialog)
        for title, img in ((self.translate("ui.material.original"), done.original),
                           (self.translate("ui.material.processed"), done.preview)):
            col = QVBoxLayout()
            col.addWidget(QLabel(title))
            picture = QLabel()
            if img is not None:
                picture.setPixmap(to_pixmap(img).scaled(
                    480, 480, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation))
            picture.setAccessibleName(title)
            col.addWidget(picture)
            lay.addLayout(col)
        dialog.open()

    def offer_whitening(self, m: Material) -> None:
        """Whitening is shown to the user, who accepts or refuses it."""
        base, generation = self.session.base_dir, self.session.generation
        self.busy.show()

        def show(result: Processed) -> None:
            self.busy.hide()
            if self.session.generation != generation:
                return
            dialog = WhitenDialog(self.cache.get(m.file), result, self.translate, self)
            dialog.accepted.connect(lambda: self._update(m, whiten=True))
            dialog.open()

        tasks.start(lambda _t: _process(m, base, whiten=True), on_result=show,
                    on_error=self.ctx.reporter.show)


class ReadDialog(QDialog):
    """What was read from the card, for the empty answers: tick what to take."""

    def __init__(self, offer: dict[str, Any], tr: Any, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("ui.ocr.title"))
        lay = QVBoxLayout(self)
        intro = QLabel(tr("ui.ocr.question"))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.boxes: dict[str, tuple[QCheckBox, Any]] = {}
        for path, value in offer.items():
            shown = tr(f"sex.{value}") if path == "applicant.sex" else (
                value.isoformat() if hasattr(value, "isoformat") else str(value))
            box = QCheckBox(f"{tr(f'field.{path}')}：{shown}")
            box.setChecked(True)
            lay.addWidget(box)
            self.boxes[path] = (box, value)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("ui.ocr.take"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("ui.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def chosen(self) -> dict[str, Any]:
        return {path: value for path, (box, value) in self.boxes.items() if box.isChecked()}


class WhitenDialog(QDialog):
    def __init__(self, before: Processed | None, after: Processed, tr: Any,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("ui.whiten.title"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("ui.whiten.question")))
        row = QHBoxLayout()
        for label, done in ((tr("ui.material.original"), before), (tr("ui.whiten.result"), after)):
            col = QVBoxLayout()
            col.addWidget(QLabel(label))
            picture = QLabel()
            if done is not None and done.preview is not None:
                picture.setPixmap(to_pixmap(done.preview))
            col.addWidget(picture)
            row.addLayout(col)
        lay.addLayout(row)
        buttons = QDialogButtonBox()
        buttons.addButton(tr("ui.whiten.accept"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("ui.whiten.refuse"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
