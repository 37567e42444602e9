"""Property-based tests: whatever an application file or a profile file holds, loading it
either works or fails with the domain's own error — never anything else."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.errors import FormsError
from forms.profiles import load_profile
from forms.profiles.loader import load_profile_from, profiles_dir
from forms.rules import run
from forms.storage import parse_application
from tests.conftest import SAMPLES, TODAY, examples

SAMPLE = json.loads((SAMPLES / "complete" / "application.json").read_text("utf-8"))
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True), st.text(max_size=40),
                    st.sampled_from(["", "1990-13-45", "2026-02-28", "male", "resident",
                                     "11010519491231002X", "💥", "\x00", "a" * 600]))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=20)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


SAMPLE_PATHS = _paths(SAMPLE)[1:]


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    doc = copy.deepcopy(doc)
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return doc


@settings(max_examples=examples(250), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(SAMPLE_PATHS), value=json_values)
def test_any_value_anywhere_in_an_application(path: tuple[Any, ...], value: Any) -> None:
    raw = json.dumps(_set(SAMPLE, path, value)).encode()
    try:
        app = parse_application(raw, file="fuzz.json")
    except FormsError:
        return
    run(app, load_profile(app.profile_id) if app.profile_id == "national" else
        load_profile("national"), TODAY)   # a valid application always checks cleanly


@settings(max_examples=examples(150), deadline=None)
@given(data=st.binary(max_size=400))
def test_any_bytes_as_an_application(data: bytes) -> None:
    try:
        parse_application(data, file="bytes.json")
    except FormsError:
        pass


PROFILE = yaml.safe_load((profiles_dir() / "shenzhen.yaml").read_text("utf-8"))
PROFILE_PATHS = _paths(PROFILE)[1:]


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PROFILE_PATHS), value=json_values)
def test_any_value_anywhere_in_a_profile(tmp_path: Path, path: tuple[Any, ...],
                                         value: Any) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir(exist_ok=True)
    (folder / "national.yaml").write_text((profiles_dir() / "national.yaml").read_text("utf-8"),
                                          encoding="utf-8")
    target = folder / "shenzhen.yaml"
    target.write_text(yaml.safe_dump(_set(PROFILE, path, value), allow_unicode=True),
                      encoding="utf-8")
    try:
        load_profile_from(target)
    except FormsError as exc:
        assert "shenzhen.yaml" in str(exc) or "national.yaml" in str(exc)
