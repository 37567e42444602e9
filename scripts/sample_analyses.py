"""Write the analyses that ship beside each sample (``resources/samples/*/.yibao-cache``).

Opening a sample in the app or running ``check`` on it then shows its readings at once,
as after a first check, and the test suite does not read the same sample photos again in
every test. tests/forms/test_sample_analyses.py fails when a shipped analysis no longer
matches what the pipelines find; run this to bring them up to date:
`PYTHONPATH=. python scripts/sample_analyses.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forms.analysis.cache import cache_file, write_cache_file  # noqa: E402
from forms.analysis.compute import analyse_all  # noqa: E402
from forms.storage import load  # noqa: E402

SAMPLES = ROOT / "resources" / "samples"


def refresh(sample: Path) -> int:
    """Analyse every material of ``sample`` afresh and write its cache; how many."""
    app_json = sample / "application.json"
    with load(app_json) as opened:
        found, _fresh = analyse_all(opened.app, opened.base_dir, {})
    target = cache_file(app_json)
    if not write_cache_file(target, found.values(), sign=False):
        raise SystemExit(f"could not write {target}")
    return len(found)


if __name__ == "__main__":
    for folder in sorted(p for p in SAMPLES.iterdir() if (p / "application.json").is_file()):
        print(f"{folder.name}: {refresh(folder)} analyses")
