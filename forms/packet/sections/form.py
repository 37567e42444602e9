"""The enrolment summary: every field a counter asks for, in a ruled table whose rows grow
with their text, then blanks wide enough for a signature and a date in ink.

It is titled as the applicant's own summary "for the counter's reference", so it cannot
pass for a city's official registration form.
"""

from __future__ import annotations

import datetime as dt

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

from forms.application import value_at
from forms.groups import group_of
from forms.packet.context import Context
from forms.packet.styles import RULE, SHADE
from forms.sections import QUESTIONS

LABEL_W, VALUE_W = 28 * mm, 59 * mm
WIDTH = 2 * (LABEL_W + VALUE_W)
PAD = 2.2 * mm  # above and below a cell's text: room for a hand correction
# Writing blanks: a signature needs at least 50 mm, each part of a date at least 10 mm.
SIGN_W, YEAR_W, PART_W = 62 * mm, 16 * mm, 11 * mm

Row = tuple[str, str, str | None, str | None]


def _category(ctx: Context) -> str:
    """人员类别: the group the rules treat the applicant as, and any subsidised group."""
    a = ctx.app.applicant
    group = group_of(ctx.app, ctx.profile, a.birth_date, ctx.on)
    parts = [ctx.t(f"group.{group}")] if group else []
    if a.assisted_group:
        parts.append(ctx.t("packet.assisted", group=ctx.t(f"assisted_group.{a.assisted_group}")))
    return "；".join(parts)


def _contribution(ctx: Context) -> str:
    """缴费档次: the chosen base (flexible) or the category's yearly price (resident)."""
    sch, est = ctx.app.scheme, ctx.result.estimates
    if sch.scheme == "flexible":
        if est.flexible.method == "fixed":
            return ctx.t("packet.base_fixed")
        return "" if sch.contribution_base is None else f"{sch.contribution_base:,.2f}"
    if sch.scheme == "resident":
        rs = est.resident
        if rs.yearly is not None and rs.category is not None:
            return ctx.t("packet.resident_price", category=ctx.t(f"category.{rs.category}"),
                         amount=f"{rs.yearly.value:,.2f}", year=rs.coverage_year)
        if rs.national_minimum is not None:
            return ctx.t("packet.resident_minimum", amount=f"{rs.national_minimum.value:,.2f}")
    return ""


def _validity(ctx: Context) -> str:
    a = ctx.app.applicant
    end = ctx.t("packet.long_term") if a.id_long_term else ctx.date_text(a.id_valid_until)
    if a.id_valid_from is None:
        return end
    return ctx.t("packet.validity_range", start=ctx.date_text(a.id_valid_from), end=end)


def _guardian_rows(ctx: Context) -> list[Row]:
    """监护人/代办人: when one is given, or blank to fill in for a minor."""
    g = ctx.app.guardian
    group = group_of(ctx.app, ctx.profile, ctx.app.applicant.birth_date, ctx.on)
    if g is None and group not in ("child", "newborn", "student"):
        return []
    if g is None and group == "student" and ctx.app.applicant.birth_date is None:
        return []
    name = (g.name if g else None) or ""
    relation = (g.relation if g else None) or ""
    ident = ""
    if g is not None and g.id_number:
        ident = f"{ctx.t(f'id_type.{g.id_type}')} {g.id_number}"
    return [
        (ctx.t("packet.guardian_name"), name, ctx.t("field.guardian.relation"), relation),
        (ctx.t("packet.guardian_id"), ident, None, None),
    ]


def _answer(ctx: Context, path: str) -> str:
    """An answer as the summary prints it: a choice in words (forms.sections), a date as
    2026年9月1日, nothing for no answer."""
    value = value_at(ctx.app, path)
    prefix = QUESTIONS[path].prefix
    if value is None or value == "":
        return ""
    if prefix:
        return ctx.t(f"{prefix}.{value}")
    if isinstance(value, dt.date):
        return ctx.date_text(value)
    return str(value)


