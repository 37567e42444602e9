"""Flowables that place images at an exact physical size, optionally marked for one use."""

from __future__ import annotations

import math

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from forms.packet.marks import BELOW_MM, Zone, draw_lines
from forms.packet.prepare import Prepared


def fitted(prepared: Prepared, box_mm: tuple[float, float]) -> tuple[float, float]:
    """The largest size inside ``box_mm`` with the image's proportions, in millimetres."""
    w, h = prepared.size_px
    scale = min(box_mm[0] / w, box_mm[1] / h)
    return w * scale, h * scale


class PlacedImage(Flowable):
    """An image drawn at ``size_mm`` exactly; ``mark`` lines go in the text-free ``zone``
    of the document (see forms.packet.marks) or, with no zone known, in a band below it."""

    def __init__(
        self,
        prepared: Prepared,
        size_mm: tuple[float, float],
        font: str,
        mark: list[str] | None = None,
        outline: bool = True,
        zone: Zone | None = None,
    ) -> None:
        super().__init__()
        self.prepared = prepared
        self.width, self.height = size_mm[0] * mm, size_mm[1] * mm
        self.font = font
        self.mark = mark or []
        self.outline = outline
        self.zone = zone
        self.below = BELOW_MM * mm if self.mark and zone is None else 0.0
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height + self.below

    def draw(self) -> None:
        c = self.canv
        if self.below:
            draw_lines(c, self.mark, self.font, 0, 0, self.width, self.below)
            c.translate(0, self.below)
        c.drawImage(self.prepared.reader(), 0, 0, self.width, self.height)
        if self.outline:
            c.saveState()
            c.setStrokeColor(Color(0.6, 0.6, 0.6))
            c.setLineWidth(0.3)
            c.rect(0, 0, self.width, self.height)
            c.restoreState()
        if self.mark:
            self._draw_mark()

    def _draw_mark(self) -> None:
        z = self.zone
        if z is None:
            return
        draw_lines(self.canv, self.mark, self.font, z.left * self.width,
                   (1 - z.bottom) * self.height, (z.right - z.left) * self.width,
                   (z.bottom - z.top) * self.height)


class CutMarkedPhotos(Flowable):
    """``count`` copies of a photo at exactly ``size_mm``, in rows, with cut marks."""

    def __init__(
        self,
        prepared: Prepared,
        size_mm: tuple[float, float],
        count: int,
        columns: int = 5,
        gap_mm: float = 6.0,
    ) -> None:
        super().__init__()
        self.prepared, self.count = prepared, count
        self.w, self.h = size_mm[0] * mm, size_mm[1] * mm
        self.columns = min(columns, count)
        self.rows = math.ceil(count / self.columns)
        self.gap = gap_mm * mm
        self.width = self.columns * self.w + (self.columns - 1) * self.gap
        self.height = self.rows * self.h + (self.rows - 1) * self.gap
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        reader = self.prepared.reader()
        mark = 2.5 * mm
        c.setStrokeColor(Color(0.45, 0.45, 0.45))
        c.setLineWidth(0.3)
        for i in range(self.count):
            row, col = divmod(i, self.columns)
            x = col * (self.w + self.gap)
            y = self.height - (row + 1) * self.h - row * self.gap
            c.drawImage(reader, x, y, self.w, self.h)
            for cx, cy, dx, dy in (
                (x, y, -1, -1),
                (x + self.w, y, 1, -1),
                (x, y + self.h, -1, 1),
                (x + self.w, y + self.h, 1, 1),
            ):
                c.line(cx, cy + dy * 0.5 * mm, cx, cy + dy * (0.5 * mm + mark))
                c.line(cx + dx * 0.5 * mm, cy, cx + dx * (0.5 * mm + mark), cy)
