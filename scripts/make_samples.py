"""Write the sample applications' material images (resources/samples/*/materials).

The applicant is fictional and the cards are drawn by tests/support/synthetic.py, then
"photographed" on a table at a slight angle, as a phone would, so the samples exercise
the straightening. The portrait is NASA's public-domain photo of Eileen Collins, which
scikit-image bundles. Run again after changing the drawing code:
`.venv/bin/python scripts/make_samples.py`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import synthetic  # noqa: E402

PERSON = synthetic.Person(
    name="李文静",
    sex="女",
    ethnicity="汉",
    birth=dt.date(1992, 3, 8),
    address="河南省郑州市中原区建设西路88号3号楼2单元501",
    id_number="410102199203080262",
)


def on_table(card: Image.Image, seed: int) -> Image.Image:
    """The card at about 400 dpi, lying slightly askew on a wooden table."""
    rng = np.random.default_rng(seed)
    big = card.resize((1350, round(1350 * card.height / card.width)), Image.Resampling.LANCZOS)
    table = synthetic.texture("wood", (2000, 1500), seed)
    quad = synthetic.random_quad(rng, table.size, 85.6 / 54, fill=0.68, max_rotation=6,
                                 max_skew=0.03)
    return synthetic.degrade(synthetic.photograph(big, table, quad), rng, noise=3)


def portrait() -> Image.Image:
    from importlib.resources import files

    src = Image.open(str(files("skimage") / "data" / "astronaut.png")).convert("RGB")
    return src.crop((96, 0, 416, 400)).resize((960, 1200), Image.Resampling.LANCZOS)


def _save(img: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", quality=88)


def main() -> None:
    complete = ROOT / "resources" / "samples" / "complete" / "materials"
    _save(on_table(synthetic.id_front(PERSON), 1), complete / "id-front.jpg")
    _save(on_table(synthetic.id_back(PERSON), 2), complete / "id-back.jpg")
    permit = synthetic.residence_permit(PERSON, "110105202400012345", "北京市",
                                        dt.date(2030, 5, 31))
    _save(on_table(permit, 3), complete / "residence-permit.jpg")
    _save(portrait(), complete / "photo.jpg")
    incomplete = ROOT / "resources" / "samples" / "incomplete" / "materials"
    _save(on_table(synthetic.id_front(PERSON), 1), incomplete / "id-front.jpg")
    print(f"wrote samples under {complete.parent.parent}")


if __name__ == "__main__":
    main()
