"""From text lines to fields, for each kind of document.

Card layouts are fixed, so each field is found by its printed label (姓名, 性别, 住址 …)
and read from the rest of that line; the ID number is found by its shape anywhere and
accepted only with a valid check digit, after fixing the confusions OCR makes with
digits (O for 0, l or I for 1, lower-case x).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace

from forms import idnumbers
from forms.ocr.engine import Line

FIELD_NAMES = ("name", "sex", "ethnicity", "birth_date", "address", "id_number", "authority",
               "valid_from", "valid_until", "issuer")

_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1",
                            "Z": "2", "S": "5", "B": "8", "x": "X", "×": "X"})
_NUMBER = re.compile(r"[0-9OoDIl|ZSB]{17}[0-9Xx×]")
# An address runs on line after line (0.07 of a card's height apart on the simple generated
# cards, 0.085 in the printed layout: close to this limit); text further below — such as a
# copy's usage mark in the blank band above the number — is not part of it.
ADDRESS_GAP = 0.09
_DATE = re.compile(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})")


@dataclass
class Read:
    kind: str
    fields: dict[str, tuple[str, float]] = field(default_factory=dict)  # value, confidence
    side: str | None = None          # "front" or "back" for cards, from the labels seen
    upside_down: bool = False
    lines: list[Line] = field(default_factory=list)
    # field -> why its value needs a look: "rare_character" (a name character outside
    # GB 2312 read without high confidence), "from_number" (the birth date printed on the
    # card was not read as the valid ID number says; the number's date is given)
    flags: dict[str, str] = field(default_factory=dict)
    misread: dict[str, str] = field(default_factory=dict)   # field -> what OCR had read

    def value(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found[0] if found else None


def _after(label: str, text: str) -> str:
    return text.split(label, 1)[1].strip(" :：") if label in text else ""


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def find_number(lines: list[Line]) -> tuple[str, float] | None:
    """The first 18-character run whose check digit is valid, with its line's confidence."""
    candidates = []
    for ln in lines:
        for m in _NUMBER.finditer(_compact(ln.text)):
            number = m.group(0).translate(_DIGIT_FIX)
            if idnumbers.problem_of(number) in (None, "type"):
                return number, ln.score
            candidates.append((number, ln.score * 0.3))
    return candidates[0] if candidates else None


def _date(text: str) -> str | None:
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def _beside(lines: list[Line], label: Line) -> Line | None:
    """The text box to the right of a label on the same row (some fonts space them apart)."""
    row = [ln for ln in lines if ln is not label and abs(ln.top - label.top) < 0.04
           and ln.left > label.left]
    return min(row, key=lambda ln: ln.left) if row else None


RARE_SURE = 0.95   # a rare name character read with less than this is flagged


