"""Bounds on the dates, instants and numbers the API takes. Pure.

The calendar's ends (0001-01-01, 9999-12-31) and integers past 32 bits are valid to
Python but not to what is done with them (a day plus a week, an instant moved to UTC,
a database's integer column): each is refused here as invalid input naming its field,
before any of that runs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2200, 12, 31)
MAX_ID = 2**31 - 1  # the id columns are 32-bit integers (PostgreSQL integer)


CALENDAR = f"between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}"


def within_calendar(value: date) -> bool:
    return FIRST_DAY <= value <= LAST_DAY


def _day_within(value: date) -> date:
    if not within_calendar(value):
        raise ValueError(f"must be {CALENDAR}")
    return value


def _instant_within(value: datetime) -> datetime:
    _day_within(value.date())
    if value.tzinfo is not None:
        _day_within(value.astimezone(UTC).date())
    return value


Day = Annotated[date, AfterValidator(_day_within)]
Instant = Annotated[datetime, AfterValidator(_instant_within)]
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
YearNumber = Annotated[int, Field(ge=1900, le=2200)]
