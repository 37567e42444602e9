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


TILE = 64


def sharpness(img: Image.Image) -> float:
    """How crisp the content is: the Laplacian's variance, after a slight smoothing, in the
    tenth of 64-pixel tiles that hold the most detail.

    The smoothing keeps sensor noise from passing for detail; looking only at the busiest
    tiles keeps a mostly blank page (a household register page with one heading) from
    passing for blur. Crisp print scores well over 100, a 2.5-pixel blur about 20–30 and
    an unreadable one under 10.
    """
    lap = cv2.Laplacian(cv2.GaussianBlur(_gray(img), (0, 0), 1.0), cv2.CV_64F)
    h, w = lap.shape
    rows, cols = h // TILE, w // TILE
    if rows == 0 or cols == 0:
        return float(lap.var())
    blocks = lap[: rows * TILE, : cols * TILE].reshape(rows, TILE, cols, TILE)
    variances = np.sort(blocks.var(axis=(1, 3)).ravel())[::-1]
    top = max(1, len(variances) // 10)
    return float(variances[:top].mean())


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
