"""Page furniture: A4, printable margins, the footer "第 N 页 / 共 M 页" and, for drafts,
"草稿 / DRAFT" across every page. A household packet also numbers each member's pages
("张三 第 2 页 / 共 4 页"): a ``SectionMark`` at the top of a member's first page says
whose pages follow.

The total page count is only known at the end, so the canvas keeps each page's state and
draws the footers when the document is saved (reportlab's two-pass numbered-canvas idiom).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable

PAGE = A4
MARGIN = 18 * mm
FOOTER_Y = 10 * mm
PDF_VERSION = (1, 7)


SECTION_ATTR = "_yibao_section"


class SectionMark(Flowable):
    """Takes no room; marks the page it lands on, and the pages after it, as ``key``'s
    (None: nobody's, as the household cover and the legal basis)."""

    def __init__(self, key: str | None) -> None:
        super().__init__()
        self.key = key
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        setattr(self.canv, SECTION_ATTR, self.key)


def canvas_maker(
    font: str, draft: bool, footer_left: str, mark: str, page_label: str, stats: dict[str, int],
    sections: Mapping[str, str] | None = None, section_label: str = "",
    pagesize: tuple[float, float] = PAGE,
) -> type[canvas.Canvas]:
    """A Canvas class bound to this packet's font and texts. ``sections`` (a household
    packet): each member's key and name, for ``section_label`` ("{name} 第 {page} 页 / 共
    {total} 页") on the pages a SectionMark gave them. ``pagesize``: the batch summary is
    A4 landscape."""

    class PacketCanvas(canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # AES-256 (pypdf) and the draft mark's transparency need PDF 1.7 / 1.4
            kwargs["pdfVersion"] = PDF_VERSION
            if not kwargs.get("initialFontName"):  # else an unembedded Helvetica is listed
                kwargs["initialFontName"] = font
            super().__init__(*args, **kwargs)
            # printers must not "fit to page": the copies are at true size
            self.setViewerPreference("PrintScaling", "None")
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            stats["pages"] = total
            owners = [state.get(SECTION_ATTR) for state in self._pages]
            counts = {key: owners.count(key) for key in set(owners)}
            for key, n in counts.items():
                if sections is not None and key in sections:
                    stats[f"section.{key}"] = n
            seen: dict[str | None, int] = {}
            for state, owner in zip(self._pages, owners):
                self.__dict__.update(state)
                self._furniture(total)
                if sections is not None and owner is not None and owner in sections:
                    seen[owner] = seen.get(owner, 0) + 1
                    self._section_footer(sections[owner], seen[owner], counts[owner])
                super().showPage()
            super().save()

        def _section_footer(self, name: str, page: int, total: int) -> None:
            width, _ = pagesize
            self.saveState()
            self.setFont(font, 8)
            self.setFillColor(Color(0.35, 0.35, 0.35))
            self.drawCentredString(width / 2, FOOTER_Y,
                                   section_label.format(name=name, page=page, total=total))
            self.restoreState()

        def _furniture(self, total: int) -> None:
            width, _ = pagesize
            self.saveState()
            self.setFont(font, 8)
            self.setFillColor(Color(0.35, 0.35, 0.35))
            self.drawString(MARGIN, FOOTER_Y, footer_left)
            self.drawRightString(
                width - MARGIN, FOOTER_Y, page_label.format(page=self._pageNumber, total=total)
            )
            self.restoreState()
            if draft:
                self._draft_mark()

        def _draft_mark(self) -> None:
            width, height = pagesize
            self.saveState()
            self.setFillColor(Color(0.85, 0.1, 0.1, alpha=0.16))
            self.translate(width / 2, height / 2)
            self.rotate(35)
            self.setFont(font, 64)
            self.drawCentredString(0, 0, mark)
            self.restoreState()

    return PacketCanvas
