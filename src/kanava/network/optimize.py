"""Location models on a cost matrix: p-median, maximal covering and set covering. Pure.

Exact answers come from HiGHS (through `scipy.optimize.milp`, the sparse model passed
in one call). The p-median is solved by iterated nearest-k reduction (Church's BEAMR):
each demand area may be assigned only to its k nearest candidates, plus one "further
away" variable that costs the distance to its (k+1)-th nearest. That model is a
relaxation, so its optimum is a lower bound; when no area uses the "further away"
variable, the bound is met by a real solution and it is optimal. Areas that did use it
get a larger k and the model is solved again. A model with every (area, candidate)
pair (the textbook strong formulation) would have n·m rows; this one rarely needs a
tenth of them.

The Teitz–Bart interchange heuristic gives a good solution in milliseconds; it seeds the
reduced model (every area's assignment in it is always admissible) and answers alone
when asked to or when the instance is too large to prove.

Costs are a float matrix (areas × candidates) with NaN where a pair is unreachable.
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
from kanava.network.terms import Method as Method
from kanava.network.terms import Model as Model

FloatArray = NDArray[np.float64]
START_K = 16  # each area's first list: its 16 nearest, more when the model is small
SMALL_MODEL = 10_000  # assignment columns a first model may have without thought
GROWTH = 2
OPTIMAL_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Instance:
    """A validated problem: the matrix, weights, p, and candidates that must stay or go."""

    costs: FloatArray
    weights: FloatArray
    p: int | None = None
    radius: float | None = None
    fixed: frozenset[int] = frozenset()
    forbidden: frozenset[int] = frozenset()

    @property
    def areas(self) -> int:
        return int(self.costs.shape[0])

    @property
    def candidates(self) -> int:
        return int(self.costs.shape[1])

    def allowed(self) -> NDArray[np.bool_]:
        mask = np.ones(self.candidates, dtype=bool)
        mask[list(self.forbidden)] = False
        return mask


@dataclass(frozen=True)
class Solution:
    """What was chosen and how sure we are: `gap` is 0 for a proven optimum."""

    model: Model
    method: Method
    objective: float
    sites: tuple[int, ...]
    gap: float | None
    optimal: bool
    build_s: float
    solve_s: float
    iterations: int = 1


def instance(
    costs: FloatArray,
    weights: FloatArray | None,
    *,
    model: Model,
    p: int | None = None,
    radius: float | None = None,
    fixed: Sequence[int] = (),
    forbidden: Sequence[int] = (),
) -> Instance:
    """Check a problem as a user would state it; each refusal names what is wrong."""
    costs = np.asarray(costs, dtype=np.float64)
    if costs.ndim != 2 or costs.shape[0] == 0 or costs.shape[1] == 0:
        raise InvalidInput("costs", reason("must be a matrix with at least one row and one column"))
    finite = costs[~np.isnan(costs)]
    if np.isinf(finite).any():
        raise InvalidInput("costs", reason("infinite values are not costs; leave the cell empty"))
    if (finite < 0).any():
        raise InvalidInput("costs", reason("costs must not be negative"))
    n, m = costs.shape
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != (n,):
        raise InvalidInput(
            "weights", reason("%(size)s weights for %(n)s demand areas", size=w.size, n=n)
        )
    if not np.isfinite(w).all() or (w < 0).any():
        raise InvalidInput("weights", reason("weights must be finite numbers, zero or more"))
    for field, sites in (("fixed", fixed), ("forbidden", forbidden)):
        bad = [s for s in sites if not 0 <= s < m]
        if bad:
            raise InvalidInput(
                field, reason("no candidate column %(value)s (there are %(m)s)", value=bad[0], m=m)
            )
    both = set(fixed) & set(forbidden)
    if both:
        raise InvalidInput(
            "fixed", reason("candidate %(value)s is both fixed and forbidden", value=min(both))
        )
    allowed = m - len(set(forbidden))
    if model is not Model.LSCP:
        if p is None or p < 1:
            raise InvalidInput("p", reason("give the number of sites to choose, at least 1"))
        if p > allowed:
            raise InvalidInput(
                "p",
                reason(
                    "%(p)s sites asked but only %(allowed)s candidates allowed",
                    p=p,
                    allowed=allowed,
                ),
            )
        if len(set(fixed)) > p:
            raise InvalidInput(
                "fixed",
                reason("%(count)s fixed sites exceed p = %(p)s", count=len(set(fixed)), p=p),
            )
    if model is not Model.PMEDIAN and (radius is None or radius < 0):
        raise InvalidInput(
            "radius", reason("%(model)s needs a service radius, zero or more", model=model)
        )
    return Instance(costs, w, p, radius, frozenset(fixed), frozenset(forbidden))


def solve(
    problem: Instance, model: Model, *, method: Method = Method.EXACT, time_limit: float = 60.0
) -> Solution:
    """Solve one of the three models."""
    if model is Model.PMEDIAN:
        if method is Method.HEURISTIC:
            return teitz_bart(problem)
        return pmedian(problem, time_limit=time_limit)
    if model is Model.MCLP:
        if method is Method.HEURISTIC:
            return _covering_heuristic(problem)
        return mclp(problem, time_limit=time_limit)
    return lscp(problem, time_limit=time_limit)


# ---------------------------------------------------------------- evaluation


def nearest_cost(costs: FloatArray, sites: Sequence[int]) -> FloatArray:
    """Each area's cost to its nearest chosen site (inf where none is reachable)."""
    chosen = costs[:, list(sites)]
    nearest: FloatArray = np.min(np.where(np.isnan(chosen), np.inf, chosen), axis=1)
    return nearest


