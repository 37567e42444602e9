"""The cover agrees with itself and with the rest of the packet: no promised photo page
without a photo, 请携带 from the same requirements as the checklist, every draft
placeholder explained, a missing file listed once, each route's own waiting period."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from cli import main
from forms.analysis.cache import cache_for
from forms.application import Application
from forms.errors import NotReady
from forms.messages import t
from forms.packet.bring import ORIGINAL
from forms.packet.builder import PacketResult, build_packet
from forms.profiles import load_profile
from forms.storage import load
from tests.conftest import SAMPLES
from tests.packet.conftest import ON


def _raw(**changes: Any) -> dict[str, Any]:
    raw = json.loads((SAMPLES / "complete" / "application.json").read_text("utf-8"))
    for path, value in changes.items():
        section, key = path.split("__")
        raw[section][key] = value
    return raw


def _build(tmp_path: Path, raw: dict[str, Any], profile: str = "national",
           **kw: Any) -> PacketResult:
    with load(SAMPLES / "complete" / "application.json") as opened:
        return build_packet(Application.model_validate(raw), load_profile(profile),
                            opened.base_dir, tmp_path / "p.pdf", on=ON,
                            analyses=cache_for(opened), **kw)


def _cover(result: PacketResult) -> str:
    """The cover's text, which may run onto a second page when there is much to say."""
    doc = pdfium.PdfDocument(str(result.path))
    pages = [doc[i].get_textpage().get_text_range().replace("\r", "") for i in range(len(doc))]
    form_starts = next((i for i, p in enumerate(pages) if "参保信息汇总表" in p), 1)
    return "".join(pages[:max(form_starts, 1)])


def test_photos_asked_without_a_photo_is_an_error(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    raw = _raw()
    raw["materials"] = [m for m in raw["materials"] if m["kind"] != "photo"]
    with pytest.raises(NotReady) as info:
        _build(tmp_path, raw, photo_copies=8)
    assert "packet.photos_without_photo" in {f.code for f in info.value.findings}
    app = tmp_path / "app" / "application.json"
    shutil.copytree(SAMPLES / "complete" / "materials", app.parent / "materials")
    app.write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    assert main(["export", str(app), "-o", str(tmp_path / "c.pdf"), "--photos", "8",
                 "--on", "2026-11-25", "--lang", "zh"]) == 1
    assert "8 张一寸照片" in capsys.readouterr().out and not (tmp_path / "c.pdf").exists()
    draft = _build(tmp_path, raw, photo_copies=8, draft=True)  # a draft promises nothing
    cover = _cover(draft)
    assert "一寸证件照片 8 张" not in cover
    assert "证件照片" not in "".join(pdfium.PdfDocument(str(draft.path))[i].get_textpage()
                                     .get_text_range() for i in range(1, draft.pages))


def _bring_and_checklist(cover: str) -> tuple[list[str], set[str]]:
    """The 请携带 lines, and the checklist's materials that are needed or in the packet."""
    bring_block = cover.split(t("packet.bring", "zh"), 1)[1].split(t("packet.where", "zh"))[0]
    bring = [ln[1:].strip() for ln in bring_block.splitlines() if ln.startswith("•")]
    table = cover.split(t("packet.checklist", "zh"), 1)[1]
    wanted = set()
    for kind in ORIGINAL:
        for row in table.splitlines():
            if row.startswith(t(f"material.{kind}", "zh") + " ") and (
                    "必需" in row or "建议" in row or "已备齐" in row):
                wanted.add(t(ORIGINAL[kind], "zh"))
    return bring, wanted


@pytest.mark.parametrize("changes", [{}, {"applicant__has_id_card": False,
                                          "applicant__birth_date": "2022-05-01",
                                          "employment__situation": "preschool_child"}])
def test_what_to_bring_agrees_with_the_checklist(tmp_path: Path,
                                                 changes: dict[str, Any]) -> None:
    raw = _raw(**changes)
    bring, originals = _bring_and_checklist(_cover(_build(tmp_path, raw, draft=True,
                                                          photo_copies=2)))
    named = {re.sub(r"（建议携带）$", "", b) for b in bring}
    extras = {t("packet.bring_packet", "zh"), t("packet.bring_photos", "zh", count=2)}
    assert originals and named == originals | extras, (bring, originals)
    assert len(bring) == len(set(bring))


def test_a_draft_explains_each_placeholder_and_lists_a_missing_file_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("forms.packet.builder.with_fallbacks", lambda font, texts: font)
    raw = _raw(applicant__name="王䶮", bank__holder="王䶮")
    raw["materials"].append({"kind": "residence_permit", "file": "materials/gone-permit.jpg"})
    cover = _cover(_build(tmp_path, raw, draft=True))
    flat = cover.replace("\n", "")
    explained = flat.split("草稿中的“(U+4DAE)”", 1)[1].split("。")[0]
    assert t("field.applicant.name", "zh") in explained
    assert t("field.bank.holder", "zh") in explained
    assert flat.count("gone-permit.jpg") == 1


def test_the_flexible_route_shows_its_own_waiting_period(tmp_path: Path) -> None:
    raw = _raw(scheme__scheme="flexible", scheme__contribution_base=6000,
               employment__situation="flexible_employee")
    cover = _cover(_build(tmp_path, raw, draft=True)).replace("\n", "")
    assert "灵活就业（职工医保）待遇等待期" in cover
    assert "居民医保待遇等待期：" not in cover
