"""Open an image or a scanned PDF page, whatever its name says, as upright RGB on white.

The type comes from the first bytes (forms.filetypes). Geometry is checked from the
header (or a PDF's page size in points) before anything is decoded or rendered, so a
100,000 × 100,000 PNG, or a 120 × 1,000,000 strip whose every later step (a resize to a
fixed width, a warp) would balloon, is refused without using the memory it asks for.
Large JPEGs are decoded at a reduced scale when the caller says how many pixels it needs
(Pillow's draft mode decodes at 1/2, 1/4 or 1/8 directly).
"""

from __future__ import annotations

import io
import re
import warnings
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from forms.errors import ImageUnusable
from forms.filetypes import FileType, sniff_bytes
from forms.imaging.memory import PixelBudget, return_large_buffers

try:  # HEIC/HEIF from phones
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF_AVAILABLE = True
except ImportError:  # pragma: no cover - a broken install; HEIC files then say so
    HEIF_AVAILABLE = False

MAX_PIXELS = 120_000_000      # about a 200-MP phone mode at half scale; more is refused
MIN_SIDE = 120                # below this nothing prints legibly
MAX_FILE_BYTES = 200 * 1024 * 1024
PDF_DPI = 300
PDF_MAX_PIXELS = 40_000_000
MAX_ASPECT = 20.0             # no card, page or photo is longer than 20 times its width
# libwebp decodes through an RGBA canvas and a frame buffer, about 15 bytes a pixel (a
# 120-megapixel WebP took 1.8 GB); no phone or scanner writes WebPs this large anyway.
FORMAT_MAX_PIXELS: dict[str, int] = {"webp": 60_000_000}

Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own bomb guard as a second line
return_large_buffers()
ImageFile.LOAD_TRUNCATED_IMAGES = False
_SRGB = ImageCms.createProfile("sRGB")


@dataclass
class Loaded:
    image: Image.Image          # RGB, upright, no metadata attached
    kind: FileType
    full_size: tuple[int, int]  # upright size at full resolution (before any draft)
    scale: float = 1.0          # image size / full size (draft decoding)
    pages: int = 1


def _unusable(reason: str, path: Path, **params: object) -> ImageUnusable:
    return ImageUnusable(reason, file=path.name, reason=reason, **params)


