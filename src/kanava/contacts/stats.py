"""The figures managers read, computed with DuckDB over the stored contact events.

Weeks are ISO weeks of Helsinki time: an event at 00:30 on a Monday in Helsinki belongs
to that Monday's week even though it is Sunday in UTC, and the daylight-saving nights
and the year end fall where a Finnish calendar puts them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kanava.clock import HELSINKI as ZONE
from kanava.contacts.models import ContactEvent, ContactTotal
from kanava.contacts.store import event_files
from kanava.sqlfunctions import epoch_seconds


@dataclass(frozen=True)
class WeekCount:
    iso_year: int
    iso_week: int
    place_id: str | None
    channel: str
    contacts: int


@dataclass(frozen=True)
class PointWeeks:
    place_id: str
    weeks: int
    contacts: int
    per_week: float
    last_week: int


def _events(session: Session, first: date, last: date) -> pa.Table:
    """Events of the local dates first..last as an Arrow table (epoch seconds, UTC)."""
    start = datetime.combine(first, time(0), tzinfo=ZONE)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=ZONE)
    result = session.connection().execute(
        select(
            epoch_seconds(ContactEvent.occurred_at),
            ContactEvent.channel,
            ContactEvent.place_id,
            ContactEvent.outcome,
        ).where(ContactEvent.occurred_at >= start, ContactEvent.occurred_at < end)
    )
    rows = result.cursor.fetchall()
    result.close()
    columns = list(zip(*rows, strict=True)) if rows else [(), (), (), ()]
    return pa.table(
        {
            "epoch": pa.array(columns[0], type=pa.int64()),
            "channel": pa.array(columns[1], type=pa.string()),
            "place_id": pa.array(columns[2], type=pa.string()),
            "outcome": pa.array(columns[3], type=pa.string()),
        }
    )


def _connect(
    session: Session, first: date, last: date, parquet_dir: Path | None
) -> duckdb.DuckDBPyConnection:
    """DuckDB with one ``events`` table: the database's events of the local dates
    first..last, and those of the Parquet files in ``parquet_dir`` (the demo year)."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Europe/Helsinki'")
    con.register("stored_events", _events(session, first, last))
    union = "SELECT epoch, channel, place_id, outcome FROM stored_events"
    files = event_files(parquet_dir)
    if files:
        start = datetime.combine(first, time(0), tzinfo=ZONE)
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=ZONE)
        con.execute(
            "CREATE TEMP TABLE file_events AS SELECT epoch(occurred_at)::BIGINT AS epoch, "
            "channel, place_id, outcome FROM read_parquet(?, union_by_name = true) "
            "WHERE occurred_at >= ? AND occurred_at < ?",
            [files, start, end],
        )
        union += " UNION ALL SELECT * FROM file_events"
    # Local time is looked up per hour, not per event (see WEEKLY_SQL).
    con.execute(f"CREATE TEMP TABLE events AS SELECT *, epoch // 3600 AS hour FROM ({union})")
    con.execute(
        "CREATE TEMP TABLE local_hours AS SELECT hour, "
        "timezone('Europe/Helsinki', to_timestamp(hour * 3600)) AS local_time "
        "FROM (SELECT DISTINCT hour FROM events)"
    )
    return con


def weekly_counts(
    session: Session, first: date, last: date, parquet_dir: Path | None = None
) -> list[WeekCount]:
    """Contacts per ISO week (Helsinki) × point × channel."""
    con = _connect(session, first, last, parquet_dir)
    try:
        rows = con.execute(
            "WITH hourly AS (SELECT hour, place_id, channel, count(*) AS n FROM events "
            "GROUP BY ALL) SELECT isoyear(local_time), week(local_time), place_id, channel, "
            "sum(n)::BIGINT FROM hourly JOIN local_hours USING (hour) "
            "GROUP BY ALL ORDER BY 1, 2, 3 NULLS FIRST, 4"
        ).fetchall()
    finally:
        con.close()
    return [WeekCount(int(y), int(w), p, c, int(n)) for y, w, p, c, n in rows]


def full_weeks(until: date, weeks: int) -> tuple[date, date]:
    """The Monday and Sunday of the ``weeks`` full weeks ending on or before ``until``."""
    last = until - timedelta(days=(until.weekday() + 1) % 7)  # a Sunday
    return last - timedelta(weeks=weeks) + timedelta(days=1), last


