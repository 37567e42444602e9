"""Where loading and saving read and write: extraction stays in its folder under plain
names, saving reads only inside the folder it is given, and odd names become safe ones."""

from __future__ import annotations

import errno
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from forms import storage
from forms.errors import ArchiveUnsafe, MaterialUnsafe, NoSpace
from tests.hostile.corpus import application


def _files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_extraction_writes_only_materials_under_their_names(sample_dir: Path,
                                                            tmp_path: Path) -> None:
    dest = tmp_path / "a.yibao"
    with storage.load(sample_dir / "application.json") as opened:
        storage.save(opened.app, opened.base_dir, dest)
    into = tmp_path / "work"
    into.mkdir()
    with storage.load(dest, into=into) as opened:
        names = [m.file for m in opened.app.materials]
    assert _files_under(into) == {"materials", *names}
    assert all(n.startswith("materials/00") for n in names)


def test_archives_written_by_earlier_versions_still_open(tmp_path: Path) -> None:
    jpeg = tmp_path / "x.jpg"
    Image.new("RGB", (50, 40)).save(jpeg)
    app = json.dumps(application([{"kind": "photo", "file": "materials/001-id_front.jpg"}]))
    path = tmp_path / "old.yibao"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("application.json", app)
        zf.writestr("materials/001-id_front.jpg", jpeg.read_bytes())
    with storage.load(path) as opened:
        assert (opened.base_dir / "materials/001-id_front.jpg").read_bytes() == jpeg.read_bytes()


@pytest.mark.parametrize("member", ["materials/CON.jpg", "materials/a.jpg.", "materials/.x.jpg",
                                    "materials/a\x1b.jpg", "materials/sub/a.jpg",
                                    "materials//a.jpg"])
def test_member_names_that_are_not_plain_names_are_refused(tmp_path: Path, member: str) -> None:
    path = tmp_path / "a.yibao"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("application.json", json.dumps(application()))
        zf.writestr(member, b"x")
    with pytest.raises(ArchiveUnsafe) as caught:
        storage.load(path)
    assert caught.value.params["reason"] == "bad_name"


@pytest.mark.parametrize("name", ["CON.jpg", "a" * 300 + ".jpg", "身份证 (正面).jpg",
                                  "nul", "lpt1.tar.jpg"])
def test_odd_material_names_are_saved_under_safe_member_names(tmp_path: Path,
                                                              name: str) -> None:
    folder = tmp_path / "app"
    (folder / "materials").mkdir(parents=True)
    source = folder / "materials" / name[:200]
    Image.new("RGB", (60, 40), "blue").save(source, format="JPEG")
    (folder / "application.json").write_text(json.dumps(application(
        [{"kind": "photo", "file": f"materials/{source.name}"}])), encoding="utf-8")
    dest = tmp_path / "a.yibao"
    with storage.load(folder / "application.json") as opened:
        saved = storage.save(opened.app, opened.base_dir, dest)
    member = saved.materials[0].file
    assert member.startswith("materials/001-") and len(member.encode()) <= 120
    with storage.load(dest) as opened:      # and they open again
        assert (opened.base_dir / member).read_bytes() == source.read_bytes()


def test_saving_reads_nothing_outside_the_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.jpg"
    Image.new("RGB", (60, 40), "red").save(secret)
    folder = tmp_path / "work"
    (folder / "materials").mkdir(parents=True)
    (folder / "materials" / "a.jpg").symlink_to(secret)
    app = storage.parse_application(json.dumps(application(
        [{"kind": "photo", "file": "materials/a.jpg"}])).encode(), file="x")
    with pytest.raises(MaterialUnsafe):
        storage.save(app, folder, tmp_path / "a.yibao")
    assert not (tmp_path / "a.yibao").exists()


def test_a_full_work_folder_while_extracting(sample_dir: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    dest = tmp_path / "a.yibao"
    with storage.load(sample_dir / "application.json") as opened:
        storage.save(opened.app, opened.base_dir, dest)
    real_fdopen = os.fdopen

    class Full:
        """A file that takes no bytes: what a write on a full disk meets."""

        def __init__(self, fd: int) -> None:
            self.inner = real_fdopen(fd, "wb")

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.inner.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd: int, mode: str = "r", *a: object, **k: object) -> object:
        if mode == "wb":
            return Full(fd)
        return real_fdopen(fd, mode, *a, **k)  # type: ignore[call-overload]

    monkeypatch.setattr(storage.os, "fdopen", fdopen)
    into = tmp_path / "work"
    into.mkdir()
    with pytest.raises(NoSpace) as caught:
        storage.load(dest, into=into)
    assert caught.value.params["folder"] == str(into)


def test_a_sealed_file_too_large_to_be_an_archive_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.yibao"
    with path.open("wb") as fh:
        fh.write(b"YIBAOENC")
        fh.truncate(storage.MAX_SEALED_BYTES + 1)   # sparse: costs no disk
    from forms.errors import ArchiveUnsafe

    with pytest.raises(ArchiveUnsafe) as caught:   # judged by its size, before any read
        storage.load(path, passphrase="x" * 8)
    assert caught.value.params["reason"] == "sealed_too_large"
    shutil.rmtree(tmp_path, ignore_errors=True)
