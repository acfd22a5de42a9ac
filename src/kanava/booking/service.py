"""Book, hold, confirm, move and cancel appointments; never two on one expert's time.

The database refuses overlapping active bookings (see booking/models.py); this module
picks a fair expert, tries to write, and on a refusal tries the next qualified expert
before answering 409 with the next free times. Every change writes its notifications
to the outbox in the same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from kanava.auth.service import Forbidden, Principal, audit
from kanava.booking import availability as av
from kanava.booking.codes import (
    check_same_request,
    manage_token,
    new_reference,
    request_fingerprint,
    token_hash,
    token_matches,
)
from kanava.booking.customer import check_customer
from kanava.booking.enums import AppointmentKind, BookingStatus
from kanava.booking.models import Booking, Expert
from kanava.booking.schemas import (
    BookingCreate,
    BookingCreated,
    BookingRead,
    CustomerRead,
    OfferRead,
    PlaceRead,
    SlotSearchRead,
    StaffBookingRead,
)
from kanava.catalogue.models import Channel, Topic
from kanava.config import Settings
from kanava.contacts.events import Outcome
from kanava.contacts.record import APPOINTMENT_CHANNELS, record_contact
from kanava.db import LOCK_CUSTOMER, lock_until_commit
from kanava.errors import Conflict, InvalidInput, NotFound, reason
from kanava.i18n import pick_lang
from kanava.notify import service as outbox
from kanava.notify.ics import booking_calendar
from kanava.notify.messages import BookingFacts, phone_note, render

ALTERNATIVES = 5
# Validating plain dicts in pydantic-core is faster than model_construct one by one.
_OFFERS = TypeAdapter(list[OfferRead])


# Slots -----------------------------------------------------------------------------


def search_slots(
    *,
    session: Session,
    topic: str,
    lang: str,
    kind: str,
    place: str | None,
    first: datetime | None,
    days: int,
    now: datetime,
) -> SlotSearchRead:
    """Free times pooled over every qualified expert; from the first bookable day by default."""
    if not 1 <= days <= 60:
        raise InvalidInput("days", reason("must be between 1 and 60"))
    request = av.check_request(session, topic=topic, lang=lang, kind=kind, place=place,
                               today=now.astimezone(av.ZONE).date())  # fmt: skip
    kind_row = av.appointment_type(request)
    window = av.booking_window(kind_row, now)
    start_day = (first or window.earliest).astimezone(av.ZONE).date()
    offers = av.search(
        session, request, kind_row, window, start_day, start_day + timedelta(days=days - 1), now
    )
    return SlotSearchRead(
        topic=topic,
        lang=lang,
        kind=request.kind.value,
        place=place,
        duration_min=kind_row.duration_min,
        earliest=window.earliest.astimezone(av.ZONE),
        latest=window.latest.astimezone(av.ZONE),
        offers=_OFFERS.validate_python(
            [
                {"start": s.astimezone(av.ZONE), "end": e.astimezone(av.ZONE), "free_experts": n}
                for s, e, n in offers
            ]
        ),
    )


def _alternatives(
    session: Session, request: av.Request, kind_row: av.KindSettings, after: datetime, now: datetime
) -> list[dict[str, str]]:
    window = av.booking_window(kind_row, now)
    day = max(after, window.earliest).astimezone(av.ZONE).date()
    later: list[tuple[datetime, datetime]] = []
    for extra_days in (0, 13):  # the same day is usually enough; else two weeks
        last = day + timedelta(days=extra_days)
        offers = av.search(session, request, kind_row, window, day, last, now)
        later = [(s, e) for s, e, _ in offers if s > after][:ALTERNATIVES]
        if len(later) == ALTERNATIVES:
            break
    return [
        {"start": s.astimezone(av.ZONE).isoformat(), "end": e.astimezone(av.ZONE).isoformat()}
        for s, e in later
    ]


# Reads -----------------------------------------------------------------------------


def _place(session: Session, booking: Booking) -> PlaceRead | None:
    if booking.channel_id is None:
        return None
    channel = session.get_one(Channel, booking.channel_id)
    address = ", ".join(p for p in (channel.street_address, channel.post_office) if p) or None
    return PlaceRead(id=channel.id, name=channel.name_fi, address=address)


def booking_read(session: Session, booking: Booking) -> BookingRead:
    return BookingRead(
        reference=booking.reference,
        status=booking.status,
        kind=booking.kind,
        topic=booking.topic_id,
        lang=booking.lang,
        start=booking.start_at.astimezone(av.ZONE),
        end=booking.end_at.astimezone(av.ZONE),
        place=_place(session, booking),
        customer=CustomerRead(
            name=booking.customer_name,
            hetu=booking.hetu,
            phone=booking.phone,
            email=booking.email,
        ),
        message=booking.message,
        non_disclosure=booking.non_disclosure,
        hold_expires_at=booking.hold_expires_at.astimezone(av.ZONE)
        if booking.hold_expires_at
        else None,
        sequence=booking.sequence,
    )


def staff_read(
    session: Session, booking: Booking, viewer: Principal, now: datetime, *, export: bool = False
) -> StaffBookingRead:
    """A booking as staff see it. Partners and exports never carry a protected customer's
    details, and show only the birth-date part of anybody's henkilötunnus."""
    base = booking_read(session, booking).model_dump()
    if booking.non_disclosure:
        action = "export" if export else f"read:{viewer.role}"
        audit(session, viewer, action, now, booking_id=booking.id)
    if viewer.role == "partner" or export:
        if booking.non_disclosure:
            base["customer"] = {"name": "Turvakielto", "hetu": "", "phone": "", "email": None}
            base["message"] = None
        else:
            base["customer"]["hetu"] = booking.hetu[:7] + "****"
    return StaffBookingRead(
        **base,
        id=booking.id,
        expert_id=booking.expert_id,
        room_id=booking.room_id,
        outcome_note=booking.outcome_note,
    )


