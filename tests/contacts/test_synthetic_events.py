"""The synthetic demo year: the seed's totals exactly, Laukaa at about four a week,
opening hours and weekday patterns, and the same events for the same seed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kanava.contacts.demo import generate_demo
from kanava.contacts.stats import customers_per_week
from kanava.contacts.synthetic_events import Generated


@pytest.fixture(scope="module")
def demo(loaded_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Generated:
    with Session(loaded_engine) as session:
        return generate_demo(session, 2024, 7, tmp_path_factory.mktemp("events"))


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Europe/Helsinki'")
    return con.execute(sql.replace("EVENTS", f"read_parquet('{path}')")).fetchall()


def test_channels_without_a_place_get_the_seeds_totals_exactly(demo: Generated) -> None:
    assert demo.by_channel["phone"] == 1_900_000
    assert demo.by_channel["phone_appointment"] == 59_000
    assert demo.by_channel["chatbot"] == 114_000
    assert query(demo.path, "SELECT count(*) FROM EVENTS")[0][0] == demo.rows
    (labels,) = query(demo.path, "SELECT list(DISTINCT provenance) FROM EVENTS")
    assert labels[0] == ["synthetic"]


def test_laukaa_has_about_four_customers_a_week(demo: Generated, session: Session) -> None:
    (laukaa,) = customers_per_week(
        session, date(2024, 12, 31), 52, points=["laukaa-ajanvaraus"], parquet_dir=demo.path.parent
    )
    assert 3.5 <= laukaa.per_week <= 4.5
    busy = customers_per_week(session, date(2024, 12, 31), 52, parquet_dir=demo.path.parent)
    assert max(p.per_week for p in busy) > 100  # city points are far above Kela's line


def test_contacts_fall_in_opening_hours_on_working_days(demo: Generated) -> None:
    hours = query(demo.path, "SELECT min(hour(occurred_at)), max(hour(occurred_at)) FROM EVENTS")
    assert hours == [(9, 15)]
    weekend = query(demo.path, "SELECT count(*) FROM EVENTS WHERE isodow(occurred_at) > 5")
    assert weekend == [(0,)]
    midsummer = query(
        demo.path, "SELECT count(*) FROM EVENTS WHERE occurred_at::DATE = '2024-06-21'"
    )
    assert midsummer == [(0,)]  # juhannusaatto
    by_day = dict(query(demo.path, "SELECT isodow(occurred_at), count(*) FROM EVENTS GROUP BY 1"))
    assert by_day[1] > by_day[5] * 1.5  # Mondays busiest
    july, october = (
        query(demo.path, f"SELECT count(*) FROM EVENTS WHERE month(occurred_at) = {m}")[0][0]
        for m in (7, 10)
    )
    assert july < october  # the summer dip


def test_the_same_seed_makes_the_same_events(
    demo: Generated, loaded_engine: Engine, tmp_path: Path
) -> None:
    with Session(loaded_engine) as session:
        again = generate_demo(session, 2024, 7, tmp_path)
        other = generate_demo(session, 2024, 8, tmp_path / "other")
    digest = "SELECT sum(hash(occurred_at, channel, place_id, outcome)) FROM EVENTS"
    assert query(again.path, digest) == query(demo.path, digest)
    assert query(other.path, digest) != query(demo.path, digest)


def test_a_point_open_one_day_a_week_has_customers_on_one_weekday(demo: Generated) -> None:
    days = query(
        demo.path,
        "SELECT count(DISTINCT isodow(occurred_at)) FROM EVENTS "
        "WHERE place_id = 'laukaa-ajanvaraus'",
    )
    assert days == [(1,)]
    city = query(
        demo.path,
        "SELECT count(DISTINCT isodow(occurred_at)) FROM EVENTS "
        "WHERE place_id = 'jyvaskyla-palvelupiste'",
    )
    assert city == [(5,)]
