"""Read a material file: straighten it as the pipeline does, read its text, parse it.

A straightened ID card is turned the right way up by its layout before it is read (see
forms.imaging.turns), so its lines are read without the engine's half-turn check; the
print-ready image is upright too, so nothing is left for the person to turn
(``Read.upside_down`` stays False, ``ScanResult.turned`` tells what happened). Where
the layout says nothing (a doubted outline, another document) the engine turns
upside-down lines before reading them, so a card upside down is still read in one pass
(and said so). Only an image whose text stands on end (a flat scan lying
sideways, with no outline to straighten it by) is read a second time, a quarter turn
on: which quarter does not matter, the engine turns any line still upside down.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from forms import idnumbers
from forms.imaging.scans import ScanResult, process_scan
from forms.ocr.engine import Line, read_lines
from forms.ocr.fields import Read, parse

ANCHORS = ("姓名", "性别", "民族", "出生", "住址", "号码", "签发机关", "有效期", "居民身份证",
           "居住证", "户别", "户主")


def anchors(result: Read) -> int:
    """How many printed labels were read: a measure of reading the right way up."""
    text = "".join(ln.text for ln in result.lines)
    return sum(label in text for label in ANCHORS)


def sideways(lines: list[Line]) -> bool:
    """Most text boxes standing on end: the text runs up or down the image."""
    boxes = [ln for ln in lines if ln.aspect and len(ln.text) >= 2]
    return len(boxes) >= 3 and sum(ln.aspect < 0.8 for ln in boxes) > len(boxes) / 2


def read_image(img: Image.Image, kind: str, *, upright: bool = False) -> Read:
    """Fields read from ``img``. ``upright``: the card's layout already said it stands
    the right way up; its lines are read without the half-turn check, and only when
    that read finds too few labels is the image read again the ordinary way."""
    if upright:
        lines = read_lines(img, upright=True)
        result = parse(kind, lines)
        if anchors(result) >= 2 and not sideways(lines):
            return result
    lines = read_lines(img)
    result = parse(kind, lines)
    if anchors(result) >= 2 and not sideways(lines):
        return result
    turned_lines = read_lines(img.transpose(Image.Transpose.ROTATE_270))
    turned = parse(kind, turned_lines)
    # The engine reads a standing box by turning it, so a sideways read can find the
    # labels too; but only lines lying flat give rows, so those win a near tie.
    if sideways(lines) and not sideways(turned_lines):
        return turned if anchors(turned) >= anchors(result) - 1 else result
    return turned if anchors(turned) > anchors(result) else result


def read_document(path: Path, kind: str, *, corners: Sequence[Sequence[float]] | None = None,
                  page: int = 0, rotate: int = 0) -> Read:
    scan = process_scan(Path(path), kind, corners=corners, page=page, rotate=rotate)
    return read_scan(scan, kind)


def read_scan(scan: ScanResult, kind: str) -> Read:
    """Text from a processed scan. A doubted outline is not served, but reading through
    it still helps: the card's text is several times larger there than in the whole
    photo. That crop is read once: when it shows too little, the outline is wrong rather
    than the crop's way up (turning it and reading again cost two more passes and found
    no more), so the whole image is read instead."""
    if scan.reading is None:
        return read_image(scan.image, kind, upright=scan.upright_known)
    lines = read_lines(scan.reading, upright=scan.upright_known)
    first = parse(kind, lines)
    if complete(first, kind) and not sideways(lines):
        return first
    whole = read_image(scan.image, kind)
    return max((first, whole), key=lambda r: (complete(r, kind), _valid_number(r), anchors(r)))


def complete(read: Read, kind: str) -> bool:
    """Enough of a card side read to stop: its labels and, on the portrait side, a valid
    number (the emblem side has none: its issuing authority or validity stands in)."""
    if kind == "id_card_back":
        return anchors(read) >= 2 and bool(read.value("authority") or read.value("valid_until"))
    return anchors(read) >= 3 and _valid_number(read)


def _valid_number(read: Read) -> bool:
    number = read.value("id_number")
    return number is not None and idnumbers.problem_of(number) in (None, "type")