def common_slope(lines: list[Line]) -> float:
    """A card read through a doubted, tilted crop has its rows sloping: heights are taken
    along the lines' common slope (a short box's own slope, such as a two-character
    label's, is too noisy to level by)."""
    slopes = sorted(ln.slope for ln in lines if ln.slope and len(ln.text) >= 4)
    return slopes[len(slopes) // 2] if len(slopes) >= 3 else 0.0


def rows(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into printed rows by their boxes' vertical overlap, left to right.

    Sorting by rounded heights put a value printed a pixel higher than its label (the
    first address line beside 住址) before the label, where it was lost.
    """
    slope = common_slope(lines)

    def level(item: Line) -> float:
        return item.top - slope * (item.left - 0.5)

    out: list[list[Line]] = []
    for ln in sorted(lines, key=level):
        if out:
            row = out[-1]
            centre = sum(level(item) for item in row) / len(row)
            tolerance = 0.5 * max([ln.height] + [item.height for item in row]) or 0.02
            if abs(level(ln) - centre) < tolerance:
                row.append(ln)
                continue
        out.append([ln])
    return [sorted(row, key=lambda item: item.left) for row in out]


def _row_text(row: list[Line]) -> str:
    return _compact("".join(ln.text for ln in row))


def _rare(text: str) -> bool:
    for ch in text:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            return True
    return False


def _label_line(lines: list[Line], *labels: str) -> Line | None:
    for ln in lines:
        text = _compact(ln.text)
        if any(text.startswith(lb) for lb in labels):
            return ln
    return None


def _labelled(lines: list[Line], label: str) -> tuple[str, float] | None:
    """The text after ``label`` on its line, or in the box beside it when the card prints
    the value apart from its label (the emblem side's authority and validity)."""
    line = _label_line(lines, label)
    if line is None:
        return None
    text, score = _after(label, _compact(line.text)), line.score
    if not text and (beside := _beside(lines, line)) is not None:
        text, score = _compact(beside.text), min(score, beside.score)
    return text, score


def parse(kind: str, lines: list[Line]) -> Read:
    # Full-width digits and letters (１９７５, Ｘ) become ASCII before anything is matched.
    lines = [replace(ln, text=unicodedata.normalize("NFKC", ln.text)) for ln in lines]
    name_line = _label_line(lines, "姓名")
    number_line = next((ln for ln in lines if "号码" in ln.text), None)
    upside_down = bool(name_line and number_line and name_line.top > number_line.top)
    if upside_down:
        # Each line was turned upright before it was read; their places are turned here,
        # so rows and reading order are the card's.
        lines = [replace(ln, top=1 - ln.top, left=1 - ln.left) for ln in lines]
    lines = [ln for row in rows(lines) for ln in row]
    out = Read(kind, lines=lines, upside_down=upside_down)
    texts = [_compact(ln.text) for ln in lines]
    joined = "".join(texts)
    front = any(k in joined for k in ("姓名", "公民身份号码", "住址"))
    back = any(k in joined for k in ("签发机关", "有效期限", "居民身份证"))
    if kind in ("id_card_front", "id_card_back"):
        out.side = "front" if front and not back else "back" if back and not front else None
    name_line = _label_line(lines, "姓名")
    number = find_number(lines)
    if number:
        out.fields["id_number"] = number
    if kind in ("id_card_front", "hukou_personal_page", "residence_permit") and name_line:
        name, score = _after("姓名", _compact(name_line.text)), name_line.score
        if not name and (beside := _beside(lines, name_line)) is not None:
            name, score = _compact(beside.text), min(score, beside.score)
        if name:
            out.fields["name"] = (name, score)
            if _rare(name) and score < RARE_SURE:
                out.flags["name"] = "rare_character"
    if kind == "id_card_front":
        _front(lines, out)
    elif kind == "id_card_back":
        auth = _labelled(lines, "签发机关")
        if auth and auth[0]:
            out.fields["authority"] = auth
        valid = _labelled(lines, "有效期限")
        if valid:
            span = re.findall(r"\d{4}[.\-]\d{2}[.\-]\d{2}|长期", valid[0])
            if len(span) == 2:
                out.fields["valid_from"] = (span[0].replace(".", "-"), valid[1])
                out.fields["valid_until"] = (span[1].replace(".", "-"), valid[1])
    elif kind == "residence_permit":
        title = next((ln for ln in lines if "居住证" in _compact(ln.text)), None)
        if title is not None and (place := _compact(title.text).split("居住证", 1)[0]):
            out.fields["issuer"] = (place, title.score)  # the city printed in the title
        until = _label_line(lines, "有效期至")
        if until and (day := _date(until.text)):
            out.fields["valid_until"] = (day, until.score)
    elif kind == "hukou_personal_page":
        addr = _label_line(lines, "住址")
        if addr:
            out.fields["address"] = (_after("住址", _compact(addr.text)), addr.score)
    return out


def _front(lines: list[Line], out: Read) -> None:
    card_rows = rows(lines)
    for row in card_rows:
        text = _row_text(row)
        score = min(ln.score for ln in row)
        m = re.search(r"性[别別]([男女])", text)
        if m:
            out.fields["sex"] = ("male" if m[1] == "男" else "female", score)
        m = re.search(r"民族([\u4e00-\u9fff]{1,6})", text)
        if m:
            out.fields["ethnicity"] = (m[1], score)
        # "出生 1975" and "年11月25日" are often two boxes: the row holds them together.
        if text.startswith("出生") and (day := _date(text)):
            out.fields["birth_date"] = (day, score)
    _birth_from_number(out)
    start = next((i for i, row in enumerate(card_rows) if _row_text(row).startswith("住址")),
                 None)
    if start is None:
        return
    parts: list[str] = []
    score = 1.0
    last = None
    slope = common_slope(lines)
    for i, row in enumerate(card_rows[start:]):
        # the portrait's column (and a sample stamp there) is no part of the address
        kept = [ln for ln in row if ln.left < 0.62]
        text = _row_text(kept)
        if not kept or (i and ("号码" in text or _NUMBER.search(text))):
            break   # nothing left of the portrait column (even on the label's row): no more
        # the row's level (along the common slope) where the address text runs: on the
        # first row that is beside the label, whose own box may sit lower
        text_boxes = [ln for ln in kept if not _compact(ln.text).startswith("住址")
                      or len(_compact(ln.text)) > 2] or kept
        top = min(ln.top - slope * (ln.left - 0.5) for ln in text_boxes)
        if last is not None and top - last > ADDRESS_GAP:
            break  # a gap: what follows (the use mark on a copy) is not the address
        last = top
        if i and min(ln.left - ln.width / 2 for ln in kept) > 0.45:
            break  # the address column starts at the left; this row is something else
        if i == 0:
            text = _after("住址", text)
        parts.append(text)
        score = min([score] + [ln.score for ln in kept])
    if "".join(parts):
        out.fields["address"] = ("".join(parts), score)


def _birth_from_number(out: Read) -> None:
    """The birth date the valid ID number encodes wins over a misread printed date."""
    number = out.fields.get("id_number")
    if number is None or idnumbers.problem_of(number[0]) is not None:
        return
    digits = number[0][6:14]
    try:
        encoded = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    except ValueError:
        return
    read = out.fields.get("birth_date")
    if read is not None and read[0] == encoded:
        return
    if read is not None:
        out.misread["birth_date"] = read[0]
    out.fields["birth_date"] = (encoded, number[1])
    out.flags["birth_date"] = "from_number"
