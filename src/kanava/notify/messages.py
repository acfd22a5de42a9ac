"""Texts of booking notifications in the customer's language (fi, sv, en). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from kanava.i18n import BABEL_LOCALES

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
    return format_datetime(
        local,
        "EEEE d.M.yyyy 'klo' H.mm"
        if lang == "fi"
        else ("EEEE d.M.yyyy 'kl.' H.mm" if lang == "sv" else "EEEE d MMMM yyyy 'at' H:mm"),
        locale=BABEL_LOCALES[lang],
    )


def render(purpose: str, facts: BookingFacts) -> Texts:
    """Subject, SMS and email body for one purpose, in the booking's language."""
    lang = facts.lang
    subject = _HEADLINE[purpose][lang].format(kind=_KIND[facts.kind][lang])
    lines = [subject, f"{_WHEN[lang]}: {when_text(facts.start, lang)}"]
    if facts.kind == "phone":
        lines.append(_PHONE_NOTE[lang].format(phone=facts.phone))
    elif facts.place:
        lines.append(f"{_WHERE[lang]}: {facts.place}")
    lines.append(f"{_REFERENCE[lang]}: {facts.reference}")
    if purpose != "cancellation":
        lines.append(_MANAGE[lang].format(link=facts.manage_link))
    email = "\n".join(lines) + "\n"
    return Texts(subject=subject, sms=" ".join(lines[1:]), email=email)
