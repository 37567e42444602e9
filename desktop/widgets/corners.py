"""Drag the four corners of a document when automatic straightening could not find them."""

from __future__ import annotations

from typing import Any

from PIL import Image
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPen, QPolygonF
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPolygonItem,
    QGraphicsScene,
    QGraphicsView,
    QLabel,
    QVBoxLayout,
)

from desktop.widgets.images import to_pixmap

VIEW_SIDE = 900
HANDLE = 9.0


class _Handle(QGraphicsEllipseItem):
    def __init__(self, dialog: CornerDialog, point: QPointF) -> None:
        super().__init__(-HANDLE, -HANDLE, 2 * HANDLE, 2 * HANDLE)
        self.dialog = dialog
        self.setPos(point)
        self.setBrush(QBrush(QColor(255, 200, 0, 200)))
        self.setPen(QPen(QColor(30, 30, 30), 2))
        # the same size on screen however far the photo is shrunk to fit the view
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
                      | QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setCursor(Qt.CursorShape.SizeAllCursor)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            self.dialog.redraw()
        return super().itemChange(change, value)


class CornerDialog(QDialog):
    """Shows the upright original with four handles; ``corners()`` in source pixels."""

    def __init__(self, image: Image.Image, corners: list[tuple[float, float]] | None,
                 tr: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("ui.corners.title"))
        self.scale = min(1.0, VIEW_SIDE / max(image.size))
        shown = image.resize((round(image.width * self.scale), round(image.height * self.scale)))
        scene = QGraphicsScene(self)
        scene.addPixmap(to_pixmap(shown))
        scene.setSceneRect(0, 0, shown.width, shown.height)  # a handle dragged off stays findable
        w, h = image.size
        start = corners or [(0.08 * w, 0.08 * h), (0.92 * w, 0.08 * h), (0.92 * w, 0.92 * h),
                            (0.08 * w, 0.92 * h)]
        self.outline = QGraphicsPolygonItem()
        pen = QPen(QColor(255, 200, 0), 2)
        pen.setCosmetic(True)
        self.outline.setPen(pen)
        scene.addItem(self.outline)
        self.handles = [_Handle(self, QPointF(x * self.scale, y * self.scale)) for x, y in start]
        for handle in self.handles:
            scene.addItem(handle)
        self.view = QGraphicsView(scene)
        self.view.setAccessibleName(tr("ui.corners.title"))
        lay = QVBoxLayout(self)
        hint = QLabel(tr("ui.corners.hint"))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        lay.addWidget(self.view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(1000, int(0.9 * screen.width())), min(760, int(0.85 * screen.height())))
        self.redraw()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self._fit()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The whole photo in view, whatever the screen: on a 768-pixel-high screen it
        used to open at its working size with scroll bars, and the corners of a card
        near the photo's edge lay out of sight."""
        self.view.fitInView(self.view.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def redraw(self) -> None:
        if hasattr(self, "handles"):
            self.outline.setPolygon(QPolygonF([h.pos() for h in self.handles]))

    def corners(self) -> list[tuple[float, float]]:
        return [(h.pos().x() / self.scale, h.pos().y() / self.scale) for h in self.handles]
