"""Straightening along the outline an analysis trusted: the same picture without a search,
corners by hand still win, and a hint that does not fit the image is dropped."""

from __future__ import annotations

import numpy as np
import pytest

import forms.imaging.scans as scans
from forms.analysis.compute import analyse
from forms.application import Material
from forms.imaging.scans import Found
from forms.packet.prepare import outlines, prepare_materials
from forms.storage import load
from tests.conftest import SAMPLES

FRONT = Material(kind="id_card_front", file="materials/id-front.jpg")
BASE = SAMPLES / "complete"


def _no_search(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("searched for the outline again")

    monkeypatch.setattr(scans, "find_outline", refuse)


def test_the_analysis_keeps_the_outline_it_trusted() -> None:
    a = analyse(FRONT, BASE, read=False)
    assert a.straightened and a.outline is not None and len(a.outline) == 4
    assert a.crop_confidence is not None and a.crop_confidence >= 0.35


def test_along_the_kept_outline_the_picture_is_the_same_without_a_search(
        monkeypatch: pytest.MonkeyPatch) -> None:
    searched = scans.process_scan(BASE / FRONT.file, FRONT.kind)
    assert searched.auto and searched.corners is not None
    _no_search(monkeypatch)
    again = scans.process_scan(BASE / FRONT.file, FRONT.kind, corners=None,
                       found=Found(searched.corners, searched.confidence))
    assert again.auto and again.true_size and again.confidence == searched.confidence
    assert again.image.size == searched.image.size
    diff = np.abs(np.asarray(again.image, np.int16) - np.asarray(searched.image, np.int16))
    assert diff.mean() < 1.0


def test_the_packet_straightens_along_the_shipped_analyses(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from forms.analysis.cache import cache_for
    from forms.analysis.compute import analyse_all

    with load(BASE / "application.json") as opened:
        by_file, fresh = analyse_all(opened.app, opened.base_dir, cache_for(opened))
        assert fresh == []                        # everything came from the shipped cache
        found = outlines(by_file)
        assert set(found) == {"materials/id-front.jpg", "materials/id-back.jpg",
                              "materials/residence-permit.jpg"}
        _no_search(monkeypatch)
        prepared = prepare_materials(opened.app, opened.base_dir, found=found)
    assert all((p.jpeg is not None and p.findings == []) or p.material.kind == "photo"
               for p in prepared)
    assert all(p.size_mm is not None for p in prepared)


def test_corners_by_hand_win_over_a_kept_outline(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_search(monkeypatch)
    hand = [(400.0, 250.0), (1850.0, 380.0), (1800.0, 1250.0), (420.0, 1100.0)]
    result = scans.process_scan(BASE / FRONT.file, FRONT.kind, corners=hand,
                        found=Found([(0.0, 0.0), (10.0, 0.0), (10.0, 6.0), (0.0, 6.0)], 0.9))
    assert not result.auto and result.confidence is None
    assert result.corners is not None and np.allclose(
        sorted(result.corners), sorted(hand), atol=0.5)


def test_a_kept_outline_outside_the_image_is_dropped_and_the_photo_searched() -> None:
    outside = Found([(-5000.0, -5000.0), (90000.0, 0.0), (90000.0, 60000.0), (0.0, 60000.0)],
                    0.99)
    result = scans.process_scan(BASE / FRONT.file, FRONT.kind, corners=None, found=outside)
    fresh = scans.process_scan(BASE / FRONT.file, FRONT.kind)
    assert result.auto and result.confidence == fresh.confidence != 0.99
    assert result.corners == fresh.corners


@pytest.mark.parametrize("outline", [
    [[0, 0], [1, 0], [1, 1]],                               # three corners
    [[0, 0], [1, 0], [1, 1], [0, 1], [2, 2]],               # five
    [[0, 0], [1e9, 0], [1, 1], [0, 1]],                     # beyond any photo
    [[0, 0], ["NaN", 0], [1, 1], [0, 1]],
])
def test_a_malformed_kept_outline_drops_its_entry(outline: list[list[object]]) -> None:
    import json

    from forms.analysis.cache import parse_cache
    from forms.analysis.model import ANALYSIS_VERSION

    entry = {"sha256": "a" * 64, "version": ANALYSIS_VERSION, "setup": "0" * 16,
             "kind": "id_card_front", "outline": outline}
    assert parse_cache(json.dumps({"analyses": [entry]}).encode()) == {}
    entry["outline"] = [[0, 0], [1, 0], [1, 1], [0, 1]]
    assert len(parse_cache(json.dumps({"analyses": [entry]}).encode())) == 1


def test_a_forged_outline_beside_a_copied_application_is_not_printed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A cache beside someone's application.json (or in a .yibao) may carry an outline
    forged for the real bytes, inside the photo but not the card. Even signed once by
    this user and changed afterwards, the entry is not believed: the card is analysed and
    searched for again, and the packet prints the card, not the forged region."""
    import json

    from forms.analysis.cache import cache_file, cache_for
    from tests.support.shipped import copy_sample

    folder = copy_sample(BASE, tmp_path / "copy")
    cached = cache_file(folder / "application.json")
    data = json.loads(cached.read_text("utf-8"))
    for entry in data["analyses"]:
        if entry["kind"] == "id_card_front":
            assert entry["mac"] and entry["outline"]
            entry["outline"] = [[1000, 600], [1800, 600], [1800, 1100], [1000, 1100]]
    cached.write_text(json.dumps(data), "utf-8")
    with load(folder / "application.json") as opened:
        from forms.analysis.compute import analyse_all

        by_file, fresh = analyse_all(opened.app, opened.base_dir, cache_for(opened))
        assert [a.kind for a in fresh] == ["id_card_front"]   # only the forged one again
        prepared = prepare_materials(opened.app, opened.base_dir, found=outlines(by_file))
    front = next(p for p in prepared if p.material.kind == "id_card_front")
    searched = scans.process_scan(BASE / FRONT.file, FRONT.kind)
    assert front.size_px == searched.image.size
    assert np.abs(np.asarray(front.image or _decoded(front.jpeg), np.int16)
                  - np.asarray(searched.image, np.int16)).mean() < 8


def _decoded(jpeg: bytes | None):  # type: ignore[no-untyped-def]
    import io

    from PIL import Image

    assert jpeg is not None
    return Image.open(io.BytesIO(jpeg)).convert("RGB")
