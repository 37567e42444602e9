"""Findings: what the checks say, as keys and parameters, never as sentences.

The GUI, the command line and the PDF all render the same finding from the message
catalogs (forms.messages), in the user's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from forms.vocabulary import Severity

Param = str | int | float | bool | None


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    field: str | None = None
    params: dict[str, Param] = Field(default_factory=dict)

    @property
    def key(self) -> str:
        """The message catalog key for this finding's text."""
        return f"finding.{self.code}"


def error(code: str, field: str | None = None, **params: Any) -> Finding:
    return Finding(code=code, severity="error", field=field, params=params)


def warning(code: str, field: str | None = None, **params: Any) -> Finding:
    return Finding(code=code, severity="warning", field=field, params=params)


def info(code: str, field: str | None = None, **params: Any) -> Finding:
    return Finding(code=code, severity="info", field=field, params=params)


_ORDER = {"error": 0, "warning": 1, "info": 2}


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then notes; stable within each."""
    return sorted(findings, key=lambda f: _ORDER[f.severity])


def has_errors(findings: Iterable[Finding]) -> bool:
    """Whether anything blocks: the one test for "this cannot serve as it is"."""
    return any(f.severity == "error" for f in findings)


def worst(findings: list[Finding]) -> str:
    """"error", "warning" or "ok": the badge a set of findings earns."""
    severities = {f.severity for f in findings}
    return "error" if "error" in severities else "warning" if "warning" in severities else "ok"
