"""Texts the page handlers show, in the page's language: form errors per field, and names
of kinds and statuses. Written as ``_("…")`` calls so Babel extracts them."""

from __future__ import annotations

from kanava.web.context import Gettext


def field_errors(_: Gettext) -> dict[str, str]:
    """What to tell a customer about each field, whatever the precise reason was."""
    return {
        "topic": _("Choose your matter."),
        "place": _("We could not find this municipality or postal code. Check the spelling."),
        "kind": _("Choose how you want to be served."),
        "lang": _("Choose the language of the appointment."),
        "service_lang": _("Choose the language of the appointment."),
        "start": _("Choose a time."),
        "name": _("Enter your name, at most 200 characters."),
        "hetu": _("Enter your personal identity code in the form 131052-308T."),
        "phone": _("Enter a phone number we can call, for example 040 123 4567."),
        "email": _("Enter an email address in the form name@example.fi, or leave it empty."),
        "message": _("Write at most 1,000 characters, without control characters."),
        "window_id": _("Choose a time window for the call."),
        "username": _("Enter your user name."),
        "password": _("The user name or password is wrong."),
        "too_many_attempts": _("Too many failed sign-ins. Wait a moment and try again."),
        "outcome": _("Choose the outcome."),
        "note": _("Write at most 2,000 characters."),
        "csrf_token": _("The form had expired. Please send it again."),
    }


def kind_names(_: Gettext) -> dict[str, str]:
    return {
        "phone": _("Phone appointment: we call you at the agreed time"),
        "service_point": _("Appointment at a service point"),
        "video": _("Video appointment at a joint service point near you"),
    }


def kind_short(_: Gettext) -> dict[str, str]:
    return {
        "phone": _("Phone appointment"),
        "service_point": _("Service point appointment"),
        "video": _("Video appointment"),
    }


def status_names(_: Gettext) -> dict[str, str]:
    return {
        "held": _("Waiting for your confirmation"),
        "booked": _("Booked"),
        "cancelled": _("Cancelled"),
        "completed": _("Completed"),
        "no_show": _("Did not come"),
        "expired": _("Expired"),
        "waiting": _("Waiting"),
        "in_progress": _("In progress"),
        "done": _("Done"),
        "failed": _("Not reached"),
    }


def section_names(_: Gettext) -> dict[str, str]:
    return {
        "online": _("Online"),
        "phone": _("By phone"),
        "booking": _("Book an appointment"),
        "service_points": _("Nearest service points"),
        "asiointipisteet": _("Nearest joint service points"),
        "post": _("By post and with forms"),
    }


def service_language_names(_: Gettext) -> list[tuple[str, str]]:
    return [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]


def provenance_names(_: Gettext) -> dict[str, str]:
    """Where a record comes from, as a reader of the brief or a table would say it."""
    return {
        "seed": _("Kela's presentation of March 2025"),
        "public_source": _("a public source named in the record"),
        "ptv": _("the Suomi.fi service catalogue (PTV)"),
        "user": _("data entered by the unit"),
        "illustrative": _("illustrative, not Kela's"),
        "synthetic": _("synthetic"),
    }
