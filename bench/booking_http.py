"""Booking throughput over HTTP with many contending clients: PostgreSQL and SQLite.

For each database: a fresh database with the shipped data plus 300 synthetic phone
experts, `kanava serve --workers 2`, and client threads that book phone times for
pensions, most of them aiming at a handful of popular times (so they contend) and
the rest spread over the day. Printed: successful bookings per second, refusals
(409), other errors, and the double bookings found afterwards in the database
(overlapping active bookings of one expert), which must be 0.
Target: at least 300 bookings per second on PostgreSQL.

The clients share the server's machine, so they are lean: one asyncio loop writing
prepared HTTP/1.1 requests on keep-alive connections (bench/lean_http.py), a fraction
of a millisecond of CPU per request. Each client opens a new connection every ten
requests, as customers come and go, so the connections spread over both workers. One
second of load warms every worker up first.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import itertools
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from kanava.booking.availability import is_working_day
from kanava.booking.models import Booking
from kanava.clock import now as real_now
from kanava.config import Settings
from kanava.db import make_engine
from kanava.loading import load_all
from kanava.migrate import upgrade
from lean_http import Visitor
from synthetic_experts import add_phone_experts

HKI = ZoneInfo("Europe/Helsinki")
EXPERTS = 300
CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def hetu(number: int) -> str:
    """A valid henkilötunnus per client request (birth dates over 1950–1999)."""
    day, month, year = 1 + number % 28, 1 + (number // 28) % 12, 50 + (number // 336) % 50
    individual = 2 + (number // 16800) % 897
    digits = f"{day:02d}{month:02d}{year:02d}{individual:03d}"
    return f"{digits[:6]}-{digits[6:]}{CHECK[int(digits) % 31]}"


def interpreter_seconds() -> float:
    """CPU time of a fixed pure-Python loop: how fast this interpreter build runs here."""
    began = time.process_time()
    sum(range(10_000_000))
    return time.process_time() - began


def prepare(url: str) -> None:
    engine = make_engine(Settings(database_url=url))
    upgrade(engine)
    with Session(engine) as session, session.begin():
        load_all(session, real_now())
        add_phone_experts(session, "load", EXPERTS, ("Mo-Fr 09:00-16:00",))
    engine.dispose()


def double_bookings(url: str) -> int:
    engine = make_engine(Settings(database_url=url))
    with Session(engine) as session:
        rows = session.execute(
            select(Booking.expert_id, Booking.blocked_start, Booking.blocked_end)
            .where(Booking.status.in_(("booked", "held")))
            .order_by(Booking.expert_id, Booking.blocked_start)
        ).all()
    engine.dispose()
    return sum(
        1
        for previous, current in itertools.pairwise(rows)
        if previous[0] == current[0] and current[1] < previous[2]
    )


def booking_days(count: int = 6) -> list[datetime]:
    """Working days from the day after tomorrow, a week apart where the calendar allows:
    a holiday (say Christmas Eve) would only add refusals that are not contention."""
    days: list[datetime] = []
    day = real_now().astimezone(HKI).date() + timedelta(days=2)
    while len(days) < count:
        if is_working_day(day):
            days.append(datetime.combine(day, datetime.min.time(), tzinfo=HKI))
            day += timedelta(days=7)
        else:
            day += timedelta(days=1)
    return days


Request = Callable[[Visitor, random.Random], Awaitable[int]]


def drive(base: str, clients: int, seconds: float, request: Request) -> tuple[Counter[int], float]:
    """``clients`` visitors sending ``request`` for ``seconds``: the status codes, and the
    time it took."""
    host, port = base.removeprefix("http://").split(":")
    statuses: Counter[int] = Counter()

    async def client(seed: int, deadline: float) -> None:
        rng = random.Random(seed)
        visitor = Visitor(host, int(port))
        try:
            while time.perf_counter() < deadline:
                statuses[await request(visitor, rng)] += 1
        finally:
            visitor.close()

    async def run() -> float:
        began = time.perf_counter()
        await asyncio.gather(*(client(i, began + seconds) for i in range(clients)))
        return time.perf_counter() - began

    return statuses, asyncio.run(run())


def run_load(base: str, clients: int, seconds: float) -> tuple[int, int, int, float]:
    """Bookings, refusals and errors of ``clients`` connections booking for ``seconds``."""
    days = booking_days()
    popular = [timedelta(hours=9, minutes=15 * i) for i in range(4)]
    spread = [timedelta(hours=9, minutes=15 * i) for i in range(26)]
    numbers = itertools.count()

    async def book(visitor: Visitor, rng: random.Random) -> int:
        number = next(numbers)
        time_of_day = rng.choice(popular) if rng.random() < 0.5 else rng.choice(spread)
        start = rng.choice(days) + time_of_day
        status, _ = await visitor.post_json(
            "/api/v1/bookings",
            {
                "topic": "elakkeet",
                "lang": "fi",
                "kind": "phone",
                "start": start.isoformat(),
                "name": f"Kuormitus {number}",
                "hetu": hetu(number),
                "phone": "040 123 4567",
            },
        )
        return status

    drive(base, clients, 1.0, book)  # warm-up: every worker has served a booking before timing
    statuses, elapsed = drive(base, clients, seconds, book)
    booked, refused = statuses[201], statuses[409]
    return booked, refused, sum(statuses.values()) - booked - refused, elapsed


def index_rate(base: str, clients: int, seconds: float) -> float:
    """Requests a second of the API index (no database) from the same clients: the
    machine's and the framework's ceiling at the moment, beside which to read bookings/s."""

    async def index(visitor: Visitor, _rng: random.Random) -> int:
        status, _ = await visitor.get("/api/v1/")
        return status

    statuses, elapsed = drive(base, clients, seconds, index)
    return statuses[200] / elapsed


def serve(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "KANAVA_DATABASE_URL": url}
    server = subprocess.Popen(
        [sys.executable, "-m", "kanava", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/api/v1/", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    return server, base


def fresh_postgres(url: str, prefix: str) -> str:
    """A new database on the server of ``url``, dropped when the process ends."""
    admin = create_engine(Settings(database_url=url).database_url, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{os.getpid()}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    atexit.register(drop)
    return make_url(admin.url).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    databases: list[tuple[str, str]] = []
    folder = tempfile.mkdtemp()
    postgres = os.environ.get("KANAVA_TEST_POSTGRES_URL")
    if postgres:
        databases.append(("PostgreSQL", fresh_postgres(postgres, "kanava_bench")))
    databases.append(("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}"))
    print(
        f"booking over HTTP: kanava serve --workers {options.workers}"
        f" (KANAVA_DB_WRITE_CONCURRENCY={Settings().db_write_concurrency}),"
        f" {options.clients} clients,"
        f" {options.seconds:.0f} s, {EXPERTS} phone experts, half the requests on 4 popular times"
    )
    print(
        f"Python {platform.python_version()} at {sys.executable}: a fixed loop (the sum of"
        f" 10 million integers) takes {interpreter_seconds():.2f} s (see docs/operations.md)"
    )
    print(
        f"{'database':<12}{'booked':>8}{'refused':>9}{'errors':>8}{'bookings/s':>12}"
        f"{'requests/s':>12}{'double bookings':>17}{'baseline req/s':>16}"
    )
    for label, url in databases:
        prepare(url)
        server, base = serve(url, options.workers)
        try:
            baseline = index_rate(base, options.clients, 3.0)
            booked, refused, errors, elapsed = run_load(base, options.clients, options.seconds)
        finally:
            server.terminate()
            server.wait(timeout=15)
        doubles = double_bookings(url)
        print(
            f"{label:<12}{booked:>8}{refused:>9}{errors:>8}{booked / elapsed:>12.1f}"
            f"{(booked + refused + errors) / elapsed:>12.1f}{doubles:>17}{baseline:>16.1f}"
        )
    print("baseline: GET /api/v1/ (no database) on the same servers and clients, just before")
    print("target: at least 300 bookings/s on PostgreSQL, and 0 double bookings everywhere")


if __name__ == "__main__":
    main()
