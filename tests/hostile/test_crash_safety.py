"""Kill the saving process in the middle of saves: the file on disk is always the old or the
new complete version, never corrupt, and the recovery copy always loads.

Half the kills come at random moments; the other half wait until a save's hidden temporary
file exists, so they land while the archive is being written. The child writes a progress
marker before and after each step, so every kill is known to have landed mid-save or not.
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

from forms import atomic, storage
from tests.conftest import ROOT, SAMPLES

# make test kills 4 saves (half of them mid-write); make test-all 12.
TRIALS = int(os.environ.get("YIBAO_CRASH_TRIALS", "4"))
NAMES = ["甲" * 40, "乙" * 40, "丙" * 40]  # version i carries NAMES[i % 3]

_SAVER = r"""
import json, os, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from forms import atomic, storage
base = Path({base!r})
app = storage.load(Path({sample!r})).app
dest, rec = Path({dest!r}), Path({rec!r})
names = {names!r}
marks = os.open({marks!r}, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_TRUNC, 0o600)
def mark(text):  # unbuffered: what was written before the kill is in the file
    os.write(marks, (text + "\n").encode())
i = 0
while True:
    version = app.model_copy(update={{"applicant": app.applicant.model_copy(
        update={{"name": names[i % 3]}})}})
    mark(f"saving {{i}}")
    storage.save(version, base, dest)
    mark(f"saved {{i}}")
    atomic.write_json({{"application": json.loads(version.model_dump_json())}}, rec)
    mark(f"recorded {{i}}")
    if i == 0:
        print("ready", flush=True)
    i += 1
"""


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def _kill_mid_write(proc: subprocess.Popen[str], folder: Path, rng: random.Random) -> None:
    """Wait for a save's temporary file to appear (after a random head start), then kill."""
    time.sleep(rng.uniform(0.0, 0.2))
    deadline = time.monotonic() + 30
    while not _leftovers(folder):
        assert time.monotonic() < deadline, "no save started within 30 s"
        time.sleep(0.0005)
    proc.send_signal(signal.SIGKILL)


def test_killing_a_save_never_leaves_a_corrupt_file(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    opened = storage.load(SAMPLES / "complete" / "application.json")
    for m in opened.app.materials:
        (base / m.file).parent.mkdir(parents=True, exist_ok=True)
        (base / m.file).write_bytes((opened.base_dir / m.file).read_bytes())
    dest, rec, marks = work / "work.yibao", work / "recovery.json", tmp_path / "marks.txt"
    code = _SAVER.format(root=str(ROOT), base=str(base), sample=str(
        SAMPLES / "complete" / "application.json"), dest=str(dest), rec=str(rec),
        names=NAMES, marks=str(marks))
    rng = random.Random(2026)
    mid_save = mid_write = 0
    for trial in range(TRIALS):
        for p in work.iterdir():
            p.unlink()
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                                text=True, cwd=ROOT)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        if trial % 2:
            _kill_mid_write(proc, work, rng)
        else:
            time.sleep(rng.uniform(0.0, 0.6))
            proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
        last = marks.read_text().split("\n")[-2].split()
        step, i = last[0], int(last[1])
        torn = bool(_leftovers(work))    # a temporary file outlived its writer
        mid_save += step == "saving"
        mid_write += torn
        if trial % 2:
            assert torn, f"trial {trial}: the targeted kill missed the write"
        # The archive is the last complete save or, if the kill came after the rename,
        # the one in progress; never anything else and never absent.
        finished = i if step != "saving" else i - 1
        allowed = {NAMES[finished % 3], NAMES[(finished + 1) % 3]} if step == "saving" \
            else {NAMES[finished % 3]}
        with storage.load(dest) as loaded:          # raises if corrupt or partial
            assert loaded.app.applicant.name in allowed, (trial, last)
            assert len(loaded.app.materials) == 4
        bak = dest.with_name(dest.name + ".bak")
        if finished >= 1:  # the first save had nothing to back up
            with storage.load(bak) as loaded:
                assert loaded.app.applicant.name in set(NAMES)
        recorded = i if step == "recorded" else i - 1
        kept = json.loads(rec.read_text("utf-8"))["application"]["applicant"]["name"]
        assert kept in {NAMES[recorded % 3], NAMES[(recorded + 1) % 3]}, (trial, last)
    assert mid_save >= TRIALS // 2, f"only {mid_save} of {TRIALS} kills landed mid-save"
    # A killed save may leave its hidden temporary file; the next save sweeps stale ones.
    assert mid_write >= TRIALS // 2
    for p in _leftovers(work):
        os.utime(p, (time.time() - 3600, time.time() - 3600))
    storage.save(opened.app, base, dest)
    atomic.write_json({"application": {}}, rec)
    assert _leftovers(work) == []
    print(f"\ncrash safety: {TRIALS} kills, {mid_save} mid-save, {mid_write} mid-write, "
          "every file whole")
