"""Materials: one slot per kind this applicant needs (and the optional ones), each taking
dropped or picked files; every file is copied without metadata, processed on a worker
thread, and shown with its thumbnail, status and findings."""

from __future__ import annotations

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
from desktop.pages.question import Page
from desktop.session import Session
from desktop.vocabulary import MATERIAL_ACTIONS
from desktop.widgets.corners import CornerDialog
from desktop.widgets.images import to_pixmap
from forms.application import Material
from forms.findings import worst
from forms.messages import render_finding, render_params
from forms.ocr.crosscheck import crosscheck, suggestions
from forms.rules.materials import requirements_for

if TYPE_CHECKING:  # the imaging stack (OpenCV) loads on first use, in a worker
    from forms.imaging.materials import Processed

OPTIONAL_KINDS = ("hukou_head_page", "hukou_personal_page", "residence_permit", "photo",
                  "employment_proof", "other")
BADGE = {"ok": "✓", "warning": "!", "error": "✗", "busy": "…"}
FILTER = "*.jpg *.jpeg *.png *.webp *.tif *.tiff *.bmp *.heic *.heif *.pdf"


def _process(m: Material, base: Path, **kw: Any) -> Processed:
    """On a worker thread: the imaging stack (OpenCV) is imported on first use, not at
    start-up."""
    from forms.imaging.materials import process_material

    return process_material(m, base, **kw)


class Slot(QGroupBox):
    """One material kind: help, files, and the actions on the selected file."""

    files_dropped = Signal(str, list)

    def __init__(self, page: MaterialsPage, kind: str) -> None:
        super().__init__()
        self.page, self.kind, self.tr = page, kind, page.tr
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
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name in MATERIAL_ACTIONS:
            button = QPushButton()
            button.clicked.connect(lambda _c=False, n=name: self.page.act(self, n))
            self.buttons[name] = button
            row.addWidget(button)
        row.addStretch(1)
        for w in (self.help, self.list, self.details):
            lay.addWidget(w)
        lay.addLayout(row)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.page.add_files(self.kind, [Path(p) for p in paths])
            event.acceptProposedAction()

    def selected(self) -> Material | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None


