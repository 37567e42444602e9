"""Tell a file's type from its first bytes, never from its name.

People rename files, phones save HEIC as .jpg, and scanners write PDFs: the name is a hint
at best, so every loader asks this module first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

FileType = Literal["jpeg", "png", "webp", "tiff", "bmp", "heif", "pdf"]

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"}


def sniff_bytes(head: bytes) -> FileType | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:2] == b"BM" and len(head) >= 26:
        return "bmp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heif"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    return None


def sniff(path: Path) -> FileType | None:
    """The type of the file at ``path``; raises OSError when it cannot be read."""
    with path.open("rb") as fh:
        return sniff_bytes(fh.read(1024))
