"""A correct ToUnicode map for characters outside the Basic Multilingual Plane.

reportlab (5.1) writes each subset's ToUnicode CMap entry as ``<code> <%04X>``, so 𠇔
(U+201D4) becomes the five-digit ``<201D4>``. A PDF reader parses destination strings as
UTF-16BE, reads that as U+201D followed by a stray nibble, and copying or searching the
name gives "”". The PDF reference (9.10.3) wants such a character written as its UTF-16
surrogate pair, ``<D840DDD4>``.

``install()`` swaps reportlab's module-level ``makeToUnicodeCMap`` (looked up by name
each time a TrueType subset is written) for one that encodes every destination as
UTF-16BE. BMP characters come out exactly as before, so existing output is unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase import ttfonts

_ORIGINAL = ttfonts.makeToUnicodeCMap


def utf16_hex(code_point: int) -> str:
    """The code point as the hex digits of its UTF-16BE encoding (a surrogate pair above
    U+FFFF)."""
    return chr(code_point).encode("utf-16-be").hex().upper()


def make_to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's CMap, with every destination written as UTF-16BE."""
    text: str = _ORIGINAL(fontname, subset)
    if all(v <= 0xFFFF for v in subset):
        return text
    lines = text.split("\n")
    start = lines.index(f"{len(subset)} beginbfchar") + 1
    for i, v in enumerate(subset):
        lines[start + i] = f"<{i:02X}> <{utf16_hex(v)}>"
    return "\n".join(lines)


def install() -> None:
    """Make reportlab use the corrected map (idempotent)."""
    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap
