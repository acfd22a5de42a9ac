"""How far people live from personal service. Pure.

Road distance is approximated as great-circle distance times a detour factor (1.3 by
default: no Finland-specific factor is published; European cities average 1.34) and
turned into minutes at a stated speed. A travel-cost matrix the user supplies (from
OSRM or r5py, in road km) replaces the approximation for every pair it gives; an empty
cell there means the pair is unreachable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from kanava.catalogue.geo import DEFAULT_ROAD_FACTOR, road_km_matrix
from kanava.network.optimize import FloatArray
from kanava.network.places import DemandArea, Place
from kanava.network.terms import DEFAULT_SPEED_KMH as DEFAULT_SPEED_KMH

BANDS_KM = (25, 50)

CATEGORIES: dict[str, Callable[[Place], bool]] = {
    "service_point": lambda p: p.own,  # Kela's own service expert on site
    "video": lambda p: p.video,  # remote video service with Kela
    "any": lambda p: True,  # any personal service
}


@dataclass(frozen=True)
class DistanceMethod:
    """How distances were had: stated beside every figure."""

    road_factor: float = DEFAULT_ROAD_FACTOR
    speed_kmh: float = DEFAULT_SPEED_KMH
    given_pairs: int = 0  # pairs taken from the user's matrix

    def describe(self) -> str:
        approx = f"great-circle km × {self.road_factor:g}"
        if self.given_pairs:
            return f"user matrix for {self.given_pairs} pairs, else {approx}"
        return approx


@dataclass(frozen=True)
class CategoryAccess:
    category: str
    places: int
    mean_km: float | None
    median_km: float | None
    mean_minutes: float | None
    within: dict[int, float]  # km band → share of the population
    unreached: int  # people with no such place reachable
    nearest_for: dict[str, int] = field(default_factory=dict)  # place id → people


def distances(
    areas: Sequence[DemandArea],
    places: Sequence[Place],
    road_factor: float = DEFAULT_ROAD_FACTOR,
    given: Mapping[tuple[str, str], float] | None = None,
) -> tuple[FloatArray, int]:
    """Road km (areas × places), and how many pairs came from the user's matrix."""
    origins = np.array([[a.lat, a.lon] for a in areas]).reshape(-1, 2)
    targets = np.array([[p.lat, p.lon] for p in places]).reshape(-1, 2)
    km = road_km_matrix(origins, targets, road_factor)
    used = 0
    if given:
        row = {a.code: i for i, a in enumerate(areas)}
        column = {p.id: j for j, p in enumerate(places)}
        for (area, place), value in given.items():
            if area in row and place in column:
                km[row[area], column[place]] = value
                used += 1
    return km, used


def nearest(km: FloatArray, columns: Sequence[int]) -> tuple[FloatArray, np.ndarray]:
    """Each area's distance to the nearest of the columns (inf: none reachable) and which."""
    if not columns:
        return np.full(km.shape[0], np.inf), np.full(km.shape[0], -1)
    sub = np.where(np.isnan(km[:, list(columns)]), np.inf, km[:, list(columns)])
    at = np.argmin(sub, axis=1)
    return sub[np.arange(km.shape[0]), at], np.asarray(columns)[at]


def weighted_median(values: FloatArray, weights: FloatArray) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def measure(
    areas: Sequence[DemandArea],
    places: Sequence[Place],
    km: FloatArray,
    method: DistanceMethod,
    categories: Sequence[str] = tuple(CATEGORIES),
) -> list[CategoryAccess]:
    """The standard measures per kind of place, population-weighted."""
    population = np.array([a.population for a in areas], dtype=np.float64)
    total = population.sum()
    found = []
    for category in categories:
        columns = [j for j, p in enumerate(places) if CATEGORIES[category](p)]
        distance, at = nearest(km, columns)
        reached = np.isfinite(distance)
        people = population[reached]
        served: dict[str, int] = {}
        for column, count in zip(at[reached], people, strict=True):
            served[places[column].id] = served.get(places[column].id, 0) + int(count)
        mean: float | None = None
        median: float | None = None
        if people.sum() > 0:
            mean = float(people @ distance[reached] / people.sum())
            median = weighted_median(distance[reached], people)
        found.append(
            CategoryAccess(
                category=category,
                places=len(columns),
                mean_km=mean,
                median_km=median,
                mean_minutes=None if mean is None else mean / method.speed_kmh * 60,
                within={
                    band: float(population[distance <= band].sum() / total) if total else 0.0
                    for band in BANDS_KM
                },
                unreached=int(population[~reached].sum()),
                nearest_for=dict(sorted(served.items(), key=lambda kv: -kv[1])),
            )
        )
    return found
