"""Reading instants and dates that people type: ISO 8601, local Helsinki time if no offset."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from kanava.bounds import FIRST_DAY, LAST_DAY, within_calendar
from kanava.errors import InvalidInput, reason

HELSINKI = ZoneInfo("Europe/Helsinki")
FINNISH_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)


def as_aware(moment: datetime, zone: ZoneInfo = HELSINKI) -> datetime:
    """A naive time is taken as Helsinki wall-clock time."""
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _outside_calendar(field: str) -> InvalidInput:
    first, last = FIRST_DAY.isoformat(), LAST_DAY.isoformat()
    return InvalidInput(field, reason("must be between %(first)s and %(last)s", first=first,
                                      last=last))  # fmt: skip


def parse_instant(text: str, field: str = "at") -> datetime:
    try:
        moment = as_aware(datetime.fromisoformat(text.strip()))
    except ValueError:
        raise InvalidInput(
            field,
            reason(
                "%(text)s is not a time; expected ISO 8601, e.g. 2025-03-12T10:00 or "
                "2025-03-12T10:00+02:00",
                text=repr(text),
            ),
        ) from None
    if not within_calendar(moment.date()):
        raise _outside_calendar(field)
    return moment


def parse_date(text: str, field: str = "from") -> date:
    """A date typed as YYYY-MM-DD or the Finnish way (31.12.2024), in ASCII digits,
    within the calendar kanava reckons in."""
    text = text.strip()
    finnish = FINNISH_DATE.fullmatch(text)
    try:
        if finnish:
            day_of_month, month, year = (int(part) for part in finnish.groups())
            day: date | None = date(year, month, day_of_month)
        else:
            day = date.fromisoformat(text) if text.isascii() else None
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput(
            field,
            reason("%(text)s is not a date; expected 31.12.2024 or 2024-12-31", text=repr(text)),
        )
    if not within_calendar(day):
        raise _outside_calendar(field)
    return day
