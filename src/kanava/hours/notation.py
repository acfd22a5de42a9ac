"""A compact notation for weekly hours, a subset of OpenStreetMap's opening_hours.

    "Mo-Fr 09:00-16:00"
    "Mo-Th 09:00-16:00; Fr 09:00-15:00"
    "Tu,Th 09:00-12:00,13:00-15:00 appointment"
    "Fr 22:00-02:00"            (an end before the start runs into the next day)
    "Mo-Su 00:00-24:00"

A rule is days, one or more time ranges, and optionally a state word
(open, appointment, self_service, closed). Rules are separated by ";".

Days and times may also be written the Finnish or Swedish way, as a manager types them:
"ma-pe 9.00-16.00", "må–fr 9–16" (the abbreviations of the three languages do not clash).
"""

from __future__ import annotations

import re
from datetime import time

from kanava.errors import reason
from kanava.hours.engine import RuleError, Span
from kanava.hours.enums import State

_DAYS = {"mo": 1, "tu": 2, "we": 3, "th": 4, "fr": 5, "sa": 6, "su": 7}
# Finnish (ma ti ke to pe la su) and Swedish (må ti on to fr lö sö, mån … sön) too.
_LOCAL_DAYS = {"ma": 1, "ti": 2, "ke": 3, "to": 4, "pe": 5, "la": 6, "må": 1, "on": 3,
               "lö": 6, "sö": 7, "mån": 1, "tis": 2, "ons": 3, "tor": 4, "fre": 5,
               "lör": 6, "sön": 7}  # fmt: skip
_ANY_DAY = {**_DAYS, **_LOCAL_DAYS}
_STATES = {
    "open": State.OPEN,
    "appointment": State.BY_APPOINTMENT,
    "by_appointment": State.BY_APPOINTMENT,
    "self_service": State.SELF_SERVICE,
    "closed": State.CLOSED,
    "off": State.CLOSED,
}
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$", re.ASCII)


def _refused(why: str) -> RuleError:
    return RuleError(f"hours: {why}", why)


def _parse_days(text: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.split(","):
        bounds = part.lower().replace("–", "-").split("-")
        if len(bounds) > 2 or any(b not in _ANY_DAY for b in bounds):
            raise _refused(reason("%(part)s is not a day or a day range such as Mo-Fr",
                                  part=repr(part)))  # fmt: skip
        first, last = _ANY_DAY[bounds[0]], _ANY_DAY[bounds[-1]]
        if last < first:
            raise _refused(reason("day range %(part)s runs backwards", part=repr(part)))
        days.update(range(first, last + 1))
    return frozenset(days)


def _parse_time(text: str) -> time:
    match = _TIME.match(text)
    if not match:
        raise _refused(reason("%(text)s is not a time HH:MM", text=repr(text)))
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour == 24 and minute == 0:
        return time(0, 0)
    if hour > 23 or minute > 59:
        raise _refused(reason("%(text)s is not a time of day", text=repr(text)))
    return time(hour, minute)


def parse_hours(text: str) -> tuple[Span, ...]:
    """Parse the notation into spans; the error names the part it could not read."""
    spans: list[Span] = []
    for rule_text in filter(None, (part.strip() for part in text.split(";"))):
        words = rule_text.split()
        if len(words) not in (2, 3):
            raise _refused(reason("%(text)s should read like 'Mo-Fr 09:00-16:00'",
                                  text=repr(rule_text)))  # fmt: skip
        days = _parse_days(words[0])
        state = State.OPEN
        if len(words) == 3:
            if words[2].lower() not in _STATES:
                states = ", ".join(sorted(_STATES))
                raise _refused(reason("state %(state)s is not one of %(states)s",
                                      state=repr(words[2]), states=states))  # fmt: skip
            state = _STATES[words[2].lower()]
        for range_text in words[1].split(","):
            bounds = range_text.replace("–", "-").split("-")
            if len(bounds) != 2:
                raise _refused(reason("%(text)s is not a time range HH:MM-HH:MM",
                                      text=repr(range_text)))  # fmt: skip
            start, end = _parse_time(bounds[0]), _parse_time(bounds[1])
            if bounds[0] == bounds[1]:
                raise _refused(reason("%(text)s has no length; write 00:00-24:00 for a whole day",
                                      text=repr(range_text)))  # fmt: skip
            crosses = end <= start and end != time(0, 0)
            spans.append(Span(start, end, state, days, ends_next_day=crosses))
    if not spans:
        raise _refused(reason("empty; write for example 'Mo-Fr 09:00-16:00'"))
    return tuple(spans)


def format_hours(spans: tuple[Span, ...]) -> str:
    """The notation for spans, so that parse_hours(format_hours(s)) == s."""
    names = {number: name.capitalize() for name, number in _DAYS.items()}
    words = {v: k for k, v in _STATES.items() if k in ("open", "appointment", "self_service")}
    words[State.CLOSED] = "closed"
    parts = []
    for span in spans:
        days = ",".join(names[d] for d in sorted(span.weekdays))
        end = "24:00" if span.end == time(0, 0) else f"{span.end:%H:%M}"
        state = "" if span.state is State.OPEN else f" {words[span.state]}"
        parts.append(f"{days} {span.start:%H:%M}-{end}{state}")
    return "; ".join(parts)
