"""One material's analysis: what the pipelines saw in the file, keyed by its content.

Stored in ``.yibao`` files and in a cache beside ``application.json``, so it is read back
from files others may have written: every field is bounded and closed, and a finding code
must be one the catalog knows (forms.analysis.cache drops anything else).
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from forms.application import Material
from forms.findings import Finding
from forms.vocabulary import MaterialKind

# Bump when the pipelines change what they find: older analyses are then recomputed.
# 2: outline confidence/doubt, reading findings, one-pass upside-down reads
# 3: the trusted outline itself, so reopening and the packet straighten without a search
ANALYSIS_VERSION = 3

Hex64 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Short = Annotated[str, StringConstraints(max_length=200)]
Score = Annotated[float, Field(ge=0.0, le=1.0)]
Coordinate = Annotated[float, Field(ge=-1e6, le=1e6, allow_inf_nan=False)]
Outline = Annotated[list[tuple[Coordinate, Coordinate]], Field(min_length=4, max_length=4)]


class ReadField(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    value: Short
    confidence: Score


class Analysis(BaseModel):
    """What one file shows. ``setup`` names the choices it was made under (kind, page,
    rotation, corners): a new choice means a new analysis."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sha256: Hex64
    version: Annotated[int, Field(ge=1, le=10_000)]
    setup: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]
    kind: MaterialKind
    findings: list[Finding] = Field(default_factory=list, max_length=40)
    faces: Annotated[int, Field(ge=0, le=100)] | None = None     # photos only
    straightened: bool = False            # warped to the document's true proportions
    crop_confidence: Score | None = None  # the outline detector's score (None: by hand)
    # The outline the detector found and trusted, in upright source pixels: the display
    # and the packet straighten along it again instead of searching the photo once more.
    # Read from files others wrote, so it is only ever a hint (forms.analysis.pipeline).
    outline: Outline | None = None
    looks_like_card: bool | None = None   # None: not a card, or nothing to judge by
    side: Literal["front", "back"] | None = None
    upside_down: bool = False
    read: bool = False                    # OCR ran on it
    ocr_unavailable: bool = False
    anchors: Annotated[int, Field(ge=0, le=50)] = 0   # printed labels recognised
    fields: dict[Short, ReadField] = Field(default_factory=dict, max_length=20)
    # This user's HMAC over the rest (forms.analysis.signing): a file from elsewhere has
    # none that verifies, so its analyses are made again rather than believed.
    mac: Hex64 | None = None

    @property
    def key(self) -> str:
        return key_of(self.sha256, self.setup)

    def value(self, name: str) -> tuple[str, float] | None:
        got = self.fields.get(name)
        return (got.value, got.confidence) if got else None


def setup_of(m: Material) -> str:
    """A short digest of what, besides the bytes, shapes the analysis of ``m``."""
    raw = json.dumps([m.kind, m.page, m.rotate, m.corners, m.whiten], separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def key_of(sha256: str, setup: str, version: int = ANALYSIS_VERSION) -> str:
    return f"{sha256}:{setup}:{version}"
