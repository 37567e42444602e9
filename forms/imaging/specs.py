"""Document sizes, photo formats and quality thresholds from resources/documents.yaml."""

from __future__ import annotations

from functools import cache

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from forms.errors import ProfileInvalid
from forms.paths import resource


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DocumentSpec(_Strict):
    width_mm: float = Field(gt=0)
    height_mm: float = Field(gt=0)
    card: bool = False
    source: str
    unverified: bool = False

    @property
    def aspect(self) -> float:
        return self.width_mm / self.height_mm

    def pixels(self, dpi: int) -> tuple[int, int]:
        return round(self.width_mm / 25.4 * dpi), round(self.height_mm / 25.4 * dpi)


class PhotoFormat(_Strict):
    width_mm: float
    height_mm: float
    dpi: int
    width_px: int
    height_px: int


class PortraitGeometry(_Strict):
    face_width_min: float
    face_width_max: float
    face_width_target: float
    hair_top_min: float
    hair_top_max: float
    eye_line_min_from_bottom: float


class Quality(_Strict):
    dpi_good: int
    dpi_min: int
    sharpness_min: float
    sharpness_good: float
    dark_mean_error: int
    dark_mean_warning: int
    glare_fraction_warning: float
    aspect_tolerance: float


class Specs(_Strict):
    documents: dict[str, DocumentSpec]
    photos: dict[str, PhotoFormat]
    portrait: PortraitGeometry
    quality: Quality


@cache
def specs() -> Specs:
    path = resource("documents.yaml")
    try:
        return Specs.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ProfileInvalid(f"{path.name}: {exc}".splitlines()[0], file=path.name) from exc


def document(kind: str) -> DocumentSpec | None:
    """The physical size of a material kind, or None when it has none (photos, other)."""
    return specs().documents.get(kind)
