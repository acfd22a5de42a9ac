"""Resolving a year of opening hours for every channel, and open-at queries over them.

Channels come from the shipped data (no database needed). Two ways to answer "is it
open at t?" are measured in the same run on the same instants:
- from resolved timelines: a year resolved once per channel, each query a binary search;
- baseline: resolve the instant's day (and the day before) for every query.
Both must give the same answers; the figures are queries per second.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta

from kanava.catalogue.loader import shipped_channel_records
from kanava.catalogue.records import municipality_records
from kanava.data import read_csv
from kanava.hours.engine import Schedule, Timeline, local_date, timeline

FIRST, LAST = date(2025, 1, 1), date(2025, 12, 31)
QUERIES_PER_CHANNEL = 2000


def schedules() -> list[Schedule]:
    municipalities = municipality_records(
        read_csv("municipalities.csv"), read_csv("kela_service_areas.csv")
    )
    return [
        Schedule(record.rules, closed_on_holidays=record.values["closed_on_holidays"])
        for record in shipped_channel_records(municipalities)
        if record.rules
    ]


def main() -> None:
    resolve = timeline.__wrapped__  # type: ignore[attr-defined]  # bypass the memo: measure work
    channels = schedules()
    rng = random.Random(2025)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    instants = [
        start + timedelta(seconds=rng.randrange(365 * 86400)) for _ in range(QUERIES_PER_CHANNEL)
    ]

    began = time.perf_counter()
    years: list[Timeline] = [resolve(schedule, FIRST, LAST) for schedule in channels]
    resolve_s = time.perf_counter() - began

    began = time.perf_counter()
    fast = [line.state_at(t) for line in years for t in instants]
    fast_s = time.perf_counter() - began

    began = time.perf_counter()
    slow = []
    for schedule in channels:
        for t in instants:
            day = local_date(t, schedule.timezone)
            slow.append(resolve(schedule, day, day).state_at(t))
    slow_s = time.perf_counter() - began

    assert fast == slow, "the two ways disagree"
    queries = len(fast)
    spans = sum(len(line.intervals) for line in years)
    print(
        f"hours engine: {len(channels)} channels with hours, {FIRST.year}, {spans} resolved spans"
    )
    print(f"{'measure':<46}{'count':>9}{'seconds':>10}{'per second':>14}")
    print(
        f"{'resolve a year of timelines (channel-years)':<46}{len(channels):>9}{resolve_s:>10.3f}"
        f"{len(channels) / resolve_s:>14,.0f}"
    )
    print(
        f"{'baseline: open-at, resolve the day per query':<46}{queries:>9}{slow_s:>10.3f}"
        f"{queries / slow_s:>14,.0f}"
    )
    print(
        f"{'open-at from resolved timelines':<46}{queries:>9}{fast_s:>10.3f}"
        f"{queries / fast_s:>14,.0f}"
    )
    print(
        f"speed-up of resolved timelines over the baseline: {slow_s / fast_s:.0f}x; answers equal"
    )


if __name__ == "__main__":
    main()
