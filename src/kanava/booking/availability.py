"""Who can serve when: experts, shifts, absences, rooms and bookings turned into the
values the pure slot search takes, and the search itself."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from kanava.booking.enums import AppointmentKind, BookingStatus
from kanava.booking.models import (
    Absence,
    AppointmentType,
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
    free_matrix,
    local_grid_seconds,
    pooled_offers,
    resource_arrays,
)
from kanava.catalogue.enums import ChannelKind, ChannelStatus
from kanava.catalogue.models import Channel, Topic
from kanava.errors import InvalidInput, NotFound
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


@dataclass(frozen=True)
class Request:
    """A checked slot question: what, in which language, how, where."""

    topic: str
    lang: str
    kind: AppointmentKind
    place: Channel | None


@dataclass(frozen=True)
class Window:
    earliest: datetime
    latest: datetime

    def days(self) -> tuple[date, date]:
        return self.earliest.astimezone(ZONE).date(), self.latest.astimezone(ZONE).date()


def check_request(
    session: Session, *, topic: str, lang: str, kind: str, place: str | None
) -> Request:
    """Validate the question; errors name the field and the valid choices."""
    if session.get(Topic, topic) is None:
        raise NotFound("topic", topic, session.scalars(select(Topic.id)).all())
    if lang not in LANGUAGES:
        raise InvalidInput("lang", f"{lang!r} is not one of {', '.join(LANGUAGES)}")
    try:
        appointment_kind = AppointmentKind(kind)
    except ValueError:
        raise NotFound("kind", kind, [k.value for k in AppointmentKind]) from None
    if appointment_kind is AppointmentKind.PHONE:
        return Request(topic, lang, appointment_kind, None)
    if not place:
        raise InvalidInput("place", f"a {kind} appointment needs a place")
    channel = session.get(Channel, place)
    allowed = _PLACE_KINDS[appointment_kind]
    if channel is None or channel.kind not in allowed or channel.status != ChannelStatus.ACTIVE:
        raise NotFound("place", place)
    return Request(topic, lang, appointment_kind, channel)


def appointment_type(session: Session, kind: AppointmentKind, topic: str) -> AppointmentType:
    """The topic's own settings for the kind, else the kind's defaults."""
    rows = session.scalars(
        select(AppointmentType).where(
            AppointmentType.kind == kind.value,
            or_(AppointmentType.topic_id == topic, AppointmentType.topic_id.is_(None)),
        )
    ).all()
    if not rows:
        raise InvalidInput("kind", f"no appointment type is configured for {kind.value}")
    return min(rows, key=lambda row: row.topic_id is None)


def slot_rules(kind: AppointmentType) -> SlotRules:
    return SlotRules(
        timedelta(minutes=kind.duration_min),
        timedelta(minutes=kind.buffer_before_min),
        timedelta(minutes=kind.buffer_after_min),
        timedelta(minutes=kind.step_min),
    )


def is_working_day(day: date) -> bool:
    return day.isoweekday() <= 5 and holiday_on(day) is None


def booking_window(kind: AppointmentType, now: datetime) -> Window:
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


def active_condition(now: datetime) -> ColumnElement[bool]:
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


def expert_arrays(
    session: Session,
    request: Request,
    kind: AppointmentType,
    first: date,
    last: date,
    now: datetime,
    exclude_booking: int | None = None,
) -> ResourceArrays:
    """All qualified experts at once, for the pooled search (see slots.free_counts_arrays)."""
    shifts = qualified_shifts(request)
    index: dict[str, int] = {}
    by_pattern: dict[Schedule, list[int]] = defaultdict(list)
    # Plain values, not entities: run on the connection, skipping the ORM's row handling.
    connection = session.connection()
    for expert_id, hours, valid_from, valid_to in connection.execute(shifts):
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
    working = np.concatenate(blocks) if blocks else _rows([])
    ids = tuple(index)
    if not index:
        return ResourceArrays(0, working, _rows([]), _rows([]), ids)
    window_start, window_end = _day_span(first, last)
    # Thousands of rows of plain integers: the driver's tuples, without Row objects. The
    # window's active bookings of every expert are read and the unqualified dropped here:
    # a dictionary lookup per row is cheaper than the database's IN (subquery) test.
    result = connection.execute(
        select(
            Booking.expert_id,
            epoch_seconds(Booking.blocked_start),
            epoch_seconds(Booking.blocked_end),
            epoch_seconds(Booking.start_at),
        ).where(
            Booking.expert_id.is_not(None),
            active_condition(now),
            Booking.blocked_end > window_start - timedelta(days=1),
            Booking.blocked_start < window_end + timedelta(days=1),
            Booking.id != (exclude_booking or 0),
        )
    )
    busy_rows = [row for row in result.cursor.fetchall() if row[0] in index]
    result.close()
    columns = list(zip(*busy_rows, strict=True)) if busy_rows else [(), (), (), ()]
    busy = np.column_stack(
        [
            np.array([index[e] for e in columns[0]], dtype=np.int64),
            np.array(columns[1], dtype=np.int64),
            np.array(columns[2], dtype=np.int64),
        ]
    ).reshape(-1, 3)
    closed: list[tuple[int, int, int]] = []
    for expert_id, first_day, last_day in connection.execute(
        select(Absence.expert_id, Absence.first_day, Absence.last_day).where(
            Absence.last_day >= first, Absence.first_day <= last
        )
    ):
        if expert_id in index:  # the qualified only (a lookup, as for the bookings)
            lo, hi = _day_span(first_day, last_day)
            closed.append((index[expert_id], int(lo.timestamp()), int(hi.timestamp())))
    if kind.daily_cap is not None and busy_rows:
        bounds = _day_bounds(first - timedelta(days=1), last + timedelta(days=1))
        starts = np.array(columns[3], dtype=np.int64)
        days = np.searchsorted(bounds, starts, side="right") - 1
        per_day = np.zeros((len(index), len(bounds)), dtype=np.int32)
        np.add.at(per_day, (busy[:, 0], days), 1)
        for expert, day in np.argwhere(per_day >= kind.daily_cap):
            closed.append((int(expert), int(bounds[day]), int(bounds[day + 1])))
    return ResourceArrays(len(index), working, busy, _rows(closed), ids)


def room_arrays(
    session: Session, place: Channel, first: date, last: date, now: datetime
) -> ResourceArrays:
    return resource_arrays(room_resources(session, place, first, last, now))


def free_at(
    session: Session,
    request: Request,
    kind: AppointmentType,
    start: datetime,
    now: datetime,
    exclude_booking: int | None = None,
) -> tuple[list[str], list[str]]:
    """Experts free at exactly ``start``, least loaded that day first; and free rooms."""
    day = start.astimezone(ZONE).date()
    rules = slot_rules(kind)
    grid = np.array([int(start.timestamp())], dtype=np.int64)
    experts = expert_arrays(session, request, kind, day, day, now, exclude_booking)
    chosen: list[str] = []
    columns, free = free_matrix(grid, experts, rules)
    if len(columns):
        load = np.bincount(experts.busy[:, 0], minlength=experts.count)
        candidates = [int(i) for i in np.flatnonzero(free[:, 0])]
        # Least loaded that day first; equals in random order, so that customers asking
        # for the same time at once try different experts instead of queueing on one.
        tie = {i: random.random() for i in candidates}
        candidates.sort(key=lambda i: (load[i], tie[i]))
        chosen = [experts.ids[i] for i in candidates]
    rooms: list[str] = []
    if request.kind is AppointmentKind.VIDEO and request.place is not None:
        room_set = room_arrays(session, request.place, day, day, now)
        columns, free = free_matrix(grid, room_set, rules)
        if len(columns):
            rooms = [room_set.ids[int(i)] for i in np.flatnonzero(free[:, 0])]
    return chosen, rooms


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
    kind: AppointmentType,
    window: Window,
    first: date,
    last: date,
    now: datetime,
) -> list[tuple[datetime, datetime, int]]:
    """Pooled free starts from first to last (local dates), within the booking window."""
    lo, hi = window.days()
    first, last = max(first, lo), min(last, hi)
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


def bookable_places(session: Session, kind: AppointmentKind) -> list[Channel]:
    """The places where appointments of a kind can be booked at all: service points where
    experts have shifts, joint service points with a video room."""
    if kind is AppointmentKind.PHONE:
        return []
    if kind is AppointmentKind.SERVICE_POINT:
        ids = select(Shift.channel_id).where(Shift.kind == kind.value)
    else:
        ids = select(Room.channel_id)
    return list(
        session.scalars(
            select(Channel)
            .where(Channel.id.in_(ids), Channel.status == ChannelStatus.ACTIVE)
            .order_by(Channel.name_fi)
        )
    )


def room_schedule(hours: str) -> Schedule:
    """A room's weekly hours as a schedule (holidays close it), for describing them."""
    return _shift_schedule(hours, None, None)
