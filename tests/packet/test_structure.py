"""The packet read back: A4, fonts embedded, Chinese extractable, images at true size."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import NameObject

from forms.analysis.cache import cache_for
from forms.packet.builder import PacketResult
from tests.packet.pdfread import placed_images

A4_MM = (210.0, 297.0)
TOLERANCE_MM = 0.3


def _reader(packet: PacketResult) -> PdfReader:
    return PdfReader(str(packet.path))


def test_every_page_is_a4(packet: PacketResult) -> None:
    reader = _reader(packet)
    assert len(reader.pages) == packet.pages >= 5
    for page in reader.pages:
        w, h = float(page.mediabox.width) * 25.4 / 72, float(page.mediabox.height) * 25.4 / 72
        assert abs(w - A4_MM[0]) < 0.5 and abs(h - A4_MM[1]) < 0.5


def test_every_font_is_embedded(packet: PacketResult) -> None:
    fonts = {}
    for page in _reader(packet).pages:
        for name, ref in page["/Resources"].get("/Font", {}).items():
            fonts[name] = ref.get_object()
    assert fonts
    for font in fonts.values():
        descriptor = font.get("/FontDescriptor")
        if descriptor is None:  # a composite font: look at its descendant
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        descriptor = descriptor.get_object()
        assert any(NameObject(k) in descriptor for k in ("/FontFile", "/FontFile2",
                                                         "/FontFile3")), font


def test_chinese_text_is_extractable(packet: PacketResult) -> None:
    text = "".join(page.extract_text() for page in _reader(packet).pages)
    for needle in ("李文静", "姓名", "参保信息汇总表", "第 1 页 / 共",
                   "仅供办理医疗保险参保登记使用", "中华人民共和国社会保险法",
                   "410102199203080262"):
        assert needle in text, needle
    assert "草稿" not in text


def test_id_copies_are_true_size(packet: PacketResult) -> None:
    images = placed_images(packet.path)
    cards = [i for i in images if abs(i.width_mm - 85.6) < 2 and abs(i.height_mm - 54) < 2]
    assert len(cards) >= 3  # both sides of the ID and the residence permit
    for card in cards:
        assert abs(card.width_mm - 85.6) <= TOLERANCE_MM
        assert abs(card.height_mm - 54.0) <= TOLERANCE_MM
    id_page = cards[0].page
    assert [c.page for c in cards[:2]] == [id_page, id_page]  # both sides on one page


def test_photos_are_one_inch(packet: PacketResult) -> None:
    photos = [i for i in placed_images(packet.path) if abs(i.width_mm - 25) < 2]
    assert len(photos) == 2
    for p in photos:
        assert abs(p.width_mm - 25.0) <= TOLERANCE_MM and abs(p.height_mm - 35.0) <= TOLERANCE_MM


def test_images_are_at_print_resolution_not_camera_resolution(packet: PacketResult) -> None:
    for img in placed_images(packet.path):
        dpi_x = img.pixels[0] / (img.width_mm / 25.4)
        assert 250 <= dpi_x <= 330, (img.name, dpi_x)
        assert img.filters == ["/DCTDecode"]  # JPEG as encoded once, no text wrapping


def test_embedded_images_carry_no_metadata(packet: PacketResult) -> None:
    for img in placed_images(packet.path):
        assert img.data[:2] == b"\xff\xd8"
        assert b"Exif" not in img.data[:4096] and b"http://ns.adobe.com/xap" not in img.data


def test_metadata_names_no_id_number(packet: PacketResult) -> None:
    meta = _reader(packet).metadata or {}
    joined = " ".join(str(v) for v in meta.values())
    assert "410102199203080262" not in joined and "李文静" not in joined
    assert "北京市" in joined


def test_same_input_gives_the_same_bytes(packet: PacketResult, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from forms.packet.builder import build_packet
    from forms.profiles import load_profile
    from forms.storage import load
    from tests.conftest import SAMPLES
    from tests.packet.conftest import ON

    again = tmp_path / "again.pdf"
    with load(SAMPLES / "complete" / "application.json") as opened:
        build_packet(opened.app, load_profile("national"), opened.base_dir, again, on=ON,
                     photo_copies=2, invariant=True, analyses=cache_for(opened))
    assert again.read_bytes() == packet.path.read_bytes()
    PdfReader(io.BytesIO(again.read_bytes()))
