"""Nothing is read from outside its place: an archive's materials are regular members under
materials/, an application.json's materials are regular files inside its folder. Each
attack of the corpus is tried with ``check`` and ``export`` as a person would run them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from cli import main
from tests.hostile.corpus import outside_archives, outside_folders

ON = ["--on", "2026-11-25", "--lang", "en"]


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file the attacker wants: an image that would print fine if it were embedded."""
    where = tmp_path / "private"
    where.mkdir()
    path = where / "secret.jpg"
    Image.new("RGB", (600, 400), (200, 30, 30)).save(path, quality=90)
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", sorted(outside_archives(Path("/x/secret.jpg"))))
def test_an_archive_material_that_is_no_regular_member_is_unusable(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, secret: Path, name: str) -> None:
    archive = tmp_path / name
    archive.write_bytes(outside_archives(secret)[name])
    code, out, err = _run(capsys, "check", str(archive), *ON)
    assert code == 2 and not out
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "is not a regular file" in err and name in err

    pdf = tmp_path / "packet.pdf"
    code, _, err = _run(capsys, "export", str(archive), "-o", str(pdf), "--draft", *ON)
    assert code == 2 and err.count("\n") == 1
    assert not pdf.exists()                  # the secret was never embedded anywhere


@pytest.mark.parametrize(("name", "reason"), [
    ("dotdot", "points outside the folder"), ("absolute", "points outside the folder"),
    ("link-file", "points outside the folder"), ("link-folder", "points outside the folder"),
    ("pipe", "is not a regular file"),
])
def test_an_application_json_material_must_stay_in_its_folder(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, secret: Path, name: str,
        reason: str) -> None:
    app = outside_folders(tmp_path / "attacks", secret)[name]
    code, out, err = _run(capsys, "check", str(app), *ON)
    assert code == 2 and not out
    assert err.count("\n") == 1 and reason in err and "application.json" in err
    pdf = tmp_path / "packet.pdf"
    code, _, _ = _run(capsys, "export", str(app), "-o", str(pdf), "--draft", *ON)
    assert code == 2 and not pdf.exists()


def test_a_link_that_stays_inside_the_folder_is_fine(capsys: pytest.CaptureFixture[str],
                                                     sample_dir: Path) -> None:
    materials = sample_dir / "materials"
    (materials / "id-front.jpg").rename(materials / "real-front.jpg")
    (materials / "id-front.jpg").symlink_to("real-front.jpg")
    code, _, err = _run(capsys, "check", str(sample_dir / "application.json"), *ON)
    assert code == 0, err
