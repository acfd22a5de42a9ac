"""Staffing from the stored call history: the queries, and the pure parts put together."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.catalogue.enums import ChannelKind
from kanava.catalogue.models import Channel
from kanava.catalogue.service import schedules_of
from kanava.clock import HELSINKI as ZONE
from kanava.contacts.models import CallInterval
from kanava.errors import InvalidInput, NotFound, reason
from kanava.hours.engine import Schedule, whole_hours
from kanava.i18n import pick_lang
from kanava.staffing.erlang import RefusedFigure, requirement
from kanava.staffing.forecast import HourObservation, backtest, forecast_week, iso_monday
from kanava.staffing.plan import Target, plan_week
from kanava.staffing.schemas import ErlangRead, LinePlanRead, PlanHourRead, PlanRead

HISTORY_WEEKS = 60


def erlang(
    *,
    calls: float,
    interval_min: float,
    aht_sec: float,
    target_sl: float,
    answer_sec: float,
    patience_sec: float | None = None,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
) -> ErlangRead:
    try:
        needed = requirement(
            calls=calls,
            interval_sec=interval_min * 60,
            aht_sec=aht_sec,
            target_sl=target_sl,
            answer_sec=answer_sec,
            shrinkage=shrinkage,
            max_occupancy=max_occupancy,
            patience_sec=patience_sec,
        )
    except RefusedFigure as error:
        raise InvalidInput(error.field, error.why) from None
    result = needed.performance
    return ErlangRead(
        model="erlang_c" if patience_sec is None else "erlang_a",
        calls=calls,
        interval_min=interval_min,
        aht_sec=aht_sec,
        load_erlangs=calls * aht_sec / (interval_min * 60),
        target_sl=target_sl,
        answer_sec=answer_sec,
        agents=needed.agents,
        staff=needed.staff,
        shrinkage=shrinkage,
        service_level=float(result.service_level),
        waiting_probability=float(result.waiting_probability),
        occupancy=float(result.occupancy),
        asa_sec=float(result.asa_sec),
        abandonment=float(result.abandonment),
    )


def _history(session: Session, line: str, before: date) -> list[HourObservation]:
    rows = session.execute(
        select(
            CallInterval.starts_at,
            CallInterval.offered,
            CallInterval.handling_seconds,
            CallInterval.answered,
        ).where(
            CallInterval.channel_id == line,
            CallInterval.starts_at >= _midnight(before - timedelta(weeks=HISTORY_WEEKS)),
            CallInterval.starts_at < _midnight(before),
        )
    )
    observations = []
    for starts, offered, seconds, answered in rows:
        local = starts.astimezone(ZONE)
        observations.append(HourObservation(local.date(), local.hour, offered, seconds, answered))
    return observations


def _last_full_week(history: list[HourObservation], monday: date) -> date:
    """The Monday of the last week before ``monday`` whose working days are all recorded."""
    latest = max(o.day for o in history)
    last = latest - timedelta(days=latest.weekday())
    if latest.weekday() < 4:  # that week has not run to its Friday
        last -= timedelta(weeks=1)
    return min(last, monday - timedelta(weeks=1))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZONE)


def _lines(session: Session, line: str | None) -> list[Channel]:
    query = select(Channel).where(Channel.kind == ChannelKind.PHONE_LINE).order_by(Channel.id)
    lines = list(session.scalars(query))
    if line is None:
        return lines
    chosen = [c for c in lines if line in (c.id, c.topic_id)]
    if not chosen:
        raise NotFound("line", line, [c.id for c in lines])
    return chosen


def plan(
    *, session: Session, week: str, line: str | None = None, target: Target, lang: str = "fi"
) -> PlanRead:
    """Next week's (or any week's) experts per line and hour, from the history before it."""
    try:
        monday = iso_monday(week)
    except RefusedFigure as error:
        raise InvalidInput("week", error.why) from None
    if not 0 < target.service_level < 1:
        raise InvalidInput("target_sl", reason("must be between 0 and 1"))
    if not 0 <= target.shrinkage < 1:
        raise InvalidInput("shrinkage", reason("must be at least 0 and below 1"))
    if not 0 <= target.callback_share <= 1:
        raise InvalidInput("callback_share", reason("must be between 0 and 1"))
    if target.extra_calls_per_week < 0:
        raise InvalidInput("extra_calls", reason("must be at least 0"))
    channels = _lines(session, line)
    schedules = schedules_of(session, channels)
    extra_each = target.extra_calls_per_week / len(channels)
    reads = []
    for channel in channels:
        history = _history(session, channel.id, monday)
        if not history:
            raise InvalidInput(
                "week",
                reason("no call history of %(id)s before %(monday)s", id=channel.id, monday=monday),
            )
        schedule = schedules[channel.id]

        def hours_of(day: date, schedule: Schedule = schedule) -> tuple[int, ...]:
            return whole_hours(schedule, day)

        forecast = forecast_week(history, monday, hours_of)
        line_target = replace(target, extra_calls_per_week=extra_each)
        try:
            planned = plan_week(forecast, line_target)
        except RefusedFigure as error:  # a target no number of agents can meet
            raise InvalidInput(error.field, error.why) from None
        checked = backtest(history, _last_full_week(history, monday), hours_of)
        reads.append(
            LinePlanRead(
                line=channel.id,
                name=pick_lang(channel, "name", lang) or channel.id,
                calls=round(sum(h.calls for h in planned), 1),
                backtest_weeks=checked.weeks,
                backtest_wape=round(checked.wape, 4),
                peak_agents=max((h.agents for h in planned), default=0),
                peak_agents_with_callbacks=max(
                    (h.agents_with_callbacks for h in planned), default=0
                ),
                staff_hours=sum(h.staff for h in planned),
                staff_hours_with_callbacks=sum(h.staff_with_callbacks for h in planned),
                hours=[PlanHourRead.model_validate(h, from_attributes=True) for h in planned],
            )
        )
    return PlanRead(
        week=f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}",
        first_day=monday,
        target_sl=target.service_level,
        answer_sec=target.answer_sec,
        shrinkage=target.shrinkage,
        max_occupancy=target.max_occupancy,
        callback_share=target.callback_share,
        extra_calls_per_week=target.extra_calls_per_week,
        provenance="synthetic",
        note=(
            "Forecast from the synthetic call history shipped with kanava (only the yearly "
            "total of about 1.9 million calls is Kela's); Erlang C per hour."
        ),
        lines=reads,
    )
