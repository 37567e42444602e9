"""Read a material file: straighten it as the pipeline does, read its text, parse it; a
card read upside down is read again turned the right way up (and said so)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from forms.imaging.scans import process_scan
from forms.ocr.engine import read_lines
from forms.ocr.fields import Read, parse

ANCHORS = ("姓名", "性别", "民族", "出生", "住址", "号码", "签发机关", "有效期", "居民身份证",
           "居住证", "户别", "户主")


def anchors(result: Read) -> int:
    """How many printed labels were read: a measure of reading the right way up."""
    text = "".join(ln.text for ln in result.lines)
    return sum(label in text for label in ANCHORS)


def read_image(img: Image.Image, kind: str) -> Read:
    result = parse(kind, read_lines(img))
    if result.upside_down or anchors(result) < 2:
        turned = parse(kind, read_lines(img.rotate(180)))
        if result.upside_down or anchors(turned) > anchors(result):
            turned.upside_down = True
            return turned
    return result


def read_document(path: Path, kind: str, *, corners: Sequence[Sequence[float]] | None = None,
                  page: int = 0, rotate: int = 0) -> Read:
    scan = process_scan(Path(path), kind, corners=corners, page=page, rotate=rotate)
    return read_image(scan.image, kind)
