"""The guide's ordering and distance rules, on plain values."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kanava.catalogue.enums import ChannelKind, ChannelStatus
from kanava.catalogue.geo import great_circle_km, road_km
from kanava.catalogue.guide import GuideChannel, build_guide
from kanava.hours.engine import Rule, Schedule
from kanava.hours.enums import RuleKind
from kanava.hours.notation import parse_hours

NOON = datetime(2025, 3, 12, 12, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
WEEKDAYS = Schedule((Rule(RuleKind.REGULAR, parse_hours("Mo-Fr 09:00-16:00")),))
LAUKAA = (62.41301, 25.95892)


def channel(
    channel_id: str,
    kind: ChannelKind,
    lat: float | None = None,
    lon: float | None = None,
    **extra: object,
) -> GuideChannel:
    values: dict[str, object] = {
        "id": channel_id,
        "kind": kind,
        "name": channel_id,
        "status": ChannelStatus.ACTIVE,
        "schedule": WEEKDAYS,
        "lat": lat,
        "lon": lon,
        **extra,
    }
    return GuideChannel(**values)  # type: ignore[arg-type]


def test_great_circle__helsinki_to_jyvaskyla() -> None:
    assert great_circle_km(60.16825, 24.95291, 62.23941, 25.74568) == pytest.approx(235, abs=2)


def test_road_km__is_great_circle_times_the_factor() -> None:
    straight = great_circle_km(*LAUKAA, 62.23941, 25.74568)
    assert road_km(*LAUKAA, 62.23941, 25.74568, 1.5) == pytest.approx(straight * 1.5)


def test_build_guide__order_and_nearest_first() -> None:
    channels = [
        channel("post", ChannelKind.POSTAL_ADDRESS, schedule=None),
        channel("far", ChannelKind.SERVICE_POINT, 60.17, 24.95),
        channel("near", ChannelKind.SERVICE_POINT, 62.24, 25.75),
        channel("video", ChannelKind.ASIOINTIPISTE, 62.0, 25.0),
        channel("line-a", ChannelKind.PHONE_LINE, topic_id="a"),
        channel("line-b", ChannelKind.PHONE_LINE, topic_id="b"),
        channel("web", ChannelKind.E_SERVICE),
        channel("book", ChannelKind.WEB_PAGE, guide_section="booking"),
        channel("info", ChannelKind.WEB_PAGE),
        channel("gone", ChannelKind.SERVICE_POINT, 62.4, 25.9, status=ChannelStatus.REPLACED),
    ]
    options = build_guide("a", channels, NOON, "fi", origin=LAUKAA)
    assert [o.channel.id for o in options] == [
        "web",
        "line-a",
        "book",
        "near",
        "far",
        "video",
        "post",
    ]
    near = options[3]
    assert near.is_open is True and near.distance_km is not None and near.distance_km < 40
    assert options[-1].is_open is None and options[-1].hours_text is None


def test_build_guide__without_a_place_no_points_and_limit_nearest() -> None:
    points = [channel(f"p{i}", ChannelKind.SERVICE_POINT, 62 + i / 10, 25.9) for i in range(5)]
    assert [o.channel.id for o in build_guide("a", points, NOON, "fi")] == []
    nearest = build_guide("a", points, NOON, "fi", origin=LAUKAA, nearest=2)
    assert [o.channel.id for o in nearest] == ["p4", "p3"]
