"""Everything a section needs to lay itself out, gathered once per packet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from forms.application import Application
from forms.findings import Finding
from forms.messages import render_finding, t
from forms.packet.fonts import PacketFont
from forms.packet.prepare import Prepared
from forms.packet.styles import Styles
from forms.profiles.schema import Profile
from forms.rules import CheckResult

LANG = "zh"  # the packet goes to a Chinese counter


@dataclass
class Context:
    app: Application
    profile: Profile
    on: dt.date
    font: PacketFont
    result: CheckResult
    prepared: list[Prepared]
    photo_copies: int
    draft: bool
    # The packet's whole verdict, each problem once (rules, glyphs, files): what the cover
    # lists as open; empty when a caller lays out without checking (the benchmark).
    findings: list[Finding] = field(default_factory=list)
    # Draft placeholders: "(U+4DAE)" -> ("䶮", field paths it stands in)
    placeholders: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    styles: Styles = field(init=False)

    def __post_init__(self) -> None:
        self.styles = Styles(self.font.name)

    @property
    def region(self) -> str:
        """The place named in titles: the profile's city, or, under the national rules,
        the city the applicant lives in."""
        if self.profile.region_prefix is None and self.app.residence.city:
            return self.app.residence.city
        return self.profile.name.zh

    @property
    def lang(self) -> str:
        return LANG

    def t(self, key: str, **params: Any) -> str:
        return t(key, LANG, **params)

    def finding_text(self, finding: Any) -> str:
        return render_finding(finding, LANG, self.profile)

    def date_text(self, day: dt.date | None) -> str:
        return "" if day is None else f"{day.year}年{day.month}月{day.day}日"

    def of_kind(self, *kinds: str) -> list[Prepared]:
        return [p for p in self.prepared if p.material.kind in kinds
                and (p.jpeg is not None or p.image is not None)]

    def safe(self, text: str | None) -> str:
        """Text for a reportlab Paragraph (its mini-markup treats < and & specially), with
        any character the main font lacks set in the fallback font that has it."""
        if not text:
            return ""
        return self.font.markup(text)
