"""Synthetic documents for samples and tests: drawn by code, never real people's papers.

Cards are drawn at 300 dpi on the ID-1 format (85.6 × 54 mm) and stamped 样本 SAMPLE so
nobody can mistake one for a real document. A coloured mark sits in the top-left corner
so a test can tell whether straightening kept the card upright.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

DPI = 300
CARD_MM = (85.6, 54.0)
CARD_PX = (round(CARD_MM[0] / 25.4 * DPI), round(CARD_MM[1] / 25.4 * DPI))
MARK_RGB = (220, 30, 30)

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "/System/Library/Fonts/PingFang.ttc",
)


FONT: tuple[str, int] | None = None   # (file, face index) to draw with, when set


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if FONT is not None:
        return ImageFont.truetype(FONT[0], size, index=FONT[1])
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


@dataclass
class Person:
    name: str
    sex: str  # 男 / 女
    ethnicity: str
    birth: dt.date
    address: str
    id_number: str
    authority: str = "郑州市公安局中原分局"
    valid_from: dt.date = dt.date(2020, 6, 1)
    valid_until: dt.date = dt.date(2040, 6, 1)


def _card(background: tuple[int, int, int]) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("RGB", CARD_PX, background)
    draw = ImageDraw.Draw(img)
    w, h = CARD_PX
    draw.rounded_rectangle((4, 4, w - 5, h - 5), radius=36, outline=(150, 170, 190), width=4)
    draw.rectangle((24, 24, 84, 84), fill=MARK_RGB)  # orientation mark, top-left
    draw.text((w - 330, h - 215), "样本 SAMPLE", font=font(56), fill=(200, 120, 120))
    return img, draw


def id_front(p: Person) -> Image.Image:
    img, draw = _card((236, 242, 248))
    small, big = font(34), font(40)
    x, y = 110, 70
    draw.text((x, y), f"姓名  {p.name}", font=big, fill=(20, 20, 20))
    draw.text((x, y + 70), f"性别  {p.sex}     民族  {p.ethnicity}", font=small, fill=(20, 20, 20))
    draw.text((x, y + 130), f"出生  {p.birth.year} 年 {p.birth.month} 月 {p.birth.day} 日",
              font=small, fill=(20, 20, 20))
    addr = p.address
    draw.text((x, y + 190), f"住址  {addr[:13]}", font=small, fill=(20, 20, 20))
    if len(addr) > 13:
        draw.text((x + 86, y + 235), addr[13:26], font=small, fill=(20, 20, 20))
    draw.text((x, CARD_PX[1] - 110), f"公民身份号码  {p.id_number}", font=big, fill=(10, 10, 10))
    # a neutral silhouette where the portrait sits
    px, py = CARD_PX[0] - 300, 70
    draw.rectangle((px, py, px + 240, py + 300), fill=(210, 220, 230))
    draw.ellipse((px + 70, py + 40, px + 170, py + 160), fill=(160, 170, 185))
    draw.pieslice((px + 20, py + 170, px + 220, py + 380), 180, 360, fill=(160, 170, 185))
    return img


def id_back(p: Person) -> Image.Image:
    img, draw = _card((240, 244, 236))
    draw.ellipse((110, 60, 290, 240), outline=(190, 150, 40), width=10)  # gold: red is the mark
    draw.text((340, 80), "中华人民共和国", font=font(56), fill=(20, 20, 20))
    draw.text((340, 160), "居民身份证", font=font(72), fill=(20, 20, 20))
    draw.text((150, 380), f"签发机关  {p.authority}", font=font(34), fill=(20, 20, 20))
    span = f"{p.valid_from:%Y.%m.%d}-{p.valid_until:%Y.%m.%d}"
    draw.text((150, 440), f"有效期限  {span}", font=font(34), fill=(20, 20, 20))
    return img


def residence_permit(p: Person, number: str, city: str, until: dt.date) -> Image.Image:
    img, draw = _card((246, 240, 228))
    draw.text((110, 60), f"{city}居住证", font=font(56), fill=(120, 40, 20))
    draw.text((110, 170), f"姓名  {p.name}", font=font(38), fill=(20, 20, 20))
    draw.text((110, 240), f"证件号码  {number}", font=font(34), fill=(20, 20, 20))
    draw.text((110, 300), f"有效期至  {until:%Y年%m月%d日}", font=font(34), fill=(20, 20, 20))
    return img


def portrait(size: tuple[int, int] = (358, 441)) -> Image.Image:
    """A drawn head-and-shoulders figure on white (not a photo of anyone)."""
    w, h = size
    img = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(img)
    draw.pieslice((w * 0.12, h * 0.62, w * 0.88, h * 1.3), 180, 360, fill=(40, 60, 110))
    draw.ellipse((w * 0.3, h * 0.16, w * 0.7, h * 0.62), fill=(236, 200, 170))
    draw.chord((w * 0.28, h * 0.1, w * 0.72, h * 0.42), 180, 360, fill=(30, 25, 25))
    for ex in (0.42, 0.58):
        draw.ellipse((w * ex - 6, h * 0.38 - 4, w * ex + 6, h * 0.38 + 4), fill=(30, 30, 30))
    draw.arc((w * 0.43, h * 0.46, w * 0.57, h * 0.54), 20, 160, fill=(150, 60, 60), width=3)
    return img


# --- photographs of documents -----------------------------------------------------------

TEXTURES = ("brick", "grass", "gravel", "wood")


def texture(name: str, size: tuple[int, int], seed: int = 0) -> Image.Image:
    """A table-top background from scikit-image's bundled textures (or plain wood noise)."""
    import numpy as np

    if name == "wood":
        rng = np.random.default_rng(seed)
        w, h = size
        base = np.linspace(0, 40 * np.pi, w)[None, :] + rng.normal(0, 0.3, (h, 1))
        grain = (np.sin(base) * 18 + rng.normal(0, 6, (h, w))).clip(-40, 40)
        arr = np.stack([150 + grain, 105 + grain * 0.8, 70 + grain * 0.6], axis=2)
        return Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    from importlib.resources import files

    tile = Image.open(str(files("skimage") / "data" / f"{name}.png")).convert("RGB")
    out = Image.new("RGB", size)
    for y in range(0, size[1], tile.height):
        for x in range(0, size[0], tile.width):
            out.paste(tile, (x, y))
    return out


