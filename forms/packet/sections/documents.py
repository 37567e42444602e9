"""Copies of the other papers: household register pages, residence permit, proof of
employment and anything else, each at its true size when it fits the page, marked below."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from forms.packet.context import Context
from forms.packet.flowables import PlacedImage, fitted
from forms.packet.marks import BELOW_MM
from forms.packet.page import MARGIN, PAGE
from forms.packet.prepare import at_print_size
from forms.packet.sections.captions import caption, use_mark

FRAME_MM = ((PAGE[0] - 2 * MARGIN) / mm, (PAGE[1] - 2 * MARGIN) / mm - 30)


def documents(ctx: Context) -> list[Flowable]:
    kinds = (
        "residence_permit",
        "hukou_head_page",
        "hukou_personal_page",
        "birth_certificate",
        "guardian_id",
        "employment_proof",
        "other",
    )
    story: list[Flowable] = []
    for kind in kinds:
        for p in ctx.of_kind(kind):
            size = (
                p.size_mm
                if p.size_mm and p.size_mm[0] <= FRAME_MM[0] and p.size_mm[1] <= FRAME_MM[1]
                else fitted(p, FRAME_MM)
            )
            p = at_print_size(p, size)
            block = [
                caption(ctx, p),
                Spacer(1, 2 * mm),
                PlacedImage(p, size, ctx.font.name, use_mark(ctx)),
                Spacer(1, 8 * mm),
            ]
            story += [CondPageBreak((size[1] + BELOW_MM) * mm + 20 * mm), KeepTogether(block)]
    if story:
        story = [PageBreak(), Paragraph(ctx.t("packet.documents_title"), ctx.styles.title), *story]
    return story