def pmedian_objective(problem: Instance, sites: Sequence[int]) -> float:
    """Σ weight × cost to the nearest chosen site (inf when an area is left unreached)."""
    d = nearest_cost(problem.costs, sites)
    served = problem.weights > 0
    if np.isinf(d[served]).any():
        return float("inf")
    return float(problem.weights[served] @ d[served])


def covered_weight(problem: Instance, sites: Sequence[int]) -> float:
    """Weight of the areas within the radius of a chosen site."""
    assert problem.radius is not None
    d = nearest_cost(problem.costs, sites)
    return float(problem.weights[d <= problem.radius].sum())


# ---------------------------------------------------------------- heuristic


def teitz_bart(problem: Instance, *, costs: FloatArray | None = None) -> Solution:
    """Greedy start, then swaps (in, out) while any lowers the weighted cost.

    `costs` overrides the matrix (the covering heuristic passes 0/1 "uncovered" costs).
    """
    started = time.perf_counter()
    assert problem.p is not None
    raw = problem.costs if costs is None else costs
    big = (np.nanmax(raw) if np.isfinite(np.nanmax(raw)) else 1.0) * 10 + 1
    d = np.where(np.isnan(raw), big, raw)
    w = problem.weights
    allowed = problem.allowed()
    fixed = np.zeros(problem.candidates, dtype=bool)
    fixed[list(problem.fixed)] = True
    is_open = fixed.copy()
    nearest = np.min(d[:, is_open], axis=1) if is_open.any() else np.full(problem.areas, big * 2)
    while is_open.sum() < problem.p:
        gains = w @ np.minimum(nearest[:, None], d)
        gains[~allowed | is_open] = np.inf
        best = int(np.argmin(gains))
        is_open[best] = True
        nearest = np.minimum(nearest, d[:, best])
    current = float(w @ nearest)
    swappable = allowed & ~fixed
    improved = True
    while improved:
        improved = False
        first, first_at, second = _two_nearest(d, is_open, big)
        for candidate in np.flatnonzero(allowed & ~is_open):
            column = d[:, candidate]
            base = np.minimum(first, column)
            extra = w * (np.minimum(second, column) - base)
            loss = np.bincount(first_at, weights=extra, minlength=problem.candidates)
            loss[~(is_open & swappable)] = np.inf
            out = int(np.argmin(loss))
            cost = float(w @ base) + float(loss[out])
            if cost < current - 1e-12 * max(1.0, abs(current)):
                is_open[out], is_open[candidate] = False, True
                current = cost
                first, first_at, second = _two_nearest(d, is_open, big)
                improved = True
    sites = tuple(int(s) for s in np.flatnonzero(is_open))
    objective = pmedian_objective(problem, sites) if costs is None else current
    elapsed = time.perf_counter() - started
    return Solution(Model.PMEDIAN, Method.HEURISTIC, objective, sites, None, False, 0.0, elapsed)


def _two_nearest(
    d: FloatArray, is_open: NDArray[np.bool_], big: float
) -> tuple[FloatArray, NDArray[np.intp], FloatArray]:
    """Distance to the nearest open site, its column, and the distance to the second."""
    columns = np.flatnonzero(is_open)
    sub = d[:, columns]
    order = np.argsort(sub, axis=1)[:, :2]
    rows = np.arange(d.shape[0])
    first = sub[rows, order[:, 0]]
    second = sub[rows, order[:, 1]] if columns.size > 1 else np.full(d.shape[0], big * 2)
    return first, columns[order[:, 0]], second


def _covering_heuristic(problem: Instance) -> Solution:
    """MCLP by Teitz–Bart on "left uncovered" costs (0 within the radius, 1 beyond)."""
    assert problem.radius is not None
    uncovered = np.where(problem.costs <= problem.radius, 0.0, 1.0)
    found = teitz_bart(problem, costs=uncovered)
    return Solution(
        Model.MCLP,
        Method.HEURISTIC,
        covered_weight(problem, found.sites),
        found.sites,
        None,
        False,
        0.0,
        found.solve_s,
    )


