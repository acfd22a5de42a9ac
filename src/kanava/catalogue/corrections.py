"""A manager's corrections to the catalogue: a point's address, hours and status, a unit's
figures, and exception days (closures, shortened days) of any channel.

Every correction is recorded (who, when, the value before) and outlives a reload of the
shipped data: `reapply` runs after every load, newest correction of each field last.
Bad input is refused naming the field, and nothing is stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.catalogue.enums import ChannelStatus
from kanava.catalogue.models import Channel, Correction, OrgUnit
from kanava.catalogue.records import weekly_rules
from kanava.errors import InvalidInput, NotFound, not_one_of, reason
from kanava.hours.engine import Rule, RuleError, Span
from kanava.hours.enums import RuleKind, State
from kanava.hours.service import add_entered_rule, replace_rules

CHANNEL_FIELDS = ("street_address", "postal_code", "post_office", "status", "status_date",
                  "hours")  # fmt: skip
UNIT_FIGURES = ("staff", "service_points", "asiointipisteet", "lahipalvelupisteet")
STATUSES = tuple(s.value for s in ChannelStatus)
_SPAN = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*[-–]\s*(\d{1,2})(?:[:.](\d{2}))?", re.ASCII)


@dataclass(frozen=True)
class Recorded:
    target: str
    target_id: str
    field: str
    old_value: str | None
    new_value: str | None
    changed_by: str
    changed_at: datetime


def _recorded(row: Correction) -> Recorded:
    return Recorded(row.target, row.target_id, row.field, row.old_value, row.new_value,
                    row.changed_by, row.changed_at)  # fmt: skip


def _channel(session: Session, channel_id: str) -> Channel:
    channel = session.get(Channel, channel_id)
    if channel is None:
        raise NotFound("channel", channel_id, session.scalars(select(Channel.id)).all())
    return channel


def _check_channel_value(field: str, value: str | None) -> str | None:
    """The value to store, or InvalidInput naming the field and the reason."""
    text = value.strip() if value is not None else None
    if field not in CHANNEL_FIELDS:
        raise not_one_of("field", field, CHANNEL_FIELDS)
    if field == "postal_code" and text and not (text.isascii() and text.isdigit()
                                                and len(text) == 5):  # fmt: skip
        raise InvalidInput("postal_code", reason("%(text)s is not five digits", text=repr(text)))
    if field == "status" and text not in STATUSES:
        raise InvalidInput(
            "status",
            reason("%(text)s is not one of %(join)s", text=repr(text), join=", ".join(STATUSES)),
        )
    if field == "status_date" and text:
        try:
            date.fromisoformat(text)
        except ValueError:
            raise InvalidInput(
                "status_date", reason("%(text)s is not a date YYYY-MM-DD", text=repr(text))
            ) from None
    if field == "hours" and text:
        try:
            weekly_rules(text)
        except RuleError as error:
            raise InvalidInput("hours", error.why) from None
    if text is not None and len(text) > 200:
        raise InvalidInput(field, reason("at most 200 characters"))
    return text or None


def _current(channel: Channel, field: str) -> str | None:
    if field == "hours":
        return None  # the loaded rules; the correction replaces them
    value = getattr(channel, field)
    return None if value is None else str(value)


def _apply_channel(session: Session, channel: Channel, field: str, value: str | None) -> None:
    if field == "hours":
        replace_rules(session, channel.id, weekly_rules(value) if value else ())
    else:
        setattr(channel, field, value)


def correct_channel(
    *, session: Session, channel_id: str, changes: dict[str, str | None], by: str, now: datetime
) -> list[Recorded]:
    """Correct fields of a channel; each change is recorded. A point closed or replaced
    needs the date it happens (status_date): it serves customers until that day."""
    channel = _channel(session, channel_id)
    if not changes:
        raise InvalidInput("changes", reason("give at least one field to correct"))
    checked = {field: _check_channel_value(field, value) for field, value in changes.items()}
    status = checked.get("status", channel.status)
    if status != ChannelStatus.ACTIVE and not checked.get("status_date", channel.status_date):
        raise InvalidInput(
            "status_date", reason("a %(status)s point needs the date it happens", status=status)
        )
    recorded = []
    for field, value in checked.items():
        row = Correction(target="channel", target_id=channel.id, field=field,
                         old_value=_current(channel, field), new_value=value, changed_by=by,
                         changed_at=now)  # fmt: skip
        _apply_channel(session, channel, field, value)
        session.add(row)
        recorded.append(row)
    channel.modified_at = now
    session.flush()
    return [_recorded(row) for row in recorded]


def correct_unit(
    *, session: Session, unit_id: str, figures: Mapping[str, int | None], by: str, now: datetime
) -> list[Recorded]:
    """Set a unit's figures (staff, numbers of points) that no source gave; recorded."""
    unit = session.get(OrgUnit, unit_id)
    if unit is None:
        raise NotFound("unit", unit_id, session.scalars(select(OrgUnit.id)).all())
    if not figures:
        raise InvalidInput(
            "figures", reason("give at least one of %(join)s", join=", ".join(UNIT_FIGURES))
        )
    for name, value in figures.items():
        if name not in UNIT_FIGURES:
            raise InvalidInput(name, reason("not one of %(join)s", join=", ".join(UNIT_FIGURES)))
        if value is not None and not 0 <= value <= 100_000:
            raise InvalidInput(name, reason("a whole number from 0 to 100000"))
    current = dict(unit.figures or {})
    recorded = []
    for name, value in figures.items():
        old = current.get(name)
        row = Correction(target="unit", target_id=unit.id, field=name,
                         old_value=None if old is None else str(old),
                         new_value=None if value is None else str(value), changed_by=by,
                         changed_at=now)  # fmt: skip
        current[name] = value
        session.add(row)
        recorded.append(row)
    unit.figures = current
    session.flush()
    return [_recorded(row) for row in recorded]


