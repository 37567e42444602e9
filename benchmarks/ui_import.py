"""The child of bench_desktop's stall row: a fresh app imports card photos into the card
slots as a person does — the front slot's Add button clicked and the file dialog answered,
the back side's files dropped onto its slot — while a 5-ms timer records every gap in the
event loop. Prints one JSON line.

Run as ``python benchmarks/ui_import.py PHOTOS [--root TREE] [--why]``: ``--root`` imports
the app from another checkout (the baseline of a side-by-side run), ``--why`` samples what
the UI thread was doing whenever the loop has not turned for 30 ms (a watchdog thread
reading ``sys._current_frames``) and reports the commonest stacks.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import threading
import time
import traceback
from pathlib import Path


def _schedstat(path: Path) -> tuple[float, float]:
    """(seconds on a core, seconds runnable but waiting for one) of one thread."""
    ran, queued, _ = path.read_text().split()
    return int(ran) / 1e9, int(queued) / 1e9


def _hwm_mb(pid: str = "self") -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next(int(line.split()[1]) for line in fh
                        if line.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return 0.0


def _rss_mb(pid: str = "self") -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next(int(line.split()[1]) for line in fh
                        if line.startswith("VmRSS")) / 1024
    except (OSError, StopIteration):
        return 0.0


def _children() -> set[str]:
    pids = set()
    for task in Path("/proc/self/task").iterdir():
        try:
            pids.update((task / "children").read_text().split())
        except OSError:
            continue
    return pids


def _children_hwm_mb() -> float:
    """The peaks of the app's child processes (an analysis worker), summed: with the
    app's own peak, an upper bound of what the app held at once."""
    return sum(_hwm_mb(pid) for pid in _children())


class Watchdog(threading.Thread):
    """Samples the UI thread's stack every few ms while the event loop is late."""

    def __init__(self, last: list[float], main_id: int, late: float = 0.030) -> None:
        super().__init__(daemon=True)
        self.last, self.main_id, self.late = last, main_id, late
        self.samples: collections.Counter[str] = collections.Counter()
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.004):
            if time.perf_counter() - self.last[0] < self.late:
                continue
            frames = sys._current_frames()
            for ident, frame in frames.items():
                if ident == threading.get_ident():
                    continue
                stack = traceback.extract_stack(frame)
                ours = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in stack
                        if "/desktop/" in f.filename or "/forms/" in f.filename
                        or "site-packages" in f.filename][-4:]
                who = "UI" if ident == self.main_id else "worker"
                self.samples[f"{who}: " + (" < ".join(reversed(ours)) or "(Qt)")] += 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("photos", type=Path)
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--why", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(args.root))

    from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QFileDialog

    app = QApplication([])
    from desktop.app import build

    w = build()
    w.resize(1100, 800)
    w.show()
    w.new_application("national")
    w.session.set_value("scheme.scheme", "resident")
    w.go("materials")
    page = w.pages["materials"]
    fronts = sorted(str(p) for p in args.photos.glob("front-*.jpg"))
    backs = sorted(args.photos.glob("back-*.jpg"))
    QFileDialog.getOpenFileNames = staticmethod(lambda *a, **k: (fronts, ""))
    for _ in range(20):
        app.processEvents()

    gaps: list[float] = []
    last = [time.perf_counter()]
    # --why: where each late turn's time went, from the kernel's account of the UI thread:
    # running, runnable but waiting for a core, or blocked (the GIL, a lock, a sleep)
    stat = Path(f"/proc/self/task/{threading.get_native_id()}/schedstat")
    sched = [_schedstat(stat)]
    late = {"wall": 0.0, "running": 0.0, "waiting_core": 0.0, "blocked": 0.0}

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        if args.why:
            ran, queued = _schedstat(stat)
            if now - last[0] > 0.03:
                late["wall"] += now - last[0]
                late["running"] += ran - sched[0][0]
                late["waiting_core"] += queued - sched[0][1]
                late["blocked"] += (now - last[0]) - (ran - sched[0][0]) - (queued - sched[0][1])
            sched[0] = (ran, queued)
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(tick)
    timer.start(5)
    dog = Watchdog(last, threading.get_ident())
    if args.why:
        dog.start()
    start = time.perf_counter()
    QTest.mouseClick(page.slots["id_card_front"].buttons["add"], Qt.MouseButton.LeftButton)
    slot = page.slots["id_card_back"]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in backs])
    at = QPointF(slot.rect().center())
    enter = QDragEnterEvent(at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(slot, enter)
    QApplication.sendEvent(slot, QDropEvent(at, Qt.DropAction.CopyAction, mime,
                                            Qt.MouseButton.LeftButton,
                                            Qt.KeyboardModifier.NoModifier))
    total = len(fronts) + len(backs)
    processor = w.session.processor

    def finished() -> bool:
        files = [m.file for m in w.session.app.materials]
        return len(files) == total and not processor.pending and \
            all(f in processor.shown or f in processor.failed for f in files)

    ended: list[float] = []
    together = [0.0]   # the app and its children at the same moment, sampled every 50 ms

    def poll() -> None:
        together[0] = max(together[0], _rss_mb() + sum(_rss_mb(c) for c in _children()))
        if not ended and finished():
            ended.append(time.perf_counter())
            # what follows the last result is part of it
            QTimer.singleShot(300, lambda: app.exit(0))

    poller = QTimer()
    poller.timeout.connect(poll)
    poller.start(50)
    app.exec()
    elapsed = ended[0] - start
    timer.stop()
    dog.stop.set()
    read = sum(1 for m in w.session.app.materials
               if getattr(processor.analyses.get(m.file), "read", None) is not None)
    ordered = sorted(gaps)
    out = {"max_gap_ms": ordered[-1] * 1000, "median_gap_ms": ordered[len(ordered) // 2] * 1000,
           "p99_gap_ms": ordered[int(len(ordered) * .99)] * 1000,
           "over_50": sum(1 for g in gaps if g > 0.05), "seconds": elapsed,
           "peak_mb": _hwm_mb() + _children_hwm_mb(), "ui_mb": _hwm_mb(),
           "together_mb": together[0],
           "children_mb": _children_hwm_mb(), "read": read, "files": total,
           "why": dog.samples.most_common(12),
           "late_ms": {k: round(v * 1000) for k, v in late.items()}}
    print(json.dumps(out), flush=True)
    os._exit(0)   # no "save changes?" question, no teardown: the figures are out


if __name__ == "__main__":
    main()
