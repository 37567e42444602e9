"""Upgrade application data saved by earlier versions to the current schema.

Version 1 (the pre-release format) named the profile ``profile`` and kept materials as a
mapping from kind to a list of files; version 2 lists materials as objects so each can
carry a note and, later, processing results. Version 3 adds households: ``members`` and
``Material.member``; a version 2 file is one person, so it gains nothing but the number.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from forms.application import SCHEMA_VERSION
from forms.errors import ApplicationMalformed, SchemaTooNew

Data = dict[str, Any]


def _v1_to_v2(data: Data) -> Data:
    out = dict(data)
    if "profile" in out:
        out["profile_id"] = out.pop("profile")
    materials = out.get("materials")
    if isinstance(materials, dict):
        out["materials"] = [
            {"kind": kind, "file": file}
            for kind, files in materials.items()
            for file in (files if isinstance(files, list) else [files])
        ]
    out["schema_version"] = 2
    return out


def _v2_to_v3(data: Data) -> Data:
    out = dict(data)
    out["schema_version"] = 3
    return out


MIGRATIONS: dict[int, Callable[[Data], Data]] = {1: _v1_to_v2, 2: _v2_to_v3}


def migrate(data: Data, *, file: str = "") -> Data:
    """Bring ``data`` to SCHEMA_VERSION; refuse versions from the future."""
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ApplicationMalformed("bad schema_version", file=file, reason="bad_version")
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(f"version {version}", file=file, version=version)
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version = data["schema_version"]
    return data