def read_head(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size == 0:
            raise _unusable("empty", path)
        if size > MAX_FILE_BYTES:
            raise _unusable("file_too_large", path)
        with path.open("rb") as fh:
            return fh.read(1024)
    except FileNotFoundError:
        raise _unusable("missing", path) from None
    except IsADirectoryError:
        raise _unusable("not_image", path) from None
    except OSError as exc:
        raise ImageUnusable(exc.strerror or str(exc), file=path.name, reason="io") from None


def check_geometry(width: float, height: float, path: Path, *, min_side: float = MIN_SIDE,
                   max_pixels: float = MAX_PIXELS) -> None:
    """Refuse a size before any raster of it exists: too small to print, too elongated to
    be a document (every fixed-width step after it would scale the long side up), or more
    pixels than any phone takes. Sizes may be in points (a PDF page): ``min_side`` and
    ``max_pixels`` are then given in points too, or zero to skip them."""
    w, h = float(width), float(height)
    shown = {"width": round(w) if w == w and abs(w) < 1e12 else 0,
             "height": round(h) if h == h and abs(h) < 1e12 else 0}
    if not (0 < w < 1e12 and 0 < h < 1e12):  # also NaN: a comparison with NaN is False
        raise _unusable("corrupt", path)
    if min(w, h) < min_side:
        raise _unusable("too_small", path, **shown)
    if max(w, h) / min(w, h) > MAX_ASPECT:
        raise _unusable("too_elongated", path, **shown)
    if max_pixels and w * h > max_pixels:
        raise _unusable("too_many_pixels", path, megapixels=round(w * h / 1e6), **shown)


def _declared_too_many(path: Path, exc: Exception) -> ImageUnusable:
    """Pillow refuses a header declaring this many pixels before its size can be asked
    for; its message gives the number of pixels the file declares."""
    declared = re.search(r"\((\d+) pixels\)", str(exc))
    if declared is None:
        return _unusable("corrupt", path)
    return _unusable("too_many_pixels", path, megapixels=round(int(declared.group(1)) / 1e6))


def check_header(path: Path, kind: str) -> None:
    """Refuse ``path`` by the size its header declares, decoding nothing: for a file kept
    as it is (a PNG whose chunks are copied without their metadata), which no decode
    would otherwise look at before it takes a card's place."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                check_geometry(*img.size, path, max_pixels=FORMAT_MAX_PIXELS.get(kind, MAX_PIXELS))
    except ImageUnusable:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _declared_too_many(path, exc) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _unusable("corrupt", path) from None


def load_image(path: Path, *, page: int = 0, need_pixels: int | None = None) -> Loaded:
    """Decode ``path`` (page ``page`` of a PDF or TIFF) to upright RGB on white.

    ``need_pixels``: the caller needs no more than about this many pixels, so JPEGs may be
    decoded at a reduced scale.
    """
    path = Path(path)
    kind = sniff_bytes(read_head(path))
    if kind is None:
        raise _unusable("not_image", path)
    if kind == "pdf":
        return _load_pdf(path, page)
    if kind == "heif" and not HEIF_AVAILABLE:  # pragma: no cover
        raise _unusable("heif_unsupported", path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(path)
            limit = FORMAT_MAX_PIXELS.get(kind, MAX_PIXELS)
            check_geometry(*img.size, path, max_pixels=limit)
            if page:
                img.seek(page)  # a later frame of a TIFF has its own size
                check_geometry(*img.size, path, max_pixels=limit)
            w, h = img.size
            if kind == "jpeg" and need_pixels and w * h > 2 * need_pixels:
                scale = (need_pixels / (w * h)) ** 0.5
                img.draft("RGB", (max(1, int(w * scale)), max(1, int(h * scale))))
            img.load()
            header_size = img.size
            # in place: without it Pillow returns a full copy even when nothing turns
            ImageOps.exif_transpose(img, in_place=True)
            upright = img
    except ImageUnusable:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _declared_too_many(path, exc) from None
    except EOFError:
        raise _unusable("truncated", path) from None
    except UnidentifiedImageError:  # it looked like an image, but its body is not one
        raise _unusable("corrupt", path) from None
    except (OSError, SyntaxError, ValueError, MemoryError) as exc:
        if "truncated" in str(exc).lower() or "broken" in str(exc).lower():
            raise _unusable("truncated", path) from None
        raise _unusable("corrupt", path) from None
    swapped = upright.size != header_size and upright.size == (header_size[1], header_size[0])
    full = (h, w) if swapped else (w, h)
    if min(full) < MIN_SIDE:
        raise _unusable("too_small", path, width=full[0], height=full[1])
    rgb = to_rgb(upright)
    return Loaded(rgb, kind, full, rgb.size[0] / full[0])


def _load_pdf(path: Path, page: int) -> Loaded:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise _unusable("pdf_encrypted", path) from None
        raise _unusable("corrupt", path) from None
    try:
        count = len(pdf)
        if count == 0:
            raise _unusable("pdf_empty", path)
        if not 0 <= page < count:
            raise _unusable("pdf_no_page", path, page=page + 1, pages=count)
        pg = pdf[page]
        w_pt, h_pt = pg.get_size()
        scale = _pdf_scale(w_pt, h_pt, path)
        bitmap = pg.render(scale=scale, fill_color=(255, 255, 255, 255))
        img = bitmap.to_pil().convert("RGB")
        del bitmap
    except pdfium.PdfiumError:
        raise _unusable("corrupt", path) from None
    finally:
        pdf.close()
    return Loaded(img, "pdf", img.size, 1.0, count)


def source_pixels(path: Path) -> int:
    """About how many pixels loading ``path`` will decode, from its header alone (a PDF
    page: its render bound); 0 when it cannot tell (loading will then say why)."""
    try:
        kind = sniff_bytes(read_head(Path(path)))
        if kind == "pdf":
            return PDF_MAX_PIXELS
        with Image.open(path) as img:
            return min(int(img.size[0]) * int(img.size[1]), MAX_PIXELS)
    except Exception:  # any unreadable header: not this function's to report
        return 0


# Shared by every thread that processes materials (the packet's workers, the desktop's
# pool): one image at the pixel limit runs alone, several phone photos run together.
DECODE_BUDGET = PixelBudget(MAX_PIXELS)


def decoding(path: Path) -> AbstractContextManager[None]:
    """Hold ``path``'s share of ``DECODE_BUDGET`` while processing it. Never nest: the
    whole processing of one material is one hold."""
    return DECODE_BUDGET.hold(source_pixels(path))


def _pdf_scale(w_pt: float, h_pt: float, path: Path) -> float:
    """Pixels per point for rendering a ``w_pt`` × ``h_pt`` page: print resolution, less
    when that would exceed ``PDF_MAX_PIXELS``; the page's shape is checked first."""
    check_geometry(w_pt, h_pt, path, min_side=0, max_pixels=0)
    scale = PDF_DPI / 72
    if (w_pt * scale) * (h_pt * scale) > PDF_MAX_PIXELS:
        scale = (PDF_MAX_PIXELS / (w_pt * h_pt)) ** 0.5
    if min(w_pt, h_pt) * scale < MIN_SIDE:
        raise _unusable("too_small", path, width=round(w_pt * scale),
                        height=round(h_pt * scale))
    return scale


def to_rgb(img: Image.Image) -> Image.Image:
    """Any mode to 8-bit sRGB; transparency becomes white; ICC profiles are applied.

    No step holds more than the image and its RGB result at once: high bit depths are
    scaled a band of rows at a time and transparency is laid on white without copies.
    """
    icc = img.info.get("icc_profile")
    mode = img.mode
    if mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        img = _gray_to_8bit(img)
    elif mode == "P" and "transparency" not in img.info:
        img = img.convert("RGB")
    elif mode in ("P", "LA", "PA", "La"):
        img = img.convert("RGBA")
    if img.mode == "RGBA" or img.mode == "RGBa":
        rgba = img if img.mode == "RGBA" else img.convert("RGBA")
        white = Image.new("RGB", img.size, (255, 255, 255))
        white.paste(rgba, (0, 0), rgba)  # the alpha band is the mask
        img = white
        del rgba
    if icc and img.mode in ("RGB", "CMYK"):
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            img = ImageCms.profileToProfile(img, src, _SRGB, outputMode="RGB") or img
        except (ImageCms.PyCMSError, OSError):
            pass
    if img.mode != "RGB":
        img = img.convert("RGB")
    img.info.clear()
    return img


_BAND_PIXELS = 2_000_000


def _gray_to_8bit(img: Image.Image) -> Image.Image:
    """16-bit, 32-bit or float gray to 8 bits, scaled to its range, a band of rows at a
    time: a float copy of a whole 120-megapixel frame would take a gigabyte."""
    _, high = img.getextrema()
    if img.mode == "F":
        top = max(float(high), 1.0)  # type: ignore[arg-type]
    elif img.mode == "I" and float(high) <= 255:  # type: ignore[arg-type]
        top = 255.0
    else:
        top = 65535.0
    width, height = img.size
    out = np.empty((height, width), dtype=np.uint8)
    band = max(1, _BAND_PIXELS // max(1, width))
    for y in range(0, height, band):
        rows = np.asarray(img.crop((0, y, width, min(height, y + band))), dtype=np.float64)
        out[y:y + rows.shape[0]] = np.clip(rows / top * 255.0, 0, 255).astype(np.uint8)
    return Image.fromarray(out, "L")
