"""Writing a file so that it is either the old one or the whole new one, never half.

Every file the program writes goes through here: a private temporary file beside the
target, flushed to disk, then renamed over it (keeping the previous version as NAME.bak
when asked), so a crash, a kill or a full disk never leaves half a file where the user
expects one. Files are created readable by their owner only: they hold ID numbers.
"""

from __future__ import annotations

import errno
import glob
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from forms.errors import DiskFull, PermissionDenied, SaveFailed

STALE_TMP_S = 60


def _sweep_stale(dest: Path) -> None:
    """Remove temporaries a killed save left beside ``dest`` (they hold personal data)."""
    now = time.time()
    for tmp in dest.parent.glob(f".{glob.escape(dest.name)}.*.tmp"):
        try:
            if now - tmp.stat().st_mtime > STALE_TMP_S:
                tmp.unlink()
        except OSError:
            pass


def _raise_save_error(exc: OSError, dest: Path) -> None:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        raise DiskFull(str(dest), file=str(dest)) from exc
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        raise PermissionDenied(str(dest), file=str(dest)) from exc
    raise SaveFailed(exc.strerror or str(exc), file=str(dest), reason="write_error") from exc


def copy_as_is(src: BinaryIO, out: BinaryIO) -> None:
    shutil.copyfileobj(src, out)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _replace_atomically(dest: Path, write: Callable[[BinaryIO], None], *,
                        keep_backup: bool = False,
                        backup_copy: Callable[[BinaryIO, BinaryIO], None] = copy_as_is
                        ) -> None:
    """The one way files are written: a private temporary file beside ``dest``, flushed
    to disk, then renamed over it, so a crash or a full disk never leaves half a file where
    the user expects one. ``keep_backup`` keeps the previous version as NAME.bak, written
    the same way by ``backup_copy(old, out)``. Raises OSError."""
    _sweep_stale(dest)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        if keep_backup and dest.exists():
            def copy(out: BinaryIO) -> None:
                with dest.open("rb") as src:
                    backup_copy(src, out)
            _replace_atomically(dest.with_name(dest.name + ".bak"), copy)
        os.replace(name, dest)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    _fsync_dir(dest.parent)


def write_atomically(dest: Path, write: Callable[[BinaryIO], None], *,
           keep_backup: bool = False,
           backup_copy: Callable[[BinaryIO, BinaryIO], None] = copy_as_is) -> None:
    """The one way files are written (``_replace_atomically``), with OS errors turned
    into the user's words."""
    try:
        _replace_atomically(Path(dest), write, keep_backup=keep_backup,
                            backup_copy=backup_copy)
    except OSError as exc:
        _raise_save_error(exc, Path(dest))


def write_bytes(data: bytes, dest: Path) -> None:
    """Atomic, owner-only write of ``data`` (PDFs, images, recovery copies)."""
    def write(out: BinaryIO) -> None:
        out.write(data)

    write_atomically(dest, write)


def write_json(data: Any, dest: Path) -> None:
    """Atomic, owner-only JSON (application.json exports and recovery copies)."""
    write_bytes(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"), dest)
