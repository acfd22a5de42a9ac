"""Erlang C (M/M/n) and Erlang A (M/M/n+M, callers who hang up), pure and exact.

Everything is built on the Erlang B recursion B(k) = a·B(k-1) / (k + a·B(k-1)), which
stays in [0, 1] and never forms a factorial, so thousands of agents are fine. The
required-agents search advances that recursion one agent at a time, for a whole batch of
intervals at once (numpy), instead of recomputing from zero for every candidate.

Units: times in seconds, arrival counts per interval. The offered load a = calls ×
handling time / interval length, in erlangs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import betainc

from kanava.errors import reason


class RefusedFigure(ValueError):
    """A figure the calculation cannot take: the field, and why (translatable)."""

    def __init__(self, field: str, why: str) -> None:
        super().__init__(f"{field}: {why}")
        self.field, self.why = field, why


Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Performance:
    """What a number of agents achieves on one interval."""

    agents: int
    service_level: float  # share of all callers answered within the target time
    waiting_probability: float
    occupancy: float
    asa_sec: float  # average speed of answer of answered calls
    abandonment: float = 0.0


def offered_load(calls: float, interval_sec: float, aht_sec: float) -> float:
    return calls * aht_sec / interval_sec


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of a loss system with ``agents`` servers."""
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(agents: int, load: float) -> float:
    """Probability that a caller waits; 1 when the agents cannot carry the load."""
    if agents <= load:
        return 1.0
    blocking = erlang_b(agents, load)
    return agents * blocking / (agents - load * (1 - blocking))


def erlang_c_performance(
    agents: int, calls: float, interval_sec: float, aht_sec: float, answer_sec: float
) -> Performance:
    load = offered_load(calls, interval_sec, aht_sec)
    waiting = erlang_c(agents, load)
    if agents <= load:
        return Performance(agents, 0.0, 1.0, 1.0, math.inf)
    service_level = 1 - waiting * math.exp(-(agents - load) * answer_sec / aht_sec)
    asa = waiting * aht_sec / (agents - load)
    return Performance(agents, max(0.0, service_level), waiting, load / agents, asa)


def erlang_a_performance(
    agents: int,
    calls: float,
    interval_sec: float,
    aht_sec: float,
    answer_sec: float,
    patience_sec: float,
    *,
    tail: float = 1e-15,
) -> Performance:
    """M/M/n+M: callers hang up after an exponential patience with the given mean.

    A caller who finds j others queued waits for j+1 departures from the head of the
    queue, at rates nμ + iθ; the waits of such sums have the law of -log Beta(nμ/θ + 1,
    j + 1)/θ, so the chance to be answered within t is a regularised incomplete beta.
    """
    if agents < 1:
        raise RefusedFigure("agents", reason("at least one"))
    arrival = calls / interval_sec
    service = 1 / aht_sec
    patience = 1 / patience_sec
    load = arrival / service
    capacity = agents * service
    blocking = erlang_b(agents, load)
    if blocking == 0.0:  # so light a load that the chance of all agents busy underflows
        return Performance(agents, 1.0, 0.0, min(1.0, load / agents), 0.0, 0.0)
    # Queue states relative to "all agents busy, nobody queued": r_j = Π λ / (nμ + iθ).
    ratios = []
    term, j = 1.0, 0
    while True:
        j += 1
        term *= arrival / (capacity + j * patience)
        ratios.append(term)
        if term < tail and capacity + j * patience > arrival:
            break
        if j >= MAX_QUEUE_STATES:
            raise RefusedFigure("patience_sec", reason(
                "callers this patient under this load make the queue too long to sum; leave "
                "patience out (Erlang C) or give fewer calls"))  # fmt: skip
    queue = np.array(ratios)
    total = 1 / blocking + queue.sum()
    # The state an arriving caller finds (PASTA): n+j in the system, j = 0, 1, …
    finds = np.concatenate(([1.0], queue[:-1])) / total
    ahead = np.arange(1, len(finds) + 1)  # departures to wait for
    reach = capacity / (capacity + ahead * patience)  # answered before hanging up
    within = 1 - betainc(capacity / patience + 1, ahead, math.exp(-patience * answer_sec))
    waits = finds.sum()
    answered_late = float((finds * reach).sum())
    abandonment = float(waits) - answered_late
    answered_within = (1 - waits) + float((finds * reach * within).sum())
    mean_wait_answered = float(
        (finds * reach * np.cumsum(1 / (capacity + ahead * patience))).sum()
    ) / (1 - abandonment)
    occupancy = load * (1 - abandonment) / agents
    return Performance(
        agents,
        min(1.0, answered_within),
        float(waits),
        min(1.0, float(occupancy)),
        mean_wait_answered,
        float(abandonment),
    )


@dataclass(frozen=True)
class Requirement:
    """Agents needed on the phones for a target, and staff once shrinkage is counted."""

    agents: int
    staff: int
    performance: Performance


def staff_for(agents: int, shrinkage: float) -> int:
    """People to roster so that ``agents`` are on the phones after breaks, training…"""
    if not 0 <= shrinkage < 1:
        raise RefusedFigure("shrinkage", reason("must be at least 0 and below 1"))
    return math.ceil(agents / (1 - shrinkage) - 1e-9)


