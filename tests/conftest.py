"""Database fixtures: every database test runs on SQLite and, when
KANAVA_TEST_POSTGRES_URL is set, on PostgreSQL too (a database made for the run).

The shipped data is loaded once per backend; each test runs inside a transaction
that is rolled back, so tests never see each other's writes.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import anyio
import pytest
from anyio import to_thread
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from kanava.app import create_app
from kanava.config import Settings, get_settings
from kanava.contacts.demo import generate_demo
from kanava.db import make_engine
from kanava.deps import (
    get_read_transactions,
    get_session,
    get_write_session,
    get_write_transactions,
)
from kanava.loading import load_all
from kanava.migrate import upgrade

T = TypeVar("T")
POSTGRES_ENV = "KANAVA_TEST_POSTGRES_URL"
LOADED_AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
BACKENDS = ["sqlite", "postgresql"]


def pytest_report_header() -> str:
    if os.environ.get(POSTGRES_ENV):
        return f"database tests: SQLite and PostgreSQL ({POSTGRES_ENV} is set)"
    return (
        f"database tests: SQLite only; the PostgreSQL runs are skipped because {POSTGRES_ENV} "
        "is not set (e.g. postgresql://postgres@127.0.0.1:5432/test)"
    )


def _postgres_admin_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(
            f"PostgreSQL tests skipped: {POSTGRES_ENV} is not set "
            "(e.g. postgresql://postgres@127.0.0.1:5432/test)"
        )
    return Settings(database_url=url).database_url


@pytest.fixture(scope="session")
def _postgres_databases() -> Iterator[list[str]]:
    """Names of databases made during the run; all dropped at the end."""
    made: list[str] = []
    yield made
    if made:
        admin = create_engine(_postgres_admin_url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in made:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def new_database_url(backend: str, directory: Path, made: list[str]) -> str:
    """An empty database on the backend: a SQLite file, or a fresh PostgreSQL database."""
    if backend == "sqlite":
        return f"sqlite:///{directory / f'kanava-{uuid.uuid4().hex[:8]}.sqlite3'}"
    admin_url = _postgres_admin_url()
    name = f"kanava_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    made.append(name)
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        _postgres_admin_url()
    return str(request.param)


@pytest.fixture(scope="session")
def loaded_url(
    backend: str, tmp_path_factory: pytest.TempPathFactory, _postgres_databases: list[str]
) -> str:
    """A database with the schema migrated and the shipped data loaded, once per backend."""
    url = new_database_url(backend, tmp_path_factory.mktemp(backend), _postgres_databases)
    engine = make_engine(Settings(database_url=url))
    upgrade(engine)
    with Session(engine) as session, session.begin():
        load_all(session, LOADED_AT)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def loaded_engine(loaded_url: str) -> Iterator[Engine]:
    engine = make_engine(Settings(database_url=loaded_url))
    yield engine
    engine.dispose()


@pytest.fixture
def session(loaded_engine: Engine) -> Iterator[Session]:
    """A session whose work, commits included, is rolled back after the test."""
    with loaded_engine.connect() as connection:
        transaction = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as db:
            yield db
        transaction.rollback()


@pytest.fixture
def empty_url(backend: str, tmp_path: Path, _postgres_databases: list[str]) -> str:
    """A new, migrated but empty database for tests that commit through the CLI."""
    url = new_database_url(backend, tmp_path, _postgres_databases)
    engine = make_engine(Settings(database_url=url))
    upgrade(engine)
    engine.dispose()
    return url


def run_in_own_loop(function: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine function on an event loop of its own, in a thread of its own: the
    browser tests' Playwright may have a loop running in this thread."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(anyio.run, function).result()


PINNED_NOW = datetime(2025, 3, 12, 8, 0, tzinfo=UTC)  # Wednesday 10:00 in Helsinki


class InTestSession:
    """Write transactions on the rolled-back test session (in a worker thread, as served)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    async def run(self, work: Callable[[Session], T]) -> T:
        return await to_thread.run_sync(work, self.session)


def serve_from(app: FastAPI, session: Session) -> None:
    """Every request of the app reads and writes in the rolled-back test session."""

    def _session() -> Iterator[Session]:
        yield session

    app.dependency_overrides[get_session] = _session
    app.dependency_overrides[get_write_session] = _session
    app.dependency_overrides[get_read_transactions] = lambda: InTestSession(session)
    app.dependency_overrides[get_write_transactions] = lambda: InTestSession(session)


@pytest.fixture
def client(session: Session, loaded_url: str) -> Iterator[TestClient]:
    """The HTTP API on the rolled-back test session, its clock pinned to PINNED_NOW."""
    settings = Settings(database_url=loaded_url, events_dir=Path("does-not-exist"))
    app = create_app(settings, clock=lambda: PINNED_NOW)
    serve_from(app, session)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def use_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Point the CLI at a database: call the returned function with its URL."""

    def point_at(url: str) -> None:
        monkeypatch.setenv("KANAVA_DATABASE_URL", url)
        get_settings.cache_clear()

    yield point_at
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def demo_events(loaded_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a synthetic demo year of 2024 (seed 11), made once per module."""
    directory = tmp_path_factory.mktemp("events")
    with Session(loaded_engine) as session:
        generate_demo(session, 2024, 11, directory)
    return directory
