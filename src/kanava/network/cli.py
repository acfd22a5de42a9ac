"""`kanava network`: assess, simulate, optimise and brief the service network."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from kanava.cli_support import console, print_json, user_errors
from kanava.errors import InvalidInput
from kanava.network.matrix import read_costs, read_weights
from kanava.network.optimize import Method, Model, Solution, instance, solve

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


@network_app.command("optimize")
@user_errors
def optimize(
    costs: Annotated[Path, typer.Option(help="CSV: header of candidate names, a row per area.")],
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
    """Choose sites on a cost matrix: p-median, maximal covering or set covering."""
    matrix = read_costs(costs)
    areas = matrix.costs.shape[0]
    w = read_weights(weights, areas) if weights else None
    problem = instance(
        matrix.costs, w, model=model, p=p, radius=radius,
        fixed=_columns(fixed or [], matrix.candidates, "fixed"),
        forbidden=_columns(forbidden or [], matrix.candidates, "forbidden"),
    )  # fmt: skip
    method = Method.HEURISTIC if heuristic else Method.EXACT
    solution = solve(problem, model, method=method, time_limit=time_limit)
    body = solution_json(solution, matrix.candidates, problem.weights)
    if as_json:
        print_json(body)
        return
    table = Table(title=f"{model.value}: {len(solution.sites)} sites", show_header=False)
    table.add_row("objective", f"{solution.objective:,.6g}")
    for key in ("mean_cost", "covered_share"):
        if key in body:
            table.add_row(key.replace("_", " "), f"{body[key]:,.4g}")
    table.add_row(
        "proven optimal" if solution.optimal else "gap",
        "yes" if solution.optimal else f"{solution.gap}",
    )
    table.add_row("build / solve", f"{solution.build_s:.3f} s / {solution.solve_s:.3f} s")
    table.add_row("sites", ", ".join(body["site_names"]))
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(network_app, name="network")
