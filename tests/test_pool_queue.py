"""More requests at once than database connections and handler threads: they queue and
are all served. (A handler thread must never wait for a connection held by a request
that itself waits for a handler thread, e.g. to serialise its response: a deadlock until
the pool's timeout, then errors.)"""

from __future__ import annotations

import threading
import time
from typing import Any

import anyio
import httpx
import pytest
from anyio import to_thread
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.orm import Session

from kanava.app import create_app
from kanava.booking import service
from kanava.config import Settings
from tests.conftest import PINNED_NOW, run_in_own_loop

BURST = 12
BAD_BOOKING = {
    "topic": "elakkeet",
    "lang": "fi",
    "kind": "phone",
    "start": "2025-03-13T10:00:00+02:00",
    "name": "Testi Asiakas",
    "hetu": "131052-308A",  # wrong check character
    "phone": "0401234567",
}


def dispose(app: FastAPI) -> None:
    """Close the app's connections (the test drives it without its lifespan)."""
    app.state.engine.dispose()
    if app.state.async_engine is not None:
        run_in_own_loop(app.state.async_engine.dispose)


def _wait_in_the_database(session: Session, seconds: float) -> None:
    """A transaction that takes a while, spent where a booking spends its waits: on
    PostgreSQL the database sleeps (the event loop is free meanwhile); SQLite's
    transactions run in threads, which sleep."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_sleep(:s)"), {"s": seconds})
    else:
        time.sleep(seconds)


async def burst(app: FastAPI) -> list[int]:
    """BURST requests at once on a loop whose handler pool has two threads: slot searches,
    and bookings (refused inside their transaction, so the shared database is unchanged)."""
    to_thread.current_default_thread_limiter().total_tokens = 2
    statuses: list[int] = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://kanava") as client:

        async def search() -> None:
            # A plain (threaded) handler with a session and a response model.
            response = await client.get(
                "/api/v1/slots", params={"topic": "elakkeet", "lang": "fi", "kind": "phone"}
            )
            statuses.append(response.status_code)

        async def book() -> None:
            # A write transaction (Transactions: a thread, or the loop).
            response = await client.post("/api/v1/bookings", json=BAD_BOOKING)
            statuses.append(response.status_code)

        with anyio.fail_after(30):
            async with anyio.create_task_group() as group:
                for _ in range(BURST):
                    group.start_soon(search)
                    group.start_soon(book)
    return statuses


def test_a_burst_larger_than_pool_and_threads_is_served(loaded_url: str) -> None:
    settings = Settings(
        database_url=loaded_url, db_pool_size=1, db_max_overflow=0, db_pool_timeout=5
    )
    app = create_app(settings, clock=lambda: PINNED_NOW)
    statuses = run_in_own_loop(lambda: burst(app))
    dispose(app)
    assert sorted(statuses) == [200] * BURST + [422] * BURST


def test_bookings_run_at_most_write_concurrency_at_once(
    backend: str, loaded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two at a time, as configured (on SQLite one: a write holds the database's lock)."""
    in_flight: list[int] = [0, 0]  # now, most
    lock = threading.Lock()
    original = service.create_booking

    def counted(**arguments: Any) -> Any:
        with lock:
            in_flight[0] += 1
            in_flight[1] = max(in_flight)
        _wait_in_the_database(arguments["session"], 0.05)
        try:
            return original(**arguments)
        finally:
            with lock:
                in_flight[0] -= 1

    monkeypatch.setattr(service, "create_booking", counted)
    settings = Settings(database_url=loaded_url, db_write_concurrency=2)
    app = create_app(settings, clock=lambda: PINNED_NOW)

    async def bookings() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://kanava") as client:
            responses = []

            async def book() -> None:
                responses.append(await client.post("/api/v1/bookings", json=BAD_BOOKING))

            async with anyio.create_task_group() as group:
                for _ in range(8):
                    group.start_soon(book)
        return [r.status_code for r in responses]

    statuses = run_in_own_loop(bookings)
    dispose(app)
    assert statuses == [422] * 8
    assert in_flight[1] == (1 if backend == "sqlite" else 2)
