"""Call-back commands: the windows a customer can choose, a request, and the expert's
side: take the next one, record each call."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kanava import clock
from kanava.auth.service import principal_of
from kanava.booking import callbacks
from kanava.booking.schemas import AttemptCreate, CallbackCreate, CallbackRead
from kanava.cli_support import JsonFlag, cli_session, console, print_json, user_errors, validated

callback_app = typer.Typer(help="Call-back requests.", no_args_is_help=True)


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
    attempt = validated(AttemptCreate, {"outcome": outcome, "note": note})
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
