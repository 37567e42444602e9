"""Document scans end to end: load, orient, find the outline (or take the user's corners),
straighten to true proportions at print resolution, and say what is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from forms.errors import BadArgument
from forms.findings import Finding, has_errors, warning
from forms.imaging.documents import (
    effective_dpi,
    find_outline,
    order_corners,
    rough_aspect,
    straighten,
)
from forms.imaging.loader import Loaded, load_image
from forms.imaging.memory import trim
from forms.imaging.quality import look_findings, resolution_findings
from forms.imaging.specs import DocumentSpec, document, specs
from forms.imaging.turns import upside_down

PRINT_DPI = 300
A4_PX = (2480, 3508)
# Decode camera photos of cards at about this many pixels (a 12-MP JPEG at half scale).
DRAFT_PIXELS = 3_000_000

Corners = list[tuple[float, float]]


@dataclass
class ScanResult:
    image: Image.Image                   # print-ready, metadata-free
    kind: str
    findings: list[Finding] = field(default_factory=list)
    corners: Corners | None = None       # the outline used, in upright source pixels
    auto: bool = False                   # found automatically (False: given, or none)
    true_size: bool = False              # image has the document's real proportions
    dpi: float | None = None             # what the source holds across the document
    source_size: tuple[int, int] = (0, 0)
    pages: int = 1
    confidence: float | None = None      # of the automatic outline (None: given, or none)
    doubtful: bool = False               # an outline was seen but not trusted: ask the user
    suggested: Corners | None = None     # that untrusted outline (source pixels), a start
                                         # for the user
    reading: Image.Image | None = None   # for reading text only: the suggested crop, which
                                         # holds the text far larger than the whole image
    quad_aspect: float | None = None     # width/height of the outline used, before warping
    upright_known: bool = False          # the card's layout said which way up it lies
    turned: bool = False                 # it lay upside down and was turned half round

    @property
    def usable(self) -> bool:
        return not has_errors(self.findings)


def _rotate(img: Image.Image, degrees: int) -> Image.Image:
    """Clockwise quarter turns chosen by the user."""
    ops = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
           270: Image.Transpose.ROTATE_90}
    return img.transpose(ops[degrees % 360]) if degrees % 360 else img


def _fit(img: Image.Image, box: tuple[int, int]) -> Image.Image:
    """Shrink into ``box`` in place (the loaded image is ours; a copy would double the
    memory of a 12-megapixel photo)."""
    if img.width > box[0] or img.height > box[1]:
        img.thumbnail(box, Image.Resampling.LANCZOS)
    return img


CORNER_MARGIN = 0.05   # a corner may sit a little past the edge of a tightly framed photo


def _corners_within(corners: Sequence[Sequence[float]], size: tuple[int, int]) -> np.ndarray:
    """Corners given by hand (or stored in a received file) that outline something inside
    the image; anything else is refused before any pixels are made from it."""
    quad = np.asarray(corners, dtype=np.float64)
    w, h = size
    mx, my = w * CORNER_MARGIN, h * CORNER_MARGIN
    inside = (np.isfinite(quad).all() and quad.shape == (4, 2)
              and (quad[:, 0] >= -mx).all() and (quad[:, 0] <= w + mx).all()
              and (quad[:, 1] >= -my).all() and (quad[:, 1] <= h + my).all())
    area = 0.0
    if inside:  # the corners may come in any order: go round the centre before measuring
        c = quad - quad.mean(axis=0)
        ring = quad[np.argsort(np.arctan2(c[:, 1], c[:, 0]))]
        area = 0.5 * abs(float(np.dot(ring[:, 0], np.roll(ring[:, 1], 1))
                               - np.dot(ring[:, 1], np.roll(ring[:, 0], 1))))
    if not inside or area < 0.01 * w * h:
        raise BadArgument(f"{w}x{h}", reason="corners_outside", width=w, height=h)
    return quad.astype(np.float32)


@dataclass(frozen=True)
class Found:
    """An outline found automatically before (kept by the analysis of the same bytes and
    setup, source pixels), and the detector's score for it."""

    corners: Sequence[tuple[float, float]]
    confidence: float | None


def _kept(found: Found | None, full: tuple[int, int], scale: float,
          aspect: float) -> np.ndarray | None:
    """``found`` in the pixels of the decoded image, or None when it does not fit inside
    the image: it is read from files others may have written, so only ever a hint."""
    if found is None:
        return None
    try:
        return order_corners(_corners_within(found.corners, full) * scale, aspect)
    except BadArgument:
        return None


