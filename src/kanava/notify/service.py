"""Write messages to the outbox with the change; send the due ones with retries and back-off.

A message row is committed in the same transaction as the booking change it tells of,
and marked sent only after the sender succeeded: if the process stops in between, the
message is sent on the next run (at least once, never lost). Two runs at once never take
the same message: on PostgreSQL the due rows are locked (SKIP LOCKED), on SQLite the write
transaction serialises them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from kanava.notify.models import OutboxMessage
from kanava.notify.senders import Sender

MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Message:
    """One message to send: an SMS or an email (with its .ics), not before a moment."""

    purpose: str
    medium: str
    recipient: str
    lang: str
    body: str
    subject: str | None = None
    ics: str | None = None
    not_before: datetime | None = None


# A Core insert of plain rows: the outbox is written on every booking, and the ORM's unit
# of work cost more than the rest of the booking's writes together.
_INSERT = insert(OutboxMessage)


def enqueue(
    session: Session, booking_id: int | None, messages: Sequence[Message], now: datetime
) -> None:
    """Write messages in the session's transaction, due from ``not_before`` (or now)."""
    session.connection().execute(
        _INSERT,
        [
            {
                "booking_id": booking_id,
                "purpose": m.purpose,
                "medium": m.medium,
                "recipient": m.recipient,
                "lang": m.lang,
                "subject": m.subject,
                "body": m.body,
                "ics": m.ics,
                "status": "pending",
                "not_before": m.not_before or now,
                "attempts": 0,
                "last_error": None,
                "created_at": now,
                "sent_at": None,
            }
            for m in messages
        ],
    )


def withdraw_pending(session: Session, booking_id: int, purposes: tuple[str, ...]) -> None:
    """Drop messages not yet sent that no longer hold (a reminder of a cancelled booking)."""
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.booking_id == booking_id,
            OutboxMessage.status == "pending",
            OutboxMessage.purpose.in_(purposes),
        )
        .values(status="withdrawn")
        .execution_options(synchronize_session=False)
    )


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most six hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


def send_due(session: Session, sender: Sender, now: datetime, limit: int = 100) -> tuple[int, int]:
    """Send messages that are due; returns (sent, failed this round)."""
    due = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.not_before <= now)
        .order_by(OutboxMessage.not_before, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    sent = failed = 0
    for message in due:
        try:
            sender.send(message)
        except Exception as error:
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = "failed"
            else:
                message.not_before = now + backoff(message.attempts)
            failed += 1
            continue
        message.attempts += 1
        message.status = "sent"
        message.sent_at = now
        sent += 1
    session.flush()
    return sent, failed
