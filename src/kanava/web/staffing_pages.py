"""The manager's staffing page: a week's experts per phone line and hour, from the call
history, with and without call-backs absorbing the peaks."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from kanava.deps import NowDep, SessionDep
from kanava.errors import KanavaError
from kanava.staffing import service
from kanava.staffing.plan import Target
from kanava.staffing.schemas import LinePlanRead, PlanHourRead
from kanava.svg import Series, column_chart
from kanava.web.auth_pages import PagePrincipal
from kanava.web.context import LangDep, gettext
from kanava.web.render import environment, render

router = APIRouter(include_in_schema=False)


def _chart(line: LinePlanRead, lang: str) -> Markup:
    _ = gettext(lang)
    short_day = environment(lang).filters["short_day"]
    groups, seen = [], set()
    for index, hour in enumerate(line.hours):
        if hour.day not in seen:
            seen.add(hour.day)
            groups.append((index, short_day(hour.day)))
    return Markup(
        column_chart(
            [f"{short_day(h.day)} {h.hour}" for h in line.hours],
            [
                Series(_("Experts needed"), tuple(h.agents for h in line.hours), "#003f7d"),
                Series(
                    _("With call-backs"),
                    tuple(h.agents_with_callbacks for h in line.hours),
                    "#1d6b32",
                ),
            ],
            groups=groups,
            title=_("Experts on the phones per hour: %(line)s") % {"line": line.name},
            description=_(
                "Columns per hour of the week: experts needed without and with call-backs; "
                "the same figures are in the table below."
            ),
            id_prefix="staffing",
        )
    )


@router.get("/{lang}/manager/staffing")
def staffing_page(
    request: Request,
    lang: LangDep,
    session: SessionDep,
    principal: PagePrincipal,
    now: NowDep,
    week: Annotated[str, Query(max_length=10)] = "",
    line: Annotated[str, Query(max_length=60)] = "",
    target_pct: Annotated[float, Query(gt=0, lt=100)] = 80,
    answer_sec: Annotated[float, Query(ge=0, le=3600)] = 180,
    shrinkage_pct: Annotated[float, Query(ge=0, lt=100)] = 30,
    callback_pct: Annotated[float, Query(ge=0, le=100)] = 30,
    extra_calls: Annotated[float, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    principal.require("manager")
    if not week:
        following = (now + timedelta(weeks=1)).isocalendar()
        week = f"{following.year}-W{following.week:02d}"
    values = {
        "week": week,
        "line": line,
        "target_pct": f"{target_pct:g}",
        "answer_sec": f"{answer_sec:g}",
        "shrinkage_pct": f"{shrinkage_pct:g}",
        "callback_pct": f"{callback_pct:g}",
        "extra_calls": f"{extra_calls:g}",
    }
    target = Target(
        service_level=target_pct / 100,
        answer_sec=answer_sec,
        shrinkage=shrinkage_pct / 100,
        callback_share=callback_pct / 100,
        extra_calls_per_week=extra_calls,
    )
    try:
        plan = service.plan(session=session, week=week, target=target, lang=lang)
    except KanavaError:
        _ = gettext(lang)
        return render(
            request,
            lang,
            "manager_staffing.html",
            status_code=422,
            plan=None,
            values=values,
            errors={"week": _("Give a week in the form 2025-W11 that the call history reaches.")},
        )
    chosen = next((p for p in plan.lines if p.line == line), plan.lines[0])
    days = sorted({h.day for h in chosen.hours})
    cells: dict[int, dict[date, PlanHourRead]] = defaultdict(dict)
    for hour in chosen.hours:
        cells[hour.hour][hour.day] = hour
    rows = [(hour, [cells[hour].get(day) for day in days]) for hour in sorted(cells)]
    return render(
        request,
        lang,
        "manager_staffing.html",
        plan=plan,
        chosen=chosen,
        chart=_chart(chosen, lang),
        days=days,
        rows=rows,
        values={**values, "line": chosen.line},
        errors={},
    )
