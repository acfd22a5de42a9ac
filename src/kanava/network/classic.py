"""Instances shaped like the classic p-median benchmark (Beasley's OR-Library pmed1–40),
for the tests and the benchmarks. Pure.

OR-Library's instances are random graphs: n nodes, n²/50 edges (2n for n = 100) with
lengths 1–100, every node both a demand point of weight 1 and a candidate site, the cost
of a pair its shortest-path distance. These are made the same way from a seed.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_array
from scipy.sparse.csgraph import shortest_path


def classic_costs(n: int, seed: int) -> NDArray[np.float64]:
    """Shortest-path costs on a connected random graph of n nodes, as OR-Library's."""
    rng = np.random.default_rng(seed)
    edges = max(2 * n, n * n // 50)
    order = rng.permutation(n)
    tail, head = list(order[:-1]), list(order[1:])  # a path through every node: connected
    while len(tail) < edges:
        a, b = (int(v) for v in rng.integers(0, n, 2))
        if a != b:
            tail.append(a)
            head.append(b)
    length = rng.integers(1, 101, len(tail)).astype(np.float64)
    graph = csr_array(
        (np.concatenate([length, length]),
         (np.concatenate([tail, head]), np.concatenate([head, tail]))),
        shape=(n, n),
    )  # fmt: skip
    graph.sum_duplicates()
    costs: NDArray[np.float64] = shortest_path(graph, method="D", directed=False)
    return costs
