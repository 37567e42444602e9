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
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from forms import scratch
from forms.errors import DiskFull, PermissionDenied, SaveFailed

STALE_TMP_S = 60
# This process's list of temporaries being written, in a private scratch folder: a run
# killed mid-write (SIGKILL, power cut) leaves its temporary beside the target, full of
# personal data, and the next start's sweep reads the list and removes them.
_journal: scratch.Scratch | None = None
_journal_guard = threading.Lock()


def _note(tmp: Path) -> Path | None:
    """Write down ``tmp`` before it is created; None when no private folder exists (the
    temporary is then still swept by the next write to the same name)."""
    global _journal
    try:
        with _journal_guard:
            if _journal is None or not _journal.path.is_dir():
                _journal = scratch.Scratch("writing")
            entry = _journal.path / f"{secrets.token_hex(8)}{scratch.TEMPORARY_NOTE}"
        fd = os.open(entry, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(str(tmp.absolute()))
        return entry
    except OSError:
        return None


def _create_temporary(dest: Path) -> tuple[int, Path, Path | None]:
    """A new owner-only temporary beside ``dest``, named ``.NAME.<random>.tmp`` so the
    sweeps recognise it, noted in the journal first."""
    while True:
        tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(6)}.tmp")
        note = _note(tmp)
        try:
            return os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600), tmp, note
        except FileExistsError:
            if note is not None:
                note.unlink(missing_ok=True)
        except BaseException:
            if note is not None:
                note.unlink(missing_ok=True)
            raise


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
    fd, name, note = _create_temporary(dest)
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
    finally:
        if note is not None:
            note.unlink(missing_ok=True)
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
