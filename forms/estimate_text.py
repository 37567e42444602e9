"""Estimates in words, with their sources: shared by the command line and the desktop."""

from __future__ import annotations

from forms.estimates import Estimates, Figure
from forms.messages import render_params, t
from forms.profiles.schema import Profile


def _money(fig: Figure | None) -> str:
    return "?" if fig is None else f"{fig.value:,.2f}"


def _src(fig: Figure | None, profile: Profile, lang: str) -> str:
    if fig is None:
        return ""
    text = "    " + t("cli.source", lang, **render_params({"source": fig.source}, lang, profile))
    return text + (t("note.unverified", lang) if fig.unverified else "")


def estimate_lines(est: Estimates, profile: Profile, lang: str) -> list[str]:
    out: list[str] = []
    fx = est.flexible
    if fx.method == "fixed":
        out += [t("cli.flexible_fixed", lang, monthly=_money(fx.monthly_chosen)),
                _src(fx.monthly_chosen, profile, lang)]
    elif fx.method == "base_rate" and fx.rate is not None:
        out += [t("cli.flexible_range", lang, low=_money(fx.monthly_min),
                  high=_money(fx.monthly_max), base_min=_money(fx.base_min),
                  base_max=_money(fx.base_max), rate=f"{fx.rate.value:.2%}"),
                _src(fx.rate, profile, lang)]
    elif fx.method == "rate_only" and fx.rate is not None:
        out += [t("cli.flexible_rate", lang, rate=f"{fx.rate.value:.2%}"),
                _src(fx.rate, profile, lang)]
    else:
        out.append(t("cli.flexible_unknown", lang))
    if fx.monthly_chosen is not None and fx.method != "fixed":
        out.append(t("cli.flexible_chosen", lang, monthly=_money(fx.monthly_chosen)))
    rs = est.resident
    if rs.yearly is not None and rs.category is not None:
        out += [t("cli.resident_yearly", lang, year=rs.coverage_year,
                  category=t(f"category.{rs.category}", lang), amount=_money(rs.yearly)),
                _src(rs.yearly, profile, lang)]
    elif rs.national_minimum is not None:
        out += [t("cli.resident_minimum", lang, year=rs.coverage_year,
                  amount=_money(rs.national_minimum)), _src(rs.national_minimum, profile, lang)]
    if est.waiting is not None:
        out.append(t("cli.waiting", lang, months=est.waiting.months))
    return [line for line in out if line]
