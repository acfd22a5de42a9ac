"""HTTP routes of appointments and call-backs: customers act through their manage token,
staff and partners through a bearer token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Response

from kanava.booking import absences, callbacks, conflicts, service
from kanava.booking.availability import ZONE
from kanava.booking.schemas import (
    AbsenceCreate,
    AbsenceRead,
    AttemptCreate,
    BookingCreate,
    BookingCreated,
    BookingRead,
    CallbackCreate,
    CallbackRead,
    CallbackWindowRead,
    ConflictRead,
    OfferRead,
    OutcomeRequest,
    RescheduleRequest,
    SlotSearchRead,
    StaffBookingRead,
)
from kanava.bounds import MAX_ID, Day
from kanava.deps import (
    NowDep,
    PrincipalDep,
    SessionDep,
    SettingsDep,
    WriteSessionDep,
    WriteTransactionsDep,
)
from kanava.errors import InvalidInput, reason
from kanava.i18n import Lang

router = APIRouter(prefix="/api/v1", tags=["appointments"])
Token = Annotated[str, Header(alias="X-Manage-Token", max_length=100)]
RowIdPath = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/slots", response_model=SlotSearchRead, summary="Free times, pooled over experts")
def slots(
    session: SessionDep,
    now: NowDep,
    topic: str,
    lang: Lang,
    kind: str,
    place: str | None = None,
    start_date: Day | None = None,
    days: Annotated[int, Query(ge=1, le=60)] = 14,
) -> SlotSearchRead:
    first = datetime.combine(start_date, time(0), tzinfo=ZONE) if start_date else None
    return service.search_slots(
        session=session,
        topic=topic,
        lang=lang,
        kind=kind,
        place=place,
        first=first,
        days=days,
        now=now,
    )


@router.get("/slots/first", response_model=OfferRead | None, summary="The first free time")
def first_slot(
    session: SessionDep,
    now: NowDep,
    topic: str,
    lang: Lang,
    kind: str,
    place: str | None = None,
) -> OfferRead | None:
    """The earliest free time within the whole booking horizon, or null."""
    result = service.search_slots(
        session=session,
        topic=topic,
        lang=lang,
        kind=kind,
        place=place,
        first=None,
        days=60,
        now=now,
    )
    return result.offers[0] if result.offers else None


@router.post("/bookings", response_model=BookingCreated, status_code=201)
async def create_booking(
    transactions: WriteTransactionsDep,
    settings: SettingsDep,
    now: NowDep,
    body: BookingCreate,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=100)] = None,
) -> BookingCreated:
    if idempotency_key:
        body = body.model_copy(update={"idempotency_key": idempotency_key})
    return await transactions.run(
        lambda session: service.create_booking(
            session=session, request_in=body, settings=settings, now=now
        ),
    )


@router.get("/bookings/{reference}", response_model=BookingRead)
def get_booking(session: SessionDep, reference: str, token: Token) -> BookingRead:
    return service.get_booking(session=session, reference=reference, token=token)


@router.post("/bookings/{reference}/confirm", response_model=BookingRead)
def confirm(
    session: WriteSessionDep, settings: SettingsDep, now: NowDep, reference: str, token: Token
) -> BookingRead:
    return service.confirm_hold(
        session=session, reference=reference, token=token, settings=settings, now=now
    )


@router.post("/bookings/{reference}/cancel", response_model=BookingRead)
def cancel(
    session: WriteSessionDep, settings: SettingsDep, now: NowDep, reference: str, token: Token
) -> BookingRead:
    return service.cancel_booking(
        session=session, reference=reference, token=token, settings=settings, now=now
    )


@router.post("/bookings/{reference}/reschedule", response_model=BookingRead)
def reschedule(
    session: WriteSessionDep,
    settings: SettingsDep,
    now: NowDep,
    reference: str,
    token: Token,
    body: RescheduleRequest,
) -> BookingRead:
    return service.reschedule_booking(
        session=session,
        reference=reference,
        token=token,
        new_start=body.start,
        settings=settings,
        now=now,
    )


@router.get("/bookings/{reference}/calendar.ics", response_class=Response)
def calendar(session: SessionDep, now: NowDep, reference: str, token: Token) -> Response:
    text = service.calendar_file(session=session, reference=reference, token=token, now=now)
    return calendar_response(text, reference)


def calendar_response(text: str, reference: str) -> Response:
    """An .ics file the browser offers to save (the API and the manage page alike)."""
    return Response(
        text,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="kela-{reference}.ics"'},
    )


@router.get("/callbacks/windows", response_model=list[CallbackWindowRead])
def callback_windows(
    session: WriteSessionDep, now: NowDep, topic: str, lang: Lang
) -> list[CallbackWindowRead]:
    return callbacks.open_windows(session=session, topic=topic, lang=lang, now=now)


@router.post("/callbacks", response_model=CallbackRead, status_code=201)
def request_callback(session: WriteSessionDep, now: NowDep, body: CallbackCreate) -> CallbackRead:
    return callbacks.request_callback(session=session, request_in=body, now=now)


@router.get("/staff/agenda", response_model=list[StaffBookingRead], tags=["staff"])
def agenda(
    session: WriteSessionDep,
    principal: PrincipalDep,
    now: NowDep,
    day: Day,
    expert: str | None = None,
    place: str | None = None,
) -> list[StaffBookingRead]:
    moment = datetime.combine(day, time(12), tzinfo=ZONE)
    return service.agenda(
        session=session, viewer=principal, expert_id=expert, day=moment, now=now, place=place
    )


@router.post("/staff/absences", response_model=AbsenceRead, status_code=201, tags=["staff"])
def add_absence(
    session: WriteSessionDep, principal: PrincipalDep, now: NowDep, body: AbsenceCreate
) -> AbsenceRead:
    """Record an expert's absence; says how many of their bookings now need a hand-over."""
    return absences.record_absence(session=session, viewer=principal, absence_in=body, now=now)


