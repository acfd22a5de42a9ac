"""FastAPI dependencies: one session per request, committed when the handler succeeds."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Protocol, TypeVar

from anyio import CancelScope, CapacityLimiter, to_thread
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, sessionmaker

from kanava.auth.service import Principal, authenticate
from kanava.config import Settings
from kanava.db import end_session, open_session, session_scope

T = TypeVar("T")


@asynccontextmanager
async def _request_session(request: Request, write: bool) -> AsyncIterator[Session]:
    """The request's session, its connection taken before the handler runs.

    Waiting for a pooled connection (or SQLite's write lock) and giving it back happen in
    threads outside the handlers' limited pool. So a handler thread never waits for a
    connection, and a request holding one never needs a handler thread to let it go
    (as it does for the response's serialisation): when more requests arrive at once
    than there are connections, they queue instead of deadlocking.
    """
    factory: sessionmaker[Session] = request.app.state.session_factory
    session = await to_thread.run_sync(open_session, factory, write, limiter=CapacityLimiter(1))
    committed = False
    try:
        yield session
        committed = True
    finally:
        with CancelScope(shield=True):
            await to_thread.run_sync(end_session, session, committed, limiter=CapacityLimiter(1))


class Transactions(Protocol):
    """Runs work in a transaction, from its first read to its commit (or, for reads, its
    end).

    The hot write paths use this instead of WriteSessionDep, whose session takes a
    thread to open, one for the handler, one for the response and one to commit: each
    hop costs more than a booking's own statements. At most ``db_write_concurrency``
    transactions run at once per process; the rest wait for their turn on the event
    loop, holding no connection.
    """

    async def run(self, work: Callable[[Session], T]) -> T: ...


class ThreadTransactions:
    """Each transaction begun, run and committed in one worker thread (SQLite).

    Few at a time is fastest: a process runs its Python on one core, and threads beyond
    what keeps it busy only contend for it (docs/operations.md).
    """

    def __init__(self, factory: sessionmaker[Session], limiter: CapacityLimiter) -> None:
        self.factory = factory
        self.limiter = limiter

    async def run(self, work: Callable[[Session], T]) -> T:
        def in_thread() -> T:
            with session_scope(self.factory, write=True) as session:
                return work(session)

        return await to_thread.run_sync(in_thread, limiter=self.limiter)


class LoopTransactions:
    """Each transaction run on the event loop with an asyncio driver (PostgreSQL).

    The work is the same synchronous code; SQLAlchemy suspends it while it waits for
    the database, and the loop meanwhile serves requests and runs other transactions.
    No thread hands work to another, so several transactions fill the waits of one
    process without contending for its interpreter lock.
    """

    def __init__(self, factory: async_sessionmaker[AsyncSession], limiter: CapacityLimiter) -> None:
        self.factory = factory
        self.limiter = limiter

    async def run(self, work: Callable[[Session], T]) -> T:
        async with self.limiter, self.factory() as session, session.begin():
            return await session.run_sync(work)


class ReadTransactions:
    """Short read transactions, each in a worker thread with a connection of its own:
    for work that must hold no connection while it does something else (signing in
    verifies a password for tens of milliseconds)."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    async def run(self, work: Callable[[Session], T]) -> T:
        def in_thread() -> T:
            with session_scope(self.factory) as session:
                return work(session)

        return await to_thread.run_sync(in_thread)


async def get_read_transactions(request: Request) -> Transactions:
    return ReadTransactions(request.app.state.session_factory)


async def get_write_transactions(request: Request) -> Transactions:
    transactions: Transactions = request.app.state.write_transactions
    return transactions


async def get_session(request: Request) -> AsyncIterator[Session]:
    async with _request_session(request, write=False) as session:
        yield session


async def get_write_session(request: Request) -> AsyncIterator[Session]:
    """For requests that write: on SQLite the write lock is taken before the first read."""
    async with _request_session(request, write=True) as session:
        yield session


# Dependencies that do no I/O are coroutines: FastAPI runs a plain function in a worker
# thread, a hop that costs more than the work.
async def get_now(request: Request) -> datetime:
    """The app's clock: the real one, or a pinned one in tests."""
    now: datetime = request.app.state.clock()
    return now


_BEARER = HTTPBearer(
    auto_error=False, description="A token from POST /api/v1/auth/token (12 hours)."
)


def get_principal(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
    session: Annotated[Session, Depends(get_session, scope="function")],
    now: Annotated[datetime, Depends(get_now)],
) -> Principal:
    """The staff, partner or manager user of a bearer token."""
    return authenticate(session, credentials.credentials if credentials else None, now)


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# scope="function": the transaction commits before the response is sent, so a client that
# was told "booked" (or follows a redirect) always finds the write.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
NowDep = Annotated[datetime, Depends(get_now)]
PrincipalDep = Annotated[Principal, Depends(get_principal, scope="function")]
WriteTransactionsDep = Annotated[Transactions, Depends(get_write_transactions)]
ReadTransactionsDep = Annotated[Transactions, Depends(get_read_transactions)]
