"""Who can serve when: experts, shifts, absences, rooms and bookings turned into the
values the pure slot search takes, and the search itself.

Topics, appointment types and the qualified experts' working time change rarely: they
are worked out once per availability version (see booking/cache.py) and kept. Bookings
change all the time and are read on every question.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Select,
    bindparam,
    case,
    or_,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from kanava.booking.cache import VersionedCache
from kanava.booking.enums import AppointmentKind, BookingStatus
from kanava.booking.models import (
    ACTIVE_STATUSES,
    Absence,
    AppointmentType,
    AvailabilityVersion,
    Booking,
    Expert,
    ExpertLanguage,
    ExpertTopic,
    Room,
    Shift,
)
from kanava.booking.slots import (
    Resource,
    ResourceArrays,
    SlotRules,
    Span,
    free_at_start,
    local_grid_seconds,
    pooled_offers,
    resource_arrays,
)
from kanava.catalogue.enums import ChannelKind, ChannelStatus
from kanava.catalogue.models import Channel, Topic
from kanava.errors import InvalidInput, NotFound, reason
from kanava.hours.calendar import holiday_on
from kanava.hours.engine import Rule, Schedule, timeline
from kanava.hours.engine import Span as HoursSpan
from kanava.hours.enums import RuleKind, State
from kanava.hours.notation import parse_hours
from kanava.i18n import LANGUAGES
from kanava.sqlfunctions import epoch_seconds

ZONE_NAME = "Europe/Helsinki"
ZONE = ZoneInfo(ZONE_NAME)
_PLACE_KINDS = {
    AppointmentKind.SERVICE_POINT: {
        ChannelKind.SERVICE_POINT,
        ChannelKind.LAHIPALVELUPISTE,
        ChannelKind.POP_UP,
    },
    AppointmentKind.VIDEO: {ChannelKind.ASIOINTIPISTE, ChannelKind.REMOTE_VIDEO},
}


_CACHE = VersionedCache(size=256)


@dataclass(frozen=True, slots=True)
class KindSettings:
    """An appointment type's settings (a plain copy, to keep between requests)."""

    kind: str
    topic_id: str | None
    duration_min: int
    buffer_before_min: int
    buffer_after_min: int
    step_min: int
    notice_working_days: int
    horizon_days: int
    daily_cap: int | None


@dataclass(frozen=True)
class Snapshot:
    """The rarely changing facts of one availability version of one database."""

    database: str
    version: int
    topics: tuple[str, ...]
    kinds: tuple[KindSettings, ...]

    def longest_block(self) -> timedelta:
        """The longest range any booking keeps: bookings starting earlier cannot reach in."""
        return max(
            (
                timedelta(minutes=k.buffer_before_min + k.duration_min + k.buffer_after_min)
                for k in self.kinds
            ),
            default=timedelta(0),
        )


_VERSION = select(AvailabilityVersion.version)


def snapshot(session: Session) -> Snapshot:
    """The current availability version's facts: one small query when they are known."""
    connection = session.connection()
    version = connection.execute(_VERSION).scalar_one()
    database = str(connection.engine.url)
    return _CACHE.get(
        database, version, "snapshot", lambda: _read_snapshot(connection, database, version)
    )


def _read_snapshot(connection: Connection, database: str, version: int) -> Snapshot:
    topics = connection.execute(select(Topic.id).order_by(Topic.position)).scalars().all()
    columns = [getattr(AppointmentType, f) for f in KindSettings.__slots__]
    kinds = [KindSettings(*row) for row in connection.execute(select(*columns))]
    return Snapshot(database, version, tuple(topics), tuple(kinds))


@dataclass(frozen=True)
class Request:
    """A checked slot question: what, in which language, how, where; and the availability
    version it is answered at."""

    topic: str
    lang: str
    kind: AppointmentKind
    place: Channel | None
    snapshot: Snapshot
    serves_until: date | None = None  # the place's last day, when it closes from a date


@dataclass(frozen=True)
class Window:
    earliest: datetime
    latest: datetime

    def days(self) -> tuple[date, date]:
        return self.earliest.astimezone(ZONE).date(), self.latest.astimezone(ZONE).date()


