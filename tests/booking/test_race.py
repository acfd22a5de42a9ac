"""Many clients at once, over HTTP, against `kanava serve --workers 2`, on each database.

All fight for the same times: equal, overlapping and adjacent intervals. Whatever the
interleaving, no two active bookings of one expert overlap; each request that lost
got 409 with the next free times; adjacent bookings both succeed.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.booking.models import Booking
from kanava.config import Settings
from kanava.db import make_engine
from tests.conftest import new_database_url
from tests.live import load_database, running_server

# Valid henkilötunnus codes made for the test: one customer per request.
CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


# Each request in the module is made for a customer of its own unless a test says otherwise,
# so that one test's winners never reach another's per-customer booking limit.
_next_customer = itertools.count()


def hetu(number: int) -> str:
    individual = 100 + number
    return f"010180-{individual}{CHECK[int(f'010180{individual}') % 31]}"


@pytest.fixture(scope="module")
def live_server(
    backend: str, tmp_path_factory: pytest.TempPathFactory, _postgres_databases: list[str]
) -> Iterator[tuple[str, str]]:
    """A real server on a fresh database with the shipped data; yields (base URL, db URL)."""
    url = new_database_url(backend, tmp_path_factory.mktemp("race"), _postgres_databases)
    load_database(url)
    # Many transactions at once in each process, so that the races have room to happen.
    with running_server(url, workers=2, env={"KANAVA_DB_WRITE_CONCURRENCY": "16"}) as base:
        yield base, url


def first_offer(base: str, topic: str, lang: str) -> datetime:
    response = httpx.get(
        f"{base}/api/v1/slots", params={"topic": topic, "lang": lang, "kind": "phone", "days": 14}
    )
    offers = response.json()["offers"]
    # A Monday–Thursday morning, so the single Swedish debt-recovery expert works.
    for offer in offers:
        start = datetime.fromisoformat(offer["start"])
        if start.hour == 9 and start.minute == 0 and start.isoweekday() <= 4:
            return start
    pytest.fail(f"no morning offer in {offers[:3]}")


def fire(
    base: str,
    starts: list[datetime],
    topic: str,
    lang: str,
    idempotency_key: str | None = None,
    customer_of: Callable[[int], int] | None = None,
) -> list[httpx.Response]:
    """Send one booking request per start, all released at the same moment; request
    ``index`` is made for customer ``customer_of(index)``, by default a new customer each."""
    customers = [
        customer_of(index) if customer_of else next(_next_customer) for index in range(len(starts))
    ]
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    barrier = threading.Barrier(len(starts))
    responses: list[httpx.Response | None] = [None] * len(starts)

    def one(index: int, start: datetime) -> None:
        body = {
            "topic": topic,
            "lang": lang,
            "kind": "phone",
            "start": start.isoformat(),
            "name": f"Asiakas {customers[index]}",
            "hetu": hetu(customers[index]),
            "phone": "040 123 4567",
        }
        with httpx.Client(base_url=base, timeout=60) as client:
            barrier.wait()
            responses[index] = client.post("/api/v1/bookings", json=body, headers=headers)

    threads = [threading.Thread(target=one, args=(i, s)) for i, s in enumerate(starts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r is not None for r in responses)
    return [r for r in responses if r is not None]


def active_bookings(db_url: str, topic: str) -> list[Booking]:
    engine = make_engine(Settings(database_url=db_url))
    with Session(engine) as session:
        rows = list(
            session.scalars(
                select(Booking).where(Booking.topic_id == topic, Booking.status == "booked")
            )
        )
    engine.dispose()
    return rows


def assert_no_overlap(bookings: list[Booking]) -> None:
    by_expert: dict[str, list[Booking]] = {}
    for booking in bookings:
        by_expert.setdefault(booking.expert_id, []).append(booking)
    for rows in by_expert.values():
        rows.sort(key=lambda b: b.blocked_start)
        for left, right in itertools.pairwise(rows):
            assert left.blocked_end <= right.blocked_start, (left.reference, right.reference)


def test_race__equal_overlapping_and_adjacent_for_one_expert(
    live_server: tuple[str, str],
) -> None:
    base, db_url = live_server
    start = first_offer(base, "perinta", "sv")
    quarter = timedelta(minutes=15)
    starts = [start] * 8 + [start + quarter] * 8 + [start + 2 * quarter] * 8
    responses = fire(base, starts, "perinta", "sv")
    codes = [r.status_code for r in responses]
    assert set(codes) <= {201, 409}, [r.text for r in responses if r.status_code not in (201, 409)]
    won = [s for s, r in zip(starts, responses, strict=True) if r.status_code == 201]
    assert won in ([start, start + 2 * quarter], [start + quarter]) or sorted(won) in (
        [start, start + 2 * quarter],
        [start + quarter],
    )
    for response in responses:
        if response.status_code == 409:
            body = response.json()
            assert body["status"] == 409 and body["alternatives"], body
    bookings = active_bookings(db_url, "perinta")
    assert len(bookings) == len(won)
    assert_no_overlap(bookings)


def test_race__adjacent_times_both_win_once_each(live_server: tuple[str, str]) -> None:
    base, db_url = live_server
    start = first_offer(base, "perinta", "sv") + timedelta(hours=2)
    half = timedelta(minutes=30)
    starts = [start] * 10 + [start + half] * 10
    responses = fire(base, starts, "perinta", "sv")
    winners = sorted(s for s, r in zip(starts, responses, strict=True) if r.status_code == 201)
    assert winners == [start, start + half]
    assert_no_overlap(active_bookings(db_url, "perinta"))


def test_race__pooled_slot_goes_to_as_many_as_there_are_free_experts(
    live_server: tuple[str, str],
) -> None:
    base, db_url = live_server
    start = first_offer(base, "elakkeet", "fi") + timedelta(hours=4)
    slots = httpx.get(
        f"{base}/api/v1/slots",
        params={
            "topic": "elakkeet",
            "lang": "fi",
            "kind": "phone",
            "start_date": start.date().isoformat(),
            "days": 1,
        },
    ).json()["offers"]
    free = next(o["free_experts"] for o in slots if datetime.fromisoformat(o["start"]) == start)
    responses = fire(base, [start] * 20, "elakkeet", "fi")
    assert sum(r.status_code == 201 for r in responses) == free
    bookings = [b for b in active_bookings(db_url, "elakkeet") if b.start_at == start]
    assert len({b.expert_id for b in bookings}) == free
    assert_no_overlap(active_bookings(db_url, "elakkeet"))


def test_race__one_idempotency_key_sent_at_once_books_once(live_server: tuple[str, str]) -> None:
    """A client retrying the same request in parallel (one key) gets one booking, told to
    every attempt."""
    base, db_url = live_server
    start = first_offer(base, "elakkeet", "fi") + timedelta(hours=5)
    responses = fire(
        base, [start] * 8, "elakkeet", "fi", idempotency_key="retry-3f9c", customer_of=lambda i: 700
    )
    assert [r.status_code for r in responses] == [201] * 8, [r.text for r in responses]
    references = {r.json()["booking"]["reference"] for r in responses}
    assert len(references) == 1
    tokens = {r.json()["manage_token"] for r in responses}
    assert len(tokens) == 1
    stored = [b for b in active_bookings(db_url, "elakkeet") if b.reference in references]
    assert len(stored) == 1


def test_race__one_key_for_different_customers_books_one_and_discloses_nothing(
    live_server: tuple[str, str],
) -> None:
    """Eight customers sending the same idempotency key at once: one is booked, the others
    are told the key is taken, and none is answered with the winner's booking."""
    base, db_url = live_server
    start = first_offer(base, "elakkeet", "fi") + timedelta(hours=6)
    responses = fire(base, [start] * 8, "elakkeet", "fi", idempotency_key="shared-7c1d")
    won = [r for r in responses if r.status_code == 201]
    assert len(won) == 1, [r.text for r in responses]
    winner = won[0].json()
    for response in responses:
        if response is won[0]:
            continue
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "idempotency_key"
        assert winner["manage_token"] not in response.text
        assert winner["booking"]["customer"]["hetu"] not in response.text
    stored = [b for b in active_bookings(db_url, "elakkeet") if b.idempotency_key == "shared-7c1d"]
    assert len(stored) == 1


def test_race__one_customer_never_holds_more_than_the_limit(live_server: tuple[str, str]) -> None:
    """52 bookings of one henkilötunnus at once, each at a different free time: exactly the
    limit (3) are booked; the rest are refused naming the henkilötunnus."""
    base, db_url = live_server
    offers = httpx.get(
        f"{base}/api/v1/slots",
        params={"topic": "toimeentulotuki", "lang": "fi", "kind": "phone", "days": 30},
    ).json()["offers"]
    starts = [datetime.fromisoformat(o["start"]) for o in offers][-52:]
    assert len(starts) == 52
    responses = fire(base, starts, "toimeentulotuki", "fi", customer_of=lambda i: 777)
    codes = [r.status_code for r in responses]
    assert codes.count(201) == 3, codes
    refused = [r.json() for r in responses if r.status_code == 409]
    assert len(refused) == 49 and all(p["errors"][0]["field"] == "hetu" for p in refused)
    mine = [b for b in active_bookings(db_url, "toimeentulotuki") if b.hetu == hetu(777)]
    assert len(mine) == 3
