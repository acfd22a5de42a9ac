"""Joint service point staff: Kela's services at their point, the day's video appointments
in their rooms, and booking a video appointment for a customer who is present."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.auth.service import Principal
from kanava.booking import availability as av
from kanava.booking import service
from kanava.booking.enums import AppointmentKind
from kanava.booking.models import Room
from kanava.catalogue.models import Channel
from kanava.catalogue.service import channel_hours
from kanava.deps import NowDep, SettingsDep, WriteSessionDep
from kanava.errors import KanavaError, NotFound
from kanava.hours.describe import describe_week
from kanava.web.auth_pages import PagePrincipal
from kanava.web.booking_pages import (
    WEEKS,
    booking_errors,
    booking_request,
    choice_errors,
    customer_form_errors,
    customer_values,
    details_page,
    parse_start,
    times_page,
)
from kanava.web.context import LangDep, gettext, topic_choices
from kanava.web.flow import flash, new_nonce
from kanava.web.messages import service_language_names, status_names
from kanava.web.render import render
from kanava.web.security import check_csrf

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=100)]
FormText = Annotated[str, Form(max_length=5000)]


def _point(session: Session, principal: Principal) -> Channel:
    principal.require("partner")
    point = session.get(Channel, principal.partner_channel_id or "")
    if point is None:
        raise NotFound("partner_channel_id", principal.partner_channel_id or "")
    return point


@router.get("/{lang}/partner")
def partner_home(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    principal: PagePrincipal,
    now: NowDep,
) -> Response:
    point = _point(session, principal)
    today = now.astimezone(av.ZONE).date()
    rooms = session.scalars(select(Room).where(Room.channel_id == point.id)).all()
    bookings = service.agenda(
        session=session,
        viewer=principal,
        expert_id=None,
        day=datetime.combine(today, time(12), tzinfo=av.ZONE),
        now=now,
    )
    hours = channel_hours(session=session, channel_id=point.id, first=today, days=1, lang=lang)
    return render(
        request,
        lang,
        "partner.html",
        point=point,
        point_hours=hours.hours_text,
        rooms=[(room, describe_week(av.room_schedule(room.hours), today, lang)) for room in rooms],
        booked=request.session.pop("partner_booked", None),
        bookings=bookings,
        today=today,
        status_names=status_names(gettext(lang)),
        topic_names=dict(topic_choices(session, lang)),
    )


@router.get("/{lang}/partner/book")
def partner_book(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    principal: PagePrincipal,
    now: NowDep,
    topic: Text = "",
    service_lang: Text = "",
    week: Annotated[int, Query(ge=0, le=WEEKS)] = 0,
) -> Response:
    point = _point(session, principal)
    values = {
        "topic": topic,
        "kind": AppointmentKind.VIDEO.value,
        "service_lang": service_lang,
        "place": point.id,
    }
    errors = choice_errors(session, lang, values) if topic or service_lang else {}
    if not topic or not service_lang or errors:
        _ = gettext(lang)
        return render(
            request,
            lang,
            "partner_book.html",
            status_code=422 if errors else 200,
            point=point,
            topics=topic_choices(session, lang),
            service_languages=service_language_names(_),
            values={**values, "service_lang": service_lang or lang},
            errors=errors,
        )
    return times_page(
        request,
        lang,
        session,
        values,
        week,
        now,
        action=f"/{lang}/partner/book/details",
        pager_base=f"/{lang}/partner/book?topic={topic}&service_lang={service_lang}",
    )


@router.get("/{lang}/partner/book/details")
def partner_details(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    principal: PagePrincipal,
    topic: Text = "",
    service_lang: Text = "",
    start: Text = "",
) -> Response:
    point = _point(session, principal)
    values = customer_values(topic, "video", service_lang, point.id, start, new_nonce())
    moment = parse_start(start)
    if choice_errors(session, lang, values) or moment is None:
        return RedirectResponse(f"/{lang}/partner/book", status_code=303)
    return details_page(
        request, lang, session, values, moment, {}, action=f"/{lang}/partner/book/details"
    )


@router.post("/{lang}/partner/book/details")
def partner_details_send(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    settings: SettingsDep,
    principal: PagePrincipal,
    now: NowDep,
    topic: FormText = "",
    service_lang: FormText = "",
    start: FormText = "",
    nonce: FormText = "",
    name: FormText = "",
    hetu: FormText = "",
    phone: FormText = "",
    email: FormText = "",
    message: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    check_csrf(request, csrf_token)
    point = _point(session, principal)
    values = customer_values(
        topic, "video", service_lang, point.id, start, nonce,
        name=name, hetu=hetu, phone=phone, email=email, message=message,
    )  # fmt: skip
    moment = parse_start(start)
    if choice_errors(session, lang, values) or moment is None:
        return RedirectResponse(f"/{lang}/partner/book", status_code=303)
    if problems := customer_form_errors(lang, values):
        return details_page(
            request, lang, session, values, moment, problems, action=f"/{lang}/partner/book/details"
        )
    try:
        created = service.create_booking(
            session=session,
            request_in=booking_request(values, moment, hold=False),
            settings=settings,
            now=now,
            booked_by=principal.username,
        )
    except KanavaError as error:
        return booking_errors(
            request,
            lang,
            session,
            values,
            now,
            error,
            action=f"/{lang}/partner/book/details",
            pager_base=f"/{lang}/partner/book?topic={topic}&service_lang={service_lang}",
        )
    request.session["partner_booked"] = {
        "reference": created.booking.reference,
        "start": created.booking.start.isoformat(),
    }
    flash(request, "partner_booked")
    return RedirectResponse(f"/{lang}/partner", status_code=303)
