"""`kanava network`: assess, simulate, optimise and brief the service network."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.table import Table

from kanava import clock
from kanava.catalogue.geo import DEFAULT_ROAD_FACTOR
from kanava.cli_support import cli_session, console, print_json, user_errors
from kanava.config import get_settings
from kanava.contacts.charts import LOW_DEMAND
from kanava.errors import InvalidInput
from kanava.i18n import LANGUAGES
from kanava.network import access as access_figures
from kanava.network.matrix import read_costs, read_given, read_weights
from kanava.network.optimize import Method, Model, instance, solve
from kanava.network.places import OWN_KINDS
from kanava.network.service import (
    STATISTICS_NOTE,
    access_json,
    access_unit,
    assess_unit,
    assessment_json,
    compare_with_today,
    entered_figures,
    load_network,
    make_brief,
    outcome_json,
    run_scenario,
    solution_json,
    statistics_until,
    unit_problem,
)
from kanava.timeparse import parse_date
from kanava.web.brief import brief_document, brief_drawings

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
network_app = typer.Typer(
    help="The service network: criteria, scenarios, optimisation.", no_args_is_help=True
)


def _columns(given: list[str], names: tuple[str, ...], field: str) -> list[int]:
    """Candidates given by name or 0-based column index, comma-separated or repeated."""
    found = []
    for item in (part.strip() for text in given for part in text.split(",")):
        if not item:
            continue
        if item in names:
            found.append(names.index(item))
        elif item.isdigit() and int(item) < len(names):
            found.append(int(item))
        else:
            raise InvalidInput(field, f"no candidate named or numbered {item!r}")
    return found


@network_app.command("optimize")
@user_errors
def optimize(
    costs: Annotated[
        Path | None,
        typer.Option(help="CSV: header of candidate names, a row per area (default: the unit)."),
    ] = None,
    unit: UnitOption = "keskinen",
    weights: Annotated[
        Path | None, typer.Option(help="One number per demand area (default: all 1).")
    ] = None,
    p: Annotated[int | None, typer.Option("--p", help="Sites to choose (pmedian, mclp).")] = None,
    model: Annotated[Model, typer.Option(help="pmedian, mclp or lscp.")] = Model.PMEDIAN,
    radius: Annotated[
        float | None, typer.Option(help="Service radius in the matrix's unit (mclp, lscp).")
    ] = None,
    fixed: Annotated[
        list[str] | None, typer.Option(help="Candidates that must stay (names or columns).")
    ] = None,
    forbidden: Annotated[
        list[str] | None, typer.Option(help="Candidates that must go (names or columns).")
    ] = None,
    heuristic: Annotated[
        bool, typer.Option("--heuristic", help="Teitz–Bart only: fast, not proven.")
    ] = False,
    time_limit: Annotated[float, typer.Option(help="Seconds the exact solver may use.")] = 60,
    as_json: JsonFlag = False,
) -> None:
    """Choose sites on a cost matrix: p-median, maximal covering or set covering.

    Without --costs, the unit's own case: its postal areas' people against today's Kela
    points and every municipality centre of the unit (road km), compared with today.
    """
    current: tuple[int, ...] = ()
    if costs is not None:
        matrix = read_costs(costs)
        names, km = matrix.candidates, matrix.costs
        w = read_weights(weights, km.shape[0]) if weights else None
    else:
        with cli_session() as session:
            unit_case = unit_problem(session, load_network(session, unit, clock.today()))
        names = tuple(c[0] for c in unit_case.candidates)
        km, w, current = unit_case.costs, unit_case.weights, unit_case.current
    problem = instance(
        km, w, model=model, p=p, radius=radius,
        fixed=_columns(fixed or [], names, "fixed"),
        forbidden=_columns(forbidden or [], names, "forbidden"),
    )  # fmt: skip
    method = Method.HEURISTIC if heuristic else Method.EXACT
    solution = solve(problem, model, method=method, time_limit=time_limit)
    body = solution_json(solution, names, problem.weights)
    if current and model is not Model.LSCP:
        body["today"], body["chosen"] = compare_with_today(problem, model, current, solution)
        body["today_sites"] = [names[j] for j in current]
    if as_json:
        print_json(body)
        return
    table = Table(title=f"{model.value}: {len(solution.sites)} sites", show_header=False)
    table.add_row("objective", f"{solution.objective:,.6g}")
    for key in ("mean_cost", "covered_share"):
        if key in body:
            table.add_row(key.replace("_", " "), f"{body[key]:,.4g}")
    if "today" in body:
        table.add_row("today's network", f"{body['today']:,.4g}")
    table.add_row(
        "proven optimal" if solution.optimal else "gap",
        "yes" if solution.optimal else f"{solution.gap}",
    )
    table.add_row("build / solve", f"{solution.build_s:.3f} s / {solution.solve_s:.3f} s")
    table.add_row("sites", ", ".join(body["site_names"]))
    console.print(table)


UnitOption = Annotated[str, typer.Option(help="Customer service unit, e.g. keskinen.")]
LangOption = Annotated[str, typer.Option(help="fi, sv or en.")]
LevelOption = Annotated[str, typer.Option(help="Demand areas: postal or municipality.")]
RoadFactorOption = Annotated[float, typer.Option(help="Road km per great-circle km.")]
GivenOption = Annotated[
    Path | None,
    typer.Option(
        "--costs", help="Road km: a CSV with area codes as rows and place ids as columns."
    ),
]


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InvalidInput("lang", "fi, sv or en")
    return lang


@network_app.command("assess")
@user_errors
def assess(
    unit: UnitOption = "keskinen",
    weeks: Annotated[int, typer.Option(help="Full weeks of statistics, up to --until.")] = 52,
    until: Annotated[
        str | None, typer.Option(help="Last day, YYYY-MM-DD (the last day with events).")
    ] = None,
    line: Annotated[float, typer.Option(help="Low demand below this many a week.")] = LOW_DEMAND,
    figure: Annotated[
        list[str] | None, typer.Option(help="POINT=N: customers a week you know better.")
    ] = None,
    lang: LangOption = "en",
    as_json: JsonFlag = False,
) -> None:
    """Every point of a unit against Kela's criterion; low demand first."""
    _lang(lang)
    events = get_settings().events_dir
    with cli_session() as session:
        last = parse_date(until, "until") if until else statistics_until(
            session, events, clock.today()
        )  # fmt: skip
        network = load_network(session, unit, last)
        judged = assess_unit(
            session,
            network,
            until=last,
            weeks=weeks,
            line=line,
            events_dir=events,
            entered=entered_figures(figure or []),
        )
    rows = [assessment_json(a, lang) for a in judged]
    if as_json:
        print_json(
            {
                "unit": unit,
                "until": last.isoformat(),
                "weeks": weeks,
                "line": line,
                "note": STATISTICS_NOTE,
                "points": rows,
            }
        )
        return
    table = Table(
        title=f"{network.unit.name[lang]}: customers a week, {weeks} weeks to "
        f"{last:%d.%m.%Y}, low demand below {line:g}"
    )
    for column in ("point", "kind", "days", "a week", "trend", "judged"):
        table.add_column(
            column, justify="right" if column in ("days", "a week", "trend") else "left"
        )
    for r in rows:
        table.add_row(
            r["name"], r["kind"], str(r["open_days_per_week"] or "–"),
            "–" if r["customers_per_week"] is None else f"{r['customers_per_week']:.1f}",
            "–" if r["trend"] is None else f"{100 * r['trend']:+.0f} %",
            "LOW DEMAND" if r["low_demand"] else "above the line" if r["low_demand"] is False
            else "partner, not judged" if r["kind"] not in OWN_KINDS else "no figure",
        )  # fmt: skip
    console.print(table)
    console.print(STATISTICS_NOTE, style="dim")