def _by_token(session: Session, reference: str, token: str) -> Booking:
    """The booking a manage token opens; 404 alike for a wrong token and a wrong reference."""
    booking = session.scalar(select(Booking).where(Booking.reference == reference.strip().upper()))
    stored = booking.manage_token_hash if booking is not None else token_hash("no-such-booking")
    if not token_matches(token, stored) or booking is None:
        raise NotFound("reference", reference)
    return booking


def get_booking(*, session: Session, reference: str, token: str) -> BookingRead:
    return booking_read(session, _by_token(session, reference, token))


def calendar_file(*, session: Session, reference: str, token: str, now: datetime) -> str:
    booking = _by_token(session, reference, token)
    return _ics(session, booking, now)


# Notifications ---------------------------------------------------------------------


def manage_link(settings: Settings, booking: Booking, token: str | None) -> str:
    """The link of the messages: the manage page opens in the booking's language,
    whatever the browser remembers."""
    link = f"{settings.public_base_url}/varaus/{booking.reference}?lang={booking.lang}"
    return f"{link}&token={token}" if token else link


def _facts(
    session: Session, booking: Booking, settings: Settings, token: str | None
) -> BookingFacts:
    place = _place(session, booking)
    link = manage_link(settings, booking, token)
    where = (
        f"{place.name}, {place.address}"
        if place and place.address
        else (place.name if place else None)
    )
    return BookingFacts(
        booking.reference, booking.kind, booking.lang, booking.start_at, where, booking.phone, link
    )


def _ics(session: Session, booking: Booking, now: datetime) -> str:
    """The calendar entry: the topic by its name, where (or which number Kela calls)."""
    place = _place(session, booking)
    summary = {"fi": "Kela-ajanvaraus", "sv": "FPA-tidsbokning", "en": "Kela appointment"}
    topic = session.get(Topic, booking.topic_id)
    topic_name = (pick_lang(topic, "name", booking.lang) if topic else None) or booking.topic_id
    if place is not None:
        location = f"{place.name}, {place.address}" if place.address else place.name
    else:
        location = phone_note(booking.lang, booking.phone)
    return booking_calendar(
        reference=booking.reference,
        sequence=booking.sequence,
        start=booking.start_at,
        end=booking.end_at,
        summary=f"{summary[booking.lang]}: {topic_name}",
        description=f"{topic_name}. {booking.reference}",
        location=location,
        stamp=now,
        cancelled=booking.status == BookingStatus.CANCELLED.value,
    )


