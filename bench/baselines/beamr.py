"""kanava's exact p-median before branch-and-Benders-cut, kept as the benchmark's baseline:
iterated nearest-k reduction (Church's BEAMR) on HiGHS through `scipy.optimize.milp`.

Each demand area may be assigned only to its k nearest candidates, plus one "further
away" variable costing the distance to its (k+1)-th nearest. That model is a relaxation,
so its optimum is a lower bound; when no area uses the "further away" variable the bound
is met and it is optimal; otherwise those areas get a larger k and it is solved again.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from kanava.errors import InvalidInput, reason
from kanava.network.optimize import (
    OPTIMAL_TOLERANCE,
    FloatArray,
    Instance,
    Method,
    Model,
    Solution,
    pmedian_objective,
)

from .teitz_bart import teitz_bart

START_K = 16
SMALL_MODEL = 10_000
GROWTH = 2


def beamr(problem: Instance, *, time_limit: float = 60.0) -> Solution:
    """The proven p-median by iterated nearest-k reduction, seeded by Teitz–Bart."""
    started = time.perf_counter()
    seed = teitz_bart(problem)
    t0 = time.perf_counter()
    allowed = problem.allowed()
    d = np.where(allowed[None, :], problem.costs, np.nan)
    d[problem.weights == 0] = np.nan  # weightless areas cost nothing wherever they go
    d[problem.weights == 0, np.flatnonzero(allowed)[0]] = 0.0
    order, reachable = _sorted_candidates(d)
    if (reachable == 0).any():
        area = int(np.flatnonzero(reachable == 0)[0])
        raise InvalidInput(
            "costs",
            reason(
                "demand area %(area)s (row %(value)s) reaches no candidate",
                area=area,
                value=area + 1,
            ),
        )
    limit = _limit_by_fixed(d, order, reachable, problem.fixed)
    first = max(START_K, SMALL_MODEL // problem.areas)
    k = np.minimum(np.maximum(first, _rank_of_nearest(d, order, seed.sites) + 1), limit)
    build_s, solve_s = time.perf_counter() - t0, seed.solve_s
    best_sites, best, lower = seed.sites, seed.objective, 0.0
    iterations = 0
    while best - lower > OPTIMAL_TOLERANCE * max(1.0, best):
        remaining = time_limit - (time.perf_counter() - started)
        if remaining <= 0:
            break
        iterations += 1
        t0 = time.perf_counter()
        model = _reduced_pmedian(problem, d, order, k, limit)
        t1 = time.perf_counter()
        result = milp(**model.arguments, options={"time_limit": remaining, "mip_rel_gap": 1e-9})
        t2 = time.perf_counter()
        build_s, solve_s = build_s + t1 - t0, solve_s + t2 - t1
        if result.x is None:
            break
        lower = max(lower, float(getattr(result, "mip_dual_bound", result.fun)))
        sites = tuple(int(j) for j in np.flatnonzero(result.x[: problem.candidates] > 0.5))
        value = pmedian_objective(problem, sites)
        if value < best:
            best_sites, best = sites, value
        beyond = result.x[model.further_at] > 1e-7
        if result.status != 0:
            break
        if not beyond.any():
            lower = max(lower, min(best, float(result.fun)))
            break
        grow = model.further_areas[beyond]
        k[grow] = np.minimum(k[grow] * GROWTH, limit[grow])
    gap = max(0.0, (best - lower) / best) if best > 0 else 0.0
    optimal = gap <= OPTIMAL_TOLERANCE * 10
    return Solution(
        Model.PMEDIAN,
        Method.EXACT,
        best,
        best_sites,
        0.0 if optimal else gap,
        optimal,
        build_s,
        solve_s,
        iterations,
    )


@dataclass(frozen=True)
class _Reduced:
    arguments: dict[str, Any]
    further_at: NDArray[np.intp]  # column index of each "further away" variable
    further_areas: NDArray[np.intp]  # the area each belongs to


def _sorted_candidates(d: FloatArray) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Each area's candidates nearest first (unreachable last), and how many it reaches."""
    order = np.argsort(np.where(np.isnan(d), np.inf, d), axis=1, kind="stable")
    return order, (~np.isnan(d)).sum(axis=1)