@network_app.command("access")
@user_errors
def access(
    unit: UnitOption = "keskinen",
    level: LevelOption = "postal",
    road_factor: RoadFactorOption = DEFAULT_ROAD_FACTOR,
    speed: Annotated[
        float, typer.Option(help="km/h for minutes.")
    ] = access_figures.DEFAULT_SPEED_KMH,
    costs: GivenOption = None,
    lang: LangOption = "en",
    as_json: JsonFlag = False,
) -> None:
    """How far the unit's people live from each kind of personal service."""
    _lang(lang)
    given = read_given(costs) if costs else None
    with cli_session() as session:
        network = load_network(session, unit, clock.today())
        areas, figures, method = access_unit(
            session, network, level=level,
            method=access_figures.DistanceMethod(road_factor, speed), given=given,
        )  # fmt: skip
    places = {p.id: p for p in network.everywhere}
    body = {
        "unit": unit,
        "level": level,
        "areas": len(areas),
        "population": sum(a.population for a in areas),
        "distance": method.describe(),
        "road_factor": method.road_factor,
        "speed_kmh": method.speed_kmh,
        "pairs_from_matrix": method.given_pairs,
        "categories": [access_json(c, places, lang) for c in figures],
    }
    if as_json:
        print_json(body)
        return
    table = Table(
        title=f"{network.unit.name[lang]}: {len(areas)} {level} areas, "
        f"{body['population']:,} people; distance = {method.describe()}, "
        f"{method.speed_kmh:g} km/h"
    )
    for column in ("nearest", "places", "mean km", "median km", "mean min", "≤25 km", "≤50 km"):
        table.add_column(column, justify="left" if column == "nearest" else "right")
    for c in figures:
        table.add_row(
            c.category, str(c.places),
            *("–" if v is None else f"{v:.1f}" for v in (c.mean_km, c.median_km, c.mean_minutes)),
            *(f"{100 * c.within[band]:.0f} %" for band in access_figures.BANDS_KM),
        )  # fmt: skip
    console.print(table)


