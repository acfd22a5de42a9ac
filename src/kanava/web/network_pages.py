"""The manager's network pages: the unit on a map against Kela's criterion, the
scenario editor with before/after, the optimiser, and the decision brief."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from kanava.contacts.charts import LOW_DEMAND
from kanava.deps import NowDep, SessionDep, SettingsDep
from kanava.errors import KanavaError
from kanava.network.optimize import Model
from kanava.network.places import DemandArea, demand_areas
from kanava.network.scenario import MIX_2024, default_shift
from kanava.network.service import (
    access_unit,
    assess_unit,
    entered_figures,
    load_network,
    optimize_unit,
    run_scenario,
    statistics_until,
)
from kanava.svg import MapPoint, point_map
from kanava.web.auth_pages import PagePrincipal
from kanava.web.brief import shift_names
from kanava.web.context import LangDep, gettext
from kanava.web.render import render

router = APIRouter(include_in_schema=False)
UNIT = "keskinen"


def _map(
    points: list[MapPoint], areas: Sequence[DemandArea], id_prefix: str, title: str,
    description: str,
) -> str:  # fmt: skip
    """The unit's map: the places numbered as in the page's table, postal areas as dots."""
    return point_map(points, [(a.lat, a.lon) for a in areas], title=title,
                     description=description, size=560, id_prefix=id_prefix)  # fmt: skip


@router.get("/{lang}/manager/network")
def network_page(
    request: Request, lang: LangDep, session: SessionDep, settings: SettingsDep,
    principal: PagePrincipal, now: NowDep,
    point: Annotated[str, Query(max_length=80)] = "",
    per_week: Annotated[str, Query(max_length=12)] = "",
) -> Response:  # fmt: skip
    principal.require("manager")
    _ = gettext(lang)
    until = statistics_until(session, settings.events_dir, now.date())
    network = load_network(session, UNIT, until)
    errors: dict[str, str] = {}
    entered: dict[str, float] = {}
    if point or per_week:
        try:
            entered = entered_figures([f"{point}={per_week.replace(',', '.')}"])
        except KanavaError:
            errors["per_week"] = _("Give the customers a week as a number, zero or more.")
    try:
        judged = assess_unit(session, network, until=until, events_dir=settings.events_dir,
                             entered=entered)  # fmt: skip
    except KanavaError:  # a point not of the unit
        errors["point"] = _("Choose a point of the unit.")
        judged = assess_unit(session, network, until=until, events_dir=settings.events_dir)
    areas, figures, method = access_unit(session, network)
    points = [
        MapPoint(a.place.lat, a.place.lon, a.place.name[lang],
                 "low" if a.low_demand else "service_point" if a.place.own else "asiointipiste",
                 number)
        for number, a in enumerate(judged, start=1)
    ]  # fmt: skip
    drawn = _map(
        points, areas, "network-map", _("The unit's places of personal service"),
        _("Red: a Kela point below the low-demand line; blue: above it; green: a partner's "
          "joint service point. Numbers refer to the table."),
    )  # fmt: skip
    return render(
        request, lang, "manager_network.html",
        status_code=422 if errors else 200, errors=errors,
        values={"point": point, "per_week": per_week},
        unit=network.unit, until=until, judged=judged, line=LOW_DEMAND, map_svg=Markup(drawn),
        figures=figures, method=method, areas=len(areas),
        population=sum(a.population for a in areas),
        illustrative=sum(1 for p in network.places if p.own and p.provenance == "illustrative"),
    )  # fmt: skip


@router.get("/{lang}/manager/network/scenario")
def scenario_page(
    request: Request, lang: LangDep, session: SessionDep, settings: SettingsDep,
    principal: PagePrincipal, now: NowDep,
    point: Annotated[str, Query(max_length=80)] = "",
    action: Annotated[str, Query(pattern="^(replace|close|days)$")] = "replace",
    days: Annotated[int, Query(ge=0, le=7)] = 1,
    phone: Annotated[str, Query(max_length=10)] = "",
    nearest_point: Annotated[str, Query(max_length=10)] = "",
    video: Annotated[str, Query(max_length=10)] = "",
) -> Response:  # fmt: skip
    principal.require("manager")
    until = statistics_until(session, settings.events_dir, now.date())
    network = load_network(session, UNIT, until)
    defaults = default_shift()
    given = {"phone": phone, "nearest_point": nearest_point, "video": video}
    values = {k: v or f"{100 * defaults[k]:.0f}" for k, v in given.items()}
    values |= {"point": point, "action": action, "days": str(days)}
    errors: dict[str, str] = {}
    result = None
    if point:
        change = {"days": {"point": point, "per_week": days}} if action == "days" else {
            action: point}  # fmt: skip
        try:
            shift = {k: float(values[k].replace(",", ".")) / 100 for k in MIX_2024}
        except ValueError:
            errors["phone"] = gettext(lang)("Give each share as a percentage.")
        else:
            try:
                result = run_scenario(
                    session, network, {"name": point, "changes": [change], "shift": shift},
                    until=until, events_dir=settings.events_dir,
                )  # fmt: skip
            except KanavaError as error:
                _ = gettext(lang)
                if error.field == "shift":
                    errors["phone"] = _("Give shares from 0 to 100 % that add up to 100 %.")
                else:
                    errors["point"] = _("Choose a point of the unit.")
    own = [p for p in network.places if p.own]
    return render(
        request, lang, "manager_scenario.html",
        status_code=422 if errors else 200,
        places=own, values=values, errors=errors, result=result,
        shift_names=shift_names(lang), until=until,
        names={p.id: p.name[lang] for p in network.everywhere},
    )  # fmt: skip


@router.get("/{lang}/manager/network/optimize")
def optimize_page(
    request: Request, lang: LangDep, session: SessionDep, settings: SettingsDep,
    principal: PagePrincipal, now: NowDep,
    p: Annotated[int, Query(ge=1, le=60)] = 0,
    model: Model = Model.PMEDIAN,
    radius: Annotated[float, Query(ge=1, le=200)] = 25,
    keep: bool = False,
) -> Response:  # fmt: skip
    principal.require("manager")
    _ = gettext(lang)
    network = load_network(session, UNIT, now.date())
    own = [pl for pl in network.places if pl.own]
    result = None
    errors: dict[str, str] = {}
    if model is Model.LSCP:
        errors["model"] = _("Choose the p-median or maximal covering.")
    elif p:
        try:
            result = optimize_unit(session, network, p=p, model=model, radius=radius,
                                   keep_current=keep)  # fmt: skip
        except KanavaError:
            errors["p"] = _("Give a number of sites from 1 up to the number of candidates.")
    drawn = ""
    if result is not None:
        chosen = set(result.chosen.sites)
        points = [
            MapPoint(lat, lon, name, "service_point" if j in chosen else "asiointipiste",
                     number)
            for number, (j, (_id, name, lat, lon)) in enumerate(
                ((j, result.candidates[j]) for j in sorted(chosen | set(result.current))),
                start=1,
            )
        ]  # fmt: skip
        areas = demand_areas(session, "postal", network.municipalities)
        drawn = _map(
            points, areas, "optimum-map", _("Chosen sites and today's Kela points"),
            _("Blue: a chosen site; green: a point of today not chosen. Numbers refer to the "
              "table."),
        )  # fmt: skip
    return render(
        request, lang, "manager_optimize.html",
        status_code=422 if errors else 200,
        result=result, map_svg=Markup(drawn), errors=errors,
        values={"p": str(p or len(own)), "model": model.value, "radius": f"{radius:g}",
                "keep": keep},
        current=len(own),
    )  # fmt: skip
