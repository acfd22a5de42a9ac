"""Fast swap local search for the p-median, restarted where a Lagrangian relaxation points. Pure.

Resende and Werneck's fast interchange ("A fast swap-based local search procedure for
location problems", 2007) keeps, for the current sites, three tables from which the
profit of every swap (insert i, remove r) is read at once:

- gain[i]: what inserting i saves, Σ w·max(0, d1 − d(u, i));
- loss[r]: what removing r costs, Σ over r's areas of w·(d2 − d1);
- extra[r, i]: what the two terms count twice, Σ over r's areas with d(u, i) < d2 of
  w·(d2 − max(d(u, i), d1)),

so that profit(i, r) = gain[i] − loss[r] + extra[r, i]. A swap changes only the areas whose
nearest or second-nearest site moves; their old contributions are taken out and the new
ones put in, which makes a swap cost the areas it touches rather than the whole matrix.

Around that local search, subgradient steps on the Lagrangian dual of the p-median (each
area's assignment relaxed, as in Beasley's Lagrangian heuristics, 1993): every so often the
search starts again from the p sites the relaxation picks, and the best solution is kept.
The relaxation's sites are far from a local optimum but in the right neighbourhood: on the
classic instances the restarts find optima that random shakes of the best solution
(variable neighbourhood search) did not. The dual also gives a lower bound.
Deterministic: the same instance gives the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_array

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]


@dataclass
class _Tables:
    """The current sites (one per slot), each area's two nearest, and the swap tables."""

    slots: IntArray
    first: FloatArray
    first_slot: IntArray
    second: FloatArray
    second_slot: IntArray
    gain: FloatArray
    loss: FloatArray
    extra: FloatArray


