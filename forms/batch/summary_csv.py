"""``summary.csv``: the batch's rows for a spreadsheet.

UTF-8 with a byte-order mark, because Excel on Windows reads a CSV without one in the
system's ANSI code page and turns every Chinese character into mojibake. Cells come from
applicants' files, so a cell that a spreadsheet would run as a formula (``=``, ``+``,
``-``, ``@``, a tab or a carriage return first) is prefixed with ``'`` and shown as text.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from forms.atomic import write_bytes
from forms.batch.rows import SummaryRow, headers
from forms.messages import t

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_bytes(rows: list[SummaryRow], lang: str) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([t("cli.batch_col_done", lang), *headers(lang)])
    for row in rows:
        writer.writerow(["", *(cell(c) for c in row.cells())])
    return buf.getvalue().encode("utf-8-sig")


def write_csv(rows: list[SummaryRow], lang: str, dest: Path) -> None:
    write_bytes(csv_bytes(rows, lang), dest)
