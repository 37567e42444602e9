"""The usage mark hides nothing: the ID page rendered at 300 dpi, each card copy cropped
and read back with the project's own OCR, in black and white as a photocopier would."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from PIL import Image

from forms.analysis.reading import read_image
from forms.ocr import engine
from forms.packet.builder import PacketResult
from forms.storage import load
from tests.conftest import SAMPLES
from tests.packet.pdfread import placed_images

DPI = 300
pytestmark = pytest.mark.skipif(not engine.available(), reason="OCR engine not installed")


def _card_copies(packet: PacketResult) -> dict[str, Image.Image]:
    """The two ID card copies as a black-and-white copier sees them."""
    cards = [i for i in placed_images(packet.path)
             if abs(i.width_mm - 85.6) < 0.5 and abs(i.height_mm - 54) < 0.5][:2]
    page = pdfium.PdfDocument(str(packet.path))[cards[0].page - 1]
    full = page.render(scale=DPI / 72).to_pil().convert("L")
    px = DPI / 25.4
    out = {}
    for kind, card in zip(("id_card_front", "id_card_back"), cards, strict=True):
        top = full.height - (card.y_mm + card.height_mm) * px
        out[kind] = full.crop((round(card.x_mm * px), round(top),
                               round((card.x_mm + card.width_mm) * px),
                               round(top + card.height_mm * px))).convert("RGB")
    return out


@pytest.fixture(scope="module")
def reads(packet: PacketResult):  # type: ignore[no-untyped-def]
    copies = _card_copies(packet)
    return {kind: read_image(img, kind) for kind, img in copies.items()}


def test_every_field_of_the_marked_front_reads_back(reads) -> None:  # type: ignore[no-untyped-def]
    with load(SAMPLES / "complete" / "application.json") as opened:
        a, h = opened.app.applicant, opened.app.hukou
    front = reads["id_card_front"]
    assert front.value("name") == a.name
    assert front.value("id_number") == a.id_number
    assert front.value("birth_date") == a.birth_date.isoformat()  # type: ignore[union-attr]
    assert h.address and front.value("address") == h.address.replace(" ", "")
    text = "".join(ln.text for ln in front.lines)
    assert "仅供办理医疗保险参保登记使用" in text  # and the mark itself is legible


def test_every_field_of_the_marked_back_reads_back(reads) -> None:  # type: ignore[no-untyped-def]
    with load(SAMPLES / "complete" / "application.json") as opened:
        a = opened.app.applicant
        source = read_image(Image.open(opened.base_dir / "materials" / "id-back.jpg")
                            .convert("RGB"), "id_card_back")
    back = reads["id_card_back"]
    assert back.value("valid_from") == a.id_valid_from.isoformat()  # type: ignore[union-attr]
    assert back.value("valid_until") == a.id_valid_until.isoformat()  # type: ignore[union-attr]
    assert back.value("authority") and back.value("authority") == source.value("authority")
    assert "公安局" in (back.value("authority") or "")
    assert "他用无效" in "".join(ln.text for ln in back.lines)


@pytest.mark.parametrize("address", ["河南省郑州市中原区建设西路88号3号楼2单元501",
                                     "湖北省武汉市洪山区珞喻路1037号7栋1单元302室附属楼东侧二层"])
def test_the_mark_moves_clear_of_a_third_address_line(address: str) -> None:
    # seen in the packet under Xvfb: the mark set across "501", the address's third line,
    # where the layout's band begins
    import datetime as dt
    import io
    from dataclasses import replace

    from forms.packet.marks import ZONES, ink_rows, quiet_zone
    from tests.support import synthetic

    person = synthetic.Person("李文静", "女", "汉", dt.date(1992, 3, 8), address,
                              "410102199203080262")
    card = synthetic.real_front(person, 5).convert("RGB")
    buf = io.BytesIO()
    card.save(buf, "JPEG", quality=90)
    ink = ink_rows(card, ZONES["id_card_front"])

    def inked(zone) -> float:  # type: ignore[no-untyped-def]
        return float(ink[round(zone.top * len(ink)):round(zone.bottom * len(ink))].sum())

    assert inked(ZONES["id_card_front"]) > 0.1       # the layout's band holds print here
    # (a stray pixel of a stroke's anti-aliasing aside) and not touching the print either:
    # half a millimetre (1 % of the card's height) clear above and below
    quiet = quiet_zone(buf.getvalue(), ZONES["id_card_front"])
    assert inked(replace(quiet, top=quiet.top - 0.01, bottom=quiet.bottom + 0.01)) < 0.01
