"""`kanava staffing`: Erlang C/A for one interval, and a week's plan for the phone lines."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer
from rich.table import Table

from kanava import clock
from kanava.cli_support import (
    JsonFlag,
    LangOption,
    _,
    cli_session,
    console,
    number,
    print_json,
    use_language,
    user_errors,
)

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
    from kanava.staffing import service

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
    table = Table(
        show_header=False,
        title=_("%(model)s: %(load)s erlangs")
        % {"model": result.model, "load": number(result.load_erlangs, 2)},
    )
    for label, value in (
        (_("agents on the phones"), str(result.agents)),
        (_("staff (shrinkage %(share)s %%)") % {"share": number(100 * result.shrinkage)},
         str(result.staff)),
        (_("answered within %(sec)s s") % {"sec": number(result.answer_sec)},
         number(result.service_level, 3)),
        (_("probability of waiting"), number(result.waiting_probability, 3)),
        (_("occupancy"), number(result.occupancy, 3)),
        (_("average speed of answer"), f"{number(result.asa_sec, 1)} s"),
        (_("abandonment"), number(result.abandonment, 3)),
    ):  # fmt: skip
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
    lang: LangOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Experts per line and hour for a week, from the call history before it."""
    from kanava.staffing import service
    from kanava.staffing.plan import Target

    lang = use_language(lang)
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
    table = Table(title=_("Staffing plan %(week)s (synthetic history)") % {"week": result.week})
    columns = (_("line"), _("calls"), _("peak agents"), _("with call-backs"),
               _("staff-hours"), "WAPE")  # fmt: skip
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index == 0 else "right")
    for line_plan in result.lines:
        table.add_row(
            line_plan.name,
            number(line_plan.calls),
            str(line_plan.peak_agents),
            str(line_plan.peak_agents_with_callbacks),
            number(line_plan.staff_hours),
            f"{number(100 * line_plan.backtest_wape, 1)} %",
        )
    console.print(table)
    console.print(
        _("target %(target)s %% within %(sec)s s, shrinkage %(shrinkage)s %%, occupancy at most "
          "%(occupancy)s %%.") % {
            "target": number(100 * result.target_sl), "sec": number(result.answer_sec),
            "shrinkage": number(100 * result.shrinkage),
            "occupancy": number(100 * result.max_occupancy)}
        + " " + _("The forecast is made from the call history stored in kanava; the shipped "
                  "history is synthetic.")
    )  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(staffing_app, name="staffing")
