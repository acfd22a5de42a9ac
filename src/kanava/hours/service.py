"""Stored hours rules <-> engine schedules. Only the engine evaluates rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kanava.hours.engine import Rule, Span
from kanava.hours.enums import RuleKind, State
from kanava.hours.models import HoursRule

RuleKey = tuple[str, date | None, date | None, str | None]


def rules_from_rows(rows: Iterable[HoursRule]) -> tuple[Rule, ...]:
    """Group span rows into engine rules, keeping the order they were stored in."""
    grouped: dict[RuleKey, list[Span]] = {}
    for row in sorted(rows, key=lambda r: r.position):
        key = (row.kind, row.valid_from, row.valid_to, row.holiday)
        spans = grouped.setdefault(key, [])
        if row.start_time is not None and row.end_time is not None:
            spans.append(
                Span(
                    row.start_time,
                    row.end_time,
                    State(row.state),
                    frozenset(int(d) for d in row.weekdays),
                    row.ends_next_day,
                )
            )
    return tuple(
        Rule(RuleKind(kind), tuple(spans), valid_from, valid_to, holiday)
        for (kind, valid_from, valid_to, holiday), spans in grouped.items()
    )


def rows_from_rules(channel_id: str, rules: Sequence[Rule]) -> list[HoursRule]:
    """One row per span; a rule without spans becomes one row without times."""
    rows: list[HoursRule] = []
    for rule in rules:
        common = {
            "channel_id": channel_id,
            "kind": rule.kind.value,
            "valid_from": rule.valid_from,
            "valid_to": rule.valid_to,
            "holiday": rule.holiday,
        }
        if not rule.spans:
            rows.append(HoursRule(position=len(rows), state=State.CLOSED.value, **common))
        for span in rule.spans:
            rows.append(
                HoursRule(
                    position=len(rows),
                    weekdays="".join(str(d) for d in sorted(span.weekdays)),
                    start_time=span.start,
                    end_time=span.end,
                    ends_next_day=span.ends_next_day,
                    state=span.state.value,
                    **common,
                )
            )
    return rows


def load_rules(session: Session, channel_ids: Sequence[str]) -> dict[str, tuple[Rule, ...]]:
    """The rules of many channels in one query."""
    rows = session.scalars(select(HoursRule).where(HoursRule.channel_id.in_(channel_ids))).all()
    by_channel: dict[str, list[HoursRule]] = {cid: [] for cid in channel_ids}
    for row in rows:
        by_channel[row.channel_id].append(row)
    return {cid: rules_from_rows(channel_rows) for cid, channel_rows in by_channel.items()}


def replace_rules(session: Session, channel_id: str, rules: Sequence[Rule]) -> bool:
    """Store a channel's loaded rules; returns whether anything changed. Rules entered by
    hand (exception days) stay, after the loaded ones."""
    loaded = rules_from_rows(
        session.scalars(
            select(HoursRule).where(
                HoursRule.channel_id == channel_id, HoursRule.entered_by.is_(None)
            )
        )
    )
    if tuple(rules) == loaded:
        return False
    session.execute(
        delete(HoursRule).where(HoursRule.channel_id == channel_id, HoursRule.entered_by.is_(None))
    )
    session.add_all(rows_from_rules(channel_id, rules))
    return True


def add_entered_rule(session: Session, channel_id: str, rule: Rule, entered_by: str) -> None:
    """Add a rule entered by hand, after every rule the channel has."""
    last = session.scalar(
        select(func.max(HoursRule.position)).where(HoursRule.channel_id == channel_id)
    )
    rows = rows_from_rules(channel_id, [rule])
    for offset, row in enumerate(rows, start=1):
        row.position = (last if last is not None else -1) + offset
        row.entered_by = entered_by
    session.add_all(rows)
