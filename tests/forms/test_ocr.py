"""Reading cards generated here: fields, sides, upside-down scans, cross-checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image

from cli import main
from forms.analysis.compute import from_processed
from forms.analysis.crosscheck import material_findings
from forms.analysis.reading import read_document, read_image
from forms.application import Application, Material
from forms.findings import Finding
from forms.ocr import engine
from forms.ocr.crosscheck import suggestions
from forms.ocr.engine import Line
from forms.ocr.fields import Read, find_number, parse
from forms.profiles import load_profile
from tests.forms.imaging_support import PERSON, card_photo, save
from tests.support import synthetic


def _lines(*texts: str) -> list[Line]:
    return [Line(t, 0.99, 0.1 + i * 0.07, 0.3) for i, t in enumerate(texts)]  # a card's pitch


def test_a_usage_mark_below_the_address_is_not_read_as_address() -> None:
    lines = _lines("姓名 王小明", "住址 四川省成都市", "武侯区人民南路")
    lines += [Line("仅供办理医疗保险参保登记使用，他用无效", 0.99, 0.62, 0.3),
              Line("公民身份号码 510107198808081234", 0.99, 0.85, 0.3)]
    assert parse("id_card_front", lines).value("address") == "四川省成都市武侯区人民南路"


def test_number_confusions_are_fixed_only_when_the_check_digit_agrees() -> None:
    assert find_number(_lines("公民身份号码 5101O7198808O81234")) == ("510107198808081234", 0.99)
    number, score = find_number(_lines("公民身份号码 510107198808081235"))  # type: ignore[misc]
    assert number == "510107198808081235" and score < 0.5   # invalid: low confidence


def test_fields_are_found_by_their_labels() -> None:
    read = parse("id_card_front", _lines("姓名 王小明", "性别 男 民族 回", "出生 1988年8月8日",
                                          "住址 四川省成都市", "武侯区人民南路",
                                          "公民身份号码 510107198808081234"))
    assert read.value("name") == "王小明" and read.value("sex") == "male"
    assert read.value("ethnicity") == "回" and read.value("birth_date") == "1988-08-08"
    assert read.value("address") == "四川省成都市武侯区人民南路" and read.side == "front"


@pytest.fixture(scope="module")
def front_read():  # type: ignore[no-untyped-def]
    return read_image(synthetic.id_front(PERSON), "id_card_front")


def test_a_card_front_is_read(front_read) -> None:  # type: ignore[no-untyped-def]
    assert front_read.value("id_number") == PERSON.id_number
    assert front_read.value("name") == PERSON.name
    assert front_read.value("sex") == "male" and front_read.value("birth_date") == "1988-08-08"
    assert front_read.value("address") == PERSON.address.replace(" ", "")
    assert all(0 < score <= 1 for _, score in front_read.fields.values())


def test_a_photographed_back_is_read(tmp_path: Path) -> None:
    path = save(card_photo(8, frame=(2000, 1500), fill=0.7, side="back")[0], tmp_path / "b.jpg")
    read = read_document(path, "id_card_back")
    assert read.side == "back" and read.value("valid_until") == "2040-06-01"
    assert read.value("authority") == PERSON.authority


def crosscheck(app: Application, read: Read) -> list[Finding]:
    """The verdict's findings for one card read as ``read``."""
    m = Material(kind=read.kind, file="materials/card.png")  # type: ignore[arg-type]
    processed = SimpleNamespace(read=read, findings=[], faces=None, true_size=False,
                                confidence=None, quad_aspect=None, ocr_unavailable=False,
                                auto=False, corners=None)
    analysis = from_processed(m, "0" * 64, processed)
    only = app.model_copy(update={"materials": [m]})
    return material_findings(only, load_profile("national"), dt.date(2026, 11, 25),
                             {m.file: analysis})


def test_upside_down_and_wrong_slot_are_errors() -> None:
    upside = read_image(synthetic.id_front(PERSON).rotate(180), "id_card_front")
    assert upside.upside_down and upside.value("id_number") == PERSON.id_number
    wrong = read_image(synthetic.id_back(PERSON), "id_card_front")
    app = Application()
    found = crosscheck(app, wrong) + crosscheck(app, upside)
    assert {(f.code, f.severity) for f in found} == {("ocr.wrong_side", "error"),
                                                    ("ocr.upside_down", "error")}


def test_a_typo_is_a_mismatch_and_empty_fields_are_offered(front_read) -> None:  # type: ignore[no-untyped-def]
    app = Application.model_validate({"applicant": {"name": "王小名",
                                                    "id_number": PERSON.id_number}})
    found = crosscheck(app, front_read)
    sure = front_read.fields["name"][1] >= 0.9
    assert [(f.code, f.severity, f.field, f.params["typed"], f.params["read"])
            for f in found] == [
        ("material.name_differs" if sure else "material.name_unsure",
         "error" if sure else "warning", "materials.id_card_front", "王小名", PERSON.name)]
    offered = suggestions(app, front_read)
    assert offered["applicant.birth_date"] == dt.date(1988, 8, 8)
    assert "applicant.name" not in offered and "applicant.id_number" not in offered


def test_a_typed_number_with_a_bad_check_digit_is_compared_with_the_card(front_read) -> None:  # type: ignore[no-untyped-def]
    app = Application.model_validate({"applicant": {"id_number": "510107198808081235"}})
    found = crosscheck(app, front_read)
    assert [f.code for f in found] == ["ocr.number_differs"]


def test_cli_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blank = save(Image.new("RGB", (1011, 638), (240, 240, 240)), tmp_path / "blank.png", "PNG")
    assert main(["read", str(blank), "--kind", "id_card_front"]) == 1
    assert main(["read", str(tmp_path / "none.jpg"), "--kind", "id_card_front"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_without_the_engine_the_feature_says_so(capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.setattr(engine, "_engine", None)
    monkeypatch.setattr(engine, "_failure", "ImportError: no onnxruntime")
    assert not engine.available()
    card = save(synthetic.id_front(PERSON), tmp_path / "c.png", "PNG")
    assert main(["read", str(card), "--kind", "id_card_front", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "cannot load" in err and len(err.strip().splitlines()) == 1
    assert main(["check", str(Path(__file__).parents[2] / "resources/samples/complete/"
                                "application.json"), "--on", "2026-11-25"]) == 0


def test_residence_permit_and_register_page_are_read() -> None:
    permit = synthetic.residence_permit(PERSON, "510107202400012345", "北京市",
                                        dt.date(2030, 5, 31))
    read = read_image(permit, "residence_permit")
    number, score = read.fields["id_number"]
    assert number == "510107202400012345" and score < 0.5  # read, but no ID check digit
    assert read.value("name") == PERSON.name and read.value("valid_until") == "2030-05-31"
    page = Image.new("RGB", (1240, 1689), (250, 248, 240))
    draw = synthetic.ImageDraw.Draw(page)
    for i, line in enumerate(("常住人口登记卡", f"姓名 {PERSON.name}",
                              "住址 四川省成都市武侯区人民南路12号",
                              f"公民身份号码 {PERSON.id_number}")):
        draw.text((120, 140 + i * 160), line, font=synthetic.font(64), fill=(20, 20, 20))
    read = read_image(page, "hukou_personal_page")
    assert read.value("name") == PERSON.name and read.value("id_number") == PERSON.id_number
    assert read.value("address") == "四川省成都市武侯区人民南路12号"
