"""The manager's statistics: customers a week per point against Kela's criterion, the
weekday × hour pattern and the weekly trend per channel, each chart with its table."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from kanava.contacts.charts import LOW_DEMAND, WEEKDAYS, chart
from kanava.contacts.stats import (
    channel_changes,
    customers_per_week,
    last_week_with_data,
    weekday_hour,
    weekly_series,
)
from kanava.deps import NowDep, SessionDep, SettingsDep
from kanava.timeparse import parse_date
from kanava.web.auth_pages import PagePrincipal
from kanava.web.context import LangDep, gettext
from kanava.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/{lang}/manager/statistics")
def statistics_page(
    request: Request,
    lang: LangDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: PagePrincipal,
    now: NowDep,
    until: Annotated[str, Query(max_length=10)] = "",
    weeks: Annotated[int, Query(ge=4, le=104)] = 52,
) -> Response:
    principal.require("manager")
    events_dir = settings.events_dir
    last = (
        (parse_date(until, "until") if until else None)
        or last_week_with_data(session, events_dir)
        or now.date()
    )
    points = sorted(
        customers_per_week(session, last, weeks, parquet_dir=events_dir), key=lambda p: p.per_week
    )
    _ = gettext(lang)

    def draw(kind: str, chosen: list[str] | None = None) -> Markup:
        return Markup(
            chart(
                session,
                kind,
                until=last,
                weeks=weeks,
                lang=lang,
                parquet_dir=events_dir,
                gettext=_,
                points=chosen,
            )
        )

    counts = weekday_hour(session, last, weeks, events_dir)
    hours = sorted({h for _d, h in counts})
    days = sorted({d for d, _h in counts})
    trend = weekly_series(session, last, weeks, "channel", events_dir)
    return render(
        request,
        lang,
        "manager_statistics.html",
        until=last,
        weeks=weeks,
        points=points,
        criterion=LOW_DEMAND,
        points_chart=draw("points", [p.place_id for p in points[:4]]) if points else "",
        heatmap_chart=draw("heatmap") if counts else "",
        trend_chart=draw("trend") if trend.series else "",
        hours=hours,
        days=days,
        weekday_names=WEEKDAYS[lang].split(),
        counts=counts,
        trend=trend,
        changes=channel_changes(session, last, events_dir),
        values={"until": last.isoformat(), "weeks": str(weeks)},
        errors={},
    )
