"""Packets for a household file: one PDF for the whole household, or one per member.

The household packet opens with one cover for everybody (each member, what each brings
and pays, the household's cost added up), then each member's summary form and copies,
numbered per member ("张三 第 2 页 / 共 4 页") as well as overall; the legal basis closes
it once. Each member's part is laid out by the very sections of a one-person packet, from
that member's one-person view (forms.household), so a member's pages read the same in
either packet. A file without members never comes here: build_packet makes its packet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forms.analysis.model import Analysis
from forms.application import Application
from forms.atomic import write_bytes
from forms.errors import MaterialUnsafe, NotReady
from forms.findings import Finding, error, sort_findings
from forms.household import Person, people
from forms.household_costs import HouseholdCost, household_cost
from forms.messages import t
from forms.packet.bring import BringItem, bring_items
from forms.packet.builder import (
    PacketResult,
    _encrypt,
    _fill_gaps,
    _placeholders,
    build_packet,
    lay_out,
)
from forms.packet.context import LANG, Context
from forms.packet.fonts import app_texts, find_font, glyph_findings, with_fallbacks
from forms.packet.page import SectionMark
from forms.packet.prepare import Prepared, outlines, prepare_materials
from forms.packet.sections.documents import documents
from forms.packet.sections.form import form
from forms.packet.sections.household_cover import Member, household_cover
from forms.packet.sections.id_copy import id_copy
from forms.packet.sections.legal import legal
from forms.packet.sections.photos import photos
from forms.profiles.schema import Profile, resolve
from forms.progress import NullProgress, Progress, checkpoint
from forms.safenames import safe_name
from forms.verdict import full_household_verdict

# NotReady.by_member's key for what belongs to the household, not to one person.
HOUSEHOLD_KEY = ""   # never a member id ([a-z0-9]{1,16})


@dataclass(frozen=True)
class MemberPages:
    key: str
    name: str
    pages: int           # this member's own pages in the household packet


@dataclass(frozen=True)
class HouseholdPacketResult(PacketResult):
    members: list[MemberPages] = field(default_factory=list)
    cost: HouseholdCost | None = None
    # each member's findings (the whole verdict for that person), by Person.key
    by_member: dict[str, list[Finding]] = field(default_factory=dict)


def _share(prepared: list[Prepared], view: Application) -> list[Prepared]:
    """The prepared copies of ``view``'s materials: a shared file is prepared once."""
    by_file = {(p.material.file, p.material.kind): p for p in prepared}
    return [by_file[(m.file, m.kind)] for m in view.materials if (m.file, m.kind) in by_file]


