"""Render the household sample's packet to small PNGs in docs/packet/household/ — the cover
listing the four members, then each member's pages — to look at as a person would.

Usage: PYTHONPATH=. python scripts/household_pages.py [DPI]   (default 70)
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forms.packet.household import build_household_packet  # noqa: E402
from forms.profiles import load_profile  # noqa: E402
from forms.storage import load  # noqa: E402
from scripts.packet_pages import render  # noqa: E402

ON = dt.date(2026, 11, 25)
OUT = ROOT / "docs" / "packet" / "household"


def main(dpi: int = 70) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp, \
            load(ROOT / "resources" / "samples" / "household" / "application.json") as opened:
        pdf = Path(tmp) / "household.pdf"
        result = build_household_packet(opened.app, load_profile(opened.app.profile_id),
                                        opened.base_dir, pdf, on=ON, invariant=True)
        paths = render(pdf, "household/household", dpi)
    print(f"{result.pages} pages → {OUT} ({len(paths)} PNGs)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 70)
