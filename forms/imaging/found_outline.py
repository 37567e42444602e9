"""A document scanned again along the outline an earlier analysis found and trusted.

The outline search is most of the work of straightening a card photo (0.3-0.8 s of a
12-MP photo's ~1 s). An analysis keeps the outline it trusted (forms.analysis.model), so
reopening an application, switching pages and printing the packet straighten along it
instead of searching the same bytes again. It is a hint read from files others may have
written: one that does not fit inside the image is dropped and the photo searched afresh.
Corners the user set by hand always win.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from forms.errors import BadArgument
from forms.imaging.scans import ScanResult, process_scan


@dataclass(frozen=True)
class Found:
    """An outline found automatically before, and the detector's score for it."""

    corners: Sequence[tuple[float, float]]
    confidence: float | None


def scan_along(path: Path, kind: str, *, corners: Sequence[Sequence[float]] | None,
               page: int = 0, rotate: int = 0, found: Found | None = None) -> ScanResult:
    """:func:`forms.imaging.scans.process_scan`, along ``found`` when there are no corners
    by hand; the result says "found automatically", with the score it had."""
    if corners is None and found is not None:
        try:
            result = process_scan(path, kind, corners=[tuple(c) for c in found.corners],
                                  page=page, rotate=rotate)
        except BadArgument as exc:
            if exc.params.get("reason") != "corners_outside":
                raise
        else:
            result.auto, result.confidence = True, found.confidence
            return result
    return process_scan(path, kind, corners=corners, page=page, rotate=rotate)
