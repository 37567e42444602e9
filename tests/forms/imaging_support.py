"""Images for the imaging tests, all generated here (and one public-domain portrait)."""

from __future__ import annotations

import datetime as dt
from importlib.resources import files
from pathlib import Path

import numpy as np
from PIL import Image

from tests.support import synthetic

PERSON = synthetic.Person(name="王小明", sex="男", ethnicity="汉", birth=dt.date(1988, 8, 8),
                          address="四川省成都市武侯区人民南路四段12号",
                          id_number="510107198808081234")
ID_ASPECT = 85.6 / 54.0


def astronaut() -> Image.Image:
    """NASA's public-domain portrait of Eileen Collins, bundled with scikit-image."""
    return Image.open(str(files("skimage") / "data" / "astronaut.png")).convert("RGB")


def portrait_photo(size: int = 2048) -> Image.Image:
    return astronaut().resize((size, size), Image.Resampling.LANCZOS)


def card_photo(seed: int, *, frame: tuple[int, int] = (1600, 1200), side: str = "front",
               fill: float = 0.55, blur: float = 0.0, noise: float = 5.0,
               max_rotation: float = 25.0) -> tuple[Image.Image, np.ndarray]:
    """A card photographed on a table: the photo and the card's true corners in it."""
    rng = np.random.default_rng(seed)
    card = synthetic.id_front(PERSON) if side == "front" else synthetic.id_back(PERSON)
    bg = synthetic.texture(synthetic.TEXTURES[seed % len(synthetic.TEXTURES)], frame, seed)
    quad = synthetic.random_quad(rng, frame, ID_ASPECT, fill=fill, max_rotation=max_rotation)
    photo = synthetic.degrade(synthetic.photograph(card, bg, quad), rng, noise=noise, blur=blur)
    return photo, quad


def red_mark_centre(img: Image.Image) -> tuple[float, float] | None:
    """Where the orientation mark is, as fractions of width and height."""
    arr = np.asarray(img).astype(int)
    red = (arr[..., 0] > 170) & (arr[..., 1] < 90) & (arr[..., 2] < 90)
    if red.sum() < 50:
        return None
    ys, xs = np.nonzero(red)
    return float(xs.mean() / img.width), float(ys.mean() / img.height)


EXPECTED_MARK = (54 / synthetic.CARD_PX[0], 54 / synthetic.CARD_PX[1])


def save(img: Image.Image, path: Path, fmt: str = "JPEG", **kw: object) -> Path:
    img.save(path, fmt, **kw)
    return path
