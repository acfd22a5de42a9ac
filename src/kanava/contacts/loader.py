"""Store the synthetic call history of the phone lines (an idempotent upsert by hour)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kanava.catalogue.loader import TableReport
from kanava.catalogue.models import Channel
from kanava.catalogue.service import schedules_of
from kanava.clock import HELSINKI as ZONE
from kanava.contacts.models import CallInterval
from kanava.contacts.synthetic_calls import CallPattern, LineProfile, generate
from kanava.data import read_yaml
from kanava.hours.calendar import holiday_on
from kanava.hours.engine import whole_hours

HISTORY_WEEKS = 60


def is_working_day(day: date) -> bool:
    return day.isoweekday() <= 5 and holiday_on(day) is None


def read_pattern() -> tuple[CallPattern, list[dict[str, Any]]]:
    document = read_yaml("seed/call_history.yaml")
    pattern = CallPattern(
        yearly_calls=float(document["yearly_calls"]),
        calibration_year=int(document["calibration_year"]),
        seed=int(document["seed"]),
        abandonment_rate=float(document["abandonment_rate"]),
        weekday_factors=tuple(document["weekday_factors"]),
        hour_factors={int(h): float(f) for h, f in document["hour_factors"].items()},
        month_factors=tuple(document["month_factors"]),
        month_turn_factor=float(document["month_turn_factor"]),
    )
    return pattern, document["lines"]


def line_profiles(session: Session, entries: list[dict[str, Any]]) -> list[LineProfile]:
    """Each line with the hours it is open on an ordinary Monday (from its rules)."""
    ids = [entry["channel"] for entry in entries]
    schedules = schedules_of(
        session, list(session.scalars(select(Channel).where(Channel.id.in_(ids))))
    )
    ordinary_monday = date(2024, 1, 8)
    return [
        LineProfile(
            entry["channel"],
            float(entry["share"]),
            float(entry["aht_sec"]),
            whole_hours(schedules[entry["channel"]], ordinary_monday),
        )
        for entry in entries
    ]


def history_window(now: datetime) -> tuple[date, date]:
    """From about sixty weeks back to the last Sunday before today."""
    today = now.astimezone(ZONE).date()
    last = today - timedelta(days=today.isoweekday())
    return last - timedelta(weeks=HISTORY_WEEKS) + timedelta(days=1), last


def load_call_history(session: Session, first: date, last: date) -> TableReport:
    """Add the synthetic hours of the window that are not stored yet; change none."""
    pattern, entries = read_pattern()
    rows = list(generate(line_profiles(session, entries), pattern, first, last, is_working_day))
    report = TableReport()
    if not rows:
        return report
    earliest = min(row.starts_at for row in rows)
    stored = {
        (channel, starts)
        for channel, starts in session.execute(
            select(CallInterval.channel_id, CallInterval.starts_at).where(
                CallInterval.starts_at >= earliest
            )
        )
    }
    fresh = [row for row in rows if (row.channel, row.starts_at) not in stored]
    if fresh:
        session.execute(
            insert(CallInterval),
            [
                {
                    "channel_id": row.channel,
                    "starts_at": row.starts_at,
                    "minutes": 60,
                    "offered": row.offered,
                    "answered": row.answered,
                    "abandoned": row.abandoned,
                    "handling_seconds": row.handling_seconds,
                    "provenance": "synthetic",
                }
                for row in fresh
            ],
        )
    report.created, report.unchanged = len(fresh), len(rows) - len(fresh)
    return report
