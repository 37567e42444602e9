"""Reading and writing applications: ``application.json`` folders and ``.yibao`` archives.

A ``.yibao`` file is a zip holding ``application.json`` and copies of the material files
under ``materials/``. Saving goes through forms.atomic, so it never leaves a half-written
file where the user's file was and keeps the previous version as ``NAME.bak``; every file
is created readable by the owner only, because it holds ID numbers and ID card scans.

Loading trusts nothing: member names are checked for path traversal, sizes are bounded
before and during extraction (zip bombs), and a bad archive is reported without touching
the file on disk.
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from pydantic import ValidationError

from forms import scratch
from forms.application import Application
from forms.atomic import copy_as_is, write_atomically
from forms.crypto import SealKey, Secret, derive, is_sealed, seal, seal_stream, unseal_file
from forms.errors import (
    ApplicationMalformed,
    ArchiveCorrupt,
    ArchiveMemberMissing,
    ArchiveUnsafe,
    FileMissing,
    FileUnreadable,
    MaterialUnsafe,
    NoSpace,
    SaveFailed,
)
from forms.migrations import migrate
from forms.safenames import MAX_NAME_BYTES, material_source, place, safe_name

APP_MEMBER = "application.json"
# Material analyses (forms.analysis): a cache, never trusted — too large or malformed, it
# is ignored and the analyses are made again.
ANALYSES_MEMBER = "analyses.json"
MAX_ANALYSES_BYTES = 2 * 1024 * 1024
MATERIALS = "materials"
MAX_JSON_BYTES = 5 * 1024 * 1024
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 300
# A whole archive: its contents plus zip headers (a sealed one adds crypto.OVERHEAD).
MAX_ARCHIVE_BYTES = MAX_TOTAL_BYTES + MAX_MEMBERS * 1024 + MAX_JSON_BYTES
MAX_SEALED_BYTES = MAX_ARCHIVE_BYTES + 64 * 1024 * 1024  # any file read whole, with margin
PRIVATE = 0o600
# Everything zipfile raises on damaged input (found by fuzzing: zlib.error and struct.error
# escape its own BadZipFile; an encrypted member raises RuntimeError).
_ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError,
               RuntimeError, zlib.error, struct.error, KeyError)


@dataclass
class Opened:
    """An application with the folder its material paths are relative to."""

    app: Application
    base_dir: Path
    source: Path
    _workdir: scratch.Scratch | None = field(default=None, repr=False)
    key: SealKey | None = field(default=None, repr=False)   # what opened a sealed file
    analyses: bytes | None = field(default=None, repr=False)   # the raw cache member

    def close(self) -> None:
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None

    def __enter__(self) -> Opened:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _malformed(exc: ValidationError, file: str) -> ApplicationMalformed:
    first = exc.errors()[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
    detail = f"{loc}: {first['msg']}"
    if first["type"] == "extra_forbidden":
        return ApplicationMalformed(detail, file=file, reason="unknown_field", field=loc)
    ctx = first.get("ctx") or {}
    if first["type"] == "too_many_members":
        return ApplicationMalformed(detail, file=file, reason="too_many_members", field=loc,
                                    limit=ctx.get("limit"), count=ctx.get("count"))
    if first["type"] == "duplicate_member":
        return ApplicationMalformed(detail, file=file, reason="duplicate_member", field=loc,
                                    member=str(ctx.get("member")))
    if first["type"] == "finite_number":
        return ApplicationMalformed(detail, file=file, reason="not_finite", field=loc)
    return ApplicationMalformed(detail, file=file, reason="field_invalid", field=loc)


def _unreadable(exc: OSError, path: Path) -> FileUnreadable:
    detail = exc.strerror or str(exc)
    if isinstance(exc, PermissionError):
        return FileUnreadable(detail, file=str(path), reason="permission")
    return FileUnreadable(detail, file=str(path), reason="io")


def _backup_name(path: Path) -> str:
    """The backup beside a damaged file, if there is one to suggest."""
    bak = path.with_name(path.name + ".bak")
    return bak.name if bak.is_file() else ""


class _NotFinite(ValueError):
    """NaN and Infinity: Python's json reads them, JSON has no such numbers."""


def _no_constants(name: str) -> float:
    raise _NotFinite(name)


