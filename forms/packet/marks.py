"""Where the usage mark ("仅供办理医疗保险参保登记使用，他用无效" and the date) goes on a
copy, so that it hides nothing a clerk must read.

A second-generation resident ID card (GB/T 19881 layout) has two bands with no text:
on the portrait side between the address (at most three lines, down to about 37 mm from
the top) and the ID number (from about 43 mm), left of the portrait; on the emblem side
between the title "居民身份证" (down to about 24 mm) and 签发机关 (from about 36 mm).
The mark is set there, solid and dark enough to stay legible in a black-and-white copy.
Where the card's own print reaches into that band (a third address line set a little
low, a photo cropped a millimetre off), the band is moved up or down to where the copy
itself shows the least print (``quiet_zone``). Other papers have no layout we can count
on, so their mark runs in a band just below the image, across its full width.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

MARK_COLOUR = Color(0.62, 0.05, 0.05)  # prints as a dark grey in black and white
LEADING = 1.18
BELOW_MM = 7.0  # the band under an image whose layout is unknown


@dataclass(frozen=True)
class Zone:
    """A text-free band as fractions of the image: left, top, right, bottom (from the
    top-left corner, as one reads a card)."""

    left: float
    top: float
    right: float
    bottom: float


ZONES: dict[str, Zone] = {
    "id_card_front": Zone(0.04, 0.68, 0.62, 0.785),
    "id_card_back": Zone(0.10, 0.44, 0.90, 0.555),
}


QUIET_REACH = 0.08   # of the card's height (4.3 mm): how far the band may move either way
INK_BELOW = 60       # grey levels under the card's typical level: print, not the guilloche


def ink_rows(image: Image.Image, zone: Zone) -> np.ndarray:
    """Per pixel row of ``image``: the share of the zone's width that is print (much
    darker than the card's typical level)."""
    gray = np.asarray(image.convert("L"), dtype=np.int16)
    w = gray.shape[1]
    cols = gray[:, int(zone.left * w):max(int(zone.left * w) + 1, int(zone.right * w))]
    ink: np.ndarray = (cols < np.median(gray) - INK_BELOW).mean(axis=1)
    return ink


def quiet_zone(jpeg: bytes, zone: Zone) -> Zone:
    """``zone`` moved up or down (by at most ``QUIET_REACH``) to where the copy shows the
    least print across its width: of the places that clear, the middle of the run
    nearest to where the layout puts it, so the mark keeps its distance from the print
    above and below instead of touching one of them."""
    image = Image.open(io.BytesIO(jpeg))
    image.draft("L", (image.width // 2, image.height // 2))   # half size is plenty here
    ink = ink_rows(image, zone)
    h = len(ink)
    band = max(1, round((zone.bottom - zone.top) * h))
    sums = np.concatenate([[0.0], np.cumsum(ink)])
    home = round(zone.top * h)
    reach = round(QUIET_REACH * h)
    tops = list(range(max(0, home - reach), min(h - band, home + reach) + 1))
    if not tops:
        return zone
    inked = {t: float(sums[t + band] - sums[t]) for t in tops}
    least = min(inked.values())
    nearest = min((t for t in tops if inked[t] <= least + 1e-9), key=lambda t: abs(t - home))
    low = high = nearest
    while low - 1 in inked and inked[low - 1] <= least + 1e-9:
        low -= 1
    while high + 1 in inked and inked[high + 1] <= least + 1e-9:
        high += 1
    shift = ((low + high) // 2 - home) / h
    return replace(zone, top=zone.top + shift, bottom=zone.bottom + shift)


def fit_size(lines: list[str], font: str, width: float, height: float,
             largest: float = 9.0) -> float:
    """The largest font size (pt) at which ``lines`` fit in width × height points."""
    widest = max(stringWidth(line, font, 1.0) for line in lines)
    return float(min(largest, width / widest, height / (LEADING * len(lines))))


def draw_lines(c: Canvas, lines: list[str], font: str, x: float, y: float, width: float,
               height: float) -> None:
    """``lines`` centred in the box whose bottom-left corner is (x, y), at the size that
    fits."""
    size = fit_size(lines, font, width, height)
    block = size * LEADING * len(lines)
    c.saveState()
    c.setFillColor(MARK_COLOUR)
    c.setFont(font, size)
    top = y + (height + block) / 2
    for i, line in enumerate(lines):
        baseline = top - (i + 1) * size * LEADING + size * (LEADING - 1) / 2 + size * 0.12
        c.drawCentredString(x + width / 2, baseline, line)
    c.restoreState()
