"""Where the shipped data lives (resources/ beside the packages, or installed with them)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    override = os.environ.get("YIBAO_RESOURCES")
    if override:
        return Path(override)
    beside = Path(__file__).resolve().parent.parent / "resources"
    if beside.is_dir():
        return beside
    from importlib.resources import files  # installed as a data package

    return Path(str(files("resources")))


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
