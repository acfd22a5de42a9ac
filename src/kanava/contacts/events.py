"""What a contact event is: its channels, outcomes and the columns of an event file."""

from __future__ import annotations

from enum import StrEnum


class ContactChannel(StrEnum):
    PHONE = "phone"
    SERVICE_POINT_VISIT = "service_point_visit"
    PHONE_APPOINTMENT = "phone_appointment"
    SERVICE_POINT_APPOINTMENT = "service_point_appointment"
    ASIOINTIPISTE_VISIT = "asiointipiste_visit"
    REMOTE_VIDEO = "remote_video"
    CHATBOT = "chatbot"
    CALLBACK = "callback"
    WEB_VISIT = "web_visit"


class Outcome(StrEnum):
    SERVED = "served"
    REFERRED = "referred"
    ABANDONED = "abandoned"
    NO_SHOW = "no_show"


# The columns of an event file (CSV with a header row, or Parquet), in this order.
COLUMNS: dict[str, str] = {
    "source_id": "required; unique within the file's source (a record id of the system)",
    "occurred_at": "required; ISO 8601 instant, with offset or in Helsinki time",
    "channel": "required; one of " + ", ".join(c.value for c in ContactChannel),
    "place": "a service point or joint service point id (kanava's), or empty",
    "topic": "a topic id, or empty",
    "lang": "fi, sv or en, or empty",
    "outcome": "required; one of " + ", ".join(o.value for o in Outcome),
    "wait_seconds": "whole seconds waited, or empty",
    "handle_seconds": "whole seconds of handling, or empty",
}
REQUIRED = ("source_id", "occurred_at", "channel", "outcome")
