"""Where outbox messages go: files (the default, for a laptop) or an SMTP server."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from kanava.config import Settings
from kanava.notify.models import OutboxMessage


class Sender(Protocol):
    def send(self, message: OutboxMessage) -> None: ...


def email_message(message: OutboxMessage, sender_address: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender_address
    email["To"] = message.recipient
    email["Subject"] = message.subject or ""
    email["Content-Language"] = message.lang
    email.set_content(message.body)
    if message.ics:
        email.add_attachment(
            message.ics.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            filename="kela-ajanvaraus.ics",
        )
    return email


class FileSender:
    """Writes each message to a file in a folder: .eml for email, .sms.txt for SMS."""

    def __init__(self, folder: Path, sender_address: str = "kanava@localhost") -> None:
        self.folder = folder
        self.sender_address = sender_address

    def send(self, message: OutboxMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"{message.id:08d}-{message.purpose}"
        if message.medium == "email":
            data = email_message(message, self.sender_address).as_bytes()
            (self.folder / f"{stem}.eml").write_bytes(data)
        else:
            text = f"To: {message.recipient}\n\n{message.body}\n"
            (self.folder / f"{stem}.sms.txt").write_text(text, encoding="utf-8")


class SmtpSender:
    """Sends email through an SMTP server, with STARTTLS and a login when configured."""

    def __init__(
        self,
        host: str,
        port: int,
        sender_address: str,
        *,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        self.host, self.port, self.sender_address = host, port, sender_address
        self.starttls, self.username, self.password = starttls, username, password

    def send(self, message: OutboxMessage) -> None:
        if message.medium != "email":
            raise RuntimeError("medium: the SMTP sender sends email only")
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(email_message(message, self.sender_address))


class ByMedium:
    """Email to one sender, SMS to another: with SMTP, SMS files wait in the outbox
    folder for an SMS gateway (any ``Sender`` can take their place)."""

    def __init__(self, email: Sender, sms: Sender) -> None:
        self.email, self.sms = email, sms

    def send(self, message: OutboxMessage) -> None:
        (self.email if message.medium == "email" else self.sms).send(message)


def configured_sender(settings: Settings) -> Sender:
    """The sender the settings ask for: files, or SMTP for email with SMS files beside."""
    files = FileSender(settings.outbox_dir, settings.smtp_from)
    if settings.notify_sender != "smtp":
        return files
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    smtp = SmtpSender(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_from,
        starttls=settings.smtp_starttls,
        username=settings.smtp_username,
        password=password,
    )
    return ByMedium(email=smtp, sms=files)
