"""The household cover: who is enrolled, and for each member what to bring, what to pay
and what is still open; then the household's cost added up, and where to go.

Each member's lines come from the same functions as a one-person cover (bring_items,
estimate_lines), so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from forms.findings import Finding, worst
from forms.household import Person
from forms.household_costs import HouseholdCost, MemberCost
from forms.packet.bring import bring_items
from forms.packet.context import Context
from forms.packet.sections.cover import _source, estimate_lines
from forms.packet.sections.form import _category
from forms.packet.styles import BAD, OK, RULE, SHADE, WARN
from forms.profiles.schema import resolve


@dataclass
class Member:
    """One member's part of the household packet."""

    person: Person
    ctx: Context

    @property
    def name(self) -> str:
        return self.ctx.app.applicant.name or self.person.key


def who(ctx: Context, person: Person) -> str:
    """"本人" for the acting applicant, else the relation to them."""
    if person.relation is None:
        return ctx.t("packet.household_self")
    return ctx.t(f"relation.{person.relation}")


def _status(ctx: Context, findings: list[Finding]) -> tuple[str, object]:
    errors = sum(f.severity == "error" for f in findings)
    state = worst(findings)
    if state == "error":
        return ctx.t("packet.household_status_errors", count=errors), BAD
    if state == "warning":
        return ctx.t("packet.household_status_notes"), WARN
    return ctx.t("packet.household_status_ok"), OK


