"""Hostile geometry under an address-space limit: a 330-byte PDF with a 1 × 100,000 pt
page, or a PNG strip of 120 × 1,000,000 px, once took 7–23 GB in ``scan``, ``export`` and
``read``. Each command runs here in a child process that cannot map more than
``LIMIT_BYTES`` (onnxruntime and NumPy reserve address space they never touch, so the
limit sits above the resident target); the thin files must be refused with their own
message, the longest accepted shapes must still work, and the child's peak resident
memory (its own ``ru_maxrss``, from ``wait4``) must stay under ``PEAK_BYTES``. That figure
is an upper bound: a child forked from pytest starts out with pytest's footprint (about
330 MB once OCR has loaded) before it executes Python afresh.

A normal OCR run peaks near 450 MB resident and runs within this limit (checked below),
so a failure here is the input's doing, not the limit's.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from forms.messages import t
from tests.conftest import ROOT, SAMPLES
from tests.hostile.corpus import long_images, thin_images
from tests.support import synthetic
from tests.support.shipped import copy_sample

LIMIT_BYTES = 3 * 1024**3
PEAK_BYTES = 1536 * 1024**2
_MAIN = "import sys; from cli import main; sys.exit(main())"


@dataclass(frozen=True)
class Run:
    code: int
    text: str  # stdout and stderr together
    peak: int  # bytes, the child's resident high-water mark


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))


def cli(tmp: Path, *argv: str) -> Run:
    """Run ``yibao-desk ARGV`` in a limited child; its own rusage, not the sum of every
    child this test process ever had."""
    log = tmp / "cli.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp / "home"),
           "QT_QPA_PLATFORM": "offscreen"}
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", _MAIN, *argv], stdout=out,
                                stderr=subprocess.STDOUT, cwd=tmp, env=env, preexec_fn=_limit)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # wait4 reaped it
    run = Run(proc.returncode, log.read_text("utf-8", errors="replace"),
              usage.ru_maxrss * 1024)
    peak_mb = run.peak / 1024**2
    print(f"\n{argv[0]} {Path(argv[1]).name}: exit {run.code}, peak {peak_mb:.0f} MB")
    return run


def _application(tmp: Path, material: Path) -> Path:
    """The complete sample with its ID card front replaced by ``material``."""
    folder = tmp / "app"
    copy_sample(SAMPLES / "complete", folder)
    target = folder / "materials" / material.name
    shutil.copyfile(material, target)
    raw = json.loads((folder / "application.json").read_text("utf-8"))
    front = next(m for m in raw["materials"] if m["kind"] == "id_card_front")
    front["file"] = f"materials/{material.name}"
    (folder / "application.json").write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    return folder / "application.json"


THIN = {"thin-page.pdf": (1, 100_000), "thin-strip.png": (120, 1_000_000)}


def _pdf_slow(names: list[str]) -> list[object]:
    """make test proves each bound on the PNG; the PDF variants (a page rendered) run in
    make test-all."""
    return [pytest.param(n, marks=pytest.mark.slow) if n.endswith(".pdf") else n
            for n in names]


@pytest.mark.parametrize("name", _pdf_slow(sorted(thin_images())))
def test_thin_files_are_refused_within_bounded_memory(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(thin_images()[name])
    width, height = THIN[name]
    reason = t("reason.too_elongated", "en", width=width, height=height)

    scan = cli(tmp_path, "scan", str(path), "-o", str(tmp_path / "out.jpg"),
               "--kind", "id_card_front", "--lang", "en")
    assert scan.code == 2 and reason in scan.text, scan.text
    assert not (tmp_path / "out.jpg").exists()

    read = cli(tmp_path, "read", str(path), "--kind", "id_card_front", "--lang", "en")
    assert read.code == 2 and reason in read.text, read.text

    # The packet is refused for the one unusable material, or written as a draft with it.
    app = _application(tmp_path, path)
    export = cli(tmp_path, "export", str(app), "-o", str(tmp_path / "p.pdf"), "--lang", "en")
    assert export.code == 1 and reason in export.text, export.text
    draft = cli(tmp_path, "export", str(app), "-o", str(tmp_path / "p.pdf"), "--draft",
                "--lang", "en")
    assert draft.code == 0 and reason in draft.text, draft.text
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")

    for run in (scan, read, export, draft):
        assert run.peak < PEAK_BYTES


def _longest_runs() -> list[object]:
    """make test scans the PNG strip (loading, the outline search, measures, the fitted
    result); reading it, exporting it and the PDF page run in make test-all."""
    return [pytest.param(name, command, marks=()
                         if (name, command) == ("long-strip.png", "scan") else pytest.mark.slow)
            for name in sorted(long_images()) for command in ("scan", "read", "export")]


@pytest.mark.parametrize(("name", "command"), _longest_runs())
def test_the_longest_accepted_shapes_stay_within_bounded_memory(tmp_path: Path, name: str,
                                                                 command: str) -> None:
    """1:20 at the pixel limits (a 40-megapixel page render, a 115-megapixel strip): every
    raster after loading (outline search, measures, the fitted result, OCR input) must
    stay bounded — the detector alone would make a 15,000-pixel strip of it."""
    path = tmp_path / name
    path.write_bytes(long_images()[name])
    if command == "scan":
        run = cli(tmp_path, "scan", str(path), "-o", str(tmp_path / "out.jpg"),
                  "--kind", "hukou_personal_page", "--lang", "en")
        assert run.code in (0, 1), run.text
        assert (tmp_path / "out.jpg").stat().st_size > 0
    elif command == "read":
        run = cli(tmp_path, "read", str(path), "--kind", "hukou_personal_page", "--lang", "en")
        assert run.code in (0, 1), run.text
    else:
        run = cli(tmp_path, "export", str(_application(tmp_path, path)), "-o",
                  str(tmp_path / "p.pdf"), "--draft", "--lang", "en")
        assert run.code == 0, run.text
    assert run.peak < PEAK_BYTES


def test_a_normal_card_reads_within_the_same_limit(tmp_path: Path) -> None:
    """The control: the limit leaves room for a real run, OCR model included."""
    card = synthetic.id_front(synthetic.Person("张伟", "男", "汉", dt.date(1990, 1, 1),
                                                "北京市朝阳区", "110105199001011234"))
    path = tmp_path / "card.png"
    card.save(path)
    read = cli(tmp_path, "read", str(path), "--kind", "id_card_front", "--lang", "en",
               "--format", "json")
    assert read.code == 0, read.text
    assert read.peak < PEAK_BYTES


def test_the_packet_pixel_budget_lets_small_materials_share_and_clamps_large_ones() -> None:
    """Held in one thread, so that a wrong budget deadlocks rather than passes: two phone
    photos fit together, and a request above the limit is clamped so it can run alone."""
    from forms.imaging.memory import PixelBudget

    budget = PixelBudget(100)
    with budget.hold(30), budget.hold(60):
        pass
    with budget.hold(10**12):
        pass
    with budget.hold(100):
        pass
