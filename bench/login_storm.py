"""Bookings per second while clients send wrong passwords, beside the same load alone.

For each database: the booking load of bench/booking_http.py against `kanava serve
--workers 2`, once alone and once while 8 more clients send sign-ins with wrong
passwords as fast as they are answered (from a process of their own). Each round
starts a fresh server; printed per round: bookings per second both ways, their ratio,
and how the wrong sign-ins were answered (401 after a verification, 429 during the
back-off, with no verification); then the median ratio. Target: with the storm, at
least 80 % of the bookings per second without it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import tempfile
from collections import Counter
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event as EventType
from pathlib import Path

from sqlalchemy import text

from booking_http import drive, fresh_postgres, prepare, run_load, serve
from kanava.config import Settings
from kanava.db import make_engine
from lean_http import Visitor

STORM_CLIENTS = 8


def storm(base: str, clients: int, stop: EventType, answered: Queue[Counter[int]]) -> None:
    """Wrong passwords for a few user names until ``stop``; how they were answered goes
    to ``answered``. Run in a process of its own, as attackers are not the customers."""
    statuses: Counter[int] = Counter()

    async def wrong_password(visitor: Visitor, rng: random.Random) -> int:
        status, _ = await visitor.post_json(
            "/api/v1/auth/token",
            {"username": rng.choice(("esihenkilo", "asiantuntija", "admin")), "password": "x" * 12},
        )
        return status

    while not stop.is_set():
        round_statuses, _ = drive(base, clients, 1.0, wrong_password)
        statuses.update(round_statuses)
    answered.put(statuses)


def booking_rate(url: str, base: str, clients: int, seconds: float) -> float:
    """Bookings a second, on a calendar emptied first: each phase meets the same free
    times (bookings left by the one before would turn its bookings into refusals)."""
    engine = make_engine(Settings(database_url=url))
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM outbox_message"))
        connection.execute(text("DELETE FROM booking"))
    engine.dispose()
    booked, _, _, elapsed = run_load(base, clients, seconds)
    return booked / elapsed


def rate_in_storm(url: str, base: str, clients: int, seconds: float) -> tuple[float, Counter[int]]:
    """Bookings per second while the storm blows, and how the storm was answered."""
    stop = multiprocessing.Event()
    answered: Queue[Counter[int]] = multiprocessing.Queue()
    stormer = multiprocessing.Process(target=storm, args=(base, STORM_CLIENTS, stop, answered))
    stormer.start()
    try:
        rate = booking_rate(url, base, clients, seconds)
    finally:
        stop.set()
    statuses = answered.get(timeout=60)
    stormer.join()
    return rate, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    databases = [("SQLite", f"sqlite:///{Path(tempfile.mkdtemp()) / 'storm.sqlite3'}")]
    postgres = os.environ.get("KANAVA_TEST_POSTGRES_URL")
    print(
        f"login storm: {options.clients} booking clients for {options.seconds:.0f} s, alone and"
        f" beside {STORM_CLIENTS} clients sending wrong passwords; kanava serve --workers 2"
    )
    print(
        f"{'database':<12}{'round':>6}{'alone/s':>10}{'in storm/s':>12}{'ratio':>8}"
        f"{'storm 401':>11}{'storm 429':>11}"
    )
    if postgres:
        databases.insert(0, ("PostgreSQL", postgres))
    for label, url in databases:
        if label == "PostgreSQL":
            url = fresh_postgres(url, "kanava_storm")
        prepare(url)
        ratios = []
        for round_number in range(options.rounds):
            # A fresh server each round, so every storm meets a throttle that knows nothing
            # yet; the order alternates, so that a drift of the machine favours neither.
            server, base = serve(url, 2)
            try:
                if round_number % 2 == 0:
                    alone = booking_rate(url, base, options.clients, options.seconds)
                    stormy, answered = rate_in_storm(url, base, options.clients, options.seconds)
                else:
                    stormy, answered = rate_in_storm(url, base, options.clients, options.seconds)
                    alone = booking_rate(url, base, options.clients, options.seconds)
            finally:
                server.terminate()
                server.wait(timeout=15)
            ratios.append(stormy / alone)
            print(
                f"{label:<12}{round_number + 1:>6}{alone:>10.1f}{stormy:>12.1f}"
                f"{stormy / alone:>8.2f}{answered[401]:>11}{answered[429]:>11}"
            )
        print(f"{label}: median ratio {statistics.median(ratios):.2f} over {options.rounds} rounds")
    print("baseline: the same booking load alone, on the same server, just before")
    print("target: median ratio at least 0.80 (bookings/s in the storm within 20 % of alone)")


if __name__ == "__main__":
    main()
