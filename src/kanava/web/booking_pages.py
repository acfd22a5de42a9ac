"""The booking flow (matter and kind → place → time → details → check → confirmation),
and the manage page where a customer moves or cancels with their link."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kanava.booking import availability as av
from kanava.booking import service
from kanava.booking.customer import customer_problems
from kanava.booking.enums import AppointmentKind
from kanava.booking.schemas import BookingCreate, BookingRead, SlotSearchRead
from kanava.catalogue.models import Channel
from kanava.deps import NowDep, SessionDep, SettingsDep, WriteSessionDep
from kanava.errors import Conflict, InvalidInput, KanavaError
from kanava.i18n import LANGUAGES
from kanava.timeparse import parse_instant
from kanava.web.context import LangDep, gettext, topic_choices
from kanava.web.flow import new_nonce, remember_token, token_for
from kanava.web.messages import (
    field_errors,
    kind_names,
    kind_short,
    service_language_names,
    status_names,
)
from kanava.web.render import render
from kanava.web.security import check_csrf

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=100)]
FormText = Annotated[str, Form(max_length=5000)]
WEEKS = 6


# Choosing what, how and where -------------------------------------------------------


def choice_errors(session: Session, lang: str, values: dict[str, str]) -> dict[str, str]:
    """Which of matter, kind and language are missing or unknown."""
    messages = field_errors(gettext(lang))
    errors = {}
    if values["topic"] not in {t for t, _ in topic_choices(session, lang)}:
        errors["topic"] = messages["topic"]
    if values["kind"] not in {k.value for k in AppointmentKind}:
        errors["kind"] = messages["kind"]
    if values["service_lang"] not in LANGUAGES:
        errors["service_lang"] = messages["service_lang"]
    return errors


def _start_page(
    request: Request, lang: str, session: Session, values: dict[str, str], errors: dict[str, str]
) -> Response:
    _ = gettext(lang)
    return render(
        request,
        lang,
        "book_start.html",
        status_code=422 if errors else 200,
        topics=topic_choices(session, lang),
        kinds=list(kind_names(_).items()),
        service_languages=service_language_names(_),
        values=values,
        errors=errors,
    )


@router.get("/{lang}/book")
def book_start(
    request: Request,
    lang: LangDep,
    session: SessionDep,
    topic: Text = "",
    kind: Text = "",
    service_lang: Text = "",
) -> Response:
    values = {"topic": topic, "kind": kind, "service_lang": service_lang or lang}
    return _start_page(request, lang, session, values, {})


@router.get("/{lang}/book/place")
def book_place(
    request: Request,
    lang: LangDep,
    session: SessionDep,
    now: NowDep,
    topic: Text = "",
    kind: Text = "",
    service_lang: Text = "",
    place: Text = "",
) -> Response:
    values = {"topic": topic, "kind": kind, "service_lang": service_lang, "place": place}
    errors = choice_errors(session, lang, values)
    if errors:
        return _start_page(request, lang, session, values, errors)
    if kind == AppointmentKind.PHONE.value:
        return RedirectResponse(times_url(lang, values), status_code=303)
    today = now.astimezone(av.ZONE).date()
    places = [
        (place, av.last_day_served(place))
        for place in av.bookable_places(session, AppointmentKind(kind), today)
    ]
    return render(
        request,
        lang,
        "book_place.html",
        values=values,
        places=places,
        kind_name=kind_short(gettext(lang))[kind],
        errors={},
    )


def times_url(lang: str, values: dict[str, str]) -> str:
    query = urlencode({k: values.get(k, "") for k in ("topic", "kind", "service_lang", "place")})
    return f"/{lang}/book/times?{query}"


# Times -------------------------------------------------------------------------------


def _offers_by_day(result: SlotSearchRead) -> list[tuple[date, list[datetime]]]:
    days: dict[date, list[datetime]] = defaultdict(list)
    for offer in result.offers:
        days[offer.start.date()].append(offer.start)
    return sorted(days.items())


def _search(
    session: Session, values: dict[str, str], week: int, now: datetime
) -> tuple[SlotSearchRead, date]:
    """One week of free times from the first bookable day, ``week`` weeks on."""
    first_try = service.search_slots(
        session=session,
        topic=values["topic"],
        lang=values["service_lang"],
        kind=values["kind"],
        place=values["place"] or None,
        first=None,
        days=1,
        now=now,
    )
    first_day = first_try.earliest.date() + timedelta(days=7 * week)
    result = service.search_slots(
        session=session,
        topic=values["topic"],
        lang=values["service_lang"],
        kind=values["kind"],
        place=values["place"] or None,
        first=datetime.combine(first_day, time(0), tzinfo=av.ZONE),
        days=7,
        now=now,
    )
    return result, first_day


def times_page(
    request: Request,
    lang: str,
    session: Session,
    values: dict[str, str],
    week: int,
    now: datetime,
    *,
    action: str,
    method: str = "get",
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    pager_base: str,
    heading: str | None = None,
    status_code: int = 200,
) -> Response:
    """The free times of a week as radio buttons grouped by day, with week paging."""
    result, first_day = _search(session, values, week, now)
    return render(
        request,
        lang,
        "book_times.html",
        status_code=status_code,
        values=values,
        days=_offers_by_day(result),
        first_day=first_day,
        last_day=first_day + timedelta(days=6),
        week=week,
        weeks=WEEKS,
        duration=result.duration_min,
        action=action,
        method=method,
        notice=notice,
        errors=errors or {},
        pager_base=pager_base,
        heading=heading,
        kind_name=kind_short(gettext(lang))[values["kind"]],
    )


@router.get("/{lang}/book/times")
def book_times(
    request: Request,
    lang: LangDep,
    session: SessionDep,
    now: NowDep,
    topic: Text = "",
    kind: Text = "",
    service_lang: Text = "",
    place: Text = "",
    week: Annotated[int, Query(ge=0, le=WEEKS)] = 0,
) -> Response:
    values = {"topic": topic, "kind": kind, "service_lang": service_lang, "place": place}
    errors = choice_errors(session, lang, values)
    if errors:
        return _start_page(request, lang, session, values, errors)
    if kind != AppointmentKind.PHONE.value and not place:
        return RedirectResponse(
            f"/{lang}/book/place?" + urlencode(values),
            status_code=303,
        )
    return times_page(
        request,
        lang,
        session,
        values,
        week,
        now,
        action=f"/{lang}/book/details",
        pager_base=times_url(lang, values),
    )


# Details, check, confirmation --------------------------------------------------------


@router.get("/{lang}/book/details")
def book_details(
    request: Request,
    lang: LangDep,
    session: SessionDep,
    now: NowDep,
    topic: Text = "",
    kind: Text = "",
    service_lang: Text = "",
    place: Text = "",
    start: Text = "",
) -> Response:
    values = {
        "topic": topic,
        "kind": kind,
        "service_lang": service_lang,
        "place": place,
        "start": start,
        "nonce": new_nonce(),
    }
    errors = choice_errors(session, lang, values)
    if errors:
        return _start_page(request, lang, session, values, errors)
    moment = parse_start(start)
    if moment is None:
        messages = field_errors(gettext(lang))
        return times_page(
            request,
            lang,
            session,
            values,
            0,
            now,
            action=f"/{lang}/book/details",
            pager_base=times_url(lang, values),
            errors={"start": messages["start"]},
            status_code=422,
        )
    return details_page(request, lang, session, values, moment, {})


def parse_start(text: str) -> datetime | None:
    try:
        return parse_instant(text, "start")
    except InvalidInput:
        return None


def details_page(
    request: Request,
    lang: str,
    session: Session,
    values: dict[str, str],
    start: datetime,
    errors: dict[str, str],
    *,
    action: str | None = None,
) -> Response:
    return render(
        request,
        lang,
        "book_details.html",
        status_code=422 if errors else 200,
        values=values,
        start=start,
        errors=errors,
        action=action or f"/{lang}/book/details",
        kind_name=kind_short(gettext(lang))[values["kind"]],
        topic_name=dict(topic_choices(session, lang)).get(values["topic"], values["topic"]),
        place=session.get(Channel, values["place"]) if values.get("place") else None,
    )


def customer_values(
    topic: str, kind: str, service_lang: str, place: str, start: str, nonce: str, **customer: str
) -> dict[str, str]:
    return {
        "topic": topic,
        "kind": kind,
        "service_lang": service_lang,
        "place": place,
        "start": start,
        "nonce": nonce,
        **customer,
    }


def customer_form_errors(lang: str, values: dict[str, str]) -> dict[str, str]:
    """Every wrong customer field at once, each with its message in the page language."""
    problems = customer_problems(
        name=values["name"],
        hetu=values["hetu"],
        phone=values["phone"],
        email=values["email"],
        message=values["message"],
    )
    messages = field_errors(gettext(lang))
    return {field: messages[field] for field in problems}


def booking_request(values: dict[str, str], start: datetime, *, hold: bool) -> BookingCreate:
    """The service's request from a checked details form (its fields cut to their limits)."""
    return BookingCreate(
        topic=values["topic"],
        lang=values["service_lang"],
        kind=AppointmentKind(values["kind"]),
        place=values["place"] or None,
        start=start,
        name=values["name"][:400],
        hetu=values["hetu"][:40],
        phone=values["phone"][:40],
        email=values["email"][:400] or None,
        message=values["message"][:4000] or None,
        hold=hold,
        idempotency_key=values["nonce"][:100] or None,
    )


