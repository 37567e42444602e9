"""The household of four end to end: checked per member, one household packet (a cover
listing everybody, then each member's pages, numbered per member and overall) and one
packet per member, from the command line as a person would run it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from cli import main
from forms.analysis.cache import cache_for
from forms.packet.household import HouseholdPacketResult, build_household_packet
from forms.profiles import load_profile
from forms.storage import load
from forms.verdict import full_household_verdict
from tests.conftest import SAMPLES
from tests.packet.conftest import ON
from tests.packet.pdfread import page_texts
from tests.support.shipped import copy_sample

NAMES = ["陈志强", "刘芳", "陈雨桐", "陈小宝"]
ARGS = ["--on", ON.isoformat(), "--lang", "zh"]


@pytest.fixture(scope="module")
def household_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the household sample, with the analyses it ships
    (tests/forms/test_sample_analyses.py holds them to a fresh analysis)."""
    dest = tmp_path_factory.mktemp("household") / "household"
    copy_sample(SAMPLES / "household", dest)
    return dest


@pytest.fixture(scope="module")
def analysed(household_dir: Path) -> tuple[Any, dict[str, Any]]:
    with load(household_dir / "application.json") as opened:
        shipped = cache_for(opened)
        hv, _, fresh = full_household_verdict(opened.app, load_profile("beijing"), ON,
                                              opened.base_dir, shipped)
    return hv, {**shipped, **{a.key: a for a in fresh}}


def _edited_copy(household_dir: Path, dest: Path, old: str, new: str) -> Path:
    """A copy of the household folder whose application.json says ``new`` for ``old``."""
    shutil.copytree(household_dir, dest)
    app = dest / "application.json"
    app.write_text(app.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def packet(household_dir: Path, analysed: tuple[Any, dict[str, Any]],
           tmp_path_factory: pytest.TempPathFactory) -> HouseholdPacketResult:
    dest = tmp_path_factory.mktemp("hpacket") / "household.pdf"
    with load(household_dir / "application.json") as opened:
        return build_household_packet(opened.app, load_profile("beijing"), opened.base_dir,
                                      dest, on=ON, analyses=analysed[1], invariant=True)


def test_each_member_is_checked_on_their_own(analysed: tuple[Any, dict[str, Any]]) -> None:
    hv = analysed[0]
    assert [v.person.name for v in hv.verdicts] == NAMES
    assert hv.ok and not hv.findings
    by = hv.by_key()
    assert by["daughter"].person.view.guardian.name == "陈志强"
    assert by["son"].result.estimates.waiting.exempt
    assert by["applicant"].result.estimates.flexible.monthly_chosen.value == 584.92
    assert [by[k].result.estimates.resident.yearly.value for k in ("spouse", "daughter", "son")
            ] == [795.0, 435.0, 435.0]


def test_the_cover_lists_all_four_with_what_to_bring_and_pay(
        packet: HouseholdPacketResult) -> None:
    pages = page_texts(packet.path)
    cover = "".join(pages[:3])
    for name, relation in zip(NAMES, ["本人，办理人", "配偶", "子女", "子女"]):
        assert name in cover and relation in cover
    assert "出生医学证明原件" in cover and "户口簿原件" in cover and "居住证原件" in cover
    assert "监护人身份证件原件" in cover
    # the household's cost: 584.92 × 12 + 795 + 435 + 435
    assert packet.cost is not None and packet.cost.per_year == 8684.04
    assert "8,684.04" in cover and "京人社发〔2025〕11号" in cover


def test_pages_are_numbered_per_member_and_overall(packet: HouseholdPacketResult) -> None:
    pages = page_texts(packet.path)
    total = len(pages)
    assert packet.pages == total
    for i, text in enumerate(pages, start=1):
        assert f"第 {i} 页 / 共 {total} 页" in text
    for m in packet.members:
        mine = [(i, t) for i, t in enumerate(pages, start=1)
                if re.search(rf"{m.name} 第 \d+ 页 / 共 \d+ 页", t)]
        assert len(mine) == m.pages >= 1, m.name
        for n, (_, text) in enumerate(mine, start=1):
            assert f"{m.name} 第 {n} 页 / 共 {m.pages} 页" in text
        numbers = [i for i, _ in mine]
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))  # in one run
        assert "参保信息汇总表" in mine[0][1] and m.name in mine[0][1]
    assert sum(m.pages for m in packet.members) < total        # the cover and legal basis
    assert not re.search(r"第 \d+ 页 / 共 \d+ 页.*第 \d+ 页", pages[0])   # cover: no member


def test_each_member_gets_their_own_copies(packet: HouseholdPacketResult) -> None:
    pages = page_texts(packet.path)

    def section(name: str) -> str:
        return "".join(t for t in pages if f"{name} 第 " in t)

    assert "出生医学证明" in section("陈小宝") and "出生医学证明" not in section("陈雨桐")
    for child in ("陈雨桐", "陈小宝"):      # the shared head page and guardian's ID, each
        assert "户口簿首页" in section(child) and "监护人身份证件" in section(child)
        assert "陈志强" in section(child)    # the acting father named as guardian
    assert "户口簿首页" not in section("刘芳")


