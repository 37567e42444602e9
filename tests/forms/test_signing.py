"""Analyses read from a file are believed only when this user's program signed them:
one's own saves reopen without searching or reading again; anything changed, or written
by someone else, is made again from the photos."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

import forms.imaging.scans as scans
from forms import storage
from forms.analysis import signing
from forms.analysis.cache import cache_file, cache_for, read_cache_file
from forms.analysis.compute import analyse_all
from forms.packet.prepare import outlines, prepare_materials
from tests.conftest import SAMPLES
from tests.support.shipped import copy_sample, shipped

BASE = SAMPLES / "complete"


@pytest.fixture
def own_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("YIBAO_DATA_DIR", str(folder))
    return folder


def _entries(folder: Path) -> list[dict[str, object]]:
    raw = json.loads(cache_file(folder / "application.json").read_text("utf-8"))
    return list(raw["analyses"])


def _rewrite(folder: Path, entries: list[dict[str, object]]) -> None:
    cache_file(folder / "application.json").write_text(json.dumps({"analyses": entries}),
                                                       "utf-8")


def test_a_folder_this_user_checked_brings_every_analysis_and_outline(
        tmp_path: Path, own_data: Path) -> None:
    folder = copy_sample(BASE, tmp_path / "mine")
    shipped_ones = read_cache_file(cache_file(BASE / "application.json"))
    with storage.load(folder / "application.json") as opened:
        believed = cache_for(opened)
    assert set(believed) == set(shipped_ones) and len(believed) >= 4
    for key, a in believed.items():
        assert a.mac is not None
        assert a.model_copy(update={"mac": None}) == shipped_ones[key]
    assert sum(a.outline is not None for a in believed.values()) == 3


@pytest.mark.parametrize("change", ["outline", "reading", "findings", "faces"])
def test_a_signed_analysis_changed_afterwards_is_not_believed(
        tmp_path: Path, own_data: Path, change: str) -> None:
    folder = copy_sample(BASE, tmp_path / "mine")
    entries = _entries(folder)
    front = next(e for e in entries if e["kind"] == "id_card_front")
    photo = next(e for e in entries if e["kind"] == "photo")
    target = photo if change == "faces" else front
    if change == "outline":
        front["outline"] = [[1000, 600], [1800, 600], [1800, 1100], [1000, 1100]]
    elif change == "reading":
        fields = front["fields"]
        assert isinstance(fields, dict) and "name" in fields
        fields["name"] = {"value": "王五", "confidence": 0.99}
    elif change == "findings":
        front["findings"] = []
        front["looks_like_card"] = False
    else:
        photo["faces"] = 1 if photo["faces"] != 1 else 2
    _rewrite(folder, entries)
    with storage.load(folder / "application.json") as opened:
        believed = cache_for(opened)
    assert len(believed) == len(entries) - 1
    assert all(a.sha256 != target["sha256"] for a in believed.values())


def test_analyses_another_user_signed_are_made_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIBAO_DATA_DIR", str(tmp_path / "someone-else"))
    folder = copy_sample(BASE, tmp_path / "theirs")
    assert all(e["mac"] for e in _entries(folder))
    monkeypatch.setenv("YIBAO_DATA_DIR", str(tmp_path / "me"))
    with storage.load(folder / "application.json") as opened:
        assert cache_for(opened) == {}


def test_a_saved_file_reopens_and_prints_without_searching_again(
        tmp_path: Path, own_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = tmp_path / "mine.yibao"
    with storage.load(BASE / "application.json") as opened:
        storage.save(opened.app, opened.base_dir, saved, analyses=shipped(opened))

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("searched for the outline again")

    monkeypatch.setattr(scans, "find_outline", refuse)
    with storage.load(saved) as opened:
        by_file, fresh = analyse_all(opened.app, opened.base_dir, cache_for(opened))
        assert fresh == []
        prepared = prepare_materials(opened.app, opened.base_dir, found=outlines(by_file))
    cards = [p for p in prepared if p.material.kind.startswith("id_card")]
    assert len(cards) == 2 and all(p.jpeg is not None and not p.findings for p in cards)


def test_the_key_is_the_users_alone_and_made_once(own_data: Path) -> None:
    signing._keys.clear()
    keys: list[bytes | None] = []
    threads = [threading.Thread(target=lambda: keys.append(signing._make(
        own_data / signing.KEY_FILE))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(keys)) == 1 and keys[0] is not None and len(keys[0]) == 32
    path = own_data / signing.KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in own_data.iterdir()) == [signing.KEY_FILE]
    assert signing.user_key(create=True) == keys[0] == signing.user_key(create=False)


def test_a_damaged_key_file_is_replaced_not_left_to_turn_signing_off(own_data: Path) -> None:
    signing._keys.clear()
    own_data.mkdir()
    (own_data / signing.KEY_FILE).write_bytes(b"short")
    key = signing.user_key(create=True)
    assert key is not None and len(key) == 32
    assert (own_data / signing.KEY_FILE).read_bytes() == key
    assert stat.S_IMODE((own_data / signing.KEY_FILE).stat().st_mode) == 0o600


def test_with_no_usable_data_folder_nothing_is_signed_and_nothing_is_lost(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("YIBAO_DATA_DIR", str(blocker / "data"))
    assert signing.user_key(create=True) is None
    folder = copy_sample(BASE, tmp_path / "copy")
    assert all(e["mac"] is None for e in _entries(folder))    # written, just unsigned
    with storage.load(folder / "application.json") as opened:
        assert cache_for(opened) == {}
    assert not os.path.exists(blocker / "data")
