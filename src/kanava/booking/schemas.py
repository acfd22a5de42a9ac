"""API and CLI shapes of appointments and call-backs."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from kanava.booking.enums import AppointmentKind
from kanava.bounds import Day, Instant, RowId
from kanava.i18n import Lang
from kanava.schemas import KanavaSchema


class OfferRead(KanavaSchema):
    start: datetime
    end: datetime
    free_experts: int


class SlotSearchRead(KanavaSchema):
    topic: str
    lang: str
    kind: str
    place: str | None
    duration_min: int
    earliest: datetime = Field(description="Minimum notice: nothing earlier is offered.")
    latest: datetime = Field(description="Booking horizon: nothing later is offered.")
    offers: list[OfferRead]


class BookingCreate(KanavaSchema):
    topic: str
    lang: Lang
    kind: AppointmentKind
    place: str | None = Field(None, description="Service point or joint service point id.")
    start: Instant
    name: str = Field(max_length=400)
    hetu: str = Field(max_length=40)
    phone: str = Field(max_length=40)
    email: str | None = Field(None, max_length=400)
    message: str | None = Field(None, max_length=4000)
    non_disclosure: bool = False
    hold: bool = Field(False, description="Hold the slot while the customer confirms.")
    idempotency_key: str | None = Field(None, max_length=100)


class PlaceRead(KanavaSchema):
    id: str
    name: str
    address: str | None


class CustomerRead(KanavaSchema):
    name: str
    hetu: str
    phone: str
    email: str | None


class BookingRead(KanavaSchema):
    reference: str
    status: str
    kind: str
    topic: str
    lang: str
    start: datetime
    end: datetime
    place: PlaceRead | None
    customer: CustomerRead
    message: str | None
    non_disclosure: bool
    hold_expires_at: datetime | None
    sequence: int


class StaffBookingRead(BookingRead):
    id: int
    expert_id: str
    room_id: str | None
    outcome_note: str | None


class ConflictRead(StaffBookingRead):
    """A booking its expert cannot serve: why (absent, not_working, not_qualified,
    place_closed), and who took it over, if anyone."""

    reason: str
    handed_over_to: str | None


class BookingCreated(KanavaSchema):
    booking: BookingRead
    manage_token: str
    manage_url: str


class RescheduleRequest(KanavaSchema):
    start: Instant


class OutcomeRequest(KanavaSchema):
    status: str = Field(pattern="^(completed|no_show)$")
    note: str | None = Field(None, max_length=2000)


class CallbackWindowRead(KanavaSchema):
    id: int
    day: date
    starts: str
    ends: str
    topic: str
    lang: str
    capacity: int
    free: int


class CallbackCreate(KanavaSchema):
    window_id: RowId
    name: str = Field(max_length=400)
    phone: str = Field(max_length=40)
    message: str | None = Field(None, max_length=4000)
    non_disclosure: bool = False
    idempotency_key: str | None = Field(None, max_length=100)


class CallbackRead(KanavaSchema):
    id: int
    reference: str
    status: str
    window: CallbackWindowRead
    name: str
    phone: str
    message: str | None
    attempts: int
    non_disclosure: bool = False


class AttemptCreate(KanavaSchema):
    outcome: str = Field(pattern="^(reached|no_answer|wrong_number)$")
    note: str | None = Field(None, max_length=2000)


class AbsenceCreate(KanavaSchema):
    expert: str = Field(max_length=80)
    first_day: Day
    last_day: Day | None = Field(None, description="Default: the first day.")
    reason: str | None = Field(None, max_length=200)


class AbsenceRead(KanavaSchema):
    id: int
    expert: str
    first_day: date
    last_day: date
    reason: str | None
    bookings_to_hand_over: int | None = Field(
        None, description="On recording: the expert's bookings on those days now in conflict."
    )
