"""Logging that never writes a full ID number.

The filter rewrites every 18-character ID-shaped run in a log record to its masked form
(first six and last two characters kept), whatever the logger and whatever the message.
"""

from __future__ import annotations

import logging
import re

from forms.idnumbers import mask

_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def scrub(text: str) -> str:
    return _ID_LIKE.sub(lambda m: mask(m.group(0)), text)


class MaskIdNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True