def _limit_by_fixed(
    d: FloatArray, order: NDArray[np.intp], reachable: NDArray[np.intp], fixed: frozenset[int]
) -> NDArray[np.intp]:
    """No area ever goes past its nearest fixed site, so its list can stop there."""
    limit = reachable.copy()
    if fixed:
        position = np.argsort(order, axis=1)  # position of each candidate in each list
        nearest_fixed = position[:, sorted(fixed)]
        reach = ~np.isnan(d[:, sorted(fixed)])
        nearest_fixed = np.where(reach, nearest_fixed, d.shape[1])
        limit = np.minimum(limit, nearest_fixed.min(axis=1) + 1)
    return limit


def _rank_of_nearest(
    d: FloatArray, order: NDArray[np.intp], sites: Sequence[int]
) -> NDArray[np.intp]:
    """Where, in each area's list, its nearest chosen site stands."""
    position = np.argsort(order, axis=1)
    chosen = position[:, list(sites)]
    reach = ~np.isnan(d[:, list(sites)])
    rank: NDArray[np.intp] = np.where(reach, chosen, d.shape[1]).min(axis=1)
    return rank


def _reduced_pmedian(
    problem: Instance,
    d: FloatArray,
    order: NDArray[np.intp],
    k: NDArray[np.intp],
    limit: NDArray[np.intp],
) -> _Reduced:
    """Columns: y (sites), x (area to one of its k nearest), g (area further away)."""
    n, m = problem.areas, problem.candidates
    w = problem.weights
    area_of_x = np.repeat(np.arange(n), k)
    rank_of_x = np.arange(area_of_x.size) - np.repeat(np.cumsum(k) - k, k)
    site_of_x = order[area_of_x, rank_of_x]
    cost_x = w[area_of_x] * d[area_of_x, site_of_x]
    further_areas = np.flatnonzero(k < limit)
    next_site = order[further_areas, k[further_areas]]
    cost_g = w[further_areas] * d[further_areas, next_site]
    nx, ng = area_of_x.size, further_areas.size
    x0, g0 = m, m + nx
    cost = np.concatenate([np.zeros(m), cost_x, cost_g])
    # rows: [0] Σy = p; [1..n] Σx + g = 1; [n+1 ..] x − y ≤ 0
    rows = np.concatenate(
        [
            np.zeros(m, dtype=np.intp),
            1 + area_of_x,
            1 + further_areas,
            1 + n + np.arange(nx),
            1 + n + np.arange(nx),
        ]
    )
    cols = np.concatenate(
        [
            np.arange(m),
            x0 + np.arange(nx),
            g0 + np.arange(ng),
            x0 + np.arange(nx),
            site_of_x,
        ]
    )
    values = np.concatenate([np.ones(m + nx + ng + nx), -np.ones(nx)])
    a = csr_array((values, (rows, cols)), shape=(1 + n + nx, m + nx + ng))
    lower = np.concatenate([[problem.p], np.ones(n), np.full(nx, -np.inf)])
    upper = np.concatenate([[problem.p], np.ones(n), np.zeros(nx)])
    col_lower = np.zeros(m + nx + ng)
    col_upper = np.ones(m + nx + ng)
    col_lower[list(problem.fixed)] = 1
    col_upper[:m][~problem.allowed()] = 0
    integrality = np.concatenate([np.ones(m), np.zeros(nx + ng)])
    return _Reduced(
        {
            "c": cost,
            "constraints": LinearConstraint(a, lower, upper),
            "bounds": Bounds(col_lower, col_upper),
            "integrality": integrality,
        },
        g0 + np.arange(ng),
        further_areas,
    )
