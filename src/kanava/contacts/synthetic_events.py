"""A synthetic year of contact events, deterministic for a seed, written to Parquet.

Calibrated to the seed's 2024 totals (SEED.md section 4):
- channels without a place (phone, phone appointments, chatbot) get exactly their
  yearly total, spread over working days and hours like the call history (Mondays,
  mornings and month turns busiest, a summer dip);
- each service point gets the national visit rate (service-point visits per resident)
  times the residents it is nearest to within 60 km, scaled by its days open a week;
  joint service points likewise with their own rate; the Laukaa appointment point gets
  the seed's "about four customers a week".
Everything it writes is labelled synthetic; only the totals and the Laukaa figure are
Kela's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from kanava.catalogue.geo import great_circle_km
from kanava.clock import HELSINKI as ZONE
from kanava.contacts.events import ContactChannel
from kanava.contacts.store import write_atomically
from kanava.contacts.synthetic_calls import CallPattern

CATCHMENT_KM = 60.0
NO_SHOW_SHARE = 0.04
ABANDON_SHARE = 0.07
HOURS = (9, 10, 11, 12, 13, 14, 15)
PLACELESS = {
    "phone": ContactChannel.PHONE,
    "phone_appointments": ContactChannel.PHONE_APPOINTMENT,
    "chatbot": ContactChannel.CHATBOT,
}


@dataclass(frozen=True)
class Point:
    id: str
    lat: float
    lon: float
    channel: ContactChannel  # visits at a service point, or at a joint service point
    days_open: int = 5
    per_week: float | None = None  # a published figure, used as it is


def residents_served(
    points: list[Point], municipalities: list[tuple[float, float, int]]
) -> dict[str, int]:
    """Residents of the municipalities each point is the nearest of its kind to, within
    the catchment distance."""
    served = {p.id: 0 for p in points}
    for kind in {p.channel for p in points}:
        same = [p for p in points if p.channel is kind]
        for lat, lon, population in municipalities:
            distance, nearest = min((great_circle_km(lat, lon, p.lat, p.lon), p.id) for p in same)
            if distance <= CATCHMENT_KM:
                served[nearest] += population
    return served


def _day_weights(days: list[date], pattern: CallPattern) -> np.ndarray:
    by_month: dict[tuple[int, int], list[date]] = {}
    for day in days:
        by_month.setdefault((day.year, day.month), []).append(day)
    turns = {d for month in by_month.values() for d in (*month[:2], month[-1])}
    weights = np.array(
        [
            pattern.weekday_factors[d.weekday()]
            * pattern.month_factors[d.month - 1]
            * (pattern.month_turn_factor if d in turns else 1.0)
            for d in days
        ]
    )
    normalised: np.ndarray = weights / weights.sum()
    return normalised


def _instants(
    rng: np.random.Generator, days: list[date], day_weights: np.ndarray, count: int,
    pattern: CallPattern,
) -> np.ndarray:  # fmt: skip
    """``count`` instants (epoch microseconds) over working days and opening hours."""
    per_day = rng.multinomial(count, day_weights)
    hour_weights = np.array([pattern.hour_factors[h] for h in HOURS])
    hour_weights = hour_weights / hour_weights.sum()
    midnights = np.array(
        [int(datetime.combine(d, time(0), tzinfo=ZONE).timestamp()) for d in days], dtype=np.int64
    )
    day_index = np.repeat(np.arange(len(days)), per_day)
    hours = rng.choice(np.array(HOURS), size=count, p=hour_weights)
    seconds = rng.integers(0, 3600, size=count)
    # Opening hours are local: days of the DST changes keep their wall-clock hours.
    offsets = np.array(
        [
            int(datetime.combine(d, time(12), tzinfo=ZONE).utcoffset().total_seconds())  # type: ignore[union-attr]
            - int(datetime.combine(d, time(0), tzinfo=ZONE).utcoffset().total_seconds())  # type: ignore[union-attr]
            for d in days
        ],
        dtype=np.int64,
    )
    local: np.ndarray = midnights[day_index] + hours * 3600 + seconds - offsets[day_index]
    micros: np.ndarray = np.sort(local) * 1_000_000
    return micros


def _open_days(point: Point, days: list[date]) -> list[date]:
    """The working days a point is open: all five, or ``days_open`` weekdays in a row from
    one picked by the point's id (the sources do not say which; this is synthetic)."""
    if point.days_open >= 5:
        return days
    first = sum(point.id.encode()) % 5
    weekdays = {(first + k) % 5 for k in range(max(point.days_open, 1))}
    return [d for d in days if d.weekday() in weekdays]


