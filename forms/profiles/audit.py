"""Which values in a profile need someone to check them: unverified or not checked lately.

A service point maintains the data from this list: every dated value flagged unverified
(by itself, its parameter or its source), every material requirement flagged so, and every
value whose last verification is older than the staleness limit, each with its source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from forms.profiles.dated import Dated
from forms.profiles.schema import MaterialRequirement, Profile

STALE_AFTER_DAYS = 365


@dataclass(frozen=True)
class AuditRow:
    profile: str
    path: str
    since: str
    value: str
    source: str
    verified: str
    unverified: bool
    stale: bool


def _value_text(value: Any) -> str:
    if isinstance(value, BaseModel):
        return ", ".join(f"{k}={v}" for k, v in value.model_dump(mode="json").items())
    return str(value)


def _walk(node: Any, path: str, profile: Profile, on: dt.date, out: list[AuditRow]) -> None:
    if isinstance(node, Dated):
        for day, entry in sorted(node.values.items()):
            if entry.value is None:
                continue
            source = entry.source or node.source or ""
            verified = entry.verified or node.verified or day
            src = profile.sources.get(source)
            flagged = entry.unverified if entry.unverified is not None else node.unverified
            unverified = bool(flagged or (src is not None and src.unverified))
            stale = (on - verified).days > STALE_AFTER_DAYS
            if unverified or stale:
                out.append(AuditRow(profile.id, path, day.isoformat(), _value_text(entry.value),
                                    source, verified.isoformat(), unverified, stale))
    elif isinstance(node, MaterialRequirement):
        src = profile.sources.get(node.source)
        unverified = node.unverified or (src is not None and src.unverified)
        stale = (on - node.verified).days > STALE_AFTER_DAYS
        if unverified or stale:
            out.append(AuditRow(profile.id, path, "", node.kind, node.source,
                                node.verified.isoformat(), unverified, stale))
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            if name != "sources":
                _walk(getattr(node, name), f"{path}.{name}" if path else name, profile, on, out)
    elif isinstance(node, dict):
        for key, value in node.items():
            _walk(value, f"{path}.{key}", profile, on, out)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _walk(value, f"{path}.{i}", profile, on, out)


def audit(profile: Profile, on: dt.date) -> list[AuditRow]:
    """Every unverified or stale value in ``profile`` as it stands (inheritance applied)."""
    out: list[AuditRow] = []
    _walk(profile, "", profile, on, out)
    return out
