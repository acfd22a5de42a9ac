"""Every table of kanava, imported in one place for Alembic and the test suite."""

from kanava.auth.models import ApiToken, AuditEntry, User
from kanava.booking.models import (
    Absence,
    AppointmentType,
    Booking,
    CallbackAttempt,
    CallbackRequest,
    CallbackWindow,
    Expert,
    ExpertLanguage,
    ExpertTopic,
    Room,
    Shift,
)
from kanava.catalogue.models import Channel, ChannelEvent, Municipality, OrgUnit, PostalArea, Topic
from kanava.contacts.models import CallInterval, ContactEvent, ContactTotal
from kanava.hours.models import HoursRule
from kanava.notify.models import OutboxMessage

__all__ = [
    "Absence",
    "ApiToken",
    "AppointmentType",
    "AuditEntry",
    "Booking",
    "CallInterval",
    "CallbackAttempt",
    "CallbackRequest",
    "CallbackWindow",
    "Channel",
    "ChannelEvent",
    "ContactEvent",
    "ContactTotal",
    "Expert",
    "ExpertLanguage",
    "ExpertTopic",
    "HoursRule",
    "Municipality",
    "OrgUnit",
    "OutboxMessage",
    "PostalArea",
    "Room",
    "Shift",
    "Topic",
    "User",
]
