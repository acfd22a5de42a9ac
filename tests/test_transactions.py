"""A client is told a write succeeded only after it is committed: the session's work ends
before the response is sent, so a failing commit is an error, never a false 201."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from kanava.app import create_app
from kanava.booking.models import Booking
from kanava.config import Settings
from kanava.deps import get_session, get_write_session
from tests.conftest import PINNED_NOW


class CommitFailed(Exception):
    pass


def test_a_failing_commit_is_reported_not_hidden_behind_a_success(
    session: Session, loaded_url: str
) -> None:
    app = create_app(Settings(database_url=loaded_url), clock=lambda: PINNED_NOW)

    def failing_commit() -> Iterator[Session]:
        yield session
        raise CommitFailed("the database refused the commit")

    app.dependency_overrides[get_session] = failing_commit
    app.dependency_overrides[get_write_session] = failing_commit
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get(
            "/api/v1/callbacks/windows", params={"topic": "elakkeet", "lang": "fi"}
        )
    assert response.status_code == 500


def test_a_booking_whose_commit_fails_is_an_error_and_nothing_is_stored(
    loaded_url: str, request: pytest.FixtureRequest
) -> None:
    app = create_app(Settings(database_url=loaded_url), clock=lambda: PINNED_NOW)

    def refuse(_session: Session) -> None:
        raise CommitFailed("the database refused the commit")

    # Every session: the booking's may come from the threaded or the asyncio engine.
    event.listen(Session, "before_commit", refuse)
    request.addfinalizer(lambda: event.remove(Session, "before_commit", refuse))
    booking = {
        "topic": "perinta",
        "lang": "fi",
        "kind": "phone",
        "start": "2025-03-13T10:00:00+02:00",
        "name": "Kesken Jäänyt",
        "hetu": "131052-308T",
        "phone": "0401234567",
    }
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/api/v1/bookings", json=booking)
    assert response.status_code == 500
    with Session(app.state.engine) as session:
        stored = select(func.count()).where(Booking.customer_name == "Kesken Jäänyt")
        assert session.scalar(stored) == 0
