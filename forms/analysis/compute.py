"""Computing an analysis: the imaging pipelines and (optionally) OCR on one file.

Plain functions, no Qt: the command line calls them directly and the desktop on a worker
thread. OpenCV and the OCR engine load on first use.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from forms.analysis.cache import content_hash, lookup
from forms.analysis.model import ANALYSIS_VERSION, Analysis, ReadField, setup_of
from forms.application import Application, Material

log = logging.getLogger(__name__)

CROP_CONFIDENCE_MIN = 0.35   # below this an automatic outline is doubtful
ASPECT_SLACK = 0.25          # |log(found / true)| allowed for an outline's proportions
ANCHORS_MIN = 2              # printed labels a card read the right way shows at least


def _card_like(kind: str, processed: Any) -> bool | None:
    """Whether a straightened card still looks like one: proportions of the outline,
    the detector's confidence, and — when read — its printed labels where they belong."""
    from forms.analysis.reading import anchors
    from forms.imaging.specs import document

    spec = document(kind)
    if spec is None or not spec.card or not processed.true_size:
        return None  # not a card, or the whole photo kept (already said so)
    if processed.quad_aspect is not None and \
            abs(math.log(max(processed.quad_aspect, 1e-3) / spec.aspect)) > ASPECT_SLACK:
        return False
    if processed.confidence is not None and processed.confidence < CROP_CONFIDENCE_MIN:
        return False
    if processed.read is not None and anchors(processed.read) < ANCHORS_MIN:
        return False
    return True


def from_processed(m: Material, digest: str, processed: Any) -> Analysis:
    """The analysis of a file the display pipeline has processed (forms.analysis.pipeline)."""
    from forms.analysis.reading import anchors
    from forms.ocr.crosscheck import reading_findings

    read = processed.read
    fields = {}
    if read is not None:
        fields = {name: ReadField(value=value[:200], confidence=max(0.0, min(1.0, score)))
                  for name, (value, score) in read.fields.items()}
    return Analysis(
        sha256=digest, version=ANALYSIS_VERSION, setup=setup_of(m), kind=m.kind,
        findings=(processed.findings + (reading_findings(read) if read is not None
                                         else []))[:40],
        faces=processed.faces,
        straightened=processed.true_size,
        crop_confidence=None if processed.confidence is None
        else max(0.0, min(1.0, processed.confidence)),
        outline=[(round(float(x), 2), round(float(y), 2)) for x, y in processed.corners]
        if processed.auto and processed.corners else None,
        looks_like_card=_card_like(m.kind, processed),
        side=read.side if read is not None else None,
        upside_down=bool(read.upside_down) if read is not None else False,
        read=read is not None, ocr_unavailable=processed.ocr_unavailable,
        anchors=min(50, anchors(read)) if read is not None else 0,
        fields=fields,
    )


def analyse(m: Material, base_dir: Path, *, read: bool = True) -> Analysis:
    """Run the pipelines on ``m`` (OCR too when ``read``) and say what the file shows."""
    from forms.analysis.pipeline import process_material

    digest = content_hash(Path(base_dir) / m.file)
    return from_processed(m, digest, process_material(m, base_dir, read=read, display=False))


def analyse_all(app: Application, base_dir: Path, cache: Mapping[str, Analysis], *,
                read: bool = True) -> tuple[dict[str, Analysis], list[Analysis]]:
    """Every material's analysis, by file: from ``cache`` when it holds one for the bytes
    on disk (and, when reading, one that was read), else computed. Also returns the new
    ones, for the caller to cache. Files that cannot be opened are left out (the material
    rules report them)."""
    out: dict[str, Analysis] = {}
    fresh: list[Analysis] = []
    for m in app.materials:
        path = Path(base_dir) / m.file
        if not path.is_file():
            continue
        found = lookup(m, base_dir, cache)
        if found is not None and (found.read or not read or m.kind not in READ_KINDS):
            out[m.file] = found
            continue
        try:
            done = analyse(m, base_dir, read=read)
        except Exception:  # a fault in a pipeline: said as "not analysed", never a tick
            log.warning("could not analyse %s", Path(m.file).name, exc_info=True)
            continue
        out[m.file] = done
        fresh.append(done)
    return out, fresh


READ_KINDS = ("id_card_front", "id_card_back", "residence_permit", "hukou_personal_page")
