"""Find faces with the Haar cascade that ships inside opencv-python-headless 4.x.

It works offline and needs no model download (5.x dropped the cascades, which is why the
dependency is pinned below 5). Detection runs on a copy of bounded size; boxes come back
in the caller's coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
from PIL import Image

DETECT_SIDE = 640
MIN_FACE = 0.12       # of the shorter side: smaller detections are background clutter


@dataclass(frozen=True)
class Face:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def scaled(self, f: float) -> Face:
        return Face(self.x * f, self.y * f, self.w * f, self.h * f)


@cache
def _cascade(name: str = "haarcascade_frontalface_default.xml") -> cv2.CascadeClassifier:
    path = cv2.data.haarcascades + name  # type: ignore[attr-defined]
    cascade = cv2.CascadeClassifier(path)
    if cascade.empty():  # pragma: no cover - a broken OpenCV install
        raise RuntimeError(f"cannot load {path}")
    return cascade


def _overlap(a: Face, b: Face) -> float:
    ix = max(0.0, min(a.x + a.w, b.x + b.w) - max(a.x, b.x))
    iy = max(0.0, min(a.y + a.h, b.y + b.h) - max(a.y, b.y))
    inter = ix * iy
    return inter / min(a.w * a.h, b.w * b.h)


def _has_eye(gray: np.ndarray, x: int, y: int, w: int, h: int) -> bool:
    """The face cascade alone fires on collars and badges at low resolution; a real
    frontal face shows at least one eye in the upper part of its box."""
    roi = gray[y + h // 6: y + (h * 3) // 5, x: x + w]
    if roi.size == 0:
        return False
    side = max(6, w // 10)
    eyes = _cascade("haarcascade_eye.xml").detectMultiScale(
        roi, scaleFactor=1.1, minNeighbors=4, minSize=(side, side), maxSize=(w // 2, h // 2))
    return len(eyes) > 0


def detect_faces(img: Image.Image) -> list[Face]:
    """Frontal faces, largest first, in ``img`` coordinates."""
    factor = min(1.0, DETECT_SIDE / max(img.size))
    small = img if factor == 1.0 else img.resize(
        (round(img.width * factor), round(img.height * factor)), Image.Resampling.BILINEAR)
    gray = cv2.equalizeHist(np.asarray(small.convert("L")))
    side = round(MIN_FACE * min(gray.shape))
    boxes = _cascade().detectMultiScale(gray, scaleFactor=1.08, minNeighbors=6,
                                        minSize=(side, side))
    verified = [b for b in boxes if _has_eye(gray, *map(int, b))]
    chosen = verified if verified else list(boxes)
    faces = sorted((Face(float(x), float(y), float(w), float(h)).scaled(1 / factor)
                    for x, y, w, h in chosen), key=lambda f: f.w * f.h, reverse=True)
    kept: list[Face] = []
    for face in faces:
        if all(_overlap(face, k) < 0.4 for k in kept):
            kept.append(face)
    return kept
