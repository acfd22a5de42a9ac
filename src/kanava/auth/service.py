"""Users, passwords (argon2) and API tokens (only a SHA-256 of each is stored)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kanava.auth.models import ApiToken, AuditEntry, User
from kanava.errors import InvalidInput, KanavaError

ROLES = ("staff", "partner", "manager")
TOKEN_LIFETIME = timedelta(hours=12)
_HASHER = PasswordHasher()


class NotAuthenticated(KanavaError):
    status = 401

    def __init__(self) -> None:
        super().__init__("authorization", "a valid bearer token is required")


class Forbidden(KanavaError):
    status = 403

    def __init__(self, reason: str) -> None:
        super().__init__("role", reason)


@dataclass(frozen=True)
class Principal:
    """Who is asking: their name, role and, for staff, the expert they are."""

    username: str
    role: str
    expert_id: str | None = None
    partner_channel_id: str | None = None

    def require(self, *roles: str) -> None:
        if self.role not in roles:
            raise Forbidden(f"this needs the role {' or '.join(roles)}, not {self.role}")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    now: datetime,
    expert_id: str | None = None,
    partner_channel_id: str | None = None,
) -> User:
    if role not in ROLES:
        raise InvalidInput("role", f"{role!r} is not one of {', '.join(ROLES)}")
    if len(password) < 12:
        raise InvalidInput("password", "must be at least 12 characters")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise InvalidInput("username", f"{username!r} is taken")
    user = User(
        username=username,
        password_hash=_HASHER.hash(password),
        role=role,
        expert_id=expert_id,
        partner_channel_id=partner_channel_id,
        active=True,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def issue_token(
    session: Session, *, username: str, password: str, now: datetime
) -> tuple[str, datetime]:
    """A new API token for a user whose password matches; the same error either way."""
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    try:
        if user is None:
            _HASHER.verify(_HASHER.hash("timing-equaliser"), password + "x")
        else:
            _HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise NotAuthenticated() from None
    assert user is not None
    token = secrets.token_urlsafe(32)
    expires = now + TOKEN_LIFETIME
    session.add(
        ApiToken(
            token_hash=token_digest(token), user_id=user.id, created_at=now, expires_at=expires
        )
    )
    session.flush()
    return token, expires


def authenticate(session: Session, token: str | None, now: datetime) -> Principal:
    if not token:
        raise NotAuthenticated()
    row = session.execute(
        select(User, ApiToken.expires_at)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_digest(token), User.active.is_(True))
    ).first()
    if row is None or row[1] <= now:
        raise NotAuthenticated()
    user = row[0]
    return Principal(user.username, user.role, user.expert_id, user.partner_channel_id)


def principal_of(session: Session, username: str) -> Principal:
    """The active user named on the command line, as the API would see them."""
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if user is None:
        raise InvalidInput("user", f"no active user {username!r}")
    return Principal(user.username, user.role, user.expert_id, user.partner_channel_id)


def revoke_token(session: Session, token: str) -> None:
    """Log out: the token opens nothing from now on."""
    session.execute(delete(ApiToken).where(ApiToken.token_hash == token_digest(token)))


def audit(
    session: Session,
    principal: Principal,
    action: str,
    now: datetime,
    *,
    booking_id: int | None = None,
    callback_id: int | None = None,
) -> None:
    """Record a read or change of a protected customer's data."""
    session.add(
        AuditEntry(
            at=now,
            username=principal.username,
            role=principal.role,
            action=action,
            booking_id=booking_id,
            callback_id=callback_id,
        )
    )
