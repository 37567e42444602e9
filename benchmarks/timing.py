"""Tiny timing helpers: medians of repeated runs, figures printed with their targets."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    name: str
    median_ms: float
    p95_ms: float
    runs: int
    target_ms: float | None = None
    note: str = ""
    peak_mb: float | None = None

    @property
    def mark(self) -> str:
        if self.target_ms is None:
            return ""
        return "ok" if self.median_ms <= self.target_ms else "MISSED"


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
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return Row(name, statistics.median(samples), p95, runs, target_ms, peak_mb=peak_of(fn))


def print_table(rows: list[Row]) -> None:
    print(f"{'measure':48s} {'median':>10s} {'p95':>9s} {'runs':>5s} {'target':>8s} "
          f"{'peak MB':>8s}  mark")
    for r in rows:
        target = f"{r.target_ms:g}" if r.target_ms is not None else "-"
        peak = f"{r.peak_mb:.0f}" if r.peak_mb is not None else "-"
        print(f"{r.name:48s} {r.median_ms:10.3f} {r.p95_ms:9.3f} {r.runs:5d} {target:>8s} "
              f"{peak:>8s}  {r.mark:6s} {r.note}")