def _members_table(ctx: Context, members: list[Member]) -> Table:
    s = ctx.styles
    head = [Paragraph(ctx.t(k), s.label) for k in (
        "packet.household_col_no", "field.applicant.name", "packet.household_col_relation",
        "field.scheme.scheme", "packet.person_category", "packet.household_col_status")]
    rows: list[list[object]] = [head]
    colours = []
    for i, m in enumerate(members, start=1):
        c = m.ctx
        scheme = c.t(f"scheme.{c.app.scheme.scheme}") if c.app.scheme.scheme else ""
        status, colour = _status(ctx, c.findings)
        rows.append([Paragraph(str(i), s.cell), Paragraph(c.safe(m.name), s.cell),
                     Paragraph(who(ctx, m.person), s.cell), Paragraph(scheme, s.cell),
                     Paragraph(c.safe(_category(c)), s.cell), Paragraph(status, s.cell)])
        colours.append(colour)
    table = Table(rows, colWidths=[10 * mm, 30 * mm, 22 * mm, 44 * mm, 34 * mm, 34 * mm],
                  repeatRows=1)
    table.setStyle(TableStyle(
        [("FONTNAME", (0, 0), (-1, -1), ctx.font.name),
         ("GRID", (0, 0), (-1, -1), 0.5, RULE),
         ("BACKGROUND", (0, 0), (-1, 0), SHADE),
         ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        + [("TEXTCOLOR", (5, i + 1), (5, i + 1), c) for i, c in enumerate(colours)]))
    return table


def _member_block(ctx: Context, number: int, m: Member) -> list[Flowable]:
    """What this member brings and pays, and what is open for them."""
    s, c = ctx.styles, m.ctx
    scheme = c.t(f"scheme.{c.app.scheme.scheme}") if c.app.scheme.scheme else ""
    head = ctx.t("packet.household_member_head", number=number, name=c.safe(m.name),
                 relation=who(ctx, m.person), scheme=scheme)
    story: list[Flowable] = [Paragraph(head, s.h2),
                             Paragraph(ctx.t("packet.household_brings"), s.label)]
    items = [b for b in bring_items(c) if b.key != "packet.bring_packet"]
    story += [Paragraph("• " + c.safe(b.text(c.lang)), s.body) for b in items]
    story.append(Paragraph(ctx.t("packet.household_pays"), s.label))
    for line, source in estimate_lines(c):
        story.append(Paragraph(c.safe(line), s.body))
        if source:
            story.append(Paragraph(c.safe(source), s.small))
    open_items = [f for f in c.findings if f.severity in ("error", "warning")]
    if open_items:
        story.append(Paragraph(ctx.t("packet.open_items"), s.label))
        for f in open_items:
            mark = "×" if f.severity == "error" else "！"
            story.append(Paragraph(f"{mark} {c.safe(c.finding_text(f))}", s.body))
    return [KeepTogether(story[:4]), *story[4:]]


def _amount(ctx: Context, cost: MemberCost) -> tuple[str, str]:
    """(what this member pays, its source) for the cost table."""
    if cost.yearly is not None:
        return (ctx.t("packet.household_cost_yearly", amount=f"{cost.yearly.value:,.2f}",
                      year=cost.coverage_year), _source(ctx, cost.yearly))
    if cost.monthly is not None:
        return (ctx.t("packet.household_cost_monthly", amount=f"{cost.monthly.value:,.2f}",
                      yearly=f"{cost.per_year or 0:,.2f}"), _source(ctx, cost.monthly))
    return ctx.t("packet.household_cost_unknown"), ""


def _cost_table(ctx: Context, members: list[Member], cost: HouseholdCost) -> list[Flowable]:
    s = ctx.styles
    rows: list[list[object]] = [[Paragraph(ctx.t(k), s.label) for k in (
        "field.applicant.name", "packet.household_col_amount", "packet.col_basis")]]
    for m, mc in zip(members, cost.members):
        amount, source = _amount(ctx, mc)
        rows.append([Paragraph(m.ctx.safe(m.name), s.cell), Paragraph(amount, s.cell),
                     Paragraph(ctx.safe(source), s.small)])
    known = len(cost.unknown) < len(cost.members)
    total = (ctx.t("packet.household_total_amount", amount=f"{cost.per_year:,.2f}")
             if known else ctx.t("packet.household_cost_unknown"))
    rows.append([Paragraph(ctx.t("packet.household_total"), s.label),
                 Paragraph(total, s.cell),
                 Paragraph(ctx.t("packet.household_total_note",
                                 resident=f"{cost.resident_yearly:,.2f}",
                                 flexible=f"{cost.flexible_monthly:,.2f}"), s.small)])
    table = Table(rows, colWidths=[30 * mm, 62 * mm, 82 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), ctx.font.name),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("BACKGROUND", (0, -1), (-1, -1), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story: list[Flowable] = [Paragraph(ctx.t("packet.household_costs"), s.h2), table]
    unknown = [m.ctx.safe(m.name) for m, mc in zip(members, cost.members) if mc.per_year is None]
    if unknown:
        story.append(Paragraph(ctx.t("packet.household_total_missing",
                                     names="、".join(unknown)), s.small))
    if cost.unverified:
        story.append(Paragraph(ctx.t("packet.household_total_unverified"), s.small))
    return story


def household_cover(ctx: Context, members: list[Member], cost: HouseholdCost,
                    household_findings: list[Finding]) -> list[Flowable]:
    """``ctx`` is the acting applicant's (region, date, font, profile)."""
    s = ctx.styles
    story: list[Flowable] = [
        Paragraph(ctx.t("packet.household_title", region=ctx.safe(ctx.region)), s.title),
        Paragraph(ctx.t("packet.household_subtitle", count=len(members),
                        date=ctx.date_text(ctx.on)), s.subtitle),
        _members_table(ctx, members),
        Spacer(1, 2 * mm),
        Paragraph(ctx.t("packet.household_order"), s.small),
        Paragraph(ctx.t("packet.bring"), s.h2),
        Paragraph("• " + ctx.t("packet.bring_packet"), s.body),
    ]
    for f in household_findings:
        story.append(Paragraph(f"× {ctx.safe(ctx.finding_text(f))}", s.body))
    for i, m in enumerate(members, start=1):
        story += _member_block(ctx, i, m)
    story += _cost_table(ctx, members, cost)
    where = resolve(ctx.profile, ctx.profile.where_to_apply, ctx.on)
    if where is not None:
        story += [Paragraph(ctx.t("packet.where"), s.h2),
                  Paragraph(ctx.safe(where.value.counters.zh), s.body)]
        if where.value.online is not None:
            story.append(Paragraph(ctx.safe(where.value.online.zh), s.body))
        if where.unverified:
            story.append(Paragraph(ctx.t("packet.where_unverified"), s.small))
    return story