def last_day_served(channel: Channel) -> date | None:
    """The last day a place serves when a closure or replacement is recorded from a date
    (the day before it); None while it serves with no end in sight."""
    if channel.status == ChannelStatus.ACTIVE or not channel.status_date:
        return None
    return date.fromisoformat(channel.status_date) - timedelta(days=1)


def serves_on(channel: Channel, day: date) -> bool:
    """Whether a place is in service on a day: active, or closing only after it."""
    if channel.status == ChannelStatus.ACTIVE:
        return True
    last = last_day_served(channel)
    return last is not None and day <= last


def check_request(
    session: Session,
    *,
    topic: str,
    lang: str,
    kind: str,
    place: str | None,
    today: date | None = None,
) -> Request:
    """Validate the question; errors name the field and the valid choices."""
    known = snapshot(session)
    if topic not in known.topics:
        raise NotFound("topic", topic, list(known.topics))
    if lang not in LANGUAGES:
        raise InvalidInput(
            "lang",
            reason("%(lang)s is not one of %(join)s", lang=repr(lang), join=", ".join(LANGUAGES)),
        )
    try:
        appointment_kind = AppointmentKind(kind)
    except ValueError:
        raise NotFound("kind", kind, [k.value for k in AppointmentKind]) from None
    if appointment_kind is AppointmentKind.PHONE:
        return Request(topic, lang, appointment_kind, None, known)
    if not place:
        raise InvalidInput("place", reason("a %(kind)s appointment needs a place", kind=kind))
    channel = session.get(Channel, place)
    allowed = _PLACE_KINDS[appointment_kind]
    if channel is None or channel.kind not in allowed:
        raise NotFound("place", place)
    last = last_day_served(channel)
    if channel.status != ChannelStatus.ACTIVE and (last is None or (today and today > last)):
        raise NotFound("place", place)
    return Request(topic, lang, appointment_kind, channel, known, last)


def appointment_type(request: Request) -> KindSettings:
    """The topic's own settings for the kind, else the kind's defaults."""
    rows = [
        k
        for k in request.snapshot.kinds
        if k.kind == request.kind.value and k.topic_id in (request.topic, None)
    ]
    if not rows:
        raise InvalidInput(
            "kind",
            reason("no appointment type is configured for %(value)s", value=request.kind.value),
        )
    return min(rows, key=lambda row: row.topic_id is None)


def slot_rules(kind: KindSettings) -> SlotRules:
    return SlotRules(
        timedelta(minutes=kind.duration_min),
        timedelta(minutes=kind.buffer_before_min),
        timedelta(minutes=kind.buffer_after_min),
        timedelta(minutes=kind.step_min),
    )


def is_working_day(day: date) -> bool:
    return day.isoweekday() <= 5 and holiday_on(day) is None


def booking_window(kind: KindSettings, now: datetime) -> Window:
    """Minimum notice in working days (1: from the next working day) and the horizon."""
    local_today = now.astimezone(ZONE).date()
    earliest = now.astimezone(UTC)
    if kind.notice_working_days > 0:
        day, counted = local_today, 0
        while counted < kind.notice_working_days:
            day += timedelta(days=1)
            counted += is_working_day(day)
        earliest = datetime.combine(day, time(0), tzinfo=ZONE).astimezone(UTC)
    last_day = local_today + timedelta(days=kind.horizon_days)
    latest = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=ZONE).astimezone(UTC)
    return Window(earliest, latest)


@lru_cache(maxsize=1024)
def _shift_schedule(hours: str, valid_from: date | None, valid_to: date | None) -> Schedule:
    spans: tuple[HoursSpan, ...] = parse_hours(hours)
    return Schedule((Rule(RuleKind.REGULAR, spans, valid_from, valid_to),))


def _open_spans(schedule: Schedule, first: date, last: date) -> list[Span]:
    line = timeline(schedule, first, last)
    return [(i.start, i.end) for i in line.intervals if i.state is State.OPEN]


def _day_span(first: date, last: date) -> Span:
    start = datetime.combine(first, time(0), tzinfo=ZONE).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=ZONE).astimezone(UTC)
    return start, end


# Plain comparisons, not IN: SQLAlchemy renders an IN list into the SQL again at every
# execution, which costs a booking's hot reads more than the database's work on it.
_ACTIVE = or_(*(Booking.status == status for status in ACTIVE_STATUSES))