def exception_rule(first: date, last: date, hours: str | None) -> Rule:
    """The rule of an exception: closed (``hours`` None) or open in the spans given
    ("9-12", "9.00-12.00", "9:00–12:00, 13:00–15:00")."""
    if last < first:
        raise InvalidInput("to", reason("the last day is before the first"))
    if (last - first).days > 366:
        raise InvalidInput("to", reason("at most a year of exception days at once"))
    spans = []
    for part in (hours or "").split(","):
        if not part.strip():
            continue
        found = _SPAN.fullmatch(part.strip())
        if not found:
            raise InvalidInput(
                "hours", reason("%(strip)s is not a span like 9.00-12.00", strip=repr(part.strip()))
            )
        h1, m1, h2, m2 = (int(g or 0) for g in found.groups())
        try:
            start, end = time(h1, m1), time(0) if (h2, m2) == (24, 0) else time(h2, m2)
        except ValueError:
            raise InvalidInput(
                "hours", reason("%(strip)s is not a time of day", strip=repr(part.strip()))
            ) from None
        if end <= start and end != time(0):
            raise InvalidInput(
                "hours", reason("%(strip)s ends before it starts", strip=repr(part.strip()))
            )
        spans.append(Span(start, end, State.OPEN))
    return Rule(RuleKind.EXCEPTION, tuple(spans), first, last)


def add_exception(
    *,
    session: Session,
    channel_id: str,
    first: date,
    last: date,
    hours: str | None,
    by: str,
    now: datetime,
) -> Recorded:
    """Record an exception (a closure, a shortened day) of a channel, for any kind of
    channel; it outranks the regular hours and holidays on its days."""
    channel = _channel(session, channel_id)
    rule = exception_rule(first, last, hours)
    add_entered_rule(session, channel.id, rule, entered_by=by)
    text = f"{first.isoformat()}..{last.isoformat()} " + (hours or "closed")
    row = Correction(target="channel", target_id=channel.id, field="exception", old_value=None,
                     new_value=text, changed_by=by, changed_at=now)  # fmt: skip
    session.add(row)
    channel.modified_at = now
    session.flush()
    return _recorded(row)


def latest_values(*, session: Session, target: str, target_id: str) -> dict[str, str]:
    """The newest recorded value of each field of a target kept only as corrections (a
    brief's edits); a field whose newest value is empty is left out."""
    query = (
        select(Correction)
        .where(Correction.target == target, Correction.target_id == target_id)
        .order_by(Correction.changed_at, Correction.id)
    )
    values: dict[str, str | None] = {}
    for row in session.scalars(query):
        values[row.field] = row.new_value
    return {field: value for field, value in values.items() if value is not None}


def record_values(
    *,
    session: Session,
    target: str,
    target_id: str,
    values: Mapping[str, str | None],
    by: str,
    now: datetime,
) -> list[Recorded]:
    """Record new values of a target kept only as corrections; None clears a field."""
    current = latest_values(session=session, target=target, target_id=target_id)
    rows = [
        Correction(
            target=target,
            target_id=target_id,
            field=field,
            old_value=current.get(field),
            new_value=value,
            changed_by=by,
            changed_at=now,
        )
        for field, value in values.items()
    ]
    session.add_all(rows)
    session.flush()
    return [_recorded(row) for row in rows]


def corrections(*, session: Session, target_id: str | None = None) -> list[Recorded]:
    """The record of corrections, newest first."""
    query = select(Correction).order_by(Correction.changed_at.desc(), Correction.id.desc())
    if target_id is not None:
        query = query.where(Correction.target_id == target_id)
    return [_recorded(row) for row in session.scalars(query)]


def reapply(session: Session) -> int:
    """After a load of the shipped data: every correction again, in the order made (so
    the newest of each field wins). Exception days are rules of their own and stay."""
    applied = 0
    for row in session.scalars(select(Correction).order_by(Correction.changed_at, Correction.id)):
        if row.target == "channel" and row.field in CHANNEL_FIELDS:
            channel = session.get(Channel, row.target_id)
            if channel is not None:
                _apply_channel(session, channel, row.field, row.new_value)
                applied += 1
        elif row.target == "unit":
            unit = session.get(OrgUnit, row.target_id)
            if unit is not None:
                value = None if row.new_value is None else int(row.new_value)
                unit.figures = {**(unit.figures or {}), row.field: value}
                applied += 1
    session.flush()
    return applied
