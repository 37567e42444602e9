"""One material processed for display: the result, the original, a thumbnail and findings.

This is what the desktop runs on a worker thread when a file is added, rotated, cropped
by hand or whitened; the packet builder runs the same pipelines at print size.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from forms.analysis.model import Analysis
from forms.analysis.processed import Processed
from forms.application import Material
from forms.errors import FormsError
from forms.findings import Finding, error
from forms.imaging.loader import decoding, load_image
from forms.imaging.photos import process_photo
from forms.imaging.scans import Found, process_scan

PREVIEW = 1000
THUMB = 220


def _small(img: Image.Image, side: int) -> Image.Image:
    """A copy whose longer side is at most ``side``, resized straight from ``img`` (a full
    copy first would double the memory of a large scan)."""
    w, h = img.size
    factor = side / max(w, h)
    if factor >= 1:
        return img.copy()
    return img.resize((max(1, round(w * factor)), max(1, round(h * factor))),
                      Image.Resampling.LANCZOS, reducing_gap=2.0)


def _faces(findings: list[Finding]) -> int:
    for f in findings:
        if f.code == "photo.no_face":
            return 0
        if f.code == "photo.many_faces":
            return int(f.params.get("count") or 2)
    return 1


def found_in(analysis: Analysis | None) -> Found | None:
    """The trusted outline an analysis of the same bytes and setup kept, if any."""
    if analysis is None or not analysis.outline:
        return None
    return Found(analysis.outline, analysis.crop_confidence)


READABLE = ("id_card_front", "id_card_back", "residence_permit", "hukou_personal_page")


def process_material(m: Material, base_dir: Path, *, whiten: bool | None = None,
                     read: bool = False, display: bool = True,
                     found: Found | None = None) -> Processed:
    """``read``: also read the text of a card or register page (OCR, about a second).
    ``display``: also make the original, preview and thumbnail (the command line's
    analyses need none of them). ``found``: the outline an analysis of these bytes
    trusted (forms.imaging.scans.Found), straightened along without a search."""
    path = Path(base_dir) / m.file
    with decoding(path):  # the desktop's pool processes several files at once
        return _process(m, path, whiten=whiten, read=read, display=display, found=found)


def _process(m: Material, path: Path, *, whiten: bool | None, read: bool,
             display: bool, found: Found | None = None) -> Processed:
    out = Processed(m)
    try:
        if display:
            # The preview needs a megapixel: draft decoding gives it without the full
            # photo, and nothing of it is kept while the pipeline decodes at full size.
            original = load_image(path, page=m.page, need_pixels=PREVIEW * PREVIEW)
            out.original = _small(original.image, PREVIEW)
            out.original_size = original.full_size
            del original
        if m.kind == "photo":
            res = process_photo(path, "one_inch", whiten=m.whiten if whiten is None else whiten)
            out.findings = res.findings
            out.faces = _faces(res.findings)
            result = res.photo or out.original  # no face: show the photo as it is
        else:
            scan = process_scan(path, m.kind, corners=m.corners, page=m.page, rotate=m.rotate,
                              found=found)
            out.findings, out.corners, out.auto = scan.findings, scan.corners, scan.auto
            out.suggested = scan.suggested
            out.true_size, out.confidence = scan.true_size, scan.confidence
            out.quad_aspect = scan.quad_aspect
            result = scan.image
    except FormsError as exc:
        out.findings = [error("material.file_unusable", f"materials.{m.kind}",
                              file=Path(m.file).name, reason=exc.params.get("reason", "corrupt"),
                              **{k: exc.params[k] for k in ("width", "height")
                                 if k in exc.params})]
        return out
    if read and m.kind in READABLE and result is not None:
        from forms.analysis.reading import read_image
        from forms.errors import OcrUnavailable
        from forms.imaging.memory import trim

        trim()  # what straightening freed goes back before the detector takes its share
        try:
            out.read = read_image(result, m.kind)
        except OcrUnavailable:
            out.ocr_unavailable = True
    if display and result is not None:
        out.preview = _small(result, PREVIEW)
        out.thumb = _small(result, THUMB)
    return out
