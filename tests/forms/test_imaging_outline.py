"""The card's outline on real desks (generated: the real card layout with its security
print and rounded corners, on textured tables, white desks, ruled paper, flatbed scans
and sideways scans, with shadows, glare and JPEG 60–85): found on the true edge, and
never trusted when it is wrong."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cli import main
from forms.imaging.documents import find_outline, rough_aspect
from forms.imaging.scans import process_scan
from tests.support import synthetic

ID_ASPECT = 85.6 / 54.0
PERSON = synthetic.Person("李喆", "女", "汉", dt.date(1990, 2, 3),
                          "四川省成都市武侯区人民南路四段12号3栋2单元501", "510107199002031221")


def _scene(seed: int, long_side: int = 1200) -> synthetic.Scene:
    card = synthetic.real_front(PERSON, seed) if seed % 2 == 0 else synthetic.real_back(PERSON)
    return synthetic.card_scene(card, seed, synthetic.DESKS[seed % len(synthetic.DESKS)],
                                long_side=long_side)


def _check(seeds: range) -> tuple[int, list[tuple[int, str, float]]]:
    good, wrong = 0, []
    for seed in seeds:
        scene = _scene(seed)
        outline = find_outline(scene.photo, ID_ASPECT)
        if outline is None or outline.doubtful:
            continue
        error = synthetic.corner_error_mm(outline.quad, scene.quad)
        if error <= 2.0:
            good += 1
        else:
            wrong.append((seed, scene.desk, round(error, 1)))
    return good, wrong


def test_outlines_on_every_desk_are_true_or_doubted() -> None:
    good, wrong = _check(range(10))   # every desk twice; the slow set below has 70 more
    assert wrong == []                # never a confident wrong crop
    assert good >= 8                  # measured 8 of 10 (the rest are doubted, not wrong)


@pytest.mark.slow
def test_outlines_on_a_larger_set() -> None:
    good, wrong = _check(range(10, 80))
    assert wrong == [] and good >= 51  # 9 of 10, 42 of the 60 after them, at least


def test_the_outline_sits_on_the_rounded_card_edge_not_inside_it() -> None:
    for seed in (0, 10):  # textured tables
        scene = _scene(seed, long_side=2400)
        outline = find_outline(scene.photo, ID_ASPECT)
        assert outline is not None and not outline.doubtful
        assert synthetic.corner_error_mm(outline.quad, scene.quad) < 0.6
        assert abs(rough_aspect(outline.quad) / rough_aspect(scene.quad) - 1) < 0.01


def test_flat_scans_with_white_margins_and_sideways_scans_are_found() -> None:
    for seed in (3, 4, 8, 9):
        scene = _scene(seed)
        outline = find_outline(scene.photo, ID_ASPECT)
        assert outline is not None and not outline.doubtful, seed
        assert synthetic.corner_error_mm(outline.quad, scene.quad) < 1.0, seed


def _invisible_card(tmp_path: Path) -> Path:
    """A card on a desk of its own colour, without shadow or rim: only its print shows.
    (Warped with the desk's colour all round: warped onto black and cut out, as a photo
    of a card is drawn, its edge blends with the black and shows as a dark line a pixel
    wide, which is just what a card's cut rim looks like.)"""
    import cv2

    card = synthetic.real_front(PERSON)
    tone = (238, 240, 236)
    quad = np.array([[300, 250], [1250, 300], [1220, 900], [280, 860]], dtype=np.float32)
    w, h = card.size
    to_photo = cv2.getPerspectiveTransform(
        np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32), quad)
    photo = cv2.warpPerspective(np.asarray(card), to_photo, (1600, 1200),
                                flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                                borderValue=tone)
    path = tmp_path / "invisible.jpg"
    Image.fromarray(photo).save(path, quality=90)
    return path


def test_a_card_whose_edges_cannot_be_seen_is_never_called_true_size(tmp_path: Path) -> None:
    result = process_scan(_invisible_card(tmp_path), "id_card_front")
    codes = {f.code for f in result.findings}
    assert not result.true_size and not result.auto and result.corners is None
    assert codes & {"image.outline_doubtful", "image.outline_not_found"}
    assert result.image.size[0] / result.image.size[1] == pytest.approx(1600 / 1200, rel=0.01)
    if result.doubtful:
        assert result.suggested is not None and result.confidence is not None


