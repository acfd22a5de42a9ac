"""`kanava network`: assess, simulate, optimise and brief the service network."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from kanava import clock
from kanava.catalogue.geo import DEFAULT_ROAD_FACTOR
from kanava.cli_support import (
    ByOption,
    LangOption,
    _,
    channel_kind_names,
    cli_session,
    console,
    number,
    operator_name,
    print_json,
    print_recorded,
    use_language,
    user_errors,
)
from kanava.errors import InvalidInput, reason
from kanava.network.terms import DEFAULT_SPEED_KMH, LOW_DEMAND, Method, Model

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
            raise InvalidInput(
                field, reason("no candidate named or numbered %(item)s", item=repr(item))
            )
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
        bool,
        typer.Option(
            "--heuristic", help="The swap search only: fast; proven only if its bound meets it."
        ),
    ] = False,
    time_limit: Annotated[float, typer.Option(help="Seconds the exact solver may use.")] = 60,
    as_json: JsonFlag = False,
) -> None:
    """Choose sites on a cost matrix: p-median, maximal covering or set covering.

    Without --costs, the unit's own case: its postal areas' people against today's Kela
    points and every municipality centre of the unit (road km), compared with today.
    """
    from rich.console import Console

    from kanava.network.benders import Progress
    from kanava.network.matrix import read_costs, read_weights
    from kanava.network.optimize import instance, solve
    from kanava.network.service import compare_with_today, load_network, solution_json, unit_problem

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
    with Console(stderr=True).status(_("solving…")) as status:

        def show(step: Progress) -> None:
            status.update(_("bound %(lower)s · best %(upper)s · gap %(gap)s %% · %(nodes)s "
                            "nodes · %(seconds)s s") % {
                "lower": number(step.lower, 1), "upper": number(step.upper, 1),
                "gap": number(100 * step.gap, 3), "nodes": number(step.nodes),
                "seconds": number(step.seconds, 1)})  # fmt: skip

        solution = solve(problem, model, method=method, time_limit=time_limit, progress=show)
    body = solution_json(solution, names, problem.weights)
    if current and model is not Model.LSCP:
        body["today"], body["chosen"] = compare_with_today(problem, model, current, solution)
        body["today_sites"] = [names[j] for j in current]
    if as_json:
        print_json(body)
        return
    model_names = {Model.PMEDIAN: _("p-median"), Model.MCLP: _("maximal covering"),
                   Model.LSCP: _("set covering")}  # fmt: skip
    table = Table(
        title=_("%(model)s: %(n)s sites") % {"model": model_names[model], "n": len(solution.sites)},
        show_header=False,
    )
    table.add_row(_("objective"), number(solution.objective, 2))
    labels = {"mean_cost": _("mean cost"), "covered_share": _("share covered")}
    for key, label in labels.items():
        if key in body:
            table.add_row(label, number(body[key], 4))
    if "today" in body:
        table.add_row(_("today's network"), number(body["today"], 4))
    table.add_row(
        _("proven optimal") if solution.optimal else _("gap"),
        _("yes") if solution.optimal else number(solution.gap or 0, 6),
    )
    table.add_row(
        _("build / solve"), f"{number(solution.build_s, 3)} s / {number(solution.solve_s, 3)} s"
    )
    table.add_row(_("sites"), ", ".join(body["site_names"]))
    console.print(table)


UnitOption = Annotated[str, typer.Option(help="Customer service unit, e.g. keskinen.")]
LevelOption = Annotated[str, typer.Option(help="Demand areas: postal or municipality.")]
RoadFactorOption = Annotated[float, typer.Option(help="Road km per great-circle km.")]
GivenOption = Annotated[
    Path | None,
    typer.Option(
        "--costs", help="Road km: a CSV with area codes as rows and place ids as columns."
    ),
]


def _lang(lang: str | None) -> str:
    return use_language(lang)


def category_names() -> dict[str, str]:
    return {
        "service_point": _("Kela service point"),
        "video": _("video service with Kela"),
        "any": _("any place of personal service"),
    }


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
    lang: LangOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Every point of a unit against Kela's criterion; low demand first."""
    from kanava.config import get_settings
    from kanava.network.places import OWN_KINDS
    from kanava.network.service import (
        assess_unit,
        assessment_json,
        entered_figures,
        load_network,
        statistics_note,
        statistics_until,
    )
    from kanava.timeparse import parse_date

    lang = _lang(lang)
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
                "note": statistics_note(lang),
                "points": rows,
            }
        )
        return
    table = Table(
        title=_("%(unit)s: customers a week, %(weeks)s weeks to %(day)s, low demand below "
                "%(line)s") % {"unit": network.unit.name[lang], "weeks": weeks,
                               "day": f"{last.day}.{last.month}.{last.year}",
                               "line": number(line)}
    )  # fmt: skip
    columns = (_("point"), _("kind"), _("days"), _("a week"), _("trend"), _("judged"))
    for index, column in enumerate(columns):
        table.add_column(column, justify="right" if index in (2, 3, 4) else "left")
    kinds = channel_kind_names()
    for r in rows:
        table.add_row(
            r["name"], kinds.get(r["kind"], r["kind"]), str(r["open_days_per_week"] or "–"),
            "–" if r["customers_per_week"] is None else number(r["customers_per_week"], 1),
            "–" if r["trend"] is None else f"{100 * r['trend']:+.0f} %",
            _("LOW DEMAND") if r["low_demand"] else _("above the line")
            if r["low_demand"] is False else _("partner, not judged")
            if r["kind"] not in OWN_KINDS else _("no figure"),
        )  # fmt: skip
    console.print(table)
    console.print(statistics_note(lang), style="dim")