def parse_application(raw: bytes, *, file: str) -> Application:
    """Bytes of an application.json to a model, migrating older versions."""
    if len(raw) > MAX_JSON_BYTES:
        raise ApplicationMalformed("too large", file=file, reason="too_large", member=file)
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constants)
    except UnicodeDecodeError:
        raise ApplicationMalformed("not UTF-8", file=file, reason="not_utf8") from None
    except json.JSONDecodeError as exc:
        raise ApplicationMalformed(f"line {exc.lineno}: not valid JSON", file=file,
                                   reason="not_json", line=exc.lineno) from None
    except RecursionError:
        raise ApplicationMalformed("nested too deeply", file=file, reason="too_deep") from None
    except _NotFinite as exc:
        raise ApplicationMalformed(f"{exc} is not a number", file=file, reason="not_finite",
                                   field=str(exc)) from None
    except ValueError:  # a number past Python's int-string limit (4300 digits)
        raise ApplicationMalformed("a number with too many digits", file=file,
                                   reason="number_too_long") from None
    if not isinstance(data, dict):
        raise ApplicationMalformed("top level is not an object", file=file, reason="not_object")
    data = migrate(data, file=file)
    try:
        return Application.model_validate(data)
    except ValidationError as exc:
        raise _malformed(exc, file) from None


