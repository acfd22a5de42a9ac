"""Ingest of a large CSV of contact events, rows per second and peak memory, beside a
baseline that only reads the same file with Python's csv module.

A file this large goes to the Parquet store (the events folder) after the same checks as
any file; the database (SQLite always; PostgreSQL too when KANAVA_TEST_POSTGRES_URL is
set) is asked which rows are already stored. The same file a second time is timed too:
it must store nothing.

Usage: python bench/contacts_ingest.py [--rows 10000000]. Target: at least 500,000 rows
per second.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import tempfile
import time
from pathlib import Path

import duckdb
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from kanava.clock import now as real_now
from kanava.config import Settings
from kanava.contacts.ingest import ingest
from kanava.db import make_engine
from kanava.loading import load_all
from kanava.migrate import upgrade


def make_csv(path: Path, rows: int) -> None:
    duckdb.execute(
        f"""
        COPY (
            SELECT 'e' || i AS source_id,
                   strftime(TIMESTAMP '2024-01-01 09:00:00' + INTERVAL (i % 31000000) SECOND,
                            '%Y-%m-%dT%H:%M:%S') AS occurred_at,
                   CASE i % 3 WHEN 0 THEN 'phone' WHEN 1 THEN 'service_point_visit'
                        ELSE 'chatbot' END AS channel,
                   CASE WHEN i % 3 = 1 THEN 'jyvaskyla-palvelupiste' END AS place,
                   'elakkeet' AS topic, 'fi' AS lang, 'served' AS outcome,
                   (i % 600)::VARCHAR AS wait_seconds, (i % 900)::VARCHAR AS handle_seconds
            FROM range({rows}) t(i)
        ) TO '{path}' (HEADER, DELIMITER ',')
        """
    )


def baseline(path: Path) -> float:
    began = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as handle:
        count = sum(1 for _ in csv.reader(handle)) - 1
    return count / (time.perf_counter() - began)


def run(url: str, path: Path, store: Path) -> tuple[float, int, float, int]:
    engine = make_engine(Settings(database_url=url))
    upgrade(engine)
    with Session(engine) as session, session.begin():
        load_all(session, real_now())
    timings = []
    for _ in range(2):
        began = time.perf_counter()
        with Session(engine) as session, session.begin():
            report = ingest(session, path, now=real_now(), store_dir=store)
        timings.append((report.rows / (time.perf_counter() - began), report.stored))
    engine.dispose()
    return timings[0][0], timings[0][1], timings[1][0], timings[1][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        make_csv(path, rows)
        print(f"ingest: {rows:,} rows, {path.stat().st_size / 1e6:,.0f} MB of CSV")
        print(f"{'method':<40}{'rows/s':>12}")
        print(f"{'baseline: Python csv module, read only':<40}{baseline(path):>12,.0f}")
        targets = [("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite3'}")]
        postgres = os.environ.get("KANAVA_TEST_POSTGRES_URL")
        drop = None
        if postgres:
            admin = create_engine(
                Settings(database_url=postgres).database_url, isolation_level="AUTOCOMMIT"
            )
            name = f"kanava_ingest_{os.getpid()}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            targets.append(
                ("PostgreSQL", make_url(admin.url).set(database=name).render_as_string(False))
            )

            def drop() -> None:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

        rates = []
        try:
            for label, url in targets:
                store = Path(folder) / f"store-{label}"
                per_second, stored, again, stored_again = run(url, path, store)
                assert stored == rows, f"{label}: stored {stored} of {rows}"
                assert stored_again == 0, f"{label}: the second time stored {stored_again}"
                rates.append(per_second)
                print(f"{'kanava contacts ingest, ' + label:<40}{per_second:>12,.0f}")
                print(f"{'  the same file again (stores 0)':<40}{again:>12,.0f}")
        finally:
            if drop:
                drop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:,.0f} MB; target at least 500,000 rows/s")
    print(
        f"target: {'met' if min(rates) >= 500_000 else 'NOT met'} "
        f"(slowest first load {min(rates):,.0f} rows/s)"
    )


if __name__ == "__main__":
    main()
