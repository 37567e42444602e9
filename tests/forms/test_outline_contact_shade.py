"""A side turned to the key light shows on a white desk only as the soft contact shade
at the card's foot: no step (the shaded desk there is as light as the card's face), no
thin rim line, no cast shadow. It is found by that band (forms.imaging.contact), read
in the decoded photo across where the card's proportions put the side; a shade's edge,
which darkens steadily, is no contact band."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from forms.imaging.contact import band_runs_past, contact_line
from forms.imaging.documents import find_outline
from forms.imaging.rims import photo_gray
from tests.support import synthetic

ID_ASPECT = 85.6 / 54.0
PERSON = synthetic.Person("江勇", "女", "汉", dt.date(1999, 2, 25),
                          "北京市朝阳区建国路153号8号楼5单元206", "110105199902255605")


@pytest.fixture(scope="module")
def scene() -> synthetic.Scene:
    """White-desk scene 8496 (the card's back, 1000 px), saved as a JPEG of quality 95:
    its top side, lit, had 0.15 of its length on a step and no rim line; doubted 9 mm
    off before."""
    return synthetic.as_benchmarked(synthetic.real_back(PERSON, 296), 8496, "white_desk")


def test_a_lit_side_with_only_its_contact_shade_is_found_and_trusted(
        scene: synthetic.Scene) -> None:
    outline = find_outline(scene.photo, ID_ASPECT)
    assert outline is not None
    error = synthetic.corner_error_mm(outline.quad, scene.quad)
    assert not outline.doubtful and error <= 2.0, (outline.doubtful, round(error, 1))


def test_the_band_is_found_at_the_lit_sides_foot(scene: synthetic.Scene) -> None:
    gray = photo_gray(np.asarray(scene.photo.convert("L")))
    truth = np.asarray(scene.quad, np.float32)
    px_mm = float(np.hypot(*(truth[1] - truth[0]))) / 85.6
    a, b = truth[0], truth[1]
    # looked for from 6 mm inside the card to 12 mm out onto the desk
    band = (-6 * px_mm, 12 * px_mm)
    found = contact_line(gray, a, b, band, band, px_mm)
    assert found is not None
    u = (b - a) / float(np.hypot(*(b - a)))
    n = np.array([u[1], -u[0]], np.float32)
    assert abs(float((found[0] - a) @ n)) < 0.7 * px_mm
    assert abs(float((found[1] - b) @ n)) < 0.7 * px_mm
    assert not band_runs_past(gray, found[0], found[1], px_mm)


def _desk(profile: np.ndarray) -> np.ndarray:
    """A 400-px square of desk whose grey runs across its rows by ``profile`` (per
    column), with a little noise."""
    rng = np.random.default_rng(5)
    img = np.tile(profile.astype(np.float32), (400, 1)) + rng.normal(0, 1.5, (400, 400))
    return photo_gray(img.clip(0, 255).astype(np.uint8))


def test_a_shades_edge_is_no_contact_band() -> None:
    x = np.arange(400, dtype=np.float32)
    # a hand's shade fading across the desk: 40 grey levels over some 60 px
    gray = _desk(200 + 40 / (1 + np.exp(-(x - 200) / 12)))
    a, b = np.array([200, 120], np.float32), np.array([200, 280], np.float32)  # outwards: +x
    band = (-60.0, 60.0)
    assert contact_line(gray, a, b, band, band, 10.0) is None


def test_a_desks_contact_band_is_found_where_it_lies() -> None:
    x = np.arange(400, dtype=np.float32)
    # the card's face up to x = 200, the desk beyond it shaded at the card's foot by a
    # 0.9 mm edge (the view factor of synthetic.contact_shade; 10 px a millimetre): 8
    # grey levels at the foot, where it is as light as the face
    dist = np.maximum(x - 200, 0) / 10
    face = np.where(x < 200, 236.0, 244 - 16 * (1 - dist / np.sqrt(dist ** 2 + 0.9 ** 2)) / 2)
    gray = _desk(face)
    a, b = np.array([200, 120], np.float32), np.array([200, 280], np.float32)
    found = contact_line(gray, a, b, (-60.0, 60.0), (-60.0, 60.0), 10.0)
    assert found is not None
    # (where the foot is as light as the face, the deepest band lies up to half a
    # millimetre inside)
    assert abs(float(found[0][0]) - 200) < 6 and abs(float(found[1][0]) - 200) < 6
    # this band runs the whole height of the square, on past the side's ends: no card's
    assert band_runs_past(gray, found[0], found[1], 10.0)
