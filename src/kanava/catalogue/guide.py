"""The channel guide: for a matter, the ways to get served, in the order Kela asks
customers to use them ("asioi verkossa aina kun voit"). Pure: plain values in and out.

Order: online services, the topic's phone line, booking, the nearest points
(service points, then asiointipisteet with or without video service), post and forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kanava.catalogue.enums import ChannelKind, ChannelStatus
from kanava.catalogue.geo import road_km
from kanava.hours.describe import describe_week
from kanava.hours.engine import Schedule, local_date, status_at
from kanava.hours.enums import State

SECTIONS = ("online", "phone", "booking", "service_points", "asiointipisteet", "post")
_SECTION_OF_KIND = {
    ChannelKind.E_SERVICE: "online",
    ChannelKind.PHONE_LINE: "phone",
    ChannelKind.SERVICE_POINT: "service_points",
    ChannelKind.LAHIPALVELUPISTE: "service_points",
    ChannelKind.POP_UP: "service_points",
    ChannelKind.ASIOINTIPISTE: "asiointipisteet",
    ChannelKind.REMOTE_VIDEO: "asiointipisteet",
    ChannelKind.POSTAL_ADDRESS: "post",
    ChannelKind.PRINTABLE_FORM: "post",
}
_PLACED_SECTIONS = frozenset({"service_points", "asiointipisteet"})


def status_on(status: str, status_date: str | None, day: date) -> ChannelStatus:
    """A channel's status on a day: one closed or replaced from a later date still
    serves (a correction records the change ahead of its date)."""
    recorded = ChannelStatus(status)
    if recorded is not ChannelStatus.ACTIVE and status_date and day.isoformat() < status_date:
        return ChannelStatus.ACTIVE
    return recorded


@dataclass(frozen=True)
class GuideChannel:
    """What the guide needs to know of a channel, with texts already in one language."""

    id: str
    kind: ChannelKind
    name: str
    status: ChannelStatus
    schedule: Schedule | None
    topic_id: str | None = None
    guide_section: str | None = None
    lat: float | None = None
    lon: float | None = None
    provenance: str = "seed"


@dataclass(frozen=True)
class GuideOption:
    section: str
    channel: GuideChannel
    state: State | None
    is_open: bool | None
    closes_at: datetime | None
    next_opening: datetime | None
    hours_text: str | None
    distance_km: float | None


def section_of(channel: GuideChannel) -> str | None:
    """The guide section of a channel: set explicitly, or following from its kind."""
    return channel.guide_section or _SECTION_OF_KIND.get(channel.kind)


def _option(
    section: str, channel: GuideChannel, at: datetime, lang: str, distance: float | None
) -> GuideOption:
    schedule = channel.schedule
    if schedule is None or not schedule.rules:
        return GuideOption(section, channel, None, None, None, None, None, distance)
    answer = status_at(schedule, at)
    return GuideOption(
        section,
        channel,
        answer.state,
        answer.is_open,
        answer.closes_at,
        answer.next_opening,
        describe_week(schedule, local_date(at, schedule.timezone), lang),
        distance,
    )


def build_guide(
    topic_id: str,
    channels: list[GuideChannel],
    at: datetime,
    lang: str,
    origin: tuple[float, float] | None = None,
    road_factor: float = 1.3,
    nearest: int = 3,
) -> list[GuideOption]:
    """The ordered options for a topic; points only when there is an origin to measure from."""
    by_section: dict[str, list[GuideOption]] = {section: [] for section in SECTIONS}
    for channel in channels:
        section = section_of(channel)
        if section is None or channel.status is not ChannelStatus.ACTIVE:
            continue
        if channel.topic_id is not None and channel.topic_id != topic_id:
            continue
        distance = None
        if section in _PLACED_SECTIONS:
            if origin is None or channel.lat is None or channel.lon is None:
                continue
            distance = road_km(origin[0], origin[1], channel.lat, channel.lon, road_factor)
        by_section[section].append(_option(section, channel, at, lang, distance))
    for section in _PLACED_SECTIONS:
        ranked = sorted(by_section[section], key=lambda o: (o.distance_km, o.channel.id))
        by_section[section] = ranked[:nearest]
    return [option for section in SECTIONS for option in by_section[section]]
