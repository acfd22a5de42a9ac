"""Small state a page flow keeps in the signed session cookie: manage tokens of the
customer's own bookings, one-off notices, and a nonce per form against double sending."""

from __future__ import annotations

import secrets

from fastapi import Request

_TOKENS = "manage_tokens"
_MAX_TOKENS = 10


def remember_token(request: Request, reference: str, token: str) -> None:
    """Keep the manage token of a booking this browser made or opened (the last ten)."""
    tokens = dict(request.session.get(_TOKENS, {}))
    tokens[reference] = token
    request.session[_TOKENS] = dict(list(tokens.items())[-_MAX_TOKENS:])


def token_for(request: Request, reference: str) -> str:
    """The token remembered for a reference, or an empty string that opens nothing."""
    tokens = request.session.get(_TOKENS, {})
    token = tokens.get(reference.upper()) if isinstance(tokens, dict) else None
    return token if isinstance(token, str) else ""


def flash(request: Request, key: str) -> None:
    request.session["flash"] = key


def take_flash(request: Request) -> str | None:
    value = request.session.pop("flash", None)
    return value if isinstance(value, str) else None


def new_nonce() -> str:
    """An idempotency key for one form: sending it twice books once."""
    return secrets.token_urlsafe(16)
