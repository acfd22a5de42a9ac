"""The outbox: sent after the change commits, retried with back-off, never lost."""

from __future__ import annotations

import email
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.notify import service as outbox
from kanava.notify.messages import BookingFacts, render, when_text
from kanava.notify.models import OutboxMessage
from kanava.notify.senders import FileSender

HKI = ZoneInfo("Europe/Helsinki")
NOW = datetime(2025, 3, 12, 10, 0, tzinfo=HKI)


def facts(lang: str, kind: str = "phone") -> BookingFacts:
    return BookingFacts(
        "K7M-4QXH",
        kind,
        lang,
        datetime(2025, 3, 13, 10, 0, tzinfo=HKI),
        "Kelan palvelupiste",
        "+358401234567",
        "http://x/varaus/K7M-4QXH",
    )


@pytest.mark.parametrize(
    ("lang", "subject", "when"),
    [
        ("fi", "Kela: puhelinaika on varattu", "torstaina 13.3.2025 klo 10.00"),
        ("sv", "FPA: din telefontid är bokad", "torsdag 13.3.2025 kl. 10.00"),
        ("en", "Kela: your phone appointment is booked", "Thursday 13 March 2025 at 10:00"),
    ],
)
def test_texts__in_the_customer_s_language(lang: str, subject: str, when: str) -> None:
    texts = render("confirmation", facts(lang))
    assert texts.subject == subject
    assert when in texts.email and when == when_text(datetime(2025, 3, 13, 10, 0, tzinfo=HKI), lang)
    assert "K7M-4QXH" in texts.sms and "+358401234567" in texts.sms


def test_cancellation__has_no_manage_link() -> None:
    assert "http://x/varaus" not in render("cancellation", facts("fi")).email


def enqueue(session: Session, medium: str = "email", not_before: datetime = NOW) -> OutboxMessage:
    message = outbox.Message(
        purpose="confirmation",
        medium=medium,
        recipient="a@example.fi",
        lang="fi",
        subject="Kela: aika on varattu",
        body="Aika: torstai",
        not_before=not_before,
        ics="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" if medium == "email" else None,
    )
    outbox.enqueue(session, None, [message], NOW)
    return session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(1)).one()


def test_send__file_sender_writes_email_with_ics_and_sms(session: Session, tmp_path: Path) -> None:
    mail = enqueue(session)
    sms = enqueue(session, "sms")
    later = enqueue(session, not_before=NOW + timedelta(days=1))
    assert outbox.send_due(session, FileSender(tmp_path), NOW) == (2, 0)
    assert (mail.status, sms.status, later.status) == ("sent", "sent", "pending")
    message = email.message_from_bytes((tmp_path / f"{mail.id:08d}-confirmation.eml").read_bytes())
    parts = [part.get_content_type() for part in message.walk()]
    assert "text/calendar" in parts and message["To"] == "a@example.fi"
    assert (
        (tmp_path / f"{sms.id:08d}-confirmation.sms.txt")
        .read_text(encoding="utf-8")
        .startswith("To:")
    )


class Failing:
    def send(self, message: OutboxMessage) -> None:
        raise ConnectionRefusedError("no server")


def test_send__failure_is_retried_with_back_off_then_given_up(
    session: Session, tmp_path: Path
) -> None:
    message = enqueue(session)
    moment = NOW
    for attempt in range(1, outbox.MAX_ATTEMPTS):
        assert outbox.send_due(session, Failing(), moment) == (0, 1)
        assert message.status == "pending" and message.attempts == attempt
        assert message.not_before == moment + outbox.backoff(attempt)
        assert outbox.send_due(session, Failing(), moment) == (0, 0)  # not due yet
        moment = message.not_before
    outbox.send_due(session, Failing(), moment)
    assert message.status == "failed" and "no server" in (message.last_error or "")


def test_stop_between_write_and_send__the_message_waits_for_the_next_run(
    session: Session, tmp_path: Path
) -> None:
    message = enqueue(session)
    session.commit()  # the change and its message are stored; the process stops here
    pending = session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending")).all()
    assert message in pending
    assert outbox.send_due(session, FileSender(tmp_path), NOW + timedelta(hours=1)) == (1, 0)
