"""Slot search over 500 experts and six weeks, beside a naive baseline in the same run.

A fresh SQLite database gets the shipped data plus 500 synthetic phone experts (a few
shift patterns) and 6,000 existing bookings spread over the six weeks. The search is
`kanava slots` end to end (queries included). The baseline asks, for every grid start
and every expert, "is this expert free?" on the same inputs; both must agree.
Target: p50 under 20 ms.
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from kanava.booking import availability as av
from kanava.booking import service
from kanava.booking.models import Booking
from kanava.booking.slots import Resource, is_free, local_grid
from kanava.config import Settings
from kanava.db import make_engine
from kanava.loading import load_all
from kanava.migrate import upgrade
from synthetic_experts import add_phone_experts, expert_id

HKI = ZoneInfo("Europe/Helsinki")
NOW = datetime(2025, 3, 12, 10, 0, tzinfo=HKI)
EXPERTS = 500
BOOKINGS = 6000
PATTERNS = ("Mo-Fr 09:00-16:00", "Mo-Th 08:00-15:00", "Tu-Fr 10:00-17:00", "Mo,We,Fr 09:00-15:00")


def populate(session: Session) -> None:
    rng = random.Random(500)
    load_all(session, NOW)
    add_phone_experts(session, "bench", EXPERTS, PATTERNS)
    rows, taken = [], set()
    while len(rows) < BOOKINGS:
        expert = expert_id("bench", rng.randrange(EXPERTS))
        day = NOW.date() + timedelta(days=rng.randrange(1, 43))
        start = datetime.combine(day, datetime.min.time(), tzinfo=HKI) + timedelta(
            hours=rng.randrange(10, 14), minutes=30 * rng.randrange(2)
        )
        if (expert, start) in taken:
            continue
        taken.add((expert, start))
        end = start + timedelta(minutes=30)
        rows.append(
            {
                "reference": f"B{len(rows):06d}",
                "manage_token_hash": "0" * 64,
                "status": "booked",
                "kind": "phone",
                "topic_id": "elakkeet",
                "lang": "fi",
                "expert_id": expert,
                "start_at": start,
                "end_at": end,
                "blocked_start": start,
                "blocked_end": end,
                "customer_name": "Bench",
                "hetu": "131052-308T",
                "phone": "+358401234567",
                "created_at": NOW,
                "updated_at": NOW,
                "sequence": 0,
            }
        )
    session.execute(insert(Booking), rows)


def baseline(session: Session) -> list[datetime]:
    """Every grid start, every expert: is anyone free? (the same inputs, no pooling trick)"""
    request = av.check_request(session, topic="elakkeet", lang="fi", kind="phone", place=None)
    kind = av.appointment_type(request)
    window = av.booking_window(kind, NOW)
    first, last = window.days()
    rules = av.slot_rules(kind)
    arrays = av.expert_arrays(session, request, kind, first, last, NOW)
    assert len(arrays.closed) == 0, "the baseline does not model absences or capped days"

    def spans(rows: np.ndarray, index: int) -> tuple[tuple[datetime, datetime], ...]:
        return tuple(
            (datetime.fromtimestamp(s, UTC), datetime.fromtimestamp(e, UTC))
            for i, s, e in rows
            if i == index
        )

    experts = [
        Resource(expert_id, spans(arrays.working, i), spans(arrays.busy, i))
        for i, expert_id in enumerate(arrays.ids)
    ]
    grid = local_grid(
        first, last, av.ZONE_NAME, rules.step, window.earliest, window.latest - rules.duration
    )
    return [start for start in grid if any(is_free(e, rules, start) for e in experts)]


def measure(database_url: str) -> tuple[list[float], list[float], list[datetime], list[datetime]]:
    """Search timings and baseline timings on one database, with both answers."""
    engine = make_engine(Settings(database_url=database_url))
    try:
        upgrade(engine)
        with Session(engine) as session, session.begin():
            populate(session)
        # As the server does at start-up (app.py): long-lived objects leave the GC's scans.
        gc.collect()
        gc.freeze()
        timings = []
        with Session(engine) as session:
            for _ in range(40):
                began = time.perf_counter()
                result = service.search_slots(
                    session=session,
                    topic="elakkeet",
                    lang="fi",
                    kind="phone",
                    place=None,
                    first=None,
                    days=45,
                    now=NOW,
                )
                timings.append((time.perf_counter() - began) * 1000)
                session.expire_all()
            fast_starts = [o.start for o in result.offers]
            slow_timings = []
            for _ in range(2):
                began = time.perf_counter()
                slow_starts = baseline(session)
                slow_timings.append((time.perf_counter() - began) * 1000)
    finally:
        engine.dispose()
    return timings, slow_timings, fast_starts, slow_starts


def report(label: str, timings: list[float], slow_timings: list[float]) -> float:
    ordered = sorted(timings)
    print(
        f"{label + ': baseline, every start x every expert':<58}{len(slow_timings):>6}"
        f"{statistics.median(slow_timings):>10.1f}{max(slow_timings):>10.1f}"
    )
    print(
        f"{label + ': kanava slots (pooled, sorted span events)':<58}{len(timings):>6}"
        f"{statistics.median(timings):>10.1f}{ordered[int(0.9 * len(ordered))]:>10.1f}"
    )
    return statistics.median(timings)


def postgres_database(admin_url: str) -> tuple[str, Callable[[], None]]:
    """A fresh database on the server, and a function that drops it."""
    name = f"kanava_bench_{os.getpid()}"
    admin = create_engine(
        Settings(database_url=admin_url).database_url, isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(admin.url).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    results: dict[str, tuple[list[float], list[float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        timings, slow, fast_starts, slow_starts = measure(
            f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        )
    assert fast_starts == [s.astimezone(HKI) for s in slow_starts], "the two ways disagree"
    results["SQLite"] = (timings, slow)
    postgres = os.environ.get("KANAVA_TEST_POSTGRES_URL")
    if postgres:
        url, drop = postgres_database(postgres)
        try:
            timings, slow, pg_fast, _ = measure(url)
        finally:
            drop()
        assert pg_fast == fast_starts, "PostgreSQL and SQLite disagree"
        results["PostgreSQL"] = (timings, slow)
    days = len({s.date() for s in fast_starts})
    print(
        f"slot search: {EXPERTS} experts, {BOOKINGS} bookings, six weeks "
        f"({days} days with times), {len(fast_starts)} free starts"
    )
    print(f"{'method':<58}{'runs':>6}{'p50 ms':>10}{'p90 ms':>10}")
    for label, (timings, slow) in results.items():
        p50 = report(label, timings, slow)
        verdict = "met" if p50 < 20 else "NOT met"
        print(f"{label}: target p50 < 20 ms {verdict}; answers equal to the baseline")


if __name__ == "__main__":
    main()
