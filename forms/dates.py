"""Date arithmetic the rules and estimates share."""

from __future__ import annotations

import datetime as dt


def age_on(birth: dt.date, on: dt.date) -> int:
    """Completed years of age on ``on`` (a birthday counts on the day itself)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