def _open_regular(path: Path) -> BinaryIO:
    """Open ``path`` for reading only if it is a regular file.

    A pipe would block the open itself and a device (/dev/zero) would be read forever, so
    the kind is checked before opening, and again on the open descriptor (non-blocking, so
    a pipe swapped in meanwhile cannot hang it).
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise FileMissing(str(path), file=str(path)) from None
    except OSError as exc:
        raise _unreadable(exc, path) from None
    if stat.S_ISDIR(mode):
        raise FileUnreadable("a folder", file=str(path), reason="is_directory")
    if not stat.S_ISREG(mode):
        raise FileUnreadable("not a regular file", file=str(path), reason="not_regular")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise FileMissing(str(path), file=str(path)) from None
    except OSError as exc:
        raise _unreadable(exc, path) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise FileUnreadable("not a regular file", file=str(path), reason="not_regular")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _read_bytes(path: Path, limit: int = MAX_SEALED_BYTES) -> bytes:
    """The whole of a regular file of at most ``limit`` bytes (checked before and while
    reading: a file can grow under us)."""
    with _open_regular(path) as fh:
        try:
            if os.fstat(fh.fileno()).st_size > limit:
                raise FileUnreadable("too large", file=str(path), reason="file_too_large")
            data = fh.read(limit + 1)
        except OSError as exc:
            raise _unreadable(exc, path) from None
    if len(data) > limit:
        raise FileUnreadable("too large", file=str(path), reason="file_too_large")
    return data


def load(path: Path, *, into: Path | None = None, passphrase: Secret | None = None) -> Opened:
    """Open an application.json (materials relative to it) or a .yibao archive.

    ``into``: extract a .yibao's materials into this (existing, private) folder, which the
    caller keeps and cleans up — the desktop app does, so a crash cannot lose them. Without
    it they go to a private scratch folder (forms.scratch) that ``close()`` removes and the
    next start sweeps if this process is killed. ``passphrase`` may be a derived key.
    """
    path = Path(path)
    try:
        with _open_regular(path) as fh:
            head = fh.read(8)
    except OSError as exc:
        raise _unreadable(exc, path) from None
    if is_sealed(head):
        plain, key = _unseal_path(path, passphrase)
        opened = _load_archive(path, into, plain)
        opened.key = key
        return opened
    if head.startswith(b"PK"):
        return _load_archive(path, into)
    if path.suffix.lower() == ".yibao":
        raise ArchiveCorrupt("not a zip archive", file=path.name, backup=_backup_name(path))
    app = parse_application(_read_bytes(path, MAX_JSON_BYTES), file=path.name)
    base = path.resolve().parent
    for m in app.materials:  # read nothing outside the folder of the application.json
        material_source(base, m.file, file=path.name)
    return Opened(app, base, path)


def _safe_member(name: str) -> bool:
    p = PurePosixPath(name)
    if "\\" in name or p.is_absolute() or ".." in p.parts or ":" in name:
        return False
    if name in (APP_MEMBER, ANALYSES_MEMBER):
        return True
    if len(p.parts) != 2 or p.parts[0] != MATERIALS or name != f"{MATERIALS}/{p.name}":
        return False
    try:
        return safe_name(p.name) == p.name   # already a plain name: extracted as it is
    except MaterialUnsafe:
        return False


def _regular_member(info: zipfile.ZipInfo) -> bool:
    """A plain file entry: not a folder, and not a link, device or pipe (the Unix mode in
    the external attributes; 0 when the archiver recorded none)."""
    kind = stat.S_IFMT(info.external_attr >> 16)
    return not info.is_dir() and kind in (0, stat.S_IFREG)


def _load_archive(path: Path, into: Path | None = None,
                  content: io.BytesIO | None = None) -> Opened:
    name = path.name
    try:
        zf = zipfile.ZipFile(content if content is not None else path)
    except _ZIP_ERRORS as exc:
        raise ArchiveCorrupt(str(exc), file=name, backup=_backup_name(path)) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ArchiveUnsafe("too many entries", file=name, reason="too_many")
        total = 0
        for info in infos:
            if info.is_dir() or info.filename == ANALYSES_MEMBER:
                continue
            if any(len(part.encode("utf-8")) > MAX_NAME_BYTES
                   for part in info.filename.split("/")):
                raise ArchiveUnsafe("entry name too long", file=name, reason="name_too_long",
                                    member=info.filename[:60] + "…")
            if not _safe_member(info.filename):
                raise ArchiveUnsafe(f"entry name {info.filename!r}", file=name,
                                    reason="bad_name", member=info.filename)
            if info.file_size > MAX_MEMBER_BYTES:
                raise ArchiveUnsafe(f"entry {info.filename!r} is too large", file=name,
                                    reason="too_large", member=info.filename)
            total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise ArchiveUnsafe("contents too large", file=name, reason="too_large",
                                member=name)
        if APP_MEMBER not in zf.namelist():
            raise ArchiveMemberMissing(APP_MEMBER, file=name, member=APP_MEMBER)
        raw = _read_member(zf, APP_MEMBER, name, MAX_JSON_BYTES)
        app = parse_application(raw, file=name)
        materials = {info.filename for info in infos
                     if info.filename not in (APP_MEMBER, ANALYSES_MEMBER)
                     and _regular_member(info)}
        names = set(zf.namelist())
        for m in app.materials:
            if m.file in materials:
                continue
            if m.file in names or m.file.rstrip("/") + "/" in names:
                # a folder or link entry, maybe named /…/secret.jpg/: never a material
                raise MaterialUnsafe(m.file, file=name, material=m.file,
                                     reason="material_not_regular")
            raise ArchiveMemberMissing(m.file, file=name, member=m.file)
        workdir = None if into is not None else _scratch()
        root = Path(into) if into is not None else Path(workdir.name)  # type: ignore[union-attr]
        try:
            _extract(zf, sorted(materials), root, name)
        except BaseException as exc:
            if workdir is not None:
                workdir.cleanup()
            if isinstance(exc, OSError):
                _raise_no_space(exc, root.parent if workdir is not None else root)
            raise
        analyses = _optional_member(zf, ANALYSES_MEMBER, MAX_ANALYSES_BYTES)
    return Opened(app, root, path, workdir, analyses=analyses)


def _optional_member(zf: zipfile.ZipFile, member: str, limit: int) -> bytes | None:
    """A member that may be absent, damaged or too large: then None, never an error."""
    if member not in zf.namelist():
        return None
    try:
        with zf.open(member) as fh:
            data = fh.read(limit + 1)
    except _ZIP_ERRORS:
        return None
    return data if len(data) <= limit else None


def _scratch() -> scratch.Scratch:
    try:
        return scratch.Scratch("open")
    except OSError as exc:
        _raise_no_space(exc, scratch.private_root())
        raise SaveFailed(exc.strerror or str(exc), file=str(exc.filename or "scratch"),
                         reason="write_error") from None


def _extract(zf: zipfile.ZipFile, members: list[str], root: Path, file: str) -> None:
    """Write each regular material member into ``root/materials`` under its (already
    plain) name, owner-only. Raises OSError."""
    folder = root / MATERIALS
    folder.mkdir(mode=0o700, exist_ok=True)
    for member in members:
        target = place(folder, PurePosixPath(member).name, file=file)
        data = _read_member(zf, member, file, MAX_MEMBER_BYTES)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, PRIVATE)
        with os.fdopen(fd, "wb") as out:
            out.write(data)


def _raise_no_space(exc: OSError, folder: Path) -> None:
    """A full work folder, said as such rather than "something unexpected"."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        raise NoSpace(str(folder), folder=str(folder)) from None


