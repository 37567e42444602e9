"""An embeddable Chinese font for the packet, and the characters it cannot print.

reportlab embeds (a subset of) TrueType fonts only: fonts with PostScript outlines, such
as the usual Noto CJK .otf/.ttc files, are refused, and the built-in STSong-Light is not
embedded at all (it prints as boxes on a machine without the reader's language pack). So
the search tries known TrueType files on Windows, macOS and Linux, asks fontconfig where
it can, and proves each candidate by loading it.
"""

from __future__ import annotations

import hashlib
import html
import os
import shutil
import subprocess
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from forms.application import Application, field_paths, value_at
from forms.errors import FontMissing, FontUnusable
from forms.findings import Finding, error
from forms.packet import tounicode

tounicode.install()  # 𠇔 and other non-BMP characters must copy and search as themselves

FONT_NAME = "YibaoCJK"
PROBE = "医疗保险参保登记表姓名民族户口"

_WINDOWS = ("msyh.ttc", "msyh.ttf", "simhei.ttf", "simsun.ttc", "simkai.ttf", "Deng.ttf")
_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
)
INSTALL_HINT = "fonts-wqy-microhei"


@dataclass(frozen=True)
class PacketFont:
    name: str
    path: Path
    subfont: int
    codepoints: frozenset[int]
    # Fonts that fill this one's gaps (a rare name character such as 䶮 or 𠇔), in order.
    fallbacks: tuple[PacketFont, ...] = ()

    def covers(self, ch: str) -> bool:
        return self.font_for(ch) is not None

    def font_for(self, ch: str) -> str | None:
        """The registered name of the first font that can draw ``ch``, or None."""
        if ord(ch) in self.codepoints or ch in "\n\r\t":
            return self.name
        for fb in self.fallbacks:
            if ord(ch) in fb.codepoints:
                return fb.name
        return None

    def runs(self, text: str) -> list[tuple[str, str]]:
        """``text`` split into (font name, text) runs; characters no font has stay with
        the main font (reportlab drops them: glyph_findings reports them first)."""
        out: list[tuple[str, str]] = []
        for ch in text:
            name = self.font_for(ch) or self.name
            if out and out[-1][0] == name:
                out[-1] = (name, out[-1][1] + ch)
            else:
                out.append((name, ch))
        return out

    def markup(self, text: str) -> str:
        """``text`` escaped for a reportlab Paragraph, with ``<font name=..>`` around each
        run a fallback font draws and "(U+4DAE)" for a character none has."""
        parts = []
        # a character no font has would vanish: show its code point, never a hole
        text = "".join(ch if self.covers(ch) else f"(U+{ord(ch):04X})" for ch in text)
        for name, run in self.runs(text):
            run = html.escape(run, quote=False)  # markup text, never an attribute
            parts.append(run if name == self.name else f'<font name="{name}">{run}</font>')
        return "".join(parts)


def _windows_dirs() -> list[Path]:
    root = os.environ.get("WINDIR") or os.environ.get("SystemRoot")  # noqa: SIM112 (Windows' spelling)
    dirs = [Path(root) / "Fonts"] if root else [Path("C:/Windows/Fonts")]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _fontconfig() -> list[Path]:
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [Path(line.split(":")[0].strip()) for line in out.splitlines() if line.strip()]


def candidates() -> list[Path]:
    paths = [Path(p) for p in _CANDIDATES]
    paths += [d / name for d in _windows_dirs() for name in _WINDOWS]
    paths += sorted(_fontconfig())
    seen: set[Path] = set()
    return [p for p in paths if not (p in seen or seen.add(p))]  # type: ignore[func-returns-value]


_PARSED: dict[str, TTFont] = {}


@cache
def _load(path: Path) -> PacketFont:
    """Load and verify one file; raises FontUnusable with the reason."""
    if not path.is_file():
        raise FontUnusable(str(path), file=str(path), reason="font_not_found")
    last: Exception | None = None
    for index in range(4 if path.suffix.lower() == ".ttc" else 1):
        try:
            font = TTFont(_name(path, index), str(path), subfontIndex=index)
        except TTFError as exc:
            last = exc
            if "postscript" in str(exc).lower():
                raise FontUnusable(str(exc), file=str(path), reason="font_postscript") from None
            continue
        except (OSError, ValueError, IndexError) as exc:
            last = exc
            break
        codepoints = frozenset(font.face.charToGlyph)
        if all(ord(ch) in codepoints for ch in PROBE):
            _PARSED[_name(path, index)] = font  # parsed once: registering reuses it
            return PacketFont(_name(path, index), path, index, codepoints)
    raise FontUnusable(str(last or path), file=str(path), reason="font_no_chinese")


def _name(path: Path, index: int) -> str:
    """A reportlab font name per file and face, so several can be registered at once."""
    digest = hashlib.sha1(f"{path}:{index}".encode()).hexdigest()[:8]
    return f"{FONT_NAME}-{digest}"


def find_font(chosen: str | None = None) -> PacketFont:
    """The font to use: the user's choice if given (and usable), else the first usable
    system font; registered with reportlab under ``PacketFont.name``."""
    font = _load(Path(chosen)) if chosen else _first_usable()
    _register(font)
    return font


def _register(font: PacketFont) -> None:
    if font.name not in pdfmetrics.getRegisteredFontNames():
        parsed = _PARSED.get(font.name) or TTFont(font.name, str(font.path),
                                                  subfontIndex=font.subfont)
        pdfmetrics.registerFont(parsed)


def _first_usable() -> PacketFont:
    for path in candidates():
        try:
            return _load(path)
        except FontUnusable:
            continue
    raise FontMissing("no TrueType Chinese font", package=INSTALL_HINT)


def with_fallbacks(font: PacketFont, texts: list[str]) -> PacketFont:
    """``font`` with, for the characters of ``texts`` it lacks, the installed TrueType fonts
    that have them (AR PL UMing has 䶮 and 𠇔, which WenQuanYi lacks), each registered with
    reportlab. Fonts are searched only when something is missing: loading one costs time."""
    gaps = {ch for text in texts for ch in missing_characters(text, font)}
    chosen: list[PacketFont] = []
    for path in candidates() if gaps else []:
        try:
            other = _load(path)
        except FontUnusable:
            continue
        found = {ch for ch in gaps if ord(ch) in other.codepoints}
        if other.name == font.name or not found:
            continue
        _register(other)
        chosen.append(other)
        gaps -= found
        if not gaps:
            break
    return replace(font, fallbacks=tuple(chosen)) if chosen else font


def app_texts(app: Application) -> list[str]:
    """Every text value of the application (the characters the packet may print)."""
    out: list[str] = []
    for path in field_paths():
        value = value_at(app, path)
        if isinstance(value, str):
            out.append(value)
    return out


def missing_characters(text: str, font: PacketFont) -> list[str]:
    """Characters of ``text`` the font cannot draw, in order, each once."""
    seen: list[str] = []
    for ch in text:
        if not font.covers(ch) and ch not in seen:
            seen.append(ch)
    return seen


def glyph_findings(app: Application, font: PacketFont) -> list[Finding]:
    """An error for every character of the application the font would drop, naming the
    field and the character: a name must never print with a hole in it."""
    out: list[Finding] = []
    for path in field_paths():
        value = value_at(app, path)
        if isinstance(value, str):
            for ch in missing_characters(value, font):
                out.append(
                    error("packet.glyph_missing", path, char=ch, codepoint=f"U+{ord(ch):04X}")
                )
    return out
