"""Shared test set-up. Qt must never look for a display: without one it aborts."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Local rule files in the developer's own data folder must not change what tests see.
os.environ["YIBAO_PROFILES_DIR"] = str(Path(__file__).resolve().parent / "no-local-profiles")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"
TODAY = dt.date(2026, 11, 25)  # checks run "as on" a fixed day so they do not age
# make test runs a fifth of each property test's examples; make test-all and make fuzz
# set YIBAO_THOROUGH=1 for the full counts.
THOROUGH = os.environ.get("YIBAO_THOROUGH") == "1"


def examples(full: int) -> int:
    """How many examples a property test draws in this run."""
    return full if THOROUGH else max(20, full // 5)


def first_in_make_test(values: Iterable[Any], keep: int) -> list[Any]:
    """``values`` as parameters: make test runs the first ``keep`` of them, and the rest are
    marked slow, for make test-all (generated scenes: each is a second or two of imaging,
    and the first few already hold every case the test is about)."""
    return [v if i < keep else pytest.param(v, marks=pytest.mark.slow)
            for i, v in enumerate(values)]


@pytest.fixture(scope="session", autouse=True)
def user_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data folder of the test run's own (the analysis key, settings), never the
    developer's; desktop tests take a fresh one each (tests/desktop/conftest.py). Session
    wide, so module fixtures that sign analyses use the key their tests check with."""
    folder = tmp_path_factory.mktemp("user-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("YIBAO_DATA_DIR", str(folder))
        yield folder


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """A private copy of the complete sample, free to modify, with its analyses."""
    from tests.support.shipped import copy_sample

    return copy_sample(SAMPLES / "complete", tmp_path / "complete")


@pytest.fixture(autouse=True)
def runtime_dir(tmp_path_factory: pytest.TempPathFactory,
                monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's scratch plaintext (forms.scratch) in its own folder, not the user's
    (and not inside tmp_path, which some tests expect to hold only what they wrote)."""
    folder = tmp_path_factory.mktemp("runtime")
    folder.chmod(0o700)
    monkeypatch.setenv("YIBAO_RUNTIME_DIR", str(folder))
    return folder
