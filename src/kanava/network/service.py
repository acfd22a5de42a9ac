"""The network figures of a unit: read what is stored, compute with the pure modules."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.catalogue.corrections import Recorded, latest_values, record_values
from kanava.catalogue.geo import DEFAULT_ROAD_FACTOR, road_km_matrix
from kanava.catalogue.models import Channel, ChannelEvent, Municipality
from kanava.contacts.charts import LOW_DEMAND
from kanava.contacts.models import ContactTotal
from kanava.contacts.stats import customers_per_week, last_week_with_data, weekly_series
from kanava.errors import InvalidInput, reason
from kanava.i18n import LANGUAGES
from kanava.i18n.catalogues import translations
from kanava.network.access import (
    CATEGORIES,
    CategoryAccess,
    DistanceMethod,
    distances,
    measure,
    nearest,
)
from kanava.network.brief import (
    Brief,
    People,
    SourcedFigure,
    alternatives,
    dates,
    find_point,
)
from kanava.network.brief_edits import apply_edits, check_edits, check_together, edits_from
from kanava.network.criteria import Assessment, Demand, assess
from kanava.network.optimize import (
    Instance,
    Model,
    Solution,
    covered_weight,
    instance,
    pmedian_objective,
    solve,
)
from kanava.network.places import (
    DemandArea,
    Place,
    Unit,
    active_places,
    demand_areas,
    municipality_centres,
    phone_hours_a_week,
    unit,
    unit_municipalities,
    unit_places,
)
from kanava.network.scenario import Outcome, outcome, parse

BRIEF = "brief"  # the target under which a brief's edits are recorded


def statistics_note(lang: str) -> str:
    """Where customers a week come from, in the reader's language."""
    _ = translations(lang).gettext
    return _(
        "Customers a week come from the contact events stored in kanava; the shipped events "
        "are synthetic (calibrated to Kela's 2024 totals and to the Laukaa figure)."
    )


@dataclass(frozen=True)
class Network:
    """A unit, its municipalities, its places, and every active place in the country."""

    unit: Unit
    municipalities: set[str]
    places: list[Place]
    everywhere: list[Place]


def load_network(session: Session, unit_id: str, on: date) -> Network:
    the_unit = unit(session, unit_id)
    municipalities = unit_municipalities(session, the_unit)
    everywhere = active_places(session, on)
    return Network(
        the_unit, municipalities, unit_places(everywhere, the_unit, municipalities), everywhere
    )


def statistics_until(session: Session, events_dir: Path | None, today: date) -> date:
    """The end of the last week with data: the figures of a past year stay readable."""
    return last_week_with_data(session, events_dir) or today


def entered_figures(figures: list[str]) -> dict[str, float]:
    """POINT=N pairs: a manager's own customers-a-week figures."""
    entered: dict[str, float] = {}
    for item in figures:
        point, _, value = item.partition("=")
        try:
            entered[point.strip()] = float(value)
        except ValueError:
            raise InvalidInput(
                "figure", reason("%(item)s: give POINT=CUSTOMERS_A_WEEK", item=repr(item))
            ) from None
        if not math.isfinite(entered[point.strip()]) or entered[point.strip()] < 0:
            raise InvalidInput(
                "figure", reason("%(item)s: customers are a number, zero or more", item=repr(item))
            )
    return entered


def point_demand(
    session: Session,
    places: list[Place],
    until: date,
    weeks: int,
    events_dir: Path | None,
    entered: Mapping[str, float] | None = None,
) -> dict[str, Demand]:
    """Customers a week per place: the statistics, or the figure a manager entered."""
    ids = [p.id for p in places]
    counted = {f.place_id: f for f in customers_per_week(session, until, weeks, ids, events_dir)}
    series = weekly_series(session, until, weeks, "place_id", events_dir).series
    demand: dict[str, Demand] = {}
    for place in places:
        if entered and place.id in entered:
            demand[place.id] = Demand(entered[place.id], weeks, "entered")
        elif counted[place.id].contacts or place.id in series:
            demand[place.id] = Demand(
                counted[place.id].per_week, weeks, "statistics", tuple(series.get(place.id, ()))
            )
    unknown = set(entered or ()) - set(ids)
    if unknown:
        raise InvalidInput(
            "figure", reason("no place %(value)s in the unit", value=repr(sorted(unknown)[0]))
        )
    return demand


