"""``run_batch``: every application under a folder checked in at most two worker
processes, ready packets written to the output folder, and the summary written last.

Workers are spawned (not forked: a fork would copy this process's threads and whatever it
holds) and replaced every few dozen files, so memory stays bounded however long the batch
is: each job loads one file, and everything it made goes when it returns. They are
replaced by a fresh pool per chunk of files, not by ``max_tasks_per_child``: on Python
3.11 a pool whose workers have all retired that way stops starting new ones and waits
forever (measured here: the batch hung after 2 × 10 files). A worker that dies
(killed, out of memory, a crash in native code) takes only the files it had: those are
tried again, each alone, and a file that kills its worker a second time is a row saying
so. The rest go on.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from forms.batch.discover import Discovery, discover
from forms.batch.job import FileResult, Job, hide, run_job, sha256_of
from forms.batch.outputs import SUMMARY_KEY, Outputs, check_output, packet_stem
from forms.batch.rows import STATUS_KEYS, skipped_result, summary_rows
from forms.batch.summary_csv import write_csv
from forms.batch.summary_pdf import write_pdf
from forms.messages import t

MAX_WORKERS = 2
TASKS_PER_WORKER = 25   # then the pool is replaced (a spawn costs ~1 s of imports)

Report = Callable[[int, int, FileResult], None]
JobFn = Callable[[Job], FileResult]


@dataclass
class BatchResult:
    results: list[FileResult]                       # discovery order, then what was skipped
    summary_csv: Path
    summary_pdf: Path
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def all_ready(self) -> bool:
        return bool(self.results) and all(r.status == "ready" for r in self.results)


def run_batch(folder: Path, out: Path, *, on: dt.date, lang: str,
              passphrase: str | None = None, profile: str | None = None,
              workers: int = MAX_WORKERS, report: Report | None = None,
              job_fn: JobFn = run_job, font: str | None = None,
              profiles_dir: Path | None = None) -> BatchResult:
    """Check everything under ``folder``; FormsError only when ``folder`` or ``out`` is
    unusable (before any file is checked). ``job_fn`` is for tests (a worker that dies)."""
    out = check_output(out)
    found = discover(folder, exclude=(out,))
    outputs = Outputs.open(out)
    jobs = _jobs(found, outputs, on, lang, passphrase, profile, profiles_dir)
    by_rel: dict[str, FileResult] = {}
    total = len(jobs)
    for result in _run_all(jobs, workers, job_fn):
        by_rel[result.rel] = result
        if report:
            report(len(by_rel), total, result)
    results = [by_rel[j.rel] for j in jobs] + [skipped_result(s, lang) for s in found.skipped]
    _settle(outputs, jobs, results)
    return _summaries(results, outputs, folder, on, lang, font)


def _jobs(found: Discovery, outputs: Outputs, on: dt.date, lang: str,
          passphrase: str | None, profile: str | None,
          profiles_dir: Path | None) -> list[Job]:
    return [Job(source=str(found.root / rel), rel=rel,
                dest=str(outputs.folder / outputs.name_for(rel, packet_stem(rel), ".pdf")),
                on=on, lang=lang, passphrase=passphrase, profile=profile,
                profiles_dir=str(profiles_dir) if profiles_dir else None)
            for rel in found.found]


def _run_all(jobs: list[Job], workers: int, job_fn: JobFn) -> Iterator[FileResult]:
    if workers <= 0:       # in this process (tests of the domain only)
        yield from (job_fn(j) for j in jobs)
        return
    suspects: list[Job] = []
    workers = min(workers, MAX_WORKERS)
    chunk = workers * TASKS_PER_WORKER
    for start in range(0, len(jobs), chunk):
        yield from _pool_round(jobs[start:start + chunk], workers, job_fn, suspects)
    for job in suspects:   # each alone, so a file that kills its worker is the one named
        again: list[Job] = []
        yield from _pool_round([job], 1, job_fn, again)
        for lost in again:
            yield FileResult(lost.rel, "unusable",
                             errors=(t("cli.batch_worker_died", lost.lang),))


def _pool_round(jobs: list[Job], workers: int, job_fn: JobFn,
                broken: list[Job]) -> Iterable[FileResult]:
    if not jobs:
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=ctx) as pool:
        futures: dict[Future[FileResult], Job] = {pool.submit(job_fn, j): j for j in jobs}
        for fut in as_completed(futures):
            job = futures[fut]
            try:
                yield fut.result()
            except BrokenProcessPool:
                broken.append(job)
            except Exception as exc:
                yield FileResult(job.rel, "unusable",
                                 errors=(t("error.unexpected", job.lang,
                                           detail=type(exc).__name__),))


def _settle(outputs: Outputs, jobs: list[Job], results: list[FileResult]) -> None:
    """Record the packets written; remove our own earlier packet of a source that is no
    longer ready (or now has another name), so none in OUT suggests a person is ready."""
    for job, result in zip(jobs, results):
        if result.status == "ready" and result.packet:
            outputs.record(result.packet, job.rel, result.packet_sha256)
        for name in outputs.earlier(job.rel):
            if name != result.packet:
                outputs.remove(name)


def _summaries(results: list[FileResult], outputs: Outputs, folder: Path, on: dt.date,
               lang: str, font: str | None) -> BatchResult:
    counts: dict[str, int] = {s: sum(r.status == s for r in results) for s in STATUS_KEYS}
    rows = summary_rows(results, lang)
    csv_name = outputs.name_for(SUMMARY_KEY + "csv", "summary", ".csv")
    pdf_name = outputs.name_for(SUMMARY_KEY + "pdf", "summary", ".pdf")
    csv_path, pdf_path = outputs.folder / csv_name, outputs.folder / pdf_name
    write_csv(rows, lang, csv_path)
    write_pdf(rows, lang, pdf_path, on=on, font=font,
              title_note=t("cli.batch_folder", lang, folder=hide(str(folder))),
              counts=counts_text(counts, len(rows), lang))
    for key, name, path in ((SUMMARY_KEY + "csv", csv_name, csv_path),
                            (SUMMARY_KEY + "pdf", pdf_name, pdf_path)):
        outputs.record(name, key, sha256_of(path))
        for old in outputs.earlier(key):
            if old != name:
                outputs.remove(old)
    outputs.save()
    return BatchResult(results, csv_path, pdf_path, counts)


def counts_text(counts: dict[str, int], people: int, lang: str) -> str:
    return t("cli.batch_counts", lang, people=people, files=sum(counts.values()),
             ready=counts.get("ready", 0), has_errors=counts.get("has_errors", 0),
             needs_passphrase=counts.get("needs_passphrase", 0),
             unusable=counts.get("unusable", 0), skipped=counts.get("skipped", 0))
