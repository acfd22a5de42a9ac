"""Appointment commands: find a time, book it, show, move or cancel it; a day's bookings;
send the outbox."""

from __future__ import annotations

import getpass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.table import Table
from sqlalchemy.orm import Session

from kanava import clock
from kanava.auth.demo import DEMO_PASSWORD, ensure_demo_users
from kanava.auth.service import Principal, create_user, principal_of
from kanava.booking import absences, callbacks, conflicts, service
from kanava.booking.availability import ZONE
from kanava.booking.schemas import (
    AbsenceCreate,
    AttemptCreate,
    BookingCreate,
    BookingRead,
    CallbackCreate,
    CallbackRead,
    StaffBookingRead,
)
from kanava.cli_support import cli_session, console, print_json, user_errors
from kanava.config import get_settings
from kanava.errors import InvalidInput
from kanava.notify.senders import configured_sender
from kanava.notify.service import send_due
from kanava.timeparse import parse_date, parse_instant

M = TypeVar("M", bound=BaseModel)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
TokenOption = Annotated[str, typer.Option("--token", help="The manage token of the booking.")]
FromOption = Annotated[
    str | None, typer.Option("--from", help="First day, YYYY-MM-DD (default today).")
]
UserOption = Annotated[
    str | None,
    typer.Option("--user", help="Act as this kanava user (their role and audit name)."),
]
booking_app = typer.Typer(help="Show, move or cancel a booking.", no_args_is_help=True)
callback_app = typer.Typer(help="Call-back requests.", no_args_is_help=True)
absence_app = typer.Typer(help="Experts' dated absences.", no_args_is_help=True)
users_app = typer.Typer(help="Staff, partner and manager users.", no_args_is_help=True)
notify_app = typer.Typer(help="The notification outbox.", no_args_is_help=True)


def _validated(model: type[M], data: dict[str, object]) -> M:
    """The command's options as the API's request model; the first problem names its field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or model.__name__
        raise InvalidInput(field, first["msg"]) from None


def _show(booking: BookingRead) -> None:
    table = Table(show_header=False, title=f"{booking.reference}: {booking.status}")
    place = f"{booking.place.name}, {booking.place.address or ''}" if booking.place else "–"
    for label, value in (
        ("kind", booking.kind),
        ("topic", booking.topic),
        ("time", f"{booking.start:%a %d.%m.%Y %H:%M}–{booking.end:%H:%M}"),
        ("place", place),
        ("customer", f"{booking.customer.name}, {booking.customer.phone}"),
        ("language", booking.lang),
    ):
        table.add_row(label, value)
    console.print(table)


@user_errors
def slots(
    topic: Annotated[str, typer.Option(help="Topic id, e.g. elakkeet.")],
    kind: Annotated[str, typer.Option(help="phone, service_point or video.")] = "phone",
    lang: Annotated[str, typer.Option(help="fi, sv or en.")] = "fi",
    place: Annotated[str | None, typer.Option(help="Point id for service_point or video.")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="First date, YYYY-MM-DD.")] = None,
    days: Annotated[int, typer.Option(help="How many days.")] = 7,
    first: Annotated[bool, typer.Option("--first", help="Only the first free time.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Free times, pooled over every qualified expert."""
    start = datetime.combine(parse_date(from_, "--from"), time(0), tzinfo=ZONE) if from_ else None
    with cli_session() as session:
        result = service.search_slots(
            session=session,
            topic=topic,
            lang=lang,
            kind=kind,
            place=place,
            first=start,
            days=days,
            now=clock.now(),
        )
    if first:
        result.offers = result.offers[:1]
    if as_json:
        print_json(result)
        return
    table = Table("start", "end", "free experts", title=f"{topic} · {kind} · {lang}")
    for offer in result.offers:
        table.add_row(
            f"{offer.start:%a %d.%m.%Y %H:%M}", f"{offer.end:%H:%M}", str(offer.free_experts)
        )
    console.print(table)


