"""Staff and managers at the server: a day's bookings, experts' absences, and the bookings
their expert can no longer serve. Listings are exports: protected customers' details are
withheld, and every listing of one is audited."""

from __future__ import annotations

import getpass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kanava import clock
from kanava.booking.cli_texts import appointment_kind_names, booking_status_names
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
from kanava.cli_support import day as format_day
from kanava.clock import HELSINKI as ZONE

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kanava.auth.service import Principal
    from kanava.booking.schemas import StaffBookingRead

FromOption = Annotated[
    str | None, typer.Option("--from", help="First day, YYYY-MM-DD (default today).")
]
UserOption = Annotated[
    str | None,
    typer.Option("--user", help="Act as this kanava user (their role and audit name)."),
]
absence_app = typer.Typer(help="Experts' dated absences.", no_args_is_help=True)


def _acting(session: Session, user: str | None) -> Principal:
    """Who the command acts as: a named user, or the operator at the server's console
    (a manager's view), under whose login name protected reads are audited."""
    from kanava.auth.service import Principal, principal_of

    if user:
        return principal_of(session, user)
    return Principal(f"cli:{getpass.getuser()}", "manager")


def _day_or_today(given: str | None, option: str, now: datetime) -> date:
    """The day an option gives, or today in Helsinki."""
    from kanava.timeparse import parse_date

    return parse_date(given, option) if given else now.astimezone(ZONE).date()


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
    """A day's active bookings, as an export.

    A protected customer's details are withheld (see them on the staff pages) and only the
    birth-date part of a henkilötunnus shows; every protected booking listed is written to
    the audit log.
    """
    from kanava.booking import service

    moment = clock.now()
    chosen = _day_or_today(day, "--date", moment)
    with cli_session(write=True) as session:
        listed = service.agenda(
            session=session,
            viewer=_acting(session, user),
            expert_id=expert,
            day=datetime.combine(chosen, time(12), tzinfo=ZONE),
            now=moment,
            place=place,
            export=True,
        )
    if as_json:
        print_json(listed)
        return
    table = Table(
        _("reference"), _("time"), _("kind"), _("topic"), _("expert"), _("customer"),
        _("status"), title=format_day(chosen),
    )  # fmt: skip
    kinds, statuses = appointment_kind_names(), booking_status_names()
    for booking in listed:
        table.add_row(
            booking.reference,
            f"{clock_time(booking.start)}–{clock_time(booking.end)}",
            kinds.get(booking.kind, booking.kind),
            booking.topic,
            booking.expert_id,
            _customer(booking),
            statuses.get(booking.status, booking.status),
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
    """Bookings their expert can no longer serve, and their hand-over.

    The reason is an absence, a changed shift or skill, or a closed place; with --hand-over
    each goes to a qualified colleague free at its time. Listed as an export.
    """
    from kanava.booking import conflicts

    moment = clock.now()
    first = _day_or_today(from_, "--from", moment)
    with cli_session(write=True) as session:
        listed = conflicts.review(
            session=session,
            viewer=_acting(session, user),
            first=first,
            days=days,
            now=moment,
            hand_over_all=hand_over,
            export=True,
        )
    if as_json:
        print_json(listed)
        return
    table = Table(
        _("reference"), _("time"), _("kind"), _("expert"), _("reason"), _("handed over to")
    )
    kinds = appointment_kind_names()
    nobody = _("nobody free: contact the customer")
    for item in listed:
        table.add_row(
            item.reference,
            when(item.start),
            kinds.get(item.kind, item.kind),
            item.expert_id,
            item.reason,
            item.handed_over_to or (nobody if hand_over else "–"),
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
    from kanava.booking import absences
    from kanava.booking.schemas import AbsenceCreate
    from kanava.timeparse import parse_date

    absence_in = validated(
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
        _("absence recorded: %(expert)s %(first)s–%(last)s")
        % {"expert": recorded.expert, "first": format_day(recorded.first_day),
           "last": format_day(recorded.last_day)}
    )  # fmt: skip
    console.print(
        _("bookings to hand over (kanava conflicts): %(n)s") % {"n": recorded.bookings_to_hand_over}
    )


@absence_app.command("list")
@user_errors
def list_absences(
    from_: FromOption = None,
    days: Annotated[int, typer.Option(min=1, max=366, help="How many days.")] = 14,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Absences that touch the days asked for."""
    from kanava.booking import absences

    first = _day_or_today(from_, "--from", clock.now())
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
    table = Table(_("expert"), _("from"), _("to"), _("reason"))
    for row in rows:
        table.add_row(
            row.expert, format_day(row.first_day), format_day(row.last_day), row.reason or ""
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(bookings)
    app.command("conflicts")(conflicts_command)
    app.add_typer(absence_app, name="absences")