def assess_unit(
    session: Session,
    network: Network,
    *,
    until: date,
    weeks: int = 52,
    line: float = LOW_DEMAND,
    events_dir: Path | None = None,
    entered: Mapping[str, float] | None = None,
) -> list[Assessment]:
    if line <= 0:
        raise InvalidInput("line", reason("the low-demand line must be above zero"))
    if not 1 <= weeks <= 520:
        raise InvalidInput("weeks", reason("between 1 and 520"))
    demand = point_demand(session, network.places, until, weeks, events_dir, entered)
    return assess(network.places, demand, line)


def access_unit(
    session: Session,
    network: Network,
    *,
    level: str = "postal",
    method: DistanceMethod | None = None,
    given: Mapping[tuple[str, str], float] | None = None,
) -> tuple[list[DemandArea], list[CategoryAccess], DistanceMethod]:
    """Access from the unit's demand areas to every active place in the country (people
    near a border are served across it)."""
    method = method or DistanceMethod()
    if method.road_factor < 1:
        raise InvalidInput("road_factor", reason("a road is never shorter than the straight line"))
    if method.speed_kmh <= 0:
        raise InvalidInput("speed", reason("must be above zero"))
    areas = demand_areas(session, level, network.municipalities)
    km, used = distances(areas, network.everywhere, method.road_factor, given)
    method = DistanceMethod(method.road_factor, method.speed_kmh, used)
    return areas, measure(areas, network.everywhere, km, method), method


def assessment_json(a: Assessment, lang: str) -> dict[str, Any]:
    p = a.place
    return {
        "id": p.id,
        "name": p.name[lang],
        "kind": p.kind,
        "municipality": p.municipality,
        "open_days_per_week": p.open_days_per_week,
        "appointment_only": p.appointment_only,
        "hours": p.hours.get(lang),
        "customers_per_week": a.demand.per_week if a.demand else None,
        "figure_source": a.demand.source if a.demand else None,
        "trend": a.trend,
        "low_demand": a.low_demand,
        "provenance": p.provenance,
    }


def access_json(c: CategoryAccess, places: Mapping[str, Place], lang: str) -> dict[str, Any]:
    return {
        "category": c.category,
        "places": c.places,
        "mean_km": c.mean_km,
        "median_km": c.median_km,
        "mean_minutes": c.mean_minutes,
        "share_within_km": {str(band): share for band, share in c.within.items()},
        "people_unreached": c.unreached,
        "nearest_for": [
            {"id": pid, "name": places[pid].name[lang], "people": people}
            for pid, people in c.nearest_for.items()
        ],
    }


def run_scenario(
    session: Session,
    network: Network,
    data: Any,
    *,
    until: date,
    weeks: int = 52,
    events_dir: Path | None = None,
    level: str = "postal",
    road_factor: float = DEFAULT_ROAD_FACTOR,
    given: Mapping[tuple[str, str], float] | None = None,
) -> Outcome:
    """A scenario (parsed YAML or JSON) on the unit's network, with its figures."""
    scenario = parse(data, network.everywhere, municipality_centres(session))
    if scenario.unit and scenario.unit != network.unit.id:
        raise InvalidInput(
            "unit",
            reason(
                "the scenario is for %(unit)s, not %(id)s",
                unit=repr(scenario.unit),
                id=repr(network.unit.id),
            ),
        )
    named = [p for p in network.everywhere if p.id in {c.point for c in scenario.changes}]
    demand = point_demand(session, named, until, weeks, events_dir)
    areas = demand_areas(session, level, network.municipalities)
    per_week = {pid: d.per_week for pid, d in demand.items()}
    return outcome(
        scenario, network.everywhere, per_week, areas, road_factor, given,
        phone_hours_a_week=phone_hours_a_week(session, until),
    )  # fmt: skip


def outcome_json(result: Outcome, lang: str) -> dict[str, Any]:
    return {
        "name": result.scenario.name,
        "unit": result.scenario.unit,
        "customers_per_week_affected": result.customers_affected,
        "shift": result.scenario.shift,
        "moved_per_week": result.moved,
        "expert_days_per_week_freed": result.expert_days_freed,
        "extra_calls_per_hour": result.extra_calls_per_hour,
        "phone_hours_per_week": result.phone_hours_a_week,
        "distance": {
            category: {
                "people_whose_nearest_changes": d.people,
                "mean_km_before": d.mean_km_before,
                "mean_km_after": d.mean_km_after,
                "people_beyond_km_before": {str(k): v for k, v in d.beyond_before.items()},
                "people_beyond_km_after": {str(k): v for k, v in d.beyond_after.items()},
            }
            for category, d in result.distance.items()
        },
        "removed": [p.id for p in result.before if p.id not in {q.id for q in result.after}],
        "added": [
            {"id": p.id, "name": p.name[lang], "kind": p.kind}
            for p in result.after
            if p.id not in {q.id for q in result.before}
        ],
        "days_not_recorded": result.days_not_recorded,
        "note": statistics_note(lang),
    }