def _read_member(zf: zipfile.ZipFile, member: str, file: str, limit: int) -> bytes:
    """Read at most ``limit`` bytes, whatever the header claims (headers can lie)."""
    try:
        with zf.open(member) as fh:
            data = fh.read(limit + 1)
    except _ZIP_ERRORS as exc:
        raise ArchiveCorrupt(f"{member}: {exc}", file=file, backup="") from None
    if len(data) > limit:
        raise ArchiveUnsafe(f"entry {member!r} expands beyond its limit", file=file,
                            reason="too_large", member=member)
    return data


def _unseal_path(path: Path, secret: Secret | None) -> tuple[io.BytesIO, SealKey]:
    """Decrypt a sealed archive, refusing by its size on disk before reading it."""
    try:
        return unseal_file(path, secret, limit=MAX_ARCHIVE_BYTES)
    except OSError as exc:
        raise _unreadable(exc, path) from None


def load_bytes_of(path: Path, passphrase: Secret | None) -> io.BytesIO:
    """The zip inside a .yibao, sealed or not (for reading members back after a save)."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            sealed = is_sealed(fh.read(8))
    except OSError as exc:
        raise _unreadable(exc, path) from None
    return _unseal_path(path, passphrase)[0] if sealed else io.BytesIO(_read_bytes(path))


def _member_name(index: int, file: str, suffix: str = "") -> str:
    """``materials/NNN-name.suffix``: numbered so two materials never share a name, and
    reduced by safe_name so that extracting it anywhere stays a plain file name."""
    stem = PurePosixPath(file.replace("\\", "/")).stem
    try:
        safe = safe_name(stem + suffix, room=100)
    except MaterialUnsafe:
        safe = "file" + suffix
    return f"{MATERIALS}/{index:03d}-{safe}"


def save(app: Application, base_dir: Path, dest: Path, *,
         passphrase: Secret | None = None, analyses: bytes | None = None) -> Application:
    """Write ``app`` and its material files to ``dest`` atomically; returns the saved
    application, whose material paths now point inside the archive. With a passphrase (or
    a key derived from one) the archive is sealed (forms.crypto), and so is the previous
    version kept as NAME.bak: no plaintext copy is left beside a sealed file."""
    from forms.imaging.sanitize import clean_copy  # imaging loads OpenCV: only when saving

    dest = Path(dest)
    sources: list[tuple[bytes, str]] = []
    materials = []
    for i, m in enumerate(app.materials, start=1):
        src = material_source(Path(base_dir), m.file, file=m.file)
        if src is None:
            raise FileMissing(m.file, file=m.file)
        clean = clean_copy(src, page=m.page)  # no phone metadata goes into the archive
        member = _member_name(i, m.file, clean.suffix)
        sources.append((clean.data, member))
        update: dict[str, Any] = {"file": member}
        if clean.changed:
            update["page"] = 0  # a re-encoded copy holds just the chosen page
        materials.append(m.model_copy(update=update))
    saved = app.model_copy(update={"materials": materials})
    payload = saved.model_dump_json(indent=2).encode("utf-8")

    key = derive(passphrase) if isinstance(passphrase, str) else passphrase

    def write(out: BinaryIO) -> None:
        target: Any = io.BytesIO() if key else out
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(APP_MEMBER, payload)
            if analyses is not None and len(analyses) <= MAX_ANALYSES_BYTES:
                zf.writestr(ANALYSES_MEMBER, analyses)
            for data, member in sources:
                # Images are already compressed: storing them saves time, not space.
                zf.writestr(member, data, compress_type=zipfile.ZIP_STORED)
        if key:
            out.write(seal(target.getvalue(), key))

    write_atomically(dest, write, keep_backup=True,
                     backup_copy=_sealed_backup(key) if key else copy_as_is)
    return saved


def _sealed_backup(key: SealKey) -> Callable[[BinaryIO, BinaryIO], None]:
    """The previous version for a sealed save's NAME.bak: kept as it is when it is sealed
    already, sealed with the new key when it was plain."""
    def copy(src: BinaryIO, out: BinaryIO) -> None:
        if is_sealed(src.read(8)):
            src.seek(0)
            shutil.copyfileobj(src, out)
        else:
            src.seek(0)
            seal_stream(src, out, key)
    return copy
