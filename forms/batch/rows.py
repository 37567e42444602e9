"""The summary's rows: one per person (a file that cannot be opened is one row with its
message), in the words of the chosen language, the same for the CSV and the PDF."""

from __future__ import annotations

from dataclasses import dataclass

from forms.batch.discover import Skipped
from forms.batch.job import FileResult, PersonRow, Status, hide
from forms.messages import t

# Literal keys, so the catalog test sees every one in use.
STATUS_KEYS: dict[Status, str] = {
    "ready": "cli.batch_status_ready",
    "has_errors": "cli.batch_status_has_errors",
    "needs_passphrase": "cli.batch_status_needs_passphrase",
    "unusable": "cli.batch_status_unusable",
    "skipped": "cli.batch_status_skipped",
}
SKIP_KEYS = {
    "link": "cli.batch_skip_link",
    "not_regular": "cli.batch_skip_not_regular",
    "unreadable_folder": "cli.batch_skip_unreadable_folder",
    "too_deep": "cli.batch_skip_too_deep",
    "too_many": "cli.batch_skip_too_many",
}
HEADER_KEYS = ("cli.batch_col_no", "cli.batch_col_name", "cli.batch_col_id",
               "cli.batch_col_city", "cli.batch_col_route", "cli.batch_col_status",
               "cli.batch_col_errors", "cli.batch_col_packet", "cli.batch_col_source")


@dataclass(frozen=True)
class SummaryRow:
    no: int
    name: str
    id_masked: str
    city: str
    route: str
    status: Status
    status_text: str
    errors: str
    packet: str
    source: str
    error_list: tuple[str, ...] = ()

    def cells(self) -> list[str]:
        return [str(self.no), self.name, self.id_masked, self.city, self.route,
                self.status_text, self.errors, self.packet, self.source]


def skipped_result(s: Skipped, lang: str) -> FileResult:
    return FileResult(s.rel, "skipped", errors=(t(SKIP_KEYS[s.reason], lang, count=s.count),))


def summary_rows(results: list[FileResult], lang: str) -> list[SummaryRow]:
    sep = "；" if lang == "zh" else "; "
    rows: list[SummaryRow] = []
    for r in results:
        people = r.people or (PersonRow(),)
        for p in people:
            name = p.name if not p.relation else f"{p.name}（{p.relation}）"
            rows.append(SummaryRow(
                no=len(rows) + 1, name=name, id_masked=p.id_masked, city=p.city,
                route=p.route, status=r.status, status_text=t(STATUS_KEYS[r.status], lang),
                errors=sep.join(p.errors or r.errors), packet=r.packet, source=hide(r.rel),
                error_list=p.errors or r.errors))
    return rows


def headers(lang: str) -> list[str]:
    return [t(k, lang) for k in HEADER_KEYS]
