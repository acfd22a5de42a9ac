"""Check what a customer typed before anything is stored. Pure.

Each error names the field and the reason. Text is kept as typed (after trimming)
and is only ever shown escaped; control characters are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from kanava.booking.hetu import HetuError, parse_hetu
from kanava.errors import InvalidInput

MAX_NAME = 200
MAX_MESSAGE = 1000
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class CustomerDetails:
    name: str
    hetu: str
    phone: str
    email: str | None
    message: str | None


def _text(value: str | None, field: str, limit: int, required: bool) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInput(field, "required")
        return None
    if len(text) > limit:
        raise InvalidInput(field, f"at most {limit} characters, got {len(text)}")
    if _CONTROL.search(text):
        raise InvalidInput(field, "contains control characters")
    return text


def phone_e164(value: str, field: str = "phone") -> str:
    """A phone number in E.164; Finnish numbers may be written nationally (040 …)."""
    try:
        parsed = phonenumbers.parse(value.strip(), "FI")
    except phonenumbers.NumberParseException:
        raise InvalidInput(field, f"{value!r} is not a phone number") from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidInput(field, f"{value!r} is not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def check_customer(
    *, name: str, hetu: str, phone: str, email: str | None = None, message: str | None = None
) -> CustomerDetails:
    checked_name = _text(name, "name", MAX_NAME, required=True)
    assert checked_name is not None
    try:
        code = parse_hetu(hetu).code
    except HetuError as error:
        raise InvalidInput("hetu", str(error).removeprefix("hetu: ")) from None
    checked_email = _text(email, "email", 254, required=False)
    if checked_email is not None and not _EMAIL.match(checked_email):
        raise InvalidInput("email", f"{checked_email!r} is not an email address")
    return CustomerDetails(
        name=checked_name,
        hetu=code,
        phone=phone_e164(phone),
        email=checked_email,
        message=_text(message, "message", MAX_MESSAGE, required=False),
    )
