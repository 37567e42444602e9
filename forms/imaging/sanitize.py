"""Copies of material files that hold nothing but pixels and the colour profile.

People forward photos that carry EXIF (GPS, camera, time), XMP, comments, maker notes,
embedded thumbnails, a second image appended after the end of the first, or private
chunks. A copy is therefore never the original bytes: JPEGs and PNGs are rebuilt segment
by segment (or chunk by chunk) from an allow-list of what a decoder needs plus the ICC
profile, so their pixels decode exactly as before without a lossy re-encode; everything
after the end-of-image marker or IEND is dropped. A file that cannot be rebuilt that way
(an unusual structure, an EXIF rotation to bake in, another page than the first, any
other format) is decoded, turned upright (so corner coordinates recorded on the upright
image stay valid) and written again: PNG for lossless sources, JPEG for photographs, and
a PDF page as a 300 dpi image, because PDFs carry their own metadata and the page is what
the counter needs.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from forms.filetypes import sniff_bytes
from forms.imaging.encode import jpeg_bytes, png_bytes
from forms.imaging.loader import check_header, load_image, read_head

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# What a PNG decoder needs, and the colour description; everything else is dropped.
PNG_KEEP = frozenset({b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND",
                      b"iCCP", b"gAMA", b"cHRM", b"sRGB", b"pHYs"})
# JPEG markers a decoder needs: frames (SOFn), Huffman and arithmetic tables, quantisation
# tables, restart interval, line count, hierarchical progression. Not APPn, COM or JPGn.
JPEG_KEEP = frozenset(set(range(0xC0, 0xD0)) - {0xC8}) | {0xDB, 0xDC, 0xDD, 0xDE, 0xDF}
_ICC = b"ICC_PROFILE\0"
_ORIENTATION = 0x0112


@dataclass(frozen=True)
class Clean:
    data: bytes
    suffix: str           # ".jpg", ".png", … for the stored copy
    changed: bool         # False: the original bytes, untouched


def _orientation(exif: bytes) -> int:
    """The EXIF orientation tag (1 when absent or unreadable, as Pillow would treat it)."""
    try:
        parsed = Image.Exif()
        parsed.load(exif)
        return int(parsed.get(_ORIENTATION, 1))
    except Exception:  # any malformed EXIF: Pillow's own transpose ignores it too
        return 1


def _turned(jpeg: bytes) -> bool:
    """Whether the loader would turn this JPEG (EXIF, or XMP's tiff:Orientation, as
    Pillow reads them from the header without decoding): dropping that would turn the
    stored copy against the corners recorded on the upright image."""
    try:
        with Image.open(io.BytesIO(jpeg)) as img:
            return int(img.getexif().get(_ORIENTATION, 1) or 1) != 1
    except Exception:  # unreadable here means unreadable for the loader: re-encode path
        return True


# PNG text chunks that Pillow reads an orientation from (ImageMagick's raw EXIF, XMP).
_PNG_ORIENTATION_KEYS = (b"raw profile type", b"xml:com.adobe.xmp")


def _jfif(payload: bytes) -> bytes:
    """A JFIF header with the original's density and no embedded thumbnail."""
    density = payload[7:12] if len(payload) >= 12 else b"\x00\x00\x01\x00\x01"
    version = payload[5:7] if len(payload) >= 7 else b"\x01\x01"
    body = b"JFIF\x00" + version + density + b"\x00\x00"
    return b"\xff\xe0" + struct.pack(">H", len(body) + 2) + body


