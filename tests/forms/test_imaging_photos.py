"""Portraits: one face, cropped to the specification, on a plain background, no metadata."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from forms.imaging import portrait
from forms.imaging.faces import detect_faces
from forms.imaging.photos import process_photo
from forms.imaging.specs import specs
from forms.profiles import load_profile
from tests.forms.imaging_support import astronaut, card_photo, portrait_photo, save

CARD = load_profile("national").photos.card_photo.value_at(dt.date(2026, 11, 25))


@pytest.fixture(scope="module")
def portrait_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save(portrait_photo(), tmp_path_factory.mktemp("p") / "portrait.jpg", quality=92)


def _codes(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.code for f in result.findings}


@pytest.mark.parametrize("fmt", ["one_inch", "small_one_inch", "sscard"])
def test_face_is_placed_within_the_specification(portrait_path: Path, fmt: str) -> None:
    result = process_photo(portrait_path, fmt, card=CARD)  # type: ignore[arg-type]
    assert result.photo is not None and result.usable
    w, h = result.photo.size
    expected = (CARD.width_px, CARD.height_px) if fmt == "sscard" else (
        specs().photos[fmt].width_px, specs().photos[fmt].height_px)
    assert (w, h) == expected
    # Measure the output afresh, as the counter's software would.
    faces = detect_faces(result.photo)
    assert len(faces) == 1
    face, geom = faces[0], specs().portrait
    assert abs(face.cx / w - 0.5) < 0.04                       # centred
    width = portrait.FACE_OF_BOX * face.w / w
    assert geom.face_width_min - 0.02 <= width <= geom.face_width_max + 0.02
    eye_from_bottom = (h - (face.y + portrait.EYES_IN_BOX * face.h)) / h
    assert eye_from_bottom >= geom.eye_line_min_from_bottom - 0.02
    hair_top = (face.y - portrait.HAIR_ABOVE_BOX * face.h) / h
    assert -0.01 <= hair_top <= geom.hair_top_max + 0.02


def test_card_photo_file_meets_size_and_header(portrait_path: Path) -> None:
    result = process_photo(portrait_path, "sscard", card=CARD, whiten=True)
    assert result.jpeg is not None and result.jpeg.in_range
    data = result.jpeg.data
    assert CARD.min_kb * 1024 <= len(data) <= CARD.max_kb * 1024
    img = Image.open(io.BytesIO(data))
    assert img.size == (358, 441) and img.mode == "RGB"
    assert tuple(round(v) for v in img.info["dpi"]) == (350, 350)
    assert "exif" not in img.info and b"Exif" not in data[:2000]


def test_a_busy_background_is_flagged_and_can_be_whitened(portrait_path: Path) -> None:
    plain = process_photo(portrait_path, "sscard", card=CARD)
    assert "photo.background_white" in _codes(plain)
    white = process_photo(portrait_path, "sscard", card=CARD, whiten=True)
    assert white.whitened and white.background_plain
    assert "photo.background_white" not in _codes(white)
    arr = np.asarray(white.photo)
    assert arr[:10].mean() > 245                         # above the head: white now
    face = white.face
    assert face is not None
    inner = arr[int(face.y + 0.3 * face.h):int(face.y + 0.7 * face.h),
                int(face.x + 0.3 * face.w):int(face.x + 0.7 * face.w)]
    assert inner.mean() < 235                            # the face itself is kept


def test_two_people_are_refused(tmp_path: Path) -> None:
    one = astronaut()
    pair = Image.new("RGB", (1024, 512), (255, 255, 255))
    pair.paste(one, (0, 0))
    pair.paste(one, (512, 0))
    result = process_photo(save(pair, tmp_path / "two.jpg"), "one_inch")
    assert result.photo is None and "photo.many_faces" in _codes(result)
    assert next(f for f in result.findings if f.code == "photo.many_faces").params["count"] == 2


def test_no_face_is_refused(tmp_path: Path) -> None:
    photo, _ = card_photo(1)
    result = process_photo(save(photo, tmp_path / "card.jpg"), "one_inch")
    assert result.photo is None and _codes(result) == {"photo.no_face"}


def test_a_small_photo_is_flagged_low_resolution(tmp_path: Path) -> None:
    small = astronaut().resize((300, 300))
    result = process_photo(save(small, tmp_path / "small.jpg"), "sscard", card=CARD)
    assert "photo.low_resolution" in _codes(result) and not result.usable


def test_a_head_at_the_edge_is_padded_and_flagged(tmp_path: Path) -> None:
    tight = portrait_photo().crop((300, 0, 1800, 900))   # the hair touches the top edge
    result = process_photo(save(tight, tmp_path / "tight.jpg"), "one_inch")
    assert "photo.cut_off" in _codes(result)


def test_print_sheet_has_eight_copies_with_marks(portrait_path: Path) -> None:
    photo = process_photo(portrait_path, "one_inch", whiten=True).photo
    assert photo is not None
    sheet = portrait.print_sheet(photo)
    assert sheet.size == (1800, 1200)
    assert len(detect_faces(sheet.resize((1800, 1200)))) == 8
    arr = np.asarray(sheet)
    assert (arr.min(axis=2) < 200).any()


def test_phone_metadata_never_reaches_the_output(tmp_path: Path) -> None:
    from forms.imaging.encode import jpeg_bytes, png_bytes
    from tests.support import synthetic

    src = tmp_path / "phone.jpg"
    synthetic.save_with_orientation(portrait_photo(1200), src, 1, gps=True)
    assert Image.open(src).getexif().get(0x8825) is not None   # GPS is really in the input
    result = process_photo(src, "one_inch")
    assert result.photo is not None
    for data in (jpeg_bytes(result.photo), png_bytes(result.photo)):
        out = Image.open(io.BytesIO(data))
        assert not out.getexif() and "exif" not in out.info and "icc_profile" not in out.info
        assert b"SyntheticPhone" not in data and b"Model X" not in data
