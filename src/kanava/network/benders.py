"""The exact p-median by branch-and-Benders-cut on HiGHS. Pure: arrays in, sites out.

The formulation is Elloumi's (2010) projected onto the site variables, as in
Duran-Mateluna, Alès and Elloumi (2023): minimise Σ_i w_i θ_i subject to Σ_j y_j = p and,
for every area i and every distance level L of its candidates, the Benders cut

    θ_i ≥ L − Σ_{j: d_ij < L} (L − d_ij) · y_j.

There are as many cuts as (area, level) pairs, so they are added only when violated. For
any y (fractional or not) the most violated cut of an area is found in one pass over its
candidates sorted by distance: L is the distance at which the y of the nearer candidates
first adds up to 1. The cut's value is then the area's assignment cost in the strong LP,
so the LP with every violated cut added has the strong formulation's bound.

1. The root LP is solved by adding cuts until none is violated (HiGHS dual simplex, warm
   started after each round). Rounding its y (the p largest) and the heuristic's sites
   give the upper bound.
2. A candidate whose reduced cost lifts the bound above the upper bound cannot be in a
   better solution: it is dropped, and the rest is solved again on the smaller matrix.
3. Branch and bound on the y, best bound first, branching by pseudocosts (the y whose
   children are expected to raise the bound most), each node's LP cut to completion (cuts
   are valid everywhere and stay), warm started from its parent's basis, with the same
   reduced-cost fixing at the node. An integral node whose cuts all hold is a solution at
   its exact cost.

Stopped by the time limit, the best solution found is kept and the smallest bound of the
open nodes is its lower bound; the gap says how far from proven it is.
"""

from __future__ import annotations

import heapq
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import highspy
import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
INF = highspy.kHighsInf
CUT_TOLERANCE = 1e-7  # relative violation below which a cut is not added
SUM_TOLERANCE = 1e-6  # y adding up to 1 within this counts as 1
FRACTIONAL = 1e-6


@dataclass(frozen=True)
class Progress:
    """Where a solve stands: the bound, the best solution, the nodes so far."""

    lower: float
    upper: float
    nodes: int
    seconds: float

    @property
    def gap(self) -> float:
        return max(0.0, (self.upper - self.lower) / self.upper) if self.upper > 0 else 0.0


@dataclass(frozen=True)
class Exact:
    sites: tuple[int, ...]
    objective: float
    lower: float
    nodes: int
    seconds: float


ProgressFn = Callable[[Progress], None]


def objective(costs: FloatArray, weights: FloatArray, sites: Sequence[int]) -> float:
    """Σ weight × cost to the nearest site (the matrix here has no unreachable pairs of
    weight: those are inf, and an inf objective means infeasible)."""
    nearest = np.min(costs[:, list(sites)], axis=1)
    return float(weights @ nearest)


@cache
def _banner_swallowed() -> None:
    """HiGHS prints its banner on standard output when the first solver of a process is
    made, before any option can stop it; it would break `--json` output. Make that
    first one with standard output pointed at /dev/null."""
    sys.stdout.flush()
    saved, sink = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(sink, 1)
        highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(sink)


def _highs() -> highspy.Highs:
    _banner_swallowed()
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    for option, value in (("output_flag", False), ("presolve", "off"),
                          ("simplex_strategy", 1), ("threads", 1)):  # fmt: skip
        highs.setOptionValue(option, value)
    return highs


class _Master:
    """The master LP: y (sites) and θ (one per area), Σy = p, the cuts found so far."""

    def __init__(self, costs: FloatArray, weights: FloatArray, p: int, fixed: NDArray[np.bool_]):
        n, m = costs.shape
        self.n, self.m, self.p = n, m, p
        self.order = np.argsort(costs, axis=1, kind="stable").astype(np.int32)
        self.sorted = np.take_along_axis(costs, self.order, axis=1)
        self.rows = np.arange(n)
        self.fixed = fixed
        highs = _highs()
        empty_i, empty_f = np.array([], dtype=np.int32), np.array([], dtype=np.float64)
        highs.addCols(
            m + n, np.concatenate([np.zeros(m), weights]),
            np.concatenate([fixed.astype(np.float64), self.sorted[:, 0]]),
            np.concatenate([np.ones(m), np.full(n, INF)]), 0, empty_i, empty_i, empty_f,
        )  # fmt: skip
        highs.addRow(p, p, m, np.arange(m, dtype=np.int32), np.ones(m))
        unreachable = np.isinf(costs)
        for i in np.flatnonzero(unreachable.any(axis=1)):  # some site it can reach must open
            reach = np.flatnonzero(~unreachable[i]).astype(np.int32)
            highs.addRow(1.0, INF, reach.size, reach, np.ones(reach.size))
        self.highs = highs

    def separate(self, y: FloatArray, theta: FloatArray) -> int:
        """Add the most violated cut of every area whose θ is too low; how many."""
        mass = np.cumsum(y[self.order], axis=1)
        level_at = np.argmax(mass >= 1 - SUM_TOLERANCE, axis=1)
        level = self.sorted[self.rows, level_at]
        level[mass[:, -1] < 1 - SUM_TOLERANCE] = np.inf  # y short of 1: no cut from here
        finite = np.isfinite(level)
        level_or_0 = np.where(finite, level, 0.0)
        nearer = (self.sorted < level_or_0[:, None]) & finite[:, None]
        saving = np.where(nearer, level_or_0[:, None] - np.where(nearer, self.sorted, 0.0), 0.0)
        value = level_or_0 - (saving * y[self.order]).sum(axis=1)
        violated = np.flatnonzero(
            finite & (value - theta > CUT_TOLERANCE * np.maximum(1.0, level_or_0))
        )
        if violated.size == 0:
            return 0
        counts = nearer[violated].sum(axis=1) + 1
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int32)
        index, coefficient = [], []
        for i in violated:
            near = np.flatnonzero(nearer[i])
            index += [self.order[i, near], np.array([self.m + i], dtype=np.int32)]
            coefficient += [saving[i, near], np.ones(1)]
        self.highs.addRows(
            violated.size, level[violated], np.full(violated.size, INF), int(counts.sum()),
            starts, np.concatenate(index).astype(np.int32), np.concatenate(coefficient),
        )  # fmt: skip
        return int(violated.size)

    def cut_at(self, sites: Sequence[int]) -> None:
        """The cuts a solution's sites give: the LP starts from its neighbourhood."""
        y = np.zeros(self.m)
        y[list(sites)] = 1.0
        self.separate(y, np.full(self.n, -np.inf))

    def solve(
        self, lower: FloatArray, upper: FloatArray, stop_above: float, basis: Any = None
    ) -> tuple[float, FloatArray, FloatArray] | None:
        """The node's LP with every violated cut added: its bound, y and reduced costs;
        None when the node is infeasible. Stops early once the bound passes stop_above."""
        highs, m = self.highs, self.m
        highs.changeColsBounds(m, np.arange(m, dtype=np.int32), lower, upper)
        if basis is not None:
            self._restore(basis)
        while True:
            highs.run()
            if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                return None
            solution = highs.getSolution()
            x = np.asarray(solution.col_value)
            bound = float(highs.getInfo().objective_function_value)
            if bound >= stop_above or self.separate(x[:m], x[m:]) == 0:
                return bound, x[:m], np.asarray(solution.col_dual)[:m]

    def basis(self) -> Any:
        found = self.highs.getBasis()
        return list(found.col_status), list(found.row_status)

    def _restore(self, saved: Any) -> None:
        """A parent's basis for its child; cuts added since then start basic."""
        columns, rows = saved
        basis = self.highs.getBasis()
        basis.col_status = columns
        basis.row_status = rows + [highspy.HighsBasisStatus.kBasic] * (
            self.highs.getNumRow() - len(rows)
        )
        self.highs.setBasis(basis)


def _better(
    master: _Master, costs: FloatArray, weights: FloatArray, y: FloatArray,
    best: tuple[float, tuple[int, ...]],
) -> tuple[float, tuple[int, ...]]:  # fmt: skip
    """The LP's p largest y as sites, kept if cheaper than the best so far."""
    chosen = np.flatnonzero(master.fixed)
    rest = [j for j in np.argsort(-y, kind="stable") if not master.fixed[j]]
    sites = tuple(sorted(int(j) for j in [*chosen, *rest[: master.p - chosen.size]]))
    value = objective(costs, weights, sites)
    return (value, sites) if value < best[0] else best


def _prunes(bound: float, upper: float, integral: bool) -> bool:
    """Whether a node with this bound cannot hold a better solution; with integral costs
    a bound within 1 of the best is enough."""
    if integral:
        return bool(np.ceil(bound - 1e-6) >= upper - 1e-9)
    return bound >= upper - 1e-9 * max(1.0, abs(upper))


def branch_and_benders_cut(
    costs: FloatArray,
    weights: FloatArray,
    p: int,
    start: Sequence[int],
    *,
    fixed: Sequence[int] = (),
    time_limit: float = 60.0,
    progress: ProgressFn | None = None,
) -> Exact:
    """The proven p-median of ``costs`` (areas × candidates, inf where unreachable, every
    area of positive weight), from the start solution ``start``."""
    started = time.perf_counter()
    finite = costs[np.isfinite(costs)]
    integral = bool(np.all(np.mod(weights, 1) == 0) and np.all(np.mod(finite, 1) == 0))
    m = costs.shape[1]
    must = np.zeros(m, dtype=bool)
    must[list(fixed)] = True
    best = (objective(costs, weights, start), tuple(sorted(int(j) for j in start)))
    master = _Master(costs, weights, p, must)
    master.cut_at(best[1])
    root = master.solve(must.astype(np.float64), np.ones(m), np.inf)
    if root is None:  # cannot be with a feasible start; then say nothing is proven
        return Exact(best[1], best[0], 0.0, 0, time.perf_counter() - started)
    bound, y, reduced = root
    best = _better(master, costs, weights, y, best)
    _report(progress, bound, best[0], 0, started)
    if _prunes(bound, best[0], integral):
        return Exact(best[1], best[0], min(bound, best[0]), 0, time.perf_counter() - started)
    dropped = (y < FRACTIONAL) & (bound + reduced > best[0]) & ~must
    dropped[list(best[1])] = False
    keep = np.flatnonzero(~dropped)
    return _search(costs[:, keep], weights, p, best, bound, keep, must[keep], integral,
                   started, time_limit, progress)  # fmt: skip