@router.get("/staff/absences", response_model=list[AbsenceRead], tags=["staff"])
def get_absences(
    session: SessionDep,
    principal: PrincipalDep,
    start_date: Day,
    days: Annotated[int, Query(ge=1, le=366)] = 14,
) -> list[AbsenceRead]:
    last = start_date + timedelta(days=days - 1)
    return absences.list_absences(session=session, viewer=principal, first=start_date, last=last)


@dataclass(frozen=True)
class Days:
    """The days a worklist covers: from ``start_date``, ``days`` of them."""

    start_date: Day
    days: Annotated[int, Query(ge=1, le=60)] = 14


DaysDep = Annotated[Days, Depends()]


@router.get("/staff/conflicts", response_model=list[ConflictRead], tags=["staff"])
def booking_conflicts(
    session: WriteSessionDep, principal: PrincipalDep, now: NowDep, window: DaysDep
) -> list[ConflictRead]:
    """Bookings their expert can no longer serve (an absence, a changed shift or skill)."""
    return conflicts.review(
        session=session, viewer=principal, first=window.start_date, days=window.days, now=now
    )


@router.post("/staff/conflicts/hand-over", response_model=list[ConflictRead], tags=["staff"])
def hand_over_conflicts(
    session: WriteSessionDep, principal: PrincipalDep, now: NowDep, window: DaysDep
) -> list[ConflictRead]:
    """Each conflict to a qualified colleague free at its time; the rest stay listed."""
    return conflicts.review(
        session=session,
        viewer=principal,
        first=window.start_date,
        days=window.days,
        now=now,
        hand_over_all=True,
    )


@router.post(
    "/staff/bookings/{booking_id}/outcome", response_model=StaffBookingRead, tags=["staff"]
)
def outcome(
    session: WriteSessionDep,
    principal: PrincipalDep,
    now: NowDep,
    booking_id: RowIdPath,
    body: OutcomeRequest,
) -> StaffBookingRead:
    return service.record_outcome(
        session=session,
        viewer=principal,
        booking_id=booking_id,
        status=body.status,
        note=body.note,
        now=now,
    )


@router.post("/staff/callbacks/next", response_model=CallbackRead | None, tags=["staff"])
def next_callback(
    session: WriteSessionDep, principal: PrincipalDep, now: NowDep
) -> CallbackRead | None:
    return callbacks.take_next(session=session, viewer=principal, now=now)


@router.post("/staff/callbacks/{request_id}/attempts", response_model=CallbackRead, tags=["staff"])
def callback_attempt(
    session: WriteSessionDep,
    principal: PrincipalDep,
    now: NowDep,
    request_id: RowIdPath,
    body: AttemptCreate,
) -> CallbackRead:
    return callbacks.record_attempt(
        session=session,
        viewer=principal,
        request_id=request_id,
        outcome=body.outcome,
        note=body.note,
        now=now,
    )


@router.post("/partner/bookings", response_model=BookingCreated, status_code=201, tags=["partner"])
def partner_booking(
    session: WriteSessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    now: NowDep,
    body: BookingCreate,
) -> BookingCreated:
    """A video appointment booked by joint service point staff for a customer who is present."""
    principal.require("partner")
    if body.kind.value != "video" or body.place != principal.partner_channel_id:
        raise InvalidInput(
            "place", reason("a partner books video appointments at their own point only")
        )
    return service.create_booking(
        session=session, request_in=body, settings=settings, now=now, booked_by=principal.username
    )
