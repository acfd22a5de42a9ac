"""Make the synthetic demo year from what the database holds: the seed's totals, the
points with their coordinates, and the municipalities' residents."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.catalogue.enums import ChannelKind, ChannelStatus
from kanava.catalogue.models import Channel, Municipality
from kanava.contacts.events import ContactChannel
from kanava.contacts.loader import is_working_day, read_pattern
from kanava.contacts.models import ContactTotal
from kanava.contacts.synthetic_events import Generated, Point, generate_year
from kanava.errors import InvalidInput, reason

VISIT_KINDS = {
    ChannelKind.SERVICE_POINT: ContactChannel.SERVICE_POINT_VISIT,
    ChannelKind.LAHIPALVELUPISTE: ContactChannel.SERVICE_POINT_VISIT,
    ChannelKind.ASIOINTIPISTE: ContactChannel.ASIOINTIPISTE_VISIT,
}
LAUKAA_SERIES = "laukaa-customers-per-week"


def demo_path(events_dir: Path, year: int) -> Path:
    return events_dir / f"synthetic-{year}.parquet"


def generate_demo(session: Session, year: int, seed: int, events_dir: Path) -> Generated:
    if not 2000 <= year <= 2100:
        raise InvalidInput("year", reason("between 2000 and 2100"))
    totals = {t.series: t.value for t in session.scalars(select(ContactTotal)) if t.value}
    missing = {"phone", "service_points", "asiointipisteet"} - set(totals)
    if missing:
        raise InvalidInput(
            "year", reason("the shipped totals lack %(join)s", join=", ".join(sorted(missing)))
        )
    published = {
        t.channel_id: t.value
        for t in session.scalars(select(ContactTotal).where(ContactTotal.series == LAUKAA_SERIES))
    }
    channels = session.scalars(
        select(Channel).where(
            Channel.kind.in_([k.value for k in VISIT_KINDS]),
            Channel.status == ChannelStatus.ACTIVE.value,
            Channel.lat.is_not(None),
        )
    )
    points = [
        Point(
            c.id,
            float(c.lat or 0),
            float(c.lon or 0),
            VISIT_KINDS[ChannelKind(c.kind)],
            c.open_days_per_week or 5,
            published.get(c.id),
        )
        for c in channels
    ]
    municipalities = [(m.lat, m.lon, m.population) for m in session.scalars(select(Municipality))]
    pattern, _ = read_pattern()
    return generate_year(
        year,
        seed,
        totals,
        points,
        municipalities,
        pattern,
        is_working_day,
        demo_path(events_dir, year),
    )
