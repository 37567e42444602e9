"""Is an image good enough to print and be read at the counter?

Each measure is cheap and computed on a copy of bounded size, so the figures mean the
same for a 2-megapixel scan and a 48-megapixel phone photo.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from forms.findings import Finding, error, warning
from forms.imaging.specs import specs

MEASURE_WIDTH = 1000


def _gray(img: Image.Image, width: int = MEASURE_WIDTH) -> np.ndarray:
    arr = np.asarray(img.convert("L"))
    if arr.shape[1] != width:
        h = max(1, round(arr.shape[0] * width / arr.shape[1]))
        interp = cv2.INTER_AREA if arr.shape[1] > width else cv2.INTER_CUBIC
        arr = cv2.resize(arr, (width, h), interpolation=interp)
    return arr


def sharpness(img: Image.Image) -> float:
    """Variance of the Laplacian at a fixed width, after a slight smoothing.

    Without the smoothing, sensor noise alone scores as sharp (a card blurred beyond
    reading still scored 65 with mild noise); with it, crisp text scores about 120–150,
    a 1.5-pixel blur about 25 and an unreadable one under 10, noise or not.
    """
    smooth = cv2.GaussianBlur(_gray(img), (0, 0), 1.0)
    return float(cv2.Laplacian(smooth, cv2.CV_64F).var())


def brightness(img: Image.Image) -> float:
    return float(_gray(img, 400).mean())


def glare_fraction(img: Image.Image) -> float:
    """Share of pixels clipped to white in all channels (reflections on laminated cards)."""
    arr = np.asarray(img.resize((400, max(1, round(400 * img.height / img.width)))))
    return float((arr.min(axis=2) >= 250).mean())


def resolution_findings(dpi: float, field: str) -> list[Finding]:
    q = specs().quality
    if dpi < q.dpi_min:
        return [error("image.resolution_low", field, dpi=round(dpi), needed=q.dpi_min)]
    if dpi < q.dpi_good:
        return [warning("image.resolution_fair", field, dpi=round(dpi), good=q.dpi_good)]
    return []


def look_findings(img: Image.Image, field: str, *, card: bool) -> list[Finding]:
    """Blur, darkness and (for laminated cards) glare."""
    q = specs().quality
    out: list[Finding] = []
    sharp = sharpness(img)
    if sharp < q.sharpness_min:
        out.append(error("image.blurry", field, score=round(sharp)))
    elif sharp < q.sharpness_good:
        out.append(warning("image.soft", field, score=round(sharp)))
    light = brightness(img)
    if light < q.dark_mean_error:
        out.append(error("image.too_dark", field))
    elif light < q.dark_mean_warning:
        out.append(warning("image.dark", field))
    if card and glare_fraction(img) > q.glare_fraction_warning:
        out.append(warning("image.glare", field))
    return out
