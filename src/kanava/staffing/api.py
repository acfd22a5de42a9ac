"""HTTP routes of staffing: figures only, nothing personal."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kanava.deps import SessionDep
from kanava.staffing import service
from kanava.staffing.plan import Target
from kanava.staffing.schemas import ErlangRead, PlanRead

router = APIRouter(prefix="/api/v1/staffing", tags=["staffing"])
Share = Annotated[float, Query(ge=0, le=1)]
# A line's calls in one interval: from one in a thousand hours to a national peak many
# times over. Outside it the figures mean nothing and Erlang's sums cannot be formed.
MIN_CALLS = 0.001
MAX_CALLS = 100_000
DAY_SECONDS = 24 * 3600
HOUR_SECONDS = 3600


@router.get("/erlang", response_model=ErlangRead, summary="Agents for one interval")
def erlang(
    calls: Annotated[float, Query(ge=MIN_CALLS, le=MAX_CALLS)],
    interval_min: Annotated[float, Query(ge=1, le=24 * 60)] = 60,
    aht_sec: Annotated[float, Query(ge=1, le=2 * HOUR_SECONDS)] = 300,
    target_sl: Annotated[float, Query(gt=0, lt=1)] = 0.8,
    answer_sec: Annotated[float, Query(ge=0, le=DAY_SECONDS)] = 180,
    patience_sec: Annotated[float | None, Query(ge=1, le=HOUR_SECONDS)] = None,
    shrinkage: Annotated[float, Query(ge=0, lt=1)] = 0.0,
    max_occupancy: Annotated[float, Query(ge=0.05, le=1)] = 1.0,
) -> ErlangRead:
    """Erlang C, or Erlang A when callers' mean patience is given."""
    return service.erlang(
        calls=calls,
        interval_min=interval_min,
        aht_sec=aht_sec,
        target_sl=target_sl,
        answer_sec=answer_sec,
        patience_sec=patience_sec,
        shrinkage=shrinkage,
        max_occupancy=max_occupancy,
    )


@router.get("/plan", response_model=PlanRead, summary="A week's staffing plan per line")
def plan(
    session: SessionDep,
    week: Annotated[str, Query(max_length=10, examples=["2025-W11"])],
    line: str | None = None,
    target_sl: Annotated[float, Query(gt=0, lt=1)] = 0.8,
    answer_sec: Annotated[float, Query(ge=0, le=DAY_SECONDS)] = 180,
    shrinkage: Annotated[float, Query(ge=0, lt=1)] = 0.3,
    max_occupancy: Annotated[float, Query(ge=0.05, le=1)] = 0.9,
    callback_share: Share = 0.3,
    extra_calls: Annotated[float, Query(ge=0, le=MAX_CALLS)] = 0.0,
    lang: str = "fi",
) -> PlanRead:
    target = Target(target_sl, answer_sec, shrinkage, max_occupancy, callback_share, extra_calls)
    return service.plan(session=session, week=week, line=line, target=target, lang=lang)
