"""The pages around the booking: languages, the guide, security, staff, partners, managers."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.auth.models import AuditEntry
from kanava.booking.models import Booking, CallbackRequest, CallbackWindow
from kanava.contacts.ingest import ingest
from kanava.contacts.models import ContactEvent
from kanava.i18n import LANGUAGES
from tests.conftest import PINNED_NOW
from tests.web.conftest import Clock, field, log_in, options
from tests.web.test_booking_pages import book

HKI = ZoneInfo("Europe/Helsinki")
PUBLIC_PAGES = ["/", "/guide?topic=elakkeet&place=Laukaa", "/book", "/callback", "/login"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_is_in_its_language_with_links_to_the_others(
    browser_client: TestClient, lang: str, path: str
) -> None:
    response = browser_client.get(f"/{lang}{path}")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    for other in LANGUAGES:
        if other != lang:
            assert f'hreflang="{other}"' in response.text
    texts = {"fi": "Siirry sisältöön", "sv": "Gå till innehållet", "en": "Skip to content"}
    assert texts[lang] in response.text


def test_finnish_is_the_default_and_the_choice_is_remembered(
    browser_client: TestClient,
) -> None:
    assert browser_client.get("/").headers["location"] == "/fi/"
    browser_client.get("/sv/book")
    assert browser_client.get("/").headers["location"] == "/sv/"
    assert browser_client.get("/xx/book").status_code == 404


def test_the_guide_page_lists_the_ways_to_get_served_with_a_map(
    browser_client: TestClient,
) -> None:
    page = browser_client.get("/fi/guide", params={"topic": "toimeentulotuki", "place": "41340"})
    assert page.status_code == 200
    headings = re.findall(r'<h2 id="section-(\w+)">', page.text)
    assert headings[:3] == ["online", "phone", "booking"]
    # Pinned Wednesday 10:00: the phone line is open until four.
    assert "Avoinna nyt" in page.text and "klo 16.00 asti" in page.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="map" role="img"' in page.text
    assert '<title id="map-title">Kartta lähimmistä asiointipaikoista</title>' in page.text
    # A point whose hours no source gives is "not known", never "closed".
    pieksamaki = page.text.split("Pieksämäen Kela")[1].split("</li>")[0]
    assert "Aukioloajat eivät ole tiedossa" in pieksamaki and "Suljettu" not in pieksamaki


def test_an_unknown_matter_or_place_is_named_next_to_its_field(
    browser_client: TestClient,
) -> None:
    page = browser_client.get("/sv/guide", params={"topic": "elakkeet", "place": "Xyz"})
    assert page.status_code == 422
    assert 'id="error-place"' in page.text and "Vi hittade inte" in page.text
    assert 'value="Xyz"' in page.text


def test_security_headers_and_cookie_flags(browser_client: TestClient) -> None:
    response = browser_client.get("/fi/login")
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    cookie = response.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "<script>" not in response.text  # no inline script anywhere
    static = browser_client.get("/static/kanava.css")
    assert static.status_code == 200 and "nosniff" in static.headers["x-content-type-options"]


def test_staff_pages_need_a_login_and_the_right_role(browser_client: TestClient) -> None:
    response = browser_client.get("/fi/staff")
    assert response.status_code == 303
    assert response.headers["location"] == "/fi/login?next=%2Ffi%2Fstaff"
    form = browser_client.get("/fi/login")
    wrong = browser_client.post(
        "/fi/login",
        data={"csrf_token": field(form, "csrf_token"), "username": "esihenkilo", "password": "x"},
    )
    assert wrong.status_code == 401 and "Käyttäjätunnus tai salasana on väärin" in wrong.text
    assert log_in(browser_client, "asiointipiste").headers["location"] == "/fi/partner"
    assert browser_client.get("/fi/manager").status_code == 403


def test_a_login_never_redirects_to_another_site(browser_client: TestClient) -> None:
    form = browser_client.get("/fi/login")
    response = browser_client.post(
        "/fi/login",
        data={
            "csrf_token": field(form, "csrf_token"),
            "username": "esihenkilo",
            "password": "kanava-demo-2025",
            "next": "//evil.example/",
        },
    )
    assert response.headers["location"] == "/fi/manager"


def test_logging_out_revokes_the_session(browser_client: TestClient) -> None:
    log_in(browser_client, "esihenkilo")
    saved = dict(browser_client.cookies)
    page = browser_client.get("/fi/manager")
    browser_client.post("/fi/logout", data={"csrf_token": field(page, "csrf_token")})
    browser_client.cookies.update(saved)  # even a copy of the old cookie opens nothing
    assert browser_client.get("/fi/manager").status_code == 303


def _waiting_request(session: Session, non_disclosure: bool) -> CallbackRequest:
    window = CallbackWindow(
        day=PINNED_NOW.date(),
        starts="09:00",
        ends="16:00",
        topic_id="elakkeet",
        lang="fi",
        capacity=3,
        used=1,
    )
    session.add(window)
    session.flush()
    request = CallbackRequest(
        reference="CB1-TEST",
        window_id=window.id,
        status="waiting",
        customer_name="Turva Asiakas",
        phone="+358401112233",
        non_disclosure=non_disclosure,
        attempts=0,
        created_at=PINNED_NOW,
        updated_at=PINNED_NOW,
    )
    session.add(request)
    session.flush()
    return request


def test_an_expert_takes_a_call_back_records_it_and_the_read_is_audited(
    browser_client: TestClient, session: Session
) -> None:
    request = _waiting_request(session, non_disclosure=True)
    day = log_in(browser_client, "asiantuntija")
    page = browser_client.get(day.headers["location"])
    assert "Odottaa sinua: 1" in page.text
    browser_client.post("/fi/staff/callbacks/next", data={"csrf_token": field(page, "csrf_token")})
    page = browser_client.get("/fi/staff")
    assert "Turva Asiakas" in page.text and "Turvakielto" in page.text
    audited = session.scalars(select(AuditEntry).where(AuditEntry.callback_id == request.id))
    assert {entry.username for entry in audited} == {"asiantuntija"}
    browser_client.post(
        f"/fi/staff/callbacks/{request.id}",
        data={"csrf_token": field(page, "csrf_token"), "outcome": "no_answer", "note": ""},
    )
    session.refresh(request)
    assert request.status == "waiting" and request.attempts == 1
    page = browser_client.get("/fi/staff")
    browser_client.post("/fi/staff/callbacks/next", data={"csrf_token": field(page, "csrf_token")})
    browser_client.post(
        f"/fi/staff/callbacks/{request.id}",
        data={"csrf_token": field(page, "csrf_token"), "outcome": "reached", "note": ""},
    )
    session.refresh(request)
    assert request.status == "done"
    event = session.scalar(select(ContactEvent).where(ContactEvent.source_id == "CB1-TEST"))
    assert event is not None
    assert (event.channel, event.outcome, event.topic_id) == ("callback", "served", "elakkeet")


def test_an_expert_records_the_outcome_of_an_appointment(
    browser_client: TestClient, session: Session, clock: Clock
) -> None:
    reference = book(browser_client)
    booking = session.scalar(select(Booking).where(Booking.reference == reference))
    assert booking is not None
    expert = booking.expert_id
    # The demo user 'asiantuntija' is expert 01; give the booking to that expert.
    booking.expert_id = "asiantuntija-01"
    session.flush()
    log_in(browser_client, "asiantuntija")
    day = booking.start_at.date().isoformat()
    agenda = browser_client.get("/fi/staff", params={"day": day})
    assert reference in browser_client.get(f"/fi/staff/booking/{booking.id}").text
    assert "Testi Asiakas" in agenda.text
    clock.now = booking.start_at + timedelta(minutes=31)
    log_in(browser_client, "asiantuntija")  # the next day: a new login
    page = browser_client.get(f"/fi/staff/booking/{booking.id}")
    browser_client.post(
        f"/fi/staff/booking/{booking.id}",
        data={
            "csrf_token": field(page, "csrf_token"),
            "outcome": "no_show",
            "note": "Ei vastannut",
        },
    )
    session.refresh(booking)
    assert booking.status == "no_show" and booking.outcome_note == "Ei vastannut"
    event = session.scalar(select(ContactEvent).where(ContactEvent.source_id == reference))
    assert event is not None
    assert (event.channel, event.outcome) == ("phone_appointment", "no_show")
    assert event.occurred_at == booking.start_at
    assert expert  # it had one before


def test_a_partner_never_sees_a_protected_customers_details(
    browser_client: TestClient, session: Session, clock: Clock
) -> None:
    log_in(browser_client, "asiointipiste")
    book_form = browser_client.get(
        "/fi/partner/book", params={"topic": "kuntoutus", "service_lang": "fi"}
    )
    start = options(book_form, "start")[0]
    details = browser_client.get(
        "/fi/partner/book/details",
        params={"topic": "kuntoutus", "service_lang": "fi", "start": start},
    )
    sent = browser_client.post(
        "/fi/partner/book/details",
        data={
            "csrf_token": field(details, "csrf_token"),
            "topic": "kuntoutus",
            "service_lang": "fi",
            "start": start,
            "nonce": field(details, "nonce"),
            "name": "Salainen Henkilö",
            "hetu": "131052-308T",
            "phone": "040 999 8888",
        },
    )
    assert sent.headers["location"] == "/fi/partner"
    booking = session.scalar(select(Booking).where(Booking.customer_name == "Salainen Henkilö"))
    assert booking is not None and booking.booked_by == "asiointipiste"
    booking.non_disclosure = True
    session.flush()
    clock.now = datetime.combine(booking.start_at.date(), clock.now.timetz())
    log_in(browser_client, "asiointipiste")  # the day of the appointment
    page = browser_client.get("/fi/partner")
    assert "Turvakielto" in page.text
    assert "Salainen Henkilö" not in page.text and "999 8888" not in page.text


def test_the_managers_staffing_page(browser_client: TestClient) -> None:
    log_in(browser_client, "esihenkilo")
    page = browser_client.get("/fi/manager/staffing", params={"week": "2025-W11"})
    assert page.status_code == 200
    assert page.text.count('<th scope="row"><a href="/fi/manager/staffing') == 10
    assert "synteettisestä" in page.text
    bad = browser_client.get("/fi/manager/staffing", params={"week": "viikko"})
    assert bad.status_code == 422 and 'id="error-week"' in bad.text
    log_in(browser_client, "asiantuntija")
    assert browser_client.get("/fi/manager/staffing").status_code == 403


def test_the_managers_statistics_page(
    browser_client: TestClient, session: Session, tmp_path: Path
) -> None:
    rows = "\n".join(
        f"s{i},2025-02-{3 + 7 * (i % 4):02d}T1{i % 6}:00,service_point_appointment,"
        f"laukaa-ajanvaraus,,fi,served,,"
        for i in range(12)
    )
    path = tmp_path / "events.csv"
    path.write_text(
        "source_id,occurred_at,channel,place,topic,lang,outcome,wait_seconds,handle_seconds\n"
        + rows,
        encoding="utf-8",
    )
    ingest(session, path, now=PINNED_NOW)
    log_in(browser_client, "esihenkilo")
    page = browser_client.get("/sv/manager/statistics", params={"until": "2025-03-02", "weeks": 8})
    assert page.status_code == 200
    assert "laukaa-ajanvaraus" in page.text and "Låg efterfrågan" in page.text
    assert page.text.count('class="chart"') == 3
    assert "syntetiska demonstrationsåret" in page.text
    assert "Förändring på ett år" in page.text
    assert browser_client.get("/sv/manager/statistics", params={"until": "x"}).status_code == 422


def test_the_managers_absences_page_hands_an_absent_expert_s_booking_over(
    browser_client: TestClient, session: Session
) -> None:
    reference = book(browser_client)
    booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
    expert, day = booking.expert_id, booking.start_at.astimezone(HKI).date().isoformat()
    log_in(browser_client, "esihenkilo")
    page = browser_client.get("/fi/manager/absences")
    assert page.status_code == 200 and "Jokaisella seuraavan kahden viikon varauksella" in page.text
    form = {"csrf_token": field(page, "csrf_token"), "expert": "", "first_day": day}
    refused = browser_client.post("/fi/manager/absences", data={**form, "last_day": "2025-03-01"})
    assert refused.status_code == 422
    assert 'id="error-expert"' in refused.text and "Valitse asiantuntija." in refused.text
    assert "Viimeinen päivä ei voi olla ennen ensimmäistä." in refused.text
    assert (
        "<script>"
        not in browser_client.post(
            "/fi/manager/absences", data={**form, "expert": expert, "reason": "<script>x</script>"}
        ).text
    )
    shown = browser_client.get("/fi/manager/absences")
    assert "Varauksia, joilla ei nyt ole asiantuntijaa: 1" in shown.text
    assert "<td>Poissa</td>" in shown.text and "&lt;script&gt;x&lt;/script&gt;" in shown.text
    handed = browser_client.post(
        "/fi/manager/absences/hand-over", data={"csrf_token": field(shown, "csrf_token")}
    )
    assert handed.status_code == 303
    after = browser_client.get(handed.headers["location"])
    assert "Siirretty: 1." in after.text and booking.expert_id != expert
    assert "Jokaisella seuraavan kahden viikon varauksella" in after.text
    without_token = browser_client.post("/fi/manager/absences/hand-over", data={})
    assert without_token.status_code == 403
    log_in(browser_client, "asiantuntija")
    assert browser_client.get("/fi/manager/absences").status_code == 403
