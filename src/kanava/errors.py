"""Domain errors shared by the API, the CLI and the loaders.

Each names the field it is about and says why, so that an HTTP problem+json body
and a one-line CLI message can be made from it alike.
"""

from __future__ import annotations

from collections.abc import Iterable


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


class NotFound(KanavaError):
    """An id, code or name that names nothing."""

    status = 404

    def __init__(self, field: str, value: str, choices: Iterable[str] | None = None) -> None:
        reason = f"unknown value {value!r}"
        if choices is not None:
            listed = sorted(choices)
            shown = ", ".join(listed[:20]) + (", …" if len(listed) > 20 else "")
            reason += f"; valid: {shown}"
        super().__init__(field, reason)
        self.value = value


class InvalidInput(KanavaError):
    """A value of the right type but not acceptable."""


class ImportRefused(KanavaError):
    """A file was refused whole; nothing of it was stored."""

    def __init__(self, record: str, reason: str) -> None:
        super().__init__(record, reason)
        self.record = record
