"""Required agents (Erlang C) per second: kanava beside pyworkforce on the same inputs.

Inputs: 3,000 intervals shaped like a week of phone-line hours and half hours (calls
from 1 to 1,500, handling times of 3 to 10 minutes, answer targets of 20 s and 180 s,
service levels 80 % and 90 %). pyworkforce's ErlangC.required_positions answers them
one by one; kanava's required_agents answers them all in one batch. Both
answers must be equal. Target: at least 10× as many computations per second.
"""

from __future__ import annotations

import time

import numpy as np
from pyworkforce.queuing import ErlangC

from kanava.staffing.erlang import required_agents


def inputs(count: int) -> list[tuple[float, float, float, float, float]]:
    """(calls, interval_sec, aht_sec, target_sl, answer_sec), deterministic."""
    rng = np.random.default_rng(11)
    rows = []
    for _ in range(count):
        rows.append(
            (
                float(rng.integers(1, 1500)),
                float(rng.choice([1800.0, 3600.0])),
                float(rng.choice([180.0, 300.0, 420.0, 600.0])),
                float(rng.choice([0.8, 0.9])),
                float(rng.choice([20.0, 180.0])),
            )
        )
    return rows


def with_pyworkforce(rows: list[tuple[float, float, float, float, float]]) -> list[int]:
    answers = []
    for calls, interval, aht, target, answer in rows:
        queue = ErlangC(transactions=calls, aht=aht / 60, asa=answer / 60, interval=interval / 60)
        answers.append(int(queue.required_positions(service_level=target)["raw_positions"]))
    return answers


def with_kanava(rows: list[tuple[float, float, float, float, float]]) -> list[int]:
    calls, interval, aht, target, answer = np.array(rows).T
    return required_agents(calls, interval, aht, target, answer).tolist()


def timed(run, rows):  # type: ignore[no-untyped-def]
    best, answers = float("inf"), []
    for _ in range(3):
        started = time.perf_counter()
        answers = run(rows)
        best = min(best, time.perf_counter() - started)
    return best, answers


def main() -> None:
    rows = inputs(3000)
    base_s, base = timed(with_pyworkforce, rows)
    ours_s, ours = timed(with_kanava, rows)
    differ = sum(a != b for a, b in zip(base, ours, strict=True))
    print(f"required agents (Erlang C): {len(rows)} intervals, best of 3 runs")
    print(f"{'method':<32}{'seconds':>10}{'per second':>14}")
    print(f"{'baseline: pyworkforce 0.5.1':<32}{base_s:>10.3f}{len(rows) / base_s:>14,.0f}")
    print(f"{'kanava required_agents':<32}{ours_s:>10.3f}{len(rows) / ours_s:>14,.0f}")
    ratio = base_s / ours_s
    print(f"answers equal: {len(rows) - differ}/{len(rows)}; speed-up {ratio:.1f}x")
    verdict = "met" if ratio >= 10 and differ == 0 else "NOT met"
    print(f"target at least 10x with equal answers: {verdict}")


if __name__ == "__main__":
    main()
