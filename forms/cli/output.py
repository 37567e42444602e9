"""How every command prints a finding: one line of text, or one JSON object."""

from __future__ import annotations

from typing import Any

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


def finding_json(f: Finding, lang: str, profile: Any = None) -> dict[str, Any]:
    return {"code": f.code, "severity": f.severity, "field": f.field,
            "message": render_finding(f, lang, profile), "params": f.params}
