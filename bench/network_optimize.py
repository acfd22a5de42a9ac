"""p-median: kanava's solver beside PySAL spopt on the same instances, in one run.

Instances (shipped data, road km = great-circle km × 1.3, population weights):
- all 308 municipalities as demand areas and as candidate sites;
- the 3,026 postal areas against the centres of the 150 most populous municipalities.
p in {10, 30, 60}. spopt builds its PuLP model and solves it with HiGHS (the same
engine as kanava), both asked for a relative MIP gap of 1e-9. Times are end to end
(matrix in hand → chosen sites), one run each: spopt takes minutes on the postal areas.
Targets: the same objective (relative 1e-6) and kanava at least 5× faster; the
swap search heuristic within 1 % of the optimum on the postal areas in under a second.

    python bench/network_optimize.py [--quick]    # --quick: municipalities only
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pulp
from spopt.locate import PMedian

from kanava.catalogue.geo import road_km_matrix
from kanava.data import read_csv
from kanava.network.optimize import Model, instance, pmedian, swap_search

CANDIDATES = 150


def instances() -> list[tuple[str, np.ndarray, np.ndarray]]:
    municipalities = read_csv("municipalities.csv")
    postal = read_csv("postal_areas.csv")
    m_at = np.array([[float(r["lat"]), float(r["lon"])] for r in municipalities])
    m_w = np.array([float(r["population"]) for r in municipalities])
    p_at = np.array([[float(r["lat"]), float(r["lon"])] for r in postal])
    p_w = np.array([float(r["population"]) for r in postal])
    biggest = np.argsort(-m_w, kind="stable")[:CANDIDATES]
    return [
        (f"municipalities {len(m_w)}×{len(m_w)}", road_km_matrix(m_at, m_at), m_w),
        (f"postal areas {len(p_w)}×{CANDIDATES}", road_km_matrix(p_at, m_at[biggest]), p_w),
    ]


def kanava_run(costs: np.ndarray, weights: np.ndarray, p: int) -> tuple[float, float]:
    started = time.perf_counter()
    found = pmedian(instance(costs, weights, model=Model.PMEDIAN, p=p), time_limit=3600)
    assert found.optimal
    return time.perf_counter() - started, found.objective


def spopt_run(costs: np.ndarray, weights: np.ndarray, p: int) -> tuple[float, float]:
    started = time.perf_counter()
    model = PMedian.from_cost_matrix(costs, weights, p_facilities=p)
    model.solve(pulp.HiGHS(msg=False, gapRel=1e-9))
    return time.perf_counter() - started, float(model.problem.objective.value())


def main() -> None:
    quick = "--quick" in sys.argv
    print(
        f"{'instance':<28}{'p':>4}{'kanava s':>10}{'spopt s':>10}{'ratio':>8}"
        f"{'kanava objective':>20}{'spopt objective':>20}{'rel diff':>10}"
    )
    heuristic_rows = []
    ratios, equal = [], True
    for name, costs, weights in instances()[: 1 if quick else 2]:
        for p in (10, 30, 60):
            ours, our_objective = kanava_run(costs, weights, p)
            theirs, their_objective = spopt_run(costs, weights, p)
            diff = abs(our_objective - their_objective) / their_objective
            ratios.append(theirs / ours)
            equal = equal and diff <= 1e-6
            print(
                f"{name:<28}{p:>4}{ours:>10.2f}{theirs:>10.2f}{theirs / ours:>7.1f}×"
                f"{our_objective:>20,.2f}{their_objective:>20,.2f}{diff:>10.1e}",
                flush=True,
            )
            if name.startswith("postal"):
                started = time.perf_counter()
                fast = swap_search(instance(costs, weights, model=Model.PMEDIAN, p=p))
                heuristic_rows.append(
                    (p, time.perf_counter() - started, fast.objective / our_objective - 1)
                )
    met = "met" if equal and min(ratios) >= 5 else "NOT met"
    print(
        f"objectives equal (1e-6): {equal}; slowest ratio {min(ratios):.1f}×; "
        f"target at least 5× with equal objectives: {met}"
    )
    for p, seconds, gap in heuristic_rows:
        print(
            f"swap search on the postal areas, p={p}: {seconds:.3f} s, "
            f"{100 * gap:.3f} % above the optimum (target: under 1 s, within 1 %)"
        )


if __name__ == "__main__":
    main()
