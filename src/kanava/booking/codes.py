"""Booking references and manage tokens. Pure.

A reference is short and easy to read aloud (no 0/O, 1/I). The manage token is an
HMAC of the reference and the booking's creation instant under the server's secret:
only its hash is stored, yet a retried request with the same idempotency key can be
given the same token again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from datetime import datetime

from kanava.errors import InvalidInput, reason

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """Like 'K7M-4QXH'; 32^7 possibilities, checked for uniqueness by the database."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(7))
    return f"{chars[:3]}-{chars[3:]}"


def manage_token(secret: str, reference: str, created_at: datetime) -> str:
    message = f"{reference}|{created_at.timestamp():.6f}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(token_hash(token), stored_hash)


def request_fingerprint(fields: Mapping[str, object]) -> str:
    """SHA-256 of a request's fields as canonical JSON. An idempotency key is bound to it:
    a retry sends the same body, and another body under the same key is refused instead
    of being answered with the first customer's booking."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_same_request(stored_hash: str | None, fingerprint: str) -> None:
    """Refuse a reused idempotency key whose request differs from the one it was first
    sent with; the error discloses nothing of the first request."""
    if stored_hash is None or not hmac.compare_digest(stored_hash, fingerprint):
        raise InvalidInput(
            "idempotency_key", reason("was already used with a different request; use a new key")
        )
