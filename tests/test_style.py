"""ruff's chosen rule set (pyproject.toml, [tool.ruff.lint]) holds across the code, so
make test fails on a style or likely-bug finding as it does on a broken test."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

FOLDERS = ("forms", "desktop", "cli", "tests", "benchmarks", "scripts")


def test_ruff_finds_nothing() -> None:
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *FOLDERS],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_ruff_would_catch_a_finding(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Guard the guard: the same configuration fails an unused import."""
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--config",
                           str(ROOT / "pyproject.toml"), str(bad)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "F401" in proc.stdout