class FastSwap:
    """Local search on one cost matrix (areas × candidates, no NaN) and the areas' weights."""

    def __init__(
        self, costs: FloatArray, weights: FloatArray, *, fixed: BoolArray, allowed: BoolArray,
        far: float, rebuild_share: float = 0.25,
    ) -> None:  # fmt: skip
        self.costs = costs
        self.weights = weights
        self.fixed = fixed
        self.allowed = allowed
        self.far = far  # the "second nearest" of an area when only one site is open
        # A swap touching more than this share of the areas builds the tables anew, which
        # then costs less than taking the old parts out and putting the new ones in.
        self.rebuild_share = rebuild_share
        self._scratch = np.empty((0, 0))
        self._work = np.empty_like(costs)
        self.tolerance = 1e-12 * max(1.0, float(weights.sum() * costs.max()))

    def tables(self, sites: IntArray) -> _Tables:
        """The tables for these sites, computed from the whole matrix in place (a fresh
        matrix-sized array costs more in first-touch page faults than the sums)."""
        slots = np.array(sites, dtype=np.intp)
        first, first_slot, second, second_slot = self._two_nearest(slots, slice(None))
        w, d, work = self.weights, self.costs, self._work
        gain = w @ np.maximum(np.subtract(first[:, None], d, out=work), 0.0, out=work)
        loss: FloatArray = np.bincount(
            first_slot, weights=w * (second - first), minlength=slots.size
        ).astype(np.float64)
        np.subtract(second[:, None], np.maximum(d, first[:, None], out=work), out=work)
        by_owner = csr_array((w, (first_slot, np.arange(w.size))), shape=(slots.size, w.size))
        extra: FloatArray = by_owner @ np.maximum(work, 0.0, out=work)
        return _Tables(slots, first, first_slot, second, second_slot, gain, loss, extra)

    def objective(self, t: _Tables) -> float:
        return float(self.weights @ t.first)

    def best_swap(self, t: _Tables) -> tuple[float, int, int]:
        """The most profitable (profit, slot to empty, candidate to insert): each slot's best
        candidate by extra + gain, then the slot whose best less its loss is largest."""
        gain = np.where(self.allowed, t.gain, -np.inf)
        gain[t.slots] = -np.inf
        loss = np.where(self.fixed[t.slots], np.inf, t.loss)
        profit = np.add(t.extra, gain[None, :], out=self._profit(t.extra.shape))
        best_of_slot = profit.max(axis=1) - loss
        slot = int(np.argmax(best_of_slot))
        return float(best_of_slot[slot]), slot, int(np.argmax(profit[slot]))

    def _profit(self, shape: tuple[int, ...]) -> FloatArray:
        """A scratch table for the profits, kept between calls."""
        if self._scratch.shape != shape:
            self._scratch = np.empty(shape)
        return self._scratch

    def swap(self, t: _Tables, slot: int, candidate: int) -> None:
        """Put `candidate` in `slot`, updating only the areas whose nearest two change."""
        touched = np.flatnonzero(
            (t.first_slot == slot) | (t.second_slot == slot) | (self.costs[:, candidate] < t.second)
        )
        if touched.size > self.rebuild_share * t.first.size:
            t.slots[slot] = candidate
            vars(t).update(vars(self.tables(t.slots)))
            return
        before = t.first[touched], t.second[touched], t.first_slot[touched]
        t.slots[slot] = candidate
        nearest = self._two_nearest(t.slots, touched)
        t.first[touched], t.first_slot[touched], t.second[touched], t.second_slot[touched] = nearest
        # The slot's row of extra and its loss start again from zero (every area it held
        # was touched), so the old parts of those areas are not taken out of them.
        t.extra[slot] = 0.0
        t.loss[slot] = 0.0
        w = self.weights[touched]
        held = np.where(before[2] == slot, 0.0, -w)
        self._add(
            t, np.concatenate([touched, touched]), np.concatenate([before[0], nearest[0]]),
            np.concatenate([before[1], nearest[2]]), np.concatenate([before[2], nearest[1]]),
            gain_weight=np.concatenate([-w, w]), owner_weight=np.concatenate([held, w]),
        )  # fmt: skip

    def descend(self, t: _Tables) -> None:
        """Best-improvement swaps until none lowers the cost. The cost is counted afresh
        after each swap; one that saves less than its tables promised (rounding worn into
        them) is undone and the tables are built anew, and if fresh tables promise what a
        swap does not give, the descent ends: it never goes round in circles."""
        cost, fresh = self.objective(t), False
        while True:
            profit, slot, candidate = self.best_swap(t)
            if profit <= self.tolerance:
                return
            leaving = int(t.slots[slot])
            self.swap(t, slot, candidate)
            now = self.objective(t)
            if now < cost - self.tolerance:
                cost, fresh = now, False
                continue
            t.slots[slot] = leaving
            vars(t).update(vars(self.tables(t.slots)))
            if fresh:
                return
            fresh = True

    def _two_nearest(
        self, slots: IntArray, rows: IntArray | slice
    ) -> tuple[FloatArray, IntArray, FloatArray, IntArray]:
        sub = self.costs[rows][:, slots]
        count = sub.shape[0]
        if slots.size == 1:
            zeros = np.zeros(count, dtype=np.intp)
            return sub[:, 0], zeros, np.full(count, self.far), zeros
        two = np.argpartition(sub, 1, axis=1)[:, :2]
        index = np.arange(count)
        a, b = sub[index, two[:, 0]], sub[index, two[:, 1]]
        swap = b < a
        first_slot = np.where(swap, two[:, 1], two[:, 0])
        second_slot = np.where(swap, two[:, 0], two[:, 1])
        return np.minimum(a, b), first_slot, np.maximum(a, b), second_slot

    def _add(
        self, t: _Tables, rows: IntArray, first: FloatArray, second: FloatArray,
        owner: IntArray, *, gain_weight: FloatArray, owner_weight: FloatArray,
    ) -> None:  # fmt: skip
        """Add these few areas' parts of gain (× gain_weight) and of loss and extra
        (× owner_weight): the sums of `tables`, over the rows a swap touched, each row
        once with its old nearest two (weight −w) and once with its new (weight w)."""
        d = self.costs[rows]
        t.gain += gain_weight @ np.maximum(first[:, None] - d, 0.0)
        t.loss += np.bincount(owner, weights=owner_weight * (second - first),
                              minlength=t.slots.size)  # fmt: skip
        part = np.maximum(second[:, None] - np.maximum(d, first[:, None]), 0.0)
        part *= owner_weight[:, None]
        order = np.argsort(owner, kind="stable")
        present, starts = np.unique(owner[order], return_index=True)
        t.extra[present] += np.add.reduceat(part[order], starts, axis=0)


