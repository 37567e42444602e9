"""Copies of the documents: the ID document's two sides on one page at true size, then the
household register, residence permit and other papers, then the photo sheet."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
)

from forms.packet.context import Context
from forms.packet.flowables import CutMarkedPhotos, PlacedImage, fitted
from forms.packet.marks import BELOW_MM, ZONES
from forms.packet.page import MARGIN, PAGE
from forms.packet.prepare import Prepared, at_print_size

ID_1 = (85.6, 54.0)
FRAME_MM = ((PAGE[0] - 2 * MARGIN) / mm, (PAGE[1] - 2 * MARGIN) / mm - 30)


def use_mark(ctx: Context) -> list[str]:
    return [ctx.t("packet.copy_mark"), ctx.date_text(ctx.on)]


def _caption(ctx: Context, p: Prepared) -> Paragraph:
    return Paragraph(ctx.t(f"material.{p.material.kind}"), ctx.styles.label)


def id_copy(ctx: Context) -> list[Flowable]:
    sides = ctx.of_kind("id_card_front") + ctx.of_kind("id_card_back")
    if not sides:
        return []
    s = ctx.styles
    story: list[Flowable] = [PageBreak(), Paragraph(ctx.t("packet.id_copy_title"), s.title)]
    if all(p.size_mm is not None for p in sides):  # never claim true size for a doubtful crop
        story.append(Paragraph(ctx.t("packet.id_copy_note"), s.subtitle))
    for p in sides:
        size = p.size_mm or fitted(p, ID_1)
        story += [
            Spacer(1, 8 * mm),
            _caption(ctx, p),
            Spacer(1, 2 * mm),
            PlacedImage(p, size, ctx.font.name, use_mark(ctx),
                        zone=ZONES.get(p.material.kind) if p.size_mm else None),
        ]
    return story


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
                _caption(ctx, p),
                Spacer(1, 2 * mm),
                PlacedImage(p, size, ctx.font.name, use_mark(ctx)),
                Spacer(1, 8 * mm),
            ]
            story += [CondPageBreak((size[1] + BELOW_MM) * mm + 20 * mm), KeepTogether(block)]
    if story:
        story = [PageBreak(), Paragraph(ctx.t("packet.documents_title"), ctx.styles.title), *story]
    return story


def photos(ctx: Context) -> list[Flowable]:
    found = ctx.of_kind("photo")
    if not ctx.photo_copies or not found:
        return []
    p = found[0]
    size = p.size_mm or (25.0, 35.0)
    return [
        PageBreak(),
        Paragraph(ctx.t("packet.photos_title"), ctx.styles.title),
        Paragraph(ctx.t("packet.photos_note", count=ctx.photo_copies), ctx.styles.subtitle),
        Spacer(1, 6 * mm),
        CutMarkedPhotos(p, size, ctx.photo_copies),
    ]
