"""The catalogue as schema.org JSON-LD, so search engines can show hours and holidays.

GovernmentService per topic -> ServiceChannel -> ContactPoint (phone, with
hoursAvailable) or Place (with openingHoursSpecification and
specialOpeningHoursSpecification). Closed days follow the common convention of
opens = closes = 00:00 for the date. Pure: takes reads and schedules.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kanava.catalogue.schemas import ChannelRead, TopicRead
from kanava.hours.engine import Rule, Schedule, deciding_rule, resolve_day
from kanava.hours.enums import RuleKind, State

_DAY_URIS = {
    1: "https://schema.org/Monday",
    2: "https://schema.org/Tuesday",
    3: "https://schema.org/Wednesday",
    4: "https://schema.org/Thursday",
    5: "https://schema.org/Friday",
    6: "https://schema.org/Saturday",
    7: "https://schema.org/Sunday",
}


def _weekly_specs(rule: Rule) -> list[dict[str, Any]]:
    specs = []
    for span in rule.spans:
        if span.state is State.CLOSED:
            continue
        spec: dict[str, Any] = {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [_DAY_URIS[d] for d in sorted(span.weekdays)],
            "opens": f"{span.start:%H:%M}",
            "closes": f"{span.end:%H:%M}",
        }
        if rule.valid_from:
            spec["validFrom"] = rule.valid_from.isoformat()
        if rule.valid_to:
            spec["validThrough"] = rule.valid_to.isoformat()
        specs.append(spec)
    return specs


def regular_hours(schedule: Schedule) -> list[dict[str, Any]]:
    """Weekly hours of every regular and override rule, with their validity."""
    specs: list[dict[str, Any]] = []
    for rule in schedule.rules:
        if rule.kind in (RuleKind.REGULAR, RuleKind.OVERRIDE):
            specs.extend(_weekly_specs(rule))
    return specs


def special_hours(schedule: Schedule, first: date, days: int) -> list[dict[str, Any]]:
    """Dated specs for every holiday or exception day in the window."""
    specs: list[dict[str, Any]] = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        _, decided_by, _ = deciding_rule(schedule, day)
        if decided_by not in (RuleKind.HOLIDAY, RuleKind.EXCEPTION):
            continue
        resolved = resolve_day(schedule, day)
        base = {
            "@type": "OpeningHoursSpecification",
            "validFrom": day.isoformat(),
            "validThrough": day.isoformat(),
        }
        open_intervals = [i for i in resolved.intervals if i.state is not State.CLOSED]
        if not open_intervals:
            specs.append({**base, "opens": "00:00", "closes": "00:00"})
        for interval in open_intervals:
            start, end = interval.local(schedule.timezone)
            specs.append({**base, "opens": f"{start:%H:%M}", "closes": f"{end:%H:%M}"})
    return specs


def _channel_node(
    channel: ChannelRead, schedule: Schedule, topics: dict[str, TopicRead], first: date, days: int
) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "ServiceChannel",
        "@id": f"#channel-{channel.id}",
        "identifier": channel.id,
        "name": channel.name.fi,
        "alternateName": [n for n in (channel.name.sv, channel.name.en) if n],
        "availableLanguage": channel.languages,
    }
    if channel.url.fi:
        node["serviceUrl"] = channel.url.fi
    hours = regular_hours(schedule) if schedule.rules else []
    special = special_hours(schedule, first, days) if schedule.rules else []
    if channel.phone:
        topic = topics.get(channel.topic_id or "")
        node["servicePhone"] = {
            "@type": "ContactPoint",
            "telephone": channel.phone.number,
            "contactType": topic.name.fi if topic else channel.name.fi,
            "hoursAvailable": hours + special,
        }
    elif channel.lat is not None and channel.lon is not None:
        place: dict[str, Any] = {
            "@type": "Place",
            "name": channel.name.fi,
            "geo": {"@type": "GeoCoordinates", "latitude": channel.lat, "longitude": channel.lon},
            "openingHoursSpecification": hours,
            "specialOpeningHoursSpecification": special,
        }
        if channel.address:
            place["address"] = {
                "@type": "PostalAddress",
                "streetAddress": channel.address.street,
                "postalCode": channel.address.postal_code,
                "addressLocality": channel.address.post_office,
                "addressCountry": "FI",
            }
        node["serviceLocation"] = place
    elif channel.address:
        node["servicePostalAddress"] = {
            "@type": "PostalAddress",
            "streetAddress": channel.address.street,
            "postalCode": channel.address.postal_code,
            "addressLocality": channel.address.post_office,
            "addressCountry": "FI",
        }
    return node


def catalogue_jsonld(
    topics: list[TopicRead],
    channels: list[tuple[ChannelRead, Schedule]],
    first: date,
    days: int = 365,
) -> dict[str, Any]:
    """One JSON-LD document: the provider, a service per topic, and the active channels."""
    topic_by_id = {t.id: t for t in topics}
    active = [(c, s) for c, s in channels if c.status == "active"]
    graph: list[dict[str, Any]] = [
        {
            "@type": "GovernmentOrganization",
            "@id": "#kela",
            "name": "Kansaneläkelaitos (Kela)",
            "alternateName": ["Folkpensionsanstalten (FPA)", "Kela"],
        }
    ]
    for topic in topics:
        graph.append(
            {
                "@type": "GovernmentService",
                "@id": f"#service-{topic.id}",
                "name": topic.name.fi,
                "alternateName": [n for n in (topic.name.sv, topic.name.en) if n],
                "provider": {"@id": "#kela"},
                "availableChannel": [
                    {"@id": f"#channel-{c.id}"} for c, _ in active if c.topic_id in (None, topic.id)
                ],
            }
        )
    graph.extend(_channel_node(c, s, topic_by_id, first, days) for c, s in active)
    return {"@context": "https://schema.org", "@graph": graph}