def active_condition(now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    """Bookings that keep their time: booked, or held and not yet expired."""
    return or_(
        Booking.status == BookingStatus.BOOKED.value,
        (Booking.status == BookingStatus.HELD.value) & (Booking.hold_expires_at > now),
    )


def _busy(
    session: Session,
    column: InstrumentedAttribute[Any],
    ids: Sequence[str],
    span: Span,
    now: datetime,
) -> dict[str, list[tuple[datetime, datetime, datetime]]]:
    """Blocked ranges (and starts) of active bookings per expert or room."""
    rows = session.execute(
        select(column, Booking.blocked_start, Booking.blocked_end, Booking.start_at).where(
            column.in_(ids),
            active_condition(now),
            Booking.blocked_end > span[0] - timedelta(days=1),
            Booking.blocked_start < span[1] + timedelta(days=1),
        )
    ).all()
    busy: dict[str, list[tuple[datetime, datetime, datetime]]] = defaultdict(list)
    for owner, blocked_start, blocked_end, start in rows:
        busy[owner].append((blocked_start, blocked_end, start))
    return busy


@lru_cache(maxsize=2048)
def _open_spans_seconds(schedule: Schedule, first: date, last: date) -> np.ndarray:
    """Working spans of a shift pattern as (start, end) epoch seconds; shared, read-only."""
    spans = np.array(
        [(int(s.timestamp()), int(e.timestamp())) for s, e in _open_spans(schedule, first, last)],
        dtype=np.int64,
    ).reshape(-1, 2)
    spans.flags.writeable = False
    return spans


def _day_bounds(first: date, last: date) -> np.ndarray:
    """Local midnights from first to the day after last, in epoch seconds."""
    return np.array(
        [
            int(datetime.combine(first + timedelta(days=n), time(0), tzinfo=ZONE).timestamp())
            for n in range((last - first).days + 2)
        ],
        dtype=np.int64,
    )


def _rows(triples: list[tuple[int, int, int]]) -> np.ndarray:
    return np.array(triples, dtype=np.int64).reshape(-1, 3)


def qualified_shifts(request: Request) -> Select[str, str, date | None, date | None]:
    """Shifts of active experts who serve the topic in the language, of the right kind."""
    query = (
        select(Shift.expert_id, Shift.hours, Shift.valid_from, Shift.valid_to)
        .join(Expert, Expert.id == Shift.expert_id)
        .join(ExpertTopic, ExpertTopic.expert_id == Shift.expert_id)
        .join(ExpertLanguage, ExpertLanguage.expert_id == Shift.expert_id)
        .where(
            Expert.active.is_(True),
            Shift.kind == request.kind.value,
            ExpertTopic.topic_id == request.topic,
            ExpertLanguage.lang == request.lang,
        )
    )
    if request.kind is AppointmentKind.SERVICE_POINT and request.place is not None:
        query = query.where(Shift.channel_id == request.place.id)
    return query


DAY = timedelta(days=1)


@dataclass(frozen=True)
class Staffing:
    """The qualified experts' working time and absences over some days; rows of
    (expert index, start, end) in epoch seconds, shared between requests, read-only."""

    ids: tuple[str, ...]
    index: Mapping[str, int]
    working: np.ndarray
    absent: np.ndarray


def staffing(session: Session, request: Request, first: date, last: date) -> Staffing:
    """Who of the qualified works when from first to last: kept per availability version."""
    place = request.place.id if request.place is not None else None
    key = ("staffing", request.topic, request.lang, request.kind, place, first, last)
    known = request.snapshot
    return _CACHE.get(
        known.database,
        known.version,
        key,
        lambda: _read_staffing(session.connection(), request, first, last),
    )


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _read_staffing(connection: Connection, request: Request, first: date, last: date) -> Staffing:
    index: dict[str, int] = {}
    by_pattern: dict[Schedule, list[int]] = defaultdict(list)
    for expert_id, hours, valid_from, valid_to in connection.execute(qualified_shifts(request)):
        position = index.setdefault(expert_id, len(index))
        by_pattern[_shift_schedule(hours, valid_from, valid_to)].append(position)
    blocks = []
    for schedule, positions in by_pattern.items():
        spans = _open_spans_seconds(schedule, first, last)
        blocks.append(
            np.column_stack(
                [
                    np.repeat(np.array(positions, dtype=np.int64), len(spans)),
                    np.tile(spans[:, 0], len(positions)),
                    np.tile(spans[:, 1], len(positions)),
                ]
            )
        )
    absent: list[tuple[int, int, int]] = []
    for expert_id, first_day, last_day in connection.execute(
        select(Absence.expert_id, Absence.first_day, Absence.last_day).where(
            Absence.last_day >= first, Absence.first_day <= last
        )
    ):
        if expert_id in index:  # the qualified only: a lookup is cheaper than a join
            lo, hi = _day_span(first_day, last_day)
            absent.append((index[expert_id], int(lo.timestamp()), int(hi.timestamp())))
    working = np.concatenate(blocks) if blocks else _rows([])
    return Staffing(tuple(index), index, _read_only(working), _read_only(_rows(absent)))


# Built once (a statement object keeps its compiled form); the bounds come as values.
_BOOKED_AROUND = select(
    Booking.expert_id,
    epoch_seconds(Booking.blocked_start),
    epoch_seconds(Booking.blocked_end),
    epoch_seconds(Booking.start_at),
    # a hold past its expiry keeps its time in the table only until the next write
    case(
        (
            (Booking.status == BookingStatus.HELD.value)
            & (Booking.hold_expires_at <= bindparam("now")),
            1,
        ),
        else_=0,
    ),
).where(
    _ACTIVE,
    Booking.blocked_start > bindparam("after"),  # the index's range: no booking is longer
    Booking.blocked_start < bindparam("before"),
    Booking.blocked_end > bindparam("ends_after"),
)


@dataclass(frozen=True)
class Booked:
    """Active bookings of the qualified experts around some days, as (expert index,
    blocked start, blocked end), and each one's start."""

    busy: np.ndarray
    starts: np.ndarray


def _no_bookings() -> Booked:
    return Booked(_rows([]), np.zeros(0, dtype=np.int64))


def booked(
    connection: Connection,
    request: Request,
    staff: Staffing,
    first: date,
    last: date,
    now: datetime,
) -> Booked:
    """One indexed read of the bookings that can touch the days, whoever's they are."""
    window_start, window_end = _day_span(first, last)
    reach = request.snapshot.longest_block() + DAY
    result = connection.execute(
        _BOOKED_AROUND,
        {
            "after": window_start - reach,
            "before": window_end + DAY,
            "ends_after": window_start - DAY,
            "now": now,
        },
    )
    # Plain integers from the driver, without Row objects: thousands of rows for a long
    # range. Everyone's are read: a lookup here beats the database's IN test.
    rows = result.cursor.fetchall()
    result.close()
    if not rows:
        return _no_bookings()
    experts, blocked_starts, blocked_ends, starts, expired_flags = zip(*rows, strict=True)
    owner = np.array([staff.index.get(e, -1) for e in experts], dtype=np.int64)
    blocked = np.array([blocked_starts, blocked_ends], dtype=np.int64).T
    expired = np.array(expired_flags, dtype=bool)
    mine = (owner >= 0) & ~expired  # the unqualified's bookings are dropped here
    return Booked(
        np.column_stack([owner[mine], blocked[mine]]), np.array(starts, dtype=np.int64)[mine]
    )


def _cap_closures(
    staff: Staffing, bookings: Booked, kind: KindSettings, first: date, last: date
) -> np.ndarray:
    """Whole days closed to experts who already have the day's cap of appointments."""
    if kind.daily_cap is None or len(bookings.starts) == 0:
        return _rows([])
    bounds = _day_bounds(first - DAY, last + DAY)
    days = np.searchsorted(bounds, bookings.starts, side="right") - 1
    per_day = np.zeros((len(staff.ids), len(bounds)), dtype=np.int32)
    np.add.at(per_day, (bookings.busy[:, 0], days), 1)
    full = np.argwhere(per_day >= kind.daily_cap)
    return np.column_stack([full[:, 0], bounds[full[:, 1]], bounds[full[:, 1] + 1]]).reshape(-1, 3)


# Checking one start needs less than a search: per booking, only whether it starts that
# day, whether it overlaps the time asked for and whether it is an expired hold, worked
# out by the database (no epoch seconds to convert and send) as one small number of
# flags, over that day's bookings alone.
_IN_DAY, _OVERLAPS, _EXPIRED = 1, 2, 4
_EXPIRED_HOLD = (Booking.status == BookingStatus.HELD.value) & (
    Booking.hold_expires_at <= bindparam("now")
)
_BOOKED_AT = select(
    Booking.expert_id,
    case(
        (
            (Booking.start_at >= bindparam("day_start"))
            & (Booking.start_at < bindparam("day_end")),
            _IN_DAY,
        ),
        else_=0,
    )
    + case(
        (
            (Booking.blocked_start < bindparam("hi")) & (Booking.blocked_end > bindparam("lo")),
            _OVERLAPS,
        ),
        else_=0,
    )
    + case((_EXPIRED_HOLD, _EXPIRED), else_=0),
).where(
    _ACTIVE,
    Booking.blocked_start > bindparam("after"),  # the index's range: no booking is longer
    Booking.blocked_start < bindparam("before"),
    Booking.id != bindparam("other_than"),
)


@dataclass(frozen=True)
class Taken:
    """Around one start, per qualified expert: active bookings that day, and whether one
    overlaps the start's blocked range; and whether an expired hold (anyone's) does."""

    per_day: np.ndarray
    overlapping: np.ndarray
    stale_holds: bool


def taken_at(
    connection: Connection,
    staff: Staffing,
    day: date,
    blocked: Span,
    longest_block: timedelta,
    now: datetime,
    exclude_booking: int | None = None,
) -> Taken:
    """One indexed read of the day's bookings, and of any reaching into ``blocked``."""
    day_start, day_end = _day_span(day, day)
    result = connection.execute(
        _BOOKED_AT,
        {
            "day_start": day_start,
            "day_end": day_end,
            "lo": blocked[0],
            "hi": blocked[1],
            "now": now,
            "after": min(day_start, blocked[0]) - longest_block,
            "before": max(day_end, blocked[1]),
            "other_than": exclude_booking or 0,
        },
    )
    rows = result.cursor.fetchall()
    result.close()
    count = len(staff.ids)
    if not rows:
        return Taken(np.zeros(count, dtype=np.int64), np.zeros(count, dtype=bool), False)
    experts, flags = zip(*rows, strict=True)
    owner = np.array([staff.index.get(e, -1) for e in experts], dtype=np.int64)
    flag = np.array(flags, dtype=np.int8)
    overlaps = (flag & _OVERLAPS) > 0
    expired = (flag & _EXPIRED) > 0
    mine = (owner >= 0) & ~expired
    return Taken(
        np.bincount(owner[mine & ((flag & _IN_DAY) > 0)], minlength=count),
        np.bincount(owner[mine & overlaps], minlength=count) > 0,
        bool(np.any(expired & overlaps)),
    )


def expert_arrays(
    session: Session,
    request: Request,
    kind: KindSettings,
    first: date,
    last: date,
    now: datetime,
) -> ResourceArrays:
    """All qualified experts at once, for the pooled search (see slots.free_counts_arrays)."""
    staff = staffing(session, request, first, last)
    if not staff.ids:
        return ResourceArrays(0, staff.working, _rows([]), _rows([]), ())
    bookings = booked(session.connection(), request, staff, first, last, now)
    closed = np.concatenate([staff.absent, _cap_closures(staff, bookings, kind, first, last)])
    return ResourceArrays(len(staff.ids), staff.working, bookings.busy, closed, staff.ids)


def room_arrays(
    session: Session, place: Channel, first: date, last: date, now: datetime
) -> ResourceArrays:
    return resource_arrays(room_resources(session, place, first, last, now))


@dataclass(frozen=True)
class Free:
    """Who can take a start: experts least loaded that day first, rooms; whether anyone
    serves at that time at all, bookings aside (a holiday, say, offers nothing); and
    whether holds past their expiry still keep part of the time (to be released first)."""

    experts: list[str]
    rooms: list[str]
    offered: bool
    stale_holds: bool


_TIES = np.random.default_rng()


def free_at(
    session: Session,
    request: Request,
    kind: KindSettings,
    start: datetime,
    now: datetime,
    exclude_booking: int | None = None,
) -> Free:
    """Experts (and rooms) free at exactly ``start``."""
    day = start.astimezone(ZONE).date()
    if request.serves_until is not None and day > request.serves_until:
        return Free([], [], offered=False, stale_holds=False)
    rules = slot_rules(kind)
    staff = staffing(session, request, day, day)
    blocked = rules.blocked(start)
    taken = taken_at(
        session.connection(),
        staff,
        day,
        blocked,
        request.snapshot.longest_block(),
        now,
        exclude_booking,
    )
    # Working then and not absent; then nobody whose bookings overlap the time asked
    # for, nor at the day's cap.
    experts = ResourceArrays(len(staff.ids), staff.working, _rows([]), staff.absent, staff.ids)
    at = int(start.timestamp())
    offered, free = free_at_start(at, experts, rules)
    free &= ~taken.overlapping
    if kind.daily_cap is not None:
        free &= taken.per_day < kind.daily_cap
    candidates = np.flatnonzero(free)
    # Least loaded that day first; equals in random order, so that customers asking for
    # the same time at once try different experts instead of queueing on one.
    ties = _TIES.random(len(candidates))
    order = candidates[np.lexsort((ties, taken.per_day[candidates]))]
    chosen = [staff.ids[i] for i in order.tolist()]
    rooms: list[str] = []
    if request.kind is AppointmentKind.VIDEO and request.place is not None:
        room_set = room_arrays(session, request.place, day, day, now)
        room_offered, room_free = free_at_start(at, room_set, rules)
        offered = offered and room_offered
        rooms = [room_set.ids[int(i)] for i in np.flatnonzero(room_free)]
    return Free(chosen, rooms, offered, taken.stale_holds)


def room_resources(
    session: Session, place: Channel, first: date, last: date, now: datetime
) -> list[Resource]:
    """The video rooms of a joint service point, with their hours and bookings."""
    rooms = session.scalars(select(Room).where(Room.channel_id == place.id).order_by(Room.id)).all()
    busy = _busy(session, Booking.room_id, [r.id for r in rooms], _day_span(first, last), now)
    return [
        Resource(
            room.id,
            tuple(_open_spans(_shift_schedule(room.hours, None, None), first, last)),
            tuple((s, e) for s, e, _ in busy[room.id]),
        )
        for room in rooms
    ]


def search(
    session: Session,
    request: Request,
    kind: KindSettings,
    window: Window,
    first: date,
    last: date,
    now: datetime,
) -> list[tuple[datetime, datetime, int]]:
    """Pooled free starts from first to last (local dates), within the booking window."""
    lo, hi = window.days()
    first, last = max(first, lo), min(last, hi, request.serves_until or hi)
    if last < first:
        return []
    rules = slot_rules(kind)
    grid, seconds = local_grid_seconds(
        first, last, ZONE_NAME, rules.step, window.earliest, window.latest - rules.duration
    )
    experts = expert_arrays(session, request, kind, first, last, now)
    rooms = None
    if request.kind is AppointmentKind.VIDEO and request.place is not None:
        rooms = room_arrays(session, request.place, first, last, now)
    offers = pooled_offers(grid, experts, rules, rooms, seconds)
    return [(o.start, o.end, o.free_experts) for o in offers]


def bookable_places(session: Session, kind: AppointmentKind, today: date) -> list[Channel]:
    """The places where appointments of a kind can be booked at all: service points where
    experts have shifts, joint service points with a video room; one closing from a later
    date until then."""
    if kind is AppointmentKind.PHONE:
        return []
    if kind is AppointmentKind.SERVICE_POINT:
        ids = select(Shift.channel_id).where(Shift.kind == kind.value)
    else:
        ids = select(Room.channel_id)
    found = session.scalars(select(Channel).where(Channel.id.in_(ids)).order_by(Channel.name_fi))
    return [channel for channel in found if serves_on(channel, today)]


def room_schedule(hours: str) -> Schedule:
    """A room's weekly hours as a schedule (holidays close it), for describing them."""
    return _shift_schedule(hours, None, None)
