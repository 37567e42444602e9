"""Pillow images to Qt, on the UI thread (QPixmap may not be made elsewhere)."""

from __future__ import annotations

from PIL import Image
from PySide6.QtGui import QImage, QPixmap


def to_qimage(img: Image.Image) -> QImage:
    rgb = img.convert("RGB")
    data = rgb.tobytes()
    q = QImage(data, rgb.width, rgb.height, 3 * rgb.width, QImage.Format.Format_RGB888)
    return q.copy()  # own the pixels: ``data`` goes away


def to_pixmap(img: Image.Image) -> QPixmap:
    return QPixmap.fromImage(to_qimage(img))