def _notify(
    session: Session,
    booking: Booking,
    purpose: str,
    settings: Settings,
    now: datetime,
    token: str | None = None,
) -> None:
    """SMS, and email with the .ics when there is an address; a reminder the day before."""
    texts = render(purpose, _facts(session, booking, settings, token))
    messages = [outbox.Message(purpose, "sms", booking.phone, booking.lang, texts.sms)]
    if booking.email:
        messages.append(
            outbox.Message(
                purpose,
                "email",
                booking.email,
                booking.lang,
                texts.email,
                subject=texts.subject,
                ics=_ics(session, booking, now),
            )
        )
    if booking.sequence > 0:  # a new booking has no reminder yet to withdraw
        outbox.withdraw_pending(session, booking.id, ("reminder",))
    if purpose in ("confirmation", "change"):
        day_before = booking.start_at.astimezone(av.ZONE) - timedelta(days=1)
        remind_at = day_before.replace(hour=12, minute=0, second=0, microsecond=0)
        if remind_at > now:
            reminder = render("reminder", _facts(session, booking, settings, token))
            messages.append(
                outbox.Message(
                    "reminder",
                    "sms",
                    booking.phone,
                    booking.lang,
                    reminder.sms,
                    not_before=remind_at,
                )
            )
    outbox.enqueue(session, booking.id, messages, now)


# Writes ----------------------------------------------------------------------------


def _room_choices(request: av.Request, rooms: list[str]) -> list[str | None]:
    """Rooms to try in turn: video at a joint service point needs one; other kinds none."""
    if request.kind is AppointmentKind.VIDEO:
        return list(rooms)
    return [None]


# The database refused an overlap (PostgreSQL 23P01, SQLite's trigger), or two inserts
# racing for one time deadlocked on the exclusion check and PostgreSQL aborted one
# (40P01). Either way this time went to someone else: try the next expert.
_LOST_RACE_STATES = {"23P01", "40P01"}


def lost_race(error: DBAPIError) -> bool:
    code = getattr(error.orig, "sqlstate", None)
    return code in _LOST_RACE_STATES or "booking_overlap" in str(error.orig)