scenario_app = typer.Typer(help="Scenarios: named sets of changes.", no_args_is_help=True)
network_app.add_typer(scenario_app, name="scenario")


def read_scenario(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput("file", f"no such file: {path}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise InvalidInput("file", f"{path} is not YAML: {error}") from None


@scenario_app.command("run")
@user_errors
def scenario_run(
    file: Annotated[Path, typer.Argument(help="The scenario, YAML.")],
    unit: UnitOption = "keskinen",
    weeks: Annotated[int, typer.Option(help="Full weeks of statistics behind the figures.")] = 52,
    level: LevelOption = "postal",
    road_factor: RoadFactorOption = DEFAULT_ROAD_FACTOR,
    costs: GivenOption = None,
    lang: LangOption = "en",
    as_json: JsonFlag = False,
) -> None:
    """The before/after figures of a scenario."""
    _lang(lang)
    data = read_scenario(file)
    given = read_given(costs) if costs else None
    events = get_settings().events_dir
    with cli_session() as session:
        last = statistics_until(session, events, clock.today())
        network = load_network(session, unit, last)
        result = run_scenario(
            session,
            network,
            data,
            until=last,
            weeks=weeks,
            events_dir=events,
            level=level,
            road_factor=road_factor,
            given=given,
        )
    body = outcome_json(result, lang)
    if as_json:
        print_json(body)
        return
    table = Table(title=f"{body['name']}: before → after", show_header=False)
    table.add_row("customers a week affected", f"{result.customers_affected:.1f}")
    for channel, value in result.moved.items():
        share = result.scenario.shift[channel]
        table.add_row(f"  to {channel.replace('_', ' ')} ({100 * share:.0f} %)", f"{value:.1f}")
    table.add_row("expert days a week freed", f"{result.expert_days_freed:g}")
    table.add_row("extra calls an hour", f"{result.extra_calls_per_hour:.2f}")
    for category, d in result.distance.items():
        km = " → ".join(
            "–" if v is None else f"{v:.1f} km" for v in (d.mean_km_before, d.mean_km_after)
        )
        kind = {"service_point": "Kela point", "any": "place of any kind"}[category]
        table.add_row(f"distance to the nearest {kind} changes for", f"{d.people:,} people")
        table.add_row("  their mean distance", km)
    console.print(table)
    for point in result.days_not_recorded:
        console.print(f"{point}: opening days not recorded, no expert days counted", style="dim")
    console.print(STATISTICS_NOTE, style="dim")


@network_app.command("brief")
@user_errors
def brief(
    point: Annotated[str, typer.Option(help="The point: its id, or e.g. laukaa.")],
    out: Annotated[Path, typer.Option(help="brief.html, or brief.md (maps beside it).")],
    unit: UnitOption = "keskinen",
    weeks: Annotated[int, typer.Option(help="Full weeks of statistics behind the figures.")] = 52,
    lang: LangOption = "fi",
) -> None:
    """The decision brief on one point, as a unit would send it to the municipality."""
    _lang(lang)
    if out.suffix.lower() not in (".html", ".md"):
        raise InvalidInput("out", "give a file name ending in .html or .md")
    events = get_settings().events_dir
    with cli_session() as session:
        last = statistics_until(session, events, clock.today())
        network = load_network(session, unit, last)
        made = make_brief(
            session, network, point, until=last, today=clock.today(), weeks=weeks, events_dir=events
        )
        drawn, trend = brief_drawings(
            session, network.municipalities, made, weeks=weeks, lang=lang, events_dir=events
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".md":
        map_file, trend_file = out.with_suffix(".map.svg"), out.with_suffix(".trend.svg")
        map_file.write_text(drawn, encoding="utf-8")
        trend_file.write_text(trend, encoding="utf-8")
        text = brief_document(
            made, lang, markdown=True, map_file=map_file.name, trend_file=trend_file.name
        )
    else:
        text = brief_document(made, lang, map_svg=drawn, trend_svg=trend)
    out.write_text(text, encoding="utf-8")
    console.print(f"brief on {made.place.name[lang]} written to {out}")


def register(app: typer.Typer) -> None:
    app.add_typer(network_app, name="network")
