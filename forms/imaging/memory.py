"""Bounded memory across threads: a budget of pixels decoded at once, and large image
buffers that go back to the system when freed.

glibc raises its mmap threshold each time a large block is freed, after which buffers of
tens of megabytes come from per-thread arenas and stay there: with two worker threads the
packet held the freed rasters of one material while the next decoded, doubling the peak
(1.1 GB instead of 0.63 GB for 120-megapixel scans). A fixed threshold keeps every buffer
above it mapped on its own, returned whole when freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

M_MMAP_THRESHOLD = -3
THRESHOLD_BYTES = 8 * 1024 * 1024


def return_large_buffers() -> bool:
    """Fix the threshold (glibc only; elsewhere nothing to do). True when it was set."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_MMAP_THRESHOLD, THRESHOLD_BYTES))
    except (OSError, AttributeError):  # musl or another libc without mallopt
        return False


def trim() -> None:
    """Hand the heap's free pages back to the system (glibc only; elsewhere nothing).

    Between a material's straightening and its OCR: the decode and outline search leave
    tens of megabytes of small freed blocks mapped, and the text detector's working
    memory (about 140 MB for a card) would otherwise come on top of them."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(ctypes.c_size_t(0))
    except (OSError, AttributeError):
        pass


class PixelBudget:
    """At most ``limit`` source pixels being processed at once across worker threads; a
    larger request waits until it can run alone."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._used = 0
        self._cond = threading.Condition()

    @contextmanager
    def hold(self, pixels: int) -> Iterator[None]:
        pixels = min(max(0, pixels), self._limit)
        with self._cond:
            self._cond.wait_for(lambda: self._used + pixels <= self._limit)
            self._used += pixels
        try:
            yield
        finally:
            with self._cond:
                self._used -= pixels
                self._cond.notify_all()