def greedy(search: FastSwap, p: int) -> IntArray:
    """Fixed sites first, then one site at a time, each the one that saves most; the
    savings are updated only for the areas the last site came nearer to."""
    costs, weights = search.costs, search.weights
    chosen = [int(site) for site in np.flatnonzero(search.fixed)]
    nearest = costs[:, chosen].min(axis=1) if chosen else np.full(costs.shape[0], search.far)
    saving = weights @ np.maximum(nearest[:, None] - costs, 0.0)
    while len(chosen) < p:
        saving[~search.allowed] = -1.0
        saving[chosen] = -1.0
        best = int(np.argmax(saving))
        chosen.append(best)
        nearer = np.flatnonzero(costs[:, best] < nearest)
        rows, w = costs[nearer], weights[nearer]
        saving -= w @ np.maximum(nearest[nearer, None] - rows, 0.0)
        nearest[nearer] = costs[nearer, best]
        saving += w @ np.maximum(nearest[nearer, None] - rows, 0.0)
    return np.array(chosen, dtype=np.intp)


@dataclass(frozen=True)
class Found:
    """The best sites found, their cost, and the Lagrangian lower bound on any solution's."""

    sites: IntArray
    cost: float
    lower: float


def lagrangian_search(
    search: FastSwap, p: int, *, iterations: int = 150, first_restart: int = 20, every: int = 10
) -> Found:
    """Greedy and fast swap descent, then subgradient steps on the Lagrangian dual (the
    assignment of each area relaxed); from iteration `first_restart`, every `every` steps,
    the search starts again from the sites the relaxation picks. The steps run in single
    precision, which halves the memory they read; the bound returned is recomputed in
    double precision at the best multipliers. Deterministic."""
    best = search.tables(greedy(search, p))
    search.descend(best)
    best_cost = search.objective(best)
    weighted = (search.costs * search.weights[:, None]).astype(np.float32)
    reduced = np.empty_like(weighted)
    multipliers = (best.first * search.weights).astype(np.float32)  # each area's share
    kept = multipliers
    step, lower, stalled = 2.0, -np.inf, 0
    tried: set[frozenset[int]] = set()
    for iteration in range(iterations):
        np.minimum(np.subtract(weighted, multipliers[:, None], out=reduced), 0.0, out=reduced)
        chosen, bound = _relaxed_sites(search, reduced, multipliers, p)
        if bound > lower:
            lower, kept, stalled = bound, multipliers, 0
        else:
            stalled += 1
            if stalled == 20:
                step, stalled = step / 2, 0
        if best_cost - lower <= search.tolerance:
            break
        subgradient = (1 - np.count_nonzero(reduced[:, chosen], axis=1)).astype(np.float32)
        norm = float(subgradient @ subgradient)  # 0: the relaxation's sites serve each once
        restart = iteration >= first_restart and iteration % every == 0
        sites = frozenset(chosen.tolist())
        if (restart or norm == 0.0) and sites not in tried:
            tried.add(sites)
            trial = search.tables(chosen)
            search.descend(trial)
            if search.objective(trial) < best_cost - search.tolerance:
                best, best_cost = trial, search.objective(trial)
        if norm == 0.0:
            break
        change = np.float32(step * (best_cost - bound) / norm) * subgradient
        multipliers = np.maximum(multipliers + change, np.float32(0.0))
    return Found(best.slots.copy(), best_cost, min(_dual_bound(search, kept, p), best_cost))


def _relaxed_sites(
    search: FastSwap, reduced: NDArray[np.floating], multipliers: NDArray[np.floating], p: int
) -> tuple[IntArray, float]:
    """The relaxation's p sites (fixed ones first, then the smallest reduced costs) and
    its value, from the reduced costs min(0, w·d − λ)."""
    value = reduced.sum(axis=0, dtype=np.float64)
    forced = np.flatnonzero(search.fixed)
    value[~search.allowed | search.fixed] = np.inf
    count = p - forced.size
    rest = np.argpartition(value, count - 1)[:count] if count > 0 else forced[:0]
    chosen = np.concatenate([forced, rest])
    value[forced] = reduced[:, forced].sum(axis=0, dtype=np.float64)
    return chosen, float(multipliers.sum(dtype=np.float64) + value[chosen].sum())


def _dual_bound(search: FastSwap, multipliers: NDArray[np.float32], p: int) -> float:
    """The Lagrangian bound at these multipliers in double precision: a true lower bound."""
    exact = multipliers.astype(np.float64)
    work = np.multiply(search.costs, search.weights[:, None], out=search._work)
    np.minimum(np.subtract(work, exact[:, None], out=work), 0.0, out=work)
    return _relaxed_sites(search, work, exact, p)[1]
