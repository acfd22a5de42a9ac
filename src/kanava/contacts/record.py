"""Contacts kanava serves itself (appointments, call-backs) become events as they happen."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from kanava.contacts.events import ContactChannel, Outcome
from kanava.contacts.models import ContactEvent

APPOINTMENT_CHANNELS = {
    "phone": ContactChannel.PHONE_APPOINTMENT,
    "service_point": ContactChannel.SERVICE_POINT_APPOINTMENT,
    "video": ContactChannel.REMOTE_VIDEO,
}


def record_contact(
    session: Session,
    *,
    source: str,
    source_id: str,
    occurred_at: datetime,
    channel: ContactChannel,
    outcome: Outcome,
    place_id: str | None = None,
    topic_id: str | None = None,
    lang: str | None = None,
) -> None:
    session.add(
        ContactEvent(
            source=source,
            source_id=source_id,
            occurred_at=occurred_at,
            channel=channel.value,
            place_id=place_id,
            topic_id=topic_id,
            lang=lang,
            outcome=outcome.value,
            provenance="kanava",
        )
    )