def _expire_holds(session: Session, now: datetime, blocked: tuple[datetime, datetime]) -> None:
    """Release holds past their expiry that overlap the range about to be taken, so the
    database guard sees them as gone (others are released when their time is asked for)."""
    session.execute(
        update(Booking)
        .where(
            Booking.status == BookingStatus.HELD.value,
            Booking.hold_expires_at <= now,
            Booking.blocked_start < blocked[1],
            Booking.blocked_end > blocked[0],
        )
        .values(status=BookingStatus.EXPIRED.value, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def _check_start(kind_row: av.KindSettings, start: datetime, now: datetime) -> datetime:
    if start.tzinfo is None:
        start = start.replace(tzinfo=av.ZONE)
    window = av.booking_window(kind_row, now)
    step = timedelta(minutes=kind_row.step_min)
    local = start.astimezone(av.ZONE)
    on_grid = (local.hour * 60 + local.minute) % int(step / timedelta(minutes=1)) == 0
    if not on_grid or local.second or local.microsecond:
        raise InvalidInput(
            "start", reason("%(local)s is not an offered start time", local=format(local, "%H:%M"))
        )
    if not window.earliest <= start <= window.latest:
        raise InvalidInput(
            "start",
            reason(
                "outside the booking window %(astimezone)s–%(astimezone2)s",
                astimezone=format(window.earliest.astimezone(av.ZONE), "%d.%m.%Y %H:%M"),
                astimezone2=format(window.latest.astimezone(av.ZONE), "%d.%m.%Y %H:%M"),
            ),
        )
    return start


def _free_at_offered_time(
    session: Session,
    request: av.Request,
    kind_row: av.KindSettings,
    start: datetime,
    now: datetime,
    exclude_booking: int | None = None,
) -> av.Free:
    """Who is free at ``start``; a time nobody serves (a holiday, outside every shift) is
    bad input, not a taken time."""
    free = av.free_at(session, request, kind_row, start, now, exclude_booking)
    if not free.offered:
        raise InvalidInput(
            "start",
            reason(
                "%(astimezone)s is not an offered time",
                astimezone=format(start.astimezone(av.ZONE), "%d.%m.%Y %H:%M"),
            ),
        )
    return free


_ACTIVE_OF_CUSTOMER = (
    select(func.count())
    .select_from(Booking)
    .where(
        Booking.hetu == bindparam("hetu"),
        av.active_condition(bindparam("now")),
        Booking.end_at > bindparam("now"),
    )
)


def create_booking(
    *,
    session: Session,
    request_in: BookingCreate,
    settings: Settings,
    now: datetime,
    booked_by: str | None = None,
) -> BookingCreated:
    """Book (or hold) a slot for a customer; idempotent on the idempotency key."""
    secret = settings.secret_key.get_secret_value()
    fingerprint = _fingerprint(request_in) if request_in.idempotency_key else ""
    if request_in.idempotency_key:
        existing = session.scalar(
            select(Booking).where(Booking.idempotency_key == request_in.idempotency_key)
        )
        if existing is not None:
            return _replay(session, existing, fingerprint, settings)
    request = av.check_request(
        session,
        topic=request_in.topic,
        lang=request_in.lang,
        kind=request_in.kind.value,
        place=request_in.place,
        today=now.astimezone(av.ZONE).date(),
    )
    customer = check_customer(
        name=request_in.name,
        hetu=request_in.hetu,
        phone=request_in.phone,
        email=request_in.email,
        message=request_in.message,
    )
    kind_row = av.appointment_type(request)
    start = _check_start(kind_row, request_in.start, now)
    connection = session.connection()
    # One booking of a customer at a time, to its commit: concurrent requests with one
    # henkilötunnus would each count the others' bookings as not yet there.
    lock_until_commit(connection, LOCK_CUSTOMER, customer.hetu)
    active: int = connection.execute(
        _ACTIVE_OF_CUSTOMER, {"hetu": customer.hetu, "now": now}
    ).scalar_one()
    if active >= settings.max_active_bookings:
        raise Conflict(
            "hetu",
            reason(
                "already has %(active)s active bookings; the limit is %(max_active_bookings)s",
                active=active,
                max_active_bookings=settings.max_active_bookings,
            ),
        )
    rules = av.slot_rules(kind_row)
    free = _free_at_offered_time(session, request, kind_row, start, now)
    blocked_start, blocked_end = rules.blocked(start)
    if free.stale_holds:
        _expire_holds(session, now, (blocked_start, blocked_end))
    hold = request_in.hold
    values: dict[str, Any] = {
        "status": BookingStatus.HELD.value if hold else BookingStatus.BOOKED.value,
        "kind": request.kind.value,
        "topic_id": request.topic,
        "lang": request.lang,
        "channel_id": request.place.id if request.place else None,
        "start_at": start,
        "end_at": start + rules.duration,
        "blocked_start": blocked_start,
        "blocked_end": blocked_end,
        "hold_expires_at": now + timedelta(minutes=settings.hold_minutes) if hold else None,
        "customer_name": customer.name,
        "hetu": customer.hetu,
        "phone": customer.phone,
        "email": customer.email,
        "message": customer.message,
        "non_disclosure": request_in.non_disclosure,
        "idempotency_key": request_in.idempotency_key,
        "request_hash": fingerprint or None,
        "booked_by": booked_by,
        "created_at": now,
        "updated_at": now,
        "sequence": 0,
    }
    for expert_id in free.experts:
        for room_id in _room_choices(request, free.rooms):
            reference = new_reference()
            token = manage_token(secret, reference, now)
            row = {
                **values,
                "reference": reference,
                "manage_token_hash": token_hash(token),
                "expert_id": expert_id,
                "room_id": room_id,
            }
            booking_id = _insert_booking(session, row)
            if booking_id is None:
                if request_in.idempotency_key:  # a twin request may have just won
                    existing = session.scalar(
                        select(Booking).where(Booking.idempotency_key == request_in.idempotency_key)
                    )
                    if existing is not None:
                        return _replay(session, existing, fingerprint, settings)
                continue
            booking = Booking(id=booking_id, **row)  # what was written, for the reply
            if not hold:
                _notify(session, booking, "confirmation", settings, now, token)
            return _created(session, booking, token, settings)
    conflict = Conflict("start", reason("this time is no longer free"))
    conflict.extra["alternatives"] = _alternatives(session, request, kind_row, start, now)
    raise conflict


# Built once: a statement object keeps its compiled form, so each booking only binds values.
_INSERT = insert(Booking).returning(Booking.id)
# DO NOTHING covers the exclusion constraints: losing a race is no error on PostgreSQL,
# so no savepoint (two more round trips) is needed, and its speculative insertion keeps
# two racing inserts from deadlocking.
_INSERT_UNLESS_TAKEN = postgresql.insert(Booking).on_conflict_do_nothing().returning(Booking.id)


def _insert_booking(session: Session, row: dict[str, Any]) -> int | None:
    """Write a booking; None when the database refused it as overlapping another."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        inserted: int | None = connection.execute(_INSERT_UNLESS_TAKEN, row).scalar()
        return inserted
    try:
        with session.begin_nested():
            return connection.execute(_INSERT, row).scalar_one()
    except (IntegrityError, OperationalError) as error:
        if lost_race(error):
            return None
        raise


def _created(session: Session, booking: Booking, token: str, settings: Settings) -> BookingCreated:
    return BookingCreated(
        booking=booking_read(session, booking),
        manage_token=token,
        manage_url=manage_link(settings, booking, token),
    )


def _fingerprint(request_in: BookingCreate) -> str:
    return request_fingerprint(request_in.model_dump(mode="json", exclude={"idempotency_key"}))


def _replay(
    session: Session, existing: Booking, fingerprint: str, settings: Settings
) -> BookingCreated:
    """A retry of a request already served: the same booking and token, nothing new. A
    key sent again with another body is refused, disclosing nothing of the first."""
    check_same_request(existing.request_hash, fingerprint)
    token = manage_token(
        settings.secret_key.get_secret_value(), existing.reference, existing.created_at
    )
    return _created(session, existing, token, settings)


def confirm_hold(
    *, session: Session, reference: str, token: str, settings: Settings, now: datetime
) -> BookingRead:
    booking = _by_token(session, reference, token)
    if booking.status == BookingStatus.BOOKED.value:
        return booking_read(session, booking)
    expired = booking.hold_expires_at is not None and booking.hold_expires_at <= now
    if booking.status != BookingStatus.HELD.value or expired:
        if booking.status == BookingStatus.HELD.value:
            booking.status = BookingStatus.EXPIRED.value
            booking.updated_at = now
        raise Conflict("reference", reason("the hold has expired; choose a time again"))
    booking.status = BookingStatus.BOOKED.value
    booking.hold_expires_at = None
    booking.updated_at = now
    session.flush()
    _notify(session, booking, "confirmation", settings, now, token)
    return booking_read(session, booking)


def cancel_booking(
    *, session: Session, reference: str, token: str, settings: Settings, now: datetime
) -> BookingRead:
    booking = _by_token(session, reference, token)
    if booking.status not in BookingStatus.active():
        raise Conflict(
            "reference", reason("the booking is %(status)s, not active", status=booking.status)
        )
    was_booked = booking.status == BookingStatus.BOOKED.value
    booking.status = BookingStatus.CANCELLED.value
    booking.updated_at = now
    booking.sequence += 1
    session.flush()
    if was_booked:
        _notify(session, booking, "cancellation", settings, now)
    return booking_read(session, booking)


def reschedule_booking(
    *,
    session: Session,
    reference: str,
    token: str,
    new_start: datetime,
    settings: Settings,
    now: datetime,
) -> BookingRead:
    """Move a booking in one write: the new time is taken in the same row the old one frees.

    The customer therefore always holds exactly one booking: if the new time cannot be
    had, the old one stays as it was.
    """
    booking = _by_token(session, reference, token)
    if booking.status != BookingStatus.BOOKED.value:
        raise Conflict(
            "reference", reason("the booking is %(status)s, not booked", status=booking.status)
        )
    request = av.check_request(
        session,
        topic=booking.topic_id,
        lang=booking.lang,
        kind=booking.kind,
        place=booking.channel_id,
        today=now.astimezone(av.ZONE).date(),
    )
    kind_row = av.appointment_type(request)
    start = _check_start(kind_row, new_start, now)
    rules = av.slot_rules(kind_row)
    free = _free_at_offered_time(session, request, kind_row, start, now, booking.id)
    experts = free.experts
    if booking.expert_id in experts:
        experts.remove(booking.expert_id)
        experts.insert(0, booking.expert_id)
    blocked_start, blocked_end = rules.blocked(start)
    if free.stale_holds:
        _expire_holds(session, now, (blocked_start, blocked_end))
    for expert_id in experts:
        for room_id in _room_choices(request, free.rooms):
            try:
                with session.begin_nested():
                    session.execute(
                        update(Booking)
                        .where(Booking.id == booking.id)
                        .values(
                            expert_id=expert_id,
                            room_id=room_id,
                            start_at=start,
                            end_at=start + rules.duration,
                            blocked_start=blocked_start,
                            blocked_end=blocked_end,
                            sequence=Booking.sequence + 1,
                            updated_at=now,
                        )
                    )
            except (IntegrityError, OperationalError) as error:
                if lost_race(error):
                    continue
                raise
            session.refresh(booking)
            _notify(session, booking, "change", settings, now, token)
            return booking_read(session, booking)
    conflict = Conflict("start", reason("this time is no longer free; the booking was not moved"))
    conflict.extra["alternatives"] = _alternatives(session, request, kind_row, start, now)
    raise conflict


# Staff -----------------------------------------------------------------------------


def agenda(
    *,
    session: Session,
    viewer: Principal,
    expert_id: str | None,
    day: datetime,
    now: datetime,
    place: str | None = None,
    export: bool = False,
) -> list[StaffBookingRead]:
    """One expert's (or, for a partner, one point's) active bookings of a day; a manager's
    of every expert, or of one expert or place. Staff see their own agenda only: another
    expert's holds protected customers' details. An expert or place that names nothing is
    an error, not an empty day."""
    if viewer.role == "staff" and expert_id and expert_id != viewer.expert_id:
        raise Forbidden("staff see their own agenda only")
    if viewer.role == "partner" and expert_id:
        raise Forbidden("partners see their own point's agenda only")
    if expert_id and session.get(Expert, expert_id) is None:
        raise NotFound("expert", expert_id)
    if place and session.get(Channel, place) is None:
        raise NotFound("place", place)
    first = day.astimezone(av.ZONE).replace(hour=0, minute=0, second=0, microsecond=0)
    query = select(Booking).where(
        Booking.start_at >= first,
        Booking.start_at < first + timedelta(days=1),
        Booking.status.in_(
            (BookingStatus.BOOKED.value, BookingStatus.COMPLETED.value, BookingStatus.NO_SHOW.value)
        ),
    )
    if viewer.role == "partner":
        query = query.where(Booking.channel_id == viewer.partner_channel_id)
    elif viewer.role == "staff":
        query = query.where(Booking.expert_id == viewer.expert_id)
    elif expert_id:
        query = query.where(Booking.expert_id == expert_id)
    if place:
        query = query.where(Booking.channel_id == place)
    bookings = session.scalars(query.order_by(Booking.start_at, Booking.id)).all()
    return [staff_read(session, b, viewer, now, export=export) for b in bookings]


def staff_booking(
    *, session: Session, viewer: Principal, booking_id: int, now: datetime
) -> StaffBookingRead:
    """One booking for its expert (or a manager); partners see their point's only."""
    booking = session.get(Booking, booking_id)
    allowed = booking is not None and (
        viewer.role == "manager"
        or (viewer.role == "staff" and booking.expert_id == viewer.expert_id)
        or (viewer.role == "partner" and booking.channel_id == viewer.partner_channel_id)
    )
    if booking is None or not allowed:
        raise NotFound("booking", str(booking_id))
    return staff_read(session, booking, viewer, now)


def record_outcome(
    *,
    session: Session,
    viewer: Principal,
    booking_id: int,
    status: str,
    note: str | None,
    now: datetime,
) -> StaffBookingRead:
    viewer.require("staff", "manager")
    booking = session.get(Booking, booking_id)
    if booking is None or (viewer.role == "staff" and booking.expert_id != viewer.expert_id):
        raise NotFound("booking", str(booking_id))
    if booking.status != BookingStatus.BOOKED.value:
        raise Conflict(
            "booking", reason("the booking is %(status)s, not booked", status=booking.status)
        )
    if booking.start_at > now:
        raise Conflict("booking", reason("the appointment has not started yet"))
    booking.status = status
    booking.outcome_note = note
    booking.updated_at = now
    record_contact(
        session,
        source="kanava-appointment",
        source_id=booking.reference,
        occurred_at=booking.start_at,
        channel=APPOINTMENT_CHANNELS[booking.kind],
        outcome=Outcome.SERVED if status == BookingStatus.COMPLETED.value else Outcome.NO_SHOW,
        place_id=booking.channel_id,
        topic_id=booking.topic_id,
        lang=booking.lang,
    )
    session.flush()
    return staff_read(session, booking, viewer, now)
