"""A named set of changes to the network and its before/after figures. Pure.

A scenario is written as YAML (or made on a page), for example::

    name: Laukaa by video
    unit: keskinen
    changes:
      - replace: laukaa-ajanvaraus   # by video service at a joint point in the same place
      - close: some-point
      - open: {id: new-point, name: Uusi piste, municipality: "410", kind: asiointipiste,
               video: true, days: 5}
      - days: {point: jamsa-palvelupiste, per_week: 1}
      - popup: {municipality: "410", days_per_month: 2}
    shift: {phone: 0.7, nearest_point: 0.27, video: 0.03}

Assumptions, each stated in the output: customers of a closed point move to the other
channels in the `shift` shares (default: the 2024 channel mix of the seed among phone,
visits and video); customers of a point that opens fewer days move in proportion to
the days lost; the phone lines are open 25 hours a week (10–15 on weekdays, the seed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from kanava.errors import InvalidInput, reason
from kanava.network.access import BANDS_KM, CATEGORIES, distances, nearest
from kanava.network.places import DemandArea, Place

# 2024 volumes of the seed (SEED.md, section 4) grouped by where a displaced customer goes.
MIX_2024 = {
    "phone": 1_900_000 + 59_000,  # phone contacts and phone appointments
    "nearest_point": 700_000 + 44_700,  # service-point visits and appointments
    "video": 49_300 + 7_600,  # joint service points and remote service
}
WEEKS_A_MONTH = 52 / 12


def default_shift() -> dict[str, float]:
    total = sum(MIX_2024.values())
    return {channel: volume / total for channel, volume in MIX_2024.items()}


@dataclass(frozen=True)
class Change:
    action: str  # replace, close, open, days, popup
    point: str | None = None
    place: Place | None = None  # the place an "open" or "popup" adds
    per_week: int | None = None  # new opening days ("days")


@dataclass(frozen=True)
class Scenario:
    name: str
    unit: str
    changes: tuple[Change, ...]
    shift: dict[str, float] = field(default_factory=default_shift)


@dataclass(frozen=True)
class DistanceChange:
    people: int  # whose distance to the nearest such place changes
    mean_km_before: float | None
    mean_km_after: float | None
    beyond_before: dict[int, int]  # km band → people further than it
    beyond_after: dict[int, int]


@dataclass(frozen=True)
class Outcome:
    scenario: Scenario
    customers_affected: float
    moved: dict[str, float]  # channel → customers a week
    expert_days_freed: float
    extra_calls_per_hour: float
    phone_hours_a_week: float  # the phone lines' usual open hours, the divisor above
    distance: dict[str, DistanceChange]  # nearest own service point; nearest of any kind
    before: list[Place]
    after: list[Place]
    days_not_recorded: list[str]  # own points closed or replaced whose days are unknown


Coordinates = Mapping[str, tuple[str, float, float]]  # municipality code → name, lat, lon


def parse(data: Any, places: Sequence[Place], municipalities: Coordinates) -> Scenario:
    """A scenario from parsed YAML/JSON; every refusal names the change and the field."""
    if not isinstance(data, Mapping):
        raise InvalidInput("scenario", reason("a mapping with name, unit and changes"))
    unknown = set(data) - {"name", "unit", "changes", "shift"}
    if unknown:
        raise InvalidInput(
            "scenario", reason("unknown key %(value)s", value=repr(sorted(unknown)[0]))
        )
    name = str(data.get("name") or "").strip()
    if not name:
        raise InvalidInput("name", reason("give the scenario a name"))
    raw = data.get("changes")
    if not isinstance(raw, list) or not raw:
        raise InvalidInput("changes", reason("a list of at least one change"))
    ids = {p.id for p in places}
    changes = tuple(_change(i, item, ids, municipalities) for i, item in enumerate(raw, start=1))
    shift = _shift(data.get("shift"))
    return Scenario(name, str(data.get("unit") or ""), changes, shift)


def _known(point: Any, ids: set[str], where: str) -> str:
    if not isinstance(point, str) or point not in ids:
        raise InvalidInput(
            where, reason("no active place %(point)s in the network", point=repr(point))
        )
    return point


def _new_place(spec: Any, where: str, municipalities: Coordinates, kind: str) -> Place:
    if not isinstance(spec, Mapping):
        raise InvalidInput(where, reason("give a mapping with municipality (and id, name, days)"))
    code = str(spec.get("municipality", "")).zfill(3)
    if code not in municipalities:
        raise InvalidInput(
            f"{where}.municipality", reason("no municipality %(code)s", code=repr(code))
        )
    town, lat, lon = municipalities[code]
    kind = str(spec.get("kind", kind))
    if kind not in ("service_point", "lahipalvelupiste", "asiointipiste", "pop_up"):
        raise InvalidInput(
            f"{where}.kind", reason("service_point, lahipalvelupiste, asiointipiste or pop_up")
        )
    days = spec.get("days", spec.get("days_per_month"))
    if days is not None and (not isinstance(days, int) or not 0 < days <= 31):
        raise InvalidInput(f"{where}.days", reason("a whole number of days"))
    label = str(spec.get("name") or f"{town} ({kind})")
    return Place(
        id=str(spec.get("id") or f"new-{kind}-{code}"),
        name={"fi": label, "sv": label, "en": label},
        kind=kind, lat=float(spec.get("lat", lat)), lon=float(spec.get("lon", lon)),
        municipality_code=code, municipality=town, address=None,
        open_days_per_week=days if kind != "pop_up" else None,
        appointment_only=False, video_service=bool(spec.get("video", kind == "asiointipiste")),
        unit_id=None, provenance="scenario", source=None,
    )  # fmt: skip


def _change(i: int, item: Any, ids: set[str], municipalities: Coordinates) -> Change:
    where = f"changes[{i}]"
    if not isinstance(item, Mapping) or len(item) != 1:
        raise InvalidInput(where, reason("one of replace, close, open, days or popup"))
    ((action, value),) = item.items()
    if action in ("replace", "close"):
        return Change(action, _known(value, ids, f"{where}.{action}"))
    if action == "open":
        return Change(action, place=_new_place(value, f"{where}.open", municipalities,
                                               "asiointipiste"))  # fmt: skip
    if action == "popup":
        place = _new_place(value, f"{where}.popup", municipalities, "pop_up")
        per_month = value.get("days_per_month", 1)
        return Change(action, place=place, per_week=per_month)
    if action == "days":
        if not isinstance(value, Mapping):
            raise InvalidInput(where, reason("days: {point: ID, per_week: N}"))
        per_week = value.get("per_week")
        if not isinstance(per_week, int) or not 0 <= per_week <= 7:
            raise InvalidInput(f"{where}.days.per_week", reason("a whole number from 0 to 7"))
        return Change(action, _known(value.get("point"), ids, f"{where}.days.point"),
                      per_week=per_week)  # fmt: skip
    raise InvalidInput(
        where,
        reason(
            "unknown change %(action)s: replace, close, open, days or popup", action=repr(action)
        ),
    )


def _shift(raw: Any) -> dict[str, float]:
    if raw is None:
        return default_shift()
    if not isinstance(raw, Mapping) or set(raw) - set(MIX_2024):
        raise InvalidInput("shift", reason("shares for %(join)s", join=", ".join(MIX_2024)))
    try:
        shift = {k: float(raw.get(k, 0)) for k in MIX_2024}
    except (TypeError, ValueError):
        raise InvalidInput("shift", reason("shares are numbers between 0 and 1")) from None
    if any(not 0 <= v <= 1 for v in shift.values()) or abs(sum(shift.values()) - 1) > 1e-3:
        raise InvalidInput("shift", reason("shares between 0 and 1 that add up to 1"))
    return shift


def apply(scenario: Scenario, places: Sequence[Place]) -> list[Place]:
    """The network after the changes."""
    after = {p.id: p for p in places}
    for change in scenario.changes:
        if change.action in ("replace", "close"):
            old = after.pop(change.point or "")
            if change.action == "replace":
                video = replace(
                    old, id=f"{old.id}-video", kind="asiointipiste", video_service=True,
                    provenance="scenario",
                    name={k: f"{v} (video)" for k, v in old.name.items()},
                )  # fmt: skip
                after[video.id] = video
        elif change.action == "days":
            after[change.point or ""] = replace(
                after[change.point or ""], open_days_per_week=change.per_week
            )
        elif change.place is not None:
            after[change.place.id] = change.place
    return list(after.values())


def outcome(
    scenario: Scenario,
    places: Sequence[Place],
    per_week: Mapping[str, float],
    areas: Sequence[DemandArea],
    road_factor: float,
    given: Mapping[tuple[str, str], float] | None = None,
    *,
    phone_hours_a_week: float,
) -> Outcome:
    """The before/after figures a manager would put in front of the municipality;
    the calls moved to the phone spread over the lines' open hours."""
    after = apply(scenario, places)
    before_by_id = {p.id: p for p in places}
    affected = 0.0
    freed = 0.0
    days_not_recorded = []
    for change in scenario.changes:
        old = before_by_id.get(change.point or "")
        if change.action in ("replace", "close") and old is not None:
            affected += per_week.get(old.id, 0.0)
            if old.own:
                freed += old.open_days_per_week or 0
            if old.open_days_per_week is None and old.own:
                days_not_recorded.append(old.id)
        elif change.action == "days" and old is not None:
            days = old.open_days_per_week
            if days:
                lost = max(0, days - (change.per_week or 0))
                affected += per_week.get(old.id, 0.0) * lost / days
                freed += lost if old.own else 0
        elif change.action == "open" and change.place is not None and change.place.own:
            freed -= change.place.open_days_per_week or 0
        elif change.action == "popup":
            freed -= (change.per_week or 0) / WEEKS_A_MONTH
    moved = {channel: affected * share for channel, share in scenario.shift.items()}
    population = np.array([a.population for a in areas], dtype=np.float64)
    km_before, _ = distances(areas, places, road_factor, given)
    km_after, _ = distances(areas, after, road_factor, given)
    return Outcome(
        scenario, affected, moved, freed, moved["phone"] / phone_hours_a_week, phone_hours_a_week,
        {
            category: _distance_change(
                population, (km_before, places), (km_after, after), CATEGORIES[category]
            )
            for category in ("service_point", "any")
        },
        list(places), after, days_not_recorded,
    )  # fmt: skip


def _distance_change(
    population: np.ndarray,
    before: tuple[np.ndarray, Sequence[Place]],
    after: tuple[np.ndarray, Sequence[Place]],
    keep: Callable[[Place], bool],
) -> DistanceChange:
    """Distances to the nearest place that ``keep`` accepts, before and after."""
    d0, _ = nearest(before[0], [j for j, p in enumerate(before[1]) if keep(p)])
    d1, _ = nearest(after[0], [j for j, p in enumerate(after[1]) if keep(p)])
    changed = ~np.isclose(d0, d1)  # a place replaced where it stood moves nobody
    people = population[changed]

    def mean(d: np.ndarray) -> float | None:
        ok = np.isfinite(d[changed])
        return float(people[ok] @ d[changed][ok] / people[ok].sum()) if people[ok].sum() else None

    return DistanceChange(
        int(people.sum()), mean(d0), mean(d1),
        {b: int(population[d0 > b].sum()) for b in BANDS_KM},
        {b: int(population[d1 > b].sum()) for b in BANDS_KM},
    )  # fmt: skip
