"""``build_packet``: the whole PDF, from the application, its materials and the profile.

Long work (processing the materials) reports progress and can be cancelled between steps.
The PDF is assembled in memory and written with an atomic rename, so a crash, a cancel or a
full disk never leaves half a packet where the user expects one.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.platypus import SimpleDocTemplate

from forms.analysis.model import Analysis
from forms.application import Application
from forms.atomic import write_bytes
from forms.errors import NotReady
from forms.findings import Finding, error, has_errors, sort_findings
from forms.messages import t
from forms.packet.bring import BringItem, bring_items
from forms.packet.context import LANG, Context
from forms.packet.fonts import (
    PacketFont,
    app_texts,
    find_font,
    glyph_findings,
    missing_characters,
    with_fallbacks,
)
from forms.packet.page import MARGIN, PAGE, PDF_VERSION, canvas_maker
from forms.packet.prepare import outlines, prepare_materials
from forms.packet.sections.cover import cover
from forms.packet.sections.documents import documents
from forms.packet.sections.form import form
from forms.packet.sections.id_copy import id_copy
from forms.packet.sections.legal import legal
from forms.packet.sections.photos import photos
from forms.profiles.schema import Profile, resolve
from forms.progress import NullProgress, Progress, checkpoint
from forms.verdict import full_verdict


@dataclass(frozen=True)
class PacketResult:
    path: Path
    pages: int
    size_bytes: int
    draft: bool
    findings: list[Finding]
    # What to take to the counter, as catalog keys (the app says it in the UI's language)
    bring: list[BringItem] = field(default_factory=list)


def _fill_gaps(app: Application, font: PacketFont) -> Application:
    """For a draft only: characters the font lacks become "(U+4DAE)" — visible, never a hole."""

    def fix(node: Any) -> Any:
        if isinstance(node, str):
            for ch in missing_characters(node, font):
                node = node.replace(ch, f"(U+{ord(ch):04X})")
            return node
        if isinstance(node, dict):
            return {k: fix(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    return Application.model_validate(fix(app.model_dump()))


def _placeholders(findings: list[Finding]) -> dict[str, tuple[str, list[str]]]:
    """Each draft placeholder "(U+4DAE)" with the character and the fields it stands in."""
    out: dict[str, tuple[str, list[str]]] = {}
    for f in findings:
        if f.code == "packet.glyph_missing" and f.field:
            char = str(f.params["char"])
            _, fields = out.setdefault(f"(U+{ord(char):04X})", (char, []))
            fields.append(f.field)
    return out


def _encrypt(data: bytes, password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.pdf_header = "%PDF-{}.{}".format(*PDF_VERSION)
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render(ctx: Context, invariant: bool = True) -> tuple[bytes, int]:
    """Lay out the packet; returns the PDF bytes and the page count. ``invariant`` gives
    byte-stable output (creation date 2000-01-01, fixed file ID) for tests; otherwise the
    file carries the real creation date (or SOURCE_DATE_EPOCH's, for reproducible builds)."""
    story = cover(ctx) + form(ctx) + id_copy(ctx) + documents(ctx) + photos(ctx) + legal(ctx)
    data, stats = lay_out(ctx, story, t("packet.pdf_title", LANG, region=ctx.region),
                          invariant)
    return data, stats.get("pages", 0)


def lay_out(ctx: Context, story: list[Any], title: str, invariant: bool = True,
            sections: Mapping[str, str] | None = None) -> tuple[bytes, dict[str, int]]:
    """Build ``story`` into A4 pages with the packet's furniture; ``ctx`` gives the font,
    the date and the draft mark (``sections``: a household's members, see page.py).
    Returns the PDF and its counts: "pages", and "section.KEY" for each member's pages."""
    buf = io.BytesIO()
    scheme = t(f"scheme.{ctx.app.scheme.scheme}", LANG) if ctx.app.scheme.scheme else ""
    doc = SimpleDocTemplate(
        buf,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4,
        title=title,
        author="yibao-desk",
        subject=scheme,
        creator="yibao-desk",
        keywords="",
        invariant=1 if invariant else 0,
        lang="zh-CN",
    )
    stats: dict[str, int] = {}
    maker = canvas_maker(
        ctx.font.name,
        ctx.draft,
        t("packet.footer", LANG, date=ctx.date_text(ctx.on)),
        t("packet.draft_mark", LANG),
        t("packet.page_label", LANG),
        stats,
        sections,
        t("packet.member_page_label", LANG),
    )
    # Binary JPEG streams: reportlab's default ASCII85 wrapping adds a quarter to their size.
    saved, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(story, canvasmaker=maker)
    finally:
        rl_config.useA85 = saved
    return buf.getvalue(), stats


def build_packet(
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
) -> PacketResult:
    """Check, prepare and lay out the packet, then write it to ``dest``.

    Raises NotReady (with the findings) when the application has errors and ``draft`` is
    False; a draft is marked "草稿 / DRAFT" on every page. The findings are the whole
    verdict (forms.verdict): ``analyses`` is a cache by key; missing ones are made here.
    A household file (``app.members``) gets the household packet (forms.packet.household).
    """
    if app.members:
        from forms.packet.household import build_household_packet  # it builds on this module

        return build_household_packet(app, profile, base_dir, dest, on=on, draft=draft,
                                      password=password, font=font,
                                      photo_copies=photo_copies, progress=progress,
                                      analyses=analyses, invariant=invariant)
    on = on or dt.date.today()
    steps = len(app.materials) + 3
    checkpoint(progress, 0, steps, "packet.progress.checking")
    packet_font = with_fallbacks(find_font(font), app_texts(app))
    result, by_file, _ = full_verdict(app, profile, on, base_dir, analyses or {})
    findings = result.findings + glyph_findings(app, packet_font)
    prepared = prepare_materials(app, base_dir, progress=_Offset(progress, 1, steps),
                                 found=outlines(by_file))
    for p in prepared:  # a straightening that does not look like a card is not true size
        found = by_file.get(p.material.file)
        if found is not None and found.looks_like_card is False:
            p.size_mm = None
    flagged = {f.params.get("file") for f in result.findings if f.code.startswith("material.file")}
    findings += [
        f
        for p in prepared
        for f in p.findings
        if not (f.code == "material.file_unusable" and f.params.get("file") in flagged)
        and f not in result.findings  # the analysis said it already
    ]
    has_photo = any(p.material.kind == "photo" and p.jpeg is not None for p in prepared)
    if photo_copies and not has_photo:  # asked for a photo page that cannot be made
        findings.append(error("packet.photos_without_photo", "materials.photo",
                              count=photo_copies))
    findings = sort_findings(findings)
    if not draft and has_errors(findings):
        raise NotReady(findings)

    checkpoint(progress, steps - 2, steps, "packet.progress.layout")
    if photo_copies is None:
        printed = resolve(profile, profile.photos.printed_count, on)
        photo_copies = printed.value if printed else 0
    if not has_photo:  # the cover must not promise a page that is not there
        photo_copies = 0
    shown = _fill_gaps(app, packet_font) if draft else app
    ctx = Context(shown, profile, on, packet_font, result, prepared, photo_copies, draft,
                  findings=findings,
                  placeholders=_placeholders(findings) if draft else {})
    data, pages = render(ctx, invariant)
    if password:
        data = _encrypt(data, password)
    checkpoint(progress, steps - 1, steps, "packet.progress.writing")
    write_bytes(data, Path(dest))
    progress.step(steps, steps, "packet.progress.done")
    return PacketResult(Path(dest), pages, len(data), draft, findings, bring_items(ctx))


class _Offset:
    """Forward a sub-task's steps into the packet's overall count."""

    def __init__(self, inner: Progress, offset: int, total: int) -> None:
        self.inner, self.offset, self.total = inner, offset, total

    def step(self, done: int, total: int, label: str) -> None:
        self.inner.step(self.offset + done, self.total, label)

    def cancelled(self) -> bool:
        return self.inner.cancelled()
