"""Free appointment slots, pooled over every qualified expert (and room). Pure.

A slot start ``s`` is free for a resource when the appointment ``[s, s + d)`` lies
inside the resource's working time and its blocked range ``[s - before, s + d + after)``
overlaps no blocked range of an active booking. Blocked ranges are half-open, so
back-to-back appointments fit, exactly as the database constraint allows.

Starts are offered on a wall-clock grid (every ``step`` from local midnight), so on
the spring change no slot falls in the missing hour and on the autumn change none is
offered twice (the repeated hour is read as its first occurrence).

For speed the pooled count is made from sorted events: each resource's working and
forbidden start intervals become events keyed by (resource, grid column); running sums
give each resource's free stretches, and a difference array over the grid adds them up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

Span = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class SlotRules:
    """How long an appointment is, its buffers, and the grid its starts sit on."""

    duration: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    step: timedelta = timedelta(minutes=15)

    def blocked(self, start: datetime) -> Span:
        """The range a booking starting at ``start`` keeps from others."""
        return start - self.buffer_before, start + self.duration + self.buffer_after


@dataclass(frozen=True, slots=True)
class Resource:
    """An expert or a room: when it works, and the blocked ranges of its bookings."""

    id: str
    working: tuple[Span, ...]
    busy: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Offer:
    start: datetime
    end: datetime
    free_experts: int


def _forbidden_starts(resource: Resource, rules: SlotRules) -> list[Span]:
    """Open intervals (a, b) of starts that would overlap a booking, merged and sorted."""
    reach = rules.duration + rules.buffer_after
    spans = sorted((c - reach, e + rules.buffer_before) for c, e in resource.busy)
    merged: list[Span] = []
    for a, b in spans:
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def free_start_intervals(resource: Resource, rules: SlotRules) -> list[Span]:
    """Closed intervals [lo, hi] of starts at which the resource is free."""
    forbidden = _forbidden_starts(resource, rules)
    result: list[Span] = []
    first_relevant = 0
    for work_start, work_end in sorted(resource.working):
        lo, hi = work_start, work_end - rules.duration
        if hi < lo:
            continue
        while first_relevant < len(forbidden) and forbidden[first_relevant][1] <= lo:
            first_relevant += 1
        for a, b in forbidden[first_relevant:]:
            if a >= hi:
                break
            if a >= lo:
                result.append((lo, a))
            lo = max(lo, b)
            if lo > hi:
                break
        if lo <= hi:
            result.append((lo, hi))
    return result


def is_free(resource: Resource, rules: SlotRules, start: datetime) -> bool:
    """Whether the resource can take an appointment starting exactly at ``start``."""
    return any(lo <= start <= hi for lo, hi in free_start_intervals(resource, rules))


@lru_cache(maxsize=512)
def _day_grid(day: date, zone_name: str, step_minutes: int) -> tuple[datetime, ...]:
    zone = ZoneInfo(zone_name)
    starts: list[datetime] = []
    for minute in range(0, 24 * 60, step_minutes):
        local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
        instant = local.astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
            continue  # does not exist: the spring-forward hour
        starts.append(instant)
    return tuple(starts)


@lru_cache(maxsize=512)
def _day_seconds(day: date, zone_name: str, step_minutes: int) -> np.ndarray:
    return np.array([int(s.timestamp()) for s in _day_grid(day, zone_name, step_minutes)],
                    dtype=np.int64)  # fmt: skip


def local_grid(
    first: date, last: date, zone_name: str, step: timedelta, earliest: datetime, latest: datetime
) -> list[datetime]:
    """Grid starts in UTC for local dates first..last, within [earliest, latest]."""
    return local_grid_seconds(first, last, zone_name, step, earliest, latest)[0]


def local_grid_seconds(
    first: date, last: date, zone_name: str, step: timedelta, earliest: datetime, latest: datetime
) -> tuple[list[datetime], np.ndarray]:
    """The grid, and the same starts as epoch seconds (both cached per day)."""
    step_minutes = int(step / timedelta(minutes=1))
    grid: list[datetime] = []
    seconds = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        starts = _day_grid(day, zone_name, step_minutes)
        if starts and earliest <= starts[0] and starts[-1] <= latest:
            grid.extend(starts)
            seconds.append(_day_seconds(day, zone_name, step_minutes))
            continue
        inside = [i for i, s in enumerate(starts) if earliest <= s <= latest]
        grid.extend(starts[i] for i in inside)
        seconds.append(_day_seconds(day, zone_name, step_minutes)[inside])
    return grid, np.concatenate(seconds) if seconds else np.zeros(0, dtype=np.int64)


# Many resources at once ------------------------------------------------------------
#
# The same rule as free_start_intervals, vectorised over many resources: times are
# epoch seconds, and a start is free for a resource when it lies in one of its working
# start intervals [work start, work end - duration] and in no forbidden interval: for a
# booking (blocked start - duration - buffer after, blocked end + buffer before), for a
# closed span (closed start - duration, closed end). The tests hold both functions equal
# to a dense resources x grid matrix of exactly that.


@dataclass(frozen=True)
class ResourceArrays:
    """Working spans, bookings' blocked ranges and closed spans of many resources.

    Each array has rows (resource index, start, end) in epoch seconds.
    """

    count: int
    working: np.ndarray
    busy: np.ndarray
    closed: np.ndarray
    ids: tuple[str, ...] = ()


def free_at_start(
    start: int, resources: ResourceArrays, rules: SlotRules
) -> tuple[bool, np.ndarray]:
    """One start (epoch seconds), as a booking asks: whether anybody works then at all,
    and which resources are free. A comparison per span."""
    duration = int(rules.duration.total_seconds())
    before = int(rules.buffer_before.total_seconds())
    after = int(rules.buffer_after.total_seconds())
    work, busy, closed = resources.working, resources.busy, resources.closed
    fits = (work[:, 1] <= start) & (start <= work[:, 2] - duration)
    free = np.zeros(resources.count, dtype=bool)
    free[work[fits, 0]] = True
    free[busy[(busy[:, 1] - duration - after < start) & (start < busy[:, 2] + before), 0]] = False
    free[closed[(closed[:, 1] - duration < start) & (start < closed[:, 2]), 0]] = False
    return bool(fits.any()), free


def free_counts_arrays(grid: np.ndarray, resources: ResourceArrays, rules: SlotRules) -> np.ndarray:
    """For every grid start (epoch seconds), how many resources are free.

    No (resources x grid) matrix: each span's ends become events keyed by (resource,
    grid column), sorted once; running sums say where a resource is working and not
    forbidden, and those stretches are added up per column. Work is proportional to the
    spans, not to resources times columns.
    """
    width = len(grid)
    if resources.count == 0 or width == 0:
        return np.zeros(width, dtype=np.int64)
    duration = int(rules.duration.total_seconds())
    before = int(rules.buffer_before.total_seconds())
    after = int(rules.buffer_after.total_seconds())
    work, busy, closed = resources.working, resources.busy, resources.closed
    stride = width + 1
    # working: start in [work_start, work_end - duration]
    w_lo = np.searchsorted(grid, work[:, 1], side="left")
    w_hi = np.searchsorted(grid, work[:, 2] - duration, side="right")
    # forbidden: start in (blocked_start - duration - after, blocked_end + before) and in
    # (closed_start - duration, closed_end): open intervals
    f_rows = np.concatenate([busy[:, 0], closed[:, 0]])
    f_lo = np.searchsorted(
        grid, np.concatenate([busy[:, 1] - duration - after, closed[:, 1] - duration]),
        side="right",
    )  # fmt: skip
    f_hi = np.searchsorted(grid, np.concatenate([busy[:, 2] + before, closed[:, 2]]), side="left")
    w_keep, f_keep = w_lo < w_hi, f_lo < f_hi
    w_base, f_base = work[w_keep, 0] * stride, f_rows[f_keep] * stride
    keys = np.concatenate(
        [w_base + w_lo[w_keep], w_base + w_hi[w_keep], f_base + f_lo[f_keep], f_base + f_hi[f_keep]]
    )
    n_w, n_f = int(w_keep.sum()), int(f_keep.sum())
    working_step = np.concatenate([np.ones(n_w), -np.ones(n_w), np.zeros(2 * n_f)])
    forbidden_step = np.concatenate([np.zeros(2 * n_w), np.ones(n_f), -np.ones(n_f)])
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    free = (np.cumsum(working_step[order]) > 0) & (np.cumsum(forbidden_step[order]) == 0)
    # a free stretch runs from an event to the next one, inside one resource's row
    stretch = free[:-1] & (keys[1:] > keys[:-1])
    starts = keys[:-1][stretch]
    ends = keys[1:][stretch] - (starts // stride) * stride
    steps = np.bincount(starts % stride, minlength=stride) - np.bincount(ends, minlength=stride)
    counts: np.ndarray = np.cumsum(steps)[:width]
    return counts


def resource_arrays(resources: Sequence[Resource]) -> ResourceArrays:
    """Resources described with datetimes, as arrays of epoch seconds."""

    def rows(spans: Iterable[tuple[int, Span]]) -> np.ndarray:
        values = [(i, int(s.timestamp()), int(e.timestamp())) for i, (s, e) in spans]
        return np.array(values, dtype=np.int64).reshape(-1, 3)

    return ResourceArrays(
        len(resources),
        rows((i, span) for i, r in enumerate(resources) for span in r.working),
        rows((i, span) for i, r in enumerate(resources) for span in r.busy),
        rows([]),
        tuple(r.id for r in resources),
    )


def epoch_seconds(moments: Iterable[datetime]) -> np.ndarray:
    return np.fromiter((int(m.timestamp()) for m in moments), dtype=np.int64)


def pooled_offers(
    grid: Sequence[datetime],
    experts: ResourceArrays,
    rules: SlotRules,
    rooms: ResourceArrays | None = None,
    seconds: np.ndarray | None = None,
) -> list[Offer]:
    """Starts at which some expert (and, for video at a joint service point, some room) is
    free; ``seconds`` is the grid as epoch seconds when the caller has it."""
    seconds = epoch_seconds(grid) if seconds is None else seconds
    counts = free_counts_arrays(seconds, experts, rules)
    if rooms is not None:
        counts = np.where(free_counts_arrays(seconds, rooms, rules) > 0, counts, 0)
    free = np.flatnonzero(counts > 0)
    return [
        Offer(grid[i], grid[i] + rules.duration, n)
        for i, n in zip(free.tolist(), counts[free].tolist(), strict=True)
    ]
