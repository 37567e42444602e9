"""The materials' analysis process (desktop.analysis_pool): it does the work out of the
app's interpreter, at a lower priority, and never outlives an app that is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT

_APP = r"""
import os, sys
sys.path.insert(0, {root!r})
from pathlib import Path
from desktop import analysis_pool
from forms.application import Material
from PIL import Image
base = Path({base!r})
Image.new("RGB", (1200, 900), (200, 190, 180)).save(base / "paper.png")
processed, analysis = analysis_pool.run(Material(kind="other", file="paper.png"), base, {{}})
worker = next(iter(analysis_pool._pool._processes))
print(worker, os.getpid(), processed.thumb.size[0] <= 220,
      os.getpriority(os.PRIO_PROCESS, worker), flush=True)
sys.stdin.readline()   # the test kills this process here
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


def test_the_analysis_runs_in_a_lower_priority_process_that_dies_with_the_app(
        tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _APP.format(root=str(ROOT),
                                                               base=str(tmp_path))],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "YIBAO_ANALYSE_IN_PROCESS": "0"})
    assert proc.stdout is not None
    worker, app, small, nice = proc.stdout.readline().split()
    assert int(worker) != int(app) and small == "True"
    assert int(nice) > os.getpriority(os.PRIO_PROCESS, 0)   # yields the cores to the UI
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 20
    while _alive(int(worker)):
        assert time.monotonic() < deadline, "the analysis process outlived the killed app"
        time.sleep(0.1)


def test_the_worker_shows_a_file_again_without_processing_it_again(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Kept by its bytes and every choice that shapes it: the same file again comes back
    at once, under the name it is asked for now; a new rotation, other bytes or another
    name are processed."""
    from PIL import Image

    from desktop import analysis_pool
    from forms.analysis import pipeline
    from forms.application import Material

    recent = analysis_pool._Recent()
    recent.remember = True                       # as in the worker process
    monkeypatch.setattr(analysis_pool, "_recent", recent)
    calls: list[str] = []
    real = pipeline.process_material

    def counted(m: Material, base: Path, **kw: object):  # type: ignore[no-untyped-def]
        calls.append(m.file)
        return real(m, base, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "process_material", counted)
    Image.new("RGB", (900, 600), (200, 190, 180)).save(tmp_path / "a.png")
    (tmp_path / "b.png").write_bytes((tmp_path / "a.png").read_bytes())
    first = Material(kind="other", file="a.png")
    shown, _ = analysis_pool.analyse(first, tmp_path, {})
    again, _ = analysis_pool.analyse(Material(kind="other", file="a.png"), tmp_path, {})
    assert calls == ["a.png"] and again.material.file == "a.png"
    assert again.thumb.size == shown.thumb.size and again.findings == shown.findings
    analysis_pool.analyse(first.model_copy(update={"rotate": 90}), tmp_path, {})
    analysis_pool.analyse(Material(kind="other", file="b.png"), tmp_path, {})
    assert calls == ["a.png", "a.png", "b.png"]
    Image.new("RGB", (900, 600), (20, 19, 18)).save(tmp_path / "a.png")
    analysis_pool.analyse(first, tmp_path, {})
    assert calls == ["a.png", "a.png", "b.png", "a.png"]
    analysis_pool.analyse(first, tmp_path, {})
    assert len(calls) == 4


def test_closing_does_not_wait_for_work_the_worker_already_started(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Closing the window cancels its tasks: a request the worker has already taken is
    given up at once (its result dropped when it comes), so the window closes without
    waiting seconds for a photo nobody will see."""
    import threading
    from concurrent.futures import CancelledError, Future

    from desktop import analysis_pool
    from forms.application import Material

    taken: Future[object] = Future()
    assert taken.set_running_or_notify_cancel()   # the worker is on it, and stays on it

    class Busy:
        def submit(self, *_a: object, **_k: object) -> Future[object]:
            return taken

    monkeypatch.setattr(analysis_pool, "in_process", False)
    monkeypatch.setattr(analysis_pool, "_executor", lambda: Busy())
    outcome: list[str] = []

    def ask() -> None:
        with analysis_pool.cancelled_by(lambda: True):   # as after closing
            try:
                analysis_pool.run(Material(kind="other", file="a.png"), tmp_path, {})
            except CancelledError:
                outcome.append("given up")

    asker = threading.Thread(target=ask, daemon=True)
    asker.start()
    asker.join(timeout=30)   # a bound against hanging, not a speed assertion
    assert outcome == ["given up"] and not taken.done()
