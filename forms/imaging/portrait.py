"""Portrait photos: crop around the face to the specification, check the background,
whiten it on request, and lay out a print sheet.

The Haar box is a proxy for the face: measured on real portraits, the top of the hair sits
about half a box above it, the eyes 0.4 of the way down, and the face is about 0.88 of
the box wide. The crop is then solved from the specification's fractions (face width,
hair margin, eye line), shrinking the face when the eye line would fall too low.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from forms.imaging.faces import Face
from forms.imaging.specs import PortraitGeometry

HAIR_ABOVE_BOX = 0.52
EYES_IN_BOX = 0.40
FACE_OF_BOX = 0.88
HAIR_TARGET = 0.032        # hair top at 3.2% of the height: inside the 1.6–4.8% band


@dataclass(frozen=True)
class Crop:
    left: float
    top: float
    width: float
    height: float
    scale: float            # output pixels per source pixel

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.left, self.top, self.left + self.width, self.top + self.height


def plan_crop(face: Face, size: tuple[int, int], geom: PortraitGeometry) -> Crop:
    """Where to cut the source so the output of ``size`` meets the geometry."""
    out_w, out_h = size
    face_px = FACE_OF_BOX * face.w
    hair_y = face.y - HAIR_ABOVE_BOX * face.h
    eye_y = face.y + EYES_IN_BOX * face.h
    scale = geom.face_width_target * out_w / face_px
    hair_out = HAIR_TARGET * out_h
    eye_limit = (1 - geom.eye_line_min_from_bottom - 0.01) * out_h
    scale = min(scale, (eye_limit - hair_out) / max(eye_y - hair_y, 1e-6))
    scale = max(scale, geom.face_width_min * out_w / face_px)
    width, height = out_w / scale, out_h / scale
    left = face.cx - width / 2
    top = hair_y - hair_out / scale
    return Crop(left, top, width, height, scale)


def render_crop(img: Image.Image, crop: Crop, size: tuple[int, int]) -> tuple[Image.Image, bool]:
    """The cropped, resized portrait; True when the crop reached past the photo's edge
    (that part is filled with white)."""
    left, top, right, bottom = crop.box
    outside = left < 0 or top < 0 or right > img.width or bottom > img.height
    # Work at the output size: crop a little generously, then resize with area averaging.
    # Only the crop's part of the photo (a view, no copy), so shrinking it below does not
    # spend time on the rest of a camera-size frame.
    x0, y0 = max(0, math.floor(left)), max(0, math.floor(top))
    x1, y1 = min(img.width, math.ceil(right)), min(img.height, math.ceil(bottom))
    src = np.asarray(img)
    if x1 > x0 and y1 > y0:
        src = src[y0:y1, x0:x1]
        left, top = left - x0, top - y0
    matrix = np.array([[crop.scale, 0, -left * crop.scale], [0, crop.scale, -top * crop.scale]],
                      dtype=np.float64)
    interp = cv2.INTER_AREA if crop.scale < 1 else cv2.INTER_CUBIC
    if crop.scale < 0.5:
        # cv2.warpAffine does not area-average: shrink first, then place.
        f = min(1.0, crop.scale * 2)
        src = cv2.resize(src, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        matrix = np.array([[crop.scale / f, 0, -left * crop.scale],
                           [0, crop.scale / f, -top * crop.scale]], dtype=np.float64)
        interp = cv2.INTER_LINEAR
    out = cv2.warpAffine(src, matrix, size, flags=interp, borderMode=cv2.BORDER_CONSTANT,
                         borderValue=(255, 255, 255))
    return Image.fromarray(out), outside


def face_in_output(face: Face, crop: Crop) -> Face:
    return Face((face.x - crop.left) * crop.scale, (face.y - crop.top) * crop.scale,
                face.w * crop.scale, face.h * crop.scale)


def background_sample(photo: Image.Image, face: Face) -> np.ndarray:
    """Pixels that should be background: the band above the hair and the upper corners
    beside the head, clear of the person."""
    arr = np.asarray(photo)
    _h, w = arr.shape[:2]
    hair_top = max(0, int(face.y - HAIR_ABOVE_BOX * face.h))
    head_left = int(face.x - 0.3 * face.w)
    head_right = int(face.x + 1.3 * face.w)
    shoulders = int(face.y + 0.75 * face.h)   # above the collar: beside the head only
    parts = []
    if hair_top > 2:
        parts.append(arr[: max(1, hair_top - 2)].reshape(-1, 3))
    if head_left > 4:
        parts.append(arr[:shoulders, : max(1, head_left - 4)].reshape(-1, 3))
    if head_right < w - 4:
        parts.append(arr[:shoulders, min(w - 1, head_right + 4):].reshape(-1, 3))
    if not parts:
        return arr[:2].reshape(-1, 3)
    return np.concatenate(parts)


LIGHT_MIN = 185.0     # printed photos: a plain light background
WHITE_MIN = 235.0     # the card photo: a white background
SPREAD_MAX = 14.0


def background_is_plain_light(photo: Image.Image, face: Face,
                              min_lightness: float = LIGHT_MIN) -> tuple[bool, float, float]:
    """(plain and light enough, mean lightness 0–255, spread) of the background sample."""
    sample = background_sample(photo, face).astype(np.float32)
    lab = cv2.cvtColor(sample.reshape(-1, 1, 3).astype(np.uint8), cv2.COLOR_RGB2LAB)
    lab = lab.reshape(-1, 3).astype(np.float32)
    lightness = float(lab[:, 0].mean())
    spread = float(np.sqrt(lab.var(axis=0).sum()))
    return lightness >= min_lightness and spread <= SPREAD_MAX, lightness, spread


def whiten_background(photo: Image.Image, face: Face, iterations: int = 4) -> Image.Image:
    """Replace the background with white by GrabCut, seeded from the face: the face is
    certainly the person, the band above the hair and the beside the head certainly not.

    GrabCut runs at half size (its cost grows with the pixel count and the segmentation
    does not need the detail); the mask is scaled back up and feathered."""
    full = np.asarray(photo)
    work = photo.resize((max(1, photo.width // 2), max(1, photo.height // 2)),
                        Image.Resampling.BILINEAR)
    face = face.scaled(0.5)
    arr = np.asarray(work)
    h, w = arr.shape[:2]
    mask = np.full((h, w), cv2.GC_PR_BGD, np.uint8)
    hair_top = int(max(0, face.y - HAIR_ABOVE_BOX * face.h))
    body_left = int(max(0, face.x - 0.9 * face.w))
    body_right = int(min(w, face.x + 1.9 * face.w))
    mask[hair_top:, body_left:body_right] = cv2.GC_PR_FGD
    fx0, fy0 = int(face.x + 0.15 * face.w), int(face.y + 0.1 * face.h)
    fx1, fy1 = int(face.x + 0.85 * face.w), int(face.y + 0.95 * face.h)
    mask[fy0:fy1, fx0:fx1] = cv2.GC_FGD
    mask[int(face.y + 1.6 * face.h):, int(face.x + 0.2 * face.w):int(face.x + 0.8 * face.w)] = \
        cv2.GC_FGD
    mask[: max(1, hair_top - 3)] = cv2.GC_BGD
    # Beside the head, beyond where hair reaches, down to the chin: certainly background.
    beside = int(face.y + 0.9 * face.h)
    mask[:beside, : max(1, int(face.x - 0.45 * face.w))] = cv2.GC_BGD
    mask[:beside, min(w - 1, int(face.x + 1.45 * face.w)):] = cv2.GC_BGD
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    # the rectangle is unused with GC_INIT_WITH_MASK; the mask is refined in place
    cv2.grabCut(arr, mask, (0, 0, 1, 1), bgd, fgd, iterations, cv2.GC_INIT_WITH_MASK)
    person: np.ndarray = np.isin(mask, (cv2.GC_FGD, cv2.GC_PR_FGD)).astype(np.uint8) * 255
    opened = cv2.morphologyEx(person, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    full_mask = cv2.resize(opened, (full.shape[1], full.shape[0]),
                           interpolation=cv2.INTER_LINEAR)
    alpha = cv2.GaussianBlur(full_mask, (0, 0), 1.5).astype(np.float32)[..., None] / 255.0
    out = full.astype(np.float32) * alpha + 255.0 * (1 - alpha)
    return Image.fromarray(out.clip(0, 255).astype(np.uint8))


def print_sheet(photo: Image.Image, *, paper_mm: tuple[float, float] = (152.4, 101.6),
                dpi: int = 300, copies: int = 8) -> Image.Image:
    """Copies of ``photo`` on 6-inch photo paper (the size print shops use), with cut marks."""
    page_w, page_h = round(paper_mm[0] / 25.4 * dpi), round(paper_mm[1] / 25.4 * dpi)
    sheet = Image.new("RGB", (page_w, page_h), (255, 255, 255))
    pw, ph = photo.size
    gap = round(4 / 25.4 * dpi)                     # 4 mm between photos for the marks
    max_cols = max(1, (page_w - gap) // (pw + gap))
    max_rows = max(1, (page_h - gap) // (ph + gap))
    rows = min(max_rows, -(-copies // max_cols))
    cols = min(max_cols, -(-copies // rows))       # balanced: 8 copies → 4 × 2, not 5 + 3
    copies = min(copies, rows * cols)
    x0 = (page_w - (cols * pw + (cols - 1) * gap)) // 2
    y0 = (page_h - (rows * ph + (rows - 1) * gap)) // 2
    draw = ImageDraw.Draw(sheet)
    mark = round(2.5 / 25.4 * dpi)
    placed = 0
    for r in range(rows):
        for c in range(cols):
            if placed == copies:
                break
            x, y = x0 + c * (pw + gap), y0 + r * (ph + gap)
            sheet.paste(photo, (x, y))
            for cx in (x, x + pw):
                for cy in (y, y + ph):
                    # short marks just outside each corner, along both edges
                    draw.line((cx, cy - mark if cy == y else cy + 1, cx, cy - 1 if cy == y
                               else cy + mark), fill=(120, 120, 120), width=2)
                    draw.line((cx - mark if cx == x else cx + 1, cy, cx - 1 if cx == x
                               else cx + mark, cy), fill=(120, 120, 120), width=2)
            placed += 1
    return sheet
