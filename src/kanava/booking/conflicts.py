"""Bookings their expert can no longer serve: an absence recorded after the booking, a
shift or a skill changed, the expert or the place gone. Each is found with the reason,
and can be handed to a qualified colleague free at the same time; the customer keeps
the time, the place and the reference, so nobody needs to be told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from kanava.auth.service import Principal
from kanava.booking import availability as av
from kanava.booking import service
from kanava.booking.models import Booking
from kanava.booking.schemas import ConflictRead
from kanava.booking.slots import ResourceArrays, SlotRules, free_at_start
from kanava.errors import NotFound

ABSENT = "absent"
NOT_WORKING = "not_working"
NOT_QUALIFIED = "not_qualified"
PLACE_CLOSED = "place_closed"


_NONE = np.zeros((0, 3), dtype=np.int64)
RequestKey = tuple[str, str, str, str | None]


@dataclass(frozen=True)
class BookingConflict:
    booking: Booking
    reason: str


def _request(
    session: Session, booking: Booking, known: dict[RequestKey, av.Request] | None = None
) -> av.Request:
    """The slot question the booking answers (asked once per kind of booking in a list)."""
    key = (booking.topic_id, booking.lang, booking.kind, booking.channel_id)
    if known is not None and key in known:
        return known[key]
    request = av.check_request(session, topic=key[0], lang=key[1], kind=key[2], place=key[3])
    if known is not None:
        known[key] = request
    return request


def why_unserved(
    session: Session, booking: Booking, known: dict[RequestKey, av.Request] | None = None
) -> str | None:
    """Why the booking's expert cannot serve it as things stand, or None if they can."""
    try:
        request = _request(session, booking, known)
    except NotFound:
        return PLACE_CLOSED
    day = booking.start_at.astimezone(av.ZONE).date()
    if request.serves_until is not None and day > request.serves_until:
        return PLACE_CLOSED
    staff = av.staffing(session, request, day, day)
    position = staff.index.get(booking.expert_id)
    if position is None:
        return NOT_QUALIFIED
    at = int(booking.start_at.timestamp())
    duration = booking.end_at - booking.start_at
    working_only = ResourceArrays(len(staff.ids), staff.working, _NONE, _NONE)
    if not free_at_start(at, working_only, SlotRules(duration))[1][position]:
        return NOT_WORKING
    end = at + int(duration.total_seconds())
    absent = staff.absent
    mine = absent[(absent[:, 0] == position) & (absent[:, 1] < end) & (at < absent[:, 2])]
    return ABSENT if len(mine) else None


def find_conflicts(
    session: Session, first: date, days: int, now: datetime, expert_id: str | None = None
) -> list[BookingConflict]:
    """Active bookings from ``first`` over ``days`` days, not yet over, that their expert
    (or the one expert given) cannot serve, earliest first."""
    begins = datetime.combine(first, time(0), tzinfo=av.ZONE)
    query = select(Booking).where(
        av.active_condition(now),
        Booking.start_at >= begins,
        Booking.start_at < begins + timedelta(days=days),
        Booking.end_at > now,
    )
    if expert_id is not None:
        query = query.where(Booking.expert_id == expert_id)
    bookings = session.scalars(query.order_by(Booking.start_at, Booking.id)).all()
    found = []
    known: dict[RequestKey, av.Request] = {}
    for booking in bookings:
        reason = why_unserved(session, booking, known)
        if reason is not None:
            found.append(BookingConflict(booking, reason))
    return found


def hand_over(session: Session, booking: Booking, now: datetime) -> str | None:
    """Give the booking to the least loaded qualified expert free at its time (the room
    stays); the new expert's id, or None when nobody is free. The database's guard
    against overlaps decides a race with a booking made meanwhile."""
    try:
        request = _request(session, booking)
    except NotFound:
        return None
    kind = av.appointment_type(request)
    free = av.free_at(session, request, kind, booking.start_at, now, booking.id)
    for expert_id in free.experts:
        if expert_id == booking.expert_id:
            continue
        try:
            with session.begin_nested():
                session.execute(
                    update(Booking)
                    .where(Booking.id == booking.id)
                    .values(expert_id=expert_id, updated_at=now)
                )
        except (IntegrityError, OperationalError) as error:
            if service.lost_race(error):
                continue
            raise
        session.refresh(booking)
        return expert_id
    return None


def review(
    *,
    session: Session,
    viewer: Principal,
    first: date,
    days: int,
    now: datetime,
    hand_over_all: bool = False,
    export: bool = False,
) -> list[ConflictRead]:
    """The manager's worklist: each booking its expert cannot serve, with that expert and
    the reason and, when asked to hand them over, the colleague who took it (None: the
    customer must be contacted)."""
    viewer.require("manager")
    listed = []
    for item in find_conflicts(session, first, days, now):
        read = service.staff_read(session, item.booking, viewer, now, export=export)
        taken_by = hand_over(session, item.booking, now) if hand_over_all else None
        listed.append(
            ConflictRead(**read.model_dump(), reason=item.reason, handed_over_to=taken_by)
        )
    return listed