def test_check_prints_per_member_and_fails_if_one_member_fails(
        household_dir: Path, analysed: Any, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    assert main(["check", str(household_dir / "application.json"), *ARGS]) == 0
    out = capsys.readouterr().out
    heads = [out.index(f"== {n}") for n in NAMES]
    assert heads == sorted(heads)
    broken = _edited_copy(household_dir, tmp_path / "broken",
                          '"materials/daughter-register.jpg"', '"materials/gone.jpg"')
    assert main(["check", str(broken / "application.json"), *ARGS]) == 1
    out = capsys.readouterr().out
    daughter = out[out.index("== 陈雨桐"):out.index("== 陈小宝")]
    assert "gone.jpg" in daughter and "✗" in daughter
    assert "✗" not in out[:out.index("== 陈雨桐")]


def test_export_writes_the_household_packet_by_default(
        household_dir: Path, analysed: Any, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    out_pdf = tmp_path / "家.pdf"
    assert main(["export", str(household_dir / "application.json"), "-o", str(out_pdf),
                 *ARGS]) == 0
    said = capsys.readouterr().out
    assert "4 人" in said and all(n in said for n in NAMES)
    assert "陈雨桐" in page_texts(out_pdf)[0]


def test_export_per_member_writes_one_safe_pdf_each(
        household_dir: Path, analysed: Any, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    folder = tmp_path / "each"
    assert main(["export", str(household_dir / "application.json"), "-o", str(folder),
                 "--per-member", *ARGS]) == 0
    files = sorted(p.name for p in folder.iterdir())
    assert files == [f"{i}-{n}.pdf" for i, n in enumerate(NAMES, start=1)]
    for i, name in enumerate(NAMES, start=1):
        pages = page_texts(folder / f"{i}-{name}.pdf")
        assert name in pages[0]
        others = set(NAMES) - {name, "陈志强"}   # the father signs as the children's guardian
        assert not any(o in "".join(pages) for o in others), name
    blocked = tmp_path / "a-file.pdf"
    blocked.write_bytes(b"")
    assert main(["export", str(household_dir / "application.json"), "-o", str(blocked),
                 "--per-member", *ARGS]) == 2
    assert "文件夹" in capsys.readouterr().err


def test_a_member_with_an_unsafe_name_gets_a_safe_file(
        household_dir: Path, analysed: Any, tmp_path: Path) -> None:
    from forms.household import people
    from forms.packet.household import member_file_name

    app_dir = _edited_copy(household_dir, tmp_path / "odd", '"刘芳"', '"../../刘/芳"')
    with load(app_dir / "application.json") as opened:
        names = [member_file_name(i, p) for i, p in enumerate(people(opened.app, ON), 1)]
    assert names[0] == "1-陈志强.pdf" and names[1].startswith("2-")
    for n in names:
        assert Path(n).name == n and "/" not in n and "\\" not in n and not n.startswith(".")
        assert n.endswith(".pdf") and ".." not in n
    assert len(set(names)) == 4


def test_check_json_has_each_member_and_the_household_cost(
        household_dir: Path, analysed: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(household_dir / "application.json"), *ARGS,
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["name"] for m in data["members"]] == NAMES
    assert [m["relation"] for m in data["members"]] == [None, "spouse", "child", "child"]
    assert data["ok"] is True and all(m["ok"] for m in data["members"])
    assert data["cost"]["per_year"] == 8684.04 and data["cost"]["unknown"] == []


def test_a_refused_household_export_says_whose_problem_it_is(
        household_dir: Path, analysed: Any, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    broken = _edited_copy(household_dir, tmp_path / "broken",
                          '"materials/son-birth-certificate.jpg"', '"materials/lost.jpg"')
    out_pdf = tmp_path / "家.pdf"
    for extra in ([], ["--per-member"]):
        target = out_pdf if not extra else tmp_path / "each"
        assert main(["export", str(broken / "application.json"), "-o", str(target),
                     *ARGS, *extra]) == 1
        said = capsys.readouterr().out
        son = said[said.index("陈小宝（子女）"):]
        assert "lost.jpg" in son and "陈雨桐" not in son
        assert not out_pdf.exists() and not any((tmp_path / "each").glob("*.pdf"))


def test_build_packet_on_a_household_file_makes_the_household_packet(
        household_dir: Path, analysed: tuple[Any, dict[str, Any]], tmp_path: Path) -> None:
    """What the app's export calls: a household file never comes out as one person's."""
    from forms.packet.builder import build_packet

    with load(household_dir / "application.json") as opened:
        result = build_packet(opened.app, load_profile("beijing"), opened.base_dir,
                              tmp_path / "p.pdf", on=ON, analyses=analysed[1])
    assert isinstance(result, HouseholdPacketResult)
    assert [m.name for m in result.members] == NAMES
