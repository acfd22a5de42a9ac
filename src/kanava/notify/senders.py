"""Where outbox messages go: files (the default, for a laptop) or an SMTP server."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

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
    """Sends email through an SMTP server; SMS needs a gateway and is refused here."""

    def __init__(self, host: str, port: int, sender_address: str) -> None:
        self.host, self.port, self.sender_address = host, port, sender_address

    def send(self, message: OutboxMessage) -> None:
        if message.medium != "email":
            raise RuntimeError("medium: the SMTP sender sends email only; configure an SMS gateway")
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            smtp.send_message(email_message(message, self.sender_address))
