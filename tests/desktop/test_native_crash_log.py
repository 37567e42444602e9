"""A crash inside a native library (seen once under Xvfb: "double free or corruption" while
a packet was written) ends the app with no Python traceback and nothing in the log. The
app leaves the Python stack of every thread in a private file next to its log."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

_CHILD = r"""
import ctypes, os
os.umask(0)
from desktop.errors import setup_logging
path = setup_logging()
print(path, flush=True)

def writing_the_packet():
    ctypes.string_at(0)   # what a native double free or bad pointer comes to

writing_the_packet()
"""


def test_a_native_crash_leaves_every_threads_stack_in_a_private_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("XDG_") and k != "YIBAO_DATA_DIR"}
    env.update(HOME=str(home), PYTHONPATH=str(ROOT))
    env.pop("PYTHONFAULTHANDLER", None)
    proc = subprocess.run([sys.executable, "-c", _CHILD], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0                       # it did crash
    report = Path(proc.stdout.strip().splitlines()[0]).parent / "native-crash.log"
    text = report.read_text(encoding="utf-8")
    assert "Segmentation fault" in text and "writing_the_packet" in text
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
