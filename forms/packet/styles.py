"""Paragraph and table styles for the packet, all in the embedded Chinese font."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle

INK = Color(0.1, 0.1, 0.12)
MUTED = Color(0.38, 0.38, 0.42)
RULE = Color(0.55, 0.55, 0.6)
SHADE = Color(0.93, 0.94, 0.96)
OK = Color(0.1, 0.45, 0.2)
BAD = Color(0.75, 0.1, 0.1)
WARN = Color(0.7, 0.45, 0.0)


@dataclass(frozen=True)
class Styles:
    font: str

    def _p(self, name: str, size: float, leading: float, **kw: object) -> ParagraphStyle:
        # CJK text may break between any two characters.
        return ParagraphStyle(
            name,
            fontName=self.font,
            fontSize=size,
            leading=leading,
            textColor=kw.pop("textColor", INK),
            wordWrap="CJK",
            **kw,
        )

    @property
    def title(self) -> ParagraphStyle:
        return self._p("title", 20, 28, alignment=TA_CENTER, spaceAfter=4)

    @property
    def subtitle(self) -> ParagraphStyle:
        return self._p("subtitle", 10.5, 15, alignment=TA_CENTER, textColor=MUTED, spaceAfter=10)

    @property
    def h2(self) -> ParagraphStyle:
        return self._p("h2", 13, 18, spaceBefore=10, spaceAfter=4)

    @property
    def body(self) -> ParagraphStyle:
        return self._p("body", 10, 15)

    @property
    def small(self) -> ParagraphStyle:
        return self._p("small", 8.5, 12, textColor=MUTED)

    @property
    def cell(self) -> ParagraphStyle:
        return self._p("cell", 10, 14)

    @property
    def label(self) -> ParagraphStyle:
        return self._p("label", 9.5, 13, textColor=MUTED)