@network_app.command("access")
@user_errors
def access(
    unit: UnitOption = "keskinen",
    level: LevelOption = "postal",
    road_factor: RoadFactorOption = DEFAULT_ROAD_FACTOR,
    speed: Annotated[float, typer.Option(help="km/h for minutes.")] = DEFAULT_SPEED_KMH,
    costs: GivenOption = None,
    lang: LangOption = None,
    as_json: JsonFlag = False,
) -> None:
    """How far the unit's people live from each kind of personal service."""
    from kanava.network import access as access_figures
    from kanava.network.matrix import read_given
    from kanava.network.service import access_json, access_unit, load_network

    lang = _lang(lang)
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
    level_names = {"postal": _("postal areas"), "municipality": _("municipalities")}
    table = Table(
        title=_("%(unit)s: %(areas)s %(level)s, %(people)s people; distance: the straight-line "
                "distance × %(factor)s, %(speed)s km/h") % {
            "unit": network.unit.name[lang], "areas": len(areas),
            "level": level_names.get(level, level),
            "people": number(sum(a.population for a in areas)),
            "factor": number(method.road_factor, 2), "speed": number(method.speed_kmh)}
    )  # fmt: skip
    columns = (_("nearest"), _("places"), _("mean km"), _("median km"), _("mean min"),
               "≤25 km", "≤50 km")  # fmt: skip
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index == 0 else "right")
    categories = category_names()
    for c in figures:
        table.add_row(
            categories.get(c.category, c.category), str(c.places),
            *("–" if v is None else number(v, 1) for v in (c.mean_km, c.median_km,
                                                            c.mean_minutes)),
            *(f"{100 * c.within[band]:.0f} %" for band in access_figures.BANDS_KM),
        )  # fmt: skip
    console.print(table)


scenario_app = typer.Typer(help="Scenarios: named sets of changes.", no_args_is_help=True)
network_app.add_typer(scenario_app, name="scenario")


