"""What processing one material gives the display: the result, the original, a thumbnail
and findings (forms.analysis.pipeline makes it).

Its own module, importing no imaging code: the desktop receives these from its analysis
process, and unpickling one imports the module that defines it. Defined beside the
pipeline, that pulled OpenCV and the whole imaging stack into the app (35 MB of its
memory) for a container of images and findings.

The two display-size pictures (original and result, a megapixel each) travel and stay
as JPEG once pickled: the app holds every material's, and raw they were 4 MB a file
(40 MB for ten photos); they are decoded only when a dialog shows them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from forms.application import Material
from forms.findings import Finding, worst

Corners = list[tuple[float, float]]   # as forms.imaging.scans has them: source pixels
PACKED = ("original", "preview")      # pictures kept as JPEG once sent
PACK_QUALITY = 92                     # for the screen only; prints use the stored files


@dataclass
class Processed:
    material: Material
    findings: list[Finding] = field(default_factory=list)
    thumb: Image.Image | None = None
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
    # original, preview: pictures or their JPEG bytes (see the properties below)
    pictures: dict[str, Image.Image | bytes | None] = field(default_factory=dict, repr=False)

    @property
    def status(self) -> str:
        return worst(self.findings)

    @property
    def original(self) -> Image.Image | None:
        """The upright original, for side by side."""
        return self._picture("original")

    @original.setter
    def original(self, img: Image.Image | None) -> None:
        self.pictures["original"] = img

    @property
    def preview(self) -> Image.Image | None:
        """The processed result."""
        return self._picture("preview")

    @preview.setter
    def preview(self, img: Image.Image | None) -> None:
        self.pictures["preview"] = img

    def _picture(self, name: str) -> Image.Image | None:
        held = self.pictures.get(name)
        if isinstance(held, bytes):
            with Image.open(io.BytesIO(held)) as img:
                return img.convert("RGB")
        return held

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["pictures"] = {name: _jpeg(img) if isinstance(img, Image.Image) else img
                             for name, img in self.pictures.items()}
        return state


def _jpeg(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.convert("RGB").save(out, "JPEG", quality=PACK_QUALITY)
    return out.getvalue()
