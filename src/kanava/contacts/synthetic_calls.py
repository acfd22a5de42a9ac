"""Synthetic hourly call counts of the phone lines, deterministic for a seed. Pure.

Each line-day draws from its own seeded generator (seed, date, line), so any window of
dates gives the same counts for the days it shares with another window: loading a later
window adds days and changes none. Expected volumes are scaled so that a whole
calibration year sums to the yearly total; the draws are Poisson around them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np

from kanava.clock import HELSINKI as ZONE


@dataclass(frozen=True)
class LineProfile:
    channel: str
    share: float
    aht_sec: float
    hours: tuple[int, ...]  # local starting hours the line is open on a working day


@dataclass(frozen=True)
class CallPattern:
    yearly_calls: float
    calibration_year: int
    seed: int
    abandonment_rate: float
    weekday_factors: tuple[float, ...]
    hour_factors: dict[int, float]
    month_factors: tuple[float, ...]
    month_turn_factor: float


@dataclass(frozen=True)
class HourCount:
    channel: str
    starts_at: datetime
    offered: int
    answered: int
    abandoned: int
    handling_seconds: int


def _working_days(first: date, last: date, is_working_day: Callable[[date], bool]) -> list[date]:
    days, day = [], first
    while day <= last:
        if is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _month_turns(working: list[date]) -> set[date]:
    """The first two and the last working day of each month."""
    by_month: dict[tuple[int, int], list[date]] = {}
    for day in working:
        by_month.setdefault((day.year, day.month), []).append(day)
    return {d for days in by_month.values() for d in (*days[:2], days[-1])}


def _day_factor(day: date, turns: set[date], pattern: CallPattern) -> float:
    factor = pattern.weekday_factors[day.weekday()] * pattern.month_factors[day.month - 1]
    return factor * (pattern.month_turn_factor if day in turns else 1.0)


def _scale(line: LineProfile, pattern: CallPattern, is_working: Callable[[date], bool]) -> float:
    """Calls per unit of (day factor × hour factor) so the calibration year sums right."""
    year = pattern.calibration_year
    working = _working_days(date(year, 1, 1), date(year, 12, 31), is_working)
    turns = _month_turns(working)
    hours = sum(pattern.hour_factors[h] for h in line.hours)
    total = sum(_day_factor(day, turns, pattern) for day in working) * hours
    return pattern.yearly_calls * line.share / total


def generate(
    lines: list[LineProfile],
    pattern: CallPattern,
    first: date,
    last: date,
    is_working_day: Callable[[date], bool],
) -> Iterator[HourCount]:
    """Every open hour of every line from ``first`` to ``last`` (local dates)."""
    margin = timedelta(days=40)  # month-turn days need the whole month around them
    working = _working_days(first - margin, last + margin, is_working_day)
    turns = _month_turns(working)
    for index, line in enumerate(lines):
        scale = _scale(line, pattern, is_working_day)
        for day in (d for d in working if first <= d <= last):
            rng = np.random.default_rng([pattern.seed, day.toordinal(), index])
            day_factor = _day_factor(day, turns, pattern)
            expected = np.array([scale * day_factor * pattern.hour_factors[h] for h in line.hours])
            offered = rng.poisson(expected)
            abandoned = rng.binomial(offered, pattern.abandonment_rate)
            answered = offered - abandoned
            handling = rng.gamma(25.0, line.aht_sec / 25.0, size=len(line.hours)) * answered
            for hour, off, ab, ans, secs in zip(
                line.hours, offered, abandoned, answered, handling, strict=True
            ):
                starts = datetime.combine(day, time(hour), tzinfo=ZONE)
                yield HourCount(line.channel, starts, int(off), int(ans), int(ab), int(secs))
