"""Metadata everywhere: EXIF with GPS, XMP, comments, IPTC, PNG text and private chunks,
and bytes after the end of the image once survived byte for byte in ``.yibao`` copies.
Each file here carries a marker in every place a phone, an editor or an attacker can put
one; none may reach a stored copy, the packet PDF or a ``scan``/``photo`` output, while the
pixels decode as before (exactly, for rebuilt JPEGs and PNGs)."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms, PngImagePlugin

from cli import main
from forms import storage
from forms.application import Material
from forms.imaging.loader import load_image
from forms.imaging.sanitize import clean_copy
from forms.packet.builder import build_packet
from forms.profiles import load_profile
from tests.conftest import SAMPLES
from tests.forms.imaging_support import portrait_photo
from tests.support.shipped import copy_sample

TRAILER = b"GPS 39.9,116.4"
MARKERS = (b"LEAK-", TRAILER, b"Exif\0\0", b"ns.adobe.com/xap", b"Photoshop 3.0",
           b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"prVt", b"SyntheticPhone")
_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "LEAK-EXIF-MAKE"
    exif[0x0131] = "LEAK-EXIF-SOFTWARE"
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 26.0), 3: "E", 4: (116.0, 23.0, 29.0)}
    return exif


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def leaky_jpeg(img: Image.Image, **kw: object) -> bytes:
    """A phone JPEG, then an editor's XMP, a comment and IPTC, and data after the end."""
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, exif=_exif(), icc_profile=_ICC, **kw)
    data = buf.getvalue()
    extra = (_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>LEAK-XMP</x:xmpmeta>")
             + _segment(0xFE, b"LEAK-COMMENT") + _segment(0xED, b"Photoshop 3.0\0LEAK-IPTC"))
    return data[:2] + extra + data[2:] + TRAILER + b"\0LEAK-AFTER-EOI"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def leaky_png(img: Image.Image) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "LEAK-TEXT")
    info.add_text("Location", "LEAK-ZTXT " * 20, zip=True)
    info.add_itxt("Author", "LEAK-ITXT-作者", lang="zh")
    buf = io.BytesIO()
    img.save(buf, "PNG", pnginfo=info, exif=_exif(), icc_profile=_ICC)
    data = buf.getvalue()
    end = data.rindex(b"IEND") - 4
    return (data[:end] + _chunk(b"prVt", b"LEAK-PRIVATE-CHUNK") + data[end:]
            + TRAILER + b"LEAK-AFTER-IEND")


