"""How many times a card is read when its outline was doubted: the suggested crop once,
and the whole image only when that crop shows too little (each read is about half a
second; the slowest photos used to be read four times)."""

from __future__ import annotations

import datetime as dt

import pytest
from PIL import Image, ImageDraw

from forms.analysis.reading import read_scan
from forms.imaging.scans import ScanResult
from forms.ocr import engine
from forms.ocr.engine import Line
from tests.support import synthetic

PERSON = synthetic.Person("陈喆", "女", "汉", dt.date(1991, 3, 7),
                          "四川省成都市武侯区科华北路66号2号楼3单元1502", "510107199103070062")


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[int, int], bool]]:
    """Each read the reader asks of the engine: the image size and ``upright``."""
    if not engine.available():
        pytest.skip("OCR engine not available")
    seen: list[tuple[tuple[int, int], bool]] = []
    real = engine.read_lines

    def counting(img: Image.Image, *, upright: bool = False) -> list[Line]:
        seen.append((img.size, upright))
        return real(img, upright=upright)

    monkeypatch.setattr("forms.analysis.reading.read_lines", counting)
    return seen


def _on_paper(card: Image.Image) -> Image.Image:
    """The whole photo a doubted outline leaves: the card small on ruled paper."""
    page = Image.new("RGB", (1400, 1000), (246, 246, 240))
    draw = ImageDraw.Draw(page)
    for y in range(40, 1000, 36):
        draw.line((0, y, 1400, y), fill=(150, 180, 220), width=2)
    page.paste(card.resize((900, 568)), (250, 200))
    return page


def test_a_doubted_emblem_side_read_well_through_its_crop_is_read_once(calls) -> None:  # type: ignore[no-untyped-def]
    back = synthetic.real_back(PERSON, 3)
    scan = ScanResult(_on_paper(back), "id_card_back", doubtful=True,
                      reading=back.resize((1011, 638)), upright_known=True)
    read = read_scan(scan, "id_card_back")
    assert [size for size, _ in calls] == [(1011, 638)]   # the crop, and nothing more
    assert read.value("authority") == PERSON.authority
    assert read.value("valid_until") == f"{PERSON.valid_until:%Y-%m-%d}"


def test_a_doubted_crop_holding_no_card_is_read_once_then_the_whole_photo(calls) -> None:  # type: ignore[no-untyped-def]
    front = synthetic.real_front(PERSON, 4)
    paper = _on_paper(front)
    wrong = paper.crop((0, 0, 400, 250)).resize((1011, 638))   # ruled paper beside the card
    scan = ScanResult(paper, "id_card_front", doubtful=True, reading=wrong,
                      upright_known=True)
    read = read_scan(scan, "id_card_front")
    assert calls[0] == ((1011, 638), True)
    assert len(calls) == 2 and calls[1][0] == paper.size   # not turned and read again
    assert read.value("id_number") == PERSON.id_number and read.value("name") == PERSON.name
