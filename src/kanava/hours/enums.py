"""Enumerations of the hours engine, with their groupings."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class State(StrEnum):
    """What a channel offers during a span; richer than open/closed (Hauki's states)."""

    OPEN = "open"
    CLOSED = "closed"
    BY_APPOINTMENT = "by_appointment"
    SELF_SERVICE = "self_service"

    @classmethod
    def open_states(cls) -> frozenset[State]:
        """States in which a customer can walk in or call without a booking."""
        return frozenset({cls.OPEN, cls.SELF_SERVICE})


class RuleKind(StrEnum):
    """How a rule takes part in resolving a day, in order of increasing precedence."""

    REGULAR = "regular"
    OVERRIDE = "override"
    HOLIDAY = "holiday"
    EXCEPTION = "exception"


class Weekday(IntEnum):
    """ISO weekday numbers, Monday 1 to Sunday 7."""

    MON = 1
    TUE = 2
    WED = 3
    THU = 4
    FRI = 5
    SAT = 6
    SUN = 7

    @classmethod
    def business_days(cls) -> frozenset[int]:
        return frozenset(range(1, 6))

    @classmethod
    def all_days(cls) -> frozenset[int]:
        return frozenset(range(1, 8))
