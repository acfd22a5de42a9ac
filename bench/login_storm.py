"""Bookings per second while clients send wrong passwords, beside the same load alone.

For each database: the booking load of bench/booking_http.py against `kanava serve
--workers 2`, once alone and once while 8 more clients send sign-ins with wrong
passwords as fast as they are answered. Printed: bookings per second both ways, their
ratio, and how the wrong sign-ins were answered (401 after a verification, 429 during
the back-off, with no verification). Target: with the storm, at least 80 % of the
bookings per second without it.
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import tempfile
import threading
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from booking_http import drive, prepare, run_load, serve
from kanava.config import Settings
from lean_http import Visitor

STORM_CLIENTS = 8


def storm(base: str, clients: int, stop: threading.Event) -> Counter[int]:
    """Wrong passwords for a few user names until ``stop``: the status codes."""
    statuses: Counter[int] = Counter()

    async def wrong_password(visitor: Visitor, rng: random.Random) -> int:
        status, _ = await visitor.post_json(
            "/api/v1/auth/token",
            {"username": rng.choice(("esihenkilo", "asiantuntija", "admin")), "password": "x" * 12},
        )
        return status

    while not stop.is_set():
        answered, _ = drive(base, clients, 1.0, wrong_password)
        statuses.update(answered)
    return statuses


def booking_rate(base: str, clients: int, seconds: float) -> float:
    booked, _, _, elapsed = run_load(base, clients, seconds)
    return booked / elapsed


def rate_in_storm(base: str, clients: int, seconds: float) -> tuple[float, Counter[int]]:
    """Bookings per second while the storm blows, and how the storm was answered."""
    stop = threading.Event()
    answered: Counter[int] = Counter()
    stormer = threading.Thread(target=lambda: answered.update(storm(base, STORM_CLIENTS, stop)))
    stormer.start()
    try:
        return booking_rate(base, clients, seconds), answered
    finally:
        stop.set()
        stormer.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    options = parser.parse_args()
    databases = [("SQLite", f"sqlite:///{Path(tempfile.mkdtemp()) / 'storm.sqlite3'}")]
    postgres = os.environ.get("KANAVA_TEST_POSTGRES_URL")
    print(
        f"login storm: {options.clients} booking clients for {options.seconds:.0f} s, alone and"
        f" beside {STORM_CLIENTS} clients sending wrong passwords; kanava serve --workers 2"
    )
    print(
        f"{'database':<12}{'alone/s':>10}{'in storm/s':>12}{'ratio':>8}"
        f"{'storm 401':>11}{'storm 429':>11}"
    )
    if postgres:
        databases.insert(0, ("PostgreSQL", postgres))
    for label, url in databases:
        if label == "PostgreSQL":
            url = fresh_postgres(url)
        prepare(url)
        server, base = serve(url, 2)
        try:
            alone = booking_rate(base, options.clients, options.seconds)
            stormy, answered = rate_in_storm(base, options.clients, options.seconds)
        finally:
            server.terminate()
            server.wait(timeout=15)
        print(
            f"{label:<12}{alone:>10.1f}{stormy:>12.1f}{stormy / alone:>8.2f}"
            f"{answered[401]:>11}{answered[429]:>11}"
        )
    print("baseline: the same booking load alone, on the same server, just before")
    print("target: ratio at least 0.80 (bookings/s in the storm within 20 % of alone)")


def fresh_postgres(url: str) -> str:
    """A new database on the server of ``url``, dropped when the process ends."""
    admin = create_engine(Settings(database_url=url).database_url, isolation_level="AUTOCOMMIT")
    name = f"kanava_storm_{os.getpid()}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    atexit.register(drop)
    return make_url(admin.url).set(database=name).render_as_string(hide_password=False)


if __name__ == "__main__":
    main()
