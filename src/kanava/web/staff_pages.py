"""The expert's day: appointments, call-backs to make, and the outcome of each contact."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from kanava.booking import availability as av
from kanava.booking import callbacks, service
from kanava.deps import NowDep, WriteSessionDep
from kanava.errors import InvalidInput, reason
from kanava.timeparse import parse_date
from kanava.web.auth_pages import PagePrincipal
from kanava.web.context import LangDep, gettext, topic_choices
from kanava.web.flow import flash
from kanava.web.messages import kind_short, status_names
from kanava.web.render import render
from kanava.web.security import check_csrf

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form(max_length=5000)]
OUTCOMES = ("completed", "no_show")
ATTEMPT_OUTCOMES = ("reached", "no_answer", "wrong_number")


def _day(text: str, now: datetime) -> date:
    if not text:
        return now.astimezone(av.ZONE).date()
    return parse_date(text, "day")


@router.get("/{lang}/staff")
def staff_day(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    principal: PagePrincipal,
    now: NowDep,
    day: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    principal.require("staff", "manager")
    shown = _day(day, now)
    moment = datetime.combine(shown, time(12), tzinfo=av.ZONE)
    bookings = service.agenda(
        session=session, viewer=principal, expert_id=None, day=moment, now=now
    )
    is_staff = principal.role == "staff"
    _ = gettext(lang)
    return render(
        request,
        lang,
        "staff_day.html",
        shown=shown,
        previous_day=shown - timedelta(days=1),
        next_day=shown + timedelta(days=1),
        bookings=bookings,
        taken=callbacks.taken_by_me(session=session, viewer=principal, now=now) if is_staff else [],
        waiting=callbacks.waiting_count(session=session, viewer=principal, now=now)
        if is_staff
        else 0,
        is_staff=is_staff,
        kind_names=kind_short(_),
        status_names=status_names(_),
        topic_names=dict(topic_choices(session, lang)),
    )


@router.post("/{lang}/staff/callbacks/next")
def take_next(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    principal: PagePrincipal,
    now: NowDep,
    csrf_token: FormText = "",
) -> Response:
    check_csrf(request, csrf_token)
    taken = callbacks.take_next(session=session, viewer=principal, now=now)
    flash(request, "callback_taken" if taken else "no_callbacks")
    return RedirectResponse(f"/{lang}/staff#callbacks", status_code=303)


@router.post("/{lang}/staff/callbacks/{request_id}")
def callback_attempt(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    principal: PagePrincipal,
    now: NowDep,
    request_id: int,
    outcome: FormText = "",
    note: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    check_csrf(request, csrf_token)
    if outcome not in ATTEMPT_OUTCOMES:
        raise InvalidInput(
            "outcome", reason("must be one of %(join)s", join=", ".join(ATTEMPT_OUTCOMES))
        )
    callbacks.record_attempt(
        session=session,
        viewer=principal,
        request_id=request_id,
        outcome=outcome,
        note=note[:2000] or None,
        now=now,
    )
    flash(request, "attempt_saved")
    return RedirectResponse(f"/{lang}/staff#callbacks", status_code=303)


@router.get("/{lang}/staff/booking/{booking_id}")
def staff_booking(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    principal: PagePrincipal,
    now: NowDep,
    booking_id: int,
) -> Response:
    principal.require("staff", "manager")
    booking = service.staff_booking(
        session=session, viewer=principal, booking_id=booking_id, now=now
    )
    _ = gettext(lang)
    return render(
        request,
        lang,
        "staff_booking.html",
        booking=booking,
        can_record=booking.status == "booked" and booking.start <= now,
        kind_name=kind_short(_)[booking.kind],
        status_names=status_names(_),
        topic_name=dict(topic_choices(session, lang)).get(booking.topic, booking.topic),
        values={},
        errors={},
    )


@router.post("/{lang}/staff/booking/{booking_id}")
def staff_outcome(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    principal: PagePrincipal,
    now: NowDep,
    booking_id: int,
    outcome: FormText = "",
    note: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    check_csrf(request, csrf_token)
    if outcome not in OUTCOMES:
        raise InvalidInput("outcome", reason("must be one of %(join)s", join=", ".join(OUTCOMES)))
    service.record_outcome(
        session=session,
        viewer=principal,
        booking_id=booking_id,
        status=outcome,
        note=note[:2000] or None,
        now=now,
    )
    flash(request, "outcome_saved")
    return RedirectResponse(f"/{lang}/staff/booking/{booking_id}", status_code=303)
