"""The location models against independent exact answers: brute force and the textbook
strong formulation."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_array

from kanava.errors import InvalidInput
from kanava.network.benders import Progress
from kanava.network.classic import classic_costs
from kanava.network.optimize import (
    Method,
    Model,
    covered_weight,
    instance,
    pmedian,
    pmedian_objective,
    solve,
    swap_search,
)


def strong_pmedian(
    costs: np.ndarray, weights: np.ndarray, p: int, fixed: set[int], forbidden: set[int]
) -> float:
    """Every (area, candidate) pair, with x_ij <= y_j for each: the textbook model, over
    the areas of some weight (a weightless area asks nothing of the sites)."""
    costs, weights = costs[weights > 0], weights[weights > 0]
    n, m = costs.shape
    pairs = [(i, j) for i in range(n) for j in range(m) if not np.isnan(costs[i, j])]
    a = lil_array((1 + n + len(pairs), m + len(pairs)))
    a[0, :m] = 1
    for col, (i, j) in enumerate(pairs):
        a[1 + i, m + col] = 1
        a[1 + n + col, m + col] = 1
        a[1 + n + col, j] = -1
    lower = np.r_[p, np.ones(n), np.full(len(pairs), -np.inf)]
    upper = np.r_[p, np.ones(n), np.zeros(len(pairs))]
    lb, ub = np.zeros(m + len(pairs)), np.ones(m + len(pairs))
    lb[list(fixed)] = 1
    ub[list(forbidden)] = 0
    cost = np.r_[np.zeros(m), [weights[i] * costs[i, j] for i, j in pairs]]
    result = milp(
        cost,
        constraints=LinearConstraint(a.tocsr(), lower, upper),
        bounds=Bounds(lb, ub),
        integrality=np.r_[np.ones(m), np.zeros(len(pairs))],
        options={"mip_rel_gap": 0},
    )
    assert result.status == 0
    return float(result.fun)


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int, set[int], set[int]]:
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n, m = draw(st.integers(1, 25)), draw(st.integers(2, 9))
    areas, sites = rng.random((n, 2)) * 100, rng.random((m, 2)) * 100
    costs = np.linalg.norm(areas[:, None] - sites[None], axis=2).round(
        draw(st.sampled_from([0, 3]))
    )
    if draw(st.booleans()):  # some pairs unreachable, never a whole row
        holes = rng.random((n, m)) < 0.25
        holes[:, 0] = False
        costs[holes] = np.nan
    weights = rng.integers(0, 50, n).astype(float)
    forbidden = {j for j in range(1, m) if draw(st.booleans()) and rng.random() < 0.2}
    free = [j for j in range(m) if j not in forbidden]
    p = draw(st.integers(1, len(free)))
    fixed = {j for j in free[:p] if rng.random() < 0.3}
    return costs, weights, p, fixed, forbidden


@settings(max_examples=60, deadline=None)
@given(problems())
def test_pmedian_equals_the_strong_formulation_and_the_heuristic_is_never_better(
    case: tuple[np.ndarray, np.ndarray, int, set[int], set[int]],
) -> None:
    costs, weights, p, fixed, forbidden = case
    problem = instance(
        costs, weights, model=Model.PMEDIAN, p=p, fixed=sorted(fixed), forbidden=sorted(forbidden)
    )
    exact = solve(problem, Model.PMEDIAN)
    reference = strong_pmedian(costs, weights, p, fixed, forbidden)
    assert exact.optimal and exact.gap == 0.0
    assert exact.objective == pytest.approx(reference, rel=1e-6, abs=1e-6)
    assert exact.objective == pytest.approx(pmedian_objective(problem, exact.sites))
    assert len(exact.sites) == p
    assert fixed <= set(exact.sites) and not forbidden & set(exact.sites)
    heuristic = swap_search(problem)
    assert heuristic.objective >= exact.objective - 1e-6 * max(1.0, exact.objective)
    assert fixed <= set(heuristic.sites) and not forbidden & set(heuristic.sites)
    if heuristic.gap is not None:  # its bound is below the optimum; proven means equal
        assert heuristic.objective * (1 - heuristic.gap) <= exact.objective + 1e-6
        if heuristic.optimal:
            assert heuristic.objective == pytest.approx(exact.objective, rel=1e-6, abs=1e-6)


def _brute(costs: np.ndarray, weights: np.ndarray, p: int, radius: float) -> float:
    problem = instance(costs, weights, model=Model.MCLP, p=p, radius=radius)
    return max(covered_weight(problem, c) for c in combinations(range(costs.shape[1]), p))


@settings(max_examples=40, deadline=None)
@given(problems(), st.floats(10, 60))
def test_maximal_covering_equals_brute_force(
    case: tuple[np.ndarray, np.ndarray, int, set[int], set[int]], radius: float
) -> None:
    costs, weights, p, _, _ = case
    problem = instance(costs, weights, model=Model.MCLP, p=p, radius=radius)
    exact = solve(problem, Model.MCLP)
    assert exact.objective == pytest.approx(_brute(costs, weights, p, radius))
    assert solve(problem, Model.MCLP, method=Method.HEURISTIC).objective <= exact.objective


def test_set_covering_finds_the_fewest_sites() -> None:
    # areas on a line at 0..9 km, candidates at 1, 4, 5 and 8 km; radius 1.5 km
    areas = np.arange(10.0)
    sites = np.array([1.0, 4.0, 5.0, 8.0])
    costs = np.abs(areas[:, None] - sites[None])
    problem = instance(costs, None, model=Model.LSCP, radius=1.5)
    found = solve(problem, Model.LSCP)
    assert found.objective == 4  # 0 needs 1; 3 needs 4; 6 needs 5; 9 needs 8
    narrower = instance(costs[:8], None, model=Model.LSCP, radius=2.0)
    assert solve(narrower, Model.LSCP).objective == 2  # the sites at 1 and 5 km
    with pytest.raises(InvalidInput, match="row 1"):
        solve(instance(costs, None, model=Model.LSCP, radius=0.5), Model.LSCP)


def test_a_known_instance_and_its_mean_distance() -> None:
    # four towns on a road; two sites: one serves the pair at each end
    costs = np.array(
        [[0, 10, 30, 40], [10, 0, 20, 30], [30, 20, 0, 10], [40, 30, 10, 0]], dtype=float
    )
    weights = np.array([100, 1, 1, 100], dtype=float)
    found = solve(instance(costs, weights, model=Model.PMEDIAN, p=2), Model.PMEDIAN)
    assert found.sites == (0, 3) and found.objective == 20.0
    forced = solve(instance(costs, weights, model=Model.PMEDIAN, p=2, fixed=[1]), Model.PMEDIAN)
    assert 1 in forced.sites and forced.objective == pytest.approx(100 * 10 + 1 * 10)


def test_unreachable_pairs_are_allowed_but_an_area_reaching_nothing_is_named() -> None:
    costs = np.array([[1.0, np.nan], [np.nan, 2.0]])
    found = solve(instance(costs, np.array([1.0, 1.0]), model=Model.PMEDIAN, p=2), Model.PMEDIAN)
    assert found.objective == 3.0
    with pytest.raises(InvalidInput, match="row 2"):
        solve(instance(costs, np.ones(2), model=Model.PMEDIAN, p=1, forbidden=[1]), Model.PMEDIAN)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"p": 4}, "p"),
        ({"p": 0}, "p"),
        ({"p": 2, "weights": np.ones(2)}, "weights"),
        ({"p": 2, "weights": np.array([1.0, -1.0, 1.0])}, "weights"),
        ({"p": 1, "fixed": [0, 1]}, "fixed"),
        ({"p": 1, "fixed": [0], "forbidden": [0]}, "fixed"),
        ({"p": 1, "forbidden": [5]}, "forbidden"),
    ],
)
def test_bad_problems_are_refused_naming_the_field(kwargs: dict[str, object], field: str) -> None:
    costs = np.ones((3, 3))
    weights = kwargs.pop("weights", np.ones(3))
    with pytest.raises(InvalidInput) as caught:
        instance(costs, weights, model=Model.PMEDIAN, **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_negative_or_infinite_costs_are_refused() -> None:
    with pytest.raises(InvalidInput, match="negative"):
        instance(np.array([[1.0, -2.0]]), None, model=Model.PMEDIAN, p=1)
    with pytest.raises(InvalidInput, match="infinite"):
        instance(np.array([[1.0, np.inf]]), None, model=Model.PMEDIAN, p=1)
    with pytest.raises(InvalidInput, match="radius"):
        instance(np.ones((2, 2)), None, model=Model.MCLP, p=1)


@pytest.mark.parametrize(("n", "p"), [(60, 3), (80, 5), (100, 10), (100, 33)])
def test_classic_shaped_instances_are_solved_to_the_strong_formulations_optimum(
    n: int, p: int
) -> None:
    costs = classic_costs(n, seed=n + p)
    weights = np.ones(n)
    exact = solve(instance(costs, weights, model=Model.PMEDIAN, p=p), Model.PMEDIAN)
    assert exact.optimal and exact.gap == 0.0
    assert exact.objective == strong_pmedian(costs, weights, p, set(), set())


def test_stopped_by_the_time_limit_the_best_found_says_it_is_unproven() -> None:
    costs = classic_costs(300, seed=3)
    problem = instance(costs, np.ones(300), model=Model.PMEDIAN, p=5)
    seen: list[Progress] = []
    found = pmedian(problem, time_limit=0.0, progress=seen.append)
    assert found.optimal is False and found.gap is not None and found.gap > 0
    assert found.objective == pmedian_objective(problem, found.sites) and len(found.sites) == 5
    assert seen and all(step.lower <= step.upper for step in seen)
    proven = pmedian(problem, time_limit=60.0)
    assert proven.optimal and proven.objective <= found.objective
    assert seen[-1].lower <= proven.objective <= seen[-1].upper
