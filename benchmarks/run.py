"""`make bench`: every benchmark, one table. ``--only packet,imaging`` runs just those
modules (the machine is shared: re-run only what changed). The load average is printed
with the table, since a busy machine's wall times say as much about it as about the code."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.timing import Row, print_table

MODULES = ("rules", "imaging", "packet", "desktop", "ocr", "sealed", "verdict", "batch")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="", help="comma-separated: " + ", ".join(MODULES))
    args = parser.parse_args(argv)
    chosen = [m.strip() for m in args.only.split(",") if m.strip()] or list(MODULES)
    unknown = [m for m in chosen if m not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {', '.join(unknown)}; choose from {', '.join(MODULES)}")
    before = os.getloadavg()
    rows: list[Row] = []
    for name in chosen:
        rows += importlib.import_module(f"benchmarks.bench_{name}").rows()
    after = os.getloadavg()
    print_table(rows)
    print(f"\nload average (1/5/15 min) before {before[0]:.1f}/{before[1]:.1f}/{before[2]:.1f}, "
          f"after {after[0]:.1f}/{after[1]:.1f}/{after[2]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
