"""The analyses a sample ships (scripts/sample_analyses.py), for a ``.yibao`` made from it.

A ``.yibao`` the app saves carries the analyses of its files; one made in a test should
too, unless reading is what the test is about, or every test that opens it reads the same
four cards again (tests/forms/test_sample_analyses.py holds the shipped ones to a fresh
analysis)."""

from __future__ import annotations

from pathlib import Path

from forms.analysis.cache import Opened, cache_file, cache_for, dump_cache, read_cache_file


def shipped(opened: Opened) -> bytes:
    """The analyses beside an opened sample, as a ``.yibao`` member."""
    return dump_cache(cache_for(opened).values())


def shipped_beside(app_json: Path) -> bytes:
    """The analyses beside a sample's application.json, as a ``.yibao`` member."""
    return dump_cache(read_cache_file(cache_file(app_json)).values())
