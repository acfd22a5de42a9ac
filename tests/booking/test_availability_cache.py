"""Who can serve when is kept per availability version: a change to experts, shifts,
absences or appointment types is seen by the very next question, and a change that is
rolled back leaves nothing stale behind."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from kanava.booking import availability as av
from kanava.booking.models import Absence, AppointmentType, AvailabilityVersion

HKI = ZoneInfo("Europe/Helsinki")
NOW = datetime(2025, 3, 12, 10, 0, tzinfo=HKI)  # Wednesday
START = datetime(2025, 3, 13, 10, 0, tzinfo=HKI)  # Thursday


def free_experts(session: Session) -> list[str]:
    request = av.check_request(session, topic="elakkeet", lang="fi", kind="phone", place=None)
    return av.free_at(session, request, av.appointment_type(request), START, NOW).experts


def version(session: Session) -> int:
    return session.scalars(select(AvailabilityVersion.version)).one()


def absent(expert_id: str) -> Absence:
    return Absence(expert_id=expert_id, first_day=date(2025, 3, 13), last_day=date(2025, 3, 13))


def test_an_absence_is_seen_by_the_next_question(session: Session) -> None:
    before = free_experts(session)
    session.add(absent(before[0]))
    session.flush()
    assert sorted(free_experts(session)) == sorted(before[1:])


def test_a_rolled_back_absence_leaves_nothing_stale(session: Session) -> None:
    before = sorted(free_experts(session))
    savepoint = session.begin_nested()
    session.add(absent(before[0]))
    session.flush()
    assert before[0] not in free_experts(session)  # worked out and kept at the new version
    savepoint.rollback()
    assert sorted(free_experts(session)) == before
    # Another change now must not meet what was kept for the rolled-back one (as it
    # would if versions were counted up: both changes would be "the next" version).
    session.add(absent(before[1]))
    session.flush()
    assert sorted(free_experts(session)) == [before[0], *before[2:]]


def test_a_changed_appointment_type_is_seen_by_the_next_question(session: Session) -> None:
    request = av.check_request(session, topic="elakkeet", lang="fi", kind="phone", place=None)
    assert av.appointment_type(request).duration_min == 30
    session.execute(
        update(AppointmentType).where(AppointmentType.kind == "phone").values(duration_min=45)
    )
    request = av.check_request(session, topic="elakkeet", lang="fi", kind="phone", place=None)
    assert av.appointment_type(request).duration_min == 45


# Every table that decides who can serve when, with a column to rewrite in place.
WATCHED = {
    "expert": "name",
    "expert_topic": "topic_id",
    "expert_language": "lang",
    "shift": "hours",
    "room": "name",
    "appointment_type": "duration_min",
    "topic": "position",
}


@pytest.mark.parametrize("table", sorted(WATCHED))
def test_a_change_to_a_watched_table_gives_a_new_version(session: Session, table: str) -> None:
    before = version(session)
    column = WATCHED[table]
    session.execute(text(f"UPDATE {table} SET {column} = {column}"))
    assert version(session) != before


def test_an_added_absence_gives_a_new_version(session: Session) -> None:
    before = version(session)
    session.add(absent(free_experts(session)[0]))
    session.flush()
    assert version(session) != before
