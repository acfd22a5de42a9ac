"""FastAPI dependencies: one session per request, committed when the handler succeeds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from kanava.auth.service import Principal, authenticate
from kanava.config import Settings
from kanava.db import session_scope


def get_session(request: Request) -> Iterator[Session]:
    factory: sessionmaker[Session] = request.app.state.session_factory
    with session_scope(factory) as session:
        yield session


def get_write_session(request: Request) -> Iterator[Session]:
    """For requests that write: on SQLite the write lock is taken before the first read."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    with session_scope(factory, write=True) as session:
        yield session


def get_now(request: Request) -> datetime:
    """The app's clock: the real one, or a pinned one in tests."""
    now: datetime = request.app.state.clock()
    return now


def get_principal(
    request: Request,
    session: Annotated[Session, Depends(get_session, scope="function")],
    now: Annotated[datetime, Depends(get_now)],
) -> Principal:
    """The staff, partner or manager user of a bearer token."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return authenticate(session, token if scheme.lower() == "bearer" else None, now)


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# scope="function": the transaction commits before the response is sent, so a client that
# was told "booked" (or follows a redirect) always finds the write.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
WriteSessionDep = Annotated[Session, Depends(get_write_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
NowDep = Annotated[datetime, Depends(get_now)]
PrincipalDep = Annotated[Principal, Depends(get_principal, scope="function")]
