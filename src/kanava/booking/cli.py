"""Appointment commands: find a time, book it, show, move or cancel it; users; send the
outbox. Mounts the call-back and the staff commands beside them."""

from __future__ import annotations

import getpass
from datetime import datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kanava import clock
from kanava.booking import staff_cli
from kanava.booking.callback_cli import callback_app
from kanava.booking.cli_texts import (
    appointment_kind_names,
    booking_status_names,
    language_names,
)
from kanava.cli_support import (
    JsonFlag,
    _,
    cli_session,
    clock_time,
    console,
    print_json,
    user_errors,
    validated,
    when,
)
from kanava.clock import HELSINKI as ZONE

if TYPE_CHECKING:
    from kanava.booking.schemas import BookingRead

TokenOption = Annotated[str, typer.Option("--token", help="The manage token of the booking.")]
booking_app = typer.Typer(help="Show, move or cancel a booking.", no_args_is_help=True)
users_app = typer.Typer(help="Staff, partner and manager users.", no_args_is_help=True)
notify_app = typer.Typer(help="The notification outbox.", no_args_is_help=True)


def _show(booking: BookingRead) -> None:
    status = booking_status_names().get(booking.status, booking.status)
    table = Table(show_header=False, title=f"{booking.reference}: {status}")
    place = f"{booking.place.name}, {booking.place.address or ''}" if booking.place else "–"
    for label, value in (
        (_("kind"), appointment_kind_names().get(booking.kind, booking.kind)),
        (_("topic"), booking.topic),
        (_("time"), f"{when(booking.start)}–{clock_time(booking.end)}"),
        (_("place"), place),
        (_("customer"), f"{booking.customer.name}, {booking.customer.phone}"),
        (_("language"), language_names().get(booking.lang, booking.lang)),
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
    from kanava.booking import service
    from kanava.timeparse import parse_date

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
    kinds, languages = appointment_kind_names(), language_names()
    table = Table(
        _("start"), _("end"), _("free experts"),
        title=f"{topic} · {kinds.get(kind, kind)} · {languages.get(lang, lang)}",
    )  # fmt: skip
    for offer in result.offers:
        table.add_row(when(offer.start), clock_time(offer.end), str(offer.free_experts))
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
    from kanava.booking import service
    from kanava.booking.schemas import BookingCreate
    from kanava.config import get_settings
    from kanava.timeparse import parse_instant

    request = validated(
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


@booking_app.command("show")
@user_errors
def show(reference: str, token: TokenOption, as_json: JsonFlag = False) -> None:
    """Show a booking (customers use their manage token)."""
    from kanava.booking import service

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
    from kanava.booking import service
    from kanava.config import get_settings
    from kanava.timeparse import parse_instant

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
    from kanava.booking import service
    from kanava.config import get_settings

    with cli_session(write=True) as session:
        booking = service.cancel_booking(
            session=session,
            reference=reference,
            token=token,
            settings=get_settings(),
            now=clock.now(),
        )
    print_json(booking) if as_json else _show(booking)


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
    from kanava.auth.service import create_user

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
    from kanava.auth.demo import DEMO_PASSWORD, ensure_demo_users
    from kanava.config import get_settings

    with cli_session(write=True) as session:
        created = ensure_demo_users(session, clock.now(), get_settings().environment)
    for username in created:
        console.print(f"demo user {username} added")
    console.print(f"demo users' password: {DEMO_PASSWORD}")


@notify_app.command("send")
@user_errors
def send() -> None:
    """Send the notifications that are due (run it from cron or a timer)."""
    from kanava.config import get_settings
    from kanava.notify.senders import configured_sender
    from kanava.notify.service import send_due

    with cli_session(write=True) as session:
        sent, failed = send_due(session, configured_sender(get_settings()), clock.now())
    console.print(f"sent {sent}, failed {failed} (will be retried)")


def register(app: typer.Typer) -> None:
    app.command()(slots)
    app.command()(book)
    app.command("cancel")(cancel)
    app.add_typer(booking_app, name="booking")
    staff_cli.register(app)
    app.add_typer(callback_app, name="callbacks")
    app.add_typer(callback_app, name="callback", hidden=True)
    app.add_typer(users_app, name="users")
    app.add_typer(notify_app, name="notify")
