"""The file itself: a PDF version that matches its features, printing at true size, a real
creation date unless asked for byte-stable output, every image at 300 ppi of its size."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from forms.analysis.cache import cache_for
from forms.application import Application
from forms.packet.builder import PacketResult, build_packet
from forms.profiles import load_profile
from forms.storage import load
from tests.conftest import SAMPLES
from tests.packet.conftest import ON
from tests.packet.pdfread import placed_images


def _build(dest: Path, app: Application | None = None, **kw: object) -> PacketResult:
    with load(SAMPLES / "complete" / "application.json") as opened:
        return build_packet(app or opened.app, load_profile("national"), opened.base_dir, dest,
                            on=ON, photo_copies=0, analyses=cache_for(opened),
                            **kw)  # type: ignore[arg-type]


def test_header_says_pdf_1_7_plain_and_encrypted(packet: PacketResult, tmp_path: Path) -> None:
    assert packet.path.read_bytes().startswith(b"%PDF-1.7")
    locked = _build(tmp_path / "s.pdf", password="示例密码-2026")
    assert locked.path.read_bytes().startswith(b"%PDF-1.7")
    reader = PdfReader(str(locked.path))
    assert reader.decrypt("示例密码-2026")
    prefs = reader.trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/PrintScaling"] == "/None"


def test_printers_are_told_not_to_scale(packet: PacketResult) -> None:
    prefs = PdfReader(str(packet.path)).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/PrintScaling"] == "/None"


def test_creation_date_is_real_unless_invariant(packet: PacketResult, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    fixed = PdfReader(str(packet.path)).metadata
    assert fixed is not None and str(fixed["/CreationDate"]).startswith("D:2000")
    real = PdfReader(str(_build(tmp_path / "r.pdf").path)).metadata
    assert real is not None
    year = dt.date.today().year
    assert str(real["/CreationDate"]).startswith(f"D:{year}")


def test_a_page_fitted_to_the_frame_is_300_ppi(tmp_path: Path) -> None:
    """An A4 page scanned at 400 dpi, fitted into the page's frame: not more pixels than
    300 ppi of the printed size (the old packet embedded 362 ppi)."""
    raw = json.loads((SAMPLES / "complete" / "application.json").read_text("utf-8"))
    with load(SAMPLES / "complete" / "application.json") as opened:
        base, shipped = opened.base_dir, cache_for(opened)
    page = Image.new("RGB", (3307, 4677), (252, 252, 250))
    ImageDraw.Draw(page).rectangle((300, 300, 3000, 700), fill=(30, 30, 30))
    notes = tmp_path / "notes.png"
    page.save(notes, dpi=(400, 400))
    raw["materials"].append({"kind": "other", "file": str(notes)})
    app = Application.model_validate(raw)
    result = build_packet(app, load_profile("national"), base, tmp_path / "o.pdf", on=ON,
                          photo_copies=2, analyses=shipped)
    images = placed_images(result.path)
    assert len(images) >= 6
    for img in images:
        ppi = img.pixels[0] / (img.width_mm / 25.4), img.pixels[1] / (img.height_mm / 25.4)
        assert all(297 <= v <= 303 for v in ppi), (img.name, ppi, img.width_mm)


def test_rendered_copies_measure_their_true_size(packet: PacketResult) -> None:
    """What a printer at 100 % makes of the ID page: each card 85.6 × 54 mm on paper."""
    import numpy as np
    import pypdfium2 as pdfium

    cards = [i for i in placed_images(packet.path)
             if abs(i.width_mm - 85.6) < 0.5 and abs(i.height_mm - 54) < 0.5][:2]
    page = pdfium.PdfDocument(str(packet.path))[cards[0].page - 1]
    dpi = 300
    gray = np.asarray(page.render(scale=dpi / 72).to_pil().convert("L"))
    px = dpi / 25.4
    for card in cards:
        top = gray.shape[0] - (card.y_mm + card.height_mm) * px
        x0, y0 = round(card.x_mm * px - 1.5 * px), round(top - 1.5 * px)
        window = gray[y0:round(y0 + (card.height_mm + 3) * px),
                      x0:round(x0 + (card.width_mm + 3) * px)]
        ys, xs = np.nonzero(window < 245)
        width_mm = (xs.max() - xs.min() + 1) / px
        height_mm = (ys.max() - ys.min() + 1) / px
        assert abs(width_mm - 85.6) <= 0.3 and abs(height_mm - 54.0) <= 0.3, (width_mm,
                                                                              height_mm)
