"""Copies of material files with no EXIF, GPS, camera, XMP or text metadata.

A file that already carries none is kept byte for byte (re-encoding a JPEG loses quality
each time). One that does is decoded, turned upright (so corner coordinates recorded on
the upright image stay valid), and written again without it: JPEG for photographs, PNG
for lossless scans, and a PDF page becomes a 300 dpi image, because PDFs carry their own
metadata and the page is what the counter needs.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from forms.filetypes import sniff_bytes
from forms.imaging.encode import jpeg_bytes, png_bytes
from forms.imaging.loader import load_image, read_head

_PNG_META = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME", b"iCCP"}


@dataclass(frozen=True)
class Clean:
    data: bytes
    suffix: str           # ".jpg", ".png", … for the stored copy
    changed: bool         # False: the original bytes, untouched


def _jpeg_has_metadata(data: bytes) -> bool:
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return True  # not a marker where one must be: treat as unknown, clean it
        marker = data[i + 1]
        if marker in (0xD9, 0xDA):  # end of image, start of scan: headers are over
            return False
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if 0xE1 <= marker <= 0xEF or marker == 0xFE:  # APP1..APP15 (EXIF, XMP, IPTC), COM
            return True
        i += 2 + length
    return False


def _png_has_metadata(data: bytes) -> bool:
    i = 8
    while i + 8 <= len(data):
        length = struct.unpack(">I", data[i:i + 4])[0]
        kind = data[i + 4:i + 8]
        if kind in _PNG_META:
            return True
        if kind == b"IEND":
            return False
        i += 12 + length
    return False


def clean_copy(path: Path, *, page: int = 0) -> Clean:
    """The bytes to store for ``path``; see the module docstring for the rules."""
    path = Path(path)
    kind = sniff_bytes(read_head(path))
    data = path.read_bytes()
    if kind == "jpeg" and not _jpeg_has_metadata(data):
        return Clean(data, ".jpg", False)
    if kind == "png" and not _png_has_metadata(data):
        return Clean(data, ".png", False)
    img = load_image(path, page=page).image
    if kind in ("png", "tiff", "bmp"):
        return Clean(png_bytes(img), ".png", True)
    return Clean(jpeg_bytes(img, quality=95, dpi=300, subsampling=0), ".jpg", True)


def store_clean_copy(src: Path, folder: Path, *, page: int = 0) -> Path:
    """Copy ``src`` into ``folder`` without metadata under a fresh name; returns the copy.

    Files the user adds are stored this way at once, so nothing from the phone lingers in
    the workspace and saving later copies bytes instead of re-encoding them.
    """
    import os
    import uuid

    clean = clean_copy(src, page=page)
    folder.mkdir(parents=True, exist_ok=True)
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in Path(src).stem)[:40]
    dest = folder / f"{stem or 'file'}-{uuid.uuid4().hex[:8]}{clean.suffix}"
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(clean.data)
    return dest
