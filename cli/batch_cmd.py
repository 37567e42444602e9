"""``yibao-desk batch DIR -o OUT``: every application under a folder, for service-point
staff — a packet for each one that is ready and a summary to work down.

Exit 0 when every file is ready, 1 when some are not (problems, a damaged or encrypted
file, something not checked), 2 only when DIR or OUT is unusable. Progress goes to
stderr, one line per file, with personal numbers masked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from cli.check_cmd import _date
from cli.output import passphrase_from_env
from cli.profiles_cmd import add_profiles_option, apply_profiles_option
from forms.batch.job import FileResult, hide
from forms.batch.rows import STATUS_KEYS
from forms.batch.runner import MAX_WORKERS, counts_text, run_batch
from forms.messages import system_lang, t


def add_parser(sub: Any) -> None:
    p = sub.add_parser("batch", help="check every .yibao / application.json under a folder")
    p.add_argument("folder", type=Path, help="the folder to search (links are not followed)")
    p.add_argument("-o", "--output", type=Path, required=True,
                   help="the folder for the packets and summary.csv / summary.pdf")
    p.add_argument("--profile", help="region profile id for every file (default: each file's)")
    p.add_argument("--on", type=_date, help="check as on this date, YYYY-MM-DD (default today)")
    p.add_argument("--lang", choices=("zh", "en"))
    p.add_argument("--workers", type=int, choices=range(1, MAX_WORKERS + 1),
                   default=MAX_WORKERS, metavar=f"1..{MAX_WORKERS}")
    p.add_argument("--font", help="a TrueType Chinese font file to embed")
    add_profiles_option(p)
    p.set_defaults(run=_run)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _run(args: argparse.Namespace) -> int:
    lang = args.lang or system_lang()
    apply_profiles_option(args)
    passphrase = passphrase_from_env()

    def report(done: int, total: int, r: FileResult) -> None:
        packet = t("cli.batch_progress_packet", lang, packet=r.packet) if r.packet else ""
        _say(t("cli.batch_progress", lang, done=done, total=total,
               status=t(STATUS_KEYS[r.status], lang), file=hide(r.rel), packet=packet))

    result = run_batch(args.folder, args.output, on=args.on or dt.date.today(), lang=lang,
                       passphrase=passphrase, profile=args.profile, workers=args.workers,
                       report=report, font=args.font,
                       profiles_dir=getattr(args, "profiles_dir", None))
    for r in result.results:
        if r.status == "skipped":
            _say(t("cli.batch_skipped_line", lang, file=hide(r.rel) or "…",
                   reason="；".join(r.errors) if lang == "zh" else "; ".join(r.errors)))
    if not result.results:
        _say(t("cli.batch_nothing", lang, folder=hide(str(args.folder))))
    people = sum(max(1, len(r.people)) for r in result.results)
    _say(t("cli.batch_done", lang, counts=counts_text(result.counts, people, lang),
           csv=hide(str(result.summary_csv)), pdf=hide(str(result.summary_pdf))))
    return 0 if result.all_ready else 1
