"""A pooled connection the server dropped while it lay idle is replaced before use; one
dropped the moment after it was used fails that one transaction, and the pool then
replaces it for the next. Both for the threaded engine and the asyncio one (bookings)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from kanava import db
from kanava.config import Settings
from kanava.db import make_async_engine, make_engine
from tests.conftest import run_in_own_loop

PID = text("SELECT pg_backend_pid()")


@pytest.fixture(params=["threaded", "asyncio"])
def backend_pid(
    request: pytest.FixtureRequest, backend: str, loaded_url: str
) -> Iterator[Callable[[], int]]:
    """The server process behind the pool's one connection, asked through the pool."""
    if backend != "postgresql":
        pytest.skip("a server that drops connections: PostgreSQL only")
    settings = Settings(database_url=loaded_url, db_pool_size=1, db_max_overflow=0)
    if request.param == "threaded":
        engine = make_engine(settings)

        def threaded() -> int:
            with engine.connect() as connection:
                pid: int = connection.execute(PID).scalar_one()
            return pid

        yield threaded
        engine.dispose()
        return
    async_engine = make_async_engine(settings)
    assert async_engine is not None

    async def ask() -> int:
        async with async_engine.connect() as connection:
            pid: int = (await connection.execute(PID)).scalar_one()
        return pid

    yield lambda: run_in_own_loop(ask)
    run_in_own_loop(async_engine.dispose)


def _drop(loaded_url: str, pid: int) -> None:
    """The server ends the pooled connection's backend, as a restart would."""
    admin = make_engine(Settings(database_url=loaded_url))
    with admin.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
    admin.dispose()


def test_a_connection_dropped_while_idle_is_replaced_before_use(
    backend_pid: Callable[[], int], loaded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = backend_pid()
    _drop(loaded_url, before)
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)  # it has lain idle long enough

    assert backend_pid() != before


def test_a_connection_dropped_just_after_use_fails_once_then_is_replaced(
    backend_pid: Callable[[], int], loaded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 3600.0)  # always "just used"
    before = backend_pid()
    _drop(loaded_url, before)

    with pytest.raises(DBAPIError) as failure:
        backend_pid()
    assert failure.value.connection_invalidated

    assert backend_pid() != before
