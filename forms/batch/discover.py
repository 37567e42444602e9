"""Which files under a service point's folder are applications, found without trusting it.

The folder holds what applicants handed in, so its names and links are hostile: links
are never followed (a link may point anywhere on the machine; the file it points to is
found in its own place when it is inside the folder), our own analysis caches and the
output folder are not searched, and the search stops at fixed bounds (files, folders,
depth) instead of walking a huge or looping tree. Everything left out for a reason the
staff member should know is reported, never dropped silently.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from forms.analysis.cache import CACHE_DIR
from forms.errors import FileMissing, FileUnreadable

MAX_FILES = 2000
MAX_FOLDERS = 20000
MAX_DEPTH = 16
APP_JSON = "application.json"
ARCHIVE_SUFFIX = ".yibao"

# Why something was not checked (catalog keys cli.batch_skip_<reason>).
SKIP_REASONS = ("link", "not_regular", "unreadable_folder", "too_deep", "too_many")


@dataclass(frozen=True)
class Skipped:
    rel: str          # path relative to the folder, as found (may hold any character)
    reason: str       # one of SKIP_REASONS
    count: int = 1    # "too_many": how many more were not looked at


@dataclass
class Discovery:
    root: Path
    found: list[str] = field(default_factory=list)       # relative paths, sorted
    skipped: list[Skipped] = field(default_factory=list)


def is_application(name: str) -> bool:
    return name == APP_JSON or (name.lower().endswith(ARCHIVE_SUFFIX)
                                and len(name) > len(ARCHIVE_SUFFIX))


def check_folder(root: Path) -> Path:
    """The folder to search, or the error that makes the whole batch unusable."""
    try:
        st = os.stat(root)
    except FileNotFoundError:
        raise FileMissing(str(root), file=str(root)) from None
    except OSError as exc:
        raise FileUnreadable(exc.strerror or str(exc), file=str(root), reason="io") from None
    if not stat.S_ISDIR(st.st_mode):
        raise FileUnreadable("not a folder", file=str(root), reason="not_a_folder")
    try:
        with os.scandir(root):
            pass
    except PermissionError as exc:
        raise FileUnreadable(exc.strerror or str(exc), file=str(root),
                             reason="permission") from None
    except OSError as exc:
        raise FileUnreadable(exc.strerror or str(exc), file=str(root), reason="io") from None
    return Path(root)


def discover(root: Path, *, exclude: tuple[Path, ...] = (), max_files: int = MAX_FILES,
             max_folders: int = MAX_FOLDERS, max_depth: int = MAX_DEPTH) -> Discovery:
    """Every ``*.yibao`` and ``application.json`` under ``root`` (breadth first, names
    sorted, so a run is repeatable). ``exclude``: folders not to enter (the output)."""
    root = check_folder(root)
    excluded = {_identity(p) for p in exclude} - {None}
    out = Discovery(root)
    queue: list[tuple[str, int]] = [("", 0)]
    folders, extra = 0, 0
    while queue:
        rel_dir, depth = queue.pop(0)
        try:
            with os.scandir(root / rel_dir if rel_dir else root) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            out.skipped.append(Skipped(rel_dir, "unreadable_folder"))
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                if entry.is_symlink():
                    if is_application(entry.name) or _is_dir_link(entry):
                        out.skipped.append(Skipped(rel, "link"))
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if entry.name == CACHE_DIR or _identity(Path(entry.path)) in excluded:
                        continue
                    if depth + 1 > max_depth:
                        out.skipped.append(Skipped(rel, "too_deep"))
                        continue
                    folders += 1
                    if folders > max_folders:
                        out.skipped.append(Skipped(rel, "too_deep"))
                        continue
                    queue.append((rel, depth + 1))
                    continue
                if not is_application(entry.name):
                    continue
                if not entry.is_file(follow_symlinks=False):
                    out.skipped.append(Skipped(rel, "not_regular"))
                    continue
            except OSError:
                out.skipped.append(Skipped(rel, "not_regular"))
                continue
            if len(out.found) >= max_files:
                extra += 1
                continue
            out.found.append(rel)
    if extra:
        out.skipped.append(Skipped("", "too_many", extra))
    return out


def _is_dir_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:
        return False


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino
