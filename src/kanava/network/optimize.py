"""Location models on a cost matrix: p-median, maximal covering and set covering. Pure.

Exact answers come from HiGHS. The p-median is solved by branch-and-Benders-cut
(`kanava.network.benders`): Elloumi's formulation projected onto the sites, its cuts
separated in one pass per area, the root LP's reduced costs dropping candidates, then
branch and bound with every node's LP cut to completion. Maximal and set covering are
compact models passed to `scipy.optimize.milp` in one call.

The swap search (greedy, Resende and Werneck's fast swap descent, restarts guided by a
Lagrangian relaxation; `kanava.network.swap`) gives a solution within a fraction of a per
cent in under a second; it starts the exact search and answers alone when asked to.

Costs are a float matrix (areas × candidates) with NaN where a pair is unreachable.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from kanava.errors import InvalidInput, reason
from kanava.network.benders import ProgressFn, branch_and_benders_cut
from kanava.network.swap import FastSwap, lagrangian_search
from kanava.network.terms import Method as Method
from kanava.network.terms import Model as Model

FloatArray = NDArray[np.float64]
OPTIMAL_TOLERANCE = 1e-9
LAGRANGIAN_STEPS = 150  # enough on the classic instances to find every optimum
MIN_STEPS = 30  # the fewest steps on a large matrix: the restarts from step 20 get one


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
    problem: Instance, model: Model, *, method: Method = Method.EXACT, time_limit: float = 60.0,
    progress: ProgressFn | None = None,
) -> Solution:  # fmt: skip
    """Solve one of the three models; the exact p-median reports its bounds to `progress`."""
    if model is Model.PMEDIAN:
        if method is Method.HEURISTIC:
            return swap_search(problem)
        return pmedian(problem, time_limit=time_limit, progress=progress)
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


def swap_search(
    problem: Instance, *, costs: FloatArray | None = None, iterations: int | None = None
) -> Solution:
    """Greedy start, fast swap descent and Lagrangian-guided restarts (`kanava.network.swap`);
    the gap is to the Lagrangian bound, so a closed gap is a proof.

    `costs` overrides the matrix (the covering heuristic passes 0/1 "uncovered" costs).
    `iterations` (Lagrangian steps) defaults to 150 up to a million cells, fewer above, so
    that the search stays about as long as it is on a 1,000 × 1,000 matrix.
    """
    started = time.perf_counter()
    assert problem.p is not None
    raw = problem.costs if costs is None else costs
    top = np.nanmax(raw) if np.isfinite(np.nanmax(raw)) else 1.0
    big = top * 10 + 1  # an unreachable pair: dearer than any route through reachable ones
    served = problem.weights > 0
    rows = served if served.any() else np.ones(problem.areas, dtype=bool)
    fixed = np.zeros(problem.candidates, dtype=bool)
    fixed[list(problem.fixed)] = True
    search = FastSwap(
        np.where(np.isnan(raw[rows]), big, raw[rows]), problem.weights[rows], fixed=fixed,
        allowed=problem.allowed(), far=2 * big,
    )  # fmt: skip
    if iterations is None:
        cells = problem.areas * problem.candidates
        iterations = max(MIN_STEPS, min(LAGRANGIAN_STEPS, LAGRANGIAN_STEPS * 10**6 // cells))
    found = lagrangian_search(search, problem.p, iterations=iterations)
    sites = tuple(sorted(int(s) for s in found.sites))
    objective = pmedian_objective(problem, sites) if costs is None else found.cost
    gap = None
    if costs is None and np.isfinite(objective):
        gap = max(0.0, (objective - found.lower) / objective) if objective > 0 else 0.0
    optimal = gap is not None and gap <= OPTIMAL_TOLERANCE * 10
    elapsed = time.perf_counter() - started
    return Solution(Model.PMEDIAN, Method.HEURISTIC, objective, sites, gap, optimal, 0.0, elapsed)


def _covering_heuristic(problem: Instance) -> Solution:
    """MCLP as a p-median of "left uncovered" costs (0 within the radius, 1 beyond)."""
    assert problem.radius is not None
    uncovered = np.where(problem.costs <= problem.radius, 0.0, 1.0)
    found = swap_search(problem, costs=uncovered)
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


def pmedian(
    problem: Instance, *, time_limit: float = 60.0, progress: ProgressFn | None = None
) -> Solution:
    """The proven p-median by branch-and-Benders-cut (`kanava.network.benders`), started
    from greedy and fast swap descent (the Lagrangian restarts seldom save the tree a node
    and cost more than they save); stopped by the time limit, the best found and its gap."""
    started = time.perf_counter()
    seed = swap_search(problem, iterations=0)  # the root LP does the rest, sooner
    t0 = time.perf_counter()
    assert problem.p is not None
    allowed = np.flatnonzero(problem.allowed())
    served = np.flatnonzero(problem.weights > 0)
    d = problem.costs[np.ix_(served, allowed)]
    d[np.isnan(d)] = np.inf
    unreached = np.flatnonzero(np.isinf(d).all(axis=1))
    if unreached.size:
        area = int(served[unreached[0]])
        raise InvalidInput("costs", reason(
            "demand area %(area)s (row %(value)s) reaches no candidate", area=area,
            value=area + 1))  # fmt: skip
    if served.size == 0 or problem.p >= allowed.size:
        return replace(seed, method=Method.EXACT, gap=0.0, optimal=True)
    column = {int(j): k for k, j in enumerate(allowed)}
    build_s = time.perf_counter() - t0
    found = branch_and_benders_cut(
        d, problem.weights[served], problem.p, [column[j] for j in seed.sites],
        fixed=[column[j] for j in problem.fixed],
        time_limit=max(0.0, time_limit - (time.perf_counter() - started)), progress=progress,
    )  # fmt: skip
    sites = tuple(int(allowed[k]) for k in found.sites)
    value = pmedian_objective(problem, sites)
    gap = max(0.0, (value - found.lower) / value) if value > 0 else 0.0
    optimal = gap <= OPTIMAL_TOLERANCE * 10
    return Solution(Model.PMEDIAN, Method.EXACT, value, sites, 0.0 if optimal else gap, optimal,
                    build_s, seed.solve_s + found.seconds, found.nodes + 1)  # fmt: skip


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
