"""Imaging on 12-megapixel phone photos: the app's thumbnail path (< 100 ms) beside
Pillow's own draft + reduce thumbnail, document straightening
(< 500 ms), portrait pipeline (< 500 ms), peak memory for one image (< 300 MB).

Inputs are generated here: a synthetic ID card photographed on a wooden table, and
scikit-image's public-domain portrait enlarged into a 4000 × 3000 frame.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from benchmarks.timing import Row, measure, print_table  # noqa: E402
from forms.analysis.pipeline import PREVIEW, THUMB, _small  # noqa: E402
from forms.imaging.documents import find_outline  # noqa: E402
from forms.imaging.loader import load_image  # noqa: E402
from forms.imaging.photos import process_photo  # noqa: E402
from forms.imaging.scans import process_scan  # noqa: E402
from forms.profiles import load_profile  # noqa: E402
from tests.forms.imaging_support import PERSON, astronaut  # noqa: E402
from tests.support import synthetic  # noqa: E402

FRAME = (4000, 3000)


def make_inputs(folder: Path) -> tuple[Path, Path]:
    rng = np.random.default_rng(12)
    card = synthetic.id_front(PERSON).resize((2600, 1640), Image.Resampling.LANCZOS)
    bg = synthetic.texture("wood", FRAME, 12)
    quad = synthetic.random_quad(rng, FRAME, 85.6 / 54, fill=0.65)
    doc = folder / "card-12mp.jpg"
    synthetic.save_with_orientation(synthetic.degrade(synthetic.photograph(card, bg, quad), rng),
                                    doc, 1, quality=90)
    face = astronaut().resize((2400, 2400), Image.Resampling.LANCZOS)
    frame = Image.new("RGB", FRAME, (235, 232, 228))
    frame.paste(face, (800, 300))
    person = folder / "portrait-12mp.jpg"
    frame.save(person, "JPEG", quality=90)
    return doc, person


def app_thumbnail(path: Path) -> Image.Image:
    """What the desktop runs to show a file it was given (forms.analysis.pipeline): a
    draft decode of about a megapixel for the preview, then the list icon from it."""
    preview = _small(load_image(path, need_pixels=PREVIEW * PREVIEW).image, PREVIEW)
    return _small(preview, THUMB)


def pillow_thumbnail(path: Path) -> Image.Image:
    """The baseline: Pillow's own thumbnail, which drafts the JPEG decode to the box and
    reduces before resampling (reducing_gap)."""
    with Image.open(path) as img:
        img.thumbnail((THUMB, THUMB), Image.Resampling.LANCZOS, reducing_gap=2.0)
        return img.convert("RGB")


_PEAK = """
import sys


def hwm():  # VmHWM starts afresh with the new process image; ru_maxrss would not
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024


sys.path.insert(0, {root!r})
from forms.imaging.scans import process_scan
from forms.imaging.photos import process_photo
from forms.profiles import load_profile
import datetime as dt
base = hwm()
if {what!r} == "scan":
    process_scan({path!r}, "id_card_front")
else:
    card = load_profile("national").photos.card_photo.value_at(dt.date(2026, 11, 25))
    process_photo({path!r}, "sscard", card=card, whiten=True)
print(base, hwm())
"""


def peak_memory(what: str, path: Path) -> tuple[float, float]:
    """(RSS after imports, peak RSS) in MB, in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", _PEAK.format(root=str(ROOT), what=what,
                                                             path=str(path))],
                         capture_output=True, text=True, check=True, timeout=300)
    base, peak = (float(v) for v in out.stdout.split())
    return base, peak


def rows() -> list[Row]:
    card_spec = load_profile("national").photos.card_photo.value_at(dt.date(2026, 11, 25))
    with tempfile.TemporaryDirectory() as tmp:
        doc, person = make_inputs(Path(tmp))
        ours = measure(f"thumbnail {THUMB} px of a 12-MP JPEG, the app's path",
                       lambda: app_thumbnail(doc), runs=15, target_ms=100)
        pillow = measure("  baseline: Pillow thumbnail() (draft + reduce)",
                         lambda: pillow_thumbnail(doc), runs=15)
        ours.note = (f"{ours.median_ms / pillow.median_ms:.1f}x Pillow's time (the app also "
                     f"keeps a {PREVIEW}-px preview)")
        loaded = Image.open(doc).convert("RGB")
        out = [
            ours, pillow,
            measure("find document outline (decoded 12 MP)",
                    lambda: find_outline(loaded, 85.6 / 54), runs=10),
            measure("straighten: load + find + warp + checks", lambda: process_scan(
                doc, "id_card_front"), runs=8, target_ms=500),
            measure("portrait pipeline, card photo (12 MP)", lambda: process_photo(
                person, "sscard", card=card_spec), runs=8, target_ms=500),
            measure("  same, with background whitening", lambda: process_photo(
                person, "sscard", card=card_spec, whiten=True), runs=5),
        ]
        for what, path in (("scan", doc), ("photo", person)):
            base, peak = peak_memory(what, path)
            row = Row(f"peak memory, {what} of one 12-MP image (MB)", peak, peak, 1,
                      target_ms=300, note=f"{peak - base:.0f} MB above the {base:.0f} MB "
                      "after imports")
            out.append(row)
        return out


if __name__ == "__main__":
    print_table(rows())