def make_brief(
    session: Session,
    network: Network,
    point: str,
    *,
    until: date,
    today: date,
    weeks: int = 52,
    events_dir: Path | None = None,
    line: float = LOW_DEMAND,
    method: DistanceMethod | None = None,
) -> Brief:
    """Everything the brief on one point says, with the figures behind it."""
    method = method or DistanceMethod()
    place = find_point(network.places, point)
    judged = next(
        a
        for a in assess_unit(
            session, network, until=until, weeks=weeks, line=line, events_dir=events_dir
        )
        if a.place.id == place.id
    )
    areas, _, method = access_unit(session, network, method=method)
    replaced = run_scenario(
        session, network, {"name": f"{place.name['en']} by video", "changes": [
            {"replace": place.id}]},
        until=until, weeks=weeks, events_dir=events_dir, road_factor=method.road_factor,
    )  # fmt: skip
    channel = session.get(Channel, place.id)
    proposal = _proposal(channel)
    edits = edits_from(brief_edits(session=session, point_id=place.id))
    effective = edits.effective or _recorded_date(proposal)
    nearby = alternatives(place, network.everywhere, method)
    partners = [p for p in (place.host, *(a.place.host for a in nearby if a.video)) if p]
    if place.municipality:
        partners.insert(0, place.municipality)
    description: dict[str, str] = {
        lang: str(text)
        for lang in LANGUAGES
        if channel is not None and (text := getattr(channel, f"description_{lang}"))
    }
    made = Brief(
        place, network.unit, judged, until, nearby,
        people_nearest(session, place, network, areas, method), replaced, method,
        _note(proposal), dates(effective, today), list(dict.fromkeys(partners)), today,
        sourced_figure(session, place.id), description,
    )  # fmt: skip
    return apply_edits(made, edits)


def _proposal(channel: Channel | None) -> ChannelEvent | None:
    """The recorded proposal to replace the point, if there is one."""
    events = channel.events if channel is not None else []
    return next((e for e in events if e.kind == "proposed_replacement"), None)


def _recorded_date(event: ChannelEvent | None) -> date | None:
    return date.fromisoformat(event.on_date) if event and event.on_date else None


def edit_brief(
    *,
    session: Session,
    network: Network,
    point: str,
    changes: Mapping[str, str | None],
    by: str,
    now: datetime,
) -> list[Recorded]:
    """Record a manager's edits of a point's brief (recorded like corrections: who, when,
    before); only fields that change are recorded, and nothing if any is wrong."""
    place = find_point(network.places, point)
    checked = check_edits(changes)
    current = brief_edits(session=session, point_id=place.id)
    changed = {field: value for field, value in checked.items() if current.get(field) != value}
    if not changed:
        raise InvalidInput("changes", reason("nothing differs from the brief as it stands"))
    standing = {f: v for f, v in {**current, **changed}.items() if v is not None}
    recorded = _recorded_date(_proposal(session.get(Channel, place.id)))
    if recorded and "effective" not in standing:
        standing["effective"] = recorded.isoformat()
    check_together(standing)
    return record_values(session=session, target=BRIEF, target_id=place.id, values=changed,
                         by=by, now=now)  # fmt: skip


def brief_edits(*, session: Session, point_id: str) -> dict[str, str]:
    """The manager's edits of a point's brief as they stand, field by field."""
    return latest_values(session=session, target=BRIEF, target_id=point_id)


def people_nearest(
    session: Session,
    place: Place,
    network: Network,
    areas: list[DemandArea],
    method: DistanceMethod,
) -> People:
    """People whose nearest Kela point the place is, and how many of them live in its
    own municipality (the rest live in the neighbouring ones)."""
    km, _ = distances(areas, network.everywhere, method.road_factor)
    columns = [j for j, p in enumerate(network.everywhere) if CATEGORIES["service_point"](p)]
    _distance, at = nearest(km, columns)
    mine = np.array([network.everywhere[j].id == place.id for j in at], dtype=bool)
    population = np.array([a.population for a in areas], dtype=np.int64)
    local = np.array([a.municipality_code == place.municipality_code for a in areas])
    municipality = session.get(Municipality, place.municipality_code or "")
    return People(
        nearest=int(population[mine].sum()),
        in_municipality=int(population[mine & local].sum()),
        municipality_population=municipality.population if municipality else None,
        illustrative_points=sum(
            1 for p in network.places if p.own and p.provenance == "illustrative"
        ),
    )


