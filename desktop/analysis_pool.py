"""Material analysis in one separate, low-priority process.

Straightening, face checks and OCR are CPU-bound and partly pure Python (the OCR's
post-processing, the outline search): run on threads of the app's own process they hold
the GIL, and a worker that is preempted while holding it (two busy cores, other programs
running) keeps the UI thread waiting for tens of milliseconds at a time. One warm worker
process (spawned, so no Qt state is forked) has its own interpreter: the UI thread never
waits for it, and at a lower scheduling priority it yields the cores to the UI. One worker
also means one 12-MP decode at a time, which bounds memory; the OCR engine loads once, in
it, and stays warm.

Nothing here imports Qt: the child imports this module and the domain only.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from forms.analysis.model import Analysis, setup_of
from forms.application import Material

NICE = 5    # the worker's niceness: the UI thread (0) wins a core 3:1 over it,
            # and on a busy machine the analysis still gets its share
# Tests that replace a domain function in the app's process set this (see tests/desktop).
in_process = os.environ.get("YIBAO_ANALYSE_IN_PROCESS") == "1"

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()
_asker = threading.local()   # the calling thread's "was I cancelled?" (see cancelled_by)


@contextmanager
def cancelled_by(check: Callable[[], bool]) -> Iterator[None]:
    """While inside, ``run`` on this thread gives up its request once ``check()`` says so
    (closing the window, a newer request for the file): queued work is dropped, and work
    the worker already started is no longer waited for."""
    _asker.check = check
    try:
        yield
    finally:
        _asker.check = None


def analyse(m: Material, base: Path, known: Mapping[str, Analysis]) -> tuple[Any, Analysis]:
    """The display images, and the analysis unless already known for these bytes and
    choices (then OCR is not run again)."""
    from forms.analysis.cache import content_hash
    from forms.analysis.compute import READ_KINDS, from_processed
    from forms.analysis.model import key_of
    from forms.analysis.pipeline import found_in, process_material

    digest = content_hash(base / m.file)
    cached = known.get(key_of(digest, setup_of(m)))
    fresh_read = m.kind in READ_KINDS and (cached is None or not cached.read)
    found = found_in(cached)
    memo_key = (digest, setup_of(m), m.file, fresh_read,
                None if found is None else (tuple(map(tuple, found.corners)), found.confidence))
    processed = _recent.get(memo_key)
    if processed is None:
        processed = _recent.put(memo_key, process_material(m, base, read=fresh_read,
                                                           found=found))
    else:
        processed = replace(processed, material=m)
    return processed, cached if cached is not None and not fresh_read else \
        from_processed(m, digest, processed)


class _Recent:
    """The last few materials the worker processed, by their bytes and everything else
    the processing depends on: a file shown again (an applicant opened again, the next
    person's copy of the same scan, Undo back to a rotation) comes back at once. Kept
    only in the worker process (``remember`` is set by ``_start_worker``), packed as
    they travel (JPEG pictures), so the store stays a few megabytes."""

    SIZE = 24

    def __init__(self) -> None:
        self.remember = False
        self._held: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            if key in self._held:
                self._held.move_to_end(key)
                return self._held[key]
        return None

    def put(self, key: Any, processed: Any) -> Any:
        """Keep ``processed`` packed as it travels (JPEG pictures) and return the packed
        copy, which then travels without being encoded a second time."""
        if not self.remember or processed.ocr_unavailable:   # the engine may come back
            return processed
        packed = pickle.loads(pickle.dumps(processed))
        with self._lock:
            self._held[key] = packed
            while len(self._held) > self.SIZE:
                self._held.popitem(last=False)
        return packed


_recent = _Recent()


def _start_worker(parent: int) -> None:
    """In the child: lower priority, few malloc arenas (freed photo buffers go back), and
    gone within a second of the app (killed or crashed: the child holds both ends of its
    task queue, so it would never see the app go)."""
    try:
        os.nice(NICE)
    except OSError:
        pass
    _recent.remember = True
    from desktop.memory import limit_arenas

    limit_arenas()

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def _analyse_and_trim(m: Material, base: Path,
                      known: Mapping[str, Analysis]) -> tuple[Any, Analysis]:
    from desktop.memory import trim

    try:
        return analyse(m, base, known)
    finally:
        trim()


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=1,
                                        mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_start_worker,
                                        initargs=(os.getpid(),))
        return _pool


def run(m: Material, base: Path, known: Mapping[str, Analysis]) -> tuple[Any, Analysis]:
    """Analyse one material in the worker process and wait for it (call this from a
    worker thread, never the UI thread). A worker that died (killed, out of memory) is
    replaced at the next request; this one fails."""
    global _pool
    if in_process:
        return analyse(m, base, known)
    pool = _executor()
    check = getattr(_asker, "check", None)
    try:
        future = pool.submit(_analyse_and_trim, m, base, dict(known))
        while True:
            try:
                return future.result(timeout=0.25)
            except FutureTimeout:
                if check is not None and check():
                    # Queued: dropped. Already running: left to finish in the worker and
                    # its result dropped, so closing the window never waits for it.
                    future.cancel()
                    raise CancelledError(m.file) from None
    except BrokenProcessPool:
        with _lock:
            if _pool is pool:
                _pool = None
        raise


def shutdown() -> None:
    """Stop the worker (at exit; queued work is dropped)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown)
