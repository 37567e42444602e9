"""Applications that are wrong in the ways a person gets them wrong, built from the
complete sample and generated images: someone else's card, card sides swapped, a photo
with two people, a Beijing application filed under Chengdu, a card cropped by hand in
the wrong place. Each comes with the finding codes the whole verdict must report."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

from PIL import Image

from tests.support.shipped import copy_sample

ROOT = Path(__file__).resolve().parent.parent.parent
COMPLETE = ROOT / "resources" / "samples" / "complete"


def _edit(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = folder / "application.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def _material(data: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(m for m in data["materials"] if m["kind"] == kind)


def wrong_person(data: dict[str, Any]) -> None:
    """Answers for 张伟 with the sample's cards of 李文静."""
    a = data["applicant"]
    a.update(name="张伟", sex="male", birth_date="1985-07-14", id_number="110105198507140010")
    data["bank"]["holder"] = "张伟"


def swapped_side(data: dict[str, Any]) -> None:
    front, back = _material(data, "id_card_front"), _material(data, "id_card_back")
    front["file"], back["file"] = back["file"], front["file"]


def wrong_city(data: dict[str, Any]) -> None:
    """A Beijing address, employer and permit, with the Chengdu rules chosen."""
    data["profile_id"] = "chengdu"
    data["employment"]["employer"] = "北京某同城配送平台"


def bad_crop(data: dict[str, Any]) -> None:
    """Corners placed by hand on the table beside the card."""
    _material(data, "id_card_front")["corners"] = [[0, 0], [420, 0], [420, 400], [0, 400]]


def _two_faces(folder: Path) -> None:
    one = Image.open(str(files("skimage") / "data" / "astronaut.png")).convert("RGB")
    pair = Image.new("RGB", (1024, 512), (255, 255, 255))
    pair.paste(one, (0, 0))
    pair.paste(one, (512, 0))
    pair.save(folder / "materials" / "photo.jpg", "JPEG", quality=90)


# name -> (change to the answers, change to the files, codes expected, exit code of check)
SCENARIOS: dict[str, tuple[Callable[[dict[str, Any]], None] | None,
                           Callable[[Path], None] | None, set[str], int]] = {
    "wrong_person": (wrong_person, None,
                     {"material.number_differs", "material.name_differs",
                      "material.sex_differs", "material.permit_holder"}, 1),
    "swapped_side": (swapped_side, None, {"ocr.wrong_side"}, 1),
    "two_face": (None, _two_faces, {"photo.many_faces"}, 1),
    "wrong_city": (wrong_city, None,
                   {"region.other_city", "region.permit_elsewhere",
                    "material.permit_elsewhere"}, 1),
    "bad_crop": (bad_crop, None, {"material.crop_doubtful"}, 1),
}


def build(name: str, dest: Path, *, shipped: bool = True) -> Path:
    """The scenario's application folder under ``dest``; returns its application.json.

    With ``shipped`` the sample's own analyses come along, as after a first check: they are
    keyed by content and setup, so what a scenario changes is analysed afresh and the rest
    is taken from them (tests/forms/test_sample_analyses.py holds them to the pipelines).
    Without, every file is analysed, for tests of the cache itself."""
    answers, images, _codes, _exit = SCENARIOS[name]
    folder = dest / name
    copy_sample(COMPLETE, folder, analyses=shipped)
    if answers is not None:
        _edit(folder, answers)
    if images is not None:
        images(folder)
    return folder / "application.json"
