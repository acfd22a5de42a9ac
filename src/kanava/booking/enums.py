"""Enumerations of appointments."""

from __future__ import annotations

from enum import StrEnum


class AppointmentKind(StrEnum):
    PHONE = "phone"
    SERVICE_POINT = "service_point"
    VIDEO = "video"


class BookingStatus(StrEnum):
    HELD = "held"
    BOOKED = "booked"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    EXPIRED = "expired"

    @classmethod
    def active(cls) -> tuple[str, ...]:
        """Statuses that keep the time from others (the database guard uses the same)."""
        return (cls.HELD.value, cls.BOOKED.value)
