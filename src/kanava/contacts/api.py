"""HTTP routes of the contact statistics: figures only, nothing personal."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from kanava.bounds import Day, YearNumber
from kanava.contacts.stats import channel_totals, customers_per_week, last_week_with_data
from kanava.deps import NowDep, SessionDep, SettingsDep
from kanava.i18n import pick_lang
from kanava.network.places import unit_place_ids

router = APIRouter(prefix="/api/v1/stats", tags=["statistics"])


@router.get("/channels", summary="Yearly volume per channel, each in its unit")
def channels(session: SessionDep, year: YearNumber = 2024, lang: str = "fi") -> dict[str, Any]:
    return {
        "year": year,
        "channels": [
            {
                "series": t.series,
                "label": pick_lang(t, "label", lang),
                "value": t.value,
                "unit": t.unit,
                "approximate": t.approximate,
                "provenance": t.provenance,
                "source": t.source,
            }
            for t in channel_totals(session, year)
        ],
    }


@router.get("/points", summary="Customers a week per point")
def points(
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    weeks: Annotated[int, Query(ge=1, le=520)] = 52,
    until: Day | None = None,
    unit: Annotated[str | None, Query(max_length=60)] = None,
) -> dict[str, Any]:
    """Full Helsinki ISO weeks up to ``until`` (the latest event by default); with
    ``unit``, the active places of that customer service unit only."""
    last = until or last_week_with_data(session, settings.events_dir) or now.date()
    chosen = unit_place_ids(session, unit) if unit else None
    figures = customers_per_week(session, last, weeks, chosen, settings.events_dir)
    return {
        "weeks": weeks,
        "until": last.isoformat(),
        "unit": unit,
        "low_demand_below": 100,
        "points": [f.__dict__ for f in figures],
    }
