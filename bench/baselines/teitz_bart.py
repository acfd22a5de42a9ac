"""The Teitz–Bart interchange heuristic kanava used before the swap search, kept as the
benchmarks' baseline: greedy start, then for each closed candidate the best site to trade
it for, taken while any trade lowers the cost.
"""

from __future__ import annotations

import time

import numpy as np
from numpy.typing import NDArray

from kanava.network.optimize import (
    FloatArray,
    Instance,
    Method,
    Model,
    Solution,
    pmedian_objective,
)


def teitz_bart(problem: Instance) -> Solution:
    """Greedy start, then swaps (in, out) while any lowers the weighted cost."""
    started = time.perf_counter()
    assert problem.p is not None
    raw = problem.costs
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
    objective = pmedian_objective(problem, sites)
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
