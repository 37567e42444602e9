"""Legal basis: the articles the profile cites, quoted (summaries are labelled as such)."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph

from forms.packet.context import Context


def legal(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    story: list[Flowable] = [PageBreak(), Paragraph(ctx.t("packet.legal_title"), s.title)]
    for source_id in ctx.profile.legal_basis:
        src = ctx.profile.sources[source_id]
        article = src.article if isinstance(src.article, str) else (
            src.article.zh if src.article else "")
        head = " ".join(x for x in (src.title.zh, article) if x)
        block: list[Flowable] = [Paragraph(ctx.safe(head), s.h2)]
        if src.reference:
            reference = src.reference if isinstance(src.reference, str) else src.reference.zh
            block.append(Paragraph(ctx.safe(reference), s.small))
        if src.quote:
            block.append(Paragraph(ctx.safe(src.quote), s.body))
        if src.quote_is_summary:
            block.append(Paragraph(ctx.t("packet.summary_note"), s.small))
        story.append(KeepTogether(block))
    return story
