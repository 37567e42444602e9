"""Names and paths that come from files: material names, archive members, names derived
from them.

An application file is received from others, so every name in it is hostile until shown
otherwise. Writers never join such a name onto a folder themselves: ``safe_name`` reduces
it to one plain file name (no folders, no drive, no device name, no control characters,
at most 255 bytes) and ``place`` puts that name inside the target folder. Readers go
through ``material_source``, which keeps a material path inside the folder it is relative
to (after following links) and refuses anything but a regular file.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path, PurePosixPath

from forms.errors import MaterialUnsafe

MAX_NAME_BYTES = 255  # ext4, APFS and NTFS all stop near here (NTFS counts UTF-16 units)
_MAX_SUFFIX_BYTES = 16
_FORBIDDEN = frozenset('<>:"/\\|?*')   # Windows refuses these in names; "/" and "\\" split
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                  "\u2066\u2067\u2068\u2069\u2028\u2029")
_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"]
    + [f"{p}{n}" for p in ("COM", "LPT") for n in [*"0123456789", "¹", "²", "³"]])
_DRIVE = re.compile(r"^[A-Za-z]:")


def _refuse(raw: str, file: str, *, reason: str) -> MaterialUnsafe:
    return MaterialUnsafe(f"unsafe material name {raw!r}", file=file, material=raw,
                          reason=reason)


def _control(ch: str) -> bool:
    return ch in _BIDI or unicodedata.category(ch) == "Cc"


def _plain(ch: str) -> str:
    return "_" if ch in _FORBIDDEN or _control(ch) else ch


def _fit(name: str, room: int) -> str:
    """Cut ``name`` to ``room`` UTF-8 bytes on a character boundary, keeping a short suffix."""
    if len(name.encode("utf-8")) <= room:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or len(suffix.encode("utf-8")) + 1 > _MAX_SUFFIX_BYTES:
        stem, suffix = name, ""
    else:
        suffix = "." + suffix
    budget = room - len(suffix.encode("utf-8"))
    cut = stem.encode("utf-8")[:budget].decode("utf-8", "ignore")
    return cut.rstrip(". ") + suffix


def safe_name(raw: str, *, file: str = "", room: int = MAX_NAME_BYTES) -> str:
    """One plain file name for ``raw``, or MaterialUnsafe naming it.

    Only the last component is kept (``/`` and ``\\`` both separate, a drive letter goes);
    control, bidi-override and Windows-forbidden characters become ``_``; leading dots and
    trailing dots and spaces go (Windows drops trailing ones, leading ones hide the file);
    a device name (``CON``, ``nul.txt``, ``COM1.jpg``) gets a ``_`` in front; the result is
    cut to ``room`` bytes of UTF-8, keeping its suffix. A name with a NUL in it (a trick to
    cut a name short in C) or with nothing left is refused. ``file`` names the application
    file for the message.
    """
    if not isinstance(raw, str) or "\x00" in raw:
        raise _refuse(str(raw), file, reason="material_bad_name")
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = _DRIVE.sub("", name)
    name = "".join(_plain(ch) for ch in name).strip(" ").lstrip(".").rstrip(". ")
    if not name or not name.strip("_"):
        raise _refuse(raw, file, reason="material_bad_name")
    if name.split(".", 1)[0].rstrip(" ").upper() in _DEVICES:
        name = "_" + name
    name = _fit(name, room)
    if not name or name.startswith("."):
        raise _refuse(raw, file, reason="material_bad_name")
    return name


def suggested_name(raw: str | None, fallback: str, suffix: str) -> str:
    """A file name offered in a save dialog from text in the application (the applicant's
    name): ``fallback`` when nothing safe is left of it."""
    try:
        return safe_name((raw or "") + suffix, room=120)
    except MaterialUnsafe:
        return fallback + suffix


def place(folder: Path, raw: str, *, file: str = "") -> Path:
    """The path ``folder/<safe name of raw>``: a writer's only way to name a file it
    creates from a name it read."""
    target = Path(folder) / safe_name(raw, file=file)
    if target.parent != Path(folder):   # cannot happen; kept as the invariant it is
        raise _refuse(raw, file, reason="material_bad_name")
    return target


def relative_material(raw: str, *, file: str = "") -> PurePosixPath:
    """A material path as written in an application file, if it is a plain relative path
    that stays where it is written: no absolute path, ``..``, backslash, drive letter or
    control character. Raises MaterialUnsafe otherwise."""
    if not raw or "\\" in raw or _DRIVE.match(raw) or any(_control(ch) for ch in raw):
        raise _refuse(raw, file, reason="material_bad_name")
    path = PurePosixPath(raw)
    if path.is_absolute() or ".." in path.parts:
        raise _refuse(raw, file, reason="material_outside")
    if raw.endswith("/") or not path.parts:
        raise _refuse(raw, file, reason="material_not_regular")
    return path


def material_source(base: Path, raw: str, *, file: str = "") -> Path | None:
    """Where a material listed in an application file is read from: inside ``base`` even
    after following links, and a regular file. None when it does not exist (the rules say
    so as a finding); MaterialUnsafe when it leaves ``base`` or is a folder, pipe, device
    or socket (reading a pipe or /dev/zero would never end)."""
    rel = relative_material(raw, file=file)
    root = Path(base).resolve()
    candidate = root.joinpath(*rel.parts)
    if not os.path.lexists(candidate):
        return None
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):   # a dangling or looping link
        raise _refuse(raw, file, reason="material_not_regular") from None
    if root not in real.parents:
        raise _refuse(raw, file, reason="material_outside")
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return None
    if not stat.S_ISREG(mode):
        raise _refuse(raw, file, reason="material_not_regular")
    return real
