"""The one clock of kanava: everything above the pure core asks here for 'now'."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


def now() -> datetime:
    """The current instant, aware, in Helsinki time."""
    return datetime.now(UTC).astimezone(HELSINKI)


def today() -> date:
    """Today's date in Helsinki."""
    return now().date()
