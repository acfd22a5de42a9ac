"""What every CLI command shares: a session from settings, JSON output, error handling.

The CLI starts in well under a second because nothing heavy is imported until a command
runs: this module and the command modules import the database, Pydantic, Babel and the
services inside the functions that use them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import wraps
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from kanava.clock import HELSINKI
from kanava.errors import InvalidInput, KanavaError, NotFound, reason, said_in, shown_choices
from kanava.i18n import BABEL_LOCALES, LANGUAGES
from kanava.i18n.formats import SHORT_WHEN, wall_clock

if TYPE_CHECKING:
    from pydantic import BaseModel
    from sqlalchemy.orm import Session

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound="BaseModel")
JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
# Never markup, emoji codes or highlighting: what is printed includes customers' text
# (a name like "[/bold]" or "[link=…]" is printed as typed). Styles are given as objects.
console = Console(markup=False, emoji=False, highlight=False)
LangOption = Annotated[
    str | None,
    typer.Option("--lang", help="fi, sv or en; by default the language of `kanava --lang`."),
]
_language = ["fi"]  # the language the CLI speaks in this process


ByOption = Annotated[
    str | None, typer.Option("--by", help="Who makes the change (default: your login name).")
]


def operator_name(user: str | None) -> str:
    """Who is recorded as making a change: the user named, or the operator's login."""
    import getpass

    return user or f"cli:{getpass.getuser()}"


def use_language(lang: str | None) -> str:
    """Speak ``lang`` from now on (None keeps the current one); returns the language."""
    if lang is not None:
        if lang not in LANGUAGES:
            raise InvalidInput("lang", reason("%(lang)s is not one of fi, sv, en", lang=repr(lang)))
        _language[0] = lang
    return _language[0]


def language() -> str:
    return _language[0]


def babel_locale() -> str:
    return BABEL_LOCALES[_language[0]]


def when(moment: datetime | None) -> str:
    """A moment as the CLI's language writes it (ke 12.3.2025 klo 9.00), Helsinki time."""
    from babel.dates import format_datetime

    if moment is None:
        return "–"
    pattern = SHORT_WHEN[_language[0]]
    return format_datetime(moment.astimezone(HELSINKI), pattern, locale=babel_locale())


def clock_time(moment: datetime | str) -> str:
    """A time of day (9.00 in Finnish, 09:00 in English); a moment or a "09:00" text."""
    if isinstance(moment, datetime):
        moment = f"{moment.astimezone(HELSINKI):%H:%M}"
    return wall_clock(moment, _language[0])


def day(value: date) -> str:
    return f"{value.day}.{value.month}.{value.year}"


def number(value: float, digits: int = 0) -> str:
    """A figure as the CLI's language writes it (1 900 000; 3,8 in Finnish)."""
    from babel.numbers import format_decimal

    return format_decimal(round(value, digits), locale=babel_locale())


def _(text: str) -> str:
    """A text of the CLI in its language (the msgid is the English text)."""
    from kanava.i18n.catalogues import translations  # Babel only when text is printed

    return translations(_language[0]).gettext(text)


@contextmanager
def cli_session(write: bool = False) -> Iterator[Session]:
    """A session on the configured database, committed when the command succeeds.
    Every table is registered first: a command's rows may point at another capability's
    (a partner user at its channel), and the CLI imports each capability only when used."""
    import kanava.models  # noqa: F401
    from kanava.config import get_settings
    from kanava.db import make_engine, make_session_factory, session_scope

    engine = make_engine(get_settings())
    try:
        with session_scope(make_session_factory(engine), write=write) as session:
            yield session
    finally:
        engine.dispose()


def fail(message: str) -> None:
    """One line on stderr and exit status 2: the CLI's answer to bad input."""
    typer.echo(f"kanava: {message}", err=True)
    raise typer.Exit(2)


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a KanavaError into one line on stderr and exit status 2."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except NotFound as error:
            fail(not_found_line(error))
            raise  # unreachable: fail() exits
        except KanavaError as error:
            fail(said_in(error, _))
            raise  # unreachable: fail() exits

    return wrapper


