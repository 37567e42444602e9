"""Where the usage mark ("仅供办理医疗保险参保登记使用，他用无效" and the date) goes on a
copy, so that it hides nothing a clerk must read.

A second-generation resident ID card (GB/T 19881 layout) has two bands with no text:
on the portrait side between the address (at most three lines, down to about 37 mm from
the top) and the ID number (from about 43 mm), left of the portrait; on the emblem side
between the title "居民身份证" (down to about 24 mm) and 签发机关 (from about 36 mm).
The mark is set there, solid and dark enough to stay legible in a black-and-white copy.
Other papers have no layout we can count on, so their mark runs in a band just below
the image, across its full width.
"""

from __future__ import annotations

from dataclasses import dataclass

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
