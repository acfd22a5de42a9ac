"""Security of the pages: response headers, and a per-session token against
cross-site request forgery on every form that changes something."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kanava.errors import KanavaError

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors 'none'"
)
_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
# The interactive API documentation loads its own script; it is not a page of kanava's.
_NO_CSP_PREFIXES = ("/api/docs",)
# Anything but the static files may carry personal data (a staff page, a booking, a
# token): no browser or proxy keeps a copy, unless the answer says otherwise itself.
_CACHEABLE_PREFIXES = ("/static/",)
_NO_STORE = (b"cache-control", b"no-store")


class SecurityHeaders:
    """Adds the headers to every response (pure ASGI: no cost to streaming or speed)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        with_csp = not path.startswith(_NO_CSP_PREFIXES)
        cacheable = path.startswith(_CACHEABLE_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(_HEADERS)
                if not cacheable and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append(_NO_STORE)
                if with_csp:
                    headers.append(
                        (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii"))
                    )
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CsrfRefused(KanavaError):
    status = 403

    def __init__(self) -> None:
        super().__init__("csrf_token", "the form has expired or came from elsewhere; reload it")


def csrf_token(request: Request) -> str:
    """The session's token, made on first use; every POST form carries it."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.session.get("csrf")
    if not isinstance(expected, str) or not submitted:
        raise CsrfRefused()
    if not hmac.compare_digest(expected.encode(), submitted.encode()):
        raise CsrfRefused()
