"""More requests at once than database connections and handler threads: they queue and
are all served. (A handler thread must never wait for a connection held by a request
that itself waits for a handler thread, e.g. to serialise its response: a deadlock until
the pool's timeout, then errors.)"""

from __future__ import annotations

import anyio
import httpx
import pytest
from anyio import to_thread

from kanava.app import create_app
from kanava.config import Settings
from tests.conftest import PINNED_NOW

BURST = 12


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_a_burst_larger_than_pool_and_threads_is_served(loaded_url: str) -> None:
    settings = Settings(
        database_url=loaded_url, db_pool_size=1, db_max_overflow=0, db_pool_timeout=5
    )
    app = create_app(settings, clock=lambda: PINNED_NOW)
    to_thread.current_default_thread_limiter().total_tokens = 2
    statuses: list[int] = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://kanava") as client:

        async def one() -> None:
            # A plain (threaded) handler with a session and a response model.
            response = await client.get(
                "/api/v1/slots", params={"topic": "elakkeet", "lang": "fi", "kind": "phone"}
            )
            statuses.append(response.status_code)

        with anyio.fail_after(30):
            async with anyio.create_task_group() as group:
                for _ in range(BURST):
                    group.start_soon(one)
    app.state.engine.dispose()
    assert statuses == [200] * BURST