def _search(
    costs: FloatArray, weights: FloatArray, p: int, best: tuple[float, tuple[int, ...]],
    root_bound: float, keep: NDArray[np.intp], must: NDArray[np.bool_], integral: bool,
    started: float, time_limit: float, progress: ProgressFn | None,
) -> Exact:  # fmt: skip
    """Branch and bound on the candidates the root left, best bound first."""
    position = {int(j): k for k, j in enumerate(keep)}
    best = (best[0], tuple(position[j] for j in best[1]))
    m = keep.size
    master = _Master(costs, weights, p, must)
    master.cut_at(best[1])
    open_nodes: list[tuple[float, int, FloatArray, FloatArray, Any, _Branched | None]] = [
        (root_bound, 0, must.astype(np.float64), np.ones(m), None, None)
    ]
    costs_of = _Pseudocosts(m)
    made, nodes = 1, 0
    while open_nodes:
        if time.perf_counter() - started > time_limit:
            break
        node_bound, _, low, high, basis, branched = heapq.heappop(open_nodes)
        if _prunes(node_bound, best[0], integral):
            continue
        nodes += 1
        solved = master.solve(low, high, best[0], basis)
        if branched is not None:
            costs_of.learn(branched, best[0] if solved is None else solved[0])
        if solved is None:
            continue
        bound, y, reduced = solved
        best = _better(master, costs, weights, y, best)
        if nodes % 10 == 1:
            waiting = min([bound, *(node[0] for node in open_nodes[:1])])
            _report(progress, min(waiting, best[0]), best[0], nodes, started)
        if _prunes(bound, best[0], integral):
            continue
        low, high = low.copy(), high.copy()
        high[(y < FRACTIONAL) & (bound + reduced > best[0])] = 0.0
        low[(y > 1 - FRACTIONAL) & (bound - reduced > best[0])] = 1.0
        fractional = np.flatnonzero((y > FRACTIONAL) & (y < 1 - FRACTIONAL))
        if fractional.size == 0:
            continue  # an integral node with every cut holding: its sites are in `best`
        branch = costs_of.choose(y, fractional)
        here = master.basis()
        for value in (1.0, 0.0):
            child_low, child_high = low.copy(), high.copy()
            child_low[branch] = child_high[branch] = value
            if child_low.sum() <= p:
                step = _Branched(branch, value, abs(value - float(y[branch])), bound)
                heapq.heappush(open_nodes, (bound, made, child_low, child_high, here, step))
                made += 1
    lower = min([best[0], *(node[0] for node in open_nodes)])
    _report(progress, lower, best[0], nodes, started)
    sites = tuple(sorted(int(keep[j]) for j in best[1]))
    return Exact(sites, best[0], lower, nodes, time.perf_counter() - started)


@dataclass(frozen=True)
class _Branched:
    """How a node was made: the y fixed, to what, how far it moved, the parent's bound."""

    column: int
    value: float
    moved: float
    parent_bound: float


class _Pseudocosts:
    """Each y's bound rise per unit moved, up and down, learnt from the nodes solved: the
    branching variable is the one whose two children are expected to rise most (the product
    of the two estimates); a y not yet branched on is given the mean of those that were."""

    def __init__(self, m: int) -> None:
        self.total = np.zeros((2, m))
        self.count = np.zeros((2, m))

    def learn(self, step: _Branched, bound: float) -> None:
        way = int(step.value)
        self.total[way, step.column] += max(0.0, bound - step.parent_bound) / max(step.moved, 1e-6)
        self.count[way, step.column] += 1

    def choose(self, y: FloatArray, fractional: NDArray[np.intp]) -> int:
        if not self.count.any(axis=1).all():
            return int(fractional[np.argmin(np.abs(y[fractional] - 0.5))])
        known = self.count > 0
        mean = self.total.sum(axis=1) / self.count.sum(axis=1)
        rate = np.where(known, self.total / np.maximum(self.count, 1), mean[:, None])
        down = rate[0, fractional] * y[fractional]
        up = rate[1, fractional] * (1 - y[fractional])
        score = np.maximum(down, 1e-6) * np.maximum(up, 1e-6)
        return int(fractional[np.argmax(score)])


def _report(progress: ProgressFn | None, lower: float, upper: float, nodes: int,
            started: float) -> None:  # fmt: skip
    if progress is not None:
        progress(Progress(lower, upper, nodes, time.perf_counter() - started))
