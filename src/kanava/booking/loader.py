"""Store the shipped (synthetic) experts, shifts, rooms and appointment types."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kanava.booking.models import (
    AppointmentType,
    Expert,
    ExpertLanguage,
    ExpertTopic,
    Room,
    Shift,
)
from kanava.catalogue.enums import Provenance
from kanava.catalogue.loader import TableReport, sync_rows
from kanava.catalogue.models import Topic
from kanava.data import read_yaml
from kanava.hours.notation import parse_hours


def _shift_rows(expert_id: str, shifts: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    rows = []
    for shift in shifts:
        parse_hours(shift["hours"])  # refuse a bad file before storing anything
        rows.append((expert_id, shift["kind"], shift.get("place"), shift["hours"], None, None))
    return rows


def _sync_skills(
    session: Session, expert_id: str, topics: list[str], languages: list[str], report: TableReport
) -> TableReport:
    """Replace an expert's topics and languages when they changed."""
    current = (
        set(
            session.scalars(select(ExpertTopic.topic_id).where(ExpertTopic.expert_id == expert_id))
        ),
        set(
            session.scalars(
                select(ExpertLanguage.lang).where(ExpertLanguage.expert_id == expert_id)
            )
        ),
    )
    if current == (set(topics), set(languages)):
        report.unchanged += len(topics) + len(languages)
        return report
    session.execute(delete(ExpertTopic).where(ExpertTopic.expert_id == expert_id))
    session.execute(delete(ExpertLanguage).where(ExpertLanguage.expert_id == expert_id))
    session.add_all(ExpertTopic(expert_id=expert_id, topic_id=t) for t in topics)
    session.add_all(ExpertLanguage(expert_id=expert_id, lang=lang) for lang in languages)
    report.created += len(topics) + len(languages)
    return report


def load_booking_demo(session: Session, now: datetime) -> dict[str, TableReport]:
    document = read_yaml("seed/booking_demo.yaml")
    all_topics = list(session.scalars(select(Topic.id).order_by(Topic.position)))
    types = [{"topic_id": None, **row} for row in document["appointment_types"]]
    experts = [
        {
            "id": e["id"],
            "name": e["name"],
            "unit_id": e.get("unit"),
            "active": True,
            "provenance": Provenance.SYNTHETIC.value,
        }
        for e in document["experts"]
    ]
    rooms = [
        {"id": r["id"], "channel_id": r["place"], "name": r["name"], "hours": r["hours"]}
        for r in document["rooms"]
    ]
    for room in rooms:
        parse_hours(room["hours"])
    reports = {
        "appointment_type": sync_rows(session, AppointmentType, ["kind", "topic_id"], types, now),
        "expert": sync_rows(session, Expert, ["id"], experts, now),
        "room": sync_rows(session, Room, ["id"], rooms, now),
    }
    skill_report = TableReport()
    for expert in document["experts"]:
        topics = all_topics if expert["topics"] == "all" else expert["topics"]
        skill_report = _sync_skills(
            session, expert["id"], topics, expert["languages"], skill_report
        )
    reports["expert_skill"] = skill_report
    shift_report = TableReport()
    for expert in document["experts"]:
        wanted = sorted(_shift_rows(expert["id"], expert["shifts"]), key=str)
        current = sorted(
            (
                (s.expert_id, s.kind, s.channel_id, s.hours, s.valid_from, s.valid_to)
                for s in session.scalars(select(Shift).where(Shift.expert_id == expert["id"]))
            ),
            key=str,
        )
        if wanted == current:
            shift_report.unchanged += len(wanted)
            continue
        session.execute(delete(Shift).where(Shift.expert_id == expert["id"]))
        for expert_id, kind, place, hours, valid_from, valid_to in wanted:
            session.add(
                Shift(
                    expert_id=expert_id,
                    kind=kind,
                    channel_id=place,
                    hours=hours,
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
            )
        shift_report.created += len(wanted)
    session.flush()
    reports["shift"] = shift_report
    return reports
