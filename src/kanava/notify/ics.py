"""An iCalendar (.ics) file for a booking, made with the icalendar package. Pure.

UID stays the same for the life of a booking and SEQUENCE grows on every change, so
calendar programs update or cancel the event instead of adding another. Times are
Helsinki wall-clock times with TZID and a VTIMEZONE (one convention, as the messages
write them); DTSTAMP is UTC, as RFC 5545 requires.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

HELSINKI = ZoneInfo("Europe/Helsinki")


def booking_calendar(
    *,
    reference: str,
    sequence: int,
    start: datetime,
    end: datetime,
    summary: str,
    description: str,
    location: str | None,
    stamp: datetime,
    cancelled: bool = False,
) -> str:
    calendar = Calendar()
    calendar.add("prodid", "-//kanava//appointments//FI")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"{reference}@kanava")
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", start.astimezone(HELSINKI))
    event.add("dtend", end.astimezone(HELSINKI))
    event.add("summary", summary)
    event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if location:
        event.add("location", location)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical.decode("utf-8")
