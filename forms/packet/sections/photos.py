"""The sheet of passport-style photos, with cut marks, when copies are asked for."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from forms.packet.context import Context
from forms.packet.flowables import CutMarkedPhotos


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
