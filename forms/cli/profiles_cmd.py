"""``yibao-desk profiles`` and ``yibao-desk schema``: what the app knows, for scripts."""

from __future__ import annotations

import argparse
import json
from typing import Any

from forms.application import Application
from forms.messages import system_lang, t
from forms.profiles.loader import available_profiles, load_profile


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("profiles", help="list the region profiles")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("zh", "en"))
    p.set_defaults(run=_profiles)
    s = sub.add_parser("schema", help="print the JSON Schema of application.json")
    s.set_defaults(run=_schema)


def _profiles(args: argparse.Namespace) -> int:
    lang = args.lang or system_lang()
    profiles = [load_profile(pid) for pid in available_profiles()]
    if args.format == "json":
        print(json.dumps([{
            "id": p.id, "name": {"zh": p.name.zh, "en": p.name.en},
            "verified": p.verified.isoformat(), "extends": p.extends,
        } for p in profiles], ensure_ascii=False, indent=2))
        return 0
    print(t("cli.profiles_header", lang))
    for p in profiles:
        print(t("cli.profile_row", lang, id=p.id, name=p.name.get(lang),
                verified=p.verified.isoformat()))
    return 0


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(Application.model_json_schema(), ensure_ascii=False, indent=2))
    return 0
