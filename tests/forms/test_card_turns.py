"""Which way up a card lies, decided by its layout: `scan` puts an upside-down card the
right way up by itself, and `read` reads it once, without the engine's half-turn check."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cli import main
from forms.analysis.reading import read_scan
from forms.imaging.scans import process_scan
from forms.imaging.turns import upside_down
from forms.ocr import engine
from forms.ocr.engine import Line
from tests.support import synthetic

PERSON = synthetic.Person("王淼", "女", "汉", dt.date(1984, 7, 9),
                          "广东省广州市天河区体育西路88号3号楼1单元602", "440106198407091220")


def _photo(card: Image.Image, path: Path, seed: int) -> Path:
    """The card upside down on a wooden table, photographed as a phone does."""
    scene = synthetic.card_scene(card.rotate(180), seed, "table", long_side=2400)
    scene.photo.save(path, quality=88)
    return path


def _sample_mark_lower_right(img: Image.Image) -> bool:
    """The pink 样本 stamp sits below the portrait, right of centre (5 px/mm below: 56-72 mm
    across, 39-45 mm down); upside down it would be upper left."""
    rgb = np.asarray(img.convert("RGB").resize((428, 270)), dtype=np.int16)
    pink = (rgb[..., 0] - rgb[..., 2]) > 25
    return bool(pink[195:225, 280:360].mean() > 3 * pink[45:75, 68:148].mean() + 0.01)


@pytest.mark.parametrize("kind", ["id_card_front", "id_card_back"])
def test_the_layout_says_which_way_up(kind: str) -> None:
    draw = synthetic.real_front if kind == "id_card_front" else synthetic.real_back
    for seed in range(6):
        card = draw(PERSON, seed)
        assert upside_down(card, kind) is False
        assert upside_down(card.rotate(180), kind) is True
    # Another document, or nothing where the layout expects its marks: no answer.
    assert upside_down(Image.new("RGB", (1011, 638), (240, 240, 240)), kind) is None
    assert upside_down(card, "residence_permit") is None


def test_scan_turns_an_upside_down_card_the_right_way_up(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photo = _photo(synthetic.real_front(PERSON, 3), tmp_path / "turned.jpg", 41)
    scan = process_scan(photo, "id_card_front")
    assert scan.true_size and scan.upright_known and scan.turned
    assert _sample_mark_lower_right(scan.image)
    out = tmp_path / "out.png"
    assert main(["scan", str(photo), "-o", str(out), "--kind", "id_card_front",
                 "--format", "json", "--lang", "en"]) == 0
    assert json.loads(capsys.readouterr().out)["turned"] == 180
    assert _sample_mark_lower_right(Image.open(out))


def test_an_upside_down_photo_is_read_in_one_pass_without_the_angle_check(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if not engine.available():
        pytest.skip("OCR engine not available")
    photo = _photo(synthetic.real_front(PERSON, 5), tmp_path / "turned.jpg", 43)
    scan = process_scan(photo, "id_card_front")
    calls: list[bool] = []
    real = engine.read_lines

    def counting(img: Image.Image, *, upright: bool = False) -> list[Line]:
        calls.append(upright)
        return real(img, upright=upright)

    monkeypatch.setattr("forms.analysis.reading.read_lines", counting)
    read = read_scan(scan, "id_card_front")
    assert calls == [True]                     # one read, no half-turn check
    assert scan.turned and not read.upside_down  # already upright: nothing left to turn
    assert read.value("id_number") == PERSON.id_number and read.value("name") == PERSON.name
