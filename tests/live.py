"""A real kanava server in a subprocess, on a database made for the test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session

from kanava.clock import now as real_now
from kanava.config import Settings
from kanava.db import make_engine
from kanava.loading import load_all
from kanava.migrate import upgrade


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load_database(url: str) -> None:
    """Migrate and load the shipped data, as `make run` does."""
    engine = make_engine(Settings(database_url=url))
    upgrade(engine)
    with Session(engine) as session, session.begin():
        load_all(session, real_now())
    engine.dispose()


@contextmanager
def running_server(
    url: str, *, workers: int = 1, host: str = "127.0.0.1", env: dict[str, str] | None = None
) -> Iterator[str]:
    """`kanava serve` on a free port; yields its base URL and stops it afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kanava", "serve", "--port", str(port), "--workers", str(workers)],
        env={**os.environ, "KANAVA_DATABASE_URL": url, **(env or {})},
        cwd=Path(__file__).parent,
    )
    base = f"http://{host}:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{base}/api/v1/", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=15)
