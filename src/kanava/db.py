"""Engine, sessions and the declarative base: SQLite embedded, PostgreSQL in production."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, MetaData, create_engine, event, exc, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from kanava.config import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


WRITE_OPTION = "kanava_write"


# Kinds of advisory lock: the first of PostgreSQL's two lock keys.
LOCK_CUSTOMER = 1
LOCK_INGEST_SOURCE = 2
_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(:kind, hashtext(:key))")


def lock_until_commit(connection: Connection, kind: int, key: str) -> None:
    """Serialise the transactions that take the same (kind, key) until each commits.

    PostgreSQL only, with an advisory lock: SQLite runs one writer at a time anyway
    (write transactions begin IMMEDIATE), so there is nothing to wait for.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(_ADVISORY_LOCK, {"kind": kind, "key": key})


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware instant stored as UTC; SQLite returns it aware too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: instants must carry a zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def make_engine(settings: Settings) -> Engine:
    """An engine for the configured database; SQLite gets foreign keys and a WAL journal."""
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    pooled = path is not None or not settings.database_url.startswith("sqlite")
    pool = (
        {
            "pool_size": settings.db_pool_size,
            "max_overflow": settings.db_max_overflow,
            "pool_timeout": settings.db_pool_timeout,
        }
        if pooled
        else {}  # an in-memory SQLite database lives in its one connection
    )
    engine = create_engine(settings.database_url, **pool)
    _ping_when_idle(engine)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # SQLAlchemy, not the driver, begins transactions (so SAVEPOINT works).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            # A write transaction takes the write lock first, so reading and then writing
            # can never fail on a snapshot another writer has moved on from.
            write = connection.get_execution_options().get(WRITE_OPTION, False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


# A pooled connection back within this long is taken as alive: pinging it would add a
# round trip to every transaction of a busy server (a booking has seven besides).
PING_AFTER_IDLE_SECONDS = 2.0


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use when it has lain idle, and replace it if
    the server has gone (restarted, or dropped it): a pool_pre_ping that skips the
    connections a busy server just used. Should the server go within that moment, the
    transaction fails, and the pool replaces every connection older than the failure.
    """

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return  # just connected, or just used
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(str(error)) from error


def write_concurrency(settings: Settings) -> int:
    """Write transactions a process runs at once: as configured, within its connections."""
    return min(settings.db_write_concurrency, settings.db_pool_size + settings.db_max_overflow)


def make_async_engine(settings: Settings) -> AsyncEngine | None:
    """An asyncio engine for PostgreSQL, for the hot write transactions: while one waits
    for the database the process serves others on the same thread. None for SQLite,
    whose one writer at a time gains nothing from it."""
    if not settings.database_url.startswith("postgresql+psycopg://"):
        return None
    engine = create_async_engine(
        settings.database_url,
        # Its transactions are limited to this many at once (deps.LoopTransactions).
        pool_size=write_concurrency(settings),
        max_overflow=0,
        pool_timeout=settings.db_pool_timeout,
    )
    _ping_when_idle(engine.sync_engine)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def open_session(factory: sessionmaker[Session], write: bool = False) -> Session:
    """A session with its connection taken; ``write`` takes SQLite's write lock first."""
    session = factory()
    session.connection(execution_options={WRITE_OPTION: True} if write else None)
    return session


def end_session(session: Session, commit: bool) -> None:
    """Commit (or roll back) and give the connection back."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


@contextmanager
def session_scope(factory: sessionmaker[Session], write: bool = False) -> Iterator[Session]:
    """A session committed on success and rolled back on error; ``write`` locks first on SQLite."""
    session = open_session(factory, write)
    try:
        yield session
    except BaseException:
        end_session(session, commit=False)
        raise
    end_session(session, commit=True)
