"""Cover: who and what, what to bring, where to go, what it costs, what is missing."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from forms.estimate_text import estimated_note, flexible_case, resident_case, waiting_case
from forms.estimates import Figure
from forms.messages import render_params
from forms.packet.bring import bring_list
from forms.packet.context import LANG, Context
from forms.packet.styles import BAD, OK, RULE, SHADE, WARN
from forms.profiles.loader import local_in_use
from forms.profiles.schema import resolve
from forms.rules.materials import requirements_for, statuses

_NEED = {
    "required": "packet.need_required",
    "recommended": "packet.need_recommended",
    "optional": "packet.need_optional",
}


def _source(ctx: Context, fig: Figure | None) -> str:
    if fig is None:
        return ""
    text = render_params({"source": fig.source}, LANG, ctx.profile)["source"]
    tail = ctx.t("packet.unverified") if fig.unverified else ""
    return ctx.t("packet.source", source=text, since=ctx.date_text(fig.since)) + tail


def _money(fig: Figure | None) -> str:
    return "" if fig is None else f"{fig.value:,.2f}"


def estimate_lines(ctx: Context) -> list[tuple[str, str]]:
    """(figure, source) pairs for the chosen scheme."""
    est, scheme = ctx.result.estimates, ctx.app.scheme.scheme
    out: list[tuple[str, str]] = []
    if scheme == "flexible":
        fx = est.flexible
        case = flexible_case(fx)
        rate = "" if fx.rate is None else f"{fx.rate.value:.2%}"
        if case == "fixed":
            out.append(
                (
                    ctx.t("packet.est_fixed", amount=_money(fx.monthly_chosen)),
                    _source(ctx, fx.monthly_chosen),
                )
            )
        elif case == "fixed_base":
            out.append(
                (
                    ctx.t("packet.est_fixed_base", amount=_money(fx.monthly_chosen),
                          base=_money(fx.base_min), rate=rate),
                    _source(ctx, fx.base_min),
                )
            )
        elif case in ("base_rate", "rate_only"):
            if fx.monthly_min is not None:
                out.append(
                    (
                        ctx.t(
                            "packet.est_range",
                            low=_money(fx.monthly_min),
                            high=_money(fx.monthly_max),
                        ),
                        _source(ctx, fx.base_min),
                    )
                )
            out.append((ctx.t("packet.est_rate", rate=rate), _source(ctx, fx.rate)))
            if fx.monthly_chosen is not None:
                out.append((ctx.t("packet.est_chosen", amount=_money(fx.monthly_chosen)), ""))
        else:
            out.append((ctx.t("packet.est_unknown"), ""))
        fw = est.flexible_waiting
        if fw is not None:
            waiver = (ctx.t("cli.flexible_waiver", within=fw.waived_within_months)
                      if fw.waived_within_months else "")
            src = render_params({"source": fw.source}, LANG, ctx.profile)["source"]
            tail = ctx.t("packet.unverified") if fw.unverified else ""
            out.append((ctx.t("packet.est_flexible_waiting", months=fw.months, waiver=waiver),
                        ctx.t("packet.source_plain", source=src) + tail))
        else:  # its own rule, never the resident one
            out.append((ctx.t("packet.est_flexible_waiting_local"), ""))
    elif scheme == "resident":
        rs = est.resident
        if resident_case(rs) == "yearly":
            out.append(
                (
                    ctx.t(
                        "packet.est_yearly",
                        year=rs.coverage_year,
                        category=ctx.t(f"category.{rs.category}"),
                        amount=_money(rs.yearly),
                    )
                    + estimated_note(rs.yearly, rs.coverage_year, LANG),
                    _source(ctx, rs.yearly),
                )
            )
        elif resident_case(rs) == "minimum":
            out.append(
                (
                    ctx.t(
                        "packet.est_minimum",
                        year=rs.coverage_year,
                        amount=_money(rs.national_minimum),
                    )
                    + estimated_note(rs.national_minimum, rs.coverage_year, LANG),
                    _source(ctx, rs.national_minimum),
                )
            )
        if rs.subsidy_minimum is not None:
            out.append(
                (
                    ctx.t("packet.est_subsidy", amount=_money(rs.subsidy_minimum))
                    + estimated_note(rs.subsidy_minimum, rs.coverage_year, LANG),
                    _source(ctx, rs.subsidy_minimum),
                )
            )
        w = est.waiting
        if w is not None:
            src = render_params({"source": w.source}, LANG, ctx.profile)["source"]
            if waiting_case(w) == "exempt":
                text = ctx.t("packet.est_waiting_exempt",
                             **render_params({"group": w.group}, LANG))
            elif waiting_case(w) == "none":
                text = ctx.t("packet.est_waiting_none")
            else:
                text = ctx.t("packet.est_waiting", months=w.months,
                             **render_params({"reading": w.reading}, LANG))
            out.append((text, ctx.t("packet.source_plain", source=src)))
    return out


def _checklist(ctx: Context) -> Table:
    s = ctx.styles
    rows = [
        [
            Paragraph(ctx.t(k), s.label)
            for k in (
                "packet.col_material",
                "packet.col_need",
                "packet.col_status",
                "packet.col_basis",
            )
        ]
    ]
    colours = []
    usable: dict[str, int] = {
        r.kind: len(ctx.of_kind(r.kind)) for r in requirements_for(ctx.app, ctx.profile, ctx.on)
    }
    for st in statuses(ctx.app, ctx.profile, ctx.result.findings, have=usable, on=ctx.on):
        req, have, unverified = st.req, st.have, st.unverified
        status, colour = {
            "ok": (ctx.t("packet.status_ok", have=have), OK),
            "checking": (ctx.t("packet.status_ok", have=have), OK),
            "problem": (ctx.t("packet.status_problem", have=have), BAD),
            "missing": (ctx.t("packet.status_missing", have=have, count=req.count), BAD),
            "advised": (ctx.t("packet.status_advised"), WARN),
        }[st.state]
        basis = render_params({"source": req.source}, LANG, ctx.profile)["source"]
        if unverified:
            basis += ctx.t("packet.unverified")
        rows.append(
            [
                Paragraph(ctx.t(f"material.{req.kind}"), s.cell),
                Paragraph(ctx.t(_NEED[req.need], count=req.count), s.cell),
                Paragraph(ctx.safe(status), s.cell),
                Paragraph(ctx.safe(basis), s.small),
            ]
        )
        colours.append(colour)
    table = Table(rows, colWidths=[44 * mm, 26 * mm, 30 * mm, 74 * mm], repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), ctx.font.name),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    style += [("TEXTCOLOR", (2, i + 1), (2, i + 1), c) for i, c in enumerate(colours)]
    table.setStyle(TableStyle(style))
    return table


def cover(ctx: Context) -> list[Flowable]:
    s, app, profile = ctx.styles, ctx.app, ctx.profile
    scheme = (
        ctx.t(f"scheme.{app.scheme.scheme}") if app.scheme.scheme else ctx.t("packet.no_scheme")
    )
    story: list[Flowable] = [
        Paragraph(ctx.t("packet.cover_title", region=ctx.safe(ctx.region)), s.title),
        Paragraph(
            ctx.t("packet.cover_subtitle", scheme=scheme, date=ctx.date_text(ctx.on)), s.subtitle
        ),
    ]
    local = local_in_use(profile.id)
    profile_text = profile.name.zh
    if local is not None and local.profile is not None:  # rules a service point updated
        profile_text += "<br/>" + ctx.safe(ctx.t("packet.local_profile", path=str(local.path),
                                                 verified=local.profile.verified.isoformat()))
    facts = [
        (ctx.t("field.applicant.name"), ctx.safe(app.applicant.name)),
        (ctx.t("field.scheme.scheme"), scheme),
        (ctx.t("field.profile_id"), profile_text),
        (ctx.t("packet.prepared_on"), ctx.date_text(ctx.on)),
    ]
    table = Table(
        [[Paragraph(k, s.label), Paragraph(v, s.cell)] for k, v in facts],
        colWidths=[36 * mm, 138 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), ctx.font.name),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ]
        )
    )
    story += [table, Paragraph(ctx.t("packet.bring"), s.h2)]

    where = resolve(profile, profile.where_to_apply, ctx.on)
    story += [Paragraph("• " + ctx.safe(b), s.body) for b in bring_list(ctx)]
    if where is not None:
        story += [
            Paragraph(ctx.t("packet.where"), s.h2),
            Paragraph(ctx.safe(where.value.counters.zh), s.body),
        ]
        if where.value.online is not None:
            story.append(Paragraph(ctx.safe(where.value.online.zh), s.body))
        if where.unverified:
            story.append(Paragraph(ctx.t("packet.where_unverified"), s.small))

    story.append(Paragraph(ctx.t("packet.costs"), s.h2))
    for line, source in estimate_lines(ctx):
        story.append(Paragraph(ctx.safe(line), s.body))
        if source:
            story.append(Paragraph(ctx.safe(source), s.small))

    story += [Paragraph(ctx.t("packet.checklist"), s.h2), _checklist(ctx)]
    open_items = [f for f in ctx.findings if f.severity in ("error", "warning")]
    if open_items or ctx.placeholders:
        story.append(Paragraph(ctx.t("packet.open_items"), s.h2))
        for f in open_items:
            mark = "×" if f.severity == "error" else "！"
            story.append(Paragraph(f"{mark} {ctx.safe(ctx.finding_text(f))}", s.body))
        for shown, (_, fields) in ctx.placeholders.items():  # each "(U+4DAE)" explained
            names = "、".join(ctx.t(f"field.{f}") for f in fields)
            story.append(Paragraph(ctx.safe(ctx.t("packet.placeholder", placeholder=shown,
                                                  fields=names)), s.body))
    story.append(Spacer(1, 4 * mm))
    return story
