"""Render the sample packet's pages (and a draft with the longest values the schema allows)
to small PNGs in docs/packet/, to look at every page as a person would.

Usage: PYTHONPATH=. python scripts/packet_pages.py [DPI]   (default 70)
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forms.packet.builder import build_packet  # noqa: E402
from forms.profiles import load_profile  # noqa: E402
from forms.storage import load  # noqa: E402
from tests.packet.longest import longest_application  # noqa: E402

ON = dt.date(2026, 11, 25)
OUT = ROOT / "docs" / "packet"


def render(pdf: Path, prefix: str, dpi: int) -> list[Path]:
    doc = pdfium.PdfDocument(str(pdf))
    paths = []
    for i in range(len(doc)):
        path = OUT / f"{prefix}-{i + 1}.png"
        doc[i].render(scale=dpi / 72).to_pil().convert("L").save(path, optimize=True)
        paths.append(path)
    return paths


def main(dpi: int = 70) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    sample = ROOT / "resources" / "samples" / "complete" / "application.json"
    with tempfile.TemporaryDirectory() as tmp, load(sample) as opened:
        profile = load_profile("national")
        a = build_packet(opened.app, profile, opened.base_dir, Path(tmp) / "a.pdf", on=ON,
                         photo_copies=2, invariant=True)
        b = build_packet(longest_application(), profile, opened.base_dir, Path(tmp) / "b.pdf",
                         on=ON, photo_copies=2, draft=True, invariant=True)
        for path in render(a.path, "sample", dpi) + render(b.path, "longest-draft", dpi):
            print(path.relative_to(ROOT), path.stat().st_size // 1024, "KB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 70)
