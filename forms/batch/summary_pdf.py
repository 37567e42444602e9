"""``summary.pdf``: the batch as a printed list a staff member works down with a pen.

A4 landscape, the packet's embedded Chinese font and styles, a tick box on every row, the
header repeated on every page, the date and "page N of M" in the footer. A row must fit
on a page (reportlab cannot split a table row), so very long cells are cut here with a
note; summary.csv keeps every word.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from forms.atomic import write_bytes
from forms.batch.rows import SummaryRow, headers
from forms.messages import t
from forms.packet.fonts import PacketFont, find_font, with_fallbacks
from forms.packet.page import canvas_maker
from forms.packet.styles import BAD, OK, RULE, SHADE, WARN, Styles

PAGE = landscape(A4)
MARGIN = 12 * mm
# tick, no., name, ID, city, route, status, problems, packet / source (sums to 273 mm)
WIDTHS_MM = (9, 9, 22, 36, 18, 35, 17, 84, 43)
MAX_CELL = 160
MAX_ERRORS_CELL = 600
STATUS_COLOUR = {"ready": OK, "has_errors": BAD, "needs_passphrase": WARN,
                 "unusable": BAD, "skipped": WARN}


class TickBox(Flowable):
    """An empty square to tick by hand."""

    def __init__(self, size: float = 4.2 * mm) -> None:
        super().__init__()
        self.width = self.height = size

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.width, self.height)


def _cut(text: str, limit: int, lang: str) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rstrip() + t("cli.batch_cut", lang)


def summary_pdf_bytes(rows: list[SummaryRow], lang: str, *, on: dt.date, title_note: str,
                      counts: str, font: str | None = None, invariant: bool = False) -> bytes:
    texts = [c for r in rows for c in r.cells()] + [title_note]
    pf = with_fallbacks(find_font(font), texts)
    st = Styles(pf.name)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN + 4,
                            title=t("cli.batch_title", lang), author="yibao-desk",
                            creator="yibao-desk", invariant=1 if invariant else 0,
                            lang="zh-CN" if lang == "zh" else "en")
    story: list[Flowable] = [
        Paragraph(_m(pf, t("cli.batch_title", lang)), st.h2),
        Paragraph(_m(pf, title_note), st.small),
        Paragraph(_m(pf, counts), st.body),
        Spacer(1, 3 * mm),
        _table(rows, lang, pf, st),
    ]
    stats: dict[str, int] = {}
    maker = canvas_maker(pf.name, False,
                         t("cli.batch_footer", lang, date=on.isoformat()), "",
                         t("packet.page_label", lang), stats, pagesize=PAGE)
    doc.build(story, canvasmaker=maker)
    return buf.getvalue()


def _problems(pf: PacketFont, errors: tuple[str, ...], lang: str) -> str:
    """One line per problem, cut to what fits on a page."""
    lines, used = [], 0
    for e in errors:
        if used + len(e) > MAX_ERRORS_CELL:
            lines.append(_m(pf, t("cli.batch_cut", lang)))
            break
        lines.append("• " + _m(pf, _cut(e, MAX_CELL * 2, lang)) if len(errors) > 1
                     else _m(pf, _cut(e, MAX_CELL * 2, lang)))
        used += len(e)
    return "<br/>".join(lines)


def _m(pf: PacketFont, text: str) -> str:
    return pf.markup(text)


def _style(st: Styles, name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
    """The packet's body style at a table's smaller size (CJK wrapping, same ink)."""
    return ParagraphStyle(name, parent=st.body, fontSize=size, leading=leading, **kw)


def _table(rows: list[SummaryRow], lang: str, pf: PacketFont, st: Styles) -> Table:
    cell = _style(st, "batch_cell", 8.5, 11)
    head = _style(st, "batch_head", 8.5, 11)
    small = _style(st, "batch_small", 7, 9, textColor=RULE)
    data: list[list[object]] = [
        [Paragraph(_m(pf, t("cli.batch_col_done", lang)), head)]
        + [Paragraph(_m(pf, h), head) for h in headers(lang)[:7]]
        + [Paragraph(_m(pf, t("cli.batch_col_packet_source", lang)), head)]]
    style = [
        ("FONT", (0, 0), (-1, -1), pf.name, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for i, r in enumerate(rows, start=1):
        status = _style(st, f"status_{r.status}", 8.5, 11, textColor=STATUS_COLOUR[r.status])
        packet = _m(pf, _cut(r.packet, MAX_CELL, lang)) or "—"
        source = _m(pf, _cut(r.source, MAX_CELL, lang))
        data.append([
            TickBox(),
            Paragraph(str(r.no), cell),
            Paragraph(_m(pf, _cut(r.name, MAX_CELL, lang)), cell),
            Paragraph(_m(pf, r.id_masked), cell),
            Paragraph(_m(pf, _cut(r.city, MAX_CELL, lang)), cell),
            Paragraph(_m(pf, r.route), cell),
            Paragraph(_m(pf, r.status_text), status),
            Paragraph(_problems(pf, r.error_list, lang), cell),
            [Paragraph(packet, cell), Paragraph(source, small)],
        ])
        if i % 2 == 0:
            style.append(("BACKGROUND", (0, i), (-1, i), SHADE))
    return Table(data, colWidths=[w * mm for w in WIDTHS_MM], repeatRows=1,
                 style=TableStyle(style))


def write_pdf(rows: list[SummaryRow], lang: str, dest: Path, **kw: object) -> None:
    write_bytes(summary_pdf_bytes(rows, lang, **kw), dest)  # type: ignore[arg-type]

