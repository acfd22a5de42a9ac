"""Slot search on plain values: buffers, adjacency, pooling, and the DST nights."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kanava.booking.slots import (
    Resource,
    ResourceArrays,
    SlotRules,
    free_at_start,
    free_counts_arrays,
    free_start_intervals,
    is_free,
    local_grid,
    pooled_offers,
    resource_arrays,
)

HKI = ZoneInfo("Europe/Helsinki")
THIRTY = SlotRules(timedelta(minutes=30), step=timedelta(minutes=30))
EARLY, LATE = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def hki(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=HKI).astimezone(UTC)  # type: ignore[misc]


def day_9_to_16(day: date) -> tuple[datetime, datetime]:
    return hki(day.year, day.month, day.day, 9), hki(day.year, day.month, day.day, 16)


def wall(moments: list[datetime]) -> list[str]:
    return [m.astimezone(HKI).strftime("%H:%M%z") for m in moments]


def test_free__back_to_back_fits_but_overlap_does_not() -> None:
    expert = Resource(
        "e",
        (day_9_to_16(date(2025, 3, 12)),),
        busy=((hki(2025, 3, 12, 10), hki(2025, 3, 12, 10, 30)),),
    )
    assert is_free(expert, THIRTY, hki(2025, 3, 12, 9, 30))
    assert not is_free(expert, THIRTY, hki(2025, 3, 12, 9, 45))
    assert not is_free(expert, THIRTY, hki(2025, 3, 12, 10, 0))
    assert is_free(expert, THIRTY, hki(2025, 3, 12, 10, 30))
    assert not is_free(expert, THIRTY, hki(2025, 3, 12, 15, 45))  # would run past 16:00


def test_free__buffers_keep_a_gap_on_both_sides() -> None:
    rules = SlotRules(timedelta(minutes=30), timedelta(minutes=10), timedelta(minutes=5))
    booked = rules.blocked(hki(2025, 3, 12, 10))
    expert = Resource("e", (day_9_to_16(date(2025, 3, 12)),), busy=(booked,))
    # New blocked range must end by 09:50 (the other's blocked start): start <= 09:15.
    assert is_free(expert, rules, hki(2025, 3, 12, 9, 15))
    assert not is_free(expert, rules, hki(2025, 3, 12, 9, 16))
    # After: the other's blocked end 10:35, plus our 10 min before: start >= 10:45.
    assert not is_free(expert, rules, hki(2025, 3, 12, 10, 44))
    assert is_free(expert, rules, hki(2025, 3, 12, 10, 45))


def test_free_start_intervals__merge_overlapping_bookings() -> None:
    day = date(2025, 3, 12)
    busy = (
        (hki(2025, 3, 12, 10), hki(2025, 3, 12, 11)),
        (hki(2025, 3, 12, 10, 30), hki(2025, 3, 12, 12)),
    )
    intervals = free_start_intervals(Resource("e", (day_9_to_16(day),), busy), THIRTY)
    assert intervals == [
        (hki(2025, 3, 12, 9), hki(2025, 3, 12, 9, 30)),
        (hki(2025, 3, 12, 12), hki(2025, 3, 12, 15, 30)),
    ]


def test_pooled__counts_free_experts_and_needs_a_room_for_video() -> None:
    day = date(2025, 3, 12)
    grid = local_grid(day, day, "Europe/Helsinki", timedelta(minutes=30), EARLY, LATE)
    a = Resource("a", (day_9_to_16(day),))
    b = Resource("b", (day_9_to_16(day),), busy=((hki(2025, 3, 12, 9), hki(2025, 3, 12, 12)),))
    offers = {o.start: o.free_experts for o in pooled_offers(grid, resource_arrays([a, b]), THIRTY)}
    assert offers[hki(2025, 3, 12, 9)] == 1 and offers[hki(2025, 3, 12, 13)] == 2
    assert hki(2025, 3, 12, 16) not in offers and len(offers) == 14
    room = Resource("room", ((hki(2025, 3, 12, 12), hki(2025, 3, 12, 14)),))
    with_room = pooled_offers(grid, resource_arrays([a, b]), THIRTY, rooms=resource_arrays([room]))
    assert [o.start for o in with_room] == [
        hki(2025, 3, 12, 12),
        hki(2025, 3, 12, 12, 30),
        hki(2025, 3, 12, 13),
        hki(2025, 3, 12, 13, 30),
    ]


@pytest.mark.parametrize("day", [date(2025, 3, 30), date(2026, 3, 29)], ids=["2025", "2026"])
def test_grid__spring_change_has_no_slot_in_the_missing_hour(day: date) -> None:
    grid = local_grid(day, day, "Europe/Helsinki", timedelta(minutes=30), EARLY, LATE)
    times = wall(grid)
    assert "03:00+0300" not in times and "03:30+0300" not in times
    assert times[:7] == [
        "00:00+0200",
        "00:30+0200",
        "01:00+0200",
        "01:30+0200",
        "02:00+0200",
        "02:30+0200",
        "04:00+0300",
    ]
    assert len(grid) == 46


@pytest.mark.parametrize("day", [date(2025, 10, 26), date(2026, 10, 25)], ids=["2025", "2026"])
def test_grid__autumn_change_offers_the_repeated_hour_once(day: date) -> None:
    grid = local_grid(day, day, "Europe/Helsinki", timedelta(minutes=30), EARLY, LATE)
    times = [m.astimezone(HKI).strftime("%H:%M") for m in grid]
    assert times.count("03:00") == 1 and times.count("03:30") == 1
    assert len(grid) == 48 and grid == sorted(grid)


@pytest.mark.parametrize(
    "day", [date(2025, 3, 30), date(2025, 10, 26), date(2026, 3, 29), date(2026, 10, 25)]
)
def test_offers__a_9_to_16_day_on_a_change_day_offers_9_00_to_15_30(day: date) -> None:
    grid = local_grid(day, day, "Europe/Helsinki", timedelta(minutes=30), EARLY, LATE)
    offers = pooled_offers(grid, resource_arrays([Resource("a", (day_9_to_16(day),))]), THIRTY)
    assert wall([o.start for o in offers])[0][:5] == "09:00"
    assert wall([o.start for o in offers])[-1][:5] == "15:30"
    assert len(offers) == 14


def test_grid__notice_and_horizon_clip_it() -> None:
    day = date(2025, 3, 12)
    grid = local_grid(
        day,
        day,
        "Europe/Helsinki",
        timedelta(minutes=30),
        hki(2025, 3, 12, 10),
        hki(2025, 3, 12, 11),
    )
    assert grid == [hki(2025, 3, 12, 10), hki(2025, 3, 12, 10, 30), hki(2025, 3, 12, 11)]


quarter_hours = st.integers(0, 28).map(lambda q: hki(2025, 3, 12, 9) + timedelta(minutes=15 * q))


@settings(max_examples=200, deadline=None)
@given(
    bookings=st.lists(quarter_hours, max_size=6),
    before=st.sampled_from([0, 5, 10]),
    after=st.sampled_from([0, 5, 15]),
)
def test_offers_never_overlap_bookings_and_lie_inside_working_time(
    bookings: list[datetime], before: int, after: int
) -> None:
    rules = SlotRules(timedelta(minutes=30), timedelta(minutes=before), timedelta(minutes=after))
    work = day_9_to_16(date(2025, 3, 12))
    expert = Resource("e", (work,), tuple(rules.blocked(b) for b in bookings))
    grid = local_grid(
        date(2025, 3, 12), date(2025, 3, 12), "Europe/Helsinki", timedelta(minutes=5), EARLY, LATE
    )
    for offer in pooled_offers(grid, resource_arrays([expert]), rules):
        assert work[0] <= offer.start and offer.end <= work[1]
        new_start, new_end = rules.blocked(offer.start)
        assert all(new_end <= s or e <= new_start for s, e in expert.busy)
    # and every grid start that is clear of all bookings is offered
    offered = {o.start for o in pooled_offers(grid, resource_arrays([expert]), rules)}
    for start in grid:
        new_start, new_end = rules.blocked(start)
        clear = all(new_end <= s or e <= new_start for s, e in expert.busy)
        inside = work[0] <= start and start + rules.duration <= work[1]
        assert (start in offered) == (clear and inside)


SPANS = st.lists(
    st.tuples(st.integers(0, 4), st.integers(0, 40), st.integers(1, 20), st.integers(0, 2)),
    max_size=30,
)
RULES = st.tuples(st.sampled_from([1, 2, 3]), st.sampled_from([0, 1]), st.sampled_from([0, 1]))
GRID = np.arange(0, 60 * 60, 60, dtype=np.int64)  # an hour in steps of 60 s


def five_resources(spans: list[tuple[int, int, int, int]]) -> ResourceArrays:
    """Working, booked and closed spans of five resources, in grid steps."""
    rows: dict[int, list[tuple[int, int, int]]] = {0: [], 1: [], 2: []}
    for resource, start, length, what in spans:
        rows[what].append((resource, 60 * start, 60 * (start + length)))
    return ResourceArrays(5, *(np.array(rows[w], dtype=np.int64).reshape(-1, 3) for w in (0, 1, 2)))


def minute_rules(rule: tuple[int, int, int]) -> SlotRules:
    duration, before, after = (timedelta(minutes=m) for m in rule)
    return SlotRules(duration, before, after)


@settings(max_examples=300, deadline=None)
@given(spans=SPANS, rule=RULES)
def test_counting_free_resources_agrees_with_the_resource_by_column_matrix(
    spans: list[tuple[int, int, int, int]], rule: tuple[int, int, int]
) -> None:
    """The counts made from sorted events equal the counts of the dense matrix."""
    arrays, rules = five_resources(spans), minute_rules(rule)
    columns, free = dense_free_matrix(GRID, arrays, rules)
    dense = np.zeros(len(GRID), dtype=np.int64)
    dense[columns] = free.sum(axis=0)
    assert free_counts_arrays(GRID, arrays, rules).tolist() == dense.tolist()


@settings(max_examples=300, deadline=None)
@given(spans=SPANS, rule=RULES)
def test_one_start_agrees_with_the_resource_by_column_matrix(
    spans: list[tuple[int, int, int, int]], rule: tuple[int, int, int]
) -> None:
    """What a booking checks at one start equals that column of the dense matrix, at
    every start, and the start counts as offered exactly when somebody works then."""
    arrays, rules = five_resources(spans), minute_rules(rule)
    columns, matrix = dense_free_matrix(GRID, arrays, rules)
    dense = np.zeros((arrays.count, len(GRID)), dtype=bool)
    dense[:, columns] = matrix
    for column, start in enumerate(GRID.tolist()):
        offered, free = free_at_start(start, arrays, rules)
        assert offered == (column in columns.tolist())
        assert free.tolist() == dense[:, column].tolist()


def _marks(rows: np.ndarray, lo: np.ndarray, hi: np.ndarray, count: int, width: int) -> np.ndarray:
    """A (count, width) boolean matrix: True from column lo (inclusive) to hi (exclusive)."""
    keep = lo < hi
    stride = width + 1
    size = count * stride
    steps = np.bincount(rows[keep] * stride + lo[keep], minlength=size) - np.bincount(
        rows[keep] * stride + hi[keep], minlength=size
    )
    marks: np.ndarray = np.cumsum(steps.reshape(count, stride), axis=1)[:, :width] > 0
    return marks


def dense_free_matrix(
    grid: np.ndarray, resources: ResourceArrays, rules: SlotRules
) -> tuple[np.ndarray, np.ndarray]:
    """The rule written out densely: which resource is free at which grid start (epoch
    seconds), as a (resources x grid) matrix; the oracle for the vectorised functions.

    Returns the grid columns where anybody works at all, and a (resources x those
    columns) boolean matrix; every other column is free for nobody.
    """
    empty = (np.zeros(0, dtype=np.int64), np.zeros((resources.count, 0), dtype=bool))
    if resources.count == 0 or len(grid) == 0:
        return empty
    duration = int(rules.duration.total_seconds())
    before = int(rules.buffer_before.total_seconds())
    after = int(rules.buffer_after.total_seconds())
    work = resources.working
    size = len(grid) + 1
    lo = np.searchsorted(grid, work[:, 1], side="left")
    hi = np.searchsorted(grid, work[:, 2] - duration, side="right")
    fits = lo < hi  # a span shorter than the appointment offers nothing (and takes nothing)
    anyone = np.bincount(lo[fits], minlength=size) - np.bincount(hi[fits], minlength=size)
    columns = np.flatnonzero(np.cumsum(anyone)[: len(grid)] > 0)
    if len(columns) == 0:
        return empty
    narrow = grid[columns]
    # start in [work_start, work_end - duration]
    working = _marks(
        work[:, 0],
        np.searchsorted(narrow, work[:, 1], side="left"),
        np.searchsorted(narrow, work[:, 2] - duration, side="right"),
        resources.count,
        len(narrow),
    )
    busy, closed = resources.busy, resources.closed
    # start in (blocked_start - duration - after, blocked_end + before), and for closed
    # spans in (closed_start - duration, closed_end): both open intervals
    forbidden = _marks(
        np.concatenate([busy[:, 0], closed[:, 0]]),
        np.searchsorted(
            narrow,
            np.concatenate([busy[:, 1] - duration - after, closed[:, 1] - duration]),
            side="right",
        ),
        np.searchsorted(narrow, np.concatenate([busy[:, 2] + before, closed[:, 2]]), side="left"),
        resources.count,
        len(narrow),
    )
    return columns, working & ~forbidden
