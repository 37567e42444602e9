"""The ID document's two sides on one page at true size (85.6 × 54 mm), each marked for
its one use in the card's text-free band."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from forms.packet.context import Context
from forms.packet.flowables import PlacedImage, fitted
from forms.packet.marks import ZONES, quiet_zone
from forms.packet.sections.captions import caption, use_mark

ID_1 = (85.6, 54.0)


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
        zone = ZONES.get(p.material.kind) if p.size_mm else None
        if zone is not None and p.jpeg is not None:
            zone = quiet_zone(p.jpeg, zone)   # clear of the print on this very copy
        story += [
            Spacer(1, 8 * mm),
            caption(ctx, p),
            Spacer(1, 2 * mm),
            PlacedImage(p, size, ctx.font.name, use_mark(ctx), zone=zone),
        ]
    return story
