"""Load region profiles from resources/profiles/*.yaml, validated, with inheritance.

A city profile ``extends: national`` and overrides what differs. Merging is on the raw
data before validation: mappings merge key by key, except a dated parameter (a mapping
with ``values``) and lists, which a child replaces whole — mixing a city's dates with the
nation's would invent values nobody published.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from forms.errors import ProfileInvalid, UnknownProfile
from forms.paths import resource
from forms.profiles.schema import Profile

DEFAULT_PROFILE = "national"
# libyaml's safe loader when the wheel has it: about 5x faster than the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def profiles_dir() -> Path:
    return resource("profiles")


def available_profiles() -> list[str]:
    """Profile ids, the national default first, then by id."""
    ids = sorted(p.stem for p in profiles_dir().glob("*.yaml"))
    return sorted(ids, key=lambda i: (i != DEFAULT_PROFILE, i))


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    except OSError as exc:
        raise ProfileInvalid(f"{path.name}: {exc.strerror}", file=path.name) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ProfileInvalid(f"{path.name}:{where} not valid YAML", file=path.name) from exc
    if not isinstance(data, dict):
        raise ProfileInvalid(f"{path.name}: not a mapping", file=path.name)
    return data


def merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    out = dict(parent)
    for key, value in child.items():
        base = out.get(key)
        if (
            isinstance(base, dict)
            and isinstance(value, dict)
            and "values" not in value
            and "values" not in base
        ):
            out[key] = merge(base, value)
        else:
            out[key] = value
    return out


def _raw(profile_id: str, directory: Path, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    path = directory / f"{profile_id}.yaml"
    if not path.is_file():
        raise UnknownProfile(profile_id, profile=profile_id)
    if profile_id in seen:
        raise ProfileInvalid(f"{path.name}: 'extends' loops back to itself", file=path.name)
    data = _read_yaml(path)
    if data.get("id") != profile_id:
        raise ProfileInvalid(f"{path.name}: id: must be '{profile_id}'", file=path.name)
    parent_id = data.get("extends")
    if parent_id is not None:
        if not isinstance(parent_id, str) or not (directory / f"{parent_id}.yaml").is_file():
            raise ProfileInvalid(f"{path.name}: extends: no profile named {parent_id!r}",
                                 file=path.name)
        parent = _raw(parent_id, directory, seen + (profile_id,))
        parent.pop("extends", None)
        data = merge(parent, {**data, "id": profile_id})
    return data


_DATE_REPR = re.compile(r"datetime\.date\((\d+), (\d+), (\d+)\)")


def _loc_part(part: object) -> str:
    # pydantic reports date keys by repr; show them as the profile author wrote them
    text = str(part)
    m = _DATE_REPR.fullmatch(text)
    return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}" if m else text


def format_validation_error(file: str, exc: ValidationError) -> str:
    """'beijing.yaml: schemes.flexible.rate.values.2026-01-01.value: …' — file and field."""
    first = exc.errors()[0]
    loc = ".".join(_loc_part(p) for p in first["loc"])
    more = len(exc.errors()) - 1
    tail = f" (+{more} more)" if more else ""
    return f"{file}: {loc}: {first['msg']}{tail}"


def load_profile_from(path: Path) -> Profile:
    """Load one profile file (its parent looked up beside it)."""
    data = _raw(path.stem, path.parent)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileInvalid(format_validation_error(path.name, exc), file=path.name) from exc


@cache
def load_profile(profile_id: str = DEFAULT_PROFILE) -> Profile:
    """A shipped profile by id; cached, since profiles are read-only data."""
    if not profile_id or not profile_id.replace("_", "").isalnum():
        raise UnknownProfile(profile_id, profile=profile_id)
    path = profiles_dir() / f"{profile_id}.yaml"
    if not path.is_file():
        raise UnknownProfile(profile_id, profile=profile_id)
    return load_profile_from(path)
