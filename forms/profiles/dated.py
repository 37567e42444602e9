"""Dated parameters in the OpenFisca manner, with a small resolver of our own.

A parameter lists values by the date they take effect; a value holds until the next date,
and ``null`` ends it (the rule no longer applies). Each value carries its source and the
date someone last checked it, given once for the parameter and overridable per date, so
an estimate can always say where its figure comes from and how fresh it is.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

T = TypeVar("T")


class Entry(BaseModel, Generic[T]):
    """One dated value, with optional per-date provenance overriding the parameter's."""

    model_config = ConfigDict(extra="forbid")

    value: T | None
    source: str | None = None
    verified: dt.date | None = None
    unverified: bool | None = None
    note: str | None = None


class Resolved(BaseModel, Generic[T]):
    """A value as it stands on a date, with where it came from."""

    model_config = ConfigDict(frozen=True)

    value: T
    since: dt.date
    source: str
    verified: dt.date
    unverified: bool
    note: str | None = None


class Dated(BaseModel, Generic[T]):
    """``values`` maps an effective date to a value, a full Entry, or null (ends the rule)."""

    model_config = ConfigDict(extra="forbid")

    source: str | None = None
    verified: dt.date | None = None
    unverified: bool = False
    note: str | None = None
    values: dict[dt.date, Entry[T]] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _wrap_bare_values(cls, data: Any) -> Any:
        # Let profile authors write `2026-01-01: 0.08` instead of `{value: 0.08}`.
        if isinstance(data, dict) and isinstance(data.get("values"), dict):
            wrapped = {}
            for day, v in data["values"].items():
                is_entry = isinstance(v, dict) and "value" in v
                wrapped[day] = v if is_entry else {"value": v}
            data = {**data, "values": wrapped}
        return data

    @model_validator(mode="after")
    def _every_value_has_provenance(self) -> Dated[T]:
        for day, entry in self.values.items():
            if entry.value is None:
                continue
            if (entry.source or self.source) is None:
                raise ValueError(f"value from {day} has no source")
            if (entry.verified or self.verified) is None:
                raise ValueError(f"value from {day} has no verified date")
        return self

    def _dates(self) -> list[dt.date]:
        return sorted(self.values)

    def at(self, on: dt.date) -> Resolved[T] | None:
        """The value in force on ``on``, or None before the first date or after a null."""
        dates = self._dates()
        i = bisect_right(dates, on)
        if i == 0:
            return None
        day = dates[i - 1]
        entry = self.values[day]
        if entry.value is None:
            return None
        return Resolved[Any](
            value=entry.value,
            since=day,
            source=entry.source or self.source or "",
            verified=entry.verified or self.verified or day,
            unverified=entry.unverified if entry.unverified is not None else self.unverified,
            note=entry.note or self.note,
        )

    def value_at(self, on: dt.date, default: T | None = None) -> T | None:
        found = self.at(on)
        return default if found is None else found.value

    def sources(self) -> set[str]:
        names = {e.source for e in self.values.values() if e.source}
        if self.source:
            names.add(self.source)
        return names
