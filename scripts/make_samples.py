"""Write the sample applications' material images (resources/samples/*/materials).

The applicant is fictional and every image is drawn by tests/support/synthetic.py.
Run again after changing the drawing code: `.venv/bin/python scripts/make_samples.py`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import synthetic

PERSON = synthetic.Person(
    name="李文静",
    sex="女",
    ethnicity="汉",
    birth=dt.date(1992, 3, 8),
    address="河南省郑州市中原区建设西路88号3号楼2单元501",
    id_number="410102199203080262",
)


def _save(img, path: Path) -> None:  # type: ignore[no-untyped-def]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".jpg":
        img.save(path, "JPEG", quality=88, dpi=(300, 300))
    else:
        img.save(path, "PNG", dpi=(300, 300), optimize=True)


def main() -> None:
    complete = ROOT / "resources" / "samples" / "complete" / "materials"
    _save(synthetic.id_front(PERSON), complete / "id-front.jpg")
    _save(synthetic.id_back(PERSON), complete / "id-back.jpg")
    _save(synthetic.residence_permit(PERSON, "110105202400012345", "北京市", dt.date(2030, 5, 31)),
          complete / "residence-permit.jpg")
    _save(synthetic.portrait(), complete / "photo.jpg")
    incomplete = ROOT / "resources" / "samples" / "incomplete" / "materials"
    _save(synthetic.id_front(PERSON), incomplete / "id-front.jpg")
    print(f"wrote samples under {complete.parent.parent}")


if __name__ == "__main__":
    main()
