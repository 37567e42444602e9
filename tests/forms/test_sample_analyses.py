"""The analyses shipped beside each sample are what the pipelines find today.

They make opening a sample instant and let the tests share one reading of each sample
photo; if they drifted from the pipelines, every test that opens a sample would check
yesterday's readings. When this fails, run `PYTHONPATH=. python scripts/sample_analyses.py`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from forms.analysis.cache import cache_file, read_cache_file
from forms.analysis.compute import analyse_all
from forms.storage import load
from tests.conftest import SAMPLES

FOLDERS = sorted(p.name for p in SAMPLES.iterdir() if (p / "application.json").is_file())


def _close(a: Any, b: Any, path: str = "") -> list[str]:
    """Where ``a`` and ``b`` differ; scores may differ by float noise between machines."""
    if isinstance(a, float) or isinstance(b, float):
        # a score within 0.02; an outline's corner (source pixels) within a pixel
        ok = isinstance(a, int | float) and isinstance(b, int | float) and \
            math.isclose(a, b, abs_tol=1.0 if ".outline" in path else 0.02)
        return [] if ok else [f"{path}: {a!r} != {b!r}"]
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{path}: keys {sorted(a)} != {sorted(b)}"]
        return [d for k in a for d in _close(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in _close(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


@pytest.mark.parametrize("folder", FOLDERS)
def test_shipped_analyses_match_a_fresh_analysis(folder: str) -> None:
    app_json = SAMPLES / folder / "application.json"
    shipped = read_cache_file(cache_file(app_json))
    with load(app_json) as opened:
        fresh, _ = analyse_all(opened.app, opened.base_dir, {})
        present = [m for m in opened.app.materials if (opened.base_dir / m.file).is_file()]
        assert present and len(present) == len(fresh)
    assert {a.key for a in fresh.values()} == set(shipped), \
        "a sample file or its setup changed: run scripts/sample_analyses.py"
    for name, analysis in fresh.items():
        diffs = _close(shipped[analysis.key].model_dump(mode="json"),
                       analysis.model_dump(mode="json"))
        assert not diffs, f"{Path(name).name}: {diffs} — run scripts/sample_analyses.py"
