"""Turn the shipped files into plain records ready to store. Pure: no database.

Each record is a dict of column values; channels come with their hours rules and
dated events, so the loader can compare and store them as one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import phonenumbers

from kanava.catalogue.enums import ChannelKind, ChannelStatus, EventKind, Provenance
from kanava.hours.engine import Rule
from kanava.hours.enums import RuleKind
from kanava.hours.notation import parse_hours

MUNICIPALITY_SOURCE = (
    "Statistics Finland / THL / National Land Survey of Finland (CC BY 4.0), "
    "via rOpenGov/geofi; population 31.12.2022"
)
POSTAL_SOURCE = (
    "Statistics Finland Paavo and Postinumero-kunta-avain 2025 (CC BY 4.0); "
    "population 31.12.2022; centroids computed from Paavo polygons"
)
_KIND_FROM_CSV = {
    "palvelupiste": ChannelKind.SERVICE_POINT,
    "asiointipiste": ChannelKind.ASIOINTIPISTE,
    "popup": ChannelKind.POP_UP,
}
_STATUS_FROM_CSV = {
    "open": (ChannelStatus.ACTIVE, EventKind.REPORTED_OPEN),
    "replaced": (ChannelStatus.REPLACED, EventKind.REPLACED),
    "closed": (ChannelStatus.CLOSED, EventKind.CLOSED),
}


@dataclass
class ChannelRecord:
    values: dict[str, Any]
    rules: tuple[Rule, ...] = ()
    events: list[dict[str, Any]] = field(default_factory=list)
    # What the reader of an import report should know (a location without coordinates).
    notes: list[str] = field(default_factory=list)


def slugify(text: str) -> str:
    """An ascii id from a name: 'Kelan palvelupiste Jämsä' -> 'kelan-palvelupiste-jamsa'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = "".join(ch if ch.isalnum() else " " for ch in plain.lower()).split()
    return "-".join(words)


def _names(prefix: str, texts: dict[str, str] | None) -> dict[str, str | None]:
    texts = texts or {}
    return {f"{prefix}_{lang}": texts.get(lang) for lang in ("fi", "sv", "en")}


def municipality_records(
    rows: list[dict[str, str]], areas: list[dict[str, str]]
) -> list[dict[str, Any]]:
    """Municipalities with the Kela service area each belongs to."""
    area_by_code = {row["code"]: row for row in areas}
    records = []
    for row in rows:
        area = area_by_code.get(row["code"], {})
        records.append(
            {
                "code": row["code"],
                "name_fi": row["name_fi"],
                "name_sv": row["name_sv"] or None,
                "region_fi": row["region_fi"],
                "welfare_area_fi": row["welfare_area_fi"],
                "population": int(row["population"]),
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
                "kela_service_area_code": int(area["kela_service_area_code"])
                if area.get("kela_service_area_code")
                else None,
                "housing_allowance_group": area.get("housing_allowance_municipality_group") or None,
                "provenance": Provenance.PUBLIC_SOURCE.value,
                "source": MUNICIPALITY_SOURCE,
            }
        )
    return records


def postal_area_records(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    return [
        {
            "code": row["postal_code"],
            "name_fi": row["name_fi"],
            "municipality_code": row["municipality_code"],
            "population": int(row["population"]),
            "lat": float(row["lat"]),
            "lon": float(row["lon"]),
            "provenance": Provenance.PUBLIC_SOURCE.value,
            "source": POSTAL_SOURCE,
        }
        for row in rows
    ]


def unit_records(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": unit["id"],
            "parent_id": unit.get("parent"),
            "kind": unit["kind"],
            **_names("name", unit["name"]),
            **_names("description", unit.get("description")),
            "director": unit.get("director"),
            "regions": unit.get("regions", []),
            "welfare_areas": unit.get("welfare_areas", []),
            "kela_service_area_code": unit.get("kela_service_area_code"),
            "figures": unit.get("figures", {}),
            "figures_note": unit.get("figures_note"),
            "provenance": unit["provenance"],
            "source": unit.get("source"),
            "last_verified": None,
        }
        for unit in units
    ]


def topic_records(topics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"id": topic["id"], "position": position, **_names("name", topic["name"])}
        for position, topic in enumerate(topics)
    ]


def weekly_rules(hours: str | None) -> tuple[Rule, ...]:
    """A regular weekly rule from the hours notation, or none."""
    return (Rule(RuleKind.REGULAR, parse_hours(hours)),) if hours else ()


def phone_forms(text: str) -> tuple[str, str]:
    """(E.164, national display) of a Finnish number, refusing numbers that cannot exist."""
    try:
        parsed = phonenumbers.parse(text, "FI")
    except phonenumbers.NumberParseException:
        raise ValueError(f"phone_number: {text!r} is not a phone number") from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"phone_number: {text!r} is not a valid Finnish number")
    return (
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
    )


_CHANNEL_FIELDS = (
    "street_address",
    "postal_code",
    "post_office",
    "host_organisation",
    "appointment_only",
    "video_service",
    "open_days_per_week",
    "status",
    "status_date",
    "closed_on_holidays",
    "guide_section",
)