def sourced_figure(session: Session, point_id: str) -> SourcedFigure | None:
    """Kela's own figure of customers a week at the point, where a source gives one."""
    total = session.scalars(
        select(ContactTotal).where(
            ContactTotal.channel_id == point_id, ContactTotal.unit == "customers_per_week"
        )
    ).first()
    if total is None or total.value is None:
        return None
    return SourcedFigure(total.value, total.approximate, total.period, total.source or "")


def _note(event: ChannelEvent | None) -> dict[str, str]:
    texts = {lang: getattr(event, f"note_{lang}", None) for lang in LANGUAGES} if event else {}
    return {lang: text for lang, text in texts.items() if text}


def solution_json(solution: Solution, names: tuple[str, ...], weights: Any) -> dict[str, Any]:
    """What `optimize --json` prints: the issue's keys first, then what explains them."""
    total = float(weights.sum())
    body: dict[str, Any] = {
        "objective": solution.objective,
        "sites": list(solution.sites),
        "site_names": [names[j] for j in solution.sites],
        "gap": solution.gap,
        "build_s": round(solution.build_s, 6),
        "solve_s": round(solution.solve_s, 6),
        "model": solution.model.value,
        "method": solution.method.value,
        "optimal": solution.optimal,
        "iterations": solution.iterations,
    }
    if solution.model is Model.PMEDIAN and total > 0:
        body["mean_cost"] = solution.objective / total
    if solution.model is Model.MCLP and total > 0:
        body["covered_share"] = solution.objective / total
    return body


@dataclass(frozen=True)
class UnitProblem:
    """A unit's network as a location problem: its people against candidate sites."""

    costs: np.ndarray  # road km, postal areas × candidates
    weights: np.ndarray  # people of each postal area
    candidates: list[tuple[str, str, float, float]]  # id, name, lat, lon
    current: tuple[int, ...]  # candidate columns of today's Kela points


def unit_problem(
    session: Session, network: Network, road_factor: float = DEFAULT_ROAD_FACTOR
) -> UnitProblem:
    """Candidates are today's Kela points and the centre of every municipality of the
    unit; demand is the people of its postal areas."""
    own = [pl for pl in network.places if pl.own]
    towns = municipality_centres(session, network.municipalities)
    candidates = [(pl.id, pl.name["fi"], pl.lat, pl.lon) for pl in own]
    candidates += [(f"municipality-{code}", *town) for code, town in towns.items()]
    areas = demand_areas(session, "postal", network.municipalities)
    origins = np.array([[a.lat, a.lon] for a in areas])
    km = road_km_matrix(origins, np.array([[c[2], c[3]] for c in candidates]), road_factor)
    weights = np.array([a.population for a in areas], dtype=np.float64)
    return UnitProblem(km, weights, candidates, tuple(range(len(own))))


@dataclass(frozen=True)
class UnitOptimum:
    """Sites chosen for a unit beside its network of today, on the same figures."""

    candidates: list[tuple[str, str, float, float]]  # id, name, lat, lon
    current: tuple[int, ...]  # candidate columns of today's Kela points
    today: float  # today's objective (mean km, or share covered)
    chosen: Solution
    value: float  # the chosen sites' objective in the same unit as `today`
    population: int


def compare_with_today(
    problem: Instance, model: Model, current: tuple[int, ...], chosen: Solution
) -> tuple[float, float]:
    """Today's network and the chosen sites on the same measure: mean km or share covered."""
    total = float(problem.weights.sum())
    if model is Model.MCLP:
        return covered_weight(problem, current) / total, chosen.objective / total
    return pmedian_objective(problem, current) / total, chosen.objective / total


def optimize_unit(
    session: Session,
    network: Network,
    *,
    p: int,
    model: Model = Model.PMEDIAN,
    radius: float = 25.0,
    keep_current: bool = False,
    road_factor: float = DEFAULT_ROAD_FACTOR,
    time_limit: float = 20.0,
) -> UnitOptimum:
    """Where the unit's Kela points would best be, beside where they are today."""
    unit_case = unit_problem(session, network, road_factor)
    problem = instance(
        unit_case.costs, unit_case.weights, model=model, p=p,
        radius=radius if model is Model.MCLP else None,
        fixed=unit_case.current if keep_current else (),
    )  # fmt: skip
    chosen = solve(problem, model, time_limit=time_limit)
    today, value = compare_with_today(problem, model, unit_case.current, chosen)
    return UnitOptimum(unit_case.candidates, unit_case.current, today, chosen, value,
                       int(unit_case.weights.sum()))  # fmt: skip
