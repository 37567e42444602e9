"""Kill the saving process at random moments: the file on disk is always the old or the new
complete version, never corrupt, and the recovery copy always loads.
YIBAO_CRASH_TRIALS raises the number of kills."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from forms import storage
from tests.conftest import ROOT, SAMPLES

TRIALS = int(os.environ.get("YIBAO_CRASH_TRIALS", "12"))

_SAVER = r"""
import json, sys, shutil
from pathlib import Path
sys.path.insert(0, {root!r})
from forms import storage
from forms.application import Application
base = Path({base!r})
app = storage.load(Path({sample!r})).app
dest, rec = Path({dest!r}), Path({rec!r})
names = ["甲" * 40, "乙" * 40]
print("ready", flush=True)
i = 0
while True:
    version = app.model_copy(update={{"applicant": app.applicant.model_copy(
        update={{"name": names[i % 2]}})}})
    storage.save(version, base, dest)
    storage.write_json({{"application": json.loads(version.model_dump_json())}}, rec)
    i += 1
"""


def test_killing_a_save_never_leaves_a_corrupt_file(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    opened = storage.load(SAMPLES / "complete" / "application.json")
    for m in opened.app.materials:
        (base / m.file).parent.mkdir(parents=True, exist_ok=True)
        (base / m.file).write_bytes((opened.base_dir / m.file).read_bytes())
    dest, rec = tmp_path / "work.yibao", tmp_path / "recovery.json"
    code = _SAVER.format(root=str(ROOT), base=str(base), sample=str(
        SAMPLES / "complete" / "application.json"), dest=str(dest), rec=str(rec))
    rng = random.Random(2026)
    names = {"甲" * 40, "乙" * 40}
    kills = 0
    for _ in range(TRIALS):
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                                text=True, cwd=ROOT)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        kills += 1
        if dest.exists():
            with storage.load(dest) as loaded:       # raises if corrupt or partial
                assert loaded.app.applicant.name in names
                assert len(loaded.app.materials) == 4
        bak = dest.with_name(dest.name + ".bak")
        if bak.exists():
            with storage.load(bak) as loaded:
                assert loaded.app.applicant.name in names
        if rec.exists():
            assert json.loads(rec.read_text("utf-8"))["application"]["applicant"]["name"] in names
    assert kills == TRIALS
    # A killed save may leave its hidden temporary file; the next save sweeps stale ones.
    leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    for p in leftovers:
        os.utime(p, (time.time() - 3600, time.time() - 3600))
    storage.save(opened.app, base, dest)
    storage.write_json({"application": {}}, rec)
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    print(f"\ncrash safety: {kills} kills, every file whole")
