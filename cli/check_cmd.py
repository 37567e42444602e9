"""``yibao-desk check APP``: the whole verdict (answers, rules and what the materials
show) with the estimates."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from cli.output import finding_json, finding_line, json_text, passphrase_from_env
from cli.profiles_cmd import add_profiles_option, apply_profiles_option
from forms.analysis.cache import cache_for, keep
from forms.errors import BadDate
from forms.estimate_text import estimate_lines
from forms.estimates import Estimates
from forms.findings import Finding
from forms.messages import t
from forms.profile_origin import origin_text
from forms.profiles.loader import load_profile, local_in_use
from forms.profiles.schema import Profile
from forms.storage import load
from forms.verdict import full_verdict


def add_parser(sub: Any) -> None:
    p = sub.add_parser("check", help="check an application (.yibao or application.json)")
    p.add_argument("app", type=Path, help="a .yibao file or an application.json")
    p.add_argument("--profile", help="region profile id (default: the application's)")
    p.add_argument("--on", type=_date, help="check as on this date, YYYY-MM-DD (default today)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("zh", "en"))
    p.add_argument("--no-read", action="store_true",
                   help="do not read the documents' text (faster; the check says so)")
    add_profiles_option(p)
    p.set_defaults(run=_run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadDate(text, value=text) from None


def _run(args: argparse.Namespace) -> int:
    from cli import EXIT_FINDINGS, EXIT_OK
    from forms.messages import system_lang

    lang = args.lang or system_lang()
    apply_profiles_option(args)
    with load(args.app, passphrase=passphrase_from_env()) as opened:
        profile = load_profile(args.profile or opened.app.profile_id)
        cache = cache_for(opened)
        if opened.app.members:  # a household: every member's results under their name
            return _household(args, opened, profile, cache, lang)
        result, _, fresh = full_verdict(opened.app, profile, args.on or dt.date.today(),
                                        opened.base_dir, cache, read=not args.no_read)
        keep(opened, cache, fresh)
    if args.format == "json":
        print(json_text({
            "profile": {"id": profile.id, "name": profile.name.get(lang),
                        "verified": profile.verified.isoformat(),
                        "local_file": str(lp.path) if (lp := local_in_use(profile.id)) else None},
            "on": (args.on or dt.date.today()).isoformat(),
            "ok": result.ok,
            "findings": [finding_json(f, lang, profile) for f in result.findings],
            "estimates": result.estimates.model_dump(mode="json"),
        }))
    else:
        print(render_text(result.findings, result.estimates, profile, lang))
    return EXIT_OK if result.ok else EXIT_FINDINGS


def _household(args: argparse.Namespace, opened: Any, profile: Profile, cache: Any,
               lang: str) -> int:
    from cli import EXIT_FINDINGS, EXIT_OK
    from cli.household_cmds import check_json, check_text
    from forms.verdict import full_household_verdict

    on = args.on or dt.date.today()
    hv, _, fresh = full_household_verdict(opened.app, profile, on, opened.base_dir, cache,
                                          read=not args.no_read)
    keep(opened, cache, fresh)
    if args.format == "json":
        print(json_text({"profile": {"id": profile.id, "name": profile.name.get(lang),
                                     "verified": profile.verified.isoformat()},
                         "on": on.isoformat(), **check_json(hv, profile, lang)}))
    else:
        print(check_text(hv, profile, lang))
    return EXIT_OK if hv.ok else EXIT_FINDINGS


def render_text(findings: list[Finding], est: Estimates, profile: Profile, lang: str) -> str:
    lines = [t("cli.profile_line", lang, name=profile.name.get(lang),
               verified=profile.verified.isoformat())]
    origin = origin_text(profile.id, lang)
    if origin:
        lines.append(origin)
    lines += ["", t("cli.findings", lang)]
    if not findings:
        lines.append("  " + t("cli.no_findings", lang))
    for f in findings:
        lines.append("  " + finding_line(f, lang, profile))
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    lines += ["  " + t("cli.summary", lang, errors=counts["error"], warnings=counts["warning"],
                       infos=counts["info"]), "", t("cli.estimates", lang)]
    lines += ["  " + line for line in estimate_lines(est, profile, lang)]
    return "\n".join(lines)
