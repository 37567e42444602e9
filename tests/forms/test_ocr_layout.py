"""Fields from the real card layout: rows by box geometry, the split birth date checked
against the number, full-width digits, rare name characters, the engine's colour order
and reading an upside-down card once."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from PIL import Image

from forms.analysis.reading import read_image
from forms.ocr import engine
from forms.ocr.crosscheck import reading_findings
from forms.ocr.engine import Line
from forms.ocr.fields import parse, rows
from tests.support import synthetic

NUMBER = "410102197511250017"
PERSON = synthetic.Person("张堃", "男", "汉", dt.date(1975, 11, 25),
                          "河南省郑州市中原区建设西路123号5号楼2单元1101", NUMBER)


def _box(text: str, top: float, left: float, score: float = 0.99, height: float = 0.06) -> Line:
    return Line(text, score, top, left, height, 0.02 * len(text), 2.0)


def _front(**over: Line) -> list[Line]:
    lines = {
        "name_label": _box("姓名", 0.13, 0.12), "name": _box("张伟", 0.125, 0.25),
        "sex": _box("性别男", 0.24, 0.16), "nation": _box("民族汉", 0.24, 0.38),
        "birth_a": _box("出生 1975", 0.36, 0.16), "birth_b": _box("年11月25日", 0.36, 0.42),
        # the value sits a hair above its label: rounding heights put it first and lost it
        "addr_label": _box("住址", 0.492, 0.11),
        "addr1": _box("河南省郑州市中原区建设", 0.486, 0.35),
        "addr2": _box("西路123号5号楼2单", 0.57, 0.32), "addr3": _box("元1101", 0.655, 0.24),
        "number": _box(f"公民身份号码 {NUMBER}", 0.87, 0.5),
    }
    lines.update(over)
    return list(lines.values())


def test_rows_follow_box_overlap_not_rounded_heights() -> None:
    grouped = rows(_front())
    texts = [[ln.text for ln in row] for row in grouped]
    assert ["住址", "河南省郑州市中原区建设"] in texts and ["出生 1975", "年11月25日"] in texts
    read = parse("id_card_front", _front())
    assert read.value("address") == PERSON.address
    assert read.value("birth_date") == "1975-11-25" and not read.flags
    assert read.value("name") == "张伟" and read.value("sex") == "male"


def test_an_address_label_in_the_portrait_column_reads_no_address_and_no_crash() -> None:
    """Seen on a generated photo: the only "住址" box sat right of the text column (a
    doubted crop read through its suggestion); the address is simply not read."""
    lines = [ln for ln in _front() if not ln.text.startswith(("住址", "河南", "西路", "元1"))]
    lines.append(_box("住址", 0.49, 0.7))
    read = parse("id_card_front", lines)
    assert read.value("address") is None and read.value("name") == "张伟"


def test_full_width_digits_are_normalised() -> None:
    wide = NUMBER.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    read = parse("id_card_front", _front(number=_box(f"公民身份号码{wide}", 0.87, 0.5),
                                         birth_a=_box("出生 １９７５", 0.36, 0.16)))
    assert read.value("id_number") == NUMBER and read.value("birth_date") == "1975-11-25"


def test_a_misread_birth_date_is_taken_from_the_valid_number_and_said() -> None:
    read = parse("id_card_front", _front(birth_b=_box("年11月26日", 0.36, 0.42)))
    assert read.value("birth_date") == "1975-11-25" and read.flags["birth_date"] == "from_number"
    codes = {f.code: f.params for f in reading_findings(read)}
    assert codes["ocr.birth_from_number"]["read"] == "1975-11-26"
    unread = parse("id_card_front", _front(birth_b=_box("", 0.36, 0.42)))
    assert unread.value("birth_date") == "1975-11-25"
    assert "ocr.birth_unread" in {f.code for f in reading_findings(unread)}


def test_rare_name_characters_are_kept_and_flagged_only_when_unsure() -> None:
    sure = parse("id_card_front", _front(name=_box("张堃", 0.125, 0.25, score=0.99)))
    assert sure.value("name") == "张堃" and "name" not in sure.flags
    unsure = parse("id_card_front", _front(name=_box("张赟", 0.125, 0.25, score=0.85)))
    assert unsure.value("name") == "张赟" and unsure.flags["name"] == "rare_character"
    assert "ocr.rare_character" in {f.code for f in reading_findings(unsure)}
    common = parse("id_card_front", _front(name=_box("张伟", 0.125, 0.25, score=0.85)))
    assert "name" not in common.flags


def test_lines_read_upside_down_are_put_back_in_card_order() -> None:
    turned = [Line(ln.text, ln.score, 1 - ln.top, 1 - ln.left, ln.height, ln.width, ln.aspect)
              for ln in _front()]
    read = parse("id_card_front", turned)
    assert read.upside_down and read.value("address") == PERSON.address
    assert read.value("birth_date") == "1975-11-25" and read.value("name") == "张伟"


def test_the_engine_gets_the_colour_order_it_expects(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[np.ndarray] = []

    class Fake:
        def __call__(self, arr: np.ndarray, **_: object) -> object:
            seen.append(arr)
            return type("R", (), {"txts": None})()

    monkeypatch.setattr(engine, "_engine", Fake())
    engine.read_lines(Image.new("RGB", (200, 100), (255, 0, 0)))  # pure red
    assert seen and tuple(seen[0][50, 50]) == (0, 0, 255)           # BGR, as OpenCV


@pytest.fixture(scope="module")
def counted():  # type: ignore[no-untyped-def]
    if not engine.available():
        pytest.skip("OCR engine not available")
    return engine


def test_an_upside_down_card_is_read_once(counted, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[int] = []
    real = engine.read_lines

    def counting(img: Image.Image) -> list[Line]:
        calls.append(1)
        return real(img)

    monkeypatch.setattr("forms.analysis.reading.read_lines", counting)
    read = read_image(synthetic.real_front(PERSON).rotate(180), "id_card_front")
    assert len(calls) == 1 and read.upside_down
    assert read.value("id_number") == NUMBER and read.value("birth_date") == "1975-11-25"
    assert read.value("address") == PERSON.address


def test_a_sideways_card_is_turned_and_read(counted) -> None:  # type: ignore[no-untyped-def]
    card = synthetic.real_front(PERSON)
    for turn in (Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270):
        read = read_image(card.transpose(turn), "id_card_front")
        assert read.value("id_number") == NUMBER and read.value("sex") == "male", turn


def test_rows_of_a_tilted_card_follow_the_lines_slope() -> None:
    """Read through a doubted, tilted crop: each row rises a quarter across the card."""
    slope = -0.25
    tilted = [Line(ln.text, ln.score, ln.top + slope * (ln.left - 0.5), ln.left, ln.height,
                   ln.width, ln.aspect, slope) for ln in _front()]
    read = parse("id_card_front", tilted)
    assert read.value("address") == PERSON.address
    assert read.value("birth_date") == "1975-11-25" and not read.flags


def test_print_right_of_the_address_column_is_not_address() -> None:
    read = parse("id_card_front", _front(stamp=_box("样本", 0.76, 0.55)))
    assert read.value("address") == PERSON.address


def test_the_address_runs_on_when_its_short_label_box_sits_askew() -> None:
    # Measured on a ruled-paper photo (bench scene 1022): the engine gave the two-character
    # label a slope of its own, which levelled it 0.015 higher, so the gap to the second
    # line (the card's 4.6 mm line spacing, 0.085 of its height) looked like the gap
    # before a copy's use mark and the address stopped after its first line.
    askew = Line("住址", 0.99, 0.511, 0.116, 0.06, 0.04, 2.0, slope=-0.038)
    lines = _front(addr_label=askew, addr1=_box("河南省郑州市中原区建设", 0.506, 0.386),
                   addr2=_box("西路123号5号楼2单", 0.593, 0.341),
                   addr3=_box("元1101", 0.678, 0.27))
    assert parse("id_card_front", lines).value("address") == PERSON.address