def _rows(ctx: Context) -> list[Row]:
    """(label, value, label, value); a row with None in the third cell spans the width.
    A field is named by its path: its label and words come from the sections list."""
    f = ctx.t
    Cell = tuple[str, str]

    def cell(item: str | Cell) -> Cell:
        return (f(f"field.{item}"), _answer(ctx, item)) if isinstance(item, str) else item

    def row(left: str | Cell, right: str | Cell | None = None) -> Row:
        (l1, v1), (l2, v2) = cell(left), (None, None) if right is None else cell(right)
        return (l1, v1, l2, v2)

    first = f("packet.first" if ctx.app.scheme.first_enrolment else "packet.renewal")
    return [
        row("applicant.name", "applicant.sex"),
        row("applicant.id_type", "applicant.id_number"),
        row("applicant.ethnicity", "applicant.birth_date"),
        row("applicant.nationality", (f("packet.id_validity"), _validity(ctx))),
        row((f("packet.person_category"), _category(ctx))),
        *_guardian_rows(ctx),
        row("hukou.type", "hukou.region"),
        row("hukou.address"),
        row("residence.address"),
        row("residence.permit_number", "residence.permit_valid_until"),
        row("contact.mobile", "contact.email"),
        row("employment.situation", "employment.employer"),
        row("scheme.scheme"),
        row((f("packet.contribution"), _contribution(ctx))),
        row((f("packet.enrolment_type"), first), "scheme.start_date"),
        row("bank.bank"),
        row("bank.holder", "bank.account"),
    ]


def form_table(ctx: Context) -> Table:
    """The ruled table; rows take the height their text needs and the column titles repeat
    on every page the table runs to."""
    s = ctx.styles
    head = [Paragraph(ctx.t(k), s.label)
            for k in ("packet.form_columns_label", "packet.form_columns_value") * 2]
    data: list[list[object]] = [head]
    spans: list[tuple[object, ...]] = []
    for i, (l1, v1, l2, v2) in enumerate(_rows(ctx), start=1):
        if l2 is None:
            data.append([Paragraph(l1, s.label), Paragraph(ctx.safe(v1), s.cell), "", ""])
            spans += [("SPAN", (1, i), (3, i)), ("BACKGROUND", (1, i), (3, i), white)]
        else:
            data.append([Paragraph(l1, s.label), Paragraph(ctx.safe(v1), s.cell),
                         Paragraph(l2, s.label), Paragraph(ctx.safe(v2 or ""), s.cell)])
    table = Table(data, colWidths=[LABEL_W, VALUE_W, LABEL_W, VALUE_W], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), ctx.font.name),
                ("GRID", (0, 0), (-1, -1), 0.6, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("BACKGROUND", (0, 1), (0, -1), SHADE),
                ("BACKGROUND", (2, 1), (2, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 1), (-1, -1), PAD),
                ("BOTTOMPADDING", (0, 1), (-1, -1), PAD),
                *spans,
            ]
        )
    )
    return table


def signature(ctx: Context) -> Table:
    """Declaration, then a signature blank and 年/月/日 blanks ruled at writing width."""
    s = ctx.styles
    inner = WIDTH - 12  # the box's own padding, 6 pt a side

    def ruled(row: list[object], widths: list[float], blanks: tuple[int, ...]) -> Table:
        table = Table([row], colWidths=widths, rowHeights=[13 * mm])
        table.setStyle(TableStyle(
            [("FONTNAME", (0, 0), (-1, -1), ctx.font.name),
             ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]
            + [("LINEBELOW", (i, 0), (i, 0), 0.6, RULE) for i in blanks]))
        return table

    label_w = 60 * mm
    sign = ruled([Paragraph(ctx.t("packet.sign_applicant"), s.body), ""],
                 [label_w, SIGN_W], (1,))
    unit = 7 * mm
    date = ruled([Paragraph(ctx.t("packet.sign_date"), s.body), "",
                  Paragraph(ctx.t("packet.year"), s.body), "",
                  Paragraph(ctx.t("packet.month"), s.body), "",
                  Paragraph(ctx.t("packet.day"), s.body)],
                 [label_w, YEAR_W, unit, PART_W, unit, PART_W, unit], (1, 3, 5))
    outer = Table([[Paragraph(ctx.t("packet.declaration"), s.body)], [sign], [date]],
                  colWidths=[WIDTH])
    outer.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), ctx.font.name),
                               ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                               ("TOPPADDING", (0, 0), (-1, 0), 3 * mm),
                               ("BOTTOMPADDING", (0, -1), (-1, -1), 3 * mm)]))
    assert label_w + SIGN_W <= inner
    return outer


def form(ctx: Context) -> list[Flowable]:
    s = ctx.styles
    scheme = ctx.t(f"scheme.{ctx.app.scheme.scheme}") if ctx.app.scheme.scheme else ""
    return [
        PageBreak(),
        Paragraph(ctx.t("packet.form_title"), s.title),
        Paragraph(ctx.safe(ctx.t("packet.form_subtitle", region=ctx.region, scheme=scheme)),
                  s.subtitle),
        form_table(ctx),
        Spacer(1, 6 * mm),
        KeepTogether([signature(ctx)]),
        Spacer(1, 4 * mm),
        Paragraph(ctx.t("packet.office_use"), s.small),
    ]
