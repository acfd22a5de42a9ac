"""The manager's corrections page: exception days of any channel, a point's address, hours
and status, and the record of every correction. The rules live in
`kanava.catalogue.corrections`; the page only reads the form and names what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.catalogue.corrections import add_exception, correct_channel, corrections
from kanava.catalogue.enums import ChannelKind
from kanava.catalogue.models import Channel
from kanava.deps import NowDep, WriteSessionDep
from kanava.errors import KanavaError, reason_in
from kanava.i18n import pick_lang
from kanava.timeparse import parse_date
from kanava.web.auth_pages import PagePrincipal
from kanava.web.context import LangDep, gettext
from kanava.web.render import render
from kanava.web.security import check_csrf

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form(max_length=400)]
EXCEPTION_FIELDS = ("channel", "first_day", "last_day", "open_hours")
POINT_FIELDS = ("point", "street_address", "postal_code", "post_office", "hours", "status",
                "status_date")  # fmt: skip


def field_messages(_: Callable[[str], str]) -> dict[str, str]:
    """What to say about each field, in the page's language."""
    return {
        "channel": _("Choose the channel."),
        "point": _("Choose the point."),
        "first_day": _("Give the first day as a date."),
        "last_day": _("Give the last day as a date, on or after the first, or leave it empty."),
        "to": _("Give the last day as a date, on or after the first, or leave it empty."),
        "open_hours": _("Give the hours like 9.00-12.00, or leave empty for closed."),
        "hours": _('Give the hours like "Mo-Fr 9.00-16.00".'),
        "postal_code": _("Give the postal code as five digits."),
        "status": _("Choose the status."),
        "status_date": _("Give the date the status holds from."),
        "changes": _("Change at least one field."),
    }


def shown_value(field: str, value: str | None, _: Callable[[str], str]) -> str:
    """A recorded value as a reader reads it: dates the Finnish way, statuses in words."""
    if value is None:
        return "–"
    statuses = {"active": _("In service"), "closed": _("Closed"),
                "replaced": _("Replaced by other services")}  # fmt: skip
    if field == "status":
        return statuses.get(value, value)
    if field == "status_date":
        return _finnish(value)
    if field == "exception":
        days, _sep, hours = value.partition(" ")
        first, _dots, last = days.partition("..")
        span = _finnish(first) if first == last else f"{_finnish(first)}–{_finnish(last)}"
        closed = _("closed")
        return f"{span} {closed if hours == 'closed' else hours}"
    return value


def _finnish(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(day)}.{int(month)}.{year}"


def _channels(session: Session, lang: str, physical: bool) -> dict[str, str]:
    query = select(Channel).order_by(Channel.name_fi)
    if physical:
        query = query.where(Channel.kind.in_([k.value for k in ChannelKind.physical()]))
    return {c.id: pick_lang(c, "name", lang) or c.id for c in session.scalars(query)}


def _page(
    request: Request, lang: str, session: Session, values: dict[str, str],
    errors: dict[str, str], status_code: int = 200,
) -> Response:  # fmt: skip
    return render(
        request, lang, "manager_corrections.html", status_code=status_code,
        channels=_channels(session, lang, physical=False),
        points=_channels(session, lang, physical=True),
        recorded=[
            (r, shown_value(r.field, r.old_value, gettext(lang)),
             shown_value(r.field, r.new_value, gettext(lang)))
            for r in corrections(session=session)[:50]
        ],
        saved=request.session.pop("correction_saved", None),
        values={name: values.get(name, "") for name in (*EXCEPTION_FIELDS, *POINT_FIELDS)},
        errors=errors,
    )  # fmt: skip


def _refused(request: Request, lang: str, session: Session, values: dict[str, str],
             error: KanavaError, own: dict[str, str]) -> Response:  # fmt: skip
    """The form again with the field named, nothing stored (the transaction rolls back)."""
    session.rollback()
    messages = field_messages(gettext(lang))
    field = own.get(error.field, error.field)
    message = messages.get(field, reason_in(error, gettext(lang)))
    return _page(request, lang, session, values, {field: message}, 422)


@router.get("/{lang}/manager/corrections")
def corrections_page(
    request: Request, lang: LangDep, session: WriteSessionDep, principal: PagePrincipal
) -> Response:
    principal.require("manager")
    return _page(request, lang, session, {}, {})


@router.post("/{lang}/manager/corrections/exception")
def record_exception(
    request: Request, lang: LangDep, session: WriteSessionDep, principal: PagePrincipal,
    now: NowDep, channel: FormText = "", first_day: FormText = "", last_day: FormText = "",
    open_hours: FormText = "", csrf_token: FormText = "",
) -> Response:  # fmt: skip
    check_csrf(request, csrf_token)
    principal.require("manager")
    values = {"channel": channel, "first_day": first_day, "last_day": last_day,
              "open_hours": open_hours}  # fmt: skip
    try:
        first = parse_date(first_day, "first_day")
        last = parse_date(last_day, "last_day") if last_day.strip() else first
        add_exception(session=session, channel_id=channel, first=first, last=last,
                      hours=open_hours or None, by=principal.username, now=now)  # fmt: skip
    except KanavaError as error:
        own = {"hours": "open_hours", "to": "last_day"}
        return _refused(request, lang, session, values, error, own)
    request.session["correction_saved"] = True
    return RedirectResponse(f"/{lang}/manager/corrections#recorded", status_code=303)


@router.post("/{lang}/manager/corrections/point")
def correct_point(
    request: Request, lang: LangDep, session: WriteSessionDep, principal: PagePrincipal,
    now: NowDep, point: FormText = "", street_address: FormText = "", postal_code: FormText = "",
    post_office: FormText = "", hours: FormText = "", status: FormText = "",
    status_date: FormText = "", csrf_token: FormText = "",
) -> Response:  # fmt: skip
    check_csrf(request, csrf_token)
    principal.require("manager")
    values = {"point": point, "street_address": street_address, "postal_code": postal_code,
              "post_office": post_office, "hours": hours, "status": status,
              "status_date": status_date}  # fmt: skip
    changes: dict[str, str | None] = {
        name: value for name, value in values.items() if name != "point" and value.strip()
    }
    try:
        if status_date.strip():
            changes["status_date"] = parse_date(status_date, "status_date").isoformat()
        correct_channel(session=session, channel_id=point, changes=changes,
                        by=principal.username, now=now)  # fmt: skip
    except KanavaError as error:
        own = {"channel": "point", "field": "point"}
        return _refused(request, lang, session, values, error, own)
    request.session["correction_saved"] = True
    return RedirectResponse(f"/{lang}/manager/corrections#recorded", status_code=303)
