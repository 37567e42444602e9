"""Estimates in words, with their sources: the command line's and the desktop's lines, and
the cases every wording of an estimate follows (the packet's cover words them for paper).
"""

from __future__ import annotations

from typing import Literal

from forms.estimates import (
    Estimates,
    Figure,
    FlexibleEstimate,
    ResidentEstimate,
    WaitingEstimate,
)
from forms.messages import render_params, t
from forms.profiles.schema import Profile

FlexibleCase = Literal["fixed", "fixed_base", "base_rate", "rate_only", "unknown"]
ResidentCase = Literal["yearly", "minimum", "none"]
WaitingCase = Literal["exempt", "none", "months"]


def flexible_case(fx: FlexibleEstimate) -> FlexibleCase:
    """Which figures a flexible employee's estimate can state: a method resting on a rate
    states nothing without its rate."""
    if fx.method == "fixed":
        return "fixed"
    if fx.rate is None:
        return "unknown"
    return fx.method


def resident_case(rs: ResidentEstimate) -> ResidentCase:
    """The category's own yearly price when known, else the national minimum."""
    if rs.yearly is not None and rs.category is not None:
        return "yearly"
    return "minimum" if rs.national_minimum is not None else "none"


def waiting_case(w: WaitingEstimate) -> WaitingCase:
    return "exempt" if w.exempt else "none" if w.months == 0 else "months"


def _money(fig: Figure | None) -> str:
    return "?" if fig is None else f"{fig.value:,.2f}"


def estimated_note(fig: Figure | None, year: int, lang: str) -> str:
    """"（2027年标准未公布，按2026年标准估算）" when an earlier year's figure stands in."""
    if fig is None or fig.estimated_from_year is None:
        return ""
    return t("cli.estimated_from", lang, year=year, basis=fig.estimated_from_year)


def _src(fig: Figure | None, profile: Profile, lang: str) -> str:
    if fig is None:
        return ""
    text = "    " + t("cli.source", lang, **render_params({"source": fig.source}, lang, profile))
    return text + (t("note.unverified", lang) if fig.unverified else "")


def _flexible(est: Estimates, profile: Profile, lang: str) -> list[str]:
    fx, out = est.flexible, []
    case = flexible_case(fx)
    rate = "" if fx.rate is None else f"{fx.rate.value:.2%}"
    if case == "fixed":
        out += [t("cli.flexible_fixed", lang, monthly=_money(fx.monthly_chosen)),
                _src(fx.monthly_chosen, profile, lang)]
    elif case == "fixed_base":
        out += [t("cli.flexible_fixed_base", lang, monthly=_money(fx.monthly_chosen),
                  base=_money(fx.base_min), rate=rate),
                _src(fx.base_min, profile, lang), _src(fx.rate, profile, lang)]
    elif case == "base_rate":
        out += [t("cli.flexible_range", lang, low=_money(fx.monthly_min),
                  high=_money(fx.monthly_max), base_min=_money(fx.base_min),
                  base_max=_money(fx.base_max), rate=rate),
                _src(fx.rate, profile, lang)]
    elif case == "rate_only":
        out += [t("cli.flexible_rate", lang, rate=rate), _src(fx.rate, profile, lang)]
    else:
        out.append(t("cli.flexible_unknown", lang))
    if fx.monthly_chosen is not None and fx.method not in ("fixed", "fixed_base"):
        out.append(t("cli.flexible_chosen", lang, monthly=_money(fx.monthly_chosen)))
    fw = est.flexible_waiting
    if fw is not None:
        waiver = (t("cli.flexible_waiver", lang, within=fw.waived_within_months)
                  if fw.waived_within_months else "")
        out.append(t("cli.flexible_waiting", lang, months=fw.months, waiver=waiver)
                   + (t("note.unverified", lang) if fw.unverified else ""))
    return out


def _resident(est: Estimates, profile: Profile, lang: str) -> list[str]:
    rs, out = est.resident, []
    case = resident_case(rs)
    if case == "yearly":
        out += [t("cli.resident_yearly", lang, year=rs.coverage_year,
                  category=t(f"category.{rs.category}", lang), amount=_money(rs.yearly))
                + estimated_note(rs.yearly, rs.coverage_year, lang),
                _src(rs.yearly, profile, lang)]
    elif case == "minimum":
        out += [t("cli.resident_minimum", lang, year=rs.coverage_year,
                  amount=_money(rs.national_minimum))
                + estimated_note(rs.national_minimum, rs.coverage_year, lang),
                _src(rs.national_minimum, profile, lang)]
    w = est.waiting
    if w is not None and waiting_case(w) == "exempt":
        out.append(t("cli.waiting_exempt", lang, **render_params({"group": w.group}, lang)))
    elif w is not None and waiting_case(w) == "none":
        out.append(t("cli.waiting_none", lang))
    elif w is not None:
        out.append(t("cli.waiting", lang, months=w.months,
                     **render_params({"reading": w.reading}, lang)))
    return out


def estimate_lines(est: Estimates, profile: Profile, lang: str) -> list[str]:
    """Both routes, each line labelled with its route; a source line under each figure."""
    out = _flexible(est, profile, lang) + _resident(est, profile, lang)
    return [line for line in out if line]
