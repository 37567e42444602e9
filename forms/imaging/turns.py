"""Which way up a straightened ID card lies, from its printed layout alone.

Straightening puts a card's long side level, so what is left is a half turn. The layout
settles it without reading a word: on the portrait side the long number runs along the
bottom right and the portrait fills the upper right, where no small print is; on the
emblem side the red emblem sits top left. Turned half round, each mark lands in the
opposite corner. When neither arrangement stands out (another document, a bad crop) the
answer is "unknown" and the reader finds out from the text.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

CARD_MM = (85.6, 54.0)
# (x0, y0, x1, y1) in mm from the upright card's top-left corner
NUMBER_ROW = (30.0, 44.5, 80.0, 50.5)     # the 18-digit number: dense small print
PORTRAIT = (57.0, 8.0, 80.0, 36.0)        # the photo: large shapes, no small print
EMBLEM = (8.0, 6.0, 22.0, 20.0)           # the national emblem: strongly coloured
SURE = 0.35                               # the margin, relative, that decides


def _box(size: tuple[int, int], mm: tuple[float, float, float, float], turned: bool,
         ) -> tuple[int, int, int, int]:
    w, h = size
    x0, y0, x1, y1 = mm
    if turned:  # the same place on a card lying upside down
        x0, y0, x1, y1 = CARD_MM[0] - x1, CARD_MM[1] - y1, CARD_MM[0] - x0, CARD_MM[1] - y0
    sx, sy = w / CARD_MM[0], h / CARD_MM[1]
    return round(x0 * sx), round(y0 * sy), round(x1 * sx), round(y1 * sy)


def _mean(values: np.ndarray, box: tuple[int, int, int, int]) -> float:
    x0, y0, x1, y1 = box
    part = values[y0:y1, x0:x1]
    return float(part.mean()) if part.size else 0.0


def _decide(upright: float, turned: float) -> bool | None:
    """True: upside down; False: upright; None: no clear difference."""
    total = upright + turned
    if total <= 1e-6 or abs(upright - turned) < SURE * total:
        return None
    return turned > upright


def upside_down(card: Image.Image, kind: str) -> bool | None:
    """Whether the straightened ``card`` of ``kind`` lies upside down; None when its
    layout does not say (not an ID card side, or nothing recognisable where expected)."""
    if kind not in ("id_card_front", "id_card_back"):
        return None
    small = card.convert("RGB").resize((428, 270), Image.Resampling.BILINEAR)  # 5 px/mm
    size = small.size
    if kind == "id_card_back":
        hsv = cv2.cvtColor(np.asarray(small), cv2.COLOR_RGB2HSV)
        vivid = ((hsv[..., 1] > 90) & (hsv[..., 2] > 60)).astype(np.float32)
        return _decide(_mean(vivid, _box(size, EMBLEM, False)),
                       _mean(vivid, _box(size, EMBLEM, True)))
    gray = cv2.cvtColor(np.asarray(small), cv2.COLOR_RGB2GRAY)
    strokes = (cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT,
                                cv2.getStructuringElement(cv2.MORPH_RECT, (7, 7))) > 40)
    ink = strokes.astype(np.float32)
    # Upright: print in the number row, none in the portrait; the turned places swap.
    upright = _mean(ink, _box(size, NUMBER_ROW, False)) + _mean(ink, _box(size, PORTRAIT, True))
    turned = _mean(ink, _box(size, NUMBER_ROW, True)) + _mean(ink, _box(size, PORTRAIT, False))
    return _decide(upright, turned)
