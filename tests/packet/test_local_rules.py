"""The packet cover names a service point's local rule file, with its path and date, and
labels the waiting period and the per-capita standard for what they are."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from forms.analysis.cache import cache_for
from forms.packet.builder import build_packet
from forms.profiles.loader import clear_cache, load_profile, profiles_dir, set_local_dir
from forms.storage import load
from tests.conftest import SAMPLES
from tests.packet.conftest import ON


def test_cover_names_the_local_rule_file(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    text = (profiles_dir() / "national.yaml").read_text(encoding="utf-8")
    (folder / "national.yaml").write_text(
        re.sub(r"(?m)^verified: .*$", "verified: 2026-11-20", text, count=1), encoding="utf-8")
    set_local_dir(folder)
    try:
        with load(SAMPLES / "complete" / "application.json") as opened:
            build_packet(opened.app, load_profile("national"), opened.base_dir,
                         tmp_path / "p.pdf", on=ON, analyses=cache_for(opened))
    finally:
        set_local_dir(None)
        clear_cache()
    cover = "".join(PdfReader(tmp_path / "p.pdf").pages[0].extract_text().split())
    assert "本地规则文件" in cover and "2026-11-20" in cover
    assert "居民医保待遇等待期" in cover
    assert "不低于全国最低标准" not in cover