def customers_per_week(
    session: Session,
    until: date,
    weeks: int = 52,
    points: list[str] | None = None,
    parquet_dir: Path | None = None,
) -> list[PointWeeks]:
    """Customers a week at each point over the full weeks up to ``until`` (weeks without
    customers count as zero), the figure Kela's network criteria use."""
    first, last = full_weeks(until, weeks)
    con = _connect(session, first, last, parquet_dir)
    try:
        last_monday = datetime.combine(last - timedelta(days=6), time(0), tzinfo=ZONE)
        rows = con.execute(
            "SELECT place_id, count(*) FILTER (WHERE outcome <> 'no_show'), "
            "count(*) FILTER (WHERE outcome <> 'no_show' AND epoch >= ?) "
            "FROM events WHERE place_id IS NOT NULL GROUP BY place_id ORDER BY place_id",
            [int(last_monday.timestamp())],
        ).fetchall()
    finally:
        con.close()
    counted = {place: (int(total), int(latest)) for place, total, latest in rows}
    wanted = points if points is not None else sorted(counted)
    return [
        PointWeeks(
            place,
            weeks,
            counted.get(place, (0, 0))[0],
            round(counted.get(place, (0, 0))[0] / weeks, 2),
            counted.get(place, (0, 0))[1],
        )
        for place in wanted
    ]


def channel_totals(session: Session, year: int) -> list[ContactTotal]:
    """The totals of a year per channel, in their order (the seed's 2024 table): the
    yearly figure where one is stored, else the sum of the months stored (marked
    approximate unless all twelve are there and exact). The sums are not stored."""
    rows = session.scalars(
        select(ContactTotal)
        .where(
            ContactTotal.channel_id.is_(None),
            (ContactTotal.period == str(year)) | ContactTotal.period.like(f"{year}-%"),
        )
        .order_by(ContactTotal.position, ContactTotal.period)
    ).all()
    yearly = {t.series: t for t in rows if t.period == str(year)}
    months: dict[str, list[ContactTotal]] = {}
    for t in rows:
        if t.period != str(year) and t.series not in yearly:
            months.setdefault(t.series, []).append(t)
    summed = [
        ContactTotal(
            series=series, period=str(year), unit=parts[0].unit,
            value=sum(t.value for t in parts if t.value is not None),
            approximate=len(parts) < 12 or any(t.approximate or t.value is None for t in parts),
            label_fi=parts[0].label_fi, label_sv=parts[0].label_sv, label_en=parts[0].label_en,
            position=parts[0].position, provenance=parts[0].provenance,
            source=f"sum of {len(parts)} months: {parts[0].source}",
        )
        for series, parts in months.items()
    ]  # fmt: skip
    return sorted([*yearly.values(), *summed], key=lambda t: t.position)


@dataclass(frozen=True)
class WeeklySeries:
    weeks: list[str]  # "2024-W01" …
    series: dict[str, list[int]]  # a point or a channel → contacts each week


def _week_labels(first: date, last: date) -> list[str]:
    labels, monday = [], first - timedelta(days=first.weekday())
    while monday <= last:
        iso = monday.isocalendar()
        labels.append(f"{iso.year}-W{iso.week:02d}")
        monday += timedelta(weeks=1)
    return labels


def weekly_series(
    session: Session,
    until: date,
    weeks: int,
    by: str,
    parquet_dir: Path | None = None,
) -> WeeklySeries:
    """Contacts each full week up to ``until``, per point (``by="place_id"``, customers:
    no-shows left out) or per channel (``by="channel"``); empty weeks are zeros."""
    if by not in ("place_id", "channel"):
        raise ValueError("by: place_id or channel")
    first, last = full_weeks(until, weeks)
    labels = _week_labels(first, last)
    con = _connect(session, first, last, parquet_dir)
    try:
        rows = con.execute(
            f"WITH hourly AS (SELECT hour, {by} AS key, count(*) AS n FROM events "
            f"WHERE {by} IS NOT NULL AND outcome <> 'no_show' GROUP BY ALL) "
            "SELECT key, strftime(local_time, '%G-W%V') AS week, sum(n)::BIGINT "
            "FROM hourly JOIN local_hours USING (hour) GROUP BY ALL"
        ).fetchall()
    finally:
        con.close()
    position = {label: i for i, label in enumerate(labels)}
    series: dict[str, list[int]] = {}
    for key, week, count in rows:
        series.setdefault(key, [0] * len(labels))[position[week]] = int(count)
    return WeeklySeries(labels, dict(sorted(series.items())))


