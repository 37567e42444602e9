"""What processing one material gives the display: the result, the original, a thumbnail
and findings (forms.analysis.pipeline makes it).

Its own module, importing no imaging code: the desktop receives these from its analysis
process, and unpickling one imports the module that defines it. Defined beside the
pipeline, that pulled OpenCV and the whole imaging stack into the app (35 MB of its
memory) for a container of images and findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from forms.application import Material
from forms.findings import Finding, worst

Corners = list[tuple[float, float]]   # as forms.imaging.scans has them: source pixels


@dataclass
class Processed:
    material: Material
    findings: list[Finding] = field(default_factory=list)
    thumb: Image.Image | None = None
    preview: Image.Image | None = None       # the processed result
    original: Image.Image | None = None      # the upright original, for side by side
    original_size: tuple[int, int] = (0, 0)
    corners: Corners | None = None
    suggested: Corners | None = None         # a doubted outline: where the corner editor starts
    auto: bool = False
    read: Any = None                         # forms.ocr.fields.Read, for readable kinds
    ocr_unavailable: bool = False
    true_size: bool = False                  # straightened to the document's proportions
    confidence: float | None = None          # the outline detector's score
    quad_aspect: float | None = None         # the outline's proportions before warping
    faces: int | None = None                 # photos: faces found

    @property
    def status(self) -> str:
        return worst(self.findings)
