"""Which analyses this user's own program made: a keyed digest on each one.

An analysis read back from a file decides what the app says about that file's photos (its
findings, what the OCR read) and which part of a photo is printed as the true-size copy
(the kept outline). Anyone can write a ``.yibao`` or a cache folder with analyses forged
for the real bytes — another person's card lying beside one's own, a clean verdict for a
blurred photo — so an analysis from a file is believed only when it carries an HMAC under
this user's key, which only the program's own saves can write. The rest are made again
from the photos. The key is 32 random bytes in the user's data folder (owner-only); with
no usable data folder nothing is signed and every analysis is simply made again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
from pathlib import Path

from forms.analysis.model import Analysis

log = logging.getLogger(__name__)

KEY_FILE = "analysis.key"
KEY_BYTES = 32

_keys: dict[Path, bytes] = {}


def _key_path() -> Path:
    from forms.paths import user_data

    return user_data() / KEY_FILE


def user_key(*, create: bool) -> bytes | None:
    """This user's key; made on first need when ``create`` (only a writer needs one: with
    no key yet, nothing on disk can carry a valid digest)."""
    path = _key_path()
    if path in _keys:
        return _keys[path]
    key = _read(path)
    if key is None and create:
        key = _make(path)
    if key is not None:
        _keys[path] = key
    return key


def _read(path: Path) -> bytes | None:
    try:
        with path.open("rb") as fh:
            key = fh.read(KEY_BYTES + 1)
    except OSError:
        return None
    return key if len(key) == KEY_BYTES else None


def _make(path: Path) -> bytes | None:
    """Write a new key under a temporary name and link it into place: the link fails if
    another process made one first, and then both use that one. A key file that is not a
    key (cut short, emptied) is replaced, or signing would stay off for good."""
    from forms.private_files import open_private_fd, private_dir

    try:
        private_dir(path.parent, tighten=False)
        temp = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = open_private_fd(temp, os.O_WRONLY | os.O_EXCL)
        try:
            os.write(fd, secrets.token_bytes(KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temp, path)
        except FileExistsError:
            if _read(path) is None:
                os.replace(temp, path)
        finally:
            temp.unlink(missing_ok=True)
    except OSError:
        log.info("no analysis key: the data folder is not writable")
        return None
    return _read(path)


def _digest(a: Analysis, key: bytes) -> str:
    body = a.model_dump(mode="json", exclude={"mac"})
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def signed(a: Analysis, key: bytes) -> Analysis:
    """``a`` carrying its digest under ``key``."""
    return a.model_copy(update={"mac": _digest(a, key)})


def genuine(a: Analysis, key: bytes | None) -> bool:
    """Whether ``a`` was signed with ``key`` and not changed since."""
    if key is None or a.mac is None:
        return False
    return hmac.compare_digest(a.mac, _digest(a, key))
