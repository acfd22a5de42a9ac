"""Municipality borders of 2025 for maps, from the shipped Statistics Finland division
(CC BY 4.0, 1:4.5 M generalisation; see data/SOURCES.md). Read once, kept in memory."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

BORDERS = "boundaries/municipalities_2025.geojson"
Ring = tuple[tuple[float, float], ...]  # (lat, lon) pairs


@dataclass(frozen=True)
class MunicipalityBorder:
    code: str
    name: dict[str, str]  # fi, sv, en
    rings: tuple[Ring, ...]  # outer rings of its polygons (holes and islands' holes left out)
    neighbours: frozenset[str]  # codes of the municipalities it borders

    @property
    def box(self) -> tuple[float, float, float, float]:
        """South, west, north, east."""
        lats = [lat for ring in self.rings for lat, _ in ring]
        lons = [lon for ring in self.rings for _, lon in ring]
        return min(lats), min(lons), max(lats), max(lons)


def _outer_rings(geometry: dict[str, Any]) -> tuple[Ring, ...]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return tuple(tuple((float(lat), float(lon)) for lon, lat in polygon[0]) for polygon in polygons)


@cache
def municipality_borders() -> tuple[MunicipalityBorder, ...]:
    """All 308 municipalities of 2025 with their borders and neighbours."""
    data = json.loads(files("kanava.data").joinpath(BORDERS).read_text(encoding="utf-8"))
    features = data["features"]
    code_of = {f["properties"]["nimi"]: f["properties"]["kunta"] for f in features}
    return tuple(
        MunicipalityBorder(
            code=(props := feature["properties"])["kunta"],
            name={"fi": props["nimi"], "sv": props["namn"], "en": props["name"]},
            rings=_outer_rings(feature["geometry"]),
            neighbours=frozenset(code_of[n] for n in props.get("neighbors") or [] if n in code_of),
        )
        for feature in features
    )
