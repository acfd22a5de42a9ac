"""The appointment API as customers, staff and partners use it (clock pinned: Wed 12.3.2025)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.auth.models import AuditEntry
from kanava.auth.service import create_user
from tests.conftest import PINNED_NOW

START = "2025-03-13T10:00:00+02:00"


def body(**changes: Any) -> dict[str, Any]:
    return {
        "topic": "perinta",
        "lang": "sv",
        "kind": "phone",
        "start": START,
        "name": "Testi Asiakas",
        "hetu": "131052-308T",
        "phone": "0401234567",
        "email": "asiakas@example.fi",
        **changes,
    }


def signed_in(client: TestClient, session: Session, role: str, **links: str) -> dict[str, str]:
    create_user(
        session, username=role, password="correct horse battery", role=role, now=PINNED_NOW, **links
    )
    token = client.post(
        "/api/v1/auth/token", json={"username": role, "password": "correct horse battery"}
    )
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def test_book_manage_move_cancel(client: TestClient) -> None:
    slots = client.get(
        "/api/v1/slots", params={"topic": "perinta", "lang": "sv", "kind": "phone", "days": 1}
    )
    assert slots.json()["offers"][0]["start"] == "2025-03-13T09:00:00+02:00"
    first = client.get(
        "/api/v1/slots/first", params={"topic": "perinta", "lang": "sv", "kind": "phone"}
    )
    assert first.json()["start"] == "2025-03-13T09:00:00+02:00"
    created = client.post("/api/v1/bookings", json=body())
    assert created.status_code == 201, created.text
    reference = created.json()["booking"]["reference"]
    token = {"X-Manage-Token": created.json()["manage_token"]}
    assert created.json()["manage_url"].endswith(
        f"/varaus/{reference}?lang=sv&token={token['X-Manage-Token']}"
    )
    opened = client.get(created.json()["manage_url"], follow_redirects=False)
    assert opened.headers["location"].startswith(f"/sv/manage/{reference}")  # the booking's
    assert client.get(f"/api/v1/bookings/{reference}", headers=token).json()["status"] == "booked"
    ics = client.get(f"/api/v1/bookings/{reference}/calendar.ics", headers=token)
    assert ics.headers["content-type"].startswith("text/calendar")
    # Helsinki wall-clock time with its zone (10.00 local, 08.00 UTC), as the SMS says it.
    assert "DTSTART;TZID=Europe/Helsinki:20250313T100000" in ics.text
    assert "BEGIN:VTIMEZONE" in ics.text and "TZID:Europe/Helsinki" in ics.text
    assert "SUMMARY:FPA-tidsbokning: " in ics.text and "perinta" not in ics.text
    assert "LOCATION:FPA ringer dig på numret 040 1234567." in ics.text
    moved = client.post(
        f"/api/v1/bookings/{reference}/reschedule",
        headers=token,
        json={"start": "2025-03-13T11:00:00+02:00"},
    )
    assert moved.json()["start"] == "2025-03-13T11:00:00+02:00"
    assert (
        "SEQUENCE:1" in client.get(f"/api/v1/bookings/{reference}/calendar.ics", headers=token).text
    )
    cancelled = client.post(f"/api/v1/bookings/{reference}/cancel", headers=token)
    assert cancelled.json()["status"] == "cancelled"
    again = client.post(f"/api/v1/bookings/{reference}/cancel", headers=token)
    assert again.status_code == 409


def test_taken_slot__409_problem_with_alternatives(client: TestClient) -> None:
    assert client.post("/api/v1/bookings", json=body()).status_code == 201
    taken = client.post("/api/v1/bookings", json=body(hetu="010594Y9032"))
    assert taken.status_code == 409
    assert taken.headers["content-type"] == "application/problem+json"
    assert taken.json()["alternatives"][0]["start"] == "2025-03-13T10:30:00+02:00"


def test_reschedule_to_a_holiday__422_and_the_booking_stays(client: TestClient) -> None:
    created = client.post("/api/v1/bookings", json=body()).json()
    reference = created["booking"]["reference"]
    token = {"X-Manage-Token": created["manage_token"]}
    moved = client.post(
        f"/api/v1/bookings/{reference}/reschedule",
        headers=token,
        json={"start": "2025-04-18T10:00:00+03:00"},
    )
    assert moved.status_code == 422
    assert moved.json()["errors"][0]["field"] == "start"
    kept = client.get(f"/api/v1/bookings/{reference}", headers=token).json()
    assert (kept["status"], kept["start"]) == ("booked", START)


def test_idempotency_key_header__double_click_books_once(client: TestClient) -> None:
    headers = {"Idempotency-Key": "click-1"}
    first = client.post("/api/v1/bookings", json=body(), headers=headers)
    second = client.post("/api/v1/bookings", json=body(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hetu": "131052-308A"}, "hetu"),
        ({"phone": "abc"}, "phone"),
        ({"lang": "de"}, "lang"),
        ({"topic": "x"}, "topic"),
        ({"start": "2025-03-13T10:05:00+02:00"}, "start"),
        ({"start": "2025-03-13T20:00:00+02:00"}, "start"),  # after every shift
        ({"start": "2025-04-18T10:00:00+03:00"}, "start"),  # Good Friday
        ({"kind": "teleport"}, "kind"),
        ({"name": "x" * 500}, "name"),
    ],
)
def test_bad_input__422_or_404_naming_the_field(
    client: TestClient, changes: dict[str, Any], field: str
) -> None:
    response = client.post("/api/v1/bookings", json=body(**changes))
    assert response.status_code in (404, 422), response.text
    assert field in [e["field"] for e in response.json()["errors"]]


def test_wrong_token__404_without_saying_whether_the_reference_exists(client: TestClient) -> None:
    reference = client.post("/api/v1/bookings", json=body()).json()["booking"]["reference"]
    wrong = client.get(f"/api/v1/bookings/{reference}", headers={"X-Manage-Token": "0" * 32})
    missing = client.get("/api/v1/bookings/ZZZ-ZZZZ", headers={"X-Manage-Token": "0" * 32})
    assert wrong.status_code == missing.status_code == 404
    assert wrong.json()["detail"].split("'")[0] == missing.json()["detail"].split("'")[0]


def test_staff__agenda_and_outcome_need_a_token(client: TestClient, session: Session) -> None:
    client.post("/api/v1/bookings", json=body())
    assert client.get("/api/v1/staff/agenda", params={"day": "2025-03-13"}).status_code == 401
    headers = signed_in(client, session, "staff", expert_id="asiantuntija-03")
    agenda = client.get(
        "/api/v1/staff/agenda", params={"day": "2025-03-13"}, headers=headers
    ).json()
    assert [b["customer"]["hetu"] for b in agenda] == ["131052-308T"]
    early = client.post(
        f"/api/v1/staff/bookings/{agenda[0]['id']}/outcome",
        headers=headers,
        json={"status": "completed"},
    )
    assert early.status_code == 409  # not started yet at the pinned clock


def test_non_disclosure__partner_never_sees_contact_details_and_reads_are_audited(
    client: TestClient, session: Session
) -> None:
    place = "karsamaen-kunnan-asiointipiste-kirjasto"
    partner = signed_in(client, session, "partner", partner_channel_id=place)
    video = body(
        topic="elakkeet",
        lang="fi",
        kind="video",
        place=place,
        start="2025-03-14T09:00:00+02:00",
        non_disclosure=True,
    )
    booked = client.post("/api/v1/partner/bookings", json=video, headers=partner)
    assert booked.status_code == 201, booked.text
    elsewhere = client.post(
        "/api/v1/partner/bookings",
        json={**video, "place": "sievin-kunnan-asiointipiste-kunnantalo"},
        headers=partner,
    )
    assert elsewhere.status_code == 422
    seen = client.get("/api/v1/staff/agenda", params={"day": "2025-03-14"}, headers=partner).json()
    assert seen[0]["customer"] == {"name": "Turvakielto", "hetu": "", "phone": "", "email": None}
    audit = session.scalars(select(AuditEntry)).all()
    assert [(a.username, a.action) for a in audit] == [("partner", "read:partner")]


def test_callbacks__a_reused_key_with_another_body_is_refused_and_discloses_nothing(
    client: TestClient,
) -> None:
    window = client.get("/api/v1/callbacks/windows", params={"topic": "perinta", "lang": "sv"})
    request = {"window_id": window.json()[0]["id"], "name": "Eka Asiakas", "phone": "0401234567",
               "idempotency_key": "cb-1"}  # fmt: skip
    first = client.post("/api/v1/callbacks", json=request)
    again = client.post("/api/v1/callbacks", json=request)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["reference"] == first.json()["reference"]
    other = client.post(
        "/api/v1/callbacks", json={**request, "name": "Toka Asiakas", "phone": "0509876543"}
    )
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "idempotency_key"
    assert "Eka" not in other.text and first.json()["reference"] not in other.text


def test_callbacks__windows_fill_atomically_and_an_expert_takes_the_next(
    client: TestClient, session: Session
) -> None:
    windows = client.get(
        "/api/v1/callbacks/windows", params={"topic": "perinta", "lang": "sv"}
    ).json()
    days = sorted({w["day"] for w in windows})
    assert days == ["2025-03-12", "2025-03-13"]  # today (still open windows) and tomorrow
    assert all(not (w["day"] == "2025-03-12" and w["ends"] <= "10:00") for w in windows)
    window = windows[0]
    made = client.post(
        "/api/v1/callbacks",
        json={"window_id": window["id"], "name": "Asiakas", "phone": "0401234567"},
    )
    assert made.status_code == 201 and made.json()["window"]["free"] == window["capacity"] - 1
    headers = signed_in(client, session, "staff", expert_id="asiantuntija-03")
    taken = client.post("/api/v1/staff/callbacks/next", headers=headers).json()
    assert taken["status"] == "in_progress" and taken["phone"] == "+358401234567"
    tried = client.post(
        f"/api/v1/staff/callbacks/{taken['id']}/attempts",
        headers=headers,
        json={"outcome": "no_answer"},
    )
    assert tried.json()["status"] == "waiting" and tried.json()["attempts"] == 1


def test_callbacks__a_full_window_says_so_with_other_windows(
    client: TestClient, session: Session
) -> None:
    from kanava.booking.models import CallbackWindow

    window = client.get(
        "/api/v1/callbacks/windows", params={"topic": "perinta", "lang": "fi"}
    ).json()[0]
    row = session.get_one(CallbackWindow, window["id"])
    row.used = row.capacity
    session.flush()
    full = client.post(
        "/api/v1/callbacks", json={"window_id": window["id"], "name": "A", "phone": "0401234567"}
    )
    assert full.status_code == 409 and full.json()["alternatives"]


def test_callbacks__next_working_day_skips_holidays(client: TestClient) -> None:
    from zoneinfo import ZoneInfo

    from kanava.booking.callbacks import callback_days

    thursday_evening = datetime(2025, 4, 17, 18, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
    assert [d.isoformat() for d in callback_days(thursday_evening)] == ["2025-04-17", "2025-04-22"]
