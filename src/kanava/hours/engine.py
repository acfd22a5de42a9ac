"""Resolve opening-hours rules into timelines, and answer "open at?" and "next opening?".

Pure: plain values in, plain values out; no database, no clock.

Rules are local wall-clock times in an IANA zone (Europe/Helsinki by default);
resolved intervals are aware UTC instants, so arithmetic and comparison across
the daylight-saving changes are exact.

Which rule decides a date (highest precedence first):

1. an ``exception`` rule whose validity covers the date (a dated exception);
2. a ``holiday`` rule naming the holiday that falls on the date; failing one,
   the day is closed if the schedule closes on holidays (the default);
3. an ``override`` rule whose validity covers the date (summer hours);
4. a ``regular`` rule whose validity covers the date.

Within one level the rule with the shortest validity wins (an open end counts as
infinite); a tie goes to the rule listed last. The deciding rule's spans for the
date's weekday make the day; a rule with no span for that weekday closes it.

A span may end on the next day (``ends_next_day``); an end of 00:00 means
midnight at the end of the day. Resolving a range therefore starts one day early,
so that last night's span is seen. Where intervals overlap, the one from the later
day wins, and within a day an explicit ``closed`` span punches a hole.

A local time that does not exist (the spring-forward hour, 03:00–04:00 on the
last Sunday of March) is read with the offset before the change, i.e. moved one
hour later; an ambiguous one (the repeated hour in October) means its first
occurrence.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from kanava.hours.calendar import holiday_on
from kanava.hours.enums import RuleKind, State, Weekday

HELSINKI = "Europe/Helsinki"
MIDNIGHT = time(0, 0)
_STATE_PRIORITY = {
    State.CLOSED: 0,
    State.OPEN: 1,
    State.SELF_SERVICE: 2,
    State.BY_APPOINTMENT: 3,
}


class RuleError(ValueError):
    """A rule that cannot be resolved; the message names the field and the reason, and
    ``why`` is the reason alone (translatable where it was made with `reason()`)."""

    def __init__(self, message: str, why: str | None = None) -> None:
        super().__init__(message)
        self.why = message if why is None else why


@dataclass(frozen=True, slots=True)
class Span:
    """A time span of a rule on the weekdays it lists, in local wall-clock time."""

    start: time
    end: time
    state: State = State.OPEN
    weekdays: frozenset[int] = field(default_factory=Weekday.all_days)
    ends_next_day: bool = False

    def __post_init__(self) -> None:
        if self.end == MIDNIGHT and not self.ends_next_day:
            object.__setattr__(self, "ends_next_day", True)
        if not self.ends_next_day and self.end <= self.start:
            raise RuleError(
                f"end: {self.end:%H:%M} is not after start {self.start:%H:%M}; "
                "set ends_next_day for a span past midnight"
            )
        if not self.weekdays or not self.weekdays <= Weekday.all_days():
            raise RuleError(f"weekdays: {sorted(self.weekdays)} must be ISO weekdays 1–7")


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of a schedule; an empty ``spans`` closes the days it decides."""

    kind: RuleKind
    spans: tuple[Span, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None
    holiday: str | None = None

    def __post_init__(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise RuleError(f"valid_to: {self.valid_to} is before valid_from {self.valid_from}")
        if self.kind is RuleKind.EXCEPTION and self.valid_from is None:
            raise RuleError("valid_from: an exception rule needs the date it applies to")
        if self.kind is RuleKind.HOLIDAY and not self.holiday:
            raise RuleError("holiday: a holiday rule must name the holiday")

    def covers(self, day: date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day <= self.valid_to

    def validity_days(self) -> float:
        if self.valid_from is None or self.valid_to is None:
            return float("inf")
        return float((self.valid_to - self.valid_from).days + 1)


@dataclass(frozen=True, slots=True)
class Schedule:
    """All the rules of one channel, in one time zone."""

    rules: tuple[Rule, ...] = ()
    timezone: str = HELSINKI
    closed_on_holidays: bool = True


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """A resolved span: aware UTC instants, end exclusive."""

    start: datetime
    end: datetime
    state: State = State.OPEN

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end

    def local(self, timezone: str = HELSINKI) -> tuple[datetime, datetime]:
        zone = _zone(timezone)
        return self.start.astimezone(zone), self.end.astimezone(zone)


@dataclass(frozen=True, slots=True)
class Day:
    """One local date: the rule that decided it, and the spans that start on it."""

    date: date
    decided_by: RuleKind | None
    holiday: str | None
    intervals: tuple[Interval, ...]


@lru_cache(maxsize=32)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _to_utc(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def deciding_rule(schedule: Schedule, day: date) -> tuple[Rule | None, RuleKind | None, str | None]:
    """Pick the rule that decides a date, following the precedence in the module doc."""
    holiday = holiday_on(day)
    by_kind: dict[RuleKind, list[tuple[int, Rule]]] = {}
    for index, rule in enumerate(schedule.rules):
        if rule.covers(day) and (rule.kind is not RuleKind.HOLIDAY or rule.holiday == holiday):
            by_kind.setdefault(rule.kind, []).append((index, rule))
    for kind in (RuleKind.EXCEPTION, RuleKind.HOLIDAY, RuleKind.OVERRIDE, RuleKind.REGULAR):
        if kind is RuleKind.OVERRIDE and holiday and schedule.closed_on_holidays:
            return None, RuleKind.HOLIDAY, holiday
        candidates = by_kind.get(kind)
        if candidates:
            _, rule = min(candidates, key=lambda pair: (pair[1].validity_days(), -pair[0]))
            return rule, kind, holiday
    return None, None, holiday


def resolve_day(schedule: Schedule, day: date) -> Day:
    """The spans that start on one local date."""
    rule, decided_by, holiday = deciding_rule(schedule, day)
    zone = _zone(schedule.timezone)
    intervals: list[Interval] = []
    if rule is not None:
        weekday = day.isoweekday()
        for span in rule.spans:
            if weekday not in span.weekdays:
                continue
            end_day = day + timedelta(days=1) if span.ends_next_day else day
            intervals.append(
                Interval(
                    _to_utc(day, span.start, zone),
                    _to_utc(end_day, span.end, zone),
                    span.state,
                )
            )
    return Day(day, decided_by, holiday, tuple(sorted(intervals)))


def resolve_days(schedule: Schedule, first: date, last: date) -> list[Day]:
    """Every local date from first to last inclusive, resolved."""
    count = (last - first).days + 1
    return [resolve_day(schedule, first + timedelta(days=offset)) for offset in range(count)]


def _pick_state(candidates: Sequence[tuple[date, State]]) -> State:
    latest_day = max(day for day, _ in candidates)
    states = [state for day, state in candidates if day == latest_day]
    return min(states, key=_STATE_PRIORITY.__getitem__)


def flatten(days: Iterable[Day]) -> list[Interval]:
    """Non-overlapping intervals of every state but closed, sorted, same states merged."""
    tagged = sorted(
        ((day.date, interval) for day in days for interval in day.intervals),
        key=lambda pair: pair[1].start,
    )
    boundaries = sorted({i.start for _, i in tagged} | {i.end for _, i in tagged})
    flat: list[Interval] = []
    active: list[tuple[date, Interval]] = []
    waiting = 0
    for left, right in itertools.pairwise(boundaries):
        while waiting < len(tagged) and tagged[waiting][1].start <= left:
            active.append(tagged[waiting])
            waiting += 1
        # Every end is a boundary, so an interval still running at ``left`` spans the segment.
        active = [pair for pair in active if pair[1].end > left]
        if not active:
            continue
        state = _pick_state([(d, i.state) for d, i in active])
        if state is State.CLOSED:
            continue
        if flat and flat[-1].end == left and flat[-1].state is state:
            flat[-1] = Interval(flat[-1].start, right, state)
        else:
            flat.append(Interval(left, right, state))
    return flat


@dataclass(frozen=True)
class Timeline:
    """Resolved, flattened intervals of one schedule; answers queries by binary search.

    Answers are right for instants from the start of ``first`` to the end of ``last``.
    """

    first: date
    last: date
    intervals: tuple[Interval, ...]
    _starts: tuple[datetime, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(i.start for i in self.intervals))

    def state_at(self, instant: datetime) -> State:
        position = bisect.bisect_right(self._starts, instant) - 1
        if position >= 0 and self.intervals[position].contains(instant):
            return self.intervals[position].state
        return State.CLOSED

    def next_opening(
        self, instant: datetime, states: frozenset[State] = State.open_states()
    ) -> datetime | None:
        """The first instant after ``instant`` at which a closed time turns into one of states."""
        position = bisect.bisect_right(self._starts, instant)
        previous = self.intervals[position - 1] if position > 0 else None
        for interval in self.intervals[position:]:
            continuing = (
                previous is not None and previous.end == interval.start and previous.state in states
            )
            if interval.state in states and not continuing:
                return interval.start
            previous = interval
        return None


def closes_at(
    schedule: Schedule,
    instant: datetime,
    states: frozenset[State] = State.open_states(),
    horizon_days: int = 8,
) -> datetime | None:
    """When the open run containing ``instant`` ends; None if closed or open past the horizon."""
    first = local_date(instant, schedule.timezone)
    line = timeline(schedule, first, first + timedelta(days=horizon_days))
    if line.state_at(instant) not in states:
        return None
    position = bisect.bisect_right(line._starts, instant) - 1
    end = line.intervals[position].end
    for interval in line.intervals[position + 1 :]:
        if interval.start != end or interval.state not in states:
            break
        end = interval.end
    horizon_end = datetime.combine(
        first + timedelta(days=horizon_days + 1), time(0), tzinfo=_zone(schedule.timezone)
    )
    return None if end >= horizon_end.astimezone(UTC) else end


@lru_cache(maxsize=8192)
def timeline(schedule: Schedule, first: date, last: date) -> Timeline:
    """Resolve a range of local dates (and the day before, for spans past midnight).

    Memoised: a schedule is an immutable value, so the same range resolves the same way.
    """
    days = resolve_days(schedule, first - timedelta(days=1), last)
    return Timeline(first, last, tuple(flatten(days)))


def local_date(instant: datetime, timezone: str = HELSINKI) -> date:
    """The local calendar date of an aware instant."""
    if instant.tzinfo is None:
        raise RuleError("at: the instant needs a UTC offset or zone")
    return instant.astimezone(_zone(timezone)).date()


def state_at(schedule: Schedule, instant: datetime) -> State:
    """The state of a schedule at an aware instant."""
    day = local_date(instant, schedule.timezone)
    return timeline(schedule, day, day).state_at(instant)


def is_open(schedule: Schedule, instant: datetime) -> bool:
    """Whether a customer can be served without a booking at the instant."""
    return state_at(schedule, instant) in State.open_states()


_SEARCH_WINDOWS_DAYS = (7, 31, 366)


def next_opening(
    schedule: Schedule,
    instant: datetime,
    states: frozenset[State] = State.open_states(),
    horizon_days: int = 400,
) -> datetime | None:
    """The next instant after ``instant`` when the schedule opens, within a horizon.

    Searches growing windows so the common case (open within a week) stays cheap.
    """
    first = local_date(instant, schedule.timezone)
    windows = sorted({min(days, horizon_days) for days in (*_SEARCH_WINDOWS_DAYS, horizon_days)})
    for days in windows:
        found = timeline(schedule, first, first + timedelta(days=days)).next_opening(
            instant, states
        )
        if found is not None:
            return found
    return None


@dataclass(frozen=True, slots=True)
class Status:
    """What a customer asks of a channel at an instant: open now? until when? if not, when?"""

    state: State
    is_open: bool
    closes_at: datetime | None
    next_opening: datetime | None


def status_at(schedule: Schedule, instant: datetime) -> Status:
    """Open now and until when, or the next opening (appointment times count as openings)."""
    state = state_at(schedule, instant)
    if state in State.open_states():
        return Status(state, True, closes_at(schedule, instant), None)
    serving = State.open_states() | {State.BY_APPOINTMENT}
    return Status(state, False, None, next_opening(schedule, instant, serving))


def whole_hours(schedule: Schedule, day: date) -> tuple[int, ...]:
    """The local starting hours of the whole hours open on a day (for hourly planning)."""
    zone = ZoneInfo(schedule.timezone)
    hours: set[int] = set()
    for interval in resolve_day(schedule, day).intervals:
        moment = interval.start
        while moment + timedelta(hours=1) <= interval.end:
            hours.add(moment.astimezone(zone).hour)
            moment += timedelta(hours=1)
    return tuple(sorted(hours))
