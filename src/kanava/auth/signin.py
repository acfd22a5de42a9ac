"""Signing in, for the API and the login page alike: throttled, and never holding a
database transaction while a password is verified.

The user is read in a short read transaction of its own; argon2 runs in a worker thread, at
most ``VERIFYING_AT_ONCE`` at a time per process (each takes 64 MiB and a core); only
a right password then takes a write transaction, to store the new token. So wrong
passwords, however many, neither lock the database nor take more than their share
of the processor; a try during the back-off is answered 429 only after waiting out
the back-off (up to ``LONGEST_DELAY``), so even a client that ignores Retry-After makes
few requests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import anyio
from anyio import CapacityLimiter, to_thread
from sqlalchemy.orm import Session

from kanava.auth.service import (
    NotAuthenticated,
    Principal,
    authenticate,
    find_login,
    password_matches,
    store_token,
)
from kanava.auth.throttle import Throttle, TooManyAttempts
from kanava.deps import Transactions

VERIFYING_AT_ONCE = 1
LONGEST_DELAY = timedelta(seconds=2)


@dataclass
class SignIns:
    """The process's sign-in throttle and its limit on verifications at once."""

    throttle: Throttle
    verifying: CapacityLimiter

    @classmethod
    def new(cls) -> SignIns:
        return cls(Throttle(), CapacityLimiter(VERIFYING_AT_ONCE))


@dataclass(frozen=True)
class SignedIn:
    token: str
    expires_at: datetime
    principal: Principal


async def sign_in(
    *,
    sign_ins: SignIns,
    reads: Transactions,
    transactions: Transactions,
    username: str,
    password: str,
    address: str,
    now: datetime,
    scope: str,
) -> SignedIn:
    """A new token for a right password; NotAuthenticated (the same for an unknown user
    and a wrong password) or TooManyAttempts otherwise."""
    try:
        sign_ins.throttle.attempt(username, address, now)
    except TooManyAttempts as refused:
        # Answered late, not at once: a client that ignores Retry-After and tries again
        # and again spends its time waiting, not the server's processor.
        slept = min(refused.wait, LONGEST_DELAY)
        await anyio.sleep(slept.total_seconds())
        raise TooManyAttempts(refused.field, max(refused.wait - slept, timedelta(0))) from None
    login = await reads.run(lambda session: find_login(session, username))
    matches = await to_thread.run_sync(
        password_matches, login, password, limiter=sign_ins.verifying
    )
    if not matches or login.user_id is None:
        raise NotAuthenticated()
    sign_ins.throttle.succeeded(username, address, now)
    user_id = login.user_id

    def store(session: Session) -> SignedIn:
        token, expires = store_token(session, user_id=user_id, now=now, scope=scope)
        return SignedIn(token, expires, authenticate(session, token, now, scope))

    return await transactions.run(store)