def weekday_hour(
    session: Session, until: date, weeks: int, parquet_dir: Path | None = None
) -> dict[tuple[int, int], int]:
    """Contacts by ISO weekday (1–7) and local hour over the full weeks up to ``until``."""
    first, last = full_weeks(until, weeks)
    con = _connect(session, first, last, parquet_dir)
    try:
        rows = con.execute(
            "WITH hourly AS (SELECT hour, count(*) AS n FROM events GROUP BY ALL) "
            "SELECT isodow(local_time), hour(local_time), sum(n)::BIGINT "
            "FROM hourly JOIN local_hours USING (hour) GROUP BY ALL"
        ).fetchall()
    finally:
        con.close()
    return {(int(d), int(h)): int(n) for d, h, n in rows}


def latest_day(session: Session, parquet_dir: Path | None = None) -> date | None:
    """The local date of the latest event stored anywhere, or None without events."""
    stored = session.scalar(select(func.max(ContactEvent.occurred_at)))
    latest = [stored] if stored else []
    files = event_files(parquet_dir)
    if files:
        con = duckdb.connect()
        try:
            row = con.execute(
                "SELECT max(occurred_at) FROM read_parquet(?, union_by_name = true)", [files]
            ).fetchone()
        finally:
            con.close()
        if row and row[0]:
            latest.append(row[0])
    return max(latest).astimezone(ZONE).date() if latest else None


def last_week_with_data(session: Session, parquet_dir: Path | None = None) -> date | None:
    """The Sunday ending the last ISO week with a usual amount of data (at least half the
    median week's): a week the data ends in midweek, a holiday week, or a few contacts
    recorded long after the bulk do not make every trend read as a collapse."""
    weeks: Counter[date] = Counter()
    for (moment,) in session.execute(select(ContactEvent.occurred_at)):
        local = moment.astimezone(ZONE).date() if moment.tzinfo else moment.date()
        weeks[local + timedelta(days=6 - local.weekday())] += 1
    files = event_files(parquet_dir)
    if files:
        con = duckdb.connect()
        try:
            con.execute("SET TimeZone = 'Europe/Helsinki'")
            rows = con.execute(
                "SELECT (date_trunc('week', occurred_at::TIMESTAMPTZ) + INTERVAL 6 DAY)::DATE, "
                "count(*) FROM read_parquet(?, union_by_name = true) GROUP BY 1",
                [files],
            ).fetchall()
        finally:
            con.close()
        for sunday, count in rows:
            weeks[sunday] += int(count)
    if not weeks:
        return None
    counts = sorted(weeks.values())
    usual = counts[len(counts) // 2] / 2
    return max(sunday for sunday, count in weeks.items() if count >= usual)


@dataclass(frozen=True)
class ChannelChange:
    channel: str
    last_week: int
    previous_week: int
    year_before: int | None  # the same ISO week a year earlier; None without data then
    week_on_week: float | None  # relative change, 0.05 = +5 %
    year_on_year: float | None


def _change(now: int, then: int | None) -> float | None:
    return None if not then else round(now / then - 1, 4)


def channel_changes(
    session: Session, until: date, parquet_dir: Path | None = None
) -> list[ChannelChange]:
    """Each channel's last full week against the week before and the same week a year
    earlier (53 weeks back when that year has 53 ISO weeks)."""
    recent = weekly_series(session, until, 2, "channel", parquet_dir)
    _first, last = full_weeks(until, 1)
    iso = last.isocalendar()
    year_before = date.fromisocalendar(iso.year - 1, min(iso.week, 52), 7)
    earlier = weekly_series(session, year_before, 1, "channel", parquet_dir)
    had_data = bool(earlier.series)
    result = []
    for channel, (previous, latest) in recent.series.items():
        then = earlier.series.get(channel, [0])[0] if had_data else None
        result.append(
            ChannelChange(
                channel, latest, previous, then, _change(latest, previous), _change(latest, then)
            )
        )
    return result