# ---------------------------------------------------------------- exact


def pmedian(problem: Instance, *, time_limit: float = 60.0) -> Solution:
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


def mclp(problem: Instance, *, time_limit: float = 60.0) -> Solution:
    """Maximal covering: p sites that put the most weight within the radius."""
    assert problem.radius is not None and problem.p is not None
    t0 = time.perf_counter()
    m = problem.candidates
    covers = _coverage(problem)
    areas = np.flatnonzero(covers.sum(axis=1) > 0)
    sub = covers[areas]
    area_rows, sites = np.nonzero(sub)
    a = csr_array(
        (
            np.concatenate([np.ones(m), np.ones(areas.size), -np.ones(area_rows.size)]),
            (
                np.concatenate(
                    [np.zeros(m, dtype=np.intp), 1 + np.arange(areas.size), 1 + area_rows]
                ),
                np.concatenate([np.arange(m), m + np.arange(areas.size), sites]),
            ),
        ),
        shape=(1 + areas.size, m + areas.size),
    )
    lower = np.concatenate([[problem.p], np.full(areas.size, -np.inf)])
    upper = np.concatenate([[problem.p], np.zeros(areas.size)])
    bounds = _site_bounds(problem, extra=areas.size)
    cost = np.concatenate([np.zeros(m), -problem.weights[areas]])
    integrality = np.concatenate([np.ones(m), np.zeros(areas.size)])
    t1 = time.perf_counter()
    result = milp(
        cost,
        constraints=LinearConstraint(a, lower, upper),
        bounds=bounds,
        integrality=integrality,
        options={"time_limit": time_limit, "mip_rel_gap": 1e-9},
    )
    t2 = time.perf_counter()
    if result.x is None:
        raise InvalidInput("time_limit", reason("no solution found within the time limit"))
    chosen = tuple(int(j) for j in np.flatnonzero(result.x[:m] > 0.5))
    value = covered_weight(problem, chosen)
    bound = -float(getattr(result, "mip_dual_bound", result.fun))
    gap = max(0.0, (bound - value) / bound) if bound > 0 else 0.0
    optimal = result.status == 0
    return Solution(
        Model.MCLP, Method.EXACT, value, chosen, 0.0 if optimal else gap, optimal, t1 - t0, t2 - t1
    )


def lscp(problem: Instance, *, time_limit: float = 60.0) -> Solution:
    """Set covering: the fewest sites that put every area within the radius."""
    assert problem.radius is not None
    t0 = time.perf_counter()
    m = problem.candidates
    covers = _coverage(problem)
    needs = problem.weights > 0
    lonely = np.flatnonzero(needs & (covers.sum(axis=1) == 0))
    if lonely.size:
        raise InvalidInput(
            "radius",
            reason(
                "demand area %(value)s (row %(value2)s) has no allowed "
                "candidate within %(radius)s; %(size)s such areas in all",
                value=lonely[0],
                value2=lonely[0] + 1,
                radius=format(problem.radius, "g"),
                size=lonely.size,
            ),
        )
    sub = covers[needs]
    a = csr_array(sub.astype(np.float64))
    t1 = time.perf_counter()
    result = milp(
        np.ones(m),
        constraints=LinearConstraint(a, np.ones(sub.shape[0]), np.inf),
        bounds=_site_bounds(problem),
        integrality=np.ones(m),
        options={"time_limit": time_limit},
    )
    t2 = time.perf_counter()
    if result.x is None:
        raise InvalidInput("time_limit", reason("no solution found within the time limit"))
    chosen = tuple(int(j) for j in np.flatnonzero(result.x > 0.5))
    bound = float(getattr(result, "mip_dual_bound", result.fun))
    optimal = result.status == 0
    gap = 0.0 if optimal else max(0.0, (len(chosen) - bound) / len(chosen))
    return Solution(
        Model.LSCP, Method.EXACT, float(len(chosen)), chosen, gap, optimal, t1 - t0, t2 - t1
    )


def _coverage(problem: Instance) -> NDArray[np.bool_]:
    assert problem.radius is not None
    with np.errstate(invalid="ignore"):
        covers = np.nan_to_num(problem.costs, nan=np.inf) <= problem.radius
    return covers & problem.allowed()[None, :]


def _site_bounds(problem: Instance, extra: int = 0) -> Bounds:
    lower = np.zeros(problem.candidates + extra)
    upper = np.ones(problem.candidates + extra)
    lower[list(problem.fixed)] = 1
    upper[: problem.candidates][~problem.allowed()] = 0
    return Bounds(lower, upper)