def process_scan(path: Path, kind: str, *, corners: Sequence[Sequence[float]] | None = None,
                 page: int = 0, rotate: int = 0, found: Found | None = None) -> ScanResult:
    """Turn a photo or scan of a ``kind`` document into its print-ready image.

    Corners by hand are taken as they are. Without them, ``found`` — the outline an
    analysis of these bytes trusted — is straightened along without a search (the search
    is most of the work of a card photo), and the result says "found automatically" with
    the score it had; otherwise the outline is searched for.

    A card needs about a megapixel at print resolution, so a camera photo is first decoded
    at a reduced JPEG scale (several times faster than a full decode); only when the card
    would hold less than print resolution at that scale is the photo decoded again in full.
    Corners and dpi are always in full-resolution source pixels."""
    spec: DocumentSpec | None = document(kind)
    loaded: Loaded = load_image(Path(path), page=page,
                                need_pixels=DRAFT_PIXELS if spec is not None else None)
    source_kind, pages, scale = loaded.kind, loaded.pages, loaded.scale
    full = loaded.full_size if rotate % 180 == 0 else loaded.full_size[::-1]
    img = _rotate(loaded.image, rotate)
    del loaded  # a turned copy replaces the decoded image: never hold both for long
    fld = f"materials.{kind}"
    result = ScanResult(img, kind, source_size=full, pages=pages)
    if spec is None:  # photos, other papers: no size to straighten to
        result.image = _fit(img, A4_PX)
        result.findings = look_findings(result.image, fld, card=False)
        return result

    quad: np.ndarray | None = None  # in the pixels of ``img`` (which may be reduced)
    kept = None if corners is not None else _kept(found, full, scale, spec.aspect)
    if corners is not None:
        quad = order_corners(_corners_within(corners, full) * scale, spec.aspect)
    elif kept is not None and found is not None:
        quad, result.auto, result.confidence = kept, True, found.confidence
    else:
        outline = find_outline(img, spec.aspect, own_ruling=not spec.card)
        trim()  # the search's many small work copies, freed, go back before the warp
        if outline is not None:
            result.confidence = round(outline.confidence, 3)
            if outline.doubtful:
                # Never a silent wrong crop: the whole image is kept, the outline offered.
                result.doubtful = True
                # in full-resolution source pixels, as ``corners`` are
                result.suggested = [(float(x) / scale, float(y) / scale) for x, y in outline.quad]
                # a tenth wider all round: a suggestion cut too tight still holds the text
                centre = outline.quad.mean(axis=0)
                wider = (outline.quad - centre) * 1.1 + centre
                result.reading = straighten(img, wider, spec.pixels(PRINT_DPI))
                turn = upside_down(result.reading, kind)
                if turn:
                    result.reading = result.reading.transpose(Image.Transpose.ROTATE_180)
                    result.suggested = result.suggested[2:] + result.suggested[:2]
                result.upright_known, result.turned = turn is not None, bool(turn)
            else:
                quad, result.auto = outline.quad, True
    size = spec.pixels(PRINT_DPI)
    if quad is not None and scale < 1 and effective_dpi(quad, spec.width_mm) < PRINT_DPI:
        del img  # too few pixels at the reduced scale: decode in full
        result.image = Image.new("RGB", (1, 1))  # nor held here while the full one decodes
        img = _rotate(load_image(Path(path), page=page).image, rotate)
        quad, scale = (quad / scale).astype(np.float32), 1.0
    if quad is not None:
        result.image = straighten(img, quad, size)
        turn = upside_down(result.image, kind)
        if turn:  # upside down: the same outline, started from the opposite corner
            result.image = result.image.transpose(Image.Transpose.ROTATE_180)
            quad = np.roll(quad, 2, axis=0)
        result.upright_known, result.turned = turn is not None, bool(turn)
        source_quad = quad / scale
        result.corners = [(float(x), float(y)) for x, y in source_quad]
        result.true_size = True
        result.dpi = effective_dpi(source_quad, spec.width_mm)
        result.quad_aspect = rough_aspect(np.asarray(quad, dtype=np.float32))
    else:
        if result.doubtful:
            result.findings.append(warning("image.outline_doubtful", fld, kind=kind))
        else:
            result.findings.append(warning("image.outline_not_found", fld, kind=kind))
        aspect = img.width / img.height
        if abs(aspect / spec.aspect - 1) > specs().quality.aspect_tolerance:
            result.findings.append(warning("image.proportions", fld, kind=kind))
        result.dpi = full[0] / (spec.width_mm / 25.4)
        result.image = _fit(img, size)
    if source_kind != "pdf":  # a PDF page is rendered at print resolution already
        result.findings += resolution_findings(result.dpi, fld)
    result.findings += look_findings(result.image, fld, card=spec.card)
    return result
