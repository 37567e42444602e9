"""Straightening cards photographed at an angle on textured tables, and the quality checks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageEnhance, ImageFilter

from forms.imaging.documents import find_outline, order_corners, rough_aspect
from forms.imaging.scans import process_scan
from tests.conftest import first_in_make_test
from tests.forms.imaging_support import (
    EXPECTED_MARK,
    ID_ASPECT,
    PERSON,
    card_photo,
    red_mark_centre,
    save,
)
from tests.support import synthetic

# Seeds alternate sides and cycle blur 0, 0.6, 1.2: the first six hold every pairing.
SEEDS = first_in_make_test(range(16), keep=6)


def _codes(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.code for f in result.findings}


@pytest.mark.parametrize("seed", SEEDS)
def test_card_on_a_table_is_found_and_straightened(tmp_path: Path, seed: int) -> None:
    photo, truth = card_photo(seed, side="front" if seed % 2 else "back",
                              blur=0.6 * (seed % 3))
    path = save(photo, tmp_path / "card.jpg", quality=90)
    result = process_scan(path, "id_card_front" if seed % 2 else "id_card_back")
    assert result.auto and result.true_size, seed
    corners = np.array(result.corners)
    assert np.abs(corners - truth).max() < 0.005 * max(photo.size), seed
    w, h = result.image.size
    assert abs((w / h) / ID_ASPECT - 1) < 0.02
    # The content keeps its real proportions: the mark lands where it was drawn.
    mark = red_mark_centre(result.image)
    assert mark is not None, seed
    assert abs(mark[0] - EXPECTED_MARK[0]) < 0.02 and abs(mark[1] - EXPECTED_MARK[1]) < 0.02


def test_a_card_turned_almost_sideways_still_comes_out_upright(tmp_path: Path) -> None:
    card = synthetic.id_front(PERSON)
    bg = synthetic.texture("wood", (1600, 1600), 1)
    centre, half_w, half_h = np.array([800, 800]), 500, 315
    # rotated by 80°: the card's top edge runs steeply downwards to the right
    angle = np.radians(80)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    quad = (np.array([[-half_w, -half_h], [half_w, -half_h], [half_w, half_h],
                      [-half_w, half_h]]) @ rot.T + centre).astype(np.float32)
    path = save(synthetic.photograph(card, bg, quad), tmp_path / "side.jpg")
    result = process_scan(path, "id_card_front")
    mark = red_mark_centre(result.image)
    assert mark is not None and mark[0] < 0.1 and mark[1] < 0.15


def test_phone_rotation_in_exif_is_applied_first(tmp_path: Path) -> None:
    photo, _ = card_photo(5)
    path = tmp_path / "phone.jpg"
    synthetic.save_with_orientation(photo, path, 8)
    result = process_scan(path, "id_card_front")
    mark = red_mark_centre(result.image)
    assert result.auto and mark is not None and mark[0] < 0.1 and mark[1] < 0.15


def test_corners_given_by_hand_are_used(tmp_path: Path) -> None:
    photo, truth = card_photo(9)
    path = save(photo, tmp_path / "c.jpg")
    shuffled = truth[[2, 0, 3, 1]]  # any order: the pipeline orders them
    result = process_scan(path, "id_card_front", corners=shuffled.tolist())
    assert not result.auto and result.true_size
    assert np.abs(np.array(result.corners) - truth).max() < 1.0
    assert red_mark_centre(result.image) is not None


def test_when_no_outline_is_found_the_whole_image_is_kept(tmp_path: Path) -> None:
    bg = synthetic.texture("grass", (1200, 900), 2)
    path = save(bg, tmp_path / "grass.jpg")
    result = process_scan(path, "id_card_front")
    assert not result.auto and not result.true_size and result.corners is None
    assert {"image.outline_not_found", "image.proportions"} <= _codes(result)
    assert result.image.size[0] / result.image.size[1] == pytest.approx(1200 / 900, rel=0.01)


def test_order_corners_keeps_clockwise_from_top_left() -> None:
    quad = np.array([[100, 100], [300, 110], [290, 230], [95, 220]], dtype=np.float32)
    for perm in ([0, 1, 2, 3], [2, 3, 0, 1], [3, 1, 0, 2]):
        assert np.array_equal(order_corners(quad[perm], ID_ASPECT), quad)
    assert rough_aspect(quad) == pytest.approx(1.66, rel=0.05)


def test_outline_search_declines_an_empty_table() -> None:
    plain = Image.new("RGB", (800, 600), (128, 100, 80))
    assert find_outline(plain, ID_ASPECT) is None


def test_a_small_card_in_a_big_scene_is_too_low_resolution(tmp_path: Path) -> None:
    photo, _ = card_photo(4, frame=(800, 600), fill=0.5)   # card ≈ 300 px wide
    result = process_scan(save(photo, tmp_path / "far.jpg"), "id_card_front")
    assert "image.resolution_low" in _codes(result) and not result.usable
    assert result.dpi is not None and result.dpi < 200


def test_a_close_sharp_photo_is_fine(tmp_path: Path) -> None:
    photo, _ = card_photo(6, frame=(3000, 2250), fill=0.7)
    result = process_scan(save(photo, tmp_path / "near.jpg", quality=92), "id_card_front")
    assert result.usable and not {"image.resolution_low", "image.resolution_fair",
                                  "image.blurry", "image.soft"} & _codes(result)


def test_blur_darkness_and_glare_are_reported(tmp_path: Path) -> None:
    card = synthetic.id_front(PERSON)
    blurred = save(card.filter(ImageFilter.GaussianBlur(4)), tmp_path / "b.png", "PNG")
    assert "image.blurry" in _codes(process_scan(blurred, "id_card_front",
                                                 corners=_full(card)))
    dark = save(ImageEnhance.Brightness(card).enhance(0.12), tmp_path / "d.png", "PNG")
    assert "image.too_dark" in _codes(process_scan(dark, "id_card_front", corners=_full(card)))
    glare = card.copy()
    glare.paste((255, 255, 255), (300, 150, 700, 400))
    glared = save(glare, tmp_path / "g.png", "PNG")
    assert "image.glare" in _codes(process_scan(glared, "id_card_front", corners=_full(card)))


def _full(img: Image.Image) -> list[list[float]]:
    w, h = img.size
    return [[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]]


def test_kinds_without_a_size_are_kept_whole(tmp_path: Path) -> None:
    photo, _ = card_photo(2)
    result = process_scan(save(photo, tmp_path / "o.jpg"), "other")
    assert result.image.size == photo.size and not result.true_size


def test_household_register_page_gets_its_portrait_proportions(tmp_path: Path) -> None:
    page = Image.new("RGB", (1240, 1689), (250, 248, 240))
    synthetic.ImageDraw.Draw(page).text((100, 100), "常住人口登记卡", font=synthetic.font(80),
                                        fill=(20, 20, 20))
    bg = synthetic.texture("wood", (2400, 2400), 3)
    quad = synthetic.random_quad(np.random.default_rng(3), bg.size, 105 / 143, fill=0.7,
                                 max_rotation=10)
    path = save(synthetic.photograph(page, bg, quad), tmp_path / "hukou.jpg")
    result = process_scan(path, "hukou_personal_page")
    assert result.auto
    assert result.image.size == (1240, 1689)


@pytest.mark.parametrize("name, kind", [("hukou-head.jpg", "hukou_head_page"),
                                        ("son-register.jpg", "hukou_personal_page")])
def test_a_register_page_with_its_own_table_is_still_found(name: str, kind: str) -> None:
    """The ruling a notebook shows inside an outline reaching out onto the page says
    nothing on a register page, which prints a ruled table of its own."""
    from forms.imaging.scans import process_scan
    from tests.conftest import SAMPLES

    result = process_scan(SAMPLES / "household" / "materials" / name, kind)
    assert result.auto and not result.doubtful and result.true_size
    assert result.confidence is not None and result.confidence >= 0.9
