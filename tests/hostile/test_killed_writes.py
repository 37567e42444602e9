"""A run killed while writing (SIGKILL: no handler runs) leaves its temporary beside the
target, full of personal data. The next start of the program removes it, even when that
start never writes to the same name."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT

WRITER = """
import sys, time
from pathlib import Path
from forms.atomic import write_atomically

def write(out):
    out.write("公民身份号码 11010519491231002X".encode() * 1000)
    out.flush()
    print("writing", flush=True)
    time.sleep(600)

write_atomically(Path(sys.argv[1]), write)
"""


CLI = [sys.executable, "-c", "import sys; from cli import main; sys.exit(main(sys.argv[1:]))"]


def _env(run: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "YIBAO_RUNTIME_DIR": str(run)}


def test_the_next_start_removes_what_a_killed_write_left(tmp_path: Path) -> None:
    run, out = tmp_path / "run", tmp_path / "out"
    out.mkdir()
    dest = out / "李文静.pdf"
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(dest)], env=_env(run),
                             stdout=subprocess.PIPE, cwd=ROOT)
    try:
        assert child.stdout is not None
        ready, _, _ = select.select([child.stdout], [], [], 120)
        assert ready and child.stdout.readline().strip() == b"writing"
        left = list(out.glob(".李文静.pdf.*.tmp"))
        assert len(left) == 1 and left[0].stat().st_size > 0
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    time.sleep(0.01)
    assert list(out.glob(".*.tmp")), "the kill landed mid-write"
    # The next start: any command sweeps first.
    started = subprocess.run([*CLI, "profiles"], env=_env(run),
                             cwd=ROOT, capture_output=True, timeout=120)
    assert started.returncode == 0, started.stderr
    assert list(out.iterdir()) == [], "the half-written temporary is gone, nothing else made"


def test_a_live_writer_keeps_its_temporary(tmp_path: Path) -> None:
    """The sweep of a second program never removes a file another live run is writing."""
    run, out = tmp_path / "run", tmp_path / "out"
    out.mkdir()
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(out / "a.pdf")],
                             env=_env(run), stdout=subprocess.PIPE, cwd=ROOT)
    try:
        assert child.stdout is not None
        ready, _, _ = select.select([child.stdout], [], [], 120)
        assert ready and child.stdout.readline().strip() == b"writing"
        subprocess.run([*CLI, "profiles"], env=_env(run), cwd=ROOT,
                       capture_output=True, timeout=120, check=True)
        assert len(list(out.glob(".a.pdf.*.tmp"))) == 1
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