def random_quad(rng, frame: tuple[int, int], aspect: float, *, fill: float = 0.55,  # type: ignore[no-untyped-def]
                max_rotation: float = 25.0, max_skew: float = 0.08):
    """Four corners (TL, TR, BR, BL) of a document placed at random in ``frame``."""
    import math

    import numpy as np

    fw, fh = frame
    width = fill * min(fw, fh * aspect) * rng.uniform(0.85, 1.1)
    height = width / aspect
    angle = math.radians(rng.uniform(-max_rotation, max_rotation))
    c, s = math.cos(angle), math.sin(angle)
    half = np.array([[-width / 2, -height / 2], [width / 2, -height / 2],
                     [width / 2, height / 2], [-width / 2, height / 2]])
    skew = rng.uniform(-max_skew, max_skew, size=(4, 2)) * np.array([width, height])
    pts = (half + skew) @ np.array([[c, s], [-s, c]])
    span = pts.max(axis=0) - pts.min(axis=0)
    room = np.maximum(np.array([fw, fh]) - span, 1)
    offset = -pts.min(axis=0) + rng.uniform(0.1, 0.9, size=2) * room
    return (pts + offset).astype("float32")


def photograph(card: Image.Image, background: Image.Image, quad) -> Image.Image:  # type: ignore[no-untyped-def]
    """``card`` warped onto ``quad`` of ``background``, as a phone would see it."""
    import cv2
    import numpy as np

    w, h = card.size
    src = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype="float32")
    matrix = cv2.getPerspectiveTransform(src, np.asarray(quad, dtype="float32"))
    size = background.size
    warped = cv2.warpPerspective(np.asarray(card), matrix, size, flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), matrix, size)
    bg = np.asarray(background).copy()
    shadow = cv2.GaussianBlur(mask, (0, 0), 12) > 40
    bg[shadow & (mask == 0)] = (bg[shadow & (mask == 0)] * 0.7).astype(np.uint8)
    bg[mask > 127] = warped[mask > 127]
    return Image.fromarray(bg)


def degrade(img: Image.Image, rng, *, noise: float = 6.0, blur: float = 0.0) -> Image.Image:  # type: ignore[no-untyped-def]
    import numpy as np
    from PIL import ImageFilter

    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    arr = np.asarray(img).astype(np.float32) + rng.normal(0, noise, (img.height, img.width, 3))
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


# EXIF orientation tag value -> the transpose that, undone by exif_transpose, gives upright
_STORE_AS = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def save_with_orientation(img: Image.Image, path: Path, orientation: int, *,
                          gps: bool = True, quality: int = 90) -> None:
    """Save a JPEG the way a phone does: pixels as the sensor saw them, plus an EXIF
    Orientation tag (and camera and GPS tags, so tests can prove they are dropped)."""
    op = _STORE_AS[orientation]
    stored = img.transpose(op) if op is not None else img
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "SyntheticPhone"          # Make
    exif[0x0110] = "Model X"                 # Model
    if gps:
        exif[0x8825] = {1: "N", 2: (39.0, 54.0, 26.0), 3: "E", 4: (116.0, 23.0, 29.0)}
    stored.save(path, "JPEG", quality=quality, exif=exif)
