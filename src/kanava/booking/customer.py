"""Check what a customer typed before anything is stored. Pure.

Each error names the field and the reason. Text is kept as typed (after trimming)
and is only ever shown escaped; control characters are refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers

from kanava.booking.hetu import HetuError, parse_hetu
from kanava.errors import InvalidInput, reason

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
            raise InvalidInput(field, reason("required"))
        return None
    if len(text) > limit:
        raise InvalidInput(
            field,
            reason("at most %(limit)s characters, got %(count)s", limit=limit, count=len(text)),
        )
    if _CONTROL.search(text):
        raise InvalidInput(field, reason("contains control characters"))
    return text


def phone_e164(value: str, field: str = "phone") -> str:
    """A phone number in E.164; Finnish numbers may be written nationally (040 …)."""
    try:
        parsed = phonenumbers.parse(value.strip(), "FI")
    except phonenumbers.NumberParseException:
        raise InvalidInput(
            field, reason("%(value)s is not a phone number", value=repr(value))
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidInput(
            field, reason("%(value)s is not a valid phone number", value=repr(value))
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _hetu(value: str) -> str:
    try:
        return parse_hetu(value).code
    except HetuError as error:
        raise InvalidInput("hetu", str(error).removeprefix("hetu: ")) from None


def _email(value: str | None) -> str | None:
    email = _text(value, "email", 254, required=False)
    if email is not None and not _EMAIL.match(email):
        raise InvalidInput("email", reason("%(email)s is not an email address", email=repr(email)))
    return email


def check_customer(
    *, name: str, hetu: str, phone: str, email: str | None = None, message: str | None = None
) -> CustomerDetails:
    checked_name = _text(name, "name", MAX_NAME, required=True)
    assert checked_name is not None
    return CustomerDetails(
        name=checked_name,
        hetu=_hetu(hetu),
        phone=phone_e164(phone),
        email=_email(email),
        message=_text(message, "message", MAX_MESSAGE, required=False),
    )


@dataclass(frozen=True)
class CallerDetails:
    name: str
    phone: str
    message: str | None


def check_caller(*, name: str, phone: str, message: str | None = None) -> CallerDetails:
    """A call-back request's fields, held to the same rules as a booking's."""
    checked_name = _text(name, "name", MAX_NAME, required=True)
    assert checked_name is not None
    return CallerDetails(
        name=checked_name,
        phone=phone_e164(phone),
        message=_text(message, "message", MAX_MESSAGE, required=False),
    )


def customer_problems(
    *,
    name: str,
    phone: str,
    hetu: str | None = None,
    email: str | None = None,
    message: str | None = None,
) -> dict[str, str]:
    """Every field that would be refused, with its reason, so a form can say all at once.
    A henkilötunnus of None is not asked for (a call-back needs none)."""
    checks: dict[str, Callable[[], object]] = {
        "name": lambda: _text(name, "name", MAX_NAME, required=True),
        "hetu": lambda: hetu is None or _hetu(hetu),
        "phone": lambda: phone_e164(phone),
        "email": lambda: _email(email),
        "message": lambda: _text(message, "message", MAX_MESSAGE, required=False),
    }
    problems = {}
    for field, check in checks.items():
        try:
            check()
        except InvalidInput as error:
            problems[field] = error.reason
    return problems
