"""Analyses kept between runs: a ``.yibao`` member and ``.yibao-cache/analyses.json``
beside an ``application.json`` (the command line and the app share it).

Both are read as hostile input. A cache that is too large, not JSON, or not the expected
shape is ignored as a whole; an entry that fails validation, names a finding the catalog
does not know, or belongs to another analysis version is dropped. An analysis is used only
when the file's bytes hash to its key, so a stale or foreign entry is never taken for the
file in hand — it is recomputed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from forms.analysis.model import ANALYSIS_VERSION, Analysis, key_of, setup_of
from forms.application import Material
from forms.messages import catalog

log = logging.getLogger(__name__)

MAX_CACHE_BYTES = 2 * 1024 * 1024
MAX_ENTRIES = 400
CACHE_DIR = ".yibao-cache"
CACHE_FILE = "analyses.json"


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _known_codes() -> set[str]:
    return {k.removeprefix("finding.") for k in catalog("en") if k.startswith("finding.")}


def parse_cache(raw: bytes | None) -> dict[str, Analysis]:
    """Analyses from cache bytes; anything doubtful is left out (never an exception)."""
    if not raw or len(raw) > MAX_CACHE_BYTES:
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return {}
    entries = data.get("analyses") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return {}
    known, out = _known_codes(), {}
    for entry in entries[:MAX_ENTRIES]:
        try:
            a = Analysis.model_validate(entry)
        except (ValidationError, TypeError, ValueError):
            continue
        if a.version != ANALYSIS_VERSION or any(f.code not in known for f in a.findings):
            continue
        out[a.key] = a
    return out


def dump_cache(analyses: Iterable[Analysis], *, sign: bool = True) -> bytes:
    """The cache's bytes. Every analysis held in memory was made here or passed
    ``cache_for``, so each is signed with this user's key on the way out (``sign=False``
    for the samples shipped with the program, which are trusted by where they live)."""
    from forms.analysis.signing import signed, user_key

    key = user_key(create=True) if sign else None
    chosen = list(analyses)[:MAX_ENTRIES]
    entries = [(signed(a, key) if key else a.model_copy(update={"mac": None}))
               .model_dump(mode="json") for a in chosen]
    return json.dumps({"analyses": entries}, ensure_ascii=False).encode("utf-8")


def cache_file(app_json: Path) -> Path:
    return Path(app_json).resolve().parent / CACHE_DIR / CACHE_FILE


def read_cache_file(path: Path) -> dict[str, Analysis]:
    try:
        with Path(path).open("rb") as fh:
            return parse_cache(fh.read(MAX_CACHE_BYTES + 1))
    except OSError:
        return {}


def write_cache_file(path: Path, analyses: Iterable[Analysis], *, sign: bool = True) -> bool:
    """Owner-only and atomic; a read-only folder just means no cache (False)."""
    from forms.atomic import write_bytes
    from forms.errors import FormsError

    try:
        Path(path).parent.mkdir(mode=0o700, exist_ok=True)
        write_bytes(dump_cache(analyses, sign=sign), Path(path))
    except (OSError, FormsError):
        log.info("analysis cache not written to %s", path)
        return False
    return True


def lookup(m: Material, base_dir: Path, cache: Mapping[str, Analysis]) -> Analysis | None:
    """The cached analysis of ``m`` as it is on disk now, if there is one."""
    try:
        digest = content_hash(Path(base_dir) / m.file)
    except OSError:
        return None
    return cache.get(key_of(digest, setup_of(m)))


class Opened(Protocol):
    """What the cache needs of an opened application (forms.storage.Opened, which sits
    beside this package in the layers, not below it)."""

    @property
    def source(self) -> Path: ...


def cache_for(opened: Opened) -> dict[str, Analysis]:
    """The analyses an opened application brings (forms.storage.Opened): a .yibao's
    member, or the cache beside an application.json.

    An analysis decides what the app says about a photo, and its kept outline which part
    of the photo is printed as the true-size copy; a file from elsewhere can carry them
    forged for the real bytes (another person's card lying beside one's own). So they are
    believed only from the program's own samples or signed with this user's key
    (forms.analysis.signing); everything else is made again from the photos."""
    raw = getattr(opened, "analyses", None)
    source = Path(opened.source)
    if raw is not None:
        found = parse_cache(raw)
    elif source.suffix.lower() == ".json":
        found = read_cache_file(cache_file(source))
    else:
        return {}
    if _bundled(source):
        return found
    from forms.analysis.signing import genuine, user_key

    key = user_key(create=False)
    return {k: a for k, a in found.items() if genuine(a, key)}


def _bundled(source: Path) -> bool:
    """Whether ``source`` is one of the samples installed with the program."""
    from forms.paths import resource

    try:
        return Path(source).resolve().is_relative_to(resource("samples").resolve())
    except OSError:
        return False


def keep(opened: Opened, cache: Mapping[str, Analysis], fresh: Iterable[Analysis]) -> bool:
    """Write new analyses to the cache beside an application.json (a .yibao is only
    written when the user saves it)."""
    fresh = list(fresh)
    source = Path(opened.source)
    if not fresh or source.suffix.lower() != ".json" or _bundled(source):
        return False  # the program's own folder is never written into
    merged = dict(cache)
    merged.update({a.key: a for a in fresh})
    return write_cache_file(cache_file(source), merged.values())