def values_of(booking: BookingRead) -> dict[str, str]:
    """The choices a booking was made with, to offer times like it again."""
    return {
        "topic": booking.topic,
        "kind": booking.kind,
        "service_lang": booking.lang,
        "place": booking.place.id if booking.place else "",
    }


def booking_errors(
    request: Request,
    lang: str,
    session: Session,
    values: dict[str, str],
    now: datetime,
    error: KanavaError,
    *,
    action: str,
    pager_base: str,
) -> Response:
    """A slot taken meanwhile: the times again, with the next free ones first; a wrong
    field: the form again, with what was typed and the reason beside the field."""
    _ = gettext(lang)
    if isinstance(error, Conflict) and error.field == "start":
        return times_page(
            request,
            lang,
            session,
            values,
            0,
            now,
            action=action,
            pager_base=pager_base,
            notice=_("Sorry, that time was just booked by someone else. Please choose another."),
            status_code=409,
        )
    messages = field_errors(_)
    field = error.field if error.field in messages else "start"
    start = parse_start(values["start"]) or now
    return details_page(
        request, lang, session, values, start, {field: messages[field]}, action=action
    )


@router.post("/{lang}/book/details")
def book_details_send(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    settings: SettingsDep,
    now: NowDep,
    topic: FormText = "",
    kind: FormText = "",
    service_lang: FormText = "",
    place: FormText = "",
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
    values = customer_values(
        topic, kind, service_lang, place, start, nonce,
        name=name, hetu=hetu, phone=phone, email=email, message=message,
    )  # fmt: skip
    errors = choice_errors(session, lang, values)
    moment = parse_start(start)
    if errors or moment is None:
        return _start_page(request, lang, session, values, errors)
    if problems := customer_form_errors(lang, values):
        return details_page(request, lang, session, values, moment, problems)
    try:
        created = service.create_booking(
            session=session,
            request_in=booking_request(values, moment, hold=True),
            settings=settings,
            now=now,
        )
    except KanavaError as error:
        return booking_errors(
            request,
            lang,
            session,
            values,
            now,
            error,
            action=f"/{lang}/book/details",
            pager_base=times_url(lang, values),
        )
    remember_token(request, created.booking.reference, created.manage_token)
    return RedirectResponse(f"/{lang}/book/check/{created.booking.reference}", status_code=303)


def own_booking(request: Request, session: Session, reference: str) -> BookingRead:
    return service.get_booking(
        session=session, reference=reference, token=token_for(request, reference)
    )


@router.get("/{lang}/book/check/{reference}")
def book_check(request: Request, lang: LangDep, session: SessionDep, reference: str) -> Response:
    booking = own_booking(request, session, reference)
    if booking.status != "held":
        return RedirectResponse(f"/{lang}/manage/{booking.reference}", status_code=303)
    return booking_page(request, lang, session, booking, "book_check.html")


def booking_page(
    request: Request,
    lang: str,
    session: Session,
    booking: BookingRead,
    template: str,
    **extra: Any,
) -> Response:
    _ = gettext(lang)
    return render(
        request,
        lang,
        template,
        booking=booking,
        kind_name=kind_short(_)[booking.kind],
        topic_name=dict(topic_choices(session, lang)).get(booking.topic, booking.topic),
        service_lang_name=dict(service_language_names(_))[booking.lang],
        status_names=status_names(_),
        **extra,
    )


@router.post("/{lang}/book/check/{reference}")
def book_confirm(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    settings: SettingsDep,
    now: NowDep,
    reference: str,
    csrf_token: FormText = "",
) -> Response:
    check_csrf(request, csrf_token)
    token = token_for(request, reference)
    try:
        service.confirm_hold(
            session=session, reference=reference, token=token, settings=settings, now=now
        )
    except Conflict:
        session.commit()  # the hold is marked expired
        booking = service.get_booking(session=session, reference=reference, token=token)
        values = values_of(booking)
        _ = gettext(lang)
        return times_page(
            request,
            lang,
            session,
            values,
            0,
            now,
            action=f"/{lang}/book/details",
            pager_base=times_url(lang, values),
            notice=_("The time was held for you for a limited while only, and it has expired. "
                     "Please choose a time again."),
            status_code=409,
        )  # fmt: skip
    return RedirectResponse(f"/{lang}/book/done/{reference.upper()}", status_code=303)


@router.get("/{lang}/book/done/{reference}")
def book_done(
    request: Request, lang: LangDep, session: SessionDep, settings: SettingsDep, reference: str
) -> Response:
    booking = own_booking(request, session, reference)
    token = token_for(request, reference)
    link = f"{settings.public_base_url}/{lang}/manage/{booking.reference}?token={token}"
    return booking_page(request, lang, session, booking, "book_done.html", manage_link=link)
