"""Texts of booking notifications in the customer's language (fi, sv, en). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import phonenumbers
from babel.dates import format_datetime

from kanava.i18n import BABEL_LOCALES
from kanava.i18n.formats import WHEN

HELSINKI = ZoneInfo("Europe/Helsinki")
PURPOSES = ("confirmation", "reminder", "change", "cancellation")

_KIND = {
    "phone": {"fi": "puhelinaika", "sv": "telefontid", "en": "phone appointment"},
    "service_point": {
        "fi": "aika palvelupisteeseen",
        "sv": "tid till servicestället",
        "en": "service point appointment",
    },
    "video": {"fi": "videoaika", "sv": "videotid", "en": "video appointment"},
}
_HEADLINE = {
    "confirmation": {
        "fi": "Kela: {kind} on varattu",
        "sv": "FPA: din {kind} är bokad",
        "en": "Kela: your {kind} is booked",
    },
    "reminder": {
        "fi": "Kela muistuttaa: {kind} huomenna",
        "sv": "FPA påminner: {kind} i morgon",
        "en": "Kela reminder: your {kind} is tomorrow",
    },
    "change": {
        "fi": "Kela: {kind} on siirretty",
        "sv": "FPA: din {kind} har flyttats",
        "en": "Kela: your {kind} has been moved",
    },
    "cancellation": {
        "fi": "Kela: {kind} on peruttu",
        "sv": "FPA: din {kind} har avbokats",
        "en": "Kela: your {kind} has been cancelled",
    },
}
_WHEN = {"fi": "Aika", "sv": "Tid", "en": "Time"}
_WHERE = {"fi": "Paikka", "sv": "Plats", "en": "Place"}
_PHONE_NOTE = {
    "fi": "Kela soittaa sinulle numeroon {phone}.",
    "sv": "FPA ringer dig på numret {phone}.",
    "en": "Kela will call you at {phone}.",
}
_NO_CALL = {
    "fi": "Kela ei soita sinulle tähän aikaan.",
    "sv": "FPA ringer dig inte vid den här tiden.",
    "en": "Kela will not call you at this time.",
}
_NO_VISIT = {
    "fi": "Aikaa ei enää ole varattu sinulle.",
    "sv": "Tiden är inte längre bokad för dig.",
    "en": "The time is no longer booked for you.",
}
_BOOK_AGAIN = {
    "fi": "Uuden ajan voit varata osoitteessa kela.fi/varaa-aika.",
    "sv": "En ny tid kan du boka på kela.fi/varaa-aika.",
    "en": "You can book a new time at kela.fi/varaa-aika.",
}
_REFERENCE = {"fi": "Varaustunnus", "sv": "Bokningskod", "en": "Reference"}
_MANAGE = {
    "fi": "Siirrä tai peru: {link}",
    "sv": "Flytta eller avboka: {link}",
    "en": "Move or cancel: {link}",
}


@dataclass(frozen=True)
class BookingFacts:
    """What a notification says about a booking."""

    reference: str
    kind: str
    lang: str
    start: datetime
    place: str | None
    phone: str
    manage_link: str


@dataclass(frozen=True)
class Texts:
    subject: str
    sms: str
    email: str


@lru_cache(maxsize=4096)
def when_text(moment: datetime, lang: str) -> str:
    """A local date and time as people of the language write it (kept: bookings share
    their times, and Babel's formatting costs more than the rest of a message)."""
    local = moment.astimezone(HELSINKI)
    return format_datetime(local, WHEN[lang], locale=BABEL_LOCALES[lang])


def national(phone: str) -> str:
    """+358401234567 as a Finn reads it: 040 1234567."""
    try:
        parsed = phonenumbers.parse(phone, "FI")
    except phonenumbers.NumberParseException:
        return phone
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


def phone_note(lang: str, phone: str) -> str:
    return _PHONE_NOTE[lang].format(phone=national(phone))


def render(purpose: str, facts: BookingFacts) -> Texts:
    """Subject, SMS and email body for one purpose, in the booking's language; each says
    first what happened (booked, moved, cancelled, tomorrow), and a cancelled phone time
    says Kela will not call."""
    lang = facts.lang
    subject = _HEADLINE[purpose][lang].format(kind=_KIND[facts.kind][lang])
    lines = [subject + ".", f"{_WHEN[lang]}: {when_text(facts.start, lang)}."]
    cancelled = purpose == "cancellation"
    if cancelled:
        lines.append((_NO_CALL if facts.kind == "phone" else _NO_VISIT)[lang])
    elif facts.kind == "phone":
        lines.append(phone_note(lang, facts.phone))
    elif facts.place:
        lines.append(f"{_WHERE[lang]}: {facts.place}.")
    lines.append(f"{_REFERENCE[lang]}: {facts.reference}.")
    lines.append(_BOOK_AGAIN[lang] if cancelled else _MANAGE[lang].format(link=facts.manage_link))
    return Texts(subject=subject, sms=" ".join(lines), email="\n".join(lines) + "\n")
