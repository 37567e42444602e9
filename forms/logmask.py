"""Logging that never writes a full ID, permit, bank account or phone number, into files
only their owner can read.

The filter rewrites every run of ten or more digits in a log record to a masked form,
whatever the logger, the message and the characters around the run: an ID number glued to
letters (``idX110105194912310021``, ``ID:11010519491231002Xabc``), typed in full-width
digits, or spaced in groups as people copy it (``110105 19491231 002X``). Eighteen- and
fifteen-character ID numbers and permit numbers keep their first six and last two
characters, as everywhere in the app; shorter runs (bank accounts of 10-14 digits, mobile
numbers) keep three and two. Nothing shorter than ten digits is a personal number, and
dates and times stay readable.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path

from forms.idnumbers import mask
from forms.private_files import open_private_fd

# Any Unicode decimal digit (ASCII, full-width, ...); groups of three or more may be joined
# by one space, dash or ideographic space; an ID's check character may end the run.
_RUN = re.compile(r"\d+(?:[ \-\u3000\u2010\u2011\uff0d]\d{3,})*[XxＸｘ]?")
_MIN_DIGITS = 10


def _hide(match: re.Match[str], head: int = 6, tail: int = 2) -> str:
    text = match.group(0)
    digits = "".join(str(unicodedata.digit(ch)) for ch in text if ch.isdecimal())
    if len(digits) < _MIN_DIGITS:
        return text
    if text[-1] in "XxＸｘ":
        digits += "X"
    if len(digits) >= 15:
        return mask(digits, head=head, tail=tail)
    if head != 6 or tail != 2:   # the caller's own rule holds for every number
        return mask(digits, head=head, tail=tail)
    return digits[:3] + "*" * (len(digits) - 5) + digits[-2:]


def scrub(text: str, *, head: int = 6, tail: int = 2) -> str:
    """``text`` with every personal number masked; ``head``/``tail`` as in
    ``idnumbers.mask`` (a batch summary keeps only the last four characters)."""
    return _RUN.sub(lambda m: _hide(m, head, tail), text)


class MaskIdNumbers(logging.Filter):
    """Masks personal numbers in the message, its arguments, the traceback and the stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


class PrivateLogFile(RotatingFileHandler):
    """A rotating log whose current file and every file it rotates to are 0600, whatever
    the umask (the stock handler opens files 0666 minus the umask, on every rollover)."""

    def _open(self) -> TextIOWrapper:
        fd = open_private_fd(Path(self.baseFilename))
        return open(fd, "a", encoding=self.encoding, errors=self.errors)  # always appends