# Far above any phone line's peak (a whole national service is some hundreds of agents);
# beyond it, one answer would keep a worker busy for minutes.
MAX_LOAD_ERLANGS = 5_000
MAX_QUEUE_STATES = 200_000
MAX_AGENTS = 100_000


def required_agents(
    calls: ArrayLike,
    interval_sec: ArrayLike,
    aht_sec: ArrayLike,
    target_sl: ArrayLike,
    answer_sec: ArrayLike,
    max_occupancy: float = 1.0,
) -> NDArray[np.int64]:
    """Erlang C: the fewest agents that meet the service level (and the occupancy cap),
    for every interval of a batch at once; 0 where no calls are offered. Every argument
    but the cap may be one value or one per interval."""
    calls_a = np.atleast_1d(np.asarray(calls, dtype=np.float64))
    shape = calls_a.shape
    interval_a, aht_a, target_a, answer_a = (
        np.broadcast_to(np.asarray(v, dtype=np.float64), shape).copy()
        for v in (interval_sec, aht_sec, target_sl, answer_sec)
    )
    if ((target_a <= 0) | (target_a >= 1)).any():
        raise RefusedFigure("target_sl", reason("must be between 0 and 1"))
    if not 0 < max_occupancy <= 1:
        raise RefusedFigure("max_occupancy", reason("must be above 0 and at most 1"))
    if (calls_a < 0).any() or (aht_a <= 0).any() or (interval_a <= 0).any():
        raise RefusedFigure("calls", reason(
            "calls must be at least 0, handling times and intervals above 0"))  # fmt: skip
    result = np.zeros(shape, dtype=np.int64)
    load_all = calls_a * aht_a / interval_a
    # The intervals still searching, kept compact so that each agent added costs less.
    where = np.flatnonzero(load_all > 0)
    load, aht, target, answer = load_all[where], aht_a[where], target_a[where], answer_a[where]
    blocking = np.ones(len(where))
    # Enough agents for the largest load: the target is met well before this.
    peak = float(load.max(initial=0))
    top = int(peak + 10 * math.sqrt(peak) + 50)
    for k in range(1, top + 1):
        if not len(where):
            break
        blocking = load * blocking / (k + load * blocking)
        if k <= load.min():
            continue
        stable = load < k
        excess = np.where(stable, k - load, 1.0)
        waiting = k * blocking / np.where(stable, k - load * (1 - blocking), 1.0)
        service_level = 1 - waiting * np.exp(-excess * answer / aht)
        met = stable & (service_level >= target) & (load <= k * max_occupancy + 1e-12)
        if met.any():
            result[where[met]] = k
            keep = ~met
            where = where[keep]
            load, aht, target, answer = load[keep], aht[keep], target[keep], answer[keep]
            blocking = blocking[keep]
    if len(where):
        raise RefusedFigure("target_sl", reason(
            "no number of agents up to the search limit meets the target"))  # fmt: skip
    return result


def requirement(
    *,
    calls: float,
    interval_sec: float,
    aht_sec: float,
    target_sl: float,
    answer_sec: float,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
    patience_sec: float | None = None,
) -> Requirement:
    """One interval: Erlang C, or Erlang A when callers' mean patience is given."""
    for name, value in (("calls", calls), ("interval", interval_sec), ("aht", aht_sec)):
        if not value > 0:
            raise RefusedFigure(name, reason("must be above zero"))
    offered = offered_load(calls, interval_sec, aht_sec)
    if offered > MAX_LOAD_ERLANGS:
        raise RefusedFigure("calls", reason(
            "the offered load (calls × handling time / interval) is %(offered)s erlangs; at "
            "most %(limit)s (the search grows with the load)", offered=round(offered),
            limit=MAX_LOAD_ERLANGS))  # fmt: skip
    if patience_sec is None:
        agents = int(
            required_agents([calls], interval_sec, aht_sec, target_sl, answer_sec, max_occupancy)[0]
        )
        performance = erlang_c_performance(agents, calls, interval_sec, aht_sec, answer_sec)
        return Requirement(agents, staff_for(agents, shrinkage), performance)
    if not patience_sec > 0:
        raise RefusedFigure("patience", reason("must be above zero"))

    def good(agents: int) -> bool:
        result = erlang_a_performance(
            agents, calls, interval_sec, aht_sec, answer_sec, patience_sec
        )
        return result.service_level >= target_sl and result.occupancy <= max_occupancy + 1e-12

    # The service level grows with every agent: bisect between too few and enough.
    load = offered_load(calls, interval_sec, aht_sec)
    low, high = 0, max(1, int(load + 10 * math.sqrt(load) + 50))
    while not good(high):
        if high > MAX_AGENTS:
            raise RefusedFigure("target_sl", reason(
                "no number of agents up to the search limit meets the target"))  # fmt: skip
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if good(middle) else (middle, high)
    performance = erlang_a_performance(high, calls, interval_sec, aht_sec, answer_sec, patience_sec)
    return Requirement(high, staff_for(high, shrinkage), performance)
