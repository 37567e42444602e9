"""Folders and files only their owner can open, whatever the umask.

``mkdir(mode=0o700)`` is filtered by the umask, leaves the parents it creates at the
umask's default and does nothing to a folder that already exists; ``open`` creates files
0666 minus the umask. Logs, settings and recovery copies hold personal data, so their
folders and files get their modes set explicitly here instead.
"""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path, *, tighten: bool = True) -> Path:
    """Create ``path`` and any missing parents as 0700. An existing ``path`` is set to
    0700 too when ``tighten`` (pass False for a folder the user chose, which may be
    shared); existing parents are never touched."""
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(folder, DIR_MODE)
    if tighten and not missing and not path.is_symlink():
        os.chmod(path, DIR_MODE)
    return path


def open_private_fd(path: Path, flags: int = os.O_WRONLY | os.O_APPEND) -> int:
    """A descriptor on ``path``, created 0600 if missing and set to 0600 if not. Links
    are not followed: a planted symlink cannot redirect the write."""
    fd = os.open(path, flags | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0),
                 FILE_MODE)
    try:
        if hasattr(os, "fchmod"):  # POSIX; Windows has no such modes
            os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def private_file(path: Path) -> Path:
    """Make sure ``path`` exists with mode 0600, without changing its content."""
    os.close(open_private_fd(path))
    return path
