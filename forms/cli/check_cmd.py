"""``yibao-desk check APP``: run the rules and print findings and estimates."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from forms.errors import BadDate
from forms.estimates import Estimates, Figure
from forms.findings import Finding
from forms.messages import render_finding, render_params, t
from forms.profiles.loader import load_profile
from forms.profiles.schema import Profile
from forms.rules import run
from forms.storage import load

_MARK = {"error": "✗", "warning": "!", "info": "·"}


def add_parser(sub: Any) -> None:
    p = sub.add_parser("check", help="check an application (.yibao or application.json)")
    p.add_argument("app", type=Path, help="a .yibao file or an application.json")
    p.add_argument("--profile", help="region profile id (default: the application's)")
    p.add_argument("--on", type=_date, help="check as on this date, YYYY-MM-DD (default today)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("zh", "en"))
    p.set_defaults(run=_run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadDate(text, value=text) from None


def finding_json(f: Finding, lang: str, profile: Profile) -> dict[str, Any]:
    return {"code": f.code, "severity": f.severity, "field": f.field,
            "message": render_finding(f, lang, profile), "params": f.params}


def _run(args: argparse.Namespace) -> int:
    from forms.cli import EXIT_FINDINGS, EXIT_OK
    from forms.messages import system_lang

    lang = args.lang or system_lang()
    with load(args.app) as opened:
        profile = load_profile(args.profile or opened.app.profile_id)
        result = run(opened.app, profile, args.on or dt.date.today(), base_dir=opened.base_dir)
    if args.format == "json":
        print(json.dumps({
            "profile": {"id": profile.id, "name": profile.name.get(lang),
                        "verified": profile.verified.isoformat()},
            "on": (args.on or dt.date.today()).isoformat(),
            "ok": result.ok,
            "findings": [finding_json(f, lang, profile) for f in result.findings],
            "estimates": result.estimates.model_dump(mode="json"),
        }, ensure_ascii=False, indent=2))
    else:
        print(render_text(result.findings, result.estimates, profile, lang))
    return EXIT_OK if result.ok else EXIT_FINDINGS


def render_text(findings: list[Finding], est: Estimates, profile: Profile, lang: str) -> str:
    lines = [t("cli.profile_line", lang, name=profile.name.get(lang),
               verified=profile.verified.isoformat()), "", t("cli.findings", lang)]
    if not findings:
        lines.append("  " + t("cli.no_findings", lang))
    for f in findings:
        label = t(f"severity.{f.severity}", lang)
        lines.append(f"  {_MARK[f.severity]} {label}: {render_finding(f, lang, profile)}")
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    lines += ["  " + t("cli.summary", lang, errors=counts["error"], warnings=counts["warning"],
                       infos=counts["info"]), "", t("cli.estimates", lang)]
    lines += ["  " + line for line in estimate_lines(est, profile, lang)]
    return "\n".join(lines)


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