def read_scenario(path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput("file", reason("no such file: %(path)s", path=path)) from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise InvalidInput(
            "file", reason("%(path)s is not YAML: %(error)s", path=path, error=error)
        ) from None


@scenario_app.command("run")
@user_errors
def scenario_run(
    file: Annotated[Path, typer.Argument(help="The scenario, YAML.")],
    unit: UnitOption = "keskinen",
    weeks: Annotated[int, typer.Option(help="Full weeks of statistics behind the figures.")] = 52,
    level: LevelOption = "postal",
    road_factor: RoadFactorOption = DEFAULT_ROAD_FACTOR,
    costs: GivenOption = None,
    lang: LangOption = None,
    as_json: JsonFlag = False,
) -> None:
    """The before/after figures of a scenario."""
    from kanava.config import get_settings
    from kanava.network.matrix import read_given
    from kanava.network.service import (
        load_network,
        outcome_json,
        run_scenario,
        statistics_note,
        statistics_until,
    )

    lang = _lang(lang)
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
    table = Table(title=_("%(name)s: before → after") % {"name": body["name"]},
                  show_header=False)  # fmt: skip
    table.add_row(_("customers a week affected"), number(result.customers_affected, 1))
    shifts = {"phone": _("phone service and phone appointments"),
              "nearest_point": _("the nearest Kela service point"),
              "video": _("video service at a joint service point")}  # fmt: skip
    for channel, value in result.moved.items():
        share = result.scenario.shift[channel]
        table.add_row(f"  → {shifts.get(channel, channel)} ({100 * share:.0f} %)",
                      number(value, 1))  # fmt: skip
    table.add_row(_("expert days a week freed"), number(result.expert_days_freed, 1))
    table.add_row(
        _("extra calls an hour (over %(hours)s open hours a week)")
        % {"hours": number(result.phone_hours_a_week, 1)},
        number(result.extra_calls_per_hour, 2),
    )
    nearest_kind = {"service_point": _("distance to the nearest Kela point changes for"),
                    "any": _("distance to the nearest place of any kind changes for")}  # fmt: skip
    for category, d in result.distance.items():
        km = " → ".join(
            "–" if v is None else f"{number(v, 1)} km" for v in (d.mean_km_before, d.mean_km_after)
        )
        table.add_row(nearest_kind[category], _("%(n)s people") % {"n": number(d.people)})
        table.add_row("  " + _("their mean distance"), km)
    console.print(table)
    names = {p.id: p.name[lang] for p in network.everywhere}
    for point in result.days_not_recorded:
        console.print(
            _("%(point)s: its opening days are not recorded, so no expert days are counted for it.")
            % {"point": names.get(point, point)},
            style="dim",
        )
    console.print(statistics_note(lang), style="dim")


@network_app.command("brief")
@user_errors
def brief(
    point: Annotated[str, typer.Option(help="The point: its id, or e.g. laukaa.")],
    out: Annotated[Path, typer.Option(help="brief.html, or brief.md (maps beside it).")],
    unit: UnitOption = "keskinen",
    weeks: Annotated[int, typer.Option(help="Full weeks of statistics behind the figures.")] = 52,
    lang: LangOption = None,
) -> None:
    """The decision brief on one point, as a unit would send it to the municipality."""
    from kanava.config import get_settings
    from kanava.network.service import load_network, make_brief, statistics_until
    from kanava.web.brief import brief_document, brief_drawings

    lang = _lang(lang)
    if out.suffix.lower() not in (".html", ".md"):
        raise InvalidInput("out", reason("give a file name ending in .html or .md"))
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
    console.print(
        _("brief on %(point)s written to %(file)s") % {"point": made.place.name[lang], "file": out}
    )


@network_app.command("brief-edit")
@user_errors
def brief_edit(
    point: Annotated[str, typer.Option(help="The point: its id, or e.g. laukaa.")],
    unit: UnitOption = "keskinen",
    proposal_fi: Annotated[str | None, typer.Option(help="The proposal in Finnish.")] = None,
    proposal_sv: Annotated[str | None, typer.Option(help="The proposal in Swedish.")] = None,
    proposal_en: Annotated[str | None, typer.Option(help="The proposal in English.")] = None,
    partner: Annotated[
        list[str] | None, typer.Option(help="A partner to consult; repeat for each.")
    ] = None,
    effective: Annotated[
        str | None, typer.Option(help="The change takes effect, 1.9.2025.")
    ] = None,
    announce_by: Annotated[str | None, typer.Option(help="Announce by (a working day).")] = None,
    review: Annotated[str | None, typer.Option(help="Review on (a working day).")] = None,
    figure: Annotated[
        str | None, typer.Option(help="The unit's own count of customers a week.")
    ] = None,
    figure_source: Annotated[str | None, typer.Option(help="Where the count comes from.")] = None,
    clear: Annotated[
        list[str] | None,
        typer.Option(help="A field to return to what kanava computes, e.g. partners."),
    ] = None,
    by: ByOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Edit the brief on a point: the proposal, partners, dates and the unit's own figure;
    every change is recorded (who, when)."""
    from kanava.config import get_settings
    from kanava.network.service import edit_brief, load_network, statistics_until
    from kanava.timeparse import parse_date

    changes: dict[str, str | None] = {
        field: value
        for field, value in (("proposal_fi", proposal_fi), ("proposal_sv", proposal_sv),
                             ("proposal_en", proposal_en), ("own_figure", figure),
                             ("own_figure_source", figure_source))
        if value is not None
    }  # fmt: skip
    if partner:
        changes["partners"] = "\n".join(partner)
    for field, value in (("effective", effective), ("announce_by", announce_by),
                         ("review", review)):  # fmt: skip
        if value is not None:
            changes[field] = parse_date(value, "--" + field.replace("_", "-")).isoformat()
    for field in clear or []:
        changes[field.replace("-", "_")] = None
    with cli_session(write=True) as session:
        last = statistics_until(session, get_settings().events_dir, clock.today())
        network = load_network(session, unit, last)
        recorded = edit_brief(session=session, network=network, point=point, changes=changes,
                              by=operator_name(by), now=clock.now())  # fmt: skip
    print_recorded(recorded, as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(network_app, name="network")
