"""How every command prints a finding: one line of text, or one JSON object."""

from __future__ import annotations

from typing import Any

from forms.findings import Finding
from forms.messages import render_finding, t

MARK = {"error": "✗", "warning": "!", "info": "·"}


def finding_line(f: Finding, lang: str, profile: Any = None) -> str:
    return (f"{MARK[f.severity]} {t(f'severity.{f.severity}', lang)}: "
            f"{render_finding(f, lang, profile)}")


def finding_json(f: Finding, lang: str, profile: Any = None) -> dict[str, Any]:
    return {"code": f.code, "severity": f.severity, "field": f.field,
            "message": render_finding(f, lang, profile), "params": f.params}
