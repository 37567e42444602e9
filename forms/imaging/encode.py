"""Write images with nothing but pixels and resolution: no EXIF, GPS, camera or ICC data.

Pillow writes EXIF only when asked to, but an image that came through ``Image.open`` can
carry ``info`` entries that some writers pick up; everything here starts from a clean copy.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image


def clean(img: Image.Image) -> Image.Image:
    """An RGB copy with an empty ``info`` (no EXIF, XMP, ICC, comments)."""
    out = img.convert("RGB") if img.mode != "RGB" else img.copy()
    out.info = {}
    return out


def jpeg_bytes(img: Image.Image, *, quality: int = 90, dpi: int = 300,
               subsampling: int = 2) -> bytes:
    buf = io.BytesIO()
    clean(img).save(buf, "JPEG", quality=quality, dpi=(dpi, dpi), optimize=True,
                    subsampling=subsampling)
    return buf.getvalue()


def png_bytes(img: Image.Image, *, dpi: int = 300) -> bytes:
    buf = io.BytesIO()
    clean(img).save(buf, "PNG", dpi=(dpi, dpi), optimize=False, compress_level=6)
    return buf.getvalue()


@dataclass(frozen=True)
class SizedJpeg:
    data: bytes
    quality: int
    in_range: bool


def jpeg_within(img: Image.Image, *, min_bytes: int, max_bytes: int, dpi: int) -> SizedJpeg:
    """The best-quality JPEG whose size lies in [min_bytes, max_bytes], found by bisecting
    the quality; when no quality fits, the closest one (with ``in_range`` False)."""
    cache: dict[tuple[int, int], bytes] = {}

    def encode(q: int, sub: int = 2) -> bytes:
        if (q, sub) not in cache:
            cache[(q, sub)] = jpeg_bytes(img, quality=q, dpi=dpi, subsampling=sub)
        return cache[(q, sub)]

    lo, hi = 5, 95
    if len(encode(lo)) > max_bytes:
        return SizedJpeg(encode(lo), lo, False)
    while lo < hi:  # largest quality whose size stays under the maximum
        mid = (lo + hi + 1) // 2
        if len(encode(mid)) <= max_bytes:
            lo = mid
        else:
            hi = mid - 1
    best = encode(lo)
    if len(best) >= min_bytes:
        return SizedJpeg(best, lo, True)
    # A very plain picture compresses below the minimum: keep full colour detail.
    richer = encode(lo, 0)
    if min_bytes <= len(richer) <= max_bytes:
        return SizedJpeg(richer, lo, True)
    return SizedJpeg(best, lo, False)
