"""Fuzzing the loaders: the corpus of oddities, then mutations of it. Every input either
works or gives the domain's own error; none crashes, hangs past its bound, or writes
outside its folder. YIBAO_FUZZ_RUNS raises the number of mutations (``make fuzz``)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from forms import storage
from forms.errors import FormsError
from forms.imaging.loader import load_image
from forms.imaging.scans import process_scan
from forms.imaging.thumbnails import thumbnail
from tests.hostile.corpus import archives, images, mutate

RUNS = int(os.environ.get("YIBAO_FUZZ_RUNS", "120"))
BOUND_S = 20


@contextmanager
def bounded(seconds: int, what: str) -> Iterator[None]:
    def hung(_sig: int, _frame: object) -> None:
        raise TimeoutError(f"{what} took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _image_ok(path: Path) -> None:
    try:
        load_image(path)
        thumbnail(path, 128)
        process_scan(path, "id_card_front")
    except FormsError:
        pass


def _archive_ok(path: Path) -> None:
    try:
        with storage.load(path) as opened:
            assert opened.base_dir.is_dir()
    except FormsError:
        pass


def _check(folder: Path, name: str, data: bytes, fn: Callable[[Path], None]) -> None:
    path = folder / name
    path.write_bytes(data)
    before = set(folder.parent.iterdir())
    with bounded(BOUND_S, name):
        fn(path)
    assert set(folder.parent.iterdir()) == before, f"{name} wrote beside its folder"
    path.unlink()


@pytest.mark.parametrize("name", sorted(images()))
def test_image_corpus(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _check(folder, name, images()[name], _image_ok)


@pytest.mark.parametrize("name", sorted(archives()))
def test_archive_corpus(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _check(folder, name, archives()[name], _archive_ok)
    assert not Path("/tmp/yibao-abs.txt").exists()
    assert not (tmp_path.parent / "outside.txt").exists()


def test_mutated_inputs(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    rng = np.random.default_rng(int(os.environ.get("YIBAO_FUZZ_SEED", "7")))
    seeds_img = [v for k, v in images().items() if len(v) < 2_000_000]
    seeds_zip = [v for k, v in archives().items() if len(v) < 2_000_000]
    tried = 0
    start = time.perf_counter()
    for i in range(RUNS):
        data = mutate(seeds_img[i % len(seeds_img)], rng)
        _check(folder, f"m{i}.bin", data, _image_ok)
        data = mutate(seeds_zip[i % len(seeds_zip)], rng)
        _check(folder, f"m{i}.yibao", data, _archive_ok)
        tried += 2
    print(f"\nfuzz: {tried} mutated inputs in {time.perf_counter() - start:.1f} s")
    assert tried == 2 * RUNS
