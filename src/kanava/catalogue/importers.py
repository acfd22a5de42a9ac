"""Import channels from files: PTV JSON and a manager's CSV of service points.

Every record is read and checked before anything is stored; one bad record
refuses the whole import (ImportRefused names the record and the reason), and
the caller's transaction leaves the database exactly as it was.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.catalogue.enums import ChannelKind, Provenance
from kanava.catalogue.loader import TableReport, sync_channels
from kanava.catalogue.models import Channel, Municipality
from kanava.catalogue.ptv import PtvError, channels_from_document
from kanava.catalogue.records import ChannelRecord, slugify, weekly_rules
from kanava.errors import ImportRefused, reason
from kanava.hours.engine import RuleError

POINT_COLUMNS = (
    "id",
    "kind",
    "name_fi",
    "name_sv",
    "name_en",
    "municipality",
    "street_address",
    "postal_code",
    "post_office",
    "lat",
    "lon",
    "appointment_only",
    "video_service",
    "hours",
    "host_organisation",
    "source",
)
REQUIRED_POINT_COLUMNS = ("kind", "name_fi", "municipality")
_YES = {"yes", "true", "1", "kyllä", "ja", "x"}
_NO = {"no", "false", "0", "ei", "nej", ""}


def _municipalities(session: Session) -> dict[str, Municipality]:
    """Municipalities by code and by Finnish and Swedish name (case-folded)."""
    found: dict[str, Municipality] = {}
    for municipality in session.scalars(select(Municipality)):
        found[municipality.code] = municipality
        found[municipality.name_fi.casefold()] = municipality
        if municipality.name_sv:
            found[municipality.name_sv.casefold()] = municipality
    return found


def _check_municipalities(session: Session, records: Sequence[tuple[str, ChannelRecord]]) -> None:
    known = _municipalities(session)
    for label, record in records:
        code = record.values.get("municipality_code")
        if code is not None and code not in known:
            raise ImportRefused(
                label,
                reason("municipality code %(code)s is not a 2025 municipality", code=repr(code)),
            )


def _refuse_duplicates(records: Sequence[tuple[str, ChannelRecord]]) -> None:
    seen: dict[str, str] = {}
    for label, record in records:
        channel_id = record.values["id"]
        if channel_id in seen:
            raise ImportRefused(
                label,
                reason(
                    "id %(channel_id)s repeats %(value)s",
                    channel_id=repr(channel_id),
                    value=seen[channel_id],
                ),
            )
        seen[channel_id] = label


def import_ptv_files(session: Session, files: Sequence[Path], now: datetime) -> TableReport:
    """Import PTV v11 service channels from JSON files, all or nothing."""
    records: list[tuple[str, ChannelRecord]] = []
    for path in files:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ImportRefused(
                str(path), reason("cannot read JSON: %(error)s", error=error)
            ) from None
        try:
            records.extend(
                (f"{path.name} {label}", record)
                for label, record in channels_from_document(document, now.date())
            )
        except PtvError as error:
            raise ImportRefused(path.name, str(error)) from None
    _refuse_duplicates(records)
    _check_municipalities(session, records)
    report = sync_channels(session, [record for _, record in records], now)
    report.notes = [f"{label}: {note}" for label, record in records for note in record.notes]
    return report


def _flag(value: str, field: str) -> bool:
    lowered = value.strip().casefold()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    raise ValueError(f"{field}: {value!r} is not yes or no")


def _coordinate(value: str, field: str, low: float, high: float) -> float | None:
    if not value.strip():
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise ValueError(f"{field}: {value!r} is not a number") from None
    if not low <= number <= high:
        raise ValueError(f"{field}: {number} is outside Finland ({low}–{high})")
    return number


def point_record(
    row: dict[str, str], municipalities: dict[str, Municipality], verified: datetime
) -> ChannelRecord:
    """One CSV row as a channel record; ValueError names the column and the reason."""
    for column in REQUIRED_POINT_COLUMNS:
        if not (row.get(column) or "").strip():
            raise ValueError(f"{column}: required")
    try:
        kind = ChannelKind(row["kind"].strip())
    except ValueError:
        allowed = ", ".join(sorted(k.value for k in ChannelKind.physical()))
        raise ValueError(f"kind: {row['kind']!r} is not one of {allowed}") from None
    if kind not in ChannelKind.physical():
        raise ValueError(f"kind: {kind.value!r} has no place; use a physical kind")
    municipality = municipalities.get(row["municipality"].strip().casefold()) or municipalities.get(
        row["municipality"].strip().zfill(3)
    )
    if municipality is None:
        raise ValueError(f"municipality: {row['municipality']!r} is not a 2025 municipality")
    lat = _coordinate(row.get("lat", ""), "lat", 59.0, 71.0)
    lon = _coordinate(row.get("lon", ""), "lon", 19.0, 32.0)
    if (lat is None) != (lon is None):
        raise ValueError("lat/lon: give both or neither")
    postal_code = (row.get("postal_code") or "").strip() or None
    if postal_code is not None and not (postal_code.isdigit() and len(postal_code) == 5):
        raise ValueError(f"postal_code: {postal_code!r} is not five digits")
    name = row["name_fi"].strip()
    values: dict[str, Any] = {
        "id": (row.get("id") or "").strip() or slugify(name),
        "kind": kind.value,
        "name_fi": name,
        "name_sv": (row.get("name_sv") or "").strip() or None,
        "name_en": (row.get("name_en") or "").strip() or None,
        "municipality_code": municipality.code,
        "street_address": (row.get("street_address") or "").strip() or None,
        "postal_code": postal_code,
        "post_office": (row.get("post_office") or "").strip() or None,
        "lat": lat if lat is not None else municipality.lat,
        "lon": lon if lon is not None else municipality.lon,
        "appointment_only": _flag(row.get("appointment_only", ""), "appointment_only"),
        "video_service": _flag(row.get("video_service", ""), "video_service"),
        "host_organisation": (row.get("host_organisation") or "").strip() or None,
        "status": "active",
        "provenance": Provenance.USER.value,
        "source": (row.get("source") or "").strip() or "imported from a manager's CSV",
        "last_verified": verified.date(),
    }
    try:
        rules = weekly_rules((row.get("hours") or "").strip() or None)
    except RuleError as error:
        raise ValueError(str(error)) from None
    return ChannelRecord(values, rules)


def import_points_csv(session: Session, path: Path, now: datetime) -> TableReport:
    """Import service points from a CSV (columns in docs/data.md), all or nothing."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportRefused(
            str(path), reason("cannot read a UTF-8 CSV file: %(error)s", error=error)
        ) from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED_POINT_COLUMNS if c not in header]
    if missing:
        raise ImportRefused(
            f"{path.name} header", reason("missing column(s): %(join)s", join=", ".join(missing))
        )
    unknown = [c for c in header if c not in POINT_COLUMNS]
    if unknown:
        raise ImportRefused(
            f"{path.name} header", reason("unknown column(s): %(join)s", join=", ".join(unknown))
        )
    municipalities = _municipalities(session)
    records: list[tuple[str, ChannelRecord]] = []
    for line_number, row in enumerate(reader, start=2):
        label = f"{path.name} line {line_number}"
        if None in row:
            raise ImportRefused(label, reason("more fields than the header has columns"))
        try:
            records.append((label, point_record(row, municipalities, now)))
        except ValueError as error:
            raise ImportRefused(label, str(error)) from None
    if not records:
        raise ImportRefused(path.name, reason("no rows"))
    _refuse_duplicates(records)
    shipped = {
        c.id: c.provenance
        for c in session.scalars(select(Channel).where(Channel.provenance != Provenance.USER))
    }
    for label, record in records:
        if record.values["id"] in shipped:
            raise ImportRefused(
                label,
                reason(
                    "id %(value)s is a shipped channel; choose another id",
                    value=repr(record.values["id"]),
                ),
            )
    return sync_channels(session, [record for _, record in records], now)
