"""Rules check of a full application (target: under 5 ms), run with `make bench`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.timing import Row, measure, print_table  # noqa: E402
from forms import idnumbers  # noqa: E402
from forms.application import Application  # noqa: E402
from forms.profiles import load_profile  # noqa: E402
from forms.profiles.loader import load_profile_from, profiles_dir  # noqa: E402
from forms.rules import run  # noqa: E402

SAMPLE = ROOT / "resources" / "samples" / "complete"
ON = dt.date(2026, 11, 25)


def rows() -> list[Row]:
    app = Application.model_validate_json((SAMPLE / "application.json").read_text("utf-8"))
    national, beijing = load_profile("national"), load_profile("beijing")
    return [
        measure("rules check, full application (national)", lambda: run(app, national, ON),
                target_ms=5),
        measure("rules check + material file checks", lambda: run(app, beijing, ON,
                                                                   base_dir=SAMPLE), target_ms=5),
        measure("ID number parse", lambda: idnumbers.parse("410102199203080262", today=ON),
                runs=2000),
        measure("profile load from disk (beijing, uncached)",
                lambda: load_profile_from(profiles_dir() / "beijing.yaml"), runs=30),
    ]


if __name__ == "__main__":
    print_table(rows())
