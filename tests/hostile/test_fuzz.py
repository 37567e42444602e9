"""Fuzzing the loaders: the corpus of oddities, then mutations of it. Every input either
works or gives the domain's own error; none crashes, hangs past its bound, or writes
outside its folder. YIBAO_FUZZ_RUNS raises the number of mutations (``make fuzz``)."""

from __future__ import annotations

import io
import os
import signal
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from forms import storage
from forms.analysis.pipeline import process_material
from forms.application import Material
from forms.errors import FormsError
from forms.imaging.loader import load_image
from tests.hostile.corpus import _zip, archives, images, mutate

# make test runs 40 of each kind (seconds); make test-all 120, make fuzz 3000.
RUNS = int(os.environ.get("YIBAO_FUZZ_RUNS", "40"))
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


def _image_ok(path: Path) -> bool:
    """True when the image was usable, False when refused with the domain's own error —
    loaded, then through the path the app runs on a file it is given (straightened,
    previewed, its icon made: forms.analysis.pipeline), which turns that error into a
    finding. Anything else raised is a bug the fuzzing found."""
    try:
        load_image(path)
    except FormsError:
        return False
    shown = process_material(Material(kind="id_card_front", file=path.name), path.parent)
    return not any(f.code == "material.file_unusable" for f in shown.findings)


def _archive_ok(path: Path) -> bool:
    try:
        with storage.load(path) as opened:
            assert opened.base_dir.is_dir()
    except FormsError:
        return False
    return True


def _check(folder: Path, name: str, data: bytes, fn: Callable[[Path], bool]) -> bool:
    path = folder / name
    path.write_bytes(data)
    before = set(folder.parent.iterdir())
    with bounded(BOUND_S, name):
        ok = fn(path)
    assert set(folder.parent.iterdir()) == before, f"{name} wrote beside its folder"
    path.unlink()
    return ok


def _mutate_inside(archive: bytes, rng: np.random.Generator) -> bytes:
    """A well-formed zip whose members are mutated: byte-level damage to the zip itself is
    nearly always refused at the CRC, so these reach the application and material checks."""
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as zf:
            members = {n: zf.read(n) for n in zf.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return mutate(archive, rng)
    if not members:
        return mutate(archive, rng)
    names = sorted(members)
    name = names[int(rng.integers(0, len(names)))]
    members[name] = mutate(members[name], rng)
    return _zip(members)


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
    outcomes: dict[str, list[bool]] = {"image": [], "archive": []}
    changed = 0
    start = time.perf_counter()
    for i in range(RUNS):
        seed = seeds_img[i % len(seeds_img)]
        data = mutate(seed, rng)
        changed += data != seed
        outcomes["image"].append(_check(folder, f"m{i}.bin", data, _image_ok))
        seed = seeds_zip[i % len(seeds_zip)]
        data = mutate(seed, rng) if i % 2 else _mutate_inside(seed, rng)
        changed += data != seed
        outcomes["archive"].append(_check(folder, f"m{i}.yibao", data, _archive_ok))
    print(f"\nfuzz: {2 * RUNS} mutated inputs in {time.perf_counter() - start:.1f} s, "
          + ", ".join(f"{k}: {sum(v)} usable, {len(v) - sum(v)} refused"
                      for k, v in outcomes.items()))
    # The mutations must reach both sides of each loader: some still usable (the mutator
    # is not just producing noise every check refuses at the first byte) and some refused.
    assert changed == 2 * RUNS, "a mutation returned its seed unchanged"
    for kind, seen in outcomes.items():
        assert any(seen) and not all(seen), f"{kind}: every mutation ended the same way"
