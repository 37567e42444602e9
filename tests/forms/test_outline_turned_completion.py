"""A light card on a white desk whose lit sides (top, left: turned to the key light, no
cast shadow, only a faint contact shade) barely show, while three firm sides close a tall
box round the card's right end: the portrait's edge inside the card stands in for its
left side. Completing the weak side by the card's proportions only the way the three
sides stand put it back onto the portrait's edge; completed the card turned a quarter,
it reaches the card's true left side (dev scene 8171: doubted 51 mm off before)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from forms.imaging.documents import _completions, find_outline
from tests.support import synthetic

ID_ASPECT = 85.6 / 54.0
PERSON = synthetic.Person("丁帆", "男", "汉", dt.date(1994, 9, 12),
                          "上海市徐汇区龙华西路166号4号楼4单元590", "310104199409120273")


@pytest.fixture(scope="module")
def scene() -> synthetic.Scene:
    """Dev scene 8171 as the benchmark hands it over: saved as a JPEG of quality 95."""
    return synthetic.as_benchmarked(synthetic.real_front(PERSON, 171), 8171, "white_desk")


def test_a_card_whose_lit_sides_barely_show_is_found_and_trusted(
        scene: synthetic.Scene) -> None:
    outline = find_outline(scene.photo, ID_ASPECT)
    assert outline is not None
    error = synthetic.corner_error_mm(outline.quad, scene.quad)
    assert not outline.doubtful and error <= 2.0, (outline.doubtful, round(error, 1))


def test_a_tall_box_is_completed_both_ways() -> None:
    # three firm sides of a box 200 wide and 300 tall, its left side on nothing
    box = np.array([[400, 100], [600, 100], [600, 400], [400, 400]], np.float32)
    guesses = _completions(box, [1.0, 1.0, 1.0, 0.1], ID_ASPECT)
    widths = sorted(round(float(g[1, 0] - g[0, 0])) for g in guesses)
    # the box as it stands (300 / 1.585 wide) and the card turned (300 * 1.585 wide)
    assert min(widths) < 200 < 450 < max(widths)
    assert all(np.allclose(g[1:3], box[1:3]) for g in guesses)
