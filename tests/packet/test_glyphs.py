"""Every name prints and copies: fallback fonts per character run, and a ToUnicode map
that writes characters outside the BMP as UTF-16 surrogate pairs."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from reportlab.pdfbase import ttfonts

from cli.output import finding_line
from forms.analysis.cache import cache_for
from forms.application import Application
from forms.errors import NotReady
from forms.packet import fonts, tounicode
from forms.packet.builder import build_packet
from forms.profiles import load_profile
from forms.storage import load
from tests.conftest import SAMPLES
from tests.packet.conftest import ON

RARE = "刘䶮𠇔"  # U+4DAE (CJK Ext-A) and U+201D4 (Ext-B, outside the BMP)
UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")


def _app(name: str) -> Application:
    raw = json.loads((SAMPLES / "complete" / "application.json").read_text("utf-8"))
    raw["applicant"]["name"] = name
    raw["bank"]["holder"] = name
    return Application.model_validate(raw)


def _build(tmp_path: Path, name: str, *, draft: bool = True) -> Path:
    """A draft: the sample's ID card shows another name, which the verdict rightly refuses
    for a final packet; the names must print all the same."""
    with load(SAMPLES / "complete" / "application.json") as opened:
        build_packet(_app(name), load_profile("national"), opened.base_dir,
                     tmp_path / "p.pdf", on=ON, photo_copies=0, draft=draft,
                     analyses=cache_for(opened))
    return tmp_path / "p.pdf"


def test_the_surrogate_pair_is_written_for_characters_outside_the_bmp() -> None:
    cmap = tounicode.make_to_unicode_cmap("F", [0x20, 0x4DAE, 0x201D4])
    assert "<00> <0020>" in cmap and "<01> <4DAE>" in cmap
    assert "<02> <D840DDD4>" in cmap and "201D4" not in cmap
    assert ttfonts.makeToUnicodeCMap is tounicode.make_to_unicode_cmap


@pytest.mark.skipif(not UMING.is_file(), reason="fonts-arphic-uming (scripts/sysdeps.sh)")
def test_a_rare_name_prints_in_a_fallback_font_and_copies_as_itself(tmp_path: Path) -> None:
    pdf = _build(tmp_path, RARE)
    first = pdfium.PdfDocument(str(pdf))[0].get_textpage().get_text_range()
    assert RARE in first  # pdfium: what copy and search give
    text = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert text.count(RARE) >= 3  # cover, form name, bank holder
    assert "(U+" not in text
    used = {str(f.get_object()["/BaseFont"]) for p in PdfReader(str(pdf)).pages
            for f in p["/Resources"]["/Font"].values()}
    assert any("UMing" in name for name in used), used


@pytest.mark.skipif(not UMING.is_file(), reason="fonts-arphic-uming (scripts/sysdeps.sh)")
def test_runs_split_only_where_the_main_font_has_a_gap() -> None:
    main = fonts.find_font("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    font = fonts.with_fallbacks(main, [RARE])
    runs = font.runs("王" + RARE + "<&")
    # 䶮 may come from WenQuanYi Zen Hei, 𠇔 from UMing: each from the first that has it
    assert "".join(r[1] for r in runs) == "王" + RARE + "<&"
    assert runs[0] == (main.name, "王刘") and runs[-1] == (main.name, "<&")
    assert all(name != main.name for name, _ in runs[1:-1])
    assert font.markup("a<䶮") == f'a&lt;<font name="{font.font_for("䶮")}">䶮</font>'


def test_with_no_font_for_a_character_the_cli_names_font_option(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    monkeypatch.setattr(fonts, "with_fallbacks", lambda font, texts: font)
    monkeypatch.setattr("forms.packet.builder.with_fallbacks", lambda font, texts: font)
    with pytest.raises(NotReady) as info:
        _build(tmp_path, RARE, draft=False)
    gaps = [f for f in info.value.findings if f.code == "packet.glyph_missing"]
    assert gaps
    for lang in ("zh", "en"):
        line = finding_line(gaps[0], lang)
        assert "--font" in line and "䶮" in line
        assert "设置" not in line and "settings" not in line
