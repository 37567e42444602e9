"""Materials made print-ready for the packet: straightened, cropped, at 300 dpi of their
printed size, re-encoded once as JPEG with no metadata.

Processing a dozen-megapixel photo takes a quarter of a second, so the materials are
processed in parallel (OpenCV and Pillow release the GIL while they work) — within the
loader's budget of source pixels decoded at once, so that four large scans on a four-core
machine do not need four times the memory of one.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from reportlab.lib.utils import ImageReader

from forms.analysis.model import Analysis
from forms.analysis.pipeline import found_in
from forms.application import Application, Material
from forms.errors import FormsError
from forms.findings import Finding, error
from forms.imaging.encode import jpeg_bytes
from forms.imaging.loader import decoding
from forms.imaging.photos import process_photo
from forms.imaging.scans import Found, process_scan
from forms.imaging.specs import document, specs
from forms.progress import NullProgress, Progress, checkpoint

PRINT_DPI = 300
JPEG_QUALITY = 88


@dataclass
class Prepared:
    material: Material
    jpeg: bytes | None  # print-ready image, or None when unusable
    size_px: tuple[int, int] = (0, 0)
    size_mm: tuple[float, float] | None = None  # true size, when known and found
    findings: list[Finding] = field(default_factory=list)
    image: Image.Image | None = None        # only for the benchmark's camera-size baseline

    def reader(self) -> ImageReader:
        """What reportlab draws: the JPEG as encoded (embedded as is, no re-encoding)."""
        if self.jpeg is not None:
            return ImageReader(io.BytesIO(self.jpeg))
        assert self.image is not None
        return ImageReader(self.image)


def at_print_size(p: Prepared, size_mm: tuple[float, float]) -> Prepared:
    """``p`` resampled to PRINT_DPI at ``size_mm`` when it has more pixels than that (a page
    fitted to the frame): the PDF carries no more pixels than a printer can use."""
    want = (round(size_mm[0] / 25.4 * PRINT_DPI), round(size_mm[1] / 25.4 * PRINT_DPI))
    if p.jpeg is None or p.size_px[0] <= want[0] * 1.01:
        return p
    with Image.open(io.BytesIO(p.jpeg)) as img:
        img.draft("RGB", want)  # decode at a reduced scale where JPEG allows
        small = img.convert("RGB").resize(want, Image.Resampling.LANCZOS)
    data = jpeg_bytes(small, quality=JPEG_QUALITY, dpi=PRINT_DPI)
    return Prepared(p.material, data, want, p.size_mm, p.findings)


def _sizes(exc: FormsError) -> dict[str, object]:
    """The width and height a geometry refusal names, for its message."""
    return {k: exc.params[k] for k in ("width", "height") if k in exc.params}


def outlines(analyses_by_file: Mapping[str, Analysis]) -> dict[str, Found]:
    """The trusted outlines the analyses kept, by file: the packet straightens along them
    instead of searching each photo again."""
    return {file: found for file, a in analyses_by_file.items()
            if (found := found_in(a)) is not None}


def _prepare_one(m: Material, base_dir: Path, found: Found | None = None) -> Prepared:
    path = base_dir / m.file
    try:
        if m.kind == "photo":
            fmt = specs().photos["one_inch"]
            res = process_photo(path, "one_inch", whiten=m.whiten)
            if res.photo is None:
                return Prepared(m, None, findings=res.findings)
            return Prepared(
                m,
                jpeg_bytes(res.photo, quality=JPEG_QUALITY, dpi=PRINT_DPI),
                res.photo.size,
                (fmt.width_mm, fmt.height_mm),
                res.findings,
            )
        scan = process_scan(path, m.kind, corners=m.corners, page=m.page, rotate=m.rotate,
                          found=found)
    except FormsError as exc:
        return Prepared(
            m,
            None,
            findings=[
                error(
                    "material.file_unusable",
                    f"materials.{m.kind}",
                    file=Path(m.file).name,
                    reason=exc.params.get("reason", "corrupt"),
                    **_sizes(exc),
                )
            ],
        )
    spec = document(m.kind)
    size_mm = (spec.width_mm, spec.height_mm) if spec and scan.true_size else None
    img: Image.Image = scan.image
    return Prepared(
        m, jpeg_bytes(img, quality=JPEG_QUALITY, dpi=PRINT_DPI), img.size, size_mm, scan.findings
    )


def prepare_materials(
    app: Application,
    base_dir: Path,
    *,
    progress: Progress = NullProgress(),
    workers: int | None = None,
    found: Mapping[str, Found] | None = None,
) -> list[Prepared]:
    """Every material of ``app``, in order, ready to place; ``found``: outlines analyses
    trusted, by file (see :func:`outlines`)."""
    total = len(app.materials)
    workers = workers or min(4, os.cpu_count() or 1)
    out: list[Prepared] = []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        def one(m: Material) -> Prepared:
            with decoding(Path(base_dir) / m.file):
                return _prepare_one(m, Path(base_dir), (found or {}).get(m.file))

        futures = [pool.submit(one, m) for m in app.materials]
        for i, fut in enumerate(futures):
            out.append(fut.result())
            checkpoint(progress, i + 1, total, "packet.progress.materials")
    return out