def not_found_line(error: NotFound) -> str:
    """An unknown id as one line in the CLI's language, with the likely and valid ids."""
    line = _("%(field)s: unknown value %(value)s") % {"field": error.field,
                                                      "value": repr(error.value)}  # fmt: skip
    if error.close:
        line += "; " + _("did you mean %(ids)s?") % {
            "ids": " / ".join(repr(c) for c in error.close)
        }
    if error.listed:
        line += "; " + _("valid: %(ids)s") % {"ids": shown_choices(error.listed)}
    return line


def print_json(value: Any) -> None:
    """Machine-readable output: models and lists of models as JSON, UTF-8 kept."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        data: Any = value.model_dump(mode="json")
    elif isinstance(value, list):
        data = [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in value]
    else:
        data = value
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def validated(model: type[M], data: dict[str, object]) -> M:
    """The command's options as the API's request model; the first problem names its field."""
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or model.__name__
        raise InvalidInput(field, pydantic_reason(first["type"], first.get("ctx") or {},
                                                  first["msg"])) from None  # fmt: skip


def pydantic_reason(kind: str, context: dict[str, Any], message: str) -> str:
    """Pydantic's commonest refusals as translatable reasons; others in its own words."""
    if kind == "missing":
        return reason("required")
    if kind == "string_too_long":
        return reason("at most %(limit)s characters", limit=context["max_length"])
    if kind == "string_too_short":
        return reason("at least %(limit)s characters", limit=context["min_length"])
    if kind in ("enum", "literal_error"):
        return reason("one of %(join)s", join=context["expected"])
    if kind in ("int_parsing", "int_from_float", "float_parsing"):
        return reason("not a number")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(context.values()))
        words = {"greater_than_equal": reason("at least %(bound)s", bound=bound),
                 "less_than_equal": reason("at most %(bound)s", bound=bound),
                 "greater_than": reason("above %(bound)s", bound=bound),
                 "less_than": reason("below %(bound)s", bound=bound)}  # fmt: skip
        return words[kind]
    if kind == "value_error" and isinstance(context.get("error"), ValueError):
        why = context["error"].args[0] if context["error"].args else message
        return why if isinstance(why, str) else message
    return message


def channel_kind_names() -> dict[str, str]:
    """The kinds of channel as the commands print them."""
    return {
        "e_service": _("e-service"),
        "web_page": _("web page"),
        "phone_line": _("phone line"),
        "service_point": _("service point"),
        "lahipalvelupiste": _("local service point"),
        "asiointipiste": _("joint service point"),
        "remote_video": _("remote video service"),
        "pop_up": _("pop-up service"),
        "postal_address": _("postal address"),
        "printable_form": _("printable form"),
        "chatbot": _("chatbot"),
        "social_media": _("social media"),
    }


def print_recorded(recorded: list[Any], as_json: bool) -> None:
    """Recorded changes (corrections, a brief's edits): who, when, before and after."""
    from rich.table import Table

    if as_json:
        print_json([{**r.__dict__, "changed_at": r.changed_at.isoformat()} for r in recorded])
        return
    names = recorded_field_names()
    table = Table(_("target"), _("field"), _("before"), _("after"), _("by"), _("when"))
    for r in recorded:
        table.add_row(r.target_id, names.get(r.field, r.field), r.old_value or "–",
                      r.new_value or "–", r.changed_by, when(r.changed_at))  # fmt: skip
    console.print(table)


def recorded_field_names() -> dict[str, str]:
    """The fields a correction or a brief's edit changes, as the CLI's reader calls them."""
    return {
        "street_address": _("street address"), "postal_code": _("postal code"),
        "post_office": _("town"), "hours": _("regular hours"), "status": _("status"),
        "status_date": _("status from"), "exception": _("exception days"),
        "staff": _("staff"), "service_points": _("service points"),
        "asiointipisteet": _("joint service points"),
        "lahipalvelupisteet": _("local service points"),
        "proposal_fi": _("proposal in Finnish"), "proposal_sv": _("proposal in Swedish"),
        "proposal_en": _("proposal in English"), "partners": _("partners"),
        "effective": _("change takes effect"), "announce_by": _("announce by"),
        "review": _("review"), "own_figure": _("the unit's count of customers a week"),
        "own_figure_source": _("where the count comes from"),
    }  # fmt: skip
