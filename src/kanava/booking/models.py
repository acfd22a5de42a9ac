"""Tables of appointments and call-backs.

The database itself forbids two active bookings that overlap for one expert or one
room: on PostgreSQL by exclusion constraints over the blocked range (buffers
included), on SQLite by triggers that run inside the writing transaction (see the
migration). Active means held or booked; a hold past its expiry is turned into
``expired`` by the booking transaction before it writes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kanava.db import Base, UtcDateTime

ACTIVE_STATUSES = ("held", "booked")


class Expert(Base):
    """A service expert (palveluasiantuntija) and what they can serve."""

    __tablename__ = "expert"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("org_unit.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    provenance: Mapped[str] = mapped_column(String(20))


class ExpertTopic(Base):
    """A topic an expert serves; the database filters qualified experts by these rows."""

    __tablename__ = "expert_topic"

    expert_id: Mapped[str] = mapped_column(
        ForeignKey("expert.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[str] = mapped_column(ForeignKey("topic.id"), primary_key=True, index=True)


class ExpertLanguage(Base):
    """A language an expert serves customers in (fi, sv, en)."""

    __tablename__ = "expert_language"

    expert_id: Mapped[str] = mapped_column(
        ForeignKey("expert.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(2), primary_key=True, index=True)


class Shift(Base):
    """A recurring weekly pattern of work in one kind of service, resolved by the hours engine."""

    __tablename__ = "shift"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    expert_id: Mapped[str] = mapped_column(ForeignKey("expert.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    channel_id: Mapped[str | None] = mapped_column(ForeignKey("channel.id"))
    hours: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class Absence(Base):
    __tablename__ = "absence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    expert_id: Mapped[str] = mapped_column(ForeignKey("expert.id", ondelete="CASCADE"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(200))


class Room(Base):
    """A room or terminal for video appointments at a joint service point, with its hours."""

    __tablename__ = "room"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    channel_id: Mapped[str] = mapped_column(ForeignKey("channel.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    hours: Mapped[str] = mapped_column(String(200))


class AvailabilityVersion(Base):
    """One row whose version changes, to a new random value, with every change to experts,
    their topics, languages, shifts and absences, rooms, appointment types or topics
    (triggers in the migration): a process keeps what it worked out from those tables
    for as long as the version it read stays the same."""

    __tablename__ = "availability_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class AppointmentType(Base):
    """Duration, buffers, notice, horizon and daily cap for a kind, optionally per topic."""

    __tablename__ = "appointment_type"
    __table_args__ = (UniqueConstraint("kind", "topic_id", name="kind_topic"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    topic_id: Mapped[str | None] = mapped_column(ForeignKey("topic.id"))
    duration_min: Mapped[int] = mapped_column(Integer)
    buffer_before_min: Mapped[int] = mapped_column(Integer, default=0)
    buffer_after_min: Mapped[int] = mapped_column(Integer, default=0)
    step_min: Mapped[int] = mapped_column(Integer, default=15)
    notice_working_days: Mapped[int] = mapped_column(Integer, default=1)
    horizon_days: Mapped[int] = mapped_column(Integer, default=42)
    daily_cap: Mapped[int | None] = mapped_column(Integer)


class Booking(Base):
    """One expert, one interval, one customer, one topic, one language, one kind."""

    __tablename__ = "booking"
    __table_args__ = (
        CheckConstraint("start_at < end_at", name="start_before_end"),
        CheckConstraint(
            "blocked_start <= start_at AND end_at <= blocked_end", name="blocked_covers_booking"
        ),
        CheckConstraint(
            "status IN ('held', 'booked', 'cancelled', 'completed', 'no_show', 'expired')",
            name="known_status",
        ),
        Index("ix_booking_expert_blocked", "expert_id", "blocked_start"),
        Index("ix_booking_blocked_start", "blocked_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    manage_token_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    topic_id: Mapped[str] = mapped_column(ForeignKey("topic.id"))
    lang: Mapped[str] = mapped_column(String(2))
    expert_id: Mapped[str] = mapped_column(ForeignKey("expert.id"))
    room_id: Mapped[str | None] = mapped_column(ForeignKey("room.id"), index=True)
    channel_id: Mapped[str | None] = mapped_column(ForeignKey("channel.id"))
    start_at: Mapped[datetime] = mapped_column(UtcDateTime)
    end_at: Mapped[datetime] = mapped_column(UtcDateTime)
    blocked_start: Mapped[datetime] = mapped_column(UtcDateTime)
    blocked_end: Mapped[datetime] = mapped_column(UtcDateTime)
    hold_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    customer_name: Mapped[str] = mapped_column(String(200))
    hetu: Mapped[str] = mapped_column(String(11), index=True)
    phone: Mapped[str] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    message: Mapped[str | None] = mapped_column(Text)
    non_disclosure: Mapped[bool] = mapped_column(Boolean, default=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    # The SHA-256 of the request that carried the key: a reuse with another body is refused.
    request_hash: Mapped[str | None] = mapped_column(String(64))
    booked_by: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Bumped on every change of time; the iCalendar SEQUENCE, so calendars update.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    outcome_note: Mapped[str | None] = mapped_column(Text)


class CallbackWindow(Base):
    """A window of a day in which call-backs on a topic in a language are promised."""

    __tablename__ = "callback_window"
    __table_args__ = (
        UniqueConstraint("day", "starts", "topic_id", "lang", name="day_starts_topic_lang"),
        CheckConstraint("used <= capacity", name="used_within_capacity"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date)
    starts: Mapped[str] = mapped_column(String(5))
    ends: Mapped[str] = mapped_column(String(5))
    topic_id: Mapped[str] = mapped_column(ForeignKey("topic.id"))
    lang: Mapped[str] = mapped_column(String(2))
    capacity: Mapped[int] = mapped_column(Integer)
    used: Mapped[int] = mapped_column(Integer, default=0)


class CallbackRequest(Base):
    """A customer's request to be called back (soittopyyntö)."""

    __tablename__ = "callback_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("callback_window.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    customer_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(20))
    message: Mapped[str | None] = mapped_column(Text)
    non_disclosure: Mapped[bool] = mapped_column(Boolean, default=False)
    taken_by: Mapped[str | None] = mapped_column(ForeignKey("expert.id"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    request_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CallbackAttempt(Base):
    __tablename__ = "callback_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("callback_request.id", ondelete="CASCADE"), index=True
    )
    expert_id: Mapped[str] = mapped_column(ForeignKey("expert.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    outcome: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