def test_cli_scan_reports_confidence_and_doubt(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.jpg"
    _scene(3, long_side=3264).photo.save(good, quality=90)
    assert main(["scan", str(good), "-o", str(tmp_path / "out.jpg"), "--kind", "id_card_back",
                 "--format", "json", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["true_size"] and not data["doubtful"] and data["confidence"] >= 0.62
    main(["scan", str(_invisible_card(tmp_path)), "-o", str(tmp_path / "out2.jpg"),
          "--kind", "id_card_front", "--format", "json", "--lang", "en"])
    data = json.loads(capsys.readouterr().out)
    assert not data["true_size"] and data["corners"] is None
    assert {f["code"] for f in data["findings"]} & {"image.outline_doubtful",
                                                     "image.outline_not_found"}


# Light-on-light scenes the region and print proposals could not find (measured: doubted,
# 35-65 mm off, before the straight-edge proposals): the card's edges are faint steps, on
# ruled paper crossed by the ruling.
LIGHT_ON_LIGHT = [
    (synthetic.Person("毛雪", "男", "汉", dt.date(1953, 7, 8),
                      "四川省成都市武侯区武侯大道294号11号楼3单元1535", "510107195307089859"),
     7, 2007, "lined_paper"),
    (synthetic.Person("廖堃", "女", "汉", dt.date(2004, 1, 13),
                      "广东省广州市天河区体育西路239号16号楼4单元1378", "440106200401133720"),
     16, 2016, "white_desk"),
    (synthetic.Person("苏堃", "男", "汉", dt.date(1992, 3, 4),
                      "上海市徐汇区龙华西路1号16号楼3单元2735", "310104199203042011"),
     21, 2021, "white_desk"),
]


@pytest.mark.parametrize("person,print_seed,seed,desk", LIGHT_ON_LIGHT,
                         ids=[f"{d}-{s}" for _p, _i, s, d in LIGHT_ON_LIGHT])
def test_a_light_card_on_a_white_desk_or_ruled_paper_is_found_on_its_edge(
        person: synthetic.Person, print_seed: int, seed: int, desk: str) -> None:
    scene = synthetic.card_scene(synthetic.real_front(person, print_seed), seed, desk)
    outline = find_outline(scene.photo, ID_ASPECT)
    assert outline is not None and not outline.doubtful
    assert synthetic.corner_error_mm(outline.quad, scene.quad) <= 2.0


def _on_ruled_paper(seed: int) -> tuple[Image.Image, np.ndarray]:
    """A card laid nearly square to a notebook's ruling (as people put it down), so its
    long sides run beside ruling lines and its rounded corners end among them; a soft
    shadow, phone noise and JPEG, 1600 x 1200."""
    import io

    rng = np.random.default_rng(seed)
    size = (1600, 1200)
    quad = synthetic.random_quad(rng, size, ID_ASPECT, fill=rng.uniform(0.55, 0.75),
                                 max_rotation=6.0, max_skew=0.04)
    page = synthetic.desk("lined_paper", size, rng)
    photo = synthetic.place_card(synthetic.real_front(PERSON, seed), page, quad,
                                 shadow=rng.uniform(0.6, 0.9), rim=rng.uniform(0.0, 0.2))
    photo = synthetic.degrade(photo, rng, noise=3.0, blur=0.6)
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=80)
    buf.seek(0)
    return Image.open(buf).convert("RGB"), quad


# Measured before the ruling was told apart from the card's edge: all four doubted, 9-15 mm
# off (a side pulled out onto the next ruling line, or onto the shadow's far edge).
@pytest.mark.parametrize("seed", [2, 5, 12, 14])
def test_a_card_square_to_a_notebooks_ruling_is_found_on_its_edge(seed: int) -> None:
    photo, quad = _on_ruled_paper(seed)
    outline = find_outline(photo, ID_ASPECT)
    assert outline is not None and not outline.doubtful
    assert synthetic.corner_error_mm(outline.quad, quad) <= 2.0


@pytest.mark.slow
def test_cards_on_ruled_paper_are_true_or_doubted() -> None:
    good = 0
    for seed in range(16, 40):
        photo, quad = _on_ruled_paper(seed)
        outline = find_outline(photo, ID_ASPECT)
        if outline is None or outline.doubtful:
            continue
        assert synthetic.corner_error_mm(outline.quad, quad) <= 2.0, seed
        good += 1
    assert good >= 18


def _small_photo(desk: str, seed: int) -> synthetic.Scene:
    """A 1000-px phone photo (the smallest the set holds) of the card on ``desk``."""
    card = synthetic.real_front(PERSON, seed) if seed % 2 == 0 else synthetic.real_back(PERSON)
    return synthetic.card_scene(card, seed, desk, long_side=1000)


# Measured before: white desk 100 doubted 5.1 mm off (its top side, lit like the desk and
# without a shadow, showed only the thin line of the card's rim: the side stood on the
# print inside); ruled paper 101 and 126 doubted 2.1 and 15.6 mm off (the card's own
# strokes lying the ruling's way were counted as the page's ruling inside the outline).
@pytest.mark.parametrize("desk,seed", [("white_desk", 100), ("lined_paper", 101),
                                       ("lined_paper", 126)])
def test_a_small_photo_on_a_white_desk_or_ruled_paper_is_found_on_its_edge(
        desk: str, seed: int, scenes_before_round_7: None) -> None:
    # (measured, and the fixes made, on the scenes as drawn before round 7: with the contact
    # shade, 101 is doubted, not wrong, on its ruling instead)
    scene = _small_photo(desk, seed)
    outline = find_outline(scene.photo, ID_ASPECT)
    assert outline is not None and not outline.doubtful
    assert synthetic.corner_error_mm(outline.quad, scene.quad) <= 2.0
