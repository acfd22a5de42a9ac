"""Signing in: back-off after failures, the same cost for unknown and known users, and
no database lock held while a password is verified."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from kanava.app import create_app
from kanava.auth import service as auth_service
from kanava.auth import signin
from kanava.auth.models import User
from kanava.auth.service import create_user
from kanava.auth.throttle import Throttle, TooManyAttempts
from kanava.config import Settings
from kanava.db import make_engine

T0 = datetime(2025, 3, 12, 8, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


def fail(throttle: Throttle, times: int, username: str = "esihenkilo", at: datetime = T0) -> None:
    for _ in range(times):
        throttle.attempt(username, "192.0.2.1", at)


def waits(throttle: Throttle, at: datetime) -> int | None:
    """Seconds the next try must wait (None: it may be made now, and is counted)."""
    try:
        throttle.attempt("esihenkilo", "192.0.2.1", at)
    except TooManyAttempts as error:
        assert error.field == "username"
        return int(error.headers["Retry-After"])
    return None


def test_throttle__five_failures_are_free_then_each_doubles_the_wait() -> None:
    throttle = Throttle()
    fail(throttle, 5)
    seen = []
    at = T0
    for _ in range(5):
        wait = waits(throttle, at)
        assert wait is not None
        seen.append(wait)
        at += timedelta(seconds=wait)
        assert waits(throttle, at) is None  # after the wait, one more try
    assert seen == [1, 2, 4, 8, 16]


def test_throttle__tries_at_once_cannot_slip_past_the_limit() -> None:
    """Eight tries sent together: each counts from the moment it is made, so the sixth is
    refused while the first five are still being verified."""
    throttle = Throttle()
    outcomes = []
    for _ in range(8):
        try:
            throttle.attempt("esihenkilo", "192.0.2.1", T0)
            outcomes.append("tried")
        except TooManyAttempts:
            outcomes.append("wait")
    assert outcomes == ["tried"] * 5 + ["wait"] * 3


def test_throttle__the_longest_wait_is_capped_and_failures_are_forgotten() -> None:
    throttle = Throttle(longest=timedelta(seconds=10))
    fail(throttle, 5)
    at = T0
    for _ in range(8):
        at += timedelta(seconds=waits(throttle, at) or 0)
        waits(throttle, at)
    assert waits(throttle, at) == 10
    assert waits(throttle, at + timedelta(minutes=15, seconds=1)) is None


def test_throttle__many_names_from_one_address_are_slowed_too() -> None:
    throttle = Throttle()
    for number in range(10):
        throttle.attempt(f"user-{number}", "192.0.2.9", T0)
    with pytest.raises(TooManyAttempts) as waiting:
        throttle.attempt("somebody-new", "192.0.2.9", T0)
    assert waiting.value.field == "address"
    throttle.attempt("somebody-new", "198.51.100.4", T0)  # another address is not slowed


def test_throttle__a_right_password_counts_against_neither() -> None:
    """An office behind one address signs in all day without being slowed."""
    throttle = Throttle()
    fail(throttle, 4)
    for minute in range(40):
        at = T0 + timedelta(minutes=minute / 10)
        throttle.attempt(f"user-{minute}", "192.0.2.1", at)
        throttle.succeeded(f"user-{minute}", "192.0.2.1", at)
    throttle.attempt("esihenkilo", "192.0.2.1", T0 + timedelta(minutes=5))
    throttle.succeeded("esihenkilo", "192.0.2.1", T0 + timedelta(minutes=5))
    fail(throttle, 5, at=T0 + timedelta(minutes=6))  # the user starts afresh


@pytest.fixture
def committed_app(empty_url: str) -> Iterator[tuple[TestClient, str]]:
    """The app on its own database with a manager committed: no test session in
    between, so the locks are the server's own."""
    engine = make_engine(Settings(database_url=empty_url))
    with Session(engine) as session, session.begin():
        create_user(session, username="esihenkilo", password=PASSWORD, role="manager", now=T0)
    engine.dispose()
    app = create_app(Settings(database_url=empty_url), clock=lambda: T0)
    with TestClient(app) as client:
        yield client, empty_url


def token(client: TestClient, username: str, password: str) -> int:
    return client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    ).status_code


def test_api__wrong_passwords_then_429_with_retry_after_and_no_hashing(
    committed_app: tuple[TestClient, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = committed_app
    verified: list[str] = []
    original = signin.password_matches

    def counting(login: auth_service.Login, password: str) -> bool:
        verified.append(password)
        return original(login, password)

    monkeypatch.setattr(signin, "password_matches", counting)
    assert [token(client, "esihenkilo", "wrong password!") for _ in range(5)] == [401] * 5
    began = time.monotonic()
    refused = client.post(
        "/api/v1/auth/token", json={"username": "esihenkilo", "password": PASSWORD}
    )
    assert time.monotonic() - began >= 0.9  # answered after the second of back-off
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"
    assert refused.json()["errors"][0]["field"] == "username"
    assert len(verified) == 5  # the refused try cost no verification


def test_api__an_unknown_user_costs_one_verification_as_a_known_one(
    committed_app: tuple[TestClient, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = committed_app
    token(client, "nobody", "warm up the equaliser")
    calls: list[str] = []

    class Counting:
        """The hasher, counting what it is asked to do."""

        def __init__(self, hasher: PasswordHasher) -> None:
            self.hasher = hasher

        def hash(self, password: str) -> str:
            calls.append("hash")
            return self.hasher.hash(password)

        def verify(self, stored: str, password: str) -> bool:
            calls.append("verify")
            return self.hasher.verify(stored, password)

    monkeypatch.setattr(auth_service, "_HASHER", Counting(auth_service._HASHER))
    assert token(client, "nobody-at-all", "a password") == 401
    assert token(client, "esihenkilo", "a password") == 401
    assert calls == ["verify", "verify"]


def test_api__a_failed_sign_in_holds_no_write_lock(
    committed_app: tuple[TestClient, str], monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    """While the password is verified, another writer can take SQLite's write lock at
    once (today's failed logins stalled every booking)."""
    if backend != "sqlite":
        pytest.skip("the write lock in question is SQLite's")
    client, url = committed_app
    database = make_url(url).database
    assert database
    writers: list[str] = []
    original = signin.password_matches

    def while_verifying(login: auth_service.Login, password: str) -> bool:
        other = sqlite3.connect(database, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            writers.append("took the lock")
        finally:
            other.close()
        return original(login, password)

    monkeypatch.setattr(signin, "password_matches", while_verifying)
    assert token(client, "esihenkilo", "wrong password!") == 401
    assert token(client, "esihenkilo", PASSWORD) == 200
    assert writers == ["took the lock", "took the lock"]


def test_api__a_hash_made_with_older_parameters_is_remade_at_sign_in(
    committed_app: tuple[TestClient, str],
) -> None:
    client, url = committed_app
    engine = make_engine(Settings(database_url=url))
    with Session(engine) as session, session.begin():
        user = session.scalars(select(User).where(User.username == "esihenkilo")).one()
        user.password_hash = PasswordHasher().hash(PASSWORD)  # argon2-cffi's defaults
    assert token(client, "esihenkilo", PASSWORD) == 200
    with Session(engine) as session:
        stored = session.scalars(select(User.password_hash)).one()
    engine.dispose()
    assert "$m=19456,t=2,p=1$" in stored
    assert token(client, "esihenkilo", PASSWORD) == 200
