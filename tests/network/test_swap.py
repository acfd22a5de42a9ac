"""The swap search against answers computed the slow way: its tables against a fresh
count, each swap's profit against the cost before and after, its solutions against the
exact optimum, its bound against the optimum from below."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kanava.network.classic import classic_costs
from kanava.network.optimize import Method, Model, instance, pmedian, solve, swap_search
from kanava.network.swap import FastSwap, greedy, lagrangian_search


def search_on(
    costs: np.ndarray,
    weights: np.ndarray,
    fixed: set[int] = frozenset(),
    rebuild_share: float = 0.25,
) -> FastSwap:
    m = costs.shape[1]
    must = np.zeros(m, dtype=bool)
    must[list(fixed)] = True
    return FastSwap(costs, weights, fixed=must, allowed=np.ones(m, dtype=bool),
                    far=10 * costs.max() + 1, rebuild_share=rebuild_share)  # fmt: skip


def cost_of(costs: np.ndarray, weights: np.ndarray, sites: list[int]) -> float:
    return float(weights @ costs[:, sites].min(axis=1))


@st.composite
def swaps(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, list[int], list[tuple[int, int]]]:
    """A matrix with ties (rounded costs), weights with zeros, p sites, and swaps to make."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n, m = draw(st.integers(1, 30)), draw(st.integers(2, 12))
    costs = np.round(rng.random((n, m)) * draw(st.sampled_from([5, 100])))
    weights = rng.integers(0, 4, n).astype(float)
    p = draw(st.integers(1, m - 1))
    sites = [int(s) for s in rng.permutation(m)[:p]]
    moves = [(int(rng.integers(p)), int(rng.integers(m))) for _ in range(draw(st.integers(1, 8)))]
    return costs, weights, sites, moves


@settings(max_examples=80, deadline=None)
@given(swaps(), st.sampled_from([0.0, 1.0]))
def test_tables_kept_by_swaps_equal_tables_counted_afresh_and_profits_are_true(
    case: tuple[np.ndarray, np.ndarray, list[int], list[tuple[int, int]]], rebuild_share: float
) -> None:
    """Both ways of keeping the tables: built anew after every swap (share 0) and updated
    for the touched areas only (share 1)."""
    costs, weights, sites, moves = case
    search = search_on(costs, weights, rebuild_share=rebuild_share)
    kept = search.tables(np.array(sites))
    for slot, candidate in moves:
        if candidate in kept.slots:
            continue
        search.swap(kept, slot, candidate)
        fresh = search.tables(kept.slots)
        for name in ("first", "second", "gain", "loss", "extra"):
            assert np.allclose(getattr(kept, name), getattr(fresh, name)), name
    before = cost_of(costs, weights, list(kept.slots))
    profit, slot, candidate = search.best_swap(kept)
    for r in range(len(kept.slots)):  # every swap's profit, by the cost before and after
        for i in set(range(costs.shape[1])) - set(kept.slots.tolist()):
            after = cost_of(costs, weights, [*np.delete(kept.slots, r), i])
            table = kept.gain[i] - kept.loss[r] + kept.extra[r, i]
            assert table == pytest.approx(before - after, abs=1e-9)
            assert before - after <= profit + 1e-9


def test_descent_ends_where_no_single_swap_helps() -> None:
    costs = classic_costs(80, seed=11)
    weights = np.ones(80)
    search = search_on(costs, weights)
    tables = search.tables(greedy(search, 6))
    search.descend(tables)
    sites = list(tables.slots)
    here = cost_of(costs, weights, sites)
    assert search.objective(tables) == pytest.approx(here)
    for r in range(6):
        for i in set(range(80)) - set(sites):
            assert cost_of(costs, weights, [*sites[:r], *sites[r + 1 :], i]) >= here - 1e-9


def test_fixed_sites_are_never_swapped_out() -> None:
    costs = classic_costs(60, seed=4)
    search = search_on(costs, np.ones(60), fixed={7, 8})
    found = lagrangian_search(search, 5)
    assert {7, 8} <= set(found.sites.tolist()) and len(set(found.sites.tolist())) == 5


@pytest.mark.parametrize(("n", "p"), [(100, 5), (150, 15), (200, 20), (200, 66), (250, 10)])
def test_the_swap_search_finds_the_optimum_of_classic_instances_and_bounds_it_from_below(
    n: int, p: int
) -> None:
    costs = classic_costs(n, seed=7 * n + p)
    problem = instance(costs, np.ones(n), model=Model.PMEDIAN, p=p)
    exact = pmedian(problem)
    found = swap_search(problem)
    assert found.objective == pytest.approx(exact.objective)
    assert found.gap is not None
    assert found.objective * (1 - found.gap) <= exact.objective + 1e-6  # the bound holds
    assert swap_search(problem).sites == found.sites  # the same answer every time


def test_a_closed_gap_is_reported_as_proven() -> None:
    # two far-apart clusters of three: with p = 2 the relaxation's sites serve each area
    # once, so the bound meets the solution
    line = np.array([0.0, 1.0, 2.0, 100.0, 101.0, 102.0])
    costs = np.abs(line[:, None] - line[None])
    found = solve(instance(costs, None, model=Model.PMEDIAN, p=2), Model.PMEDIAN,
                  method=Method.HEURISTIC)  # fmt: skip
    assert found.sites == (1, 4) and found.objective == 4.0
    assert found.optimal and found.gap == pytest.approx(0.0, abs=1e-9)


def test_unreachable_pairs_are_avoided_and_weightless_areas_ask_nothing() -> None:
    costs = np.array([[1.0, np.nan, 5.0], [np.nan, 1.0, 5.0], [9.0, 9.0, np.nan]])
    weights = np.array([1.0, 1.0, 0.0])
    found = swap_search(instance(costs, weights, model=Model.PMEDIAN, p=2))
    assert found.sites == (0, 1) and found.objective == 2.0
    nobody = swap_search(instance(costs, np.zeros(3), model=Model.PMEDIAN, p=1))
    assert nobody.objective == 0.0 and len(nobody.sites) == 1