def _channel_values(spec: dict[str, Any], coords: dict[str, tuple[float, float]]) -> dict[str, Any]:
    municipality = spec.get("municipality")
    lat, lon = coords[municipality] if municipality else (None, None)
    values: dict[str, Any] = {
        "id": spec["id"],
        "kind": spec["kind"],
        "unit_id": spec.get("unit"),
        "topic_id": spec.get("topic"),
        **_names("name", spec["name"]),
        **_names("description", spec.get("description")),
        **_names("url", spec.get("url")),
        **_names("hours_note", spec.get("hours_note")),
        "phone_number": None,
        "phone_display": None,
        "languages": spec.get("languages", []),
        "municipality_code": municipality,
        "lat": spec.get("lat", lat),
        "lon": spec.get("lon", lon),
        "host_channel_id": spec.get("host_channel"),
        "timezone": "Europe/Helsinki",
        "ptv_id": None,
        "provenance": spec["provenance"],
        "source": spec.get("source"),
        "last_verified": spec.get("last_verified"),
    }
    defaults: dict[str, Any] = {
        "appointment_only": False,
        "video_service": False,
        "status": ChannelStatus.ACTIVE.value,
        "closed_on_holidays": True,
    }
    for name in _CHANNEL_FIELDS:
        values[name] = spec.get(name, defaults.get(name))
    return values


def seed_channel_records(
    document: dict[str, Any], topics: list[dict[str, Any]], coords: dict[str, tuple[float, float]]
) -> list[ChannelRecord]:
    """The channels of the presentation, the phone lines, and illustrative points."""
    records = [
        ChannelRecord(_channel_values(spec, coords), weekly_rules(spec.get("hours")))
        for spec in document["channels"]
    ]
    topic_names = {topic["id"]: topic["name"] for topic in topics}
    defaults = document["phone_line_defaults"]
    for line in document["phone_lines"]:
        spec = {
            **defaults,
            "id": f"puhelin-{line['topic']}",
            "kind": ChannelKind.PHONE_LINE.value,
            "topic": line["topic"],
            "name": topic_names[line["topic"]],
        }
        values = _channel_values(spec, coords)
        values["phone_display"] = line["number"]
        values["phone_number"] = phone_forms(line["number"])[0]
        records.append(ChannelRecord(values, weekly_rules(line["hours"])))
    for spec in document["points"]:
        if spec["provenance"] == Provenance.ILLUSTRATIVE.value:
            spec = {"hours_note": document["illustrative_note"], **spec}
        events = [
            {
                "kind": e["kind"],
                "on_date": e.get("on_date"),
                **_names("note", e.get("note")),
                "source": spec.get("source"),
                "provenance": spec["provenance"],
            }
            for e in spec.get("events", [])
        ]
        records.append(
            ChannelRecord(_channel_values(spec, coords), weekly_rules(spec.get("hours")), events)
        )
    return records


def public_point_records(
    rows: list[dict[str, str]],
    readings: dict[str, dict[str, Any]],
    codes_by_name: dict[str, str],
    coords: dict[str, tuple[float, float]],
) -> list[ChannelRecord]:
    """The dated public facts on Kela's points, one channel and one event per row."""
    records = []
    for row in rows:
        reading = readings.get(row["name"], {})
        status, event_kind = _STATUS_FROM_CSV[row["status"]]
        spec: dict[str, Any] = {
            "id": slugify(row["name"]),
            "kind": reading.get("kind", _KIND_FROM_CSV[row["kind"]].value),
            "name": {"fi": row["name"]},
            "description": {"en": row["opening_note"]},
            "municipality": codes_by_name[row["municipality_name"]],
            "street_address": row["address"].split(",")[0] or None,
            "status": status.value,
            "status_date": row["status_date"] or None,
            "provenance": Provenance.PUBLIC_SOURCE.value,
            "source": row["source_url"],
            "last_verified": _parse_partial_date(row["status_date"]),
            **{k: v for k, v in reading.items() if k not in ("kind", "hours")},
        }
        event = {
            "kind": event_kind.value,
            "on_date": row["status_date"] or None,
            # The note is a researcher's English reading of the source.
            **_names("note", {"en": row["opening_note"]}),
            "source": row["source_url"],
            "provenance": Provenance.PUBLIC_SOURCE.value,
        }
        rules = weekly_rules(reading.get("hours")) if status is ChannelStatus.ACTIVE else ()
        records.append(ChannelRecord(_channel_values(spec, coords), rules, [event]))
    return records


def _parse_partial_date(text: str) -> date | None:
    """A YYYY-MM-DD date; YYYY-MM and empty give None (no exact day is known)."""
    return date.fromisoformat(text) if len(text) == 10 else None


def total_records(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The 2024 channel volumes, and the Laukaa figure, as stored totals."""
    records = []
    for position, total in enumerate(document["totals"]):
        records.append(
            {
                "series": total["series"],
                "period": document["period"],
                "channel_id": None,
                **_names("label", total["label"]),
                "value": total["value"],
                "unit": total["unit"],
                "approximate": total.get("approximate", False),
                "position": position,
                "provenance": Provenance.SEED.value,
                "source": document["source"],
            }
        )
    laukaa = document["laukaa"]
    records.append(
        {
            "series": laukaa["series"],
            "period": document["period"],
            "channel_id": laukaa["channel"],
            **_names("label", laukaa["label"]),
            "value": laukaa["value"],
            "unit": laukaa["unit"],
            "approximate": laukaa["approximate"],
            "position": len(records),
            "provenance": Provenance.SEED.value,
            "source": laukaa["source"],
        }
    )
    return records
