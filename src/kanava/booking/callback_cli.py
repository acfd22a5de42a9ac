"""Call-back commands: the windows a customer can choose, a request, and the expert's
side: take the next one, record each call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kanava import clock
from kanava.booking.cli_texts import callback_status_names, language_names
from kanava.cli_support import (
    JsonFlag,
    _,
    cli_session,
    clock_time,
    console,
    day,
    print_json,
    user_errors,
    validated,
)

if TYPE_CHECKING:
    from kanava.booking.schemas import CallbackRead

callback_app = typer.Typer(help="Call-back requests.", no_args_is_help=True)


@callback_app.command("windows")
@user_errors
def windows(
    topic: Annotated[str, typer.Option(help="Topic id.")],
    lang: Annotated[str, typer.Option(help="fi, sv or en.")] = "fi",
    as_json: JsonFlag = False,
) -> None:
    """Call-back windows for today and the next working day, with free places."""
    from kanava.booking import callbacks

    with cli_session(write=True) as session:
        result = callbacks.open_windows(session=session, topic=topic, lang=lang, now=clock.now())
    if as_json:
        print_json(result)
        return
    table = Table("id", _("day"), _("window"), _("free"))
    for window in result:
        table.add_row(
            str(window.id),
            day(window.day),
            f"{clock_time(window.starts)}–{clock_time(window.ends)}",
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
    from kanava.booking import callbacks
    from kanava.booking.schemas import CallbackCreate

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
        _("call-back %(reference)s (id %(id)s): %(day)s %(starts)s–%(ends)s")
        % {"reference": made.reference, "id": made.id, "day": day(made.window.day),
           "starts": clock_time(made.window.starts), "ends": clock_time(made.window.ends)}
    )  # fmt: skip


def _show_callback(request: CallbackRead) -> None:
    from kanava.notify.messages import national

    window = request.window
    console.print(
        _("call-back %(reference)s (id %(id)s, %(status)s, calls so far: %(attempts)s): "
          "%(day)s %(starts)s–%(ends)s, %(topic)s, %(lang)s: %(name)s, %(phone)s")
        % {"reference": request.reference, "id": request.id,
           "status": callback_status_names().get(request.status, request.status),
           "attempts": request.attempts, "day": day(window.day),
           "starts": clock_time(window.starts), "ends": clock_time(window.ends),
           "topic": window.topic, "lang": language_names().get(window.lang, window.lang),
           "name": request.name, "phone": national(request.phone)}
    )  # fmt: skip


@callback_app.command("take")
@user_errors
def take_callback(
    user: Annotated[str, typer.Option("--user", help="The expert's kanava user.")],
    as_json: JsonFlag = False,
) -> None:
    """Take the next waiting request this expert can serve (earliest window first)."""
    from kanava.auth.service import principal_of
    from kanava.booking import callbacks

    with cli_session(write=True) as session:
        taken = callbacks.take_next(
            session=session, viewer=principal_of(session, user), now=clock.now()
        )
    if as_json:
        print_json(taken)
    elif taken is None:
        console.print(_("no call-back requests waiting"))
    else:
        _show_callback(taken)


@callback_app.command("attempt")
@user_errors
def callback_attempt(
    request: Annotated[
        str, typer.Argument(help="The request: its id or reference, as `request` printed it.")
    ],
    user: Annotated[str, typer.Option("--user", help="The expert's kanava user.")],
    outcome: Annotated[str, typer.Option(help="reached, no_answer or wrong_number.")],
    note: Annotated[str | None, typer.Option(help="A note on the call.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Record a call: reached closes the request, no answer returns it to the queue."""
    from kanava.auth.service import principal_of
    from kanava.booking import callbacks
    from kanava.booking.schemas import AttemptCreate

    attempt = validated(AttemptCreate, {"outcome": outcome, "note": note})
    with cli_session(write=True) as session:
        recorded = callbacks.record_attempt(
            session=session,
            viewer=principal_of(session, user),
            request_id=callbacks.request_id(session=session, given=request),
            outcome=attempt.outcome,
            note=attempt.note,
            now=clock.now(),
        )
    print_json(recorded) if as_json else _show_callback(recorded)