class MaterialsPage(Page):
    def __init__(self, session: Session, tr: Any) -> None:
        super().__init__(session, tr, "ui.task.materials", "ui.intro.materials")
        self.cache: dict[str, Processed] = {}
        self.pending: set[str] = set()
        self.offered: set[str] = set()
        self.read_dialog: QDialog | None = None
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
        session.changed.connect(self.ensure_processing)
        session.changed.connect(self.refresh_when_seen)
        session.checked.connect(self.refresh_when_seen)
        self.retranslate()
        self.refresh()

    # --- layout ---------------------------------------------------------------------------
    def kinds(self) -> list[str]:
        needed = [r.kind for r in requirements_for(self.session.app, self.session.profile)]
        return needed + [k for k in OPTIONAL_KINDS if k not in needed]

    def retranslate(self) -> None:
        super().retranslate()
        if hasattr(self, "continue_button"):
            self.continue_button.setText(self.tr("ui.continue"))
            for slot in self.slots.values():
                self._label_slot(slot)
            self.refresh()

    def _label_slot(self, slot: Slot) -> None:
        s, tr = self.session, self.tr
        req = next((r for r in requirements_for(s.app, s.profile) if r.kind == slot.kind), None)
        need = tr(f"ui.need.{req.need}") if req else tr("ui.need.optional")
        slot.setTitle(f"{tr(f'material.{slot.kind}')} — {need}")
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
        for slot in self.slots.values():
            self._label_slot(slot)  # the need and basis follow the answers
            self._fill(slot)
        self.busy.setVisible(bool(self.pending))

    def _fill(self, slot: Slot) -> None:
        current = slot.selected()
        slot.list.clear()
        for m in self.session.app.materials_of(slot.kind):
            done = self.cache.get(m.file)
            state = "busy" if done is None else worst(self.findings_of(done))
            item = QListWidgetItem(f"{BADGE[state]} {Path(m.file).name}")
            item.setData(Qt.ItemDataRole.UserRole, m)
            item.setToolTip(self._findings_text(done) if done else self.tr("ui.processing"))
            if done and done.thumb is not None:
                item.setIcon(QIcon(to_pixmap(done.thumb)))
            slot.list.addItem(item)
            if current is not None and current.file == m.file:
                slot.list.setCurrentItem(item)
        self.show_details(slot)

    def findings_of(self, done: Processed) -> list[Any]:
        """The image's own findings and, for cards read, the cross-check with the answers
        as they stand now."""
        found = list(done.findings)
        if done.read is not None:
            found += crosscheck(self.session.app, done.read)
        return found

    def _findings_text(self, done: Processed) -> str:
        texts = [render_finding(f, self.tr.lang, self.session.profile)
                 for f in self.findings_of(done) if f.severity != "info"]
        if done.ocr_unavailable:
            texts.append(self.tr("ui.ocr.unavailable"))
        return "\n".join(texts) or self.tr("ui.material.ok")

    def offer_reading(self, file: str) -> None:
        """Fill empty answers from the card — shown first, taken only when confirmed."""
        done = self.cache.get(file)
        if done is None or done.read is None or file in self.offered:
            return
        offer = suggestions(self.session.app, done.read)
        self.offered.add(file)
        if not offer:
            return
        dialog = ReadDialog(offer, self.tr, self)
        dialog.accepted.connect(lambda: self._take(dialog.chosen()))
        self.read_dialog = dialog
        dialog.open()

    def _take(self, values: dict[str, Any]) -> None:
        """All the values taken from one card are one step for undo."""
        self.session.undo.beginMacro(self.tr("ui.ocr.take"))
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
        slot.details.setText(self._findings_text(done) if done else "")
        for name in ("view", "rotate", "corners", "whiten", "replace", "remove"):
            slot.buttons[name].setEnabled(m is not None and (done is not None or name in (
                "remove", "replace")))

    # --- work -----------------------------------------------------------------------------
    def ensure_processing(self) -> None:
        """Process every material not yet processed, whether or not the page is shown, so
        thumbnails and findings are ready when the user gets here."""
        known = {m.file for m in self.session.app.materials}
        for file in [f for f in self.cache if f not in known]:
            del self.cache[file]
        for m in self.session.app.materials:
            if m.file not in self.cache and m.file not in self.pending:
                self._process(m)

    def _process(self, m: Material, whiten: bool | None = None) -> None:
        base = self.session.base_dir
        self.pending.add(m.file)
        self.busy.show()

        def done(result: Processed) -> None:
            self.pending.discard(m.file)
            self.cache[m.file] = result
            self.refresh()
            self.offer_reading(m.file)

        def failed(exc: BaseException) -> None:
            self.pending.discard(m.file)
            self.window().show_error(exc)  # type: ignore[attr-defined]
            self.refresh()

        tasks.start(lambda _t: _process(m, base, read=True), on_result=done, on_error=failed)

    def add_files(self, kind: str, paths: list[Path]) -> None:
        folder = self.session.base_dir / "materials"
        self.pending.add(f"adding:{kind}")
        self.busy.show()

        def copy(_task: tasks.Task) -> list[Material]:
            from forms.imaging.sanitize import store_clean_copy

            return [Material(kind=kind, file=f"materials/{store_clean_copy(p, folder).name}")
                    for p in paths]

        def added(materials: list[Material]) -> None:
            self.pending.discard(f"adding:{kind}")
            self.session.set_materials(self.session.app.materials + materials)

        def failed(exc: BaseException) -> None:
            self.pending.discard(f"adding:{kind}")
            self.refresh()
            self.window().show_error(exc)  # type: ignore[attr-defined]

        tasks.start(copy, on_result=added, on_error=failed)

    def _update(self, old: Material, **changes: Any) -> None:
        materials = [m.model_copy(update=changes) if m.file == old.file else m
                     for m in self.session.app.materials]
        self.cache.pop(old.file, None)
        self.session.set_materials(materials)

    def act(self, slot: Slot, action: str) -> None:
        m = slot.selected()
        if action == "add":
            files, _ = QFileDialog.getOpenFileNames(self, self.tr("ui.material.add"),
                                                    self.window().settings.last_folder,  # type: ignore[attr-defined]
                                                    f"{self.tr('ui.files')} ({FILTER})")
            if files:
                self.window().settings.last_folder = str(Path(files[0]).parent)  # type: ignore[attr-defined]
                self.add_files(slot.kind, [Path(f) for f in files])
            return
        if m is None:
            return
        if action == "remove":
            self.session.set_materials([x for x in self.session.app.materials if x.file != m.file])
        elif action == "rotate":
            self._update(m, rotate=(m.rotate + 90) % 360, corners=None)
        elif action == "replace":
            file, _ = QFileDialog.getOpenFileName(self, self.tr("ui.material.replace"),
                                                  self.window().settings.last_folder,  # type: ignore[attr-defined]
                                                  f"{self.tr('ui.files')} ({FILTER})")
            if file:
                self.session.set_materials([x for x in self.session.app.materials
                                            if x.file != m.file])
                self.add_files(slot.kind, [Path(file)])
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
        dialog = CornerDialog(image, m.corners or done.corners, self.tr, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._update(m, corners=dialog.corners())

    def view(self, m: Material) -> None:
        done = self.cache.get(m.file)
        if done is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr(f"material.{m.kind}"))
        lay = QHBoxLayout(dialog)
        for title, img in ((self.tr("ui.material.original"), done.original),
                           (self.tr("ui.material.processed"), done.preview)):
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
        base = self.session.base_dir
        self.busy.show()

        def show(result: Processed) -> None:
            self.busy.hide()
            dialog = WhitenDialog(self.cache.get(m.file), result, self.tr, self)
            dialog.accepted.connect(lambda: self._update(m, whiten=True))
            dialog.open()

        tasks.start(lambda _t: _process(m, base, whiten=True), on_result=show,
                    on_error=lambda e: self.window().show_error(e))  # type: ignore[attr-defined]


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
