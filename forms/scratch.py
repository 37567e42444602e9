"""Private scratch folders for plaintext that must not outlive its process.

Materials extracted from an archive — decrypted ID scans when it was sealed — go into one
private root, never into the shared temporary folder:

- ``$XDG_RUNTIME_DIR/yibao-desk`` (on Linux desktops a per-user tmpfs: never written to
  disk, emptied at logout), else ``private/`` under the user cache folder;
  ``YIBAO_RUNTIME_DIR`` overrides it. The root is created 0700 and must be a real folder
  owned by the user.
- Each scratch folder ``KIND-PID-RANDOM`` has a sibling ``.lock`` file that its process
  holds locked (``flock``) while it lives. The kernel drops the lock however the process
  ends, SIGKILL included, so :func:`sweep` — run at every start of the command line and of
  the app — removes exactly the folders whose owner is gone.
- :func:`exit_on_sigterm` turns SIGTERM into ``SystemExit`` so ``with``/``finally`` clean-ups
  run; an ``atexit`` hook removes whatever is still open at a normal exit.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import signal
import stat
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from platformdirs import user_cache_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: folders are swept by age instead
    fcntl = None  # type: ignore[assignment]

STALE_WITHOUT_LOCKS_S = 24 * 3600
# A file in a scratch folder naming a temporary that forms.atomic is writing elsewhere.
TEMPORARY_NOTE = ".tmp-path"
_live: set[Scratch] = set()


def _candidates() -> list[Path]:
    override = os.environ.get("YIBAO_RUNTIME_DIR")
    if override:
        return [Path(override)]
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    cache = Path(user_cache_dir("yibao-desk", appauthor=False)) / "private"
    return [Path(runtime) / "yibao-desk", cache] if runtime else [cache]


def _private(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    st = root.lstat()
    if root.is_symlink() or not root.is_dir() or (hasattr(os, "getuid")
                                                  and st.st_uid != os.getuid()):
        raise PermissionError(f"{root} is not a private folder of this user")
    if st.st_mode & 0o077:
        root.chmod(0o700)
    return root


def private_root() -> Path:
    """The one folder scratch plaintext lives under (created 0700, checked to be ours).
    Raises OSError when no candidate can be made private."""
    error: OSError | None = None
    for root in _candidates():
        try:
            return _private(root)
        except OSError as exc:
            error = error or exc
    assert error is not None
    raise error


class Scratch:
    """A private folder removed by :meth:`cleanup`, at exit, or by the next start's sweep.
    Offers ``name`` and ``cleanup()`` like ``tempfile.TemporaryDirectory``."""

    def __init__(self, kind: str) -> None:
        root = private_root()
        while True:
            stem = f"{kind}-{os.getpid()}-{secrets.token_hex(6)}"
            lock = root / f"{stem}.lock"
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            if _try_lock(fd) and _same_file(fd, lock):
                break
            os.close(fd)  # a sweeper took it between create and lock: try another name
        self.path, self._lock = root / stem, lock
        self._fd: int | None = fd
        self.path.mkdir(mode=0o700)
        _live.add(self)

    @property
    def name(self) -> str:
        return str(self.path)

    def cleanup(self) -> None:
        if self._fd is None:
            return
        shutil.rmtree(self.path, ignore_errors=True)
        self._lock.unlink(missing_ok=True)
        os.close(self._fd)
        self._fd = None
        _live.discard(self)


def _try_lock(fd: int) -> bool:
    if fcntl is None:  # pragma: no cover
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), path.stat()
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def sweep() -> list[Path]:
    """Remove scratch folders whose owning process is gone; returns what was removed."""
    try:
        return _sweep(private_root())
    except OSError:
        return []


def _sweep(root: Path) -> list[Path]:
    removed: list[Path] = []
    for lock in root.glob("*.lock"):
        try:
            fd = os.open(lock, os.O_RDWR)
        except OSError:
            continue
        try:
            if fcntl is None:  # pragma: no cover
                import time
                if time.time() - os.fstat(fd).st_mtime < STALE_WITHOUT_LOCKS_S:
                    continue
            elif not _try_lock(fd) or not _same_file(fd, lock):
                continue   # its owner is alive (or it was replaced meanwhile)
            folder = lock.with_suffix("")
            _remove_noted_temporaries(folder)
            shutil.rmtree(folder, ignore_errors=True)
            lock.unlink(missing_ok=True)
            removed.append(folder)
        finally:
            os.close(fd)
    for folder in root.iterdir():
        # A folder without its lock file is an orphan (locks are made before folders).
        if folder.is_dir() and not folder.with_name(folder.name + ".lock").exists():
            _remove_noted_temporaries(folder)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _remove_noted_temporaries(folder: Path) -> None:
    """A dead writer's half-written temporaries (``.NAME.<random>.tmp`` beside their
    target). Only files of that shape, regular, and this user's are removed, whatever a
    note says."""
    for note in folder.glob(f"*{TEMPORARY_NOTE}"):
        try:
            tmp = Path(note.read_text(encoding="utf-8")[:4096])
            st = tmp.lstat()
        except (OSError, ValueError):
            continue
        shaped = tmp.is_absolute() and tmp.name.startswith(".") and tmp.name.endswith(".tmp")
        ours = not hasattr(os, "getuid") or st.st_uid == os.getuid()
        if shaped and ours and stat.S_ISREG(st.st_mode):
            tmp.unlink(missing_ok=True)


def cleanup_all() -> None:
    for scratch in list(_live):
        scratch.cleanup()


atexit.register(cleanup_all)


def _exit_on_signal(signum: int, _frame: FrameType | None) -> None:
    signal.signal(signum, signal.SIG_IGN)   # a second SIGTERM must not cut the clean-up
    sys.exit(128 + signum)


@contextmanager
def exit_on_sigterm() -> Iterator[None]:
    """While inside: SIGTERM unwinds the stack (so scratch folders are removed) and the
    process exits with 128 + 15. Only the main thread can take signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
