"""A light card on a white desk whose side lit like the desk casts no shadow: that side
shows only as the faint line of the card's cut rim (a few grey levels, a pixel wide).
It is found on that line, and a line that runs on across the desk is never taken for it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from PIL import Image, ImageDraw

from forms.imaging.documents import find_outline
from forms.imaging.rims import rim_line, runs_past
from tests.conftest import first_in_make_test
from tests.support import synthetic

# drawn, and their evidence found wanting, with the dark line of the scenes before round 7
pytestmark = pytest.mark.usefixtures("scenes_before_round_7")

ID_ASPECT = 85.6 / 54.0
PERSON = synthetic.Person("张伟", "男", "汉", dt.date(1985, 3, 7),
                          "河南省郑州市中原区建设西路12号3号楼2单元501", "410102198503070010")


def _white_desk(seed: int, front: bool) -> synthetic.Scene:
    card = synthetic.real_front(PERSON, seed) if front else synthetic.real_back(PERSON, seed)
    return synthetic.card_scene(card, seed, "white_desk")


# Measured before the rim was looked for: all doubted, 0.3-52 mm off (the side standing on
# the print inside, on the glare's edge, or a corner dragged along the rim's neighbours);
# the first two run in make test, all five in make test-all.
RIMS = [(7005, False), (7036, True), (7116, True), (7144, False), (7019, True)]


@pytest.mark.parametrize("case", first_in_make_test(RIMS, 2), ids=lambda c: f"{c[0]}")
def test_a_side_showing_only_its_rim_is_found_on_it(case: tuple[int, bool]) -> None:
    scene = _white_desk(*case)
    outline = find_outline(scene.photo, ID_ASPECT)
    assert outline is not None and not outline.doubtful
    assert synthetic.corner_error_mm(outline.quad, scene.quad) <= 2.0


def _saved(photo: Image.Image) -> Image.Image:
    """The photo as the benchmark saves it (JPEG quality 95) and a reader opens it."""
    import io

    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=95)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


# Measured before: doubted 0.5, 9.9 and 6.6 mm off. Two or three sides stand on little
# (lit like the desk, or a guess from the print inside the card): each is looked for as
# a rim out to where a side of such a guess may lie; the first was doubted only because
# its two good sides fell just short of the support asked of them.
WEAK_SIDES = [
    (synthetic.Person("白琳慧", "女", "汉", dt.date(1972, 2, 23),
                      "上海市徐汇区天钥桥路83号7号楼2单元2555", "31010419720223504X"), 125),
    (synthetic.Person("余兰霞", "女", "汉", dt.date(1953, 8, 23),
                      "四川省成都市武侯区科华北路252号4号楼5单元2710", "51010719530823144X"), 69),
    (synthetic.Person("邹勇", "男", "汉", dt.date(2002, 7, 1),
                      "北京市朝阳区朝阳北路217号18号楼3单元1999", "110105200207010994"), 196),
]


@pytest.mark.parametrize("case", first_in_make_test(WEAK_SIDES, 1), ids=lambda c: f"{c[1]}")
def test_a_card_with_several_weak_sides_is_found_on_its_rims(
        case: tuple[synthetic.Person, int]) -> None:
    person, index = case
    card = synthetic.real_front(person, index) if index % 3 != 2 \
        else synthetic.real_back(person, index)
    scene = synthetic.card_scene(card, 7000 + index, "white_desk")
    outline = find_outline(_saved(scene.photo), ID_ASPECT)
    assert outline is not None and not outline.doubtful
    assert synthetic.corner_error_mm(outline.quad, scene.quad) <= 2.0


def _line_photo(size: tuple[int, int], ends: tuple[float, float, float, float]
                ) -> np.ndarray:
    """A pale desk with noise and one thin dark line from ``ends``, in grey."""
    rng = np.random.default_rng(3)
    img = Image.new("L", size, 236)
    ImageDraw.Draw(img).line(ends, fill=229, width=1)
    arr = np.asarray(img).astype(np.float32) + rng.normal(0, 2.0, size[::-1])
    return arr.astype(np.float32)


def test_a_rim_line_is_found_and_a_line_running_on_is_told_apart() -> None:
    # a 7-grey-level line, 6 px outside the side a->b (clockwise: outwards is upwards here)
    a, b = np.array([100.0, 206.0], np.float32), np.array([500.0, 206.0], np.float32)
    card_rim = _line_photo((600, 400), (100, 200, 500, 200))
    found = rim_line(card_rim, a, b, (-12, 12), (-12, 12))
    assert found is not None
    start, end, share = found
    assert share > 0.9 and abs(start[1] - 200) < 1 and abs(end[1] - 200) < 1
    assert not runs_past(card_rim, start, end)
    seam = _line_photo((600, 400), (0, 200, 599, 200))      # a seam across the whole desk
    found = rim_line(seam, a, b, (-12, 12), (-12, 12))
    assert found is not None and runs_past(seam, found[0], found[1])


def test_a_seam_beside_the_rim_leaves_the_outline_true_or_doubted() -> None:
    """A line on the desk 2.6 mm outside a side that shows only its rim, running across the
    photo: the outermost line there is no rim (it runs on), so it must not place the side
    (measured without that check: trusted 2.7 mm off; with it, doubted)."""
    scene = _white_desk(7036, True)
    q = np.asarray(scene.quad, np.float64)
    px_mm = float(np.hypot(*(q[1] - q[0]))) / 85.6
    a, b = q[0], q[1]                      # the top side, lit like the desk
    u = (b - a) / np.hypot(*(b - a))
    n = np.array([u[1], -u[0]])            # outwards
    p = (a + b) / 2 + 2.6 * px_mm * n
    far = 3 * max(scene.photo.size)
    photo = scene.photo.copy()
    seam = Image.new("L", photo.size, 0)
    ImageDraw.Draw(seam).line([tuple(p - far * u), tuple(p + far * u)], fill=255, width=2)
    card = Image.new("L", photo.size, 0)
    ImageDraw.Draw(card).polygon([tuple(c) for c in q], fill=255)
    arr = np.asarray(photo).astype(np.int16)
    on = (np.asarray(seam) > 0) & (np.asarray(card) == 0)
    arr[on] -= 10
    outline = find_outline(Image.fromarray(arr.clip(0, 255).astype(np.uint8)), ID_ASPECT)
    assert outline is not None
    if not outline.doubtful:
        assert synthetic.corner_error_mm(outline.quad, scene.quad) <= 2.0


@pytest.mark.slow   # an 1800-px scene: over two seconds
def test_a_side_on_the_far_edge_of_the_cards_shadow_is_not_completed_by_rims() -> None:
    """The other sides a rim completes must be the card's own edges: here two sides stand
    on the outer edge of the card's cast shadow (a step as clear as any), and the rims of
    the other two would have made it a trusted outline 2.5 mm too large."""
    person = synthetic.Person("沈玉伟", "女", "汉", dt.date(1996, 4, 19),
                              "北京市朝阳区朝阳北路171号1号楼3单元124", "110105199604191586")
    scene = synthetic.card_scene(synthetic.real_front(person, 153), 7153, "white_desk")
    outline = find_outline(scene.photo, ID_ASPECT)
    assert outline is not None
    if not outline.doubtful:
        assert synthetic.corner_error_mm(outline.quad, scene.quad) <= 2.0
