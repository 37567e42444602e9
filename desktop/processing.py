"""The session's material processor: analyses every material off the UI thread and
announces each result; pages only display what it holds.

A newer request for a file (rotated, cropped by hand, replaced) supersedes an older one:
a result that arrives for a superseded request is dropped. Analyses already known for a
file's bytes (from the opened ``.yibao`` or the cache beside an ``application.json``) are
reused — OCR is not run again — and only the display images are made. The work itself
runs in a separate low-priority process, so the UI thread never waits for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from desktop import analysis_pool, tasks
from forms.analysis.model import Analysis, setup_of
from forms.application import Material

if TYPE_CHECKING:  # the imaging stack (OpenCV) loads on first use, in a worker
    from forms.analysis.processed import Processed

log = logging.getLogger(__name__)


def _work(m: Material, base: Path, known: Mapping[str, Analysis]) -> tuple[Any, Analysis]:
    """On a worker thread: hand the file to the analysis process and wait for its display
    images and analysis (desktop.analysis_pool says why a process)."""
    return analysis_pool.run(m, base, known)


class MaterialProcessor(QObject):
    analysed = Signal(str)      # a file's analysis (and display images) are ready
    busy = Signal(bool)         # whether any file is still being analysed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache: dict[str, Analysis] = {}        # by key: every analysis known
        self.analyses: dict[str, Analysis] = {}     # by file: the current one
        self.shown: dict[str, Processed] = {}       # by file: thumbnails, previews, read
        self._setup: dict[str, str] = {}            # file -> setup of its current result
        self._latest: dict[str, tuple[int, str]] = {}   # file -> (request, setup) pending
        self.failed: set[str] = set()               # files the pipelines could not analyse
        self._count = 0

    # --- what pages and the session read ---------------------------------------------
    @property
    def pending(self) -> set[str]:
        return set(self._latest)

    def current(self) -> dict[str, Analysis]:
        return dict(self.analyses)

    # --- requests -------------------------------------------------------------------
    def seed(self, cache: Mapping[str, Analysis]) -> None:
        """Analyses brought by an opened file."""
        self.cache.update(cache)

    def reset(self, *, forget: bool = False) -> None:
        """Drop the current results; ``forget`` drops every analysis known too (another
        applicant's file: their cards' readings must not serve, or be saved beside, the
        next one's)."""
        if forget:
            self.cache.clear()
        self.analyses.clear()
        self.shown.clear()
        self._setup.clear()
        self._latest.clear()
        self.failed.clear()
        self.busy.emit(False)

    def sync(self, materials: Iterable[Material], base: Path) -> None:
        """Ask for every material whose result is missing or was made for other choices;
        forget files no longer listed."""
        materials = list(materials)
        files = {m.file for m in materials}
        for gone in [f for f in self._setup if f not in files]:
            self.analyses.pop(gone, None)
            self.shown.pop(gone, None)
            self._setup.pop(gone, None)
        for gone in [f for f in self._latest if f not in files]:
            del self._latest[gone]
        self.failed &= files
        for m in materials:
            setup = setup_of(m)
            if self._setup.get(m.file) == setup:
                continue
            if m.file in self._latest and self._latest[m.file][1] == setup:
                continue
            self.request(m, base)
        self.busy.emit(bool(self._latest))

    def request(self, m: Material, base: Path) -> None:
        self._count += 1
        ticket, setup = self._count, setup_of(m)
        self._latest[m.file] = (ticket, setup)
        self.analyses.pop(m.file, None)   # the old result no longer describes the file
        self._setup.pop(m.file, None)
        self.failed.discard(m.file)
        known = dict(self.cache)

        def done(value: tuple[Any, Analysis]) -> None:
            if self._latest.get(m.file, (None, ""))[0] != ticket:
                return  # superseded by a newer request, or the file was removed
            processed, analysis = value
            del self._latest[m.file]
            self.shown[m.file], self.analyses[m.file] = processed, analysis
            self._setup[m.file] = setup
            self.cache[analysis.key] = analysis
            self.busy.emit(bool(self._latest))
            self.analysed.emit(m.file)

        def failed(exc: BaseException) -> None:
            if self._latest.get(m.file, (None, ""))[0] != ticket:
                return
            log.warning("could not analyse %s: %s", Path(m.file).name, exc)
            del self._latest[m.file]
            self.failed.add(m.file)
            self._setup[m.file] = setup   # not asked again until the file or choices change
            self.busy.emit(bool(self._latest))
            self.analysed.emit(m.file)

        def job(task: tasks.Task) -> tuple[Any, Analysis]:
            with analysis_pool.cancelled_by(task.cancelled):
                return _work(m, base, known)

        tasks.start(job, on_result=done, on_error=failed)
