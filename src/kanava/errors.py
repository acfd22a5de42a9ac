"""Domain errors shared by the API, the CLI and the loaders.

Each names the field it is about and says why, so that an HTTP problem+json body
and a one-line CLI message can be made from it alike. The reason is English (the API's
contract); made with `reason()`, it also carries its text for translation, so the CLI
says it in its reader's language.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable


class Reason(str):
    """An English reason that remembers its message and values for translation."""

    msgid: str
    params: dict[str, object]

    def __new__(cls, msgid: str, params: dict[str, object]) -> Reason:
        made = super().__new__(cls, msgid % params if params else msgid.replace("%%", "%"))
        made.msgid, made.params = msgid, params
        return made

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The reason in the reader's language; values that are reasons too are translated."""
        text = gettext(self.msgid)
        if not self.params:
            return text.replace("%%", "%")
        return text % {name: value.translated(gettext) if isinstance(value, Reason) else value
                       for name, value in self.params.items()}  # fmt: skip


def reason(msgid: str, **params: object) -> Reason:
    """Why a value is refused, as a translatable text: ``reason("%(value)s is not a
    date", value=repr(text))``. `make messages` extracts it like ``_()``."""
    return Reason(msgid, params)


def reason_in(error: KanavaError, gettext: Callable[[str], str]) -> str:
    """The error's reason in a reader's language, where it was made translatable."""
    text = error.reason
    return text.translated(gettext) if isinstance(text, Reason) else text


def said_in(error: KanavaError, gettext: Callable[[str], str]) -> str:
    """The error as one line in a reader's language: the field, and why."""
    return f"{error.field}: {reason_in(error, gettext)}"


class KanavaError(Exception):
    """Base of errors a user can act on."""

    status = 422

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.extra: dict[str, object] = {}
        self.headers: dict[str, str] = {}


class Conflict(KanavaError):
    """The request was right but the state forbids it (a slot just taken, a window full)."""

    status = 409


SHOWN_CHOICES = 100  # every id of a catalogue this size; a longer list is cut


class NotFound(KanavaError):
    """An id, code or name that names nothing."""

    status = 404

    def __init__(self, field: str, value: str, choices: Iterable[str] | None = None) -> None:
        listed = sorted(choices) if choices is not None else []
        close = difflib.get_close_matches(value, listed, n=3, cutoff=0.6)
        reason = f"unknown value {value!r}"
        if close:
            reason += "; did you mean " + " or ".join(repr(c) for c in close) + "?"
        if listed:
            reason += f"; valid: {shown_choices(listed)}"
        super().__init__(field, reason)
        self.value = value
        self.close = close
        self.listed = listed


def shown_choices(listed: list[str]) -> str:
    """The valid values, cut after SHOWN_CHOICES with the count of all."""
    more = f", … ({len(listed)})" if len(listed) > SHOWN_CHOICES else ""
    return ", ".join(listed[:SHOWN_CHOICES]) + more


class InvalidInput(KanavaError):
    """A value of the right type but not acceptable."""


def not_one_of(field: str, value: object, choices: Iterable[str]) -> InvalidInput:
    """A value outside a fixed set of choices, with the choices named."""
    return InvalidInput(field, reason("%(field)s is not one of %(join)s", field=repr(value),
                                      join=", ".join(choices)))  # fmt: skip


class ImportRefused(KanavaError):
    """A file was refused whole; nothing of it was stored."""

    def __init__(self, record: str, reason: str) -> None:
        super().__init__(record, reason)
        self.record = record
