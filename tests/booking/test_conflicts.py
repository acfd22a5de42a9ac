"""Bookings their expert can no longer serve: found with the reason after an absence, a
changed shift or skill, and handed over to a colleague free at the same time."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from kanava.auth.service import Forbidden, Principal
from kanava.booking import conflicts, service
from kanava.booking.models import Absence, Booking, ExpertLanguage, Shift
from kanava.booking.schemas import BookingCreate
from kanava.config import Settings
from tests.booking.test_booking_api import signed_in

HKI = ZoneInfo("Europe/Helsinki")
NOW = datetime(2025, 3, 12, 10, 0, tzinfo=HKI)  # Wednesday
THURSDAY = date(2025, 3, 13)
TEN = datetime(2025, 3, 13, 10, 0, tzinfo=HKI)
MANAGER = Principal("esihenkilo", "manager")
# Pensions in Swedish by phone on a Thursday: asiantuntija-03 and -04 (synthetic).
SWEDISH_PENSIONS = {"asiantuntija-03", "asiantuntija-04"}


def book(session: Session, hetu: str = "131052-308T") -> Booking:
    created = service.create_booking(
        session=session,
        request_in=BookingCreate.model_validate(
            {
                "topic": "elakkeet",
                "lang": "sv",
                "kind": "phone",
                "start": TEN,
                "name": "Maja Virtanen",
                "hetu": hetu,
                "phone": "040 123 4567",
            }
        ),
        settings=Settings(database_url="sqlite://"),
        now=NOW,
    )
    return session.scalars(
        select(Booking).where(Booking.reference == created.booking.reference)
    ).one()


def absent(session: Session, expert_id: str) -> None:
    session.add(Absence(expert_id=expert_id, first_day=THURSDAY, last_day=THURSDAY))
    session.flush()


def listed(session: Session) -> list[tuple[str, str]]:
    return [
        (c.booking.reference, c.reason) for c in conflicts.find_conflicts(session, THURSDAY, 1, NOW)
    ]


def test_an_absence_recorded_later__listed_then_handed_to_a_free_colleague(
    session: Session,
) -> None:
    booking = book(session)
    assert booking.expert_id in SWEDISH_PENSIONS and listed(session) == []
    first_expert = booking.expert_id
    absent(session, first_expert)
    assert listed(session) == [(booking.reference, "absent")]
    [item] = conflicts.review(
        session=session, viewer=MANAGER, first=THURSDAY, days=1, now=NOW, hand_over_all=True
    )
    (colleague,) = SWEDISH_PENSIONS - {first_expert}
    assert (item.expert_id, item.handed_over_to) == (first_expert, colleague)
    assert booking.expert_id == colleague and booking.start_at == TEN
    assert listed(session) == []


def test_nobody_free_at_that_time__stays_listed_for_a_call_to_the_customer(
    session: Session,
) -> None:
    first, second = book(session), book(session, "010594Y9032")
    assert {first.expert_id, second.expert_id} == SWEDISH_PENSIONS
    absent(session, first.expert_id)
    [item] = conflicts.review(
        session=session, viewer=MANAGER, first=THURSDAY, days=1, now=NOW, hand_over_all=True
    )
    assert (item.reference, item.reason, item.handed_over_to) == (first.reference, "absent", None)
    assert listed(session) == [(first.reference, "absent")]


def test_a_changed_shift_then_a_lost_language_are_named(session: Session) -> None:
    booking = book(session)
    session.execute(
        update(Shift)
        .where(Shift.expert_id == booking.expert_id, Shift.kind == "phone")
        .values(hours="Mo-Fr 12:00-16:00")
    )
    assert listed(session) == [(booking.reference, "not_working")]
    session.execute(
        delete(ExpertLanguage).where(
            ExpertLanguage.expert_id == booking.expert_id, ExpertLanguage.lang == "sv"
        )
    )
    assert listed(session) == [(booking.reference, "not_qualified")]


def test_past_and_cancelled_bookings_are_no_conflict(session: Session) -> None:
    booking = book(session)
    absent(session, booking.expert_id)
    after_it = datetime(2025, 3, 13, 10, 30, tzinfo=HKI)
    assert conflicts.find_conflicts(session, THURSDAY, 1, after_it) == []
    booking.status = "cancelled"
    session.flush()
    assert listed(session) == []


def test_only_a_manager_reviews(session: Session) -> None:
    with pytest.raises(Forbidden):
        conflicts.review(
            session=session,
            viewer=Principal("asiantuntija", "staff", "asiantuntija-01"),
            first=THURSDAY,
            days=1,
            now=NOW,
        )


def test_over_http__a_manager_lists_and_hands_over(client: TestClient, session: Session) -> None:
    booking = book(session)
    first_expert = booking.expert_id
    headers = signed_in(client, session, "manager")
    away = {"expert": first_expert, "first_day": "2025-03-13", "reason": "sairaus"}
    recorded = client.post("/api/v1/staff/absences", json=away, headers=headers)
    assert recorded.status_code == 201, recorded.text
    assert (recorded.json()["last_day"], recorded.json()["bookings_to_hand_over"]) == (
        "2025-03-13",
        1,
    )
    params = {"start_date": "2025-03-13", "days": "1"}
    found = client.get("/api/v1/staff/conflicts", params=params, headers=headers)
    assert found.status_code == 200, found.text
    assert [(c["reference"], c["reason"]) for c in found.json()] == [(booking.reference, "absent")]
    moved = client.post("/api/v1/staff/conflicts/hand-over", params=params, headers=headers)
    assert moved.json()[0]["handed_over_to"] in SWEDISH_PENSIONS - {first_expert}
    assert client.get("/api/v1/staff/conflicts", params=params, headers=headers).json() == []
    assert client.get("/api/v1/staff/conflicts", params=params).status_code == 401


def test_over_http__a_bad_absence_is_named_and_stores_nothing(
    client: TestClient, session: Session
) -> None:
    headers = signed_in(client, session, "manager")
    backwards = {"expert": "asiantuntija-01", "first_day": "2025-03-13", "last_day": "2025-03-12"}
    refused = client.post("/api/v1/staff/absences", json=backwards, headers=headers)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "last_day"
    unknown = {"expert": "<script>", "first_day": "2025-03-13"}
    missing = client.post("/api/v1/staff/absences", json=unknown, headers=headers)
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "expert"
    staff = signed_in(client, session, "staff", expert_id="asiantuntija-01")
    away = {"expert": "asiantuntija-01", "first_day": "2025-03-13"}
    assert client.post("/api/v1/staff/absences", json=away, headers=staff).status_code == 403
    params = {"start_date": "2025-03-01", "days": "31"}
    assert client.get("/api/v1/staff/absences", params=params, headers=headers).json() == []


def test_a_booking_after_its_place_closes__is_listed_as_closed(session: Session) -> None:
    from kanava.catalogue.models import Channel

    created = service.create_booking(
        session=session,
        request_in=BookingCreate.model_validate(
            {"topic": "elakkeet", "lang": "fi", "kind": "service_point",
             "place": "jyvaskyla-palvelupiste", "start": TEN, "name": "Maija Virtanen",
             "hetu": "131052-308T", "phone": "040 123 4567"}
        ),
        settings=Settings(database_url="sqlite://"), now=NOW,
    )  # fmt: skip
    for closes, found in (("2025-03-14", []), ("2025-03-13", [conflicts.PLACE_CLOSED])):
        session.execute(
            update(Channel)
            .where(Channel.id == "jyvaskyla-palvelupiste")
            .values(status="closed", status_date=closes)
        )
        assert listed(session) == [(created.booking.reference, reason) for reason in found]
