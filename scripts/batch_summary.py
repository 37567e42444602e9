"""Render the batch summary of a mixed folder (ready, incomplete, damaged, malformed,
encrypted, links out, a hostile name, a household) to docs/batch/summary-N.png, as the
README shows it: `PYTHONPATH=. python scripts/batch_summary.py`."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cli import main  # noqa: E402
from tests.forms.test_batch import _mixed_folder  # noqa: E402


def render() -> None:
    os.environ.pop("YIBAO_PASSPHRASE", None)
    dest = ROOT / "docs" / "batch"
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="yibao-batch-shot-") as tmp:
        folder = _mixed_folder(Path(tmp))
        out = Path(tmp) / "out"
        code = main(["batch", str(folder), "-o", str(out), "--on", "2026-11-25",
                     "--lang", "zh"])
        print(f"batch exited {code}", file=sys.stderr)
        for old in dest.glob("summary-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(out / "summary.pdf"),
                        str(dest / "summary")], check=True)


if __name__ == "__main__":
    render()
