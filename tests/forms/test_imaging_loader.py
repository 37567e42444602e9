"""Loading anything a phone or scanner makes — and refusing clearly what cannot serve."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from forms.analysis.pipeline import PREVIEW, THUMB, process_material
from forms.application import Material
from forms.errors import ImageUnusable
from forms.imaging.loader import load_image
from forms.messages import render_error
from tests.forms.imaging_support import card_photo, save
from tests.support import synthetic


@pytest.fixture(scope="module")
def picture() -> Image.Image:
    return card_photo(3, frame=(800, 600))[0]


@pytest.mark.parametrize(("fmt", "name"), [
    ("JPEG", "photo.png"), ("PNG", "scan.jpg"), ("WEBP", "x.webp"), ("TIFF", "x.tif"),
    ("BMP", "x"), ("HEIF", "IMG_0001.HEIC"),
])
def test_type_comes_from_content_not_name(tmp_path: Path, picture: Image.Image, fmt: str,
                                          name: str) -> None:
    path = save(picture, tmp_path / name, fmt)
    loaded = load_image(path)
    assert loaded.image.mode == "RGB" and loaded.image.size == picture.size
    assert loaded.kind == {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp", "TIFF": "tiff",
                           "BMP": "bmp", "HEIF": "heif"}[fmt]


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_comes_out_upright(tmp_path: Path, orientation: int) -> None:
    card = synthetic.id_front(synthetic.Person("甲", "男", "汉", __import__("datetime").date(
        1990, 1, 1), "某地", "110105199001011234")).resize((505, 319))
    path = tmp_path / "o.jpg"
    synthetic.save_with_orientation(card, path, orientation)
    loaded = load_image(path)
    assert loaded.image.size == (505, 319)
    arr = np.asarray(loaded.image).astype(int)
    corner = arr[10:45, 10:45]   # the red mark must be top-left again
    assert (corner[..., 0] - corner[..., 1]).mean() > 60
    assert loaded.full_size == (505, 319)


def test_cmyk_becomes_rgb(tmp_path: Path, picture: Image.Image) -> None:
    path = save(picture.convert("CMYK"), tmp_path / "c.jpg")
    img = load_image(path).image
    assert img.mode == "RGB"
    diff = np.abs(np.asarray(img).astype(int) - np.asarray(picture).astype(int)).mean()
    assert diff < 25


def test_sixteen_bit_greyscale_keeps_its_range(tmp_path: Path) -> None:
    ramp = (np.tile(np.linspace(0, 65535, 300), (200, 1))).astype(np.uint16)
    path = tmp_path / "g16.png"
    Image.fromarray(ramp).save(path)  # uint16 -> a 16-bit greyscale PNG
    arr = np.asarray(load_image(path).image)
    assert arr.shape == (200, 300, 3)
    assert arr[:, 0].max() < 5 and arr[:, -1].min() > 250   # not clipped to white


def test_transparency_is_put_on_white(tmp_path: Path) -> None:
    rgba = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    rgba.paste((200, 0, 0, 255), (100, 50, 200, 150))
    path = save(rgba, tmp_path / "a.png", "PNG")
    arr = np.asarray(load_image(path).image)
    assert tuple(arr[5, 5]) == (255, 255, 255) and tuple(arr[100, 150]) == (200, 0, 0)
    pal = rgba.convert("P")
    pal.info["transparency"] = 0
    arr = np.asarray(load_image(save(pal, tmp_path / "p.png", "PNG")).image)
    assert arr.shape == (200, 300, 3)


def _pdf(path: Path, pages: int, password: str | None = None) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    kw = {}
    if password:
        from reportlab.lib import pdfencrypt

        kw["encrypt"] = pdfencrypt.StandardEncryption(password, canModify=0)
    c = canvas.Canvas(str(path), pagesize=A4, **kw)
    card = synthetic.id_back(synthetic.Person("甲", "男", "汉", __import__("datetime").date(
        1990, 1, 1), "某地", "110105199001011234"))
    for _ in range(pages):
        c.drawImage(ImageReader(card), 100, 500, width=243, height=153)
        c.showPage()
    c.save()
    return path


def test_pdf_pages_render_at_print_resolution(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.pdf", 2)
    loaded = load_image(path, page=1)
    assert loaded.kind == "pdf" and loaded.pages == 2
    w, h = loaded.image.size
    assert abs(w - 2480) <= 1 and abs(h - 3508) <= 1  # A4 at 300 dpi


@pytest.mark.parametrize(("make", "reason"), [
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_text("just some text, not a picture"), "not_image"),
    (lambda p: p.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 50), "corrupt"),
    (lambda p: _pdf(p, 1, password="secret"), "pdf_encrypted"),
    (lambda p: p.write_bytes(b"%PDF-1.4\n garbage"), "corrupt"),
    (lambda p: Image.new("RGB", (80, 60)).save(p, "PNG"), "too_small"),
])
def test_bad_inputs_get_a_reason(tmp_path: Path, make, reason: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "input.jpg"
    make(path)
    with pytest.raises(ImageUnusable) as info:
        load_image(path)
    assert info.value.params["reason"] == reason
    for lang in ("zh", "en"):
        text = render_error(info.value, lang)
        assert "input.jpg" in text and "?" not in text and "{" not in text


def test_truncated_jpeg(tmp_path: Path, picture: Image.Image) -> None:
    buf = io.BytesIO()
    picture.save(buf, "JPEG")
    path = tmp_path / "cut.jpg"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(ImageUnusable) as info:
        load_image(path)
    assert info.value.params["reason"] == "truncated"


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(
        b"IEND", b"")


def test_decompression_bomb_is_refused_from_the_header(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header(100_000, 100_000))   # 10 gigapixels declared, 1 KB on disk
    tracemalloc.start()
    with pytest.raises(ImageUnusable) as info:
        load_image(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert info.value.params["reason"] == "too_many_pixels"
    assert info.value.params["megapixels"] == 10_000   # what the header declares, not 0
    assert peak < 20 * 1024 * 1024


def test_a_12_megapixel_thumbnail_is_decoded_at_reduced_scale(tmp_path: Path) -> None:
    big = Image.fromarray(np.random.default_rng(0).integers(0, 255, (3000, 4000, 3),
                                                            dtype=np.uint8))
    path = save(big, tmp_path / "big.jpg", quality=85)
    loaded = load_image(path, need_pixels=512 ** 2)
    assert loaded.scale <= 0.25 and loaded.full_size == (4000, 3000)
    shown = process_material(Material(kind="other", file="big.jpg"), tmp_path)  # the app's path
    assert shown.thumb is not None and max(shown.thumb.size) == THUMB
    assert shown.original_size == (4000, 3000) and shown.original is not None
    assert max(shown.original.size) == PREVIEW


def test_a_folder_or_missing_file_is_unusable(tmp_path: Path) -> None:
    with pytest.raises(ImageUnusable):
        load_image(tmp_path)
    with pytest.raises(ImageUnusable):
        load_image(tmp_path / "nope.jpg")


def test_an_unreadable_file_is_reported_not_crashed(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = save(Image.new("RGB", (300, 300)), tmp_path / "locked.jpg")
    real_open = Path.open

    def denied(self: Path, *args: object, **kw: object):  # type: ignore[no-untyped-def]
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(ImageUnusable) as info:
        load_image(path)
    assert info.value.params["reason"] == "io"
    assert "Permission denied" in render_error(info.value, "en")


@pytest.mark.parametrize(("size", "reason"), [
    ((120, 2401), "too_elongated"), ((2401, 120), "too_elongated"), ((120, 2400), None),
])
def test_shapes_longer_than_any_document_are_refused(tmp_path: Path, size: tuple[int, int],
                                                     reason: str | None) -> None:
    path = tmp_path / "strip.png"
    Image.new("L", size, 255).save(path)
    if reason is None:
        assert load_image(path).image.size == size
        return
    with pytest.raises(ImageUnusable) as info:
        load_image(path)
    assert info.value.params["reason"] == reason
    assert "2401" in render_error(info.value, "en") and "2401" in render_error(info.value, "zh")


def test_a_later_tiff_page_is_checked_too(tmp_path: Path) -> None:
    path = tmp_path / "two.tif"
    Image.new("RGB", (600, 800), "white").save(
        path, save_all=True, append_images=[Image.new("RGB", (130, 4000), "white")])
    assert load_image(path).image.size == (600, 800)
    with pytest.raises(ImageUnusable) as info:
        load_image(path, page=1)
    assert info.value.params["reason"] == "too_elongated"


@pytest.mark.parametrize(("points", "reason"), [
    ((1, 100_000), "too_elongated"), ((100_000, 2), "too_elongated"), ((20, 20), "too_small"),
])
def test_a_pdf_page_is_judged_by_its_size_before_rendering(tmp_path: Path,
                                                           points: tuple[float, float],
                                                           reason: str) -> None:
    from tests.hostile.corpus import blank_pdf

    path = tmp_path / "page.pdf"
    path.write_bytes(blank_pdf(*points))
    with pytest.raises(ImageUnusable) as info:
        load_image(path)
    assert info.value.params["reason"] == reason


def test_a_strip_is_padded_before_text_detection() -> None:
    """The detector scales the short side up to 736 px; a strip is padded to 1:2 first."""
    from forms.ocr.engine import MAX_ASPECT, MAX_SIDE, bounded

    img, (w, h) = bounded(Image.new("RGB", (84, 1689), "white"))
    assert (w, h) == (84, 1689) and img.size == (845, 1689)
    img, (w, h) = bounded(Image.new("RGB", (6000, 300), "white"))
    assert max(img.size) == MAX_SIDE and img.size[0] / img.size[1] <= MAX_ASPECT
    assert (w, h) == (2000, 100)


def test_a_png_declaring_too_many_pixels_is_not_stored(tmp_path: Path) -> None:
    # a PNG's chunks are copied as they are, without a decode: before, such a file went
    # into the workspace and took the place of the card it was to replace
    from forms.imaging.sanitize import store_clean_copy

    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header(60_000, 60_000))
    folder = tmp_path / "materials"
    with pytest.raises(ImageUnusable) as info:
        store_clean_copy(path, folder)
    assert info.value.params["reason"] == "too_many_pixels"
    assert info.value.params["megapixels"] == 3_600
    assert not folder.exists() or not any(folder.iterdir())
