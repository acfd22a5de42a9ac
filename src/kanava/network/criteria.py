"""Each point judged against Kela's network criteria. Pure.

Kela's board (December 2017) counts a point's demand as low below 100 customers a
week; a low-demand point may be replaced when its customers' needs can be met
otherwise. The line is configurable; every output states the one it used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kanava.contacts.charts import LOW_DEMAND
from kanava.network.places import Place

TREND_WEEKS = 13  # a quarter against the quarter before


@dataclass(frozen=True)
class Demand:
    """Customers a week at one point and where the figure comes from."""

    per_week: float
    weeks: int
    source: str  # "statistics" (contact events) or "entered" (a manager's figure)
    weekly: tuple[int, ...] = ()


@dataclass(frozen=True)
class Assessment:
    place: Place
    demand: Demand | None
    trend: float | None  # relative change, last quarter against the one before
    low_demand: bool | None  # None: no figure, or a partner's place the line is not for
    line: float


def trend(weekly: Sequence[int], span: int = TREND_WEEKS) -> float | None:
    """The last `span` weeks against the `span` before them, as a relative change."""
    if len(weekly) < 2 * span:
        return None
    before, after = sum(weekly[-2 * span : -span]), sum(weekly[-span:])
    return None if before == 0 else after / before - 1


def assess(
    places: Sequence[Place], demand: Mapping[str, Demand], line: float = LOW_DEMAND
) -> list[Assessment]:
    """Every place judged: below the line first, then above it, then the places not
    judged; the quietest first within each.

    The line is for Kela's own points; partners' places (asiointipisteet) are listed
    with their figures but not judged.
    """
    judged = []
    for place in places:
        figure = demand.get(place.id)
        judged.append(
            Assessment(
                place,
                figure,
                trend(figure.weekly) if figure else None,
                None if figure is None or not place.own else figure.per_week < line,
                line,
            )
        )

    def order(a: Assessment) -> tuple[int, float, str]:
        rank = 0 if a.low_demand else 2 if a.low_demand is None else 1
        return rank, a.demand.per_week if a.demand else 0.0, a.place.id

    return sorted(judged, key=order)
