"""The booking flow and the manage page, in process with a pinned clock: what is stored,
what is refused, and what the customer is shown when a slot goes or a hold expires."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kanava.booking.models import Booking
from tests.web.conftest import Clock, field, options

TOPIC = {"topic": "elakkeet", "kind": "phone", "service_lang": "fi", "place": ""}
CUSTOMER = {"name": "Testi Asiakas", "hetu": "131052-308T", "phone": "040 123 4567"}


def bookings(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Booking)) or 0


def details_form(client: TestClient, start: str | None = None) -> Response:
    times = client.get("/fi/book/times", params=TOPIC)
    assert times.status_code == 200
    chosen = start or options(times, "start")[0]
    return client.get("/fi/book/details", params={**TOPIC, "start": chosen})


def send_details(client: TestClient, form: Response, **changes: str) -> Response:
    data = {
        **TOPIC,
        "start": unescape(field(form, "start")),
        "nonce": field(form, "nonce"),
        "csrf_token": field(form, "csrf_token"),
        **CUSTOMER,
        **changes,
    }
    return client.post("/fi/book/details", data=data)


def book(client: TestClient, **changes: str) -> str:
    """Hold and confirm a time; returns the reference."""
    held = send_details(client, details_form(client), **changes)
    assert held.status_code == 303, held.text
    check = client.get(held.headers["location"])
    confirmed = client.post(
        held.headers["location"], data={"csrf_token": field(check, "csrf_token")}
    )
    assert confirmed.status_code == 303
    return confirmed.headers["location"].rsplit("/", 1)[1]


def test_the_times_are_the_free_slots_from_the_first_bookable_day(
    browser_client: TestClient,
) -> None:
    times = browser_client.get("/fi/book/times", params=TOPIC)
    starts = options(times, "start")
    # Pinned at Wednesday 12.3.2025 10:00: the next working day is Thursday.
    assert starts[0] == "2025-03-13T09:00:00+02:00"
    assert "torstai 13.3.2025" in times.text
    later = browser_client.get("/fi/book/times", params={**TOPIC, "week": 1})
    assert options(later, "start")[0].startswith("2025-03-20")


def test_a_booking_is_held_then_confirmed_and_its_link_opens_it(
    browser_client: TestClient, session: Session
) -> None:
    before = bookings(session)
    reference = book(browser_client)
    assert bookings(session) == before + 1
    stored = session.scalar(select(Booking).where(Booking.reference == reference))
    assert stored is not None and stored.status == "booked" and stored.phone == "+358401234567"
    done = browser_client.get(f"/fi/book/done/{reference}")
    assert "Aikasi on varattu" in done.text
    link = next(line for line in done.text.splitlines() if "token=" in line and "<a href" in line)
    token = link.split("token=")[1].split('"')[0]
    stranger = TestClient(browser_client.app, base_url="https://testserver", follow_redirects=False)
    opened = stranger.get(f"/fi/manage/{reference}", params={"token": token})
    assert opened.status_code == 303  # the token leaves the address bar
    page = stranger.get(opened.headers["location"])
    assert page.status_code == 200 and reference in page.text


def test_wrong_details_are_all_named_in_the_page_language_and_nothing_is_stored(
    browser_client: TestClient, session: Session
) -> None:
    before = bookings(session)
    form = details_form(browser_client)
    response = send_details(
        browser_client, form, name="", hetu="131052-308U", phone="12", email="not-an-email"
    )
    assert response.status_code == 422
    for message in (
        "Kirjoita nimesi",
        "Kirjoita henkilötunnuksesi muodossa 131052-308T.",
        "Kirjoita puhelinnumero",
        "Kirjoita sähköpostiosoite",
    ):
        assert message in response.text
    assert 'href="#field-hetu"' in response.text  # the summary links to the field
    assert 'value="131052-308U"' in response.text  # what was typed is kept
    assert bookings(session) == before


def test_hostile_text_is_stored_as_typed_and_shown_escaped(
    browser_client: TestClient, session: Session
) -> None:
    script = '<script>alert("x")</script>'
    reference = book(browser_client, name=f"Åsa {script}", message=script)
    stored = session.scalar(select(Booking).where(Booking.reference == reference))
    assert stored is not None and stored.customer_name == f"Åsa {script}"
    page = browser_client.get(f"/fi/manage/{reference}")
    assert "<script>alert" not in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_a_slot_taken_meanwhile_offers_the_next_free_times(
    browser_client: TestClient, session: Session
) -> None:
    # Every qualified expert is free at the first time; the customer after the last wins
    # nothing and is shown the next free times instead.
    start = unescape(field(details_form(browser_client), "start"))
    taken = 0
    for number in range(20):
        response = send_details(
            browser_client, details_form(browser_client, start), hetu=_hetu(number)
        )
        if response.status_code == 409:
            break
        assert response.status_code == 303
        taken += 1
    else:
        raise AssertionError("the time never ran out")
    assert taken >= 1
    assert "joku muu ehti juuri varata" in response.text
    assert f'value="{start}"' not in response.text  # the gone time is not offered again
    assert options(response, "start")  # the next free ones are


def test_an_expired_hold_is_offered_new_times_and_frees_its_slot(
    browser_client: TestClient, session: Session, clock: Clock
) -> None:
    form = details_form(browser_client)
    held = send_details(browser_client, form)
    check = browser_client.get(held.headers["location"])
    assert "Aika on varattu sinulle" in check.text
    clock.now += timedelta(minutes=11)
    late = browser_client.post(
        held.headers["location"], data={"csrf_token": field(check, "csrf_token")}
    )
    assert late.status_code == 409
    assert "varaus on vanhentunut" in late.text
    reference = held.headers["location"].rsplit("/", 1)[1]
    stored = session.scalar(select(Booking).where(Booking.reference == reference))
    assert stored is not None and stored.status == "expired"
    assert unescape(field(form, "start")) in unescape(late.text)  # the time is free again


def test_moving_and_cancelling_through_the_manage_page(
    browser_client: TestClient, session: Session
) -> None:
    reference = book(browser_client)
    move = browser_client.get(f"/fi/manage/{reference}/move")
    new_start = options(move, "start")[5]
    moved = browser_client.post(
        f"/fi/manage/{reference}/move",
        data={"start": new_start, "csrf_token": field(move, "csrf_token")},
    )
    assert moved.status_code == 303
    page = browser_client.get(moved.headers["location"])
    assert "Aikasi siirrettiin" in page.text
    stored = session.scalar(select(Booking).where(Booking.reference == reference))
    assert stored is not None and stored.start_at.isoformat() != ""
    cancel = browser_client.get(f"/fi/manage/{reference}/cancel")
    browser_client.post(
        f"/fi/manage/{reference}/cancel", data={"csrf_token": field(cancel, "csrf_token")}
    )
    session.refresh(stored)
    assert stored.status == "cancelled"
    ics = browser_client.get(f"/fi/manage/{reference}/calendar.ics")
    assert ics.headers["content-type"].startswith("text/calendar")


def test_a_wrong_token_is_a_plain_not_found(browser_client: TestClient) -> None:
    reference = book(browser_client)
    stranger = TestClient(browser_client.app, base_url="https://testserver", follow_redirects=False)
    wrong = stranger.get(f"/fi/manage/{reference}", params={"token": "0" * 32})
    missing = stranger.get("/fi/manage/ZZZ-ZZZZ", params={"token": "0" * 32})
    assert wrong.status_code == missing.status_code == 404
    assert "Sivua ei löytynyt" in wrong.text
    assert wrong.text.replace(reference, "ZZZ-ZZZZ") == missing.text


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
    browser_client: TestClient, session: Session
) -> None:
    before = bookings(session)
    form = details_form(browser_client)
    response = send_details(browser_client, form, csrf_token="forged")
    assert response.status_code == 403
    assert "Lomake oli vanhentunut" in response.text
    assert bookings(session) == before


def test_sending_the_same_form_twice_books_once(
    browser_client: TestClient, session: Session
) -> None:
    before = bookings(session)
    form = details_form(browser_client)
    first = send_details(browser_client, form)
    second = send_details(browser_client, form)
    assert first.headers["location"] == second.headers["location"]
    assert bookings(session) == before + 1


def _hetu(number: int) -> str:
    check = "0123456789ABCDEFHJKLMNPRSTUVWXY"
    individual = 300 + number
    return f"020280-{individual}{check[int(f'020280{individual}') % 31]}"
