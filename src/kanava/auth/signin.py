"""Signing in, for the API and the login page alike: throttled, and never holding a
database transaction while a password is verified.

The user is read in a short read transaction of its own; argon2 runs in one thread of
the process's own, one verification at a time (each takes 19 MiB and a core); only
a right password then takes a write transaction, to store the new token. So wrong
passwords, however many, neither lock the database nor take more than their share
of the processor; a try during the back-off is answered 429 only after waiting out
the back-off (up to ``LONGEST_DELAY``), so even a client that ignores Retry-After makes
few requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import anyio
from sqlalchemy.orm import Session

from kanava.auth.service import (
    Login,
    NotAuthenticated,
    Principal,
    authenticate,
    find_login,
    password_matches,
    rehash_if_needed,
    store_token,
)
from kanava.auth.throttle import Throttle, TooManyAttempts
from kanava.deps import Transactions

LONGEST_DELAY = timedelta(seconds=2)
# Verifications run below the niceness of the bookings: on a busy machine the scheduler
# gives the core to a booking first (on SQLite one holding the write lock, which every
# other booking waits for), and to a password check when it has a core to spare.
VERIFIER_NICENESS = 19


def _lower_priority() -> None:
    with contextlib.suppress(AttributeError, OSError):  # elsewhere than Linux: as it is
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), VERIFIER_NICENESS)


@dataclass
class SignIns:
    """The process's sign-in throttle, and its one thread that verifies passwords (one
    verification at a time per process, at a lower priority)."""

    throttle: Throttle
    verifier: ThreadPoolExecutor

    @classmethod
    def new(cls) -> SignIns:
        verifier = ThreadPoolExecutor(1, "kanava-verify", initializer=_lower_priority)
        return cls(Throttle(), verifier)

    async def verify(self, login: Login, password: str) -> bool:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.verifier, password_matches, login, password)


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
    matches = await sign_ins.verify(login, password)
    if not matches or login.user_id is None:
        raise NotAuthenticated()
    sign_ins.throttle.succeeded(username, address, now)
    user_id = login.user_id

    def store(session: Session) -> SignedIn:
        rehash_if_needed(session, login, password)
        token, expires = store_token(session, user_id=user_id, now=now, scope=scope)
        return SignedIn(token, expires, authenticate(session, token, now, scope))

    return await transactions.run(store)
