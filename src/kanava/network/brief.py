"""The decision brief on one point: what a unit sends to the municipality. Pure.

Modelled on Kela's own releases (Haapajärvi and Nivala, 21.8.2025: the points, why, the
nearest alternatives with addresses and hours, the date) and the Joutsa case (a
statement requested from the municipality). Dates kanava suggests are marked so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kanava.catalogue.geo import road_km
from kanava.errors import NotFound
from kanava.hours.calendar import holiday_on
from kanava.network.access import CATEGORIES, DistanceMethod
from kanava.network.criteria import Assessment
from kanava.network.places import Place, Unit
from kanava.network.scenario import Outcome

ANNOUNCE_DAYS_AHEAD = 11  # Kela announced Haapajärvi and Nivala 21.8. for 1.9.2025
REVIEW_MONTHS = 6


@dataclass(frozen=True)
class Alternative:
    place: Place
    km: float
    minutes: float
    video: bool


@dataclass(frozen=True)
class Dates:
    effective: date | None
    announce_by: date | None  # suggested; a working day
    review: date | None  # suggested; a working day
    passed: bool = False  # the brief is made after the change took effect
    announce_suggested: bool = True  # kanava's suggestion, not the manager's date
    review_suggested: bool = True


@dataclass(frozen=True)
class SourcedFigure:
    """Customers a week as Kela itself gave them, where a source gives a figure."""

    per_week: float
    approximate: bool
    period: str
    source: str


@dataclass(frozen=True)
class OwnFigure:
    """Customers a week as the unit counted them, with where the count comes from."""

    per_week: float
    source: str


@dataclass(frozen=True)
class People:
    """Who lives nearer to the point than to any other Kela point, and where."""

    nearest: int  # in the unit's area, the point's municipality and its neighbours
    in_municipality: int  # of them, in the point's own municipality
    municipality_population: int | None
    illustrative_points: int  # Kela points of the network that are illustrative


@dataclass(frozen=True)
class Brief:
    place: Place
    unit: Unit
    assessment: Assessment
    until: date
    alternatives: list[Alternative]
    people: People
    outcome: Outcome  # replacing the point by video service where it stands
    method: DistanceMethod
    proposal: dict[str, str]  # the recorded proposal by language; empty if none
    dates: Dates
    partners: list[str]
    made: date
    sourced: SourcedFigure | None = None
    description: dict[str, str] | None = None  # the point as its record describes it
    own: OwnFigure | None = None  # the unit's own count, entered by a manager


def find_point(places: Sequence[Place], query: str) -> Place:
    """A point by id, or by a word of its id or municipality ("laukaa")."""
    wanted = query.strip().lower()
    exact = [p for p in places if p.id == wanted]
    if exact:
        return exact[0]
    own = [p for p in places if p.own]
    matches = [
        p for p in own
        if wanted in p.id.split("-") or (p.municipality or "").lower() == wanted
    ]  # fmt: skip
    if len(matches) == 1:
        return matches[0]
    raise NotFound("point", query, [p.id for p in own])


def alternatives(
    place: Place, everywhere: Sequence[Place], method: DistanceMethod, each: int = 2
) -> list[Alternative]:
    """The nearest Kela points and the nearest places with video service: the point's
    own unit's first, then the nearest of the kind anywhere."""
    others = [p for p in everywhere if p.id != place.id]
    found: list[Alternative] = []
    for category in ("service_point", "video"):
        wanted = CATEGORIES[category]
        ranked = sorted(
            (p.unit_id != place.unit_id, road_km(place.lat, place.lon, p.lat, p.lon,
                                                 method.road_factor), p.id, p)
            for p in others
            if wanted(p)
        )  # fmt: skip
        for _other_unit, km, _id, p in ranked[:each]:
            found.append(Alternative(p, km, km / method.speed_kmh * 60, p.video))
    return found


def working_day(day: date, step: int) -> date:
    """The day itself if it is a working day, else the nearest one in the direction of
    ``step`` (-1 earlier, +1 later): no weekend, no Finnish holiday, no juhannusaatto."""
    while day.isoweekday() > 5 or holiday_on(day) is not None:
        day += timedelta(days=step)
    return day


def dates(effective: date | None, made: date) -> Dates:
    """The change's date, and the announcement and review kanava suggests around it."""
    if effective is None:
        return Dates(None, None, None)
    month = effective.month - 1 + REVIEW_MONTHS
    review = effective.replace(year=effective.year + month // 12, month=month % 12 + 1)
    return Dates(
        effective,
        working_day(effective - timedelta(days=ANNOUNCE_DAYS_AHEAD), -1),
        working_day(review, +1),
        passed=made >= effective,
    )
