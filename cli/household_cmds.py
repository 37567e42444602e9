"""``check`` and ``export`` for a household file: results per member, and the household
packet (or one packet per member with ``--per-member``).

A file without members never comes here, so single-person output stays as it was.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from cli.output import finding_json, finding_line
from forms.analysis.model import Analysis
from forms.errors import BadArgument, NotReady
from forms.household import Person
from forms.household_costs import HouseholdCost, household_cost
from forms.messages import t
from forms.profile_origin import origin_text
from forms.profiles.schema import Profile
from forms.storage import Opened
from forms.verdict import HouseholdVerdict


def _who(person: Person, lang: str) -> str:
    relation = (t("packet.household_self", lang) if person.relation is None
                else t(f"relation.{person.relation}", lang))
    return t("cli.member_heading", lang, name=person.name or person.key, relation=relation)


def _cost_line(cost: HouseholdCost, lang: str) -> str:
    return t("cli.household_cost", lang, amount=f"{cost.per_year:,.2f}",
             resident=f"{cost.resident_yearly:,.2f}", flexible=f"{cost.flexible_monthly:,.2f}",
             unknown=len(cost.unknown))


def check_text(hv: HouseholdVerdict, profile: Profile, lang: str) -> str:
    """Each member's findings and estimates under their name, then the household's."""
    from cli.check_cmd import render_text

    lines = [t("cli.profile_line", lang, name=profile.name.get(lang),
               verified=profile.verified.isoformat())]
    origin = origin_text(profile.id, lang)
    if origin:
        lines.append(origin)
    for f in hv.findings:
        lines.append(finding_line(f, lang, profile))
    for v in hv.verdicts:   # each member as `check` shows one person, without the header
        body = render_text(v.result.findings, v.result.estimates, profile, lang)
        lines += ["", "== " + _who(v.person, lang) + " ==", body.split("\n\n", 1)[1]]
    cost = household_cost([(v.person, v.result.estimates) for v in hv.verdicts])
    lines += ["", _cost_line(cost, lang)]
    return "\n".join(lines)


def check_json(hv: HouseholdVerdict, profile: Profile, lang: str) -> dict[str, Any]:
    cost = household_cost([(v.person, v.result.estimates) for v in hv.verdicts])
    return {
        "ok": hv.ok,
        "status": hv.status,
        "household_findings": [finding_json(f, lang, profile) for f in hv.findings],
        "members": [{"key": v.key, "name": v.person.name, "relation": v.person.relation,
                     "ok": v.result.ok,
                     "findings": [finding_json(f, lang, profile) for f in v.result.findings],
                     "estimates": v.result.estimates.model_dump(mode="json")}
                    for v in hv.verdicts],
        "cost": {"per_year": cost.per_year, "resident_yearly": cost.resident_yearly,
                 "flexible_monthly": cost.flexible_monthly,
                 "unknown": [m.key for m in cost.unknown]},
    }


def print_refused(exc: NotReady, names: dict[str, str], profile: Profile, lang: str) -> None:
    """A refused household export: each problem under the name of whose it is."""
    for key, findings in exc.by_member.items():
        shown = [f for f in findings if f.severity != "info"]
        if not shown:
            continue
        if key in names:
            print(names[key])
        for f in shown:
            print(("  " if key in names else "") + finding_line(f, lang, profile))


def export(args: argparse.Namespace, opened: Opened, profile: Profile, on: dt.date,
           analyses: dict[str, Analysis], password: str | None, lang: str) -> int:
    """The household packet at ``-o``, or one packet per member into the folder ``-o``."""
    from forms.household import people
    from forms.packet.household import build_household_packet, build_member_packets

    names = {p.key: _who(p, lang) for p in people(opened.app, on, profile)}
    common: dict[str, Any] = dict(on=on, draft=args.draft, password=password, font=args.font,
                                  photo_copies=args.photos, analyses=analyses)
    try:
        if args.per_member:
            folder: Path = args.output
            if folder.exists() and not folder.is_dir():
                raise BadArgument(str(folder), reason="output_not_folder")
            folder.mkdir(parents=True, exist_ok=True)
            made = build_member_packets(opened.app, profile, opened.base_dir, folder, **common)
        else:
            result = build_household_packet(opened.app, profile, opened.base_dir,
                                            args.output, **common)
    except NotReady as exc:
        print_refused(exc, names, profile, lang)
        print(t("cli.export_refused", lang))
        return 1
    if args.per_member:
        for person, r in made:
            print(t("cli.member_export_done", lang, who=names[person.key], path=str(r.path),
                    pages=r.pages))
        draft = any(r.draft for _, r in made)
    else:
        for key, findings in result.by_member.items():
            shown = [f for f in findings if f.severity != "info"]
            if shown:
                print(names.get(key, key))
            for f in shown:
                print("  " + finding_line(f, lang, profile))
        print(t("cli.household_export_done", lang, path=str(args.output), pages=result.pages,
                members=len(result.members)))
        for m in result.members:
            print("  " + t("cli.member_pages", lang, who=names[m.key], pages=m.pages))
        if result.cost is not None:
            print(_cost_line(result.cost, lang))
        draft = result.draft
    if draft:
        print(t("cli.export_draft", lang))
    return 0
