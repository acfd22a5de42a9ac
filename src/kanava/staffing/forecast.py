"""Forecast a phone line's calls per hour of a week from its hourly history. Pure.

The model is the one workforce planners use by hand, made explicit:

    calls(day, hour) = level × trend × weekday factor × hour share(weekday, hour) × season

- level: calls per working day over the last eight weeks, with the weekday mix divided out;
- trend: the last four of those weeks against the first four, carried to the planned
  week, damped by half and kept within ±20 %;
- weekday factor and hour shares: from the same eight weeks;
- season: how the same ISO week compared with its own preceding eight weeks a year
  earlier (month turns, summer), where a year of history exists; else 1;
- holidays and closed hours: no calls.

`backtest` forecasts each of the last weeks of the history from what came before it and
reports the weighted absolute percentage error (WAPE) of those held-out weeks.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from kanava.errors import reason
from kanava.staffing.erlang import RefusedFigure

RECENT_WEEKS = 8


@dataclass(frozen=True)
class HourObservation:
    day: date  # local date
    hour: int  # local starting hour
    calls: int
    handling_seconds: int
    answered: int


@dataclass(frozen=True)
class HourForecast:
    day: date
    hour: int
    calls: float
    aht_sec: float


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(days=i) for i in range(7)]


def _window(history: list[HourObservation], first: date, last: date) -> list[HourObservation]:
    return [o for o in history if first <= o.day <= last]


def _daily(observations: list[HourObservation]) -> dict[date, float]:
    totals: dict[date, float] = defaultdict(float)
    for o in observations:
        totals[o.day] += o.calls
    return totals


def _weekday_factors(daily: Mapping[date, float]) -> np.ndarray:
    by_weekday = np.zeros(7)
    counts = np.zeros(7)
    for day, total in daily.items():
        by_weekday[day.weekday()] += total
        counts[day.weekday()] += 1
    means = np.divide(by_weekday, counts, out=np.zeros(7), where=counts > 0)
    overall = means[counts > 0].mean() if (counts > 0).any() else 0.0
    return np.divide(means, overall, out=np.zeros(7), where=overall > 0)


def _level(daily: Mapping[date, float], factors: np.ndarray) -> float:
    """Calls on an average working day, the weekday mix divided out."""
    values = [
        total / factors[day.weekday()] for day, total in daily.items() if factors[day.weekday()]
    ]
    return float(np.mean(values)) if values else 0.0


def _trend(daily: Mapping[date, float], factors: np.ndarray, monday: date) -> float:
    """Growth carried from the middle of the eight weeks to the planned week: the last four
    weeks against the four before, per week, damped by half and kept within ±20 %."""
    half = monday - timedelta(weeks=RECENT_WEEKS // 2)
    early = _level({d: v for d, v in daily.items() if d < half}, factors)
    late = _level({d: v for d, v in daily.items() if d >= half}, factors)
    if early <= 0 or late <= 0:
        return 1.0
    weekly = (late / early) ** (1 / (RECENT_WEEKS // 2))
    weeks_ahead = RECENT_WEEKS / 2 + 0.5
    return float(np.clip(1 + (weekly**weeks_ahead - 1) / 2, 0.8, 1.2))


def _season(history: list[HourObservation], monday: date) -> float:
    """The same week a year earlier against its own preceding weeks; 1 without a year."""
    last_year = monday - timedelta(weeks=52)
    week = _daily(_window(history, last_year, last_year + timedelta(days=6)))
    before = _daily(
        _window(history, last_year - timedelta(weeks=RECENT_WEEKS), last_year - timedelta(days=1))
    )
    if not week or not before:
        return 1.0
    factors = _weekday_factors(before)
    then, base = _level(week, factors), _level(before, factors)
    return then / base if base > 0 else 1.0


def forecast_week(
    history: list[HourObservation],
    monday: date,
    open_hours: Callable[[date], tuple[int, ...]],
) -> list[HourForecast]:
    """Calls and handling time for every open hour of the week starting ``monday``."""
    recent = _window(history, monday - timedelta(weeks=RECENT_WEEKS), monday - timedelta(days=1))
    daily = _daily(recent)
    factors = _weekday_factors(daily)
    level = _level(daily, factors) * _trend(daily, factors, monday) * _season(history, monday)
    calls_by_slot: dict[tuple[int, int], float] = defaultdict(float)
    seconds: dict[tuple[int, int], float] = defaultdict(float)
    answered: dict[tuple[int, int], float] = defaultdict(float)
    for o in recent:
        slot = (o.day.weekday(), o.hour)
        calls_by_slot[slot] += o.calls
        seconds[slot] += o.handling_seconds
        answered[slot] += o.answered
    all_seconds, all_answered = sum(seconds.values()), sum(answered.values())
    default_aht = all_seconds / all_answered if all_answered else 300.0
    result = []
    for day in week_days(monday):
        hours = open_hours(day)
        weekday = day.weekday()
        day_total = sum(calls_by_slot[(weekday, h)] for h in hours)
        for hour in hours:
            share = calls_by_slot[(weekday, hour)] / day_total if day_total else 1 / len(hours)
            slot = (weekday, hour)
            aht = seconds[slot] / answered[slot] if answered[slot] else default_aht
            result.append(HourForecast(day, hour, level * factors[weekday] * share, aht))
    return result


@dataclass(frozen=True)
class Backtest:
    weeks: list[date]
    wape: float  # sum |forecast - actual| / sum actual, over the held-out hours
    actual_calls: int
    forecast_calls: float


def backtest(
    history: list[HourObservation],
    last_monday: date,
    open_hours: Callable[[date], tuple[int, ...]],
    weeks: int = 4,
) -> Backtest:
    """Forecast each of ``weeks`` weeks ending with ``last_monday``'s from the history
    before it, and compare with what happened."""
    mondays = [last_monday - timedelta(weeks=k) for k in reversed(range(weeks))]
    error = actual_total = forecast_total = 0.0
    for monday in mondays:
        before = [o for o in history if o.day < monday]
        actual = {
            (o.day, o.hour): o.calls for o in _window(history, monday, monday + timedelta(days=6))
        }
        for f in forecast_week(before, monday, open_hours):
            observed = actual.get((f.day, f.hour), 0)
            error += abs(f.calls - observed)
            actual_total += observed
            forecast_total += f.calls
    wape = error / actual_total if actual_total else 0.0
    return Backtest(mondays, wape, int(actual_total), forecast_total)


def iso_monday(week: str) -> date:
    """The Monday of an ISO week written 2025-W11."""
    found = re.fullmatch(r"(\d{4})-W(\d{1,2})", week.strip())
    try:
        if found is None:
            raise ValueError
        return date.fromisocalendar(int(found[1]), int(found[2]), 1)
    except ValueError:
        raise RefusedFigure(
            "week", reason("%(week)s is not an ISO week like 2025-W11", week=repr(week))
        ) from None
