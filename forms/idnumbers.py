"""18-character ID numbers: resident ID cards, HK/Macau/Taiwan residence permits and the
foreign permanent residence card (2023 edition); and the 2017 foreign permanent residence
card's 15 characters, still valid alongside the new one.

python-stdnum's ``cn.ric`` validates resident ID numbers but rejects the 81/82/83 region
prefixes of residence permits, and knows nothing of the 9-prefixed foreign permanent
residence numbers; all three share GB 11643's layout and ISO 7064 MOD 11-2 check digit, so
one parser serves all of them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from stdnum import numdb
from stdnum.cn import ric

from forms.vocabulary import IdType

HMT_PREFIXES: dict[str, str] = {"810000": "hong_kong", "820000": "macau", "830000": "taiwan"}

# The 2017 card: 3 Latin letters (the nationality) + 12 digits (National Immigration
# Administration, notice on adapting systems to the 2023 card). No published check rule was
# found for it, so only the format is validated; birth date and sex must be typed.
FOREIGN_2017 = re.compile(r"[A-Z]{3}\d{12}")

# Problems, as catalog-friendly codes (finding codes append these).
IdProblem = Literal["length", "format", "checksum", "birth_date", "future_birth", "region", "type"]


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A parsed, valid ID number and what it tells."""

    number: str
    kind: IdType
    birth_date: dt.date
    sex: Literal["male", "female"]
    region_code: str
    region_name: str | None


class IdNumberError(ValueError):
    """Why a string is not a valid ID number; ``problem`` is a stable code."""

    def __init__(self, problem: IdProblem) -> None:
        super().__init__(problem)
        self.problem: IdProblem = problem


def normalise(text: str) -> str:
    """Strip spaces and dashes, upper-case the check letter (people type 'x')."""
    return "".join(ch for ch in text if ch not in " -\t\u3000").upper()


def mask(number: str | None, *, head: int = 6, tail: int = 2) -> str:
    """Never log a full ID number: keep the first ``head`` and last ``tail`` characters
    (6 and 2 in logs; the recent-applicants list and a service point's batch summary keep
    only the last four, which is what staff read out to match a person)."""
    if not number:
        return ""
    n = normalise(number)
    if len(n) <= head + tail:
        return "*" * len(n)
    return n[:head] + "*" * (len(n) - head - tail) + n[len(n) - tail:]


def kind_of(number: str) -> IdType:
    """Which document an 18-character number belongs to, from its prefix."""
    if number[:6] in HMT_PREFIXES:
        return "hmt_residence_permit"
    if number[:1] == "9":
        return "foreign_permanent_residence"
    return "resident_id"


def parse(text: str, *, today: dt.date | None = None) -> IdNumber:
    """Validate and decode; raises IdNumberError with a stable problem code."""
    number = normalise(text)
    if len(number) != 18:
        raise IdNumberError("length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError("format")
    if ric.calc_check_digit(number) != number[17]:
        raise IdNumberError("checksum")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError("birth_date") from None
    if birth.year < 1890:
        raise IdNumberError("birth_date")
    if birth > (today or dt.date.today()):
        raise IdNumberError("future_birth")
    kind = kind_of(number)
    region_name: str | None = None
    if kind == "resident_id":
        region_name = region_name_of(number[:6])
        if region_name is None:
            raise IdNumberError("region")
    sex: Literal["male", "female"] = "male" if int(number[16]) % 2 == 1 else "female"
    return IdNumber(number, kind, birth, sex, number[:6], region_name)


def region_name_of(code: str) -> str | None:
    """Province, city and county for a 6-digit region code ("广东省深圳市福田区"), or None if
    no such code ever existed.

    stdnum's ``get_birth_place`` also demands that the county existed in the birth year,
    but numbers are assigned where a person is registered, often years after birth (a
    1975 birth registered in Shenzhen's Futian district, created later, is a real number),
    so that check rejects valid numbers. Here any code the database has ever known counts.
    """
    county = _county(code)
    if county is None:
        return None
    province = _province(code)
    city = _county(code[:4] + "00") if code[4:] != "00" else None
    if city in _NOT_A_CITY:
        city = None  # municipalities list their districts under 市辖区
    return province + (city or "") + county


# Prefecture-level entries that are not names (a municipality's "districts" and "counties").
_NOT_A_CITY = (None, "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划",
               "省直辖县级行政单位", "自治区直辖县级行政单位")


def _props(code: str) -> dict[str, str]:
    info: dict[str, str] = {}
    for _part, props in numdb.get("cn/loc").info(code):
        info.update(props)
    return info


def _province(code: str) -> str:
    return _props(code).get("province") or ""


def _county(code: str) -> str | None:
    """The latest name a code had, without the "[1983-]" validity prefixes."""
    county = _props(code).get("county")
    if not county:
        return None
    return [c.split("]", 1)[-1] for c in county.split(",")][-1]


def is_foreign_2017(text: str) -> bool:
    """A 2017-edition foreign permanent residence card number (format only)."""
    return FOREIGN_2017.fullmatch(normalise(text)) is not None


def problem_of(text: str, *, expected: IdType | None = None,
               today: dt.date | None = None) -> IdProblem | None:
    """None when valid (and of the expected document type), else the problem code."""
    if len(normalise(text)) == 15 and expected in (None, "foreign_permanent_residence"):
        return None if is_foreign_2017(text) else "format"
    if is_foreign_2017(text):
        return "type"
    try:
        parsed = parse(text, today=today)
    except IdNumberError as exc:
        return exc.problem
    if expected is not None and parsed.kind != expected:
        return "type"
    return None