def build_household_packet(
    app: Application,
    profile: Profile,
    base_dir: Path,
    dest: Path,
    *,
    on: dt.date | None = None,
    draft: bool = False,
    password: str | None = None,
    font: str | None = None,
    photo_copies: int | None = None,
    progress: Progress = NullProgress(),
    analyses: Mapping[str, Analysis] | None = None,
    invariant: bool = False,
) -> HouseholdPacketResult:
    """Check everybody, prepare every material once and lay out the household packet.

    Raises NotReady with every member's errors unless ``draft``; the findings it carries
    name no member, so ``by_member`` in the result (and the cover) says whose they are.
    """
    on = on or dt.date.today()
    steps = len(app.materials) + 3
    checkpoint(progress, 0, steps, "packet.progress.checking")
    everyone = people(app, on, profile)
    texts = [text for p in everyone for text in app_texts(p.view)]
    packet_font = with_fallbacks(find_font(font), texts)
    verdicts, by_file, _ = full_household_verdict(app, profile, on, base_dir, analyses or {})
    prepared = prepare_materials(app, base_dir, progress=_Offset(progress, 1, steps),
                                 found=outlines(by_file))
    for p in prepared:  # a straightening that does not look like a card is not true size
        found = by_file.get(p.material.file)
        if found is not None and found.looks_like_card is False:
            p.size_mm = None

    by_member: dict[str, list[Finding]] = {}
    for v in verdicts.verdicts:
        mine = _share(prepared, v.person.view)
        flagged = {f.params.get("file") for f in v.result.findings
                   if f.code.startswith("material.file")}
        said = v.result.findings + glyph_findings(v.person.view, packet_font)
        said += [f for p in mine for f in p.findings
                  if not (f.code == "material.file_unusable" and f.params.get("file") in flagged)
                  and f not in v.result.findings]
        by_member[v.key] = sort_findings(said)
    if photo_copies:
        for who in everyone:
            if not any(p.material.kind == "photo" and p.jpeg is not None
                       for p in _share(prepared, who.view)):
                by_member[who.key] = sort_findings(by_member[who.key] + [
                    error("packet.photos_without_photo", "materials.photo",
                          count=photo_copies)])
    overall = list(verdicts.findings) + [f for fs in by_member.values() for f in fs]
    if not draft and any(f.severity == "error" for f in overall):
        raise NotReady(sort_findings(overall),
                       {HOUSEHOLD_KEY: list(verdicts.findings), **by_member})

    checkpoint(progress, steps - 2, steps, "packet.progress.layout")
    if photo_copies is None:
        printed = resolve(profile, profile.photos.printed_count, on)
        photo_copies = printed.value if printed else 0
    members: list[Member] = []
    for v in verdicts.verdicts:
        view = v.person.view
        mine = _share(prepared, view)
        has_photo = any(p.material.kind == "photo" and p.jpeg is not None for p in mine)
        shown = _fill_gaps(view, packet_font) if draft else view
        ctx = Context(shown, profile, on, packet_font, v.result, mine,
                      photo_copies if has_photo else 0, draft, findings=by_member[v.key],
                      placeholders=_placeholders(by_member[v.key]) if draft else {})
        members.append(Member(v.person, ctx))
    cost = household_cost([(m.person, m.ctx.result.estimates) for m in members])
    first = members[0].ctx
    story: list[Any] = household_cover(first, members, cost, verdicts.findings)
    for m in members:
        section = form(m.ctx)   # begins with a page break: the mark goes after it
        story += [section[0], SectionMark(m.person.key), *section[1:]]
        story += id_copy(m.ctx) + documents(m.ctx) + photos(m.ctx)
    closing = legal(first)
    story += [closing[0], SectionMark(None), *closing[1:]]
    names = {m.person.key: m.name for m in members}
    title = t("packet.household_pdf_title", LANG, region=first.region)
    data, stats = lay_out(first, story, title, invariant, sections=names)
    pages = stats.get("pages", 0)
    if password:
        data = _encrypt(data, password)
    checkpoint(progress, steps - 1, steps, "packet.progress.writing")
    write_bytes(data, Path(dest))
    progress.step(steps, steps, "packet.progress.done")
    bring: list[BringItem] = [b for m in members for b in bring_items(m.ctx)]
    return HouseholdPacketResult(
        Path(dest), pages, len(data), draft, sort_findings(overall), _unique(bring),
        members=[MemberPages(m.person.key, m.name, stats.get(f"section.{m.person.key}", 0))
                 for m in members],
        cost=cost, by_member=by_member)


def _unique(items: list[BringItem]) -> list[BringItem]:
    out: list[BringItem] = []
    for b in items:
        if b not in out:
            out.append(b)
    return out


def member_file_name(index: int, person: Person) -> str:
    """A safe file name for one member's packet: "2-刘芳.pdf" (the number keeps two
    members of the same name apart; forms.safenames makes any name plain)."""
    try:
        part = safe_name(person.name or person.key, room=100)
    except MaterialUnsafe:
        part = person.key
    return f"{index}-{part}.pdf"


def build_member_packets(
    app: Application,
    profile: Profile,
    base_dir: Path,
    folder: Path,
    *,
    on: dt.date | None = None,
    draft: bool = False,
    password: str | None = None,
    font: str | None = None,
    photo_copies: int | None = None,
    analyses: Mapping[str, Analysis] | None = None,
    invariant: bool = False,
) -> list[tuple[Person, PacketResult]]:
    """One ordinary packet per member, from their one-person view, into ``folder``.

    Everybody is checked before anything is written: one member's errors refuse the lot
    (NotReady) unless ``draft``, so a folder never holds half a household."""
    on = on or dt.date.today()
    everyone = people(app, on, profile)
    verdicts, _, _ = full_household_verdict(app, profile, on, base_dir, analyses or {})
    overall = list(verdicts.findings) + [f for v in verdicts.verdicts
                                         for f in v.result.findings]
    if not draft and any(f.severity == "error" for f in overall):
        raise NotReady(sort_findings(overall), {HOUSEHOLD_KEY: list(verdicts.findings),
                                                **{v.key: v.result.findings
                                                   for v in verdicts.verdicts}})
    out = []
    for i, p in enumerate(everyone, start=1):
        dest = Path(folder) / member_file_name(i, p)
        out.append((p, build_packet(p.view, profile, base_dir, dest, on=on, draft=draft,
                                    password=password, font=font, photo_copies=photo_copies,
                                    analyses=analyses, invariant=invariant)))
    return out


class _Offset:
    """Forward a sub-task's steps into the packet's overall count."""

    def __init__(self, inner: Progress, offset: int, total: int) -> None:
        self.inner, self.offset, self.total = inner, offset, total

    def step(self, done: int, total: int, label: str) -> None:
        self.inner.step(self.offset + done, self.total, label)

    def cancelled(self) -> bool:
        return self.inner.cancelled()
