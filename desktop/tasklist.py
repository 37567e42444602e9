"""Task statuses for the list on the left (GOV.UK task list): computed from findings."""

from __future__ import annotations

from desktop.vocabulary import STATUSES, TASKS
from forms.findings import Finding
from forms.verdict import NOT_YET  # errors that only say something is not given

COMPLETED, INCOMPLETE, PROBLEM, CANNOT_START, CHECKING = STATUSES
__all__ = ["STATUS_MARK", "TASKS", "TASK_LIST_STYLE", "status"]

STATUS_MARK = {"completed": "✓", "incomplete": "○", "problem": "✗", "blocked": "—",
               "checking": "…"}
# The task list shows where the keyboard is, in every style and palette.
TASK_LIST_STYLE = ("QListWidget:focus { border: 2px solid palette(highlight); }"
                   # every item keeps room for the focus border: an item that gained it
                   # without the room lost its second line to an ellipsis
                   "QListWidget::item { padding: 4px; border: 2px solid transparent; }"
                   "QListWidget::item:focus { border: 2px dashed palette(highlight); }"
                   # a styled item no longer gets the style's selection colours: say them,
                   # or the current task's words vanish (white on the pale inactive highlight)
                   "QListWidget::item:selected { color: palette(highlighted-text);"
                   " background: palette(highlight); }")


def status(task: str, fields: set[str], findings: list[Finding], scheme_chosen: bool,
           visited: bool, done: bool | None = None) -> str:
    """``visited``: the page has been in view (its problems may show as ✗); ``done``: the
    person finished it — Continue on the answers, a packet still current for printing.
    Looking at a page never completes it; ``done`` defaults to ``visited`` for callers
    that do not tell them apart."""
    finished = visited if done is None else done
    if task in ("materials", "review", "export") and not scheme_chosen:
        return CANNOT_START
    if task == "materials":
        mine = [f for f in findings if f.field and f.field.startswith("materials.")]
    elif task in ("review", "export"):
        mine = [f for f in findings]
    else:
        mine = [f for f in findings if f.field in fields]
    errors = [f for f in mine if f.severity == "error"]
    if not errors:
        if any(f.code == "material.checking" for f in mine):
            return CHECKING   # never a tick while a file is still being looked at
        return COMPLETED if (finished or task not in ("review", "export")) else INCOMPLETE
    # What the files show is a problem the moment it is found, visited or not.
    seen = visited or task == "materials"
    if seen and any(f.code not in NOT_YET for f in errors):
        return PROBLEM
    return INCOMPLETE
