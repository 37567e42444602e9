"""The analyses a sample ships (scripts/sample_analyses.py), for files made from it.

A ``.yibao`` the app saves carries the analyses of its files, signed with the user's key
(forms.analysis.signing); a folder the command line checked has them beside it. Files a
test makes from a sample should too, unless reading is what the test is about, or every
test that opens them reads the same four cards again (tests/forms/test_sample_analyses.py
holds the shipped ones to a fresh analysis). Signing uses the key of the test's data
folder, as the user's own earlier save or ``check`` would have."""

from __future__ import annotations

import shutil
from pathlib import Path

from forms.analysis.cache import (
    CACHE_DIR,
    Opened,
    cache_file,
    cache_for,
    dump_cache,
    read_cache_file,
    write_cache_file,
)


def shipped(opened: Opened) -> bytes:
    """The analyses beside an opened sample, as a ``.yibao`` member."""
    return dump_cache(cache_for(opened).values())


def shipped_beside(app_json: Path) -> bytes:
    """The analyses beside a sample's application.json, as a ``.yibao`` member."""
    return dump_cache(read_cache_file(cache_file(app_json)).values())


def copy_sample(source: Path, dest: Path, *, analyses: bool = True) -> Path:
    """A copy of the sample folder ``source`` at ``dest``: with its analyses signed as
    if this user had checked the copy, or (``analyses=False``) with none."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(CACHE_DIR))
    app_json = Path(source) / "application.json"
    if analyses and app_json.is_file():
        kept = read_cache_file(cache_file(app_json))
        if kept:
            write_cache_file(cache_file(Path(dest) / "application.json"), kept.values())
    return Path(dest)