def rebuild_jpeg(data: bytes) -> bytes | None:
    """The JPEG with only decoding segments and its ICC profile, ending at the first end
    of image; None when its structure is not plain enough to rebuild, or an EXIF
    rotation would be lost."""
    if data[:2] != b"\xff\xd8":
        return None
    out: list[bytes] = [b"\xff\xd8"]
    if _turned(data):
        return None
    jfif: bytes | None = None
    scans = 0
    i, n = 2, len(data)
    while True:
        if i >= n or data[i] != 0xFF:
            return None
        while i < n and data[i] == 0xFF:  # fill bytes
            i += 1
        if i >= n:
            return None
        marker = data[i]
        i += 1
        if marker == 0xD9:
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # standalone markers: nothing to keep
            continue
        if i + 2 > n:
            return None
        length = struct.unpack(">H", data[i:i + 2])[0]
        if length < 2 or i + length > n:
            return None
        segment, payload = data[i - 2:i + length], data[i + 2:i + length]
        i += length
        if marker in JPEG_KEEP:
            out.append(segment)
        elif marker == 0xDA:  # start of scan: the entropy-coded data runs to the next marker
            j = i
            while True:
                j = data.find(b"\xff", j)
                if j < 0 or j + 1 >= n:
                    return None  # no end of image: truncated
                follower = data[j + 1]
                if follower == 0x00 or 0xD0 <= follower <= 0xD7 or follower == 0xFF:
                    j += 1
                    continue
                break
            out.append(segment + data[i:j])
            i = j
            scans += 1
        elif marker == 0xE2 and payload.startswith(_ICC):
            out.append(segment)
        elif marker == 0xEE and payload.startswith(b"Adobe") and len(payload) >= 12:
            body = payload[:12]  # colour transform flag: CMYK and YCCK decode by it
            out.append(b"\xff\xee" + struct.pack(">H", len(body) + 2) + body)
        elif marker == 0xE0 and payload.startswith(b"JFIF\0") and jfif is None:
            jfif = _jfif(payload)
    if scans == 0:
        return None
    if jfif is not None:
        out.insert(1, jfif)
    out.append(b"\xff\xd9")
    return b"".join(out)


def _zlib_ends_cleanly(data: bytes, spans: list[tuple[int, int]]) -> bool:
    """True when the IDAT data is one complete zlib stream with nothing after it (bytes
    past its end would be carried along unseen). Inflated in bounded pieces."""
    inflater = zlib.decompressobj()
    try:
        for start, end in spans:
            if start == end:
                continue
            if inflater.eof:
                return False  # more IDAT data after the image's stream ended
            pending = data[start:end]
            while pending and not inflater.eof:
                inflater.decompress(pending, 1 << 20)
                pending = inflater.unconsumed_tail
            if inflater.unused_data:
                return False
    except zlib.error:
        return False
    return inflater.eof


def rebuild_png(data: bytes) -> bytes | None:
    """The PNG with only ``PNG_KEEP`` chunks, ending at IEND; None when it is not plain
    enough to rebuild, or an EXIF rotation would be lost."""
    if not data.startswith(PNG_SIGNATURE):
        return None
    out = [PNG_SIGNATURE]
    idat: list[tuple[int, int]] = []
    i, n = len(PNG_SIGNATURE), len(data)
    while True:
        if i + 12 > n:
            return None  # no IEND
        length = struct.unpack(">I", data[i:i + 4])[0]
        kind = data[i + 4:i + 8]
        end = i + 12 + length
        if end > n:
            return None
        if kind in PNG_KEEP:
            out.append(data[i:end])
        if kind == b"IDAT":
            idat.append((i + 8, i + 8 + length))
        elif kind == b"eXIf" and _orientation(data[i + 8:i + 8 + length]) != 1:
            return None
        elif kind in (b"tEXt", b"zTXt", b"iTXt"):
            keyword = data[i + 8:i + 8 + min(length, 80)].split(b"\0", 1)[0].lower()
            if keyword.startswith(_PNG_ORIENTATION_KEYS):
                return None  # may carry a rotation: bake it in by re-encoding
        if kind == b"IEND":
            break
        i = end
    if not idat or not _zlib_ends_cleanly(data, idat):
        return None
    return b"".join(out)


def _decodes(data: bytes) -> bool:
    """Whether a rebuilt JPEG still decodes to its end (at 1/8 scale: the whole
    entropy-coded stream is read, a fraction of the pixels made)."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.draft(img.mode, (max(1, img.width // 8), max(1, img.height // 8)))
            img.load()
    except Exception:  # whatever the decoder objects to: re-encode from the original
        return False
    return True


def clean_copy(path: Path, *, page: int = 0) -> Clean:
    """The bytes to store for ``path``; see the module docstring for the rules."""
    path = Path(path)
    kind = sniff_bytes(read_head(path))
    data = path.read_bytes()
    if page == 0 and kind in ("jpeg", "png"):
        if kind == "png":
            check_header(path, kind)   # a JPEG's rebuilt bytes are decoded below
        rebuilt = rebuild_jpeg(data) if kind == "jpeg" else rebuild_png(data)
        if rebuilt is not None and (kind == "png" or _decodes(rebuilt)):
            return Clean(rebuilt, ".jpg" if kind == "jpeg" else ".png", rebuilt != data)
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
