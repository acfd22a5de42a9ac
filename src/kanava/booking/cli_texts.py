"""Names the booking commands print, in the CLI's language."""

from __future__ import annotations

from kanava.cli_support import _


def appointment_kind_names() -> dict[str, str]:
    return {"phone": _("phone appointment"), "service_point": _("at a service point"),
            "video": _("video appointment")}  # fmt: skip


def booking_status_names() -> dict[str, str]:
    return {"booked": _("booked"), "cancelled": _("cancelled"), "held": _("held"),
            "completed": _("completed"), "no_show": _("no-show")}  # fmt: skip


def language_names() -> dict[str, str]:
    return {"fi": _("Finnish"), "sv": _("Swedish"), "en": _("English")}


def callback_status_names() -> dict[str, str]:
    return {"waiting": _("waiting"), "in_progress": _("being called"), "done": _("done"),
            "failed": _("not reached"), "cancelled": _("cancelled")}  # fmt: skip
