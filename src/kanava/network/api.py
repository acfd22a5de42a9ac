"""HTTP routes of network planning: figures on places and areas, nothing personal."""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from kanava.catalogue.geo import DEFAULT_ROAD_FACTOR
from kanava.contacts.charts import LOW_DEMAND
from kanava.deps import NowDep, SessionDep, SettingsDep
from kanava.errors import InvalidInput, reason
from kanava.network import access as access_figures
from kanava.network.optimize import Method, Model, instance, solve
from kanava.network.service import (
    access_json,
    access_unit,
    assess_unit,
    assessment_json,
    entered_figures,
    load_network,
    outcome_json,
    run_scenario,
    solution_json,
    statistics_note,
    statistics_until,
)

router = APIRouter(prefix="/api/v1/network", tags=["network"])
MAX_CELLS = 1_000_000  # a postal-area instance is 450,000
Lang = Annotated[str, Query(pattern="^(fi|sv|en)$")]


@router.get("/assess", summary="A unit's points against Kela's low-demand line")
def assess(
    session: SessionDep, settings: SettingsDep, now: NowDep,
    unit: str = "keskinen",
    weeks: Annotated[int, Query(ge=1, le=520)] = 52,
    line: Annotated[float, Query(gt=0)] = LOW_DEMAND,
    figure: Annotated[
        list[Annotated[str, Field(max_length=200)]] | None,
        Query(max_length=50, description="POINT=N: a figure you know better"),
    ] = None,
    lang: Lang = "en",
) -> dict[str, Any]:  # fmt: skip
    until = statistics_until(session, settings.events_dir, now.date())
    network = load_network(session, unit, until)
    judged = assess_unit(session, network, until=until, weeks=weeks, line=line,
                         events_dir=settings.events_dir,
                         entered=entered_figures(figure or []))  # fmt: skip
    return {
        "unit": unit,
        "until": until.isoformat(),
        "weeks": weeks,
        "line": line,
        "note": statistics_note(lang),
        "points": [assessment_json(a, lang) for a in judged],
    }


@router.get("/access", summary="Distances from a unit's people to each kind of place")
def access(
    session: SessionDep, now: NowDep,
    unit: str = "keskinen",
    level: Annotated[str, Query(pattern="^(postal|municipality)$")] = "postal",
    road_factor: Annotated[float, Query(ge=1, le=3)] = DEFAULT_ROAD_FACTOR,
    speed: Annotated[float, Query(gt=0, le=200)] = access_figures.DEFAULT_SPEED_KMH,
    lang: Lang = "en",
) -> dict[str, Any]:  # fmt: skip
    network = load_network(session, unit, now.date())
    areas, figures, method = access_unit(
        session, network, level=level, method=access_figures.DistanceMethod(road_factor, speed)
    )
    places = {p.id: p for p in network.everywhere}
    return {
        "unit": unit, "level": level, "areas": len(areas),
        "population": sum(a.population for a in areas), "distance": method.describe(),
        "road_factor": method.road_factor, "speed_kmh": method.speed_kmh,
        "categories": [access_json(c, places, lang) for c in figures],
    }  # fmt: skip


class ScenarioIn(BaseModel):
    name: str = Field(max_length=200)
    unit: str | None = None
    changes: list[dict[str, Any]] = Field(max_length=100)
    shift: dict[str, float] | None = None


@router.post("/scenario", summary="The before/after figures of a scenario")
def scenario(
    body: ScenarioIn, session: SessionDep, settings: SettingsDep, now: NowDep,
    unit: str = "keskinen", lang: Lang = "en",
) -> dict[str, Any]:  # fmt: skip
    until = statistics_until(session, settings.events_dir, now.date())
    network = load_network(session, unit, until)
    result = run_scenario(session, network, body.model_dump(exclude_none=True), until=until,
                          events_dir=settings.events_dir)  # fmt: skip
    return outcome_json(result, lang)


class OptimizeIn(BaseModel):
    costs: list[list[float | None]] = Field(description="Rows: demand areas; null: unreachable")
    weights: list[float] | None = None
    names: list[str] | None = None
    p: int | None = None
    model: Model = Model.PMEDIAN
    radius: float | None = None
    fixed: list[int] = []
    forbidden: list[int] = []
    heuristic: bool = False
    time_limit: float = Field(default=30, gt=0, le=300)


@router.post("/optimize", summary="Choose sites on a cost matrix")
def optimize(body: OptimizeIn) -> dict[str, Any]:
    widths = {len(row) for row in body.costs}
    if not body.costs or not max(widths):
        raise InvalidInput(
            "costs", reason("needs at least one demand area (row) and one candidate")
        )
    if len(body.costs) * max(widths, default=0) > MAX_CELLS:
        raise InvalidInput(
            "costs",
            reason(
                "at most %(MAX_CELLS)s cells over HTTP; use the CLI",
                MAX_CELLS=format(MAX_CELLS, ","),
            ),
        )
    if len(widths) > 1:
        raise InvalidInput("costs", reason("every row needs a value (or null) for every candidate"))
    costs = np.array([[np.nan if v is None else v for v in row] for row in body.costs],
                     dtype=np.float64).reshape(len(body.costs), -1)  # fmt: skip
    weights = None if body.weights is None else np.array(body.weights, dtype=np.float64)
    problem = instance(costs, weights, model=body.model, p=body.p, radius=body.radius,
                       fixed=body.fixed, forbidden=body.forbidden)  # fmt: skip
    if body.names is not None and len(body.names) != costs.shape[1]:
        raise InvalidInput(
            "names",
            reason(
                "%(count)s names for %(value)s candidates",
                count=len(body.names),
                value=costs.shape[1],
            ),
        )
    names = tuple(body.names or (str(j) for j in range(costs.shape[1])))
    method = Method.HEURISTIC if body.heuristic else Method.EXACT
    found = solve(problem, body.model, method=method, time_limit=body.time_limit)
    return solution_json(found, names, problem.weights)
