"""Store the shipped data: idempotent upserts that touch only what changed.

Loading twice changes nothing; a changed source file updates the rows it changed
(and their ``modified_at``). Rows that users added are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.catalogue import records as rec
from kanava.catalogue.models import Channel, ChannelEvent, Municipality, OrgUnit, PostalArea, Topic
from kanava.contacts.models import ContactTotal
from kanava.data import read_csv, read_yaml
from kanava.db import Base
from kanava.hours.service import replace_rules

Progress = Callable[[str], None]


@dataclass
class TableReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Records stored with something missing, each named (a location without coordinates).
    notes: list[str] = field(default_factory=list)


def sync_rows(
    session: Session,
    model: type[Base],
    key_columns: Sequence[str],
    records: Sequence[dict[str, Any]],
    now: datetime,
) -> TableReport:
    """Insert new records, update changed ones, leave the rest untouched."""
    report = TableReport()
    existing = {
        tuple(getattr(row, column) for column in key_columns): row
        for row in session.scalars(select(model))
    }
    has_modified = hasattr(model, "modified_at")
    for record in records:
        row = existing.get(tuple(record[column] for column in key_columns))
        if row is None:
            values = {**record, "modified_at": now} if has_modified else record
            session.add(model(**values))
            report.created += 1
            continue
        changed = {k: v for k, v in record.items() if getattr(row, k) != v}
        if not changed:
            report.unchanged += 1
            continue
        for name, value in changed.items():
            setattr(row, name, value)
        if has_modified:
            row.modified_at = now  # type: ignore[attr-defined]
        report.updated += 1
    session.flush()
    return report


_EVENT_FIELDS = ("kind", "on_date", "note_fi", "note_sv", "note_en", "source", "provenance")


def _sync_events(channel: Channel, events: list[dict[str, Any]]) -> bool:
    wanted = [tuple(e[name] for name in _EVENT_FIELDS) for e in events]
    current = [tuple(getattr(e, name) for name in _EVENT_FIELDS) for e in channel.events]
    if wanted == current:
        return False
    channel.events = [
        ChannelEvent(position=position, **event) for position, event in enumerate(events)
    ]
    return True


def sync_channels(
    session: Session, channel_records: Sequence[rec.ChannelRecord], now: datetime
) -> TableReport:
    """Channels with their hours rules and dated events."""
    report = sync_rows(session, Channel, ["id"], [r.values for r in channel_records], now)
    for record in channel_records:
        channel = session.get_one(Channel, record.values["id"])
        rules_changed = replace_rules(session, channel.id, record.rules)
        events_changed = _sync_events(channel, record.events)
        if (rules_changed or events_changed) and channel.modified_at != now:
            channel.modified_at = now
            report.updated += 1
            report.unchanged -= 1
    session.flush()
    return report


def shipped_channel_records(municipalities: list[dict[str, Any]]) -> list[rec.ChannelRecord]:
    coords = {m["code"]: (m["lat"], m["lon"]) for m in municipalities}
    codes_by_name = {m["name_fi"]: m["code"] for m in municipalities}
    organisation = read_yaml("seed/organisation.yaml")
    return [
        *rec.seed_channel_records(read_yaml("seed/channels.yaml"), organisation["topics"], coords),
        *rec.public_point_records(
            read_csv("kela_service_points.csv"),
            read_yaml("seed/public_points.yaml"),
            codes_by_name,
            coords,
        ),
    ]


def load_shipped_data(
    session: Session, now: datetime, progress: Progress | None = None
) -> dict[str, TableReport]:
    """Load everything kanava ships, in dependency order."""
    say = progress or (lambda _step: None)
    organisation = read_yaml("seed/organisation.yaml")
    municipalities = rec.municipality_records(
        read_csv("municipalities.csv"), read_csv("kela_service_areas.csv")
    )
    reports: dict[str, TableReport] = {}
    say("organisation units")
    reports["org_unit"] = sync_rows(
        session, OrgUnit, ["id"], rec.unit_records(organisation["units"]), now
    )
    say("topics")
    reports["topic"] = sync_rows(
        session, Topic, ["id"], rec.topic_records(organisation["topics"]), now
    )
    say("municipalities")
    reports["municipality"] = sync_rows(session, Municipality, ["code"], municipalities, now)
    say("postal areas")
    reports["postal_area"] = sync_rows(
        session, PostalArea, ["code"], rec.postal_area_records(read_csv("postal_areas.csv")), now
    )
    say("channels and hours")
    reports["channel"] = sync_channels(session, shipped_channel_records(municipalities), now)
    say("2024 channel volumes")
    reports["contact_total"] = sync_rows(
        session,
        ContactTotal,
        ["series", "period"],
        rec.total_records(read_yaml("seed/volumes_2024.yaml")),
        now,
    )
    return reports
