"""The pages in process, on the rolled-back test session, with a clock the test can move."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from kanava.app import create_app
from kanava.auth.demo import DEMO_PASSWORD, ensure_demo_users
from kanava.config import Settings
from tests.conftest import PINNED_NOW, serve_from


@dataclass
class Clock:
    now: datetime = PINNED_NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def browser_client(
    session: Session, loaded_url: str, clock: Clock, tmp_path: Path
) -> Iterator[TestClient]:
    """Like a browser: keeps cookies, speaks HTTPS (the session cookie is Secure)."""
    ensure_demo_users(session, PINNED_NOW, "development")
    settings = Settings(database_url=loaded_url, events_dir=tmp_path / "events")
    app = create_app(settings, clock=clock)
    serve_from(app, session)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        yield client


def field(response: Response, name: str) -> str:
    """The value of a form field of the page (hidden fields included)."""
    found = re.search(rf'name="{name}" value="([^"]*)"', response.text)
    assert found, f"no field {name} on the page"
    return found.group(1)


def options(response: Response, name: str) -> list[str]:
    """The values of the radio buttons of a group."""
    return re.findall(rf'name="{name}" value="([^"]*)"', response.text)


def log_in(client: TestClient, username: str, lang: str = "fi") -> Response:
    form = client.get(f"/{lang}/login")
    return client.post(
        f"/{lang}/login",
        data={
            "csrf_token": field(form, "csrf_token"),
            "username": username,
            "password": DEMO_PASSWORD,
        },
    )
