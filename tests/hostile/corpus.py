"""Real-world oddities, generated here: every shape of file a user might drop or open."""

from __future__ import annotations

import io
import json
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image

from tests.support import synthetic


def _jpeg(img: Image.Image, **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", **kw)
    return buf.getvalue()


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b""))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


@cache
def gray_png(width: int, height: int) -> bytes:
    """A valid white 8-bit gray PNG of any size, built without making its pixels: a
    120 × 1,000,000 strip is about 120 KB on disk and 120 MB (or, resized to a fixed
    width, gigabytes) decoded."""
    comp = zlib.compressobj(9)
    row = b"\0" + b"\xff" * width  # filter byte, then the pixels
    rows_per_block = max(1, 1_000_000 // len(row))
    block = row * rows_per_block
    parts = [comp.compress(block) for _ in range(height // rows_per_block)]
    parts.append(comp.compress(row * (height % rows_per_block)))
    parts.append(comp.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"".join(parts))
            + _chunk(b"IEND", b""))


def blank_pdf(width_pt: float, height_pt: float) -> bytes:
    """A one-page PDF with an empty page of any size: a few hundred bytes that promise
    a raster of any size."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] >>" % (width_pt, height_pt)]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return out


def thin_images() -> dict[str, bytes]:
    """Geometry that asks for gigabytes: refused before any raster is made."""
    return {"thin-page.pdf": blank_pdf(1, 100_000), "thin-strip.png": gray_png(120, 1_000_000)}


def long_images() -> dict[str, bytes]:
    """As large and as long as still accepted (1:20, near the pixel limits): usable, and
    every step after loading must stay within bounds."""
    return {"long-page.pdf": blank_pdf(1000, 20_000), "long-strip.png": gray_png(2400, 48_000)}


def _pdf(pages: int, password: str | None = None) -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    kw = {"encrypt": pdfencrypt.StandardEncryption(password)} if password else {}
    c = canvas.Canvas(buf, **kw)
    for i in range(pages):
        c.drawString(100, 700, f"page {i}")
        c.showPage()
    c.save()
    return buf.getvalue()


def _zip(members: dict[str, bytes], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compress) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@cache  # made once per test process and shared, read-only (each test took 0.35 s)
def images() -> dict[str, bytes]:
    rng = np.random.default_rng(1)
    photo = Image.fromarray(rng.integers(0, 255, (300, 400, 3), dtype=np.uint8))
    good = _jpeg(photo)
    out = {
        "ok.jpg": good,
        "truncated.jpg": good[: len(good) // 3],
        "zero.jpg": b"",
        "text.jpg": b"this is not an image at all\n" * 20,
        "huge-declared.png": _png_header(60_000, 60_000),
        "cmyk.jpg": _jpeg(photo.convert("CMYK")),
        "gray16.png": _png(Image.fromarray((rng.integers(0, 65535, (200, 300))).astype(
            np.uint16))),
        "palette-alpha.png": _png(photo.convert("RGBA").convert("P")),
        "alpha.png": _png(photo.convert("RGBA")),
        "webp.jpg": _webp(photo),
        "heic.jpg": _heic(photo),
        "pdf-two-pages.pdf": _pdf(2),
        "pdf-encrypted.pdf": _pdf(1, password="secret"),
        "pdf-malformed.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n",
        "tiny.png": _png(photo.resize((40, 30))),
        "one-pixel-wide.png": _png(photo.resize((1, 900))),
        **thin_images(),
    }
    card = synthetic.id_front(synthetic.Person("甲", "男", "汉", __import__("datetime").date(
        1990, 1, 1), "某地", "110105199001011234")).resize((404, 255))
    for orientation in range(1, 9):
        buf = io.BytesIO()
        exif = Image.Exif()
        exif[0x0112] = orientation
        card.save(buf, "JPEG", exif=exif)
        out[f"exif-{orientation}.jpg"] = buf.getvalue()
    return out


def _webp(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "WEBP")
    return buf.getvalue()


def _heic(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "HEIF")
    return buf.getvalue()


def application(materials: list[dict[str, object]] | None = None) -> dict[str, object]:
    """The complete sample as a dict, with these materials (none by default)."""
    sample = json.loads(Path(__file__).resolve().parents[2].joinpath(
        "resources/samples/complete/application.json").read_text("utf-8"))
    sample["materials"] = materials or []
    return dict(sample)


def _entry(name: str, mode: int) -> zipfile.ZipInfo:
    """A zip entry with a Unix file type in its external attributes (a link, a device)."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3   # Unix
    info.external_attr = mode << 16
    return info


def _zip_entries(entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for entry, data in entries:
            zf.writestr(entry, data)
    return buf.getvalue()


def _with_material(file: str, extra: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    app = json.dumps(application([{"kind": "photo", "file": file}])).encode()
    return _zip_entries([("application.json", app), *extra])


def outside_archives(secret: Path) -> dict[str, bytes]:
    """Archives whose material is not a regular member under materials/ but leads to
    ``secret``, a file outside (an attacker guesses its path): a folder entry named after
    it, absolute or climbing out of the extraction folder with ``..``; a link entry."""
    climb = "../" * 24 + str(secret).lstrip("/")
    return {
        "dir-entry-absolute.yibao": _with_material(f"{secret}/", [(f"{secret}/", b"")]),
        "dir-entry-dotdot.yibao": _with_material(f"{climb}/", [(f"{climb}/", b"")]),
        "dir-entry-materials.yibao": _with_material("materials/", [("materials/", b"")]),
        "symlink-absolute.yibao": _with_material("materials/001-a.jpg", [
            (_entry("materials/001-a.jpg", stat.S_IFLNK | 0o777), str(secret).encode())]),
        "symlink-dotdot.yibao": _with_material("materials/001-a.jpg", [
            (_entry("materials/001-a.jpg", stat.S_IFLNK | 0o777), climb.encode())]),
        "device-member.yibao": _with_material("materials/001-a.jpg", [
            (_entry("materials/001-a.jpg", stat.S_IFCHR | 0o666), b"")]),
    }


def outside_folders(root: Path, secret: Path) -> dict[str, Path]:
    """application.json folders under ``root`` whose material leaves the folder: by ``..``,
    by an absolute path, through a link to a file or to a folder outside, or is a pipe."""
    import os

    def folder(name: str, file: str) -> Path:
        where = root / name
        (where / "materials").mkdir(parents=True)
        (where / "application.json").write_text(
            json.dumps(application([{"kind": "photo", "file": file}])), encoding="utf-8")
        return where / "application.json"

    rel = os.path.relpath(secret, root / "x")
    out = {"dotdot": folder("dotdot", rel), "absolute": folder("absolute", str(secret)),
           "link-file": folder("link-file", "materials/a.jpg"),
           "link-folder": folder("link-folder", "outside/" + secret.name),
           "pipe": folder("pipe", "materials/pipe.jpg")}
    os.symlink(secret, root / "link-file" / "materials" / "a.jpg")
    os.symlink(secret.parent, root / "link-folder" / "outside")
    os.mkfifo(root / "pipe" / "materials" / "pipe.jpg")
    return out


@cache  # made once per test process and shared, read-only
def archives() -> dict[str, bytes]:
    app = json.dumps(application()).encode()
    big_number = json.dumps(application()).replace('"gap_years": 0', '"gap_years": ' + "9" * 5000)
    nan_corners = json.dumps(application([{
        "kind": "id_card_front", "file": "materials/001-a.jpg",
        "corners": [[0, 0], [1, 0], [1, 1], [0, 1]]}])).replace("[0, 0]", "[NaN, 0]")
    return {
        "ok.yibao": _zip({"application.json": app}),
        "zero.yibao": b"",
        "not-zip.yibao": b"PK\x03\x04" + b"\xff" * 200,
        "traversal.yibao": _zip({"application.json": app, "../../outside.txt": b"x"}),
        "absolute.yibao": _zip({"application.json": app, "/tmp/yibao-abs.txt": b"x"}),
        "bomb.yibao": _zip({"application.json": app,
                            "materials/001-big.jpg": b"\0" * (40 * 1024 * 1024)}),
        "no-app.yibao": _zip({"materials/001-a.jpg": b"\xff\xd8\xff"}),
        "future.yibao": _zip({"application.json": json.dumps({"schema_version": 99}).encode()}),
        "not-json.yibao": _zip({"application.json": b"{{{"}),
        "many.yibao": _zip({"application.json": app, **{f"materials/{i:04d}.jpg": b"x"
                                                         for i in range(400)}}),
        "long-name.yibao": _zip({"application.json": app,
                                 "materials/" + "a" * 300 + ".jpg": b"x"}),
        "long-name-multibyte.yibao": _zip({"application.json": app,
                                           "materials/" + "身" * 90 + ".jpg": b"x"}),
        "escape-name.yibao": _zip({"application.json": app,
                                   "materials/\x1b]0;owned\x07\x1b[2K.jpg": b"x"}),
        "device-name.yibao": _zip({"application.json": app, "materials/CON.jpg": b"x"}),
        "nul-name.yibao": _zip({"application.json": app, "materials/a\x00.jpg": b"x"}),
        "big-number.yibao": _zip({"application.json": big_number.encode()}),
        "nan-corners.yibao": _zip({"application.json": nan_corners.encode(),
                                   "materials/001-a.jpg": b"\xff\xd8\xff"}),
        "folder-material.yibao": _with_material("materials/", [("materials/", b"")]),
    }


Mutator = Callable[[bytes, np.random.Generator], bytes]


def mutate(data: bytes, rng: np.random.Generator) -> bytes:
    """One of: flip bytes, cut, splice garbage, duplicate a chunk."""
    if not data:
        return bytes(rng.integers(0, 256, int(rng.integers(1, 64)), dtype=np.uint8))
    choice = int(rng.integers(0, 4))
    arr = bytearray(data)
    if choice == 0:
        for _ in range(int(rng.integers(1, 12))):
            arr[int(rng.integers(0, len(arr)))] = int(rng.integers(0, 256))
        return bytes(arr)
    if choice == 1:
        return bytes(arr[: int(rng.integers(0, len(arr)))])
    if choice == 2:
        at = int(rng.integers(0, len(arr)))
        return bytes(arr[:at]) + bytes(rng.integers(0, 256, 64, dtype=np.uint8)) + bytes(arr[at:])
    at, size = int(rng.integers(0, len(arr))), int(rng.integers(1, 256))
    return bytes(arr[:at]) + bytes(arr[at:at + size]) * 3 + bytes(arr[at:])
