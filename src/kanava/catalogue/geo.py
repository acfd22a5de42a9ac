"""Distances on the ground: great-circle km times a road (detour) factor. Pure."""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
DEFAULT_ROAD_FACTOR = 1.3


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance between two WGS84 points."""
    phi1, phi2 = radians(lat1), radians(lat2)
    dphi, dlmb = phi2 - phi1, radians(lon2 - lon1)
    h = sin(dphi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))


def road_km(
    lat1: float, lon1: float, lat2: float, lon2: float, factor: float = DEFAULT_ROAD_FACTOR
) -> float:
    """Road distance approximated as great-circle distance times a detour factor."""
    return great_circle_km(lat1, lon1, lat2, lon2) * factor


def road_km_matrix(
    origins: np.ndarray, destinations: np.ndarray, factor: float = DEFAULT_ROAD_FACTOR
) -> np.ndarray:
    """Road km from every origin to every destination; both are (n, 2) arrays of lat, lon."""
    a, b = np.radians(origins), np.radians(destinations)
    dlat = b[None, :, 0] - a[:, None, 0]
    dlon = b[None, :, 1] - a[:, None, 1]
    across = np.cos(a[:, None, 0]) * np.cos(b[None, :, 0])
    h = np.sin(dlat / 2) ** 2 + across * np.sin(dlon / 2) ** 2
    km: np.ndarray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0))) * factor
    return km
