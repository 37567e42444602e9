"""Progress reporting for long work, with a do-nothing default.

Domain functions take ``progress=NullProgress()`` and call ``step``; the desktop wraps them
in a worker that forwards the steps to a progress dialog and answers ``cancelled`` from its
Cancel button. The domain never knows which.
"""

from __future__ import annotations

from typing import Protocol

from forms.errors import Cancelled


class Progress(Protocol):
    def step(self, done: int, total: int, label: str) -> None: ...

    def cancelled(self) -> bool: ...


class NullProgress:
    def step(self, done: int, total: int, label: str) -> None:
        pass

    def cancelled(self) -> bool:
        return False


def checkpoint(progress: Progress, done: int, total: int, label: str) -> None:
    """Report a step, and stop here if the user has asked to."""
    if progress.cancelled():
        raise Cancelled(label)
    progress.step(done, total, label)
