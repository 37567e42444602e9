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


def user_data() -> Path:
    """The user's own data folder (settings, recovery, local profiles, the analysis key):
    $YIBAO_DATA_DIR, else the platform's place for it. Not created here."""
    override = os.environ.get("YIBAO_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("yibao-desk", appauthor=False))
