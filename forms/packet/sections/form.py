"""The registration form: every field of a typical city form, in a ruled table, with lines
left for the applicant's signature and the date in ink."""

from __future__ import annotations

from reportlab.lib.colors import white
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from forms.packet.context import Context
from forms.packet.styles import RULE, SHADE

LABEL_W, VALUE_W = 28 * mm, 59 * mm


def _rows(ctx: Context) -> list[tuple[str, str, str | None, str | None]]:
    """(label, value, label, value); a row with None in the third cell spans the width."""
    a, h, r, c = ctx.app.applicant, ctx.app.hukou, ctx.app.residence, ctx.app.contact
    sch, bank = ctx.app.scheme, ctx.app.bank
    f = ctx.t

    def v(text: object) -> str:
        return "" if text is None else str(text)

    sex = a.sex or None
    validity = ctx.t("packet.long_term") if a.id_long_term else ctx.date_text(a.id_valid_until)
    base = ""
    fx = ctx.result.estimates.flexible
    if sch.scheme == "flexible":
        if fx.method == "fixed":
            base = ctx.t("packet.base_fixed")
        elif sch.contribution_base is not None:
            base = f"{sch.contribution_base:,.2f}"
    return [
        (
            f("field.applicant.id_type"),
            f(f"id_type.{a.id_type}"),
            f("field.applicant.id_number"),
            v(a.id_number),
        ),
        (
            f("field.applicant.name"),
            v(a.name),
            f("field.applicant.sex"),
            f(f"sex.{sex}") if sex else "",
        ),
        (
            f("field.applicant.ethnicity"),
            v(a.ethnicity),
            f("field.applicant.birth_date"),
            ctx.date_text(a.birth_date),
        ),
        (f("field.applicant.nationality"), v(a.nationality), f("packet.id_validity"), validity),
        (
            f("field.hukou.type"),
            f(f"hukou_type.{h.type}") if h.type else "",
            f("field.hukou.region"),
            v(h.region),
        ),
        (f("field.hukou.address"), v(h.address), None, None),
        (f("field.residence.address"), v(r.address), None, None),
        (
            f("field.residence.permit_number"),
            v(r.permit_number),
            f("field.residence.permit_valid_until"),
            ctx.date_text(r.permit_valid_until),
        ),
        (
            f("field.contact.mobile"),
            v(c.mobile),
            f("field.employment.situation"),
            f(f"situation.{ctx.app.employment.situation}") if ctx.app.employment.situation else "",
        ),
        (f("field.scheme.scheme"), f(f"scheme.{sch.scheme}") if sch.scheme else "", None, None),
        (
            f("packet.contribution"),
            base,
            f("field.scheme.start_date"),
            ctx.date_text(sch.start_date),
        ),
        (
            f("packet.enrolment_type"),
            f("packet.first" if sch.first_enrolment else "packet.renewal"),
            f("field.contact.email"),
            v(c.email),
        ),
        (f("field.bank.bank"), v(bank.bank if bank else None), None, None),
        (
            f("field.bank.holder"),
            v(bank.holder if bank else None),
            f("field.bank.account"),
            v(bank.account if bank else None),
        ),
    ]


def form(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    scheme = ctx.t(f"scheme.{ctx.app.scheme.scheme}") if ctx.app.scheme.scheme else ""
    data, spans = [], []
    for i, (l1, v1, l2, v2) in enumerate(_rows(ctx)):
        if l2 is None:
            data.append([Paragraph(l1, s.label), Paragraph(ctx.safe(v1), s.cell), "", ""])
            spans += [("SPAN", (1, i), (3, i)), ("BACKGROUND", (1, i), (3, i), white)]
        else:
            data.append(
                [
                    Paragraph(l1, s.label),
                    Paragraph(ctx.safe(v1), s.cell),
                    Paragraph(l2, s.label),
                    Paragraph(ctx.safe(v2 or ""), s.cell),
                ]
            )
    table = Table(data, colWidths=[LABEL_W, VALUE_W, LABEL_W, VALUE_W], rowHeights=11 * mm)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), ctx.font.name),
                ("GRID", (0, 0), (-1, -1), 0.6, RULE),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("BACKGROUND", (2, 0), (2, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                *spans,
            ]
        )
    )
    sign = Table(
        [
            [Paragraph(ctx.t("packet.declaration"), s.body)],
            [Paragraph(ctx.t("packet.signature_line"), s.body)],
        ],
        colWidths=[2 * (LABEL_W + VALUE_W)],
        rowHeights=[12 * mm, 16 * mm],
    )
    sign.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), ctx.font.name),
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    return [
        PageBreak(),
        Paragraph(ctx.t("packet.form_title", region=ctx.region), s.title),
        Paragraph(ctx.safe(scheme), s.subtitle),
        table,
        Spacer(1, 6 * mm),
        KeepTogether([sign]),
        Spacer(1, 4 * mm),
        Paragraph(ctx.t("packet.office_use"), s.small),
    ]
