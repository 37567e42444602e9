"""`make bench`: every benchmark, one table. Figures are medians of repeated runs."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import (  # noqa: E402
    bench_desktop,
    bench_imaging,
    bench_ocr,
    bench_packet,
    bench_rules,
    bench_sealed,
    bench_verdict,
)
from benchmarks.timing import print_table  # noqa: E402

if __name__ == "__main__":
    print_table(bench_rules.rows() + bench_imaging.rows() + bench_packet.rows()
                + bench_desktop.rows() + bench_ocr.rows() + bench_sealed.rows()
                + bench_verdict.rows())