@dataclass(frozen=True)
class Generated:
    path: Path
    rows: int
    by_channel: dict[str, int]


def generate_year(
    year: int,
    seed: int,
    totals: dict[str, float],
    points: list[Point],
    municipalities: list[tuple[float, float, int]],
    pattern: CallPattern,
    is_working_day: Callable[[date], bool],
    out: Path,
) -> Generated:
    """Write the year's synthetic events to ``out`` (Parquet); see the module docstring."""
    rng = np.random.default_rng([seed, year])
    first, last = date(year, 1, 1), date(year, 12, 31)
    days = [first + timedelta(n) for n in range((last - first).days + 1)]
    days = [d for d in days if is_working_day(d)]
    weights = _day_weights(days, pattern)
    residents = sum(p for _, _, p in municipalities)
    rates = {
        ContactChannel.SERVICE_POINT_VISIT: totals["service_points"] / residents,
        ContactChannel.ASIOINTIPISTE_VISIT: totals["asiointipisteet"] / residents,
    }
    served = residents_served([p for p in points if p.per_week is None], municipalities)
    parts: list[tuple[np.ndarray, ContactChannel, str | None]] = []
    for series, placeless in PLACELESS.items():
        instants = _instants(rng, days, weights, int(totals[series]), pattern)
        parts.append((instants, placeless, None))
    for point in points:
        if point.per_week is not None:
            # A published figure of customers served: kept, with the no-shows on top.
            count = round(point.per_week * len(days) / 5 / (1 - NO_SHOW_SHARE))
        else:
            yearly = rates[point.channel] * served[point.id] * point.days_open / 5
            count = int(rng.poisson(yearly))
        open_days = _open_days(point, days)
        instants = _instants(rng, open_days, _day_weights(open_days, pattern), count, pattern)
        parts.append((instants, point.channel, point.id))
    columns: dict[str, list[pa.Array]] = {k: [] for k in ("occurred_at", "channel", "place_id")}
    outcomes: list[np.ndarray] = []
    by_channel: dict[str, int] = {}
    for instants, channel, place in parts:
        n = len(instants)
        by_channel[channel.value] = by_channel.get(channel.value, 0) + n
        columns["occurred_at"].append(pa.array(instants, type=pa.timestamp("us", tz="UTC")))
        columns["channel"].append(pa.array([str(channel)] * n, type=pa.string()))
        columns["place_id"].append(pa.array([place] * n, type=pa.string()))
        missed = "abandoned" if channel is ContactChannel.PHONE else "no_show"
        share = ABANDON_SHARE if channel is ContactChannel.PHONE else NO_SHOW_SHARE
        outcomes.append(np.where(rng.random(n) < share, missed, "served"))
    total = sum(len(i) for i, _, _ in parts)
    table = pa.table(
        {
            "source": pa.array(["synthetic"] * total, type=pa.string()),
            "source_id": pa.array([f"{year}-{i:08d}" for i in range(total)], type=pa.string()),
            "occurred_at": pa.concat_arrays(columns["occurred_at"]),
            "channel": pa.concat_arrays(columns["channel"]),
            "place_id": pa.concat_arrays(columns["place_id"]),
            "outcome": pa.array(np.concatenate(outcomes), type=pa.string()),
            "provenance": pa.array(["synthetic"] * total, type=pa.string()),
        }
    )
    write_atomically(out, lambda partial: pq.write_table(table, partial, compression="zstd"))
    return Generated(out, total, by_channel)
