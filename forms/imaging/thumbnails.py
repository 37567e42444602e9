"""Thumbnails for the GUI: a 12-megapixel phone photo is never fully decoded just to show it.

For JPEGs ``Image.draft`` asks the decoder for a 1/2–1/8 scale image directly, which is
where the time goes; ``thumbnail`` then finishes the resize.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from forms.imaging.loader import load_image


def thumbnail(path: Path, size: int = 256, *, page: int = 0) -> Image.Image:
    """An upright RGB thumbnail whose longer side is at most ``size`` pixels."""
    # Ask for a little more than the thumbnail so the decoder may use its 1/8 scale.
    loaded = load_image(Path(path), page=page, need_pixels=round(1.5 * size) ** 2)
    img = loaded.image
    img.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return img
