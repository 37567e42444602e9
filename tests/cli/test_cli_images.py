from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from cli import main
from tests.forms.imaging_support import astronaut, card_photo, portrait_photo, save
from tests.support import synthetic


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def phone_card(tmp_path_factory: pytest.TempPathFactory) -> Path:
    photo, _ = card_photo(11, frame=(3000, 2250), fill=0.7)
    path = tmp_path_factory.mktemp("in") / "IMG_2041.jpg"
    synthetic.save_with_orientation(photo, path, 6, gps=True)
    return path


def test_scan_writes_a_straightened_card(capsys: pytest.CaptureFixture[str], phone_card: Path,
                                         tmp_path: Path) -> None:
    out = tmp_path / "front.png"
    code, text, err = run(capsys, "scan", str(phone_card), "-o", str(out), "--kind",
                          "id_card_front", "--format", "json")
    data = json.loads(text)
    assert code == 0 and not err and data["ok"] and data["auto"] and data["true_size"]
    img = Image.open(out)
    assert img.size == (1011, 638) and not img.getexif()
    assert out.stat().st_mode & 0o077 == 0


def test_scan_of_a_distant_card_exits_1_with_reasons(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    photo, _ = card_photo(4, frame=(800, 600), fill=0.5)
    src = save(photo, tmp_path / "far.jpg")
    code, text, _ = run(capsys, "scan", str(src), "-o", str(tmp_path / "o.jpg"), "--kind",
                        "id_card_front", "--lang", "en")
    assert code == 1 and "dpi" in text
    assert (tmp_path / "o.jpg").exists()  # written so the user can look at it


def test_scan_with_corners_by_hand(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    photo, quad = card_photo(9)
    src = save(photo, tmp_path / "c.jpg")
    corners = ",".join(f"{v:.1f}" for v in quad.reshape(-1))
    code, text, _ = run(capsys, "scan", str(src), "-o", str(tmp_path / "o.png"), "--kind",
                        "id_card_front", "--corners", corners, "--format", "json")
    assert json.loads(text)["auto"] is False and code in (0, 1)


def test_photo_makes_the_card_photo_and_a_sheet(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    src = save(portrait_photo(), tmp_path / "me.jpg", quality=92)
    out, sheet = tmp_path / "card.jpg", tmp_path / "sheet.jpg"
    code, text, _ = run(capsys, "photo", str(src), "-o", str(out), "--spec", "sscard",
                        "--whiten", "--sheet", str(sheet), "--format", "json")
    data = json.loads(text)
    assert code == 0 and data["ok"] and data["whitened"]
    assert 14 <= out.stat().st_size / 1024 <= 40
    assert Image.open(out).size == (358, 441) and Image.open(sheet).size == (1800, 1200)


@pytest.mark.parametrize(("picture", "code_expected"), [("card", "photo.no_face"),
                                                        ("two", "photo.many_faces")])
def test_photo_that_cannot_serve_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                         picture: str, code_expected: str) -> None:
    if picture == "card":
        img = card_photo(1)[0]
    else:
        img = Image.new("RGB", (1024, 512), "white")
        img.paste(astronaut(), (0, 0))
        img.paste(astronaut(), (512, 0))
    src = save(img, tmp_path / "in.jpg")
    out = tmp_path / "out.jpg"
    code, text, _ = run(capsys, "photo", str(src), "-o", str(out), "--format", "json")
    data = json.loads(text)
    assert code == 1 and not out.exists()
    assert [f["code"] for f in data["findings"]] == [code_expected]


def test_unusable_images_exit_2_with_one_line(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    (tmp_path / "notes.jpg").write_text("shopping list")
    (tmp_path / "empty.png").write_bytes(b"")
    good = save(card_photo(2)[0], tmp_path / "ok.jpg")
    cases = [
        ["scan", str(tmp_path / "notes.jpg"), "-o", str(tmp_path / "a.png"), "--kind", "other"],
        ["scan", str(tmp_path / "empty.png"), "-o", str(tmp_path / "a.png"), "--kind", "other"],
        ["scan", str(tmp_path / "none.jpg"), "-o", str(tmp_path / "a.png"), "--kind", "other"],
        ["scan", str(good), "-o", str(tmp_path / "a.gif"), "--kind", "other"],
        ["scan", str(good), "-o", str(tmp_path / "a.png"), "--kind", "passport"],
        ["scan", str(good), "-o", str(tmp_path / "a.png"), "--kind", "other", "--corners", "1,2"],
        ["scan", str(good), "-o", str(tmp_path / "no" / "dir" / "a.png"), "--kind", "other"],
        ["photo", str(tmp_path / "notes.jpg"), "-o", str(tmp_path / "p.jpg")],
        ["photo", str(good), "-o", str(tmp_path / "p.png"), "--spec", "sscard"],
        ["photo", str(good), "-o", str(tmp_path / "p.jpg"), "--profile", "atlantis"],
    ]
    for argv in cases:
        for lang in ("zh", "en"):
            code, _, err = run(capsys, *argv, "--lang", lang)
            assert code == 2, argv
            assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, (argv, err)
    assert not (tmp_path / "a.gif").exists() and not (tmp_path / "p.png").exists()


@pytest.mark.parametrize("corners", [
    "5000,5000,6000,5000,6000,6000,5000,6000",      # wholly outside the picture
    "10,10,11,10,11,11,10,11",                       # a speck: encloses nothing usable
    "-900,10,300,10,300,200,-900,200",               # far past the left edge
])
def test_scan_refuses_corners_that_outline_nothing_in_the_image(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, corners: str) -> None:
    photo, _ = card_photo(3)
    src = save(photo, tmp_path / "in.jpg")
    code = main(["scan", str(src), "-o", str(tmp_path / "out.jpg"), "--kind",
                 "id_card_front", f"--corners={corners}", "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "corners must lie within the image" in err
    assert not (tmp_path / "out.jpg").exists()
