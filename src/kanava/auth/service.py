"""Users, passwords (argon2) and API tokens (only a SHA-256 of each is stored)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kanava.auth.models import ApiToken, AuditEntry, User
from kanava.errors import InvalidInput, KanavaError, reason

ROLES = ("staff", "partner", "manager")
API_SCOPE = "api"
PAGE_SCOPE = "page"
TOKEN_LIFETIME = timedelta(hours=12)
# Argon2id at OWASP's recommended minimum (19 MiB, two passes, one lane): about 27 ms of
# one core here, where argon2-cffi's default (64 MiB, three passes, four lanes) took
# 217 ms of both, so that a storm of wrong passwords no longer starves the bookings.
# Hashes made with other parameters still verify, and are remade at the next sign-in.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


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
        raise InvalidInput(
            "role",
            reason("%(role)s is not one of %(join)s", role=repr(role), join=", ".join(ROLES)),
        )
    if len(password) < 12:
        raise InvalidInput("password", reason("must be at least 12 characters"))
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise InvalidInput("username", reason("%(username)s is taken", username=repr(username)))
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


@dataclass(frozen=True)
class Login:
    """What verifying a sign-in needs, read in a short read: no lock is held while the
    password is hashed (tens of milliseconds of CPU)."""

    user_id: int | None
    password_hash: str


@cache
def _equaliser_hash() -> str:
    """A hash of a random password, made once: an unknown user costs one verification,
    as a known one does, so the time of the answer does not tell which it was."""
    return _HASHER.hash(secrets.token_urlsafe(16))


def find_login(session: Session, username: str) -> Login:
    row = session.execute(
        select(User.id, User.password_hash).where(User.username == username, User.active.is_(True))
    ).first()
    if row is None:
        return Login(None, _equaliser_hash())
    return Login(row[0], row[1])


def password_matches(login: Login, password: str) -> bool:
    """One argon2 verification, whether or not the user exists; no database."""
    try:
        _HASHER.verify(login.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    return login.user_id is not None


def rehash_if_needed(session: Session, login: Login, password: str) -> None:
    """After a right password: remake a hash made with older parameters."""
    if login.user_id is not None and _HASHER.check_needs_rehash(login.password_hash):
        user = session.get_one(User, login.user_id)
        user.password_hash = _HASHER.hash(password)


def store_token(
    session: Session, *, user_id: int, now: datetime, scope: str = API_SCOPE
) -> tuple[str, datetime]:
    """A new token of the user. ``scope`` says where it opens: the API (a bearer token)
    or the pages (the id of a signed-in page session, never accepted by the API)."""
    token = secrets.token_urlsafe(32)
    expires = now + TOKEN_LIFETIME
    session.add(
        ApiToken(
            token_hash=token_digest(token),
            user_id=user_id,
            scope=scope,
            created_at=now,
            expires_at=expires,
        )
    )
    session.flush()
    return token, expires


def authenticate(
    session: Session, token: str | None, now: datetime, scope: str = API_SCOPE
) -> Principal:
    if not token:
        raise NotAuthenticated()
    row = session.execute(
        select(User, ApiToken.expires_at)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == token_digest(token),
            ApiToken.scope == scope,
            User.active.is_(True),
        )
    ).first()
    if row is None or row[1] <= now:
        raise NotAuthenticated()
    user = row[0]
    return Principal(user.username, user.role, user.expert_id, user.partner_channel_id)


def principal_of(session: Session, username: str) -> Principal:
    """The active user named on the command line, as the API would see them."""
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if user is None:
        raise InvalidInput("user", reason("no active user %(username)s", username=repr(username)))
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
