"""The manager's absences page: record an expert's absence, see the bookings it (or a
changed shift or skill) leaves unserved, and hand them to colleagues free at their time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.auth.service import Principal
from kanava.booking import absences, conflicts
from kanava.booking import availability as av
from kanava.booking.models import Expert
from kanava.booking.schemas import AbsenceCreate
from kanava.deps import NowDep, WriteSessionDep
from kanava.errors import InvalidInput
from kanava.timeparse import parse_date
from kanava.web.auth_pages import PagePrincipal
from kanava.web.context import LangDep, gettext, topic_choices
from kanava.web.messages import kind_short
from kanava.web.render import render
from kanava.web.security import check_csrf

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form(max_length=400)]
DAYS = 14  # the page looks two weeks ahead
EMPTY = {"expert": "", "first_day": "", "last_day": "", "reason": ""}


def reason_names(_: Callable[[str], str]) -> dict[str, str]:
    return {
        conflicts.ABSENT: _("Absent"),
        conflicts.NOT_WORKING: _("Not working at that time"),
        conflicts.NOT_QUALIFIED: _("No longer serves this matter or language"),
        conflicts.PLACE_CLOSED: _("The place is closed"),
    }


def _form_day(text: str) -> date | None:
    try:
        return parse_date(text)
    except InvalidInput:
        return None


def _absence_errors(
    session: Session, lang: str, values: dict[str, str]
) -> tuple[AbsenceCreate | None, dict[str, str]]:
    """The form as an absence, or the problems in the page's language, field by field."""
    _ = gettext(lang)
    errors: dict[str, str] = {}
    if session.get(Expert, values["expert"]) is None:
        errors["expert"] = _("Choose the expert.")
    first = _form_day(values["first_day"])
    if first is None:
        errors["first_day"] = _("Give the first day as a date.")
    last = _form_day(values["last_day"]) if values["last_day"] else first
    if last is None:
        errors["last_day"] = _("Give the last day as a date, or leave it empty.")
    elif first is not None and last < first:
        errors["last_day"] = _("The last day cannot be before the first.")
    if len(values["reason"]) > 200:
        errors["reason"] = _("Write the reason in at most 200 characters.")
    if errors or first is None:
        return None, errors
    absence = AbsenceCreate(
        expert=values["expert"], first_day=first, last_day=last, reason=values["reason"] or None
    )
    return absence, {}


def _page(
    request: Request,
    lang: str,
    session: Session,
    principal: Principal,
    now: datetime,
    values: dict[str, str],
    errors: dict[str, str],
) -> Response:
    today = now.astimezone(av.ZONE).date()
    _ = gettext(lang)
    experts = session.scalars(select(Expert).where(Expert.active.is_(True)).order_by(Expert.id))
    names = {e.id: e.name for e in experts}
    return render(
        request,
        lang,
        "manager_absences.html",
        status_code=422 if errors else 200,
        experts=names,
        conflicts=conflicts.review(
            session=session, viewer=principal, first=today, days=DAYS, now=now
        ),
        absences=absences.list_absences(
            session=session, viewer=principal, first=today, last=today + timedelta(days=DAYS - 1)
        ),
        handed=request.session.pop("handed_over", None),
        recorded=request.session.pop("absence_recorded", None),
        reason_names=reason_names(_),
        kind_names=kind_short(_),
        topic_names=dict(topic_choices(session, lang)),
        values=values,
        errors=errors,
    )


@router.get("/{lang}/manager/absences")
def absences_page(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    principal: PagePrincipal,
    now: NowDep,
) -> Response:
    principal.require("manager")
    return _page(request, lang, session, principal, now, EMPTY, {})


@router.post("/{lang}/manager/absences")
def record_absence(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    principal: PagePrincipal,
    now: NowDep,
    expert: FormText = "",
    first_day: FormText = "",
    last_day: FormText = "",
    reason: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    check_csrf(request, csrf_token)
    principal.require("manager")
    values = {"expert": expert, "first_day": first_day, "last_day": last_day, "reason": reason}
    absence_in, errors = _absence_errors(session, lang, values)
    if absence_in is None:
        return _page(request, lang, session, principal, now, values, errors)
    recorded = absences.record_absence(
        session=session, viewer=principal, absence_in=absence_in, now=now
    )
    request.session["absence_recorded"] = recorded.bookings_to_hand_over or 0
    return RedirectResponse(f"/{lang}/manager/absences", status_code=303)


@router.post("/{lang}/manager/absences/hand-over")
def hand_over(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    principal: PagePrincipal,
    now: NowDep,
    csrf_token: FormText = "",
) -> Response:
    check_csrf(request, csrf_token)
    today = now.astimezone(av.ZONE).date()
    moved = conflicts.review(
        session=session, viewer=principal, first=today, days=DAYS, now=now, hand_over_all=True
    )
    handed = sum(item.handed_over_to is not None for item in moved)
    request.session["handed_over"] = [handed, len(moved) - handed]
    return RedirectResponse(f"/{lang}/manager/absences#to-hand-over", status_code=303)
