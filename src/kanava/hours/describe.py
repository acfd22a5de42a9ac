"""Say a week's opening hours as a sentence in fi, sv or en.

"avoinna arkisin klo 9–16", "öppet vardagar 9–16", "open weekdays 9–16".
Weekdays with identical spans are grouped; Monday to Friday is "weekdays", a run
of three or more days is a range ("ma–to"), a single day is said the way a
timetable says it ("keskiviikkoisin", "onsdagar", "Wednesdays").
"""

from __future__ import annotations

from datetime import date, time, timedelta
from functools import lru_cache

from babel.dates import get_day_names

from kanava.hours.engine import Rule, Schedule, Span, deciding_rule
from kanava.hours.enums import RuleKind, State, Weekday
from kanava.i18n import BABEL_LOCALES

_EVERY_WEEKDAY = {
    "fi": [
        "maanantaisin",
        "tiistaisin",
        "keskiviikkoisin",
        "torstaisin",
        "perjantaisin",
        "lauantaisin",
        "sunnuntaisin",
    ],
    "sv": ["måndagar", "tisdagar", "onsdagar", "torsdagar", "fredagar", "lördagar", "söndagar"],
    "en": ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"],
}
_BUSINESS_DAYS = {"fi": "arkisin", "sv": "vardagar", "en": "weekdays"}
_ALL_DAYS = {"fi": "joka päivä", "sv": "alla dagar", "en": "daily"}
_STATE_WORDS = {
    State.OPEN: {"fi": "avoinna", "sv": "öppet", "en": "open"},
    State.BY_APPOINTMENT: {
        "fi": "ajanvarauksella",
        "sv": "med tidsbokning",
        "en": "by appointment",
    },
    State.SELF_SERVICE: {"fi": "itsepalvelu", "sv": "självbetjäning", "en": "self-service"},
}
_CLOSED = {"fi": "suljettu", "sv": "stängt", "en": "closed"}
_AROUND_THE_CLOCK = {
    "fi": "avoinna ympäri vuorokauden",
    "sv": "öppet dygnet runt",
    "en": "open around the clock",
}
_CLOCK_PREFIX = {"fi": "klo ", "sv": "", "en": ""}
_MINUTE_SEPARATOR = {"fi": ".", "sv": ".", "en": ":"}
_LIST_AND = {"fi": " ja ", "sv": " och ", "en": " and "}


def _clock(moment: time, lang: str, is_end: bool = False) -> str:
    hour = 24 if is_end and moment == time(0) else moment.hour
    if moment.minute == 0:
        return str(hour)
    return f"{hour}{_MINUTE_SEPARATOR[lang]}{moment.minute:02d}"


def _span_text(span: Span, lang: str) -> str:
    return f"{_clock(span.start, lang)}–{_clock(span.end, lang, is_end=True)}"


def _abbreviated(day: int, lang: str) -> str:
    return str(get_day_names("abbreviated", locale=BABEL_LOCALES[lang])[day - 1])


def _days_text(days: list[int], lang: str) -> str:
    if set(days) == Weekday.all_days():
        return _ALL_DAYS[lang]
    if set(days) == Weekday.business_days():
        return _BUSINESS_DAYS[lang]
    if len(days) == 1:
        return _EVERY_WEEKDAY[lang][days[0] - 1]
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = [
        f"{_abbreviated(run[0], lang)}–{_abbreviated(run[-1], lang)}"
        if len(run) >= 3
        else ", ".join(_abbreviated(day, lang) for day in run)
        for run in runs
    ]
    return ", ".join(parts)


def describe_rule(rule: Rule | None, lang: str) -> str:
    """One sentence for the weekly pattern of a rule; 'closed' when it has no spans."""
    if rule is None or not rule.spans:
        return _CLOSED[lang]
    if any(
        s.start == time(0)
        and s.end == time(0)
        and s.weekdays == Weekday.all_days()
        and s.state is State.OPEN
        for s in rule.spans
    ):
        return _AROUND_THE_CLOCK[lang]
    by_day: dict[int, tuple[tuple[State, str], ...]] = {}
    for day in range(1, 8):
        spans = sorted((s for s in rule.spans if day in s.weekdays), key=lambda s: s.start)
        signature: tuple[tuple[State, str], ...] = tuple(
            (span.state, _span_text(span, lang)) for span in spans if span.state is not State.CLOSED
        )
        if signature:
            by_day[day] = signature
    groups: dict[tuple[tuple[State, str], ...], list[int]] = {}
    for day, day_signature in by_day.items():
        groups.setdefault(day_signature, []).append(day)
    phrases: list[str] = []
    previous_state: State | None = None
    for signature, days in sorted(groups.items(), key=lambda item: item[1][0]):
        state = signature[0][0]
        times = _LIST_AND[lang].join(text for _, text in signature)
        phrase = f"{_days_text(days, lang)} {_CLOCK_PREFIX[lang]}{times}"
        if state is not previous_state:
            phrase = f"{_STATE_WORDS[state][lang]} {phrase}"
        previous_state = state
        phrases.append(phrase)
    return ", ".join(phrases) if phrases else _CLOSED[lang]


@lru_cache(maxsize=4096)
def describe_week(schedule: Schedule, on: date, lang: str) -> str:
    """The usual week in force on a date (regular or override hours, not one-off days).

    Starts from the date itself, so the day summer hours end already says the new week.
    """
    for offset in range(7):
        rule, kind, _ = deciding_rule(schedule, on + timedelta(days=offset))
        if kind in (RuleKind.REGULAR, RuleKind.OVERRIDE):
            return describe_rule(rule, lang)
    regular = [r for r in schedule.rules if r.kind is RuleKind.REGULAR and r.covers(on)]
    return describe_rule(regular[-1] if regular else None, lang)
