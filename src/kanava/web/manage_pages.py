"""The manage page of the confirmation link: a customer views, moves or cancels their
appointment, or takes it to their calendar."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from kanava.booking import service
from kanava.booking.api import calendar_response
from kanava.deps import NowDep, SessionDep, SettingsDep, WriteSessionDep
from kanava.errors import Conflict, KanavaError
from kanava.i18n import LANGUAGES
from kanava.web.booking_pages import (
    WEEKS,
    booking_page,
    own_booking,
    parse_start,
    times_page,
    values_of,
)
from kanava.web.context import LangDep, gettext, lang_of
from kanava.web.flow import flash, remember_token, token_for
from kanava.web.messages import field_errors
from kanava.web.security import check_csrf

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=100)]
FormText = Annotated[str, Form(max_length=5000)]


@router.get("/varaus/{reference}")
def manage_link(
    request: Request, reference: str, token: Text = "", lang: Text = ""
) -> RedirectResponse:
    """The link of the messages, to the manage page in the booking's language (``lang``;
    the remembered language for links without one)."""
    chosen = lang if lang in LANGUAGES else lang_of(request)
    return RedirectResponse(
        f"/{chosen}/manage/{quote(reference)}?" + urlencode({"token": token}),
        status_code=303,
    )


@router.get("/{lang}/manage/{reference}")
def manage(
    request: Request, lang: LangDep, session: SessionDep, reference: str, token: Text = ""
) -> Response:
    if token:
        # Check it, keep it in the session, and take it out of the address bar and history.
        service.get_booking(session=session, reference=reference, token=token)
        remember_token(request, reference.upper(), token)
        return RedirectResponse(f"/{lang}/manage/{reference.upper()}", status_code=303)
    booking = own_booking(request, session, reference)
    return booking_page(request, lang, session, booking, "manage.html")


@router.get("/{lang}/manage/{reference}/move")
def manage_move(
    request: Request,
    lang: LangDep,
    session: SessionDep,
    now: NowDep,
    reference: str,
    week: Annotated[int, Query(ge=0, le=WEEKS)] = 0,
) -> Response:
    booking = own_booking(request, session, reference)
    _ = gettext(lang)
    return times_page(
        request,
        lang,
        session,
        values_of(booking),
        week,
        now,
        action=f"/{lang}/manage/{booking.reference}/move",
        method="post",
        pager_base=f"/{lang}/manage/{booking.reference}/move?",
        heading=_("Choose a new time"),
    )


@router.post("/{lang}/manage/{reference}/move")
def manage_move_send(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    settings: SettingsDep,
    now: NowDep,
    reference: str,
    start: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    check_csrf(request, csrf_token)
    booking = own_booking(request, session, reference)
    _ = gettext(lang)
    moment = parse_start(start)
    common: dict[str, Any] = {
        "action": f"/{lang}/manage/{booking.reference}/move",
        "method": "post",
        "pager_base": f"/{lang}/manage/{booking.reference}/move?",
        "heading": _("Choose a new time"),
    }
    if moment is None:
        return times_page(
            request, lang, session, values_of(booking), 0, now,
            errors={"start": field_errors(_)["start"]}, status_code=422, **common,
        )  # fmt: skip
    try:
        service.reschedule_booking(
            session=session,
            reference=booking.reference,
            token=token_for(request, reference),
            new_start=moment,
            settings=settings,
            now=now,
        )
    except KanavaError as error:
        notice = (
            _("Sorry, that time was just booked by someone else. Your booking was not moved.")
            if isinstance(error, Conflict)
            else None
        )
        return times_page(
            request, lang, session, values_of(booking), 0, now, notice=notice,
            errors={} if notice else {"start": field_errors(_)["start"]},
            status_code=error.status, **common,
        )  # fmt: skip
    flash(request, "moved")
    return RedirectResponse(f"/{lang}/manage/{booking.reference}", status_code=303)


@router.get("/{lang}/manage/{reference}/cancel")
def manage_cancel(request: Request, lang: LangDep, session: SessionDep, reference: str) -> Response:
    booking = own_booking(request, session, reference)
    return booking_page(request, lang, session, booking, "manage_cancel.html")


@router.post("/{lang}/manage/{reference}/cancel")
def manage_cancel_send(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    settings: SettingsDep,
    now: NowDep,
    reference: str,
    csrf_token: FormText = "",
) -> Response:
    check_csrf(request, csrf_token)
    service.cancel_booking(
        session=session,
        reference=reference,
        token=token_for(request, reference),
        settings=settings,
        now=now,
    )
    flash(request, "cancelled")
    return RedirectResponse(f"/{lang}/manage/{reference.upper()}", status_code=303)


@router.get("/{lang}/manage/{reference}/calendar.ics")
def manage_calendar(
    request: Request, lang: LangDep, session: SessionDep, now: NowDep, reference: str
) -> Response:
    text = service.calendar_file(
        session=session, reference=reference, token=token_for(request, reference), now=now
    )
    return calendar_response(text, reference.upper())
