"""A card laid a degree or two off a notebook's ruling: a side drawn onto a ruling line that
meets the card's edge at one corner and runs a few millimetres off it at the other. The
step beside the line and the shade round the card carried that side, and where the card
is wide in the frame no line runs on past a corner to show it; the page's lines filled
in, the card's own step lies off the side at one end, and the side is measured there."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from forms.imaging.documents import find_outline
from tests.support import synthetic

ID_ASPECT = 85.6 / 54.0
PERSON = synthetic.Person("周赟", "男", "汉", dt.date(1987, 9, 21),
                          "湖北省武汉市洪山区珞喻路1037号7栋1单元302", "420111198709212317")


def _as_saved(scene: synthetic.Scene) -> Image.Image:
    """The photo as the app gets it: a JPEG of quality 95."""
    buf = io.BytesIO()
    scene.photo.save(buf, "JPEG", quality=95)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def _trusted_off(seed: int, long_side: int) -> str | None:
    """What is wrong with the outline found in ``seed``'s ruled-paper photo of PERSON (as
    saved by the app): None when it is doubted or within 2 mm of the card."""
    scene = synthetic.card_scene(synthetic.real_front(PERSON, seed), seed, "lined_paper",
                                 long_side=long_side)
    outline = find_outline(_as_saved(scene), ID_ASPECT)
    if outline is None:
        return "no outline at all"
    error = synthetic.corner_error_mm(outline.quad, scene.quad)
    return None if outline.doubtful or error <= 2.0 else f"trusted {error:.2f} mm off"


# Measured before: trusted 2.26 mm off (the top side on the page's line, 11 px below it at
# the far corner, in a 1000-px photo).
def test_a_side_drawn_onto_a_ruling_line_is_measured_on_the_card_edge() -> None:
    scene = synthetic.card_scene(synthetic.real_front(PERSON, 8610), 8610, "lined_paper",
                                 long_side=1000)
    outline = find_outline(scene.photo, ID_ASPECT)
    assert outline is not None
    error = synthetic.corner_error_mm(outline.quad, scene.quad)
    assert not outline.doubtful and error <= 2.0, f"doubted {outline.doubtful}, {error:.2f} mm"


@pytest.mark.slow
def test_dev_scene_8112_a_12_mp_photo_on_ruled_paper() -> None:
    # trusted 2.82 mm off before: the card spans the frame's width, its top a ruling line
    person = synthetic.Person("田芬", "女", "汉", dt.date(1984, 10, 1),
                              "河南省郑州市中原区中原西路186号16号楼3单元2721",
                              "410102198410012065")
    scene = synthetic.card_scene(synthetic.real_front(person, 112), 8112, "lined_paper")
    outline = find_outline(_as_saved(scene), ID_ASPECT)
    assert outline is not None
    error = synthetic.corner_error_mm(outline.quad, scene.quad)
    assert not outline.doubtful and error <= 2.0, f"doubted {outline.doubtful}, {error:.2f} mm"


# Measured before: trusted 2.15 mm off (fresh held-out scene 20132, 1600 px). The card is
# light on light paper and its top is a lit side: once the page's lines are filled in,
# nothing is left of a step there, and the side stood on the ruling line alone.
def test_a_side_with_no_step_of_its_own_on_a_ruling_line_is_not_trusted() -> None:
    person = synthetic.Person("金芳超", "女", "汉", dt.date(1984, 10, 8),
                              "北京市朝阳区朝阳北路184号14号楼3单元496", "110105198410087823")
    scene = synthetic.card_scene(synthetic.real_front(person, 132), 20132, "lined_paper")
    outline = find_outline(_as_saved(scene), ID_ASPECT)
    assert outline is not None
    error = synthetic.corner_error_mm(outline.quad, scene.quad)
    assert outline.doubtful or error <= 2.0, f"trusted {error:.2f} mm off"


# Measured before: trusted 2.81 mm off at 1000 px, 5.07 mm at 1600 px. The top side lay
# on a ruling line, the card 2.4° off it; the search doubted it, and the rims' rescue kept
# that side as it was. At 1600 px the page's line filled in left a step a few pixels off
# the side, parallel to it, which passed for the card's own.
@pytest.mark.parametrize("long_side", [1000, 1600])
def test_the_rims_rescue_does_not_keep_a_side_on_a_ruling_line(long_side: int) -> None:
    assert _trusted_off(8794, long_side) is None


# Measured before: trusted 2.28 mm off (1000 px, the card upright beside the notebook's
# single-pixel red margin): its left side lay on the margin, the card's edge a degree off it.
def test_a_side_drawn_onto_the_margin_line_is_not_trusted_there() -> None:
    assert _trusted_off(8807, 1000) is None


# Measured before: trusted 2.91 mm off (unseen ruled sweep, 1000 px). Looked for again in
# a crop round the first answer, the page's line the top side lay on ran so close beside
# the card's edge that, measured along its middle, it looked like a step, not a thin line:
# it was left out of the ruling and the side on it was not measured again.
def test_a_ruling_line_close_beside_the_card_edge_is_still_ruling() -> None:
    assert _trusted_off(12046, 1000) is None


# Measured before (with the ruling change above, on an unseen ruled sweep at 1000 px):
# trusted 3.12 mm off. The left side had no step of its own, and the refinement stopped
# after its wide first pass, handing back the supports measured there: the top side,
# tilted onto the ruling line at one corner, "stood" on steps up to 4.5 % of the card away
# from it. The page's line ends then put the left side, and the outline was trusted.
def test_supports_are_those_of_the_sides_where_they_lie() -> None:
    assert _trusted_off(13333, 1000) is None


# Measured before: trusted 2.53 mm off (unseen ruled sweep, 1000 px). A soft shade lay
# over the lower part of the photo, and the card's bottom side was drawn onto the outer
# edge of its cast shadow: the band just inside that side was 26 grey levels darker than
# both the card's face and the paper outside it.
def test_a_side_on_the_outer_edge_of_the_cards_shadow_is_not_trusted() -> None:
    assert _trusted_off(13096, 1000) is None
