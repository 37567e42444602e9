"""The words set on and under every copy: what it is, and the one use it may serve."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from forms.packet.context import Context
from forms.packet.prepare import Prepared


def use_mark(ctx: Context) -> list[str]:
    """The usage mark ("仅供办理医疗保险参保登记使用，他用无效") and the date, set on each copy."""
    return [ctx.t("packet.copy_mark"), ctx.date_text(ctx.on)]


def caption(ctx: Context, p: Prepared) -> Paragraph:
    return Paragraph(ctx.t(f"material.{p.material.kind}"), ctx.styles.label)
