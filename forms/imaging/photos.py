"""Portrait photos end to end: find exactly one face, crop to the format, check the
background and sharpness, whiten on request, and produce the print and card files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import cv2
import numpy as np
from PIL import Image

from forms.findings import Finding, error, has_errors, warning
from forms.imaging import portrait
from forms.imaging.encode import SizedJpeg, jpeg_within
from forms.imaging.faces import Face, detect_faces
from forms.imaging.loader import load_image
from forms.imaging.specs import specs
from forms.profiles.schema import CardPhotoSpec

PhotoFormat = Literal["one_inch", "small_one_inch", "sscard"]
FIELD = "materials.photo"
WORK_PIXELS = 4_000_000   # a portrait never needs more than this from the source
FACE_SHARP_MIN = 6.0      # Laplacian variance on the face at 200 px wide (calibrated)
FACE_SHARP_GOOD = 14.0


@dataclass
class PhotoResult:
    photo: Image.Image | None              # the formatted portrait, None when impossible
    findings: list[Finding] = field(default_factory=list)
    face: Face | None = None               # in the output photo
    background_plain: bool = False
    whitened: bool = False
    dpi: int = 300
    jpeg: SizedJpeg | None = None          # the card photo file, when the format is sscard

    @property
    def usable(self) -> bool:
        return self.photo is not None and not has_errors(self.findings)


def _format(fmt: PhotoFormat, card: CardPhotoSpec | None) -> tuple[tuple[int, int], int]:
    if fmt == "sscard":
        if card is None:
            raise ValueError("the card photo needs the profile's specification")
        return (card.width_px, card.height_px), card.dpi
    f = specs().photos[fmt]
    return (f.width_px, f.height_px), f.dpi


def face_sharpness(photo: Image.Image, face: Face) -> float:
    box = photo.crop((int(face.x), int(face.y), int(face.x + face.w), int(face.y + face.h)))
    gray = np.asarray(box.convert("L").resize((200, 200), Image.Resampling.BILINEAR))
    return float(cv2.Laplacian(cv2.GaussianBlur(gray, (0, 0), 1.0), cv2.CV_64F).var())


def process_photo(path: Path, fmt: PhotoFormat = "one_inch", *,
                  card: CardPhotoSpec | None = None, whiten: bool = False) -> PhotoResult:
    size, dpi = _format(fmt, card)
    loaded = load_image(Path(path), need_pixels=WORK_PIXELS)
    img = loaded.image
    faces = detect_faces(img)
    if not faces:
        return PhotoResult(None, [error("photo.no_face", FIELD)], dpi=dpi)
    if len(faces) > 1:
        return PhotoResult(None, [error("photo.many_faces", FIELD, count=len(faces))], dpi=dpi)
    geom = specs().portrait
    crop = portrait.plan_crop(faces[0], size, geom)
    photo, outside = portrait.render_crop(img, crop, size)
    face = portrait.face_in_output(faces[0], crop)
    result = PhotoResult(photo, face=face, dpi=dpi)

    upscale = crop.scale / loaded.scale  # output pixels per full-resolution source pixel
    if upscale > 2.5:
        result.findings.append(error("photo.low_resolution", FIELD, factor=round(upscale, 1)))
    elif upscale > 1.4:
        result.findings.append(warning("photo.soft_resolution", FIELD,
                                       factor=round(upscale, 1)))
    if outside:
        result.findings.append(warning("photo.cut_off", FIELD))
    sharp = face_sharpness(photo, face)
    if sharp < FACE_SHARP_MIN:
        result.findings.append(error("photo.blurry", FIELD))
    elif sharp < FACE_SHARP_GOOD:
        result.findings.append(warning("photo.soft", FIELD))

    light = portrait.WHITE_MIN if fmt == "sscard" else portrait.LIGHT_MIN
    plain, _, _ = portrait.background_is_plain_light(photo, face, light)
    if not plain and whiten:
        result.photo = portrait.whiten_background(photo, face)
        result.whitened = True
        plain, _, _ = portrait.background_is_plain_light(result.photo, face, light)
    result.background_plain = plain
    if not plain:
        if fmt == "sscard":
            result.findings.append(warning("photo.background_white", FIELD,
                                           whitened=result.whitened))
        else:
            result.findings.append(warning("photo.background", FIELD, whitened=result.whitened))

    if fmt == "sscard" and card is not None and result.photo is not None:
        result.jpeg = jpeg_within(result.photo, min_bytes=card.min_kb * 1024,
                                  max_bytes=card.max_kb * 1024, dpi=card.dpi)
        if not result.jpeg.in_range:
            result.findings.append(warning("photo.file_size", FIELD, size_kb=round(
                len(result.jpeg.data) / 1024), min_kb=card.min_kb, max_kb=card.max_kb))
    return result