@user_errors
def book(
    topic: Annotated[str, typer.Option(help="Topic id.")],
    start: Annotated[str, typer.Option(help="Start time, ISO 8601 (Helsinki time).")],
    name: Annotated[str, typer.Option(help="Customer's name.")],
    hetu: Annotated[str, typer.Option(help="Customer's henkilötunnus.")],
    phone: Annotated[str, typer.Option(help="Customer's phone number.")],
    kind: Annotated[str, typer.Option(help="phone, service_point or video.")] = "phone",
    lang: Annotated[str, typer.Option(help="fi, sv or en.")] = "fi",
    place: Annotated[str | None, typer.Option(help="Point id.")] = None,
    email: Annotated[str | None, typer.Option(help="Customer's email.")] = None,
    message: Annotated[str | None, typer.Option(help="A short message.")] = None,
    non_disclosure: Annotated[
        bool, typer.Option(help="Customer has a non-disclosure order.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Book an appointment; prints the reference and the manage token."""
    request = _validated(
        BookingCreate,
        {
            "topic": topic,
            "lang": lang,
            "kind": kind,
            "place": place,
            "start": parse_instant(start, "--start"),
            "name": name,
            "hetu": hetu,
            "phone": phone,
            "email": email,
            "message": message,
            "non_disclosure": non_disclosure,
        },
    )
    with cli_session(write=True) as session:
        created = service.create_booking(
            session=session, request_in=request, settings=get_settings(), now=clock.now()
        )
    if as_json:
        print_json(created)
        return
    _show(created.booking)
    console.print(f"manage token: {created.manage_token}\nmanage link: {created.manage_url}")


def _acting(session: Session, user: str | None) -> Principal:
    """Who the command acts as: a named user, or the operator at the server's console
    (a manager's view), under whose login name protected reads are audited."""
    if user:
        return principal_of(session, user)
    return Principal(f"cli:{getpass.getuser()}", "manager")


def _first_day(given: str | None, now: datetime) -> date:
    """The --from day, or today in Helsinki."""
    return parse_date(given, "--from") if given else now.astimezone(ZONE).date()


def _customer(booking: StaffBookingRead) -> str:
    customer = booking.customer
    return ", ".join(part for part in (customer.name, customer.phone) if part)


@user_errors
def bookings(
    day: Annotated[
        str | None, typer.Option("--date", help="The day, YYYY-MM-DD (default today).")
    ] = None,
    expert: Annotated[str | None, typer.Option(help="Only this expert's bookings.")] = None,
    place: Annotated[str | None, typer.Option(help="Only bookings at this point.")] = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """A day's active bookings, as an export: a protected customer's details are withheld
    (see them on the staff pages) and only the birth-date part of a henkilötunnus shows;
    every protected booking listed is written to the audit log."""
    when = clock.now()
    chosen: date = parse_date(day, "--date") if day else when.astimezone(ZONE).date()
    with cli_session(write=True) as session:
        listed = service.agenda(
            session=session,
            viewer=_acting(session, user),
            expert_id=expert,
            day=datetime.combine(chosen, time(12), tzinfo=ZONE),
            now=when,
            place=place,
            export=True,
        )
    if as_json:
        print_json(listed)
        return
    table = Table(
        "reference", "time", "kind", "topic", "expert", "customer", "status", title=str(chosen)
    )
    for booking in listed:
        table.add_row(
            booking.reference,
            f"{booking.start:%H:%M}–{booking.end:%H:%M}",
            booking.kind,
            booking.topic,
            booking.expert_id,
            _customer(booking),
            booking.status,
        )
    console.print(table)


@user_errors
def conflicts_command(
    from_: FromOption = None,
    days: Annotated[int, typer.Option(min=1, max=60, help="How many days.")] = 14,
    hand_over: Annotated[
        bool, typer.Option("--hand-over", help="Give each to a colleague free at its time.")
    ] = False,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Bookings their expert can no longer serve (an absence, a changed shift or skill),
    listed as an export; with --hand-over each goes to a qualified colleague free then."""
    when = clock.now()
    first = _first_day(from_, when)
    with cli_session(write=True) as session:
        listed = conflicts.review(
            session=session,
            viewer=_acting(session, user),
            first=first,
            days=days,
            now=when,
            hand_over_all=hand_over,
            export=True,
        )
    if as_json:
        print_json(listed)
        return
    table = Table("reference", "time", "kind", "expert", "reason", "handed over to")
    for item in listed:
        table.add_row(
            item.reference,
            f"{item.start:%a %d.%m.%Y %H:%M}",
            item.kind,
            item.expert_id,
            item.reason,
            item.handed_over_to or ("nobody free: contact the customer" if hand_over else "–"),
        )
    console.print(table)


@absence_app.command("add")
@user_errors
def add_absence(
    expert: Annotated[str, typer.Argument(help="The expert's id.")],
    from_: Annotated[str, typer.Option("--from", help="First day away, YYYY-MM-DD.")],
    to: Annotated[
        str | None, typer.Option("--to", help="Last day away (default: the first).")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Why, for the managers.")] = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Record an absence; bookings the expert had on those days show in `kanava conflicts`."""
    absence_in = _validated(
        AbsenceCreate,
        {
            "expert": expert,
            "first_day": parse_date(from_, "--from"),
            "last_day": parse_date(to, "--to") if to else None,
            "reason": reason,
        },
    )
    with cli_session(write=True) as session:
        recorded = absences.record_absence(
            session=session, viewer=_acting(session, user), absence_in=absence_in, now=clock.now()
        )
    if as_json:
        print_json(recorded)
        return
    console.print(
        f"absence recorded: {recorded.expert}"
        f" {recorded.first_day:%d.%m.%Y}–{recorded.last_day:%d.%m.%Y}"
    )
    console.print(f"bookings to hand over (kanava conflicts): {recorded.bookings_to_hand_over}")


@absence_app.command("list")
@user_errors
def list_absences(
    from_: FromOption = None,
    days: Annotated[int, typer.Option(min=1, max=366, help="How many days.")] = 14,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Absences that touch the days asked for."""
    first = _first_day(from_, clock.now())
    with cli_session() as session:
        rows = absences.list_absences(
            session=session,
            viewer=_acting(session, user),
            first=first,
            last=first + timedelta(days=days - 1),
        )
    if as_json:
        print_json(rows)
        return
    table = Table("expert", "from", "to", "reason")
    for row in rows:
        table.add_row(row.expert, f"{row.first_day}", f"{row.last_day}", row.reason or "")
    console.print(table)


@booking_app.command("show")
@user_errors
def show(reference: str, token: TokenOption, as_json: JsonFlag = False) -> None:
    """Show a booking (customers use their manage token)."""
    with cli_session() as session:
        booking = service.get_booking(session=session, reference=reference, token=token)
    print_json(booking) if as_json else _show(booking)


@booking_app.command("move")
@user_errors
def move(
    reference: str,
    token: TokenOption,
    start: Annotated[str, typer.Option(help="New start, ISO 8601.")],
    as_json: JsonFlag = False,
) -> None:
    """Move a booking; the old time is kept if the new one cannot be had."""
    with cli_session(write=True) as session:
        booking = service.reschedule_booking(
            session=session,
            reference=reference,
            token=token,
            new_start=parse_instant(start, "--start"),
            settings=get_settings(),
            now=clock.now(),
        )
    print_json(booking) if as_json else _show(booking)


@booking_app.command("cancel")
@user_errors
def cancel(reference: str, token: TokenOption, as_json: JsonFlag = False) -> None:
    """Cancel a booking."""
    with cli_session(write=True) as session:
        booking = service.cancel_booking(
            session=session,
            reference=reference,
            token=token,
            settings=get_settings(),
            now=clock.now(),
        )
    print_json(booking) if as_json else _show(booking)


@callback_app.command("windows")
@user_errors
def windows(
    topic: Annotated[str, typer.Option(help="Topic id.")],
    lang: Annotated[str, typer.Option(help="fi, sv or en.")] = "fi",
    as_json: JsonFlag = False,
) -> None:
    """Call-back windows for today and the next working day, with free places."""
    with cli_session(write=True) as session:
        result = callbacks.open_windows(session=session, topic=topic, lang=lang, now=clock.now())
    if as_json:
        print_json(result)
        return
    table = Table("id", "day", "window", "free")
    for window in result:
        table.add_row(
            str(window.id),
            window.day.isoformat(),
            f"{window.starts}–{window.ends}",
            str(window.free),
        )
    console.print(table)


@callback_app.command("request")
@user_errors
def request_callback(
    window: Annotated[int, typer.Option(help="Window id from `kanava callbacks windows`.")],
    name: Annotated[str, typer.Option(help="Customer's name.")],
    phone: Annotated[str, typer.Option(help="Number to call.")],
    message: Annotated[str | None, typer.Option(help="What it is about.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Ask to be called back in a window."""
    with cli_session(write=True) as session:
        made = callbacks.request_callback(
            session=session,
            request_in=CallbackCreate(window_id=window, name=name, phone=phone, message=message),
            now=clock.now(),
        )
    if as_json:
        print_json(made)
        return
    console.print(
        f"call-back {made.reference}: {made.window.day} {made.window.starts}–{made.window.ends}"
    )


def _show_callback(request: CallbackRead) -> None:
    window = request.window
    console.print(
        f"call-back {request.reference} ({request.status}, attempts: {request.attempts}):"
        f" {window.day} {window.starts}–{window.ends}, {window.topic}, {window.lang}:"
        f" {request.name}, {request.phone}"
    )


@callback_app.command("take")
@user_errors
def take_callback(
    user: Annotated[str, typer.Option("--user", help="The expert's kanava user.")],
    as_json: JsonFlag = False,
) -> None:
    """Take the next waiting request this expert can serve (earliest window first)."""
    with cli_session(write=True) as session:
        taken = callbacks.take_next(
            session=session, viewer=principal_of(session, user), now=clock.now()
        )
    if as_json:
        print_json(taken)
    elif taken is None:
        console.print("no call-back requests waiting")
    else:
        _show_callback(taken)


@callback_app.command("attempt")
@user_errors
def callback_attempt(
    request_id: Annotated[int, typer.Argument(help="The request's id, from `take`.")],
    user: Annotated[str, typer.Option("--user", help="The expert's kanava user.")],
    outcome: Annotated[str, typer.Option(help="reached, no_answer or wrong_number.")],
    note: Annotated[str | None, typer.Option(help="A note on the call.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Record a call: reached closes the request, no answer returns it to the queue."""
    attempt = _validated(AttemptCreate, {"outcome": outcome, "note": note})
    with cli_session(write=True) as session:
        recorded = callbacks.record_attempt(
            session=session,
            viewer=principal_of(session, user),
            request_id=request_id,
            outcome=attempt.outcome,
            note=attempt.note,
            now=clock.now(),
        )
    print_json(recorded) if as_json else _show_callback(recorded)


@users_app.command("add")
@user_errors
def add_user(
    username: str,
    role: Annotated[str, typer.Option(help="staff, partner or manager.")],
    expert: Annotated[str | None, typer.Option(help="Expert id, for staff.")] = None,
    partner_point: Annotated[str | None, typer.Option(help="Point id, for partners.")] = None,
    password_file: Annotated[
        Path | None, typer.Option(help="Read the password from a file instead of asking.")
    ] = None,
) -> None:
    """Add a user; the password is asked for (or read from a file), never given on the line."""
    if password_file:
        password = password_file.read_text(encoding="utf-8").strip()
    else:
        password = getpass.getpass("password: ")
    with cli_session(write=True) as session:
        create_user(
            session,
            username=username,
            password=password,
            role=role,
            now=clock.now(),
            expert_id=expert,
            partner_channel_id=partner_point,
        )
    console.print(f"user {username} ({role}) added")


@users_app.command("demo")
@user_errors
def demo_users() -> None:
    """Make the demonstration users (not in production); their password is printed."""
    with cli_session(write=True) as session:
        created = ensure_demo_users(session, clock.now(), get_settings().environment)
    for username in created:
        console.print(f"demo user {username} added")
    console.print(f"demo users' password: {DEMO_PASSWORD}")


@notify_app.command("send")
@user_errors
def send() -> None:
    """Send the notifications that are due (run it from cron or a timer)."""
    with cli_session(write=True) as session:
        sent, failed = send_due(session, configured_sender(get_settings()), clock.now())
    console.print(f"sent {sent}, failed {failed} (will be retried)")


def register(app: typer.Typer) -> None:
    app.command()(slots)
    app.command()(book)
    app.command()(bookings)
    app.command("cancel")(cancel)
    app.command("conflicts")(conflicts_command)
    app.add_typer(absence_app, name="absences")
    app.add_typer(booking_app, name="booking")
    app.add_typer(callback_app, name="callbacks")
    app.add_typer(callback_app, name="callback", hidden=True)
    app.add_typer(users_app, name="users")
    app.add_typer(notify_app, name="notify")
