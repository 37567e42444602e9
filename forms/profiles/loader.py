"""Load region profiles from resources/profiles/*.yaml, validated, with inheritance.

A service point can drop updated profiles into the user's data folder (``profiles/``) or
name a folder with ``--profiles DIR``: each is validated with the same schema, and one
replaces the shipped profile of the same id only when it was verified later. Invalid local
files are reported (``yibao-desk profiles``) and otherwise ignored, never half-used.

A city profile ``extends: national`` and overrides what differs. Merging is on the raw
data before validation: mappings merge key by key, except a dated parameter (a mapping
with ``values``) and lists, which a child replaces whole — mixing a city's dates with the
nation's would invent values nobody published.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from forms.errors import ProfileInvalid, UnknownProfile
from forms.paths import resource, user_data
from forms.profiles.marked import MarkedError, Problem, problems_of, read_marked
from forms.profiles.schema import Profile

DEFAULT_PROFILE = "national"
# libyaml's safe loader when the wheel has it: about 5x faster than the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def profiles_dir() -> Path:
    return resource("profiles")


_ID = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
MAX_LOCAL_FILES = 200
_local_override: Path | None = None


def set_local_dir(path: Path | None) -> None:
    """Use ``path`` for local profiles (``--profiles DIR``) instead of the data folder."""
    global _local_override
    _local_override = path
    clear_cache()


def clear_cache() -> None:
    load_profile.cache_clear()
    local_profiles.cache_clear()


def local_dir() -> Path:
    """Where local profiles live: --profiles, $YIBAO_PROFILES_DIR, else <data>/profiles."""
    if _local_override is not None:
        return _local_override
    env = os.environ.get("YIBAO_PROFILES_DIR")
    if env:
        return Path(env)
    return user_data() / "profiles"


@dataclass
class LocalProfile:
    """A profile file from the local folder, valid or not, and whether it is in use."""

    id: str
    path: Path
    profile: Profile | None
    problems: list[Problem] = field(default_factory=list)
    in_use: bool = False
    shipped_verified: str | None = None


def _shipped_ids() -> list[str]:
    return sorted(p.stem for p in profiles_dir().glob("*.yaml"))


@cache
def local_profiles() -> tuple[LocalProfile, ...]:
    """Every *.yaml in the local folder, validated; ``in_use`` when it wins over shipped."""
    folder = local_dir()
    try:
        files = sorted(p for p in folder.glob("*.yaml") if p.is_file())[:MAX_LOCAL_FILES]
    except OSError:
        return ()
    shipped = set(_shipped_ids())
    out: list[LocalProfile] = []
    for path in files:
        profile, problems = validate_file(path)
        entry = LocalProfile(path.stem, path, profile, problems)
        if profile is not None:
            if path.stem in shipped:
                base = _load_shipped(path.stem)
                entry.shipped_verified = base.verified.isoformat()
                entry.in_use = profile.verified > base.verified
            else:
                entry.in_use = True
        out.append(entry)
    return tuple(out)


def local_in_use(profile_id: str) -> LocalProfile | None:
    """The local file behind ``profile_id`` when it replaces or adds to the shipped ones."""
    return next((p for p in local_profiles() if p.id == profile_id and p.in_use), None)


def available_profiles() -> list[str]:
    """Profile ids, shipped and valid local ones, the national default first, then by id."""
    ids = set(_shipped_ids()) | {p.id for p in local_profiles() if p.in_use}
    return sorted(ids, key=lambda i: (i != DEFAULT_PROFILE, i))


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_LOADER)
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


def _raw(profile_id: str, directory: Path, seen: tuple[str, ...] = (),
         fallback: Path | None = None, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """The merged raw data of a profile; a parent is looked up beside it, then in
    ``fallback`` (a local profile may extend a shipped one)."""
    path = directory / f"{profile_id}.yaml"
    if data is None:
        if not path.is_file():
            raise UnknownProfile(profile_id, profile=profile_id)
        data = _read_yaml(path)
    if profile_id in seen:
        raise ProfileInvalid(f"{path.name}: 'extends' loops back to itself", file=path.name)
    if data.get("id") != profile_id:
        raise ProfileInvalid(f"{path.name}: id: must be '{profile_id}'", file=path.name)
    parent_id = data.get("extends")
    if parent_id is not None:
        where = None
        if isinstance(parent_id, str) and _ID.match(parent_id):
            where = next((d for d in (directory, fallback)
                          if d is not None and (d / f"{parent_id}.yaml").is_file()), None)
        if where is None:
            raise ProfileInvalid(f"{path.name}: extends: no profile named {parent_id!r}",
                                 file=path.name)
        parent = _raw(parent_id, where, (*seen, profile_id), fallback)
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


def validate_file(path: Path) -> tuple[Profile | None, list[Problem]]:
    """Validate one profile file as the app would load it; every problem with its line."""
    try:
        marked = read_marked(path)
    except MarkedError as exc:
        return None, [exc.problem]
    problems: list[Problem] = []
    if not _ID.match(path.stem):
        problems.append(Problem(None, "", "file name must be the profile id (a-z, 0-9, _)"))
    if marked.data.get("id") != path.stem:
        problems.append(Problem(marked.line_of(("id",)) or 1, "id",
                                f"must be '{path.stem}' (the file name)"))
    if problems:
        return None, problems
    try:
        data = _raw(path.stem, path.parent, fallback=profiles_dir(), data=marked.data)
    except (ProfileInvalid, UnknownProfile) as exc:
        return None, [Problem(marked.line_of(("extends",)), "extends", str(exc))]
    try:
        return Profile.model_validate(data), []
    except ValidationError as exc:
        return None, problems_of(exc, marked)


@cache
def _load_shipped(profile_id: str) -> Profile:
    return load_profile_from(profiles_dir() / f"{profile_id}.yaml")


@cache
def load_profile(profile_id: str = DEFAULT_PROFILE) -> Profile:
    """A profile by id: the local one when it is valid and newer, else the shipped one;
    cached, since profiles are read-only data."""
    if not profile_id or not _ID.match(profile_id):
        raise UnknownProfile(profile_id, profile=profile_id)
    local = local_in_use(profile_id)
    if local is not None and local.profile is not None:
        return local.profile
    path = profiles_dir() / f"{profile_id}.yaml"
    if not path.is_file():
        raise UnknownProfile(profile_id, profile=profile_id)
    return _load_shipped(profile_id)
