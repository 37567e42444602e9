"""``yibao-desk profiles`` and ``yibao-desk schema``: what the app knows, for scripts.

``profiles --validate FILE`` checks a rule file a service point edited, every problem with
its line; ``profiles --audit`` lists the values someone should confirm, with their sources.
Local rule files (the data folder, or ``--profiles DIR``) are listed as 本地规则文件.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

from forms.application import Application
from forms.errors import BadDate, FileMissing
from forms.messages import render_params, system_lang, t
from forms.profile_origin import origin_text
from forms.profiles.audit import audit
from forms.profiles.loader import (
    available_profiles,
    load_profile,
    local_in_use,
    local_profiles,
    set_local_dir,
    validate_file,
)


def add_profiles_option(p: argparse.ArgumentParser) -> None:
    """``--profiles DIR``: local rule files to use instead of the data folder's."""
    p.add_argument("--profiles", dest="profiles_dir", type=Path,
                   help="a folder of local region profiles (*.yaml)")


def apply_profiles_option(args: argparse.Namespace) -> None:
    folder = getattr(args, "profiles_dir", None)
    if folder is not None:
        if not folder.is_dir():
            raise FileMissing(str(folder), path=str(folder))
        set_local_dir(folder)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadDate(text, value=text) from None


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("profiles", help="list, validate or audit the region profiles")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("zh", "en"))
    p.add_argument("--validate", type=Path, metavar="FILE",
                   help="check one profile file and report every problem with its line")
    p.add_argument("--audit", action="store_true",
                   help="list every unverified or stale value with its source")
    p.add_argument("--on", type=_date,
                   help="audit as on this date, YYYY-MM-DD (default today)")
    add_profiles_option(p)
    p.set_defaults(run=_profiles)
    s = sub.add_parser("schema", help="print the JSON Schema of application.json")
    s.set_defaults(run=_schema)


def _profiles(args: argparse.Namespace) -> int:
    lang = args.lang or system_lang()
    apply_profiles_option(args)
    if args.validate is not None:
        return _validate(args.validate, lang, args.format)
    if args.audit:
        return _audit(lang, args.format, args.on or dt.date.today())
    profiles = [load_profile(pid) for pid in available_profiles()]
    invalid = [p for p in local_profiles() if p.profile is None]
    if args.format == "json":
        print(json.dumps([{
            "id": p.id, "name": {"zh": p.name.zh, "en": p.name.en},
            "verified": p.verified.isoformat(), "extends": p.extends,
            "local_file": str(lp.path) if (lp := local_in_use(p.id)) else None,
        } for p in profiles], ensure_ascii=False, indent=2))
        return 0
    print(t("cli.profiles_header", lang))
    for p in profiles:
        row = t("cli.profile_row", lang, id=p.id, name=p.name.get(lang),
                verified=p.verified.isoformat())
        origin = origin_text(p.id, lang)
        print(row + ("\t" + origin if origin else ""))
    for lp in invalid:
        print(t("cli.local_profile_invalid", lang, path=str(lp.path), count=len(lp.problems)))
    return 0


def _validate(path: Path, lang: str, fmt: str) -> int:
    if not path.is_file():
        raise FileMissing(str(path), path=str(path))
    profile, problems = validate_file(path)
    lines = [p.text(path.name) for p in problems]
    if fmt == "json":
        print(json.dumps({"file": str(path), "ok": profile is not None,
                          "problems": [dataclasses.asdict(p) for p in problems]},
                         ensure_ascii=False, indent=2))
    else:
        for line in lines:
            print(line)
        if profile is not None:
            print(t("cli.profile_valid", lang, path=str(path),
                    verified=profile.verified.isoformat()))
    return 0 if profile is not None else 1


def _audit(lang: str, fmt: str, on: dt.date) -> int:
    rows = []
    for pid in available_profiles():
        profile = load_profile(pid)
        inherited = set()
        if profile.extends:  # a value a city merely inherits is listed once, under its parent
            inherited = {dataclasses.replace(r, profile=pid)
                         for r in audit(load_profile(profile.extends), on)}
        rows += [r for r in audit(profile, on) if r not in inherited]
    if fmt == "json":
        print(json.dumps([dataclasses.asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        reasons = [t("cli.audit_unverified", lang)] if r.unverified else []
        if r.stale:
            reasons.append(t("cli.audit_stale", lang))
        source = render_params({"source": r.source}, lang, load_profile(r.profile))["source"]
        print(t("cli.audit_row", lang, profile=r.profile, path=r.path, since=r.since,
                value=r.value, reasons="、".join(reasons) if lang == "zh" else ", ".join(reasons),
                source=source, verified=r.verified))
    print(t("cli.audit_total", lang, count=len(rows)))
    return 0


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(Application.model_json_schema(), ensure_ascii=False, indent=2))
    return 0
