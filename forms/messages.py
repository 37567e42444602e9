"""Message catalogs: every sentence the user reads, in Chinese and English.

Findings and errors carry keys and parameters; this module turns them into text for the
command line, the GUI and the PDF alike. Parameters that are themselves vocabulary
(a material kind, a scheme, a source id) are translated too, so no English identifier
leaks into a Chinese sentence.
"""

from __future__ import annotations

import json
import locale
import os
import re
import unicodedata
from functools import cache
from typing import Any

from forms.errors import FormsError
from forms.findings import Finding
from forms.paths import resource
from forms.vocabulary import LANGS

DEFAULT_LANG = "zh"

# Parameter name -> catalog prefix of its values.
_VOCAB_PARAMS = {
    "kind": "material",
    "scheme": "scheme",
    "situation": "situation",
    "id_type": "id_type",
    "typed_sex": "sex",
    "id_sex": "sex",
    "read_sex": "sex",
    "answer": "field",
    "group": "group",
    "retirement_category": "retirement_category",
    "reading": "waiting_reading",
    "relation": "relation",
}


@cache
def catalog(lang: str) -> dict[str, str]:
    if lang not in LANGS:
        lang = DEFAULT_LANG
    path = resource("messages", f"{lang}.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{path.name}: every entry must be a string")
    return data


def system_lang() -> str:
    """zh or en from the environment's locale; Chinese when it says nothing clear."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT_LANG
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return "en" if code.lower().startswith("en") else DEFAULT_LANG


# "{count|problem|problems}": the singular when the parameter is 1, else the plural.
_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def _plurals(text: str, params: dict[str, Any]) -> str:
    def choose(m: re.Match[str]) -> str:
        value = params.get(m[1])
        return m[2] if isinstance(value, int) and not isinstance(value, bool) and abs(
            value) == 1 else m[3]

    return _PLURAL.sub(choose, text)


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def t(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The text for ``key``; the key itself when missing, so a gap shows but never crashes."""
    text = catalog(lang).get(key) or catalog(DEFAULT_LANG).get(key) or key
    if not params:
        return text
    return _plurals(text, params).format_map(_Params(params))


def field_label(path: str | None, lang: str) -> str:
    if not path:
        return ""
    if path.startswith("materials."):
        return t(f"material.{path.split('.', 1)[1]}", lang)
    return t(f"field.{path}", lang)


def _source_text(source_id: str, lang: str, profile: Any) -> str:
    src = getattr(profile, "sources", {}).get(source_id) if profile is not None else None
    if src is None:
        return source_id
    parts = [src.title.get(lang)]
    for part in (src.reference, src.article):
        if part:
            parts.append(part if isinstance(part, str) else part.get(lang))
    return (", " if lang == "en" else " ").join(parts)


def _profile_name(profile_id: str, lang: str) -> str:
    from forms.profiles.loader import load_profile  # profiles import nothing from here

    try:
        return load_profile(profile_id).name.get(lang)
    except FormsError:
        return profile_id


# Invisible characters that reorder or end lines: as harmful in a terminal as escapes.
_LINE_AND_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                           "\u2066\u2067\u2068\u2069\u2028\u2029")


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``, ``\\u202e``).

    Names and values read from a file reach the terminal, the window and the PDF inside
    messages; an archive must not be able to send an escape sequence (retitle the
    terminal, erase the line, fake output) or turn a line around with a bidi override.
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if unicodedata.category(ch) == "Cc" or ch in _LINE_AND_BIDI:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def render_params(params: dict[str, Any], lang: str, profile: Any = None) -> dict[str, Any]:
    """Parameters ready to be put into a sentence: vocabulary translated, numbers
    formatted, and every string escaped by ``printable`` (many come from files)."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        if name in _VOCAB_PARAMS and isinstance(value, str) and value:
            out[name] = t(f"{_VOCAB_PARAMS[name]}.{value}", lang)
        elif name == "source" and isinstance(value, str):
            out[name] = _source_text(value, lang, profile)
        elif name == "profile" and isinstance(value, str):
            out[name] = _profile_name(value, lang)
        elif name == "reason" and isinstance(value, str):
            others = render_params({k: v for k, v in params.items() if k != "reason"},
                                   lang, profile)
            out[name] = t(f"reason.{value}", lang, **others)
        elif name == "backup":
            out[name] = t("hint.backup", lang, backup=value) if value else ""
        elif name == "field" and isinstance(value, str):
            label = t(f"field.{value}", lang)
            out[name] = value if label == f"field.{value}" else label
        elif name == "alternative":
            out[name] = (t("hint.alternative", lang, scheme=t(f"scheme.{value}", lang))
                         if value else "")
        elif isinstance(value, float):
            out[name] = f"{value:,.2f}"
        else:
            out[name] = "" if value is None else value
    return {k: printable(v) if isinstance(v, str) else v for k, v in out.items()}


def render_finding(finding: Finding, lang: str = DEFAULT_LANG, profile: Any = None) -> str:
    params = render_params(finding.params, lang, profile)
    params["field"] = field_label(finding.field, lang)
    text = t(finding.key, lang, **params).strip()
    if finding.params.get("unverified"):
        text += t("note.unverified", lang)
    return text


def render_error(exc: BaseException, lang: str = DEFAULT_LANG) -> str:
    """One line for the user; unexpected exceptions get the generic message."""
    if isinstance(exc, FormsError):
        return t(exc.code, lang, **render_params(exc.params, lang))
    return t("error.unexpected", lang, detail=type(exc).__name__)
