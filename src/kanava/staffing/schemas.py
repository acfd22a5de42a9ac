"""API and CLI shapes of staffing."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from kanava.schemas import KanavaSchema


class ErlangRead(KanavaSchema):
    model: str = Field(description="erlang_c, or erlang_a when callers' patience is given")
    calls: float
    interval_min: float
    aht_sec: float
    load_erlangs: float
    target_sl: float
    answer_sec: float
    agents: int = Field(description="Agents on the phones")
    staff: int = Field(description="People to roster after shrinkage")
    shrinkage: float
    service_level: float
    waiting_probability: float
    occupancy: float
    asa_sec: float
    abandonment: float


class PlanHourRead(KanavaSchema):
    day: date
    hour: int
    calls: float
    aht_sec: float
    agents: int
    staff: int
    calls_with_callbacks: float
    agents_with_callbacks: int
    staff_with_callbacks: int


class LinePlanRead(KanavaSchema):
    line: str
    name: str
    calls: float
    backtest_weeks: list[date]
    backtest_wape: float = Field(description="Error of the forecast on held-out weeks")
    peak_agents: int
    peak_agents_with_callbacks: int
    staff_hours: int
    staff_hours_with_callbacks: int
    hours: list[PlanHourRead]


class PlanRead(KanavaSchema):
    week: str
    first_day: date
    target_sl: float
    answer_sec: float
    shrinkage: float
    max_occupancy: float
    callback_share: float
    extra_calls_per_week: float
    provenance: str
    note: str
    lines: list[LinePlanRead]
