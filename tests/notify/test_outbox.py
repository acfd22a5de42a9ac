"""The outbox: sent after the change commits, retried with back-off, never lost."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope
from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.config import Settings
from kanava.db import make_engine, make_session_factory, session_scope
from kanava.notify import service as outbox
from kanava.notify.messages import BookingFacts, render, when_text
from kanava.notify.models import OutboxMessage
from kanava.notify.senders import FileSender, SmtpSender, configured_sender

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
        ("en", "Kela: your phone appointment is booked", "Thursday 13.3.2025 10:00"),
    ],
)
def test_texts__in_the_customer_s_language(lang: str, subject: str, when: str) -> None:
    texts = render("confirmation", facts(lang))
    assert texts.subject == subject
    assert when in texts.email and when == when_text(datetime(2025, 3, 13, 10, 0, tzinfo=HKI), lang)
    assert texts.sms.startswith(subject)  # what happened comes first
    assert "K7M-4QXH" in texts.sms and "040 1234567" in texts.sms


def test_cancellation__has_no_manage_link() -> None:
    assert "http://x/varaus" not in render("cancellation", facts("fi")).email


@pytest.mark.parametrize(
    ("purpose", "said"),
    [
        ("confirmation", "Kela: puhelinaika on varattu."),
        ("reminder", "Kela muistuttaa: puhelinaika huomenna."),
        ("change", "Kela: puhelinaika on siirretty."),
        ("cancellation", "Kela: puhelinaika on peruttu."),
    ],
)
def test_every_sms_says_what_happened(purpose: str, said: str) -> None:
    sms = render(purpose, facts("fi")).sms
    assert sms.startswith(said) and "torstaina 13.3.2025 klo 10.00" in sms


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_cancelled_phone_time_never_says_kela_will_call(lang: str) -> None:
    cancelled = render("cancellation", facts(lang)).sms
    assert render("confirmation", facts(lang)).sms.count("040 1234567") == 1
    assert "040 1234567" not in cancelled
    assert {"fi": "ei soita", "sv": "ringer dig inte", "en": "will not call"}[lang] in cancelled
    visit = render("cancellation", facts(lang, "service_point")).sms
    assert {"fi": "ei enää", "sv": "inte längre", "en": "no longer"}[lang] in visit


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


# The test server takes a login without TLS, which aiosmtpd rightly warns of.
plain_login = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, list[Envelope], list[str]]]:
    """A real SMTP server on loopback that wants a login: its port, the mail it took,
    and the logins it accepted."""
    received: list[Envelope] = []
    logins: list[str] = []

    class Keep:
        async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
            received.append(envelope)
            return "250 OK"

    def check(
        server: object, session: object, envelope: object, mechanism: str, data: Any
    ) -> AuthResult:
        good = (data.login, data.password) == (b"kanava", b"salasana")
        if good:
            logins.append(data.login.decode())
        return AuthResult(success=good, handled=False)  # the server answers 535

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(
        Keep(),
        hostname="127.0.0.1",
        port=port,
        authenticator=check,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield port, received, logins
    finally:
        controller.stop()


@plain_login
def test_send__smtp_delivers_email_with_its_calendar_file_and_sms_go_to_files(
    session: Session, tmp_path: Path, smtp_server: tuple[int, list[Envelope], list[str]]
) -> None:
    port, received, logins = smtp_server
    settings = Settings(
        notify_sender="smtp",
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_from="kela@example.fi",
        smtp_username="kanava",
        smtp_password="salasana",
        outbox_dir=tmp_path,
    )
    mail, sms = enqueue(session), enqueue(session, "sms")
    assert outbox.send_due(session, configured_sender(settings), NOW) == (2, 0)
    assert logins == ["kanava"] and len(received) == 1
    envelope = received[0]
    assert (envelope.mail_from, envelope.rcpt_tos) == ("kela@example.fi", ["a@example.fi"])
    assert isinstance(envelope.content, bytes)
    delivered = email.message_from_bytes(envelope.content)
    assert "text/calendar" in [part.get_content_type() for part in delivered.walk()]
    assert [p.name for p in tmp_path.iterdir()] == [f"{sms.id:08d}-confirmation.sms.txt"]
    assert (mail.status, sms.status) == ("sent", "sent")


@plain_login
def test_send__a_wrong_smtp_password_or_no_server_keeps_the_message_for_a_retry(
    session: Session, tmp_path: Path, smtp_server: tuple[int, list[Envelope], list[str]]
) -> None:
    port, received, _ = smtp_server
    message = enqueue(session)
    wrong = SmtpSender("127.0.0.1", port, "kela@example.fi", username="kanava", password="x")
    assert outbox.send_due(session, wrong, NOW) == (0, 1)
    assert message.status == "pending" and "SMTPAuthenticationError" in (message.last_error or "")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    later = message.not_before
    assert outbox.send_due(session, SmtpSender("127.0.0.1", closed, "kela@example.fi"), later) == (
        0,
        1,
    )
    assert message.attempts == 2 and "ConnectionRefusedError" in (message.last_error or "")
    assert received == []


def test_two_senders_at_once__each_message_goes_once(empty_url: str) -> None:
    engine = make_engine(Settings(database_url=empty_url))
    factory = make_session_factory(engine)
    with session_scope(factory, write=True) as writing:
        ids = sorted(enqueue(writing).id for _ in range(3))
    delivered: list[int] = []
    results: list[tuple[int, int]] = []

    def second_sender() -> None:
        with session_scope(factory, write=True) as other:
            results.append(outbox.send_due(other, Recording(), NOW))

    class Recording:
        def send(self, message: OutboxMessage) -> None:
            delivered.append(message.id)

    class StartsAnother(Recording):
        """While the first sender is under way, a second one runs (a cron run overlapping)."""

        thread: threading.Thread | None = None

        def send(self, message: OutboxMessage) -> None:
            if self.thread is None:
                self.thread = threading.Thread(target=second_sender)
                self.thread.start()
                self.thread.join(timeout=1)  # SQLite: it waits for the first one's lock
            super().send(message)

    first = StartsAnother()
    with session_scope(factory, write=True) as sending:
        assert outbox.send_due(sending, first, NOW) == (3, 0)
    assert first.thread is not None
    first.thread.join()
    engine.dispose()
    assert results == [(0, 0)] and sorted(delivered) == ids
