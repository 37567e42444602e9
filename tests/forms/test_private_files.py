"""Private folders and files get their modes whatever the umask, and never through a link."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms.private_files import private_dir, private_file


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    yield
    os.umask(old)


def test_every_folder_it_creates_is_0700(tmp_path: Path, open_umask: None) -> None:
    tmp_path.chmod(0o755)
    leaf = private_dir(tmp_path / "a" / "b" / "c")
    assert [_mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", leaf)] == [0o700] * 3
    assert _mode(tmp_path) == 0o755  # an existing parent is left as it was


def test_an_existing_folder_is_tightened_only_when_it_is_ours(tmp_path: Path,
                                                             open_umask: None) -> None:
    ours, shared = tmp_path / "ours", tmp_path / "shared"
    ours.mkdir(mode=0o755)
    shared.mkdir(mode=0o1777)
    private_dir(ours)
    private_dir(shared, tighten=False)
    assert _mode(ours) == 0o700 and _mode(shared) == 0o1777


def test_a_file_is_created_or_tightened_to_0600_keeping_its_content(tmp_path: Path,
                                                                   open_umask: None) -> None:
    new, old = tmp_path / "new.conf", tmp_path / "old.conf"
    old.write_text("language=en")
    old.chmod(0o666)
    private_file(new)
    private_file(old)
    assert _mode(new) == _mode(old) == 0o600
    assert old.read_text() == "language=en" and new.read_text() == ""


def test_a_planted_link_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("x")
    target.chmod(0o644)
    link = tmp_path / "app.log"
    link.symlink_to(target)
    with pytest.raises(OSError):
        private_file(link)
    assert _mode(target) == 0o644
