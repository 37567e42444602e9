"""What the analysis process hands the app: a processed card arrives with its pictures
(as JPEG, a fraction of their raw size) and receiving it loads no imaging code into the
app — OpenCV alone was 35 MB of the app's memory."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np

from forms.analysis.pipeline import PREVIEW, process_material
from forms.application import Material
from tests.support import synthetic

ROOT = Path(__file__).resolve().parents[2]
PERSON = synthetic.Person("何溦", "女", "汉", dt.date(1990, 1, 2),
                          "北京市朝阳区望京街9号1号楼1单元101", "110105199001020020")


def _processed(tmp_path: Path):  # type: ignore[no-untyped-def]
    scene = synthetic.card_scene(synthetic.real_front(PERSON, 2), 31, "table", long_side=2400)
    scene.photo.save(tmp_path / "card.jpg", quality=90)
    return process_material(Material(kind="id_card_front", file="card.jpg"), tmp_path)


def test_a_processed_card_arrives_with_its_pictures_in_a_fraction_of_the_bytes(
        tmp_path: Path) -> None:
    sent = _processed(tmp_path)
    raw = sum(len(img.tobytes()) for img in (sent.original, sent.preview))
    data = pickle.dumps(sent)
    assert len(data) < raw / 4
    got = pickle.loads(data)
    for before, after in ((sent.original, got.original), (sent.preview, got.preview)):
        assert after.size == before.size and max(after.size) == PREVIEW
        diff = np.abs(np.asarray(after, dtype=int) - np.asarray(before, dtype=int))
        assert diff.mean() < 3           # the same picture, to the eye
    assert got.thumb.size == sent.thumb.size and got.corners == sent.corners
    assert got.status == sent.status and got.auto and got.true_size


def test_receiving_a_processed_card_loads_no_imaging_code(tmp_path: Path) -> None:
    (tmp_path / "sent.pickle").write_bytes(pickle.dumps(_processed(tmp_path)))
    code = ("import json, pickle, sys; "
            "got = pickle.loads(open(sys.argv[1], 'rb').read()); "
            "print(json.dumps([got.preview.size, sorted(m for m in ('cv2', 'onnxruntime', "
            "'forms.imaging.scans', 'forms.analysis.pipeline') if m in sys.modules)]))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "sent.pickle")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    size, loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert max(size) == PREVIEW and loaded == []
