"""A week's staffing plan for phone lines: forecast → Erlang C → people. Pure.

Call-backs: when the queue peaks, a share of the callers above the day's mean can leave a
call-back request instead of waiting; those calls are made later the same day in the
hours below the mean (never above it). The plan shows both, so the effect on the peak
is plain. Extra calls (for example those a network scenario moves to the phone) are
spread over the week in proportion to the forecast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from kanava.staffing.erlang import required_agents, staff_for
from kanava.staffing.forecast import HourForecast

INTERVAL_SEC = 3600.0


@dataclass(frozen=True)
class Target:
    service_level: float = 0.8
    answer_sec: float = 180.0
    shrinkage: float = 0.3
    max_occupancy: float = 0.9
    callback_share: float = 0.3
    extra_calls_per_week: float = 0.0


@dataclass(frozen=True)
class PlanHour:
    day: date
    hour: int
    calls: float
    aht_sec: float
    agents: int
    staff: int
    calls_with_callbacks: float
    agents_with_callbacks: int
    staff_with_callbacks: int


def _with_extra(hours: list[HourForecast], extra: float) -> np.ndarray:
    calls = np.array([h.calls for h in hours], dtype=np.float64)
    total = calls.sum()
    if extra and total > 0:
        calls = calls + extra * calls / total
    return calls


def _absorb_peaks(days: np.ndarray, calls: np.ndarray, share: float) -> np.ndarray:
    """Move ``share`` of each hour's calls above the day's mean into that day's quieter
    hours, filling them up to the mean at most."""
    result = calls.copy()
    for day in np.unique(days):
        idx = np.flatnonzero(days == day)
        mean = calls[idx].mean()
        above = np.clip(calls[idx] - mean, 0, None) * share
        room = np.clip(mean - calls[idx], 0, None)
        moved = min(above.sum(), room.sum())
        if moved <= 0:
            continue
        result[idx] -= above * (moved / above.sum())
        result[idx] += room * (moved / room.sum())
    return result


def plan_week(hours: list[HourForecast], target: Target) -> list[PlanHour]:
    """Agents and staff for every open hour, without and with call-backs."""
    if not hours:
        return []
    calls = _with_extra(hours, target.extra_calls_per_week)
    aht = np.array([h.aht_sec for h in hours], dtype=np.float64)
    days = np.array([h.day.toordinal() for h in hours])
    absorbed = _absorb_peaks(days, calls, target.callback_share)
    both = required_agents(
        np.concatenate([calls, absorbed]),
        INTERVAL_SEC,
        np.concatenate([aht, aht]),
        target.service_level,
        target.answer_sec,
        target.max_occupancy,
    )
    plain, smoothed = both[: len(hours)], both[len(hours) :]
    return [
        PlanHour(
            h.day,
            h.hour,
            float(calls[i]),
            float(aht[i]),
            int(plain[i]),
            staff_for(int(plain[i]), target.shrinkage),
            float(absorbed[i]),
            int(smoothed[i]),
            staff_for(int(smoothed[i]), target.shrinkage),
        )
        for i, h in enumerate(hours)
    ]
