"""Browser tests: Debian's chromium driven by Playwright against a real kanava server.

No browser is downloaded: Playwright starts /usr/bin/chromium. axe-core comes from the
npm registry (tests/browser/package-lock.json). Without either, the tests are skipped
and say why, unless KANAVA_REQUIRE_BROWSER is set (as in CI), where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from kanava.auth.demo import ensure_demo_users
from kanava.clock import now as real_now
from kanava.config import Settings
from kanava.db import make_engine
from tests.conftest import new_database_url
from tests.live import load_database, running_server

CHROMIUM = Path(os.environ.get("KANAVA_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
REQUIRED = bool(os.environ.get("KANAVA_REQUIRE_BROWSER"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(what: str) -> None:
    if REQUIRED:
        pytest.fail(f"{what}; KANAVA_REQUIRE_BROWSER is set, so this is a failure")
    pytest.skip(f"{what}: install it to run the browser tests (.ci/run does)")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        _missing(f"no chromium at {CHROMIUM} (Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        _missing(f"no axe-core at {AXE} (run `npm ci --prefix tests/browser`)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site_database(
    backend: str, tmp_path_factory: pytest.TempPathFactory, _postgres_databases: list[str]
) -> str:
    return new_database_url(backend, tmp_path_factory.mktemp("site"), _postgres_databases)


@pytest.fixture(scope="module")
def site(site_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running kanava with the shipped data and the demo users; yields its base URL."""
    url = site_database
    load_database(url)
    engine = make_engine(Settings(database_url=url))
    with Session(engine) as session, session.begin():
        ensure_demo_users(session, real_now(), "development")
    engine.dispose()
    env = {
        "KANAVA_OUTBOX_DIR": str(tmp_path_factory.mktemp("outbox")),
        "KANAVA_EVENTS_DIR": str(tmp_path_factory.mktemp("events")),
    }
    with running_server(url, host="localhost", env=env) as base:
        yield base
