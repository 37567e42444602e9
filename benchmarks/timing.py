"""Tiny timing helpers: repeated runs, figures printed with their unit, target, median, max
and the peak resident memory while the measured thing ran."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    """One measured figure. ``median_ms``/``max_ms``/``target_ms`` are in ``unit`` (the
    names are historical: a size row holds KB or MB there). Without an explicit unit, a
    trailing "(KB)", "(MB)" or "(%)" in the name gives it, else milliseconds."""
    name: str
    median_ms: float
    max_ms: float
    runs: int
    target_ms: float | None = None
    note: str = ""
    peak_mb: float | None = None
    unit: str = ""
    higher_is_better: bool = False
    judge_max: bool = False      # the target bounds the worst case (a stall), not the median

    def __post_init__(self) -> None:
        if not self.unit:
            found = re.search(r"\((KB|MB|%|s)\)\s*$", self.name)
            self.unit = found.group(1) if found else "ms"
        self.name = re.sub(r"\s*\((ms|KB|MB|%|s)\)\s*$", "", self.name)

    @property
    def mark(self) -> str:
        if self.target_ms is None:
            return ""
        value = self.max_ms if self.judge_max else self.median_ms
        met = (value >= self.target_ms if self.higher_is_better
               else value <= self.target_ms)
        return "ok" if met else "MISSED"


def _status(field: str) -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_of(fn: Callable[[], object]) -> float | None:
    """Peak resident memory (MB) while ``fn`` runs once: the kernel's high-water mark is
    reset first (Linux: writing 5 to /proc/self/clear_refs), so each measure reports its
    own peak though all run in one process."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return None
    fn()
    return _status("VmHWM:")


def measure(name: str, fn: Callable[[], object], *, runs: int = 200, warmup: int = 5,
            target_ms: float | None = None) -> Row:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return Row(name, statistics.median(samples), max(samples), runs, target_ms,
               peak_mb=peak_of(fn))


def _fmt(value: float) -> str:
    return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}" if abs(value) < 1000 \
        else f"{value:.0f}"


def print_table(rows: list[Row]) -> None:
    print(f"{'measure':52s} {'unit':>4s} {'median':>9s} {'max':>9s} {'runs':>4s} "
          f"{'target':>7s} {'peak MB':>7s}  mark")
    for r in rows:
        target = ("≥" if r.higher_is_better else "") + f"{r.target_ms:g}" \
            if r.target_ms is not None else "-"
        peak = f"{r.peak_mb:.0f}" if r.peak_mb is not None else "-"
        print(f"{r.name:52s} {r.unit:>4s} {_fmt(r.median_ms):>9s} {_fmt(r.max_ms):>9s} "
              f"{r.runs:4d} {target:>7s} {peak:>7s}  {r.mark:6s} {r.note}")
