"""The longest values the schema allows, exported and read back from the rendered PDF:
no two characters overlap, no rule runs through a character, nothing is cut, and the
form carries on to another page with its column titles repeated."""

from __future__ import annotations

import pytest

from forms.analysis.cache import cache_for
from forms.packet.builder import PacketResult, build_packet
from forms.profiles import load_profile
from forms.storage import load
from tests.conftest import SAMPLES
from tests.packet.conftest import ON
from tests.packet.longest import longest_application
from tests.packet.pdfgeom import crossing, glyphs, open_pdf, overlapping_pairs, rules

DRAFT_MARK_PT = 30  # the draft mark (64 pt, across the page) is meant to lie over text


@pytest.fixture(scope="module")
def longest(tmp_path_factory: pytest.TempPathFactory) -> PacketResult:
    dest = tmp_path_factory.mktemp("longest") / "packet.pdf"
    with load(SAMPLES / "complete" / "application.json") as opened:
        # a draft: 200-character ID and mobile numbers are (rightly) errors
        return build_packet(longest_application(), load_profile("national"), opened.base_dir,
                            dest, on=ON, photo_copies=2, draft=True, analyses=cache_for(opened))


def test_no_character_overlaps_another_or_a_rule(longest: PacketResult) -> None:
    doc = open_pdf(longest.path)
    checked = 0
    for number in range(len(doc)):
        page = doc[number]
        text = [g for g in glyphs(page) if g.size < DRAFT_MARK_PT]
        pairs = overlapping_pairs(text)
        assert not pairs, f"page {number + 1}: {[(a.char, b.char) for a, b in pairs[:5]]}"
        hits = crossing(text, rules(page))
        assert not hits, f"page {number + 1}: {[(g.char, g.box, r) for g, r in hits[:5]]}"
        checked += len(text)
    assert checked > 3000


def test_every_long_value_prints_whole(longest: PacketResult) -> None:
    doc = open_pdf(longest.path)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    flat = text.replace("\r", "").replace("\n", "")
    app = longest_application()
    for value in (app.hukou.address, app.residence.address, app.employment.employer,
                  app.applicant.name, app.guardian.name if app.guardian else None):
        assert value and value in flat, value[:20] if value else value


def test_the_form_runs_on_with_its_column_titles(longest: PacketResult) -> None:
    doc = open_pdf(longest.path)
    pages = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    form = [i for i, p in enumerate(pages) if "项目" in p and "填写内容" in p]
    assert len(form) >= 2 and form == list(range(form[0], form[0] + len(form)))


def test_form_is_a_summary_with_the_fields_a_counter_asks_for(longest: PacketResult) -> None:
    doc = open_pdf(longest.path)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    text = text.replace("\r", "").replace("\n", "")  # labels wrap inside their cells
    for needle in ("参保信息汇总表（本人填写，供窗口参考）", "人员类别/参保身份",
                   "最低生活保障对象（低保）（享受参保资助）", "工作单位/平台",
                   "2020年6月1日 至 2040年6月1日", "监护人/代办人", "与参保人关系"):
        assert needle in text, needle
    assert "基本医疗保险参保登记表" not in text
