"""Erlang C and A: the published reference figures, exactness at scale, and a check of
Erlang A against a simulation of callers who hang up."""

from __future__ import annotations

import heapq
import math
import random

import numpy as np
import pytest

from kanava.staffing.erlang import (
    erlang_a_performance,
    erlang_b,
    erlang_c,
    erlang_c_performance,
    required_agents,
    requirement,
    staff_for,
)


def test_the_reference_case_that_pyworkforce_and_r_agree_on() -> None:
    # 100 calls in 30 minutes, 3-minute handling, 80 % within 20 seconds.
    needed = requirement(calls=100, interval_sec=1800, aht_sec=180, target_sl=0.8, answer_sec=20)
    assert needed.agents == 14
    assert needed.performance.service_level == pytest.approx(0.888, abs=5e-4)
    assert needed.performance.waiting_probability == pytest.approx(0.174, abs=5e-4)
    assert needed.performance.occupancy == pytest.approx(0.714, abs=5e-4)
    with_shrinkage = requirement(
        calls=100, interval_sec=1800, aht_sec=180, target_sl=0.8, answer_sec=20, shrinkage=0.3
    )
    assert with_shrinkage.staff == 20


def test_the_answer_is_the_fewest_agents_that_meet_the_target() -> None:
    agents = requirement(calls=100, interval_sec=1800, aht_sec=180, target_sl=0.8, answer_sec=20)
    one_less = erlang_c_performance(agents.agents - 1, 100, 1800, 180, 20)
    assert one_less.service_level < 0.8 <= agents.performance.service_level


def test_two_thousand_agents_without_overflow_or_lost_precision() -> None:
    load = 1950.0
    blocking = erlang_b(2000, load)
    assert 0 < blocking < 1 and math.isfinite(blocking)
    # The recursion agrees with the same formula in log space (exact Poisson terms).
    log_terms = [k * math.log(load) - math.lgamma(k + 1) for k in range(2001)]
    top = max(log_terms)
    expected = math.exp(log_terms[-1] - top) / sum(math.exp(t - top) for t in log_terms)
    assert blocking == pytest.approx(expected, rel=1e-9)
    waiting = erlang_c(2000, load)
    assert 0 < waiting < 1
    agents = required_agents([load * 1800 / 180], 1800, 180, 0.8, 20)[0]
    assert 1950 < agents <= 2000
    assert erlang_c_performance(int(agents), load * 10, 1800, 180, 20).service_level >= 0.8


def test_a_batch_gives_what_one_at_a_time_gives() -> None:
    calls = np.array([0, 1, 12.5, 100, 480, 2400])
    batch = required_agents(calls, 3600, 300, 0.8, 180, max_occupancy=0.9)
    single = [
        required_agents([c], 3600, 300, 0.8, 180, max_occupancy=0.9)[0] if c else 0 for c in calls
    ]
    assert batch.tolist() == single
    assert batch[0] == 0
    assert all(300 * c / 3600 / a <= 0.9 for c, a in zip(calls[1:], batch[1:], strict=True))


def test_shrinkage_rounds_up_and_is_bounded() -> None:
    assert staff_for(14, 0.3) == 20
    assert staff_for(10, 0.0) == 10
    assert staff_for(7, 0.3) == 10
    with pytest.raises(ValueError, match="shrinkage"):
        staff_for(10, 1.0)


def test_erlang_a_becomes_erlang_c_when_nobody_hangs_up() -> None:
    c = erlang_c_performance(14, 100, 1800, 180, 20)
    a = erlang_a_performance(14, 100, 1800, 180, 20, patience_sec=1e9)
    assert a.service_level == pytest.approx(c.service_level, abs=1e-6)
    assert a.waiting_probability == pytest.approx(c.waiting_probability, abs=1e-6)
    assert a.asa_sec == pytest.approx(c.asa_sec, rel=1e-4)
    assert a.abandonment < 1e-6


def _simulate(
    agents: int, calls: float, interval: float, aht: float, patience: float
) -> tuple[float, float, float]:
    """FIFO queue, exponential everything; (answered within 20 s, waited, hung up)."""
    rnd = random.Random(7)
    free = [0.0] * agents
    now = within = waited = hung_up = 0.0
    count = 200_000
    for _ in range(count):
        now += rnd.expovariate(calls / interval)
        start = max(now, free[0])
        wait = start - now
        waited += wait > 0
        if wait > rnd.expovariate(1 / patience):
            hung_up += 1
            continue
        heapq.heapreplace(free, start + rnd.expovariate(1 / aht))
        within += wait <= 20
    return within / count, waited / count, hung_up / count


@pytest.mark.parametrize(("agents", "patience"), [(14, 120.0), (10, 60.0)])
def test_erlang_a_agrees_with_a_simulation_of_callers_who_hang_up(
    agents: int, patience: float
) -> None:
    within, waited, hung_up = _simulate(agents, 100, 1800, 180, patience)
    exact = erlang_a_performance(agents, 100, 1800, 180, 20, patience)
    assert exact.service_level == pytest.approx(within, abs=0.01)
    assert exact.waiting_probability == pytest.approx(waited, abs=0.01)
    assert exact.abandonment == pytest.approx(hung_up, abs=0.01)


def test_patience_makes_fewer_agents_enough() -> None:
    c = requirement(calls=100, interval_sec=1800, aht_sec=180, target_sl=0.8, answer_sec=20)
    a = requirement(
        calls=100, interval_sec=1800, aht_sec=180, target_sl=0.8, answer_sec=20, patience_sec=120
    )
    assert a.agents < c.agents
    assert a.performance.service_level >= 0.8
    fewer = erlang_a_performance(a.agents - 1, 100, 1800, 180, 20, 120)
    assert fewer.service_level < 0.8


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"calls": 0}, "calls"),
        ({"aht_sec": -1}, "aht"),
        ({"target_sl": 1.2}, "target_sl"),
        ({"patience_sec": 0}, "patience"),
    ],
)
def test_bad_input_names_the_field(changes: dict[str, float], field: str) -> None:
    arguments = {
        "calls": 100.0,
        "interval_sec": 1800.0,
        "aht_sec": 180.0,
        "target_sl": 0.8,
        "answer_sec": 20.0,
        **changes,
    }
    with pytest.raises(ValueError, match=field):
        requirement(**arguments)  # type: ignore[arg-type]


def test_erlang_a__a_load_so_light_that_blocking_underflows_answers_everyone() -> None:
    """Sixty agents for one call in a thousand hours: the chance that all are busy is
    below the smallest float, and nobody ever waits (it divided by zero)."""
    result = erlang_a_performance(60, 0.001, 3600, 1.0, 180, 1.0)
    assert (result.service_level, result.waiting_probability, result.abandonment) == (1, 0, 0)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"calls": 1e6}, "calls"),  # 83,333 erlangs: the search would run for minutes
        ({"max_occupancy": 1e-300, "patience_sec": 60.0}, "target_sl"),  # never met
        ({"max_occupancy": 1e-300}, "no number of agents"),
    ],
)
def test_requirement__a_search_that_cannot_end_soon_is_refused_at_once(
    changes: dict[str, float], field: str
) -> None:
    """Found by fuzzing the API: each of these kept a worker busy without end."""
    values: dict[str, float] = {"calls": 100.0, "interval_sec": 1800.0, "aht_sec": 300.0,
                                "target_sl": 0.8, "answer_sec": 20.0, **changes}  # fmt: skip
    with pytest.raises(ValueError, match=field):
        requirement(**values)  # type: ignore[arg-type]
