"""How every command prints a finding (one line of text, or one JSON object), and what
the commands take from the environment."""

from __future__ import annotations

import json
import os
import re
from typing import Any

from forms.errors import BadArgument
from forms.findings import Finding
from forms.messages import field_label, render_finding, render_params, t

MARK = {"error": "✗", "warning": "!", "info": "·"}
# Findings whose advice differs on the command line (an option, not the app's settings).
_CLI_TEXT = {"packet.glyph_missing": "cli.glyph_missing"}


def finding_line(f: Finding, lang: str, profile: Any = None) -> str:
    return (f"{MARK[f.severity]} {t(f'severity.{f.severity}', lang)}: "
            f"{_text(f, lang, profile)}")


def _text(f: Finding, lang: str, profile: Any) -> str:
    if f.code in _CLI_TEXT:
        return t(_CLI_TEXT[f.code], lang, **render_params(f.params, lang, profile),
                 field=field_label(f.field, lang))
    return render_finding(f, lang, profile)


# C1 controls and bidi overrides: json.dumps(ensure_ascii=False) leaves them raw, and
# U+009B alone starts an escape sequence in some terminals.
_RAW_IN_JSON = re.compile("[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029"
                          "\u2066-\u2069]")


def json_text(data: Any) -> str:
    """JSON for the terminal: readable Chinese, but no character a terminal would act on
    (those only occur inside strings, where ``\\uXXXX`` means the same)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def passphrase_from_env() -> str | None:
    """YIBAO_PASSPHRASE as text. Its bytes must be UTF-8: Python would otherwise hand on
    undecodable bytes as lone surrogates, which no key derivation can encode."""
    raw = os.environb.get(b"YIBAO_PASSPHRASE") if os.supports_bytes_environ else None
    if raw is None:
        return os.environ.get("YIBAO_PASSPHRASE")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadArgument("YIBAO_PASSPHRASE", reason="passphrase_not_utf8") from None


def finding_json(f: Finding, lang: str, profile: Any = None) -> dict[str, Any]:
    return {"code": f.code, "severity": f.severity, "field": f.field,
            "message": render_finding(f, lang, profile), "params": f.params}