def leaky_webp(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "WEBP", quality=92, exif=_exif(),
             xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>LEAK-XMP</x:xmpmeta>")
    return buf.getvalue()


def leaky_tiff(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "TIFF", tiffinfo={270: "LEAK-TIFF-DESCRIPTION", 305: "LEAK-TIFF-SOFTWARE",
                                    315: "LEAK-TIFF-ARTIST"}, exif=_exif())
    return buf.getvalue()


def _picture(seed: int = 3) -> Image.Image:
    """Something with detail, so a lossy re-encode would show."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 255, (30, 40, 3), dtype=np.uint8)
    return Image.fromarray(base).resize((400, 300), Image.Resampling.BICUBIC)


LEAKY = {
    "baseline.jpg": lambda: leaky_jpeg(_picture()),
    "progressive.jpg": lambda: leaky_jpeg(_picture(), progressive=True),
    "restarts.jpg": lambda: leaky_jpeg(_picture(), restart_marker_blocks=4),
    "cmyk.jpg": lambda: leaky_jpeg(_picture().convert("CMYK")),
    "scan.png": lambda: leaky_png(_picture()),
    "palette.png": lambda: leaky_png(_picture().convert("P")),
    "phone.webp": lambda: leaky_webp(_picture()),
    "scanner.tif": lambda: leaky_tiff(_picture()),
}
EXACT = {"baseline.jpg", "progressive.jpg", "restarts.jpg", "cmyk.jpg", "scan.png",
         "palette.png", "scanner.tif"}


def _leaks(data: bytes) -> list[bytes]:
    return [m for m in MARKERS if m in data]


def _pixels(path: Path) -> np.ndarray:
    return np.asarray(load_image(path).image, dtype=np.int16)


@pytest.mark.parametrize("name", sorted(LEAKY))
def test_a_stored_copy_keeps_the_pixels_and_nothing_else(tmp_path: Path, name: str) -> None:
    src = tmp_path / name
    src.write_bytes(LEAKY[name]())
    assert _leaks(src.read_bytes())  # the input really carries them
    clean = clean_copy(src)
    assert _leaks(clean.data) == [], name
    copy = tmp_path / f"copy{clean.suffix}"
    copy.write_bytes(clean.data)
    before, after = _pixels(src), _pixels(copy)
    assert before.shape == after.shape
    if name in EXACT:  # rebuilt, not re-encoded (or re-encoded losslessly)
        assert np.array_equal(before, after), name
    else:
        assert np.abs(before - after).mean() < 3, name


def test_a_jpeg_is_rebuilt_with_its_colour_profile(tmp_path: Path) -> None:
    src = tmp_path / "a.jpg"
    src.write_bytes(leaky_jpeg(_picture()))
    with Image.open(io.BytesIO(clean_copy(src).data)) as img:
        assert img.info.get("icc_profile") == _ICC
        assert not img.getexif() and "comment" not in img.info


def test_data_hidden_after_the_image_stream_in_idat_is_dropped(tmp_path: Path) -> None:
    """An IDAT chunk after the end of the zlib stream is ignored by decoders and would be
    copied unseen by a chunk-by-chunk rebuild: such a PNG is re-encoded instead."""
    buf = io.BytesIO()
    _picture().save(buf, "PNG")
    data = buf.getvalue()
    end = data.rindex(b"IEND") - 4
    src = tmp_path / "hidden.png"
    src.write_bytes(data[:end] + _chunk(b"IDAT", TRAILER) + data[end:])
    assert TRAILER in src.read_bytes()
    clean = clean_copy(src)
    assert TRAILER not in clean.data
    copy = tmp_path / "copy.png"
    copy.write_bytes(clean.data)
    assert np.array_equal(_pixels(src), _pixels(copy))


def _turned_jpeg_by_xmp(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=95)
    data = buf.getvalue()
    xmp = (b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><rdf:Description "
           b"tiff:Orientation=\"6\" LEAK-XMP=\"1\"/></x:xmpmeta>")
    return data[:2] + _segment(0xE1, xmp) + data[2:]


def _turned_png_by_exif(img: Image.Image) -> bytes:
    exif = _exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    img.save(buf, "PNG", exif=exif)
    return buf.getvalue()


def _turned_png_by_raw_profile(img: Image.Image) -> bytes:
    exif = _exif()
    exif[0x0112] = 6
    raw = exif.tobytes()
    info = PngImagePlugin.PngInfo()
    info.add_text("Raw profile type exif", f"\nexif\n{len(raw)}\n{raw.hex()}\n")
    buf = io.BytesIO()
    img.save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


@pytest.mark.parametrize("make", [_turned_jpeg_by_xmp, _turned_png_by_exif,
                                  _turned_png_by_raw_profile])
def test_a_rotation_held_in_metadata_is_baked_into_the_copy(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    """Pillow turns an image by EXIF, by XMP's tiff:Orientation or by ImageMagick's raw
    EXIF text; corners are recorded on the turned image, so the copy must be turned the
    same way, with the metadata gone."""
    src = tmp_path / "turned.img"
    src.write_bytes(make(_picture()))
    upright = load_image(src).image
    assert upright.size == (300, 400)  # the loader really turns it
    clean = clean_copy(src)
    assert _leaks(clean.data) == [] and b"Orientation" not in clean.data
    copy = tmp_path / f"copy{clean.suffix}"
    copy.write_bytes(clean.data)
    with Image.open(copy) as stored:
        assert stored.size == (300, 400)
    assert np.abs(_pixels(copy) - np.asarray(upright, dtype=np.int16)).mean() < 3


@pytest.fixture()
def leaky_application(tmp_path: Path) -> Path:
    """The complete sample whose every material carries metadata, plus a TIFF and a WebP."""
    folder = tmp_path / "app"
    copy_sample(SAMPLES / "complete", folder)
    materials = folder / "materials"
    for name in ("id-front.jpg", "id-back.jpg", "residence-permit.jpg", "photo.jpg"):
        pixels = Image.open(materials / name).convert("RGB")
        (materials / name).write_bytes(leaky_jpeg(pixels) if name != "id-back.jpg"
                                       else leaky_png(pixels))
    (materials / "extra.webp").write_bytes(leaky_webp(_picture()))
    (materials / "extra.tif").write_bytes(leaky_tiff(_picture()))
    raw = json.loads((folder / "application.json").read_text("utf-8"))
    raw["materials"] += [{"kind": "other", "file": "materials/extra.webp"},
                         {"kind": "other", "file": "materials/extra.tif"}]
    (folder / "application.json").write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    for path in materials.iterdir():
        assert _leaks(path.read_bytes()), path.name
    return folder / "application.json"


def test_nothing_reaches_the_archive_or_the_packet(leaky_application: Path,
                                                   tmp_path: Path) -> None:
    dest = tmp_path / "work.yibao"
    with storage.load(leaky_application) as opened:
        originals = {m.kind + str(i): _pixels(opened.base_dir / m.file)
                     for i, m in enumerate(opened.app.materials) if m.kind != "other"}
        storage.save(opened.app, opened.base_dir, dest)
    with zipfile.ZipFile(dest) as zf:
        for member in zf.namelist():
            assert _leaks(zf.read(member)) == [], member
    pdf = tmp_path / "packet.pdf"
    with storage.load(dest) as opened:
        for i, m in enumerate(opened.app.materials):
            if m.kind != "other":  # the JPEGs and the PNG were rebuilt, not re-encoded
                assert np.array_equal(_pixels(opened.base_dir / m.file),
                                      originals[m.kind + str(i)]), m.file
        build_packet(opened.app, load_profile("national"), opened.base_dir, pdf,
                     on=__import__("datetime").date(2026, 11, 25), draft=True, photo_copies=2)
    assert _leaks(pdf.read_bytes()) == []


def test_nothing_reaches_scan_and_photo_outputs(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    card = tmp_path / "card.jpg"
    card.write_bytes(leaky_jpeg(_picture().resize((1600, 1200))))
    face = tmp_path / "me.png"
    face.write_bytes(leaky_png(portrait_photo(1200)))
    outputs = [tmp_path / "scan.jpg", tmp_path / "scan.png"]
    for out in outputs:
        assert main(["scan", str(card), "-o", str(out), "--kind", "id_card_front"]) in (0, 1)
    photo, sheet = tmp_path / "photo.jpg", tmp_path / "sheet.jpg"
    assert main(["photo", str(face), "-o", str(photo), "--sheet", str(sheet)]) == 0
    capsys.readouterr()
    for out in (*outputs, photo, sheet):
        assert _leaks(out.read_bytes()) == [], out.name


def test_a_material_added_in_the_app_is_stored_clean(tmp_path: Path) -> None:
    """The desktop stores a clean copy the moment a file is added (store_clean_copy)."""
    from forms.imaging.sanitize import store_clean_copy

    src = tmp_path / "IMG_0001.jpg"
    src.write_bytes(leaky_jpeg(_picture()))
    stored = store_clean_copy(src, tmp_path / "materials")
    assert _leaks(stored.read_bytes()) == []
    assert Material(kind="other", file=f"materials/{stored.name}").file.endswith(".jpg")
