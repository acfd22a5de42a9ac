"""`kanava staffing`: Erlang C/A for one interval, and a week's plan for the phone lines."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer
from rich.table import Table

from kanava import clock
from kanava.cli_support import JsonFlag, cli_session, console, print_json, user_errors
from kanava.staffing import service
from kanava.staffing.plan import Target

staffing_app = typer.Typer(help="Phone-line staffing: Erlang C/A and weekly plans.")


@staffing_app.command("erlang")
@user_errors
def erlang(
    calls: Annotated[float, typer.Option(help="Calls offered in the interval.")],
    interval_min: Annotated[float, typer.Option(help="Interval length in minutes.")] = 60,
    aht_sec: Annotated[float, typer.Option(help="Average handling time, seconds.")] = 300,
    target_sl: Annotated[float, typer.Option(help="Share to answer in time, 0–1.")] = 0.8,
    answer_sec: Annotated[float, typer.Option(help="The answer time of the target.")] = 180,
    patience_sec: Annotated[
        float | None, typer.Option(help="Callers' mean patience: Erlang A instead of C.")
    ] = None,
    shrinkage: Annotated[float, typer.Option(help="Share of paid time off the phones.")] = 0.0,
    max_occupancy: Annotated[float, typer.Option(help="Occupancy cap, 0–1.")] = 1.0,
    as_json: JsonFlag = False,
) -> None:
    """Agents needed for one interval, and what they achieve."""
    result = service.erlang(
        calls=calls,
        interval_min=interval_min,
        aht_sec=aht_sec,
        target_sl=target_sl,
        answer_sec=answer_sec,
        patience_sec=patience_sec,
        shrinkage=shrinkage,
        max_occupancy=max_occupancy,
    )
    if as_json:
        print_json(result)
        return
    table = Table(show_header=False, title=f"{result.model}: {result.load_erlangs:.2f} erlangs")
    for label, value in (
        ("agents on the phones", str(result.agents)),
        (f"staff (shrinkage {result.shrinkage:.0%})", str(result.staff)),
        (f"answered within {result.answer_sec:g} s", f"{result.service_level:.3f}"),
        ("probability of waiting", f"{result.waiting_probability:.3f}"),
        ("occupancy", f"{result.occupancy:.3f}"),
        ("average speed of answer", f"{result.asa_sec:.1f} s"),
        ("abandonment", f"{result.abandonment:.3f}"),
    ):
        table.add_row(label, value)
    console.print(table)


@staffing_app.command("plan")
@user_errors
def plan(
    week: Annotated[
        str | None, typer.Option(help="ISO week, e.g. 2025-W11; next week by default.")
    ] = None,
    line: Annotated[str | None, typer.Option(help="One phone line (id or topic).")] = None,
    target_sl: Annotated[float, typer.Option(help="Share to answer in time, 0–1.")] = 0.8,
    answer_sec: Annotated[float, typer.Option(help="The answer time of the target.")] = 180,
    shrinkage: Annotated[float, typer.Option(help="Share of paid time off the phones.")] = 0.3,
    max_occupancy: Annotated[float, typer.Option(help="Occupancy cap, 0–1.")] = 0.9,
    callback_share: Annotated[
        float, typer.Option(help="Share of peak callers who take a call-back instead.")
    ] = 0.3,
    extra_calls: Annotated[
        float, typer.Option(help="Extra calls a week, e.g. moved to the phone by a scenario.")
    ] = 0.0,
    lang: Annotated[str, typer.Option(help="fi, sv or en for line names.")] = "fi",
    as_json: JsonFlag = False,
) -> None:
    """Experts per line and hour for a week, from the call history before it."""
    if week is None:
        next_week = (clock.today() + timedelta(weeks=1)).isocalendar()
        week = f"{next_week.year}-W{next_week.week:02d}"
    target = Target(
        service_level=target_sl,
        answer_sec=answer_sec,
        shrinkage=shrinkage,
        max_occupancy=max_occupancy,
        callback_share=callback_share,
        extra_calls_per_week=extra_calls,
    )
    with cli_session() as session:
        result = service.plan(session=session, week=week, line=line, target=target, lang=lang)
    if as_json:
        print_json(result)
        return
    table = Table(title=f"Staffing plan {result.week} (synthetic history)")
    for column in ("line", "calls", "peak agents", "with call-backs", "staff-hours", "WAPE"):
        table.add_column(column, justify="left" if column == "line" else "right")
    for line_plan in result.lines:
        table.add_row(
            line_plan.name,
            f"{line_plan.calls:,.0f}",
            str(line_plan.peak_agents),
            str(line_plan.peak_agents_with_callbacks),
            str(line_plan.staff_hours),
            f"{line_plan.backtest_wape:.1%}",
        )
    console.print(table)
    console.print(
        f"target {result.target_sl:.0%} within {result.answer_sec:g} s, shrinkage "
        f"{result.shrinkage:.0%}, occupancy at most {result.max_occupancy:.0%}. {result.note}"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(staffing_app, name="staffing")
