"""Import yearly or monthly totals where only totals exist (a channel's contacts, visits,
visitors or followers over a period), checked whole and stored all or nothing.

CSV columns: ``period`` (``2024`` or ``2024-03``), ``series`` (a short name such as
``phone``), ``value`` (empty: unknown, not zero), ``unit``, ``source``; optional
``channel`` (a channel id), ``approximate`` (true/false), ``label_fi``, ``label_sv``,
``label_en``. A total already stored for the same series and period is replaced.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.catalogue.models import Channel
from kanava.contacts.models import ContactTotal
from kanava.errors import ImportRefused, reason

UNITS = ("contacts", "visits", "visitors", "followers", "appointments", "conversations",
         "sessions")  # fmt: skip
REQUIRED = ("period", "series", "value", "unit", "source")
OPTIONAL = ("channel", "approximate", "label_fi", "label_sv", "label_en")
PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")
SERIES = re.compile(r"^[a-z0-9_-]{1,60}$")
YES, NO = ("true", "yes", "1", "kyllä"), ("false", "no", "0", "ei", "")
SHOWN_PROBLEMS = 5


@dataclass(frozen=True)
class TotalsReport:
    rows: int
    added: int
    replaced: int


def _row_problems(row: dict[str, str], channels: set[str]) -> list[str]:
    problems = []
    if not PERIOD.match(row["period"]):
        problems.append(f"period: {row['period']!r} is not YYYY or YYYY-MM")
    if not SERIES.match(row["series"]):
        problems.append("series: lower-case letters, digits, - and _, at most 60")
    if row["value"]:
        try:
            if float(row["value"].replace(",", ".")) < 0:
                problems.append("value: must not be negative")
        except ValueError:
            problems.append(f"value: {row['value']!r} is not a number")
    if row["unit"] not in UNITS:
        problems.append(f"unit: {row['unit']!r} is not one of {', '.join(UNITS)}")
    if not row["source"]:
        problems.append("source: say where the figure comes from")
    if row.get("channel") and row["channel"] not in channels:
        problems.append(f"channel: unknown {row['channel']!r}")
    if row.get("approximate", "").lower() not in (*YES, *NO):
        problems.append("approximate: true or false")
    return problems


def import_totals(session: Session, path: Path) -> TotalsReport:
    """Check every row, then store them all; one bad row refuses the file."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in reader.fieldnames or []]
            rows = [
                {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
                for row in reader
            ]
    except FileNotFoundError:
        raise ImportRefused(str(path), reason("no such file")) from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise ImportRefused(
            path.name, reason("is not a UTF-8 CSV file (%(error)s)", error=error)
        ) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRefused(path.name, reason("missing columns %(join)s", join=", ".join(missing)))
    channels = set(session.scalars(select(Channel.id)))
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in enumerate(rows, start=2):
        found = _row_problems(row, channels)
        key = (row["series"], row["period"])
        if key in seen:
            found.append(f"series and period: repeat line {seen[key]}")
        seen.setdefault(key, line)
        problems += [f"line {line}: {p}" for p in found]
    if problems:
        shown = "; ".join(problems[:SHOWN_PROBLEMS])
        hidden = len(problems) - SHOWN_PROBLEMS
        more = f" (and {hidden} more)" if hidden > 0 else ""
        raise ImportRefused(
            path.name, reason("nothing stored: %(shown)s%(more)s", shown=shown, more=more)
        )
    added = replaced = 0
    for position, row in enumerate(rows):
        total = session.scalar(
            select(ContactTotal).where(
                ContactTotal.series == row["series"], ContactTotal.period == row["period"]
            )
        )
        if total is None:
            total = ContactTotal(series=row["series"], period=row["period"], position=position)
            session.add(total)
            added += 1
        else:
            replaced += 1
        total.value = float(row["value"].replace(",", ".")) if row["value"] else None
        total.unit = row["unit"]
        total.source = row["source"]
        total.channel_id = row.get("channel") or None
        total.approximate = row.get("approximate", "").lower() in YES
        total.label_fi = row.get("label_fi") or row["series"]
        total.label_sv = row.get("label_sv") or None
        total.label_en = row.get("label_en") or None
        total.provenance = "user"
    session.flush()
    return TotalsReport(len(rows), added, replaced)
