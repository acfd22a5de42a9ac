"""Maximal and set covering on the national instance: all 3,026 postal areas as demand
(population weights) and as candidates, road km = great-circle km × 1.3.

For radius 20 and 40 km: maximal covering with p = 10 and 60, exact (HiGHS, stopped at
120 s) beside the heuristic (the swap search on 0/1 "left uncovered" costs); set covering,
exact, stopped at 120 s. No floor: the figures say where the covering models stand.

    python bench/covering_national.py
"""

from __future__ import annotations

import time

import numpy as np

from kanava.catalogue.geo import road_km_matrix
from kanava.data import read_csv
from kanava.network.optimize import Method, Model, instance, solve

LIMIT = 120.0


def main() -> None:
    rows = read_csv("postal_areas.csv")
    at = np.array([[float(r["lat"]), float(r["lon"])] for r in rows])
    weights = np.array([float(r["population"]) for r in rows])
    costs = road_km_matrix(at, at)
    for radius in (20.0, 40.0):
        for p in (10, 60):
            problem = instance(costs, weights, model=Model.MCLP, p=p, radius=radius)
            started = time.perf_counter()
            exact = solve(problem, Model.MCLP, time_limit=LIMIT)
            exact_s = time.perf_counter() - started
            started = time.perf_counter()
            fast = solve(problem, Model.MCLP, method=Method.HEURISTIC)
            fast_s = time.perf_counter() - started
            below = 100 * (1 - fast.objective / exact.objective)
            print(f"MCLP {radius:.0f} km p={p:<3} exact {exact_s:6.1f} s "
                  f"proven={exact.optimal!s:<5}  heuristic {fast_s:5.1f} s {below:6.3f} % below",
                  flush=True)  # fmt: skip
        problem = instance(costs, weights, model=Model.LSCP, radius=radius)
        started = time.perf_counter()
        cover = solve(problem, Model.LSCP, time_limit=LIMIT)
        print(f"LSCP {radius:.0f} km       exact {time.perf_counter() - started:6.1f} s "
              f"proven={cover.optimal!s:<5}  {cover.objective:.0f} sites, gap "
              f"{100 * (cover.gap or 0):.1f} %", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
