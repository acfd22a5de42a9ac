"""Booking on both databases with a pinned clock: search, book, hold, move, cancel, limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kanava.booking import availability as av
from kanava.booking import service
from kanava.booking.models import (
    AppointmentType,
    Booking,
    Expert,
    ExpertLanguage,
    ExpertTopic,
    Shift,
)
from kanava.booking.schemas import BookingCreate
from kanava.config import Settings
from kanava.errors import Conflict, InvalidInput, NotFound
from kanava.notify.models import OutboxMessage

HKI = ZoneInfo("Europe/Helsinki")
SETTINGS = Settings(database_url="sqlite://")
NOW = datetime(2025, 3, 12, 10, 0, tzinfo=HKI)  # Wednesday
HETUS = ["131052-308T", "010594Y9032", "020594X903P", "010516B903X", "020516C903K"]


def hki(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=HKI)  # type: ignore[misc]


def request(start: datetime, hetu: str = HETUS[0], **changes: object) -> BookingCreate:
    values: dict[str, object] = {
        "topic": "perinta",
        "lang": "sv",
        "kind": "phone",
        "start": start,
        "name": "Testi Asiakas",
        "hetu": hetu,
        "phone": "040 123 4567",
        "email": "asiakas@example.fi",
        **changes,
    }
    return BookingCreate.model_validate(values)


def book(
    session: Session, start: datetime, hetu: str = HETUS[0], now: datetime = NOW, **changes: object
) -> service.BookingCreated:
    return service.create_booking(
        session=session, request_in=request(start, hetu, **changes), settings=SETTINGS, now=now
    )


def offers(
    session: Session,
    now: datetime = NOW,
    days: int = 1,
    first: datetime | None = None,
    **query: str,
) -> list[datetime]:
    values = {"topic": "perinta", "lang": "sv", "kind": "phone", "place": None, **query}
    result = service.search_slots(session=session, first=first, days=days, now=now, **values)  # type: ignore[arg-type]
    return [o.start for o in result.offers]


def test_search__only_from_the_next_working_day(session: Session) -> None:
    starts = offers(session)
    assert starts[0] == hki(2025, 3, 13, 9, 0)
    assert starts[-1] == hki(2025, 3, 13, 15, 30)  # 30-minute phone time ends by 16:00
    assert len(starts) == 27  # every 15 minutes


def test_search__friday_notice_skips_the_weekend(session: Session) -> None:
    friday = hki(2025, 3, 14, 15, 0)
    # asiantuntija-03 takes Swedish phone times Mon–Thu only; next is Monday 17.3.
    assert offers(session, now=friday)[0] == hki(2025, 3, 17, 9, 0)


@pytest.mark.parametrize(
    ("first", "closed"),
    [
        (hki(2025, 4, 17), [date(2025, 4, 18), date(2025, 4, 21)]),
        (hki(2025, 6, 19), [date(2025, 6, 20)]),
        (hki(2025, 12, 22), [date(2025, 12, 24), date(2025, 12, 25), date(2025, 12, 26)]),
    ],
    ids=["easter", "juhannus", "christmas"],
)
def test_search__holidays_offer_nothing(
    session: Session, first: datetime, closed: list[date]
) -> None:
    now = first - timedelta(days=10)
    days = {
        s.astimezone(HKI).date()
        for s in offers(session, now=now, first=first, days=7, topic="elakkeet", lang="fi")
    }
    assert days and not days & set(closed)


def test_search__horizon_six_weeks(session: Session) -> None:
    late = offers(session, first=hki(2025, 4, 22), days=7, topic="elakkeet", lang="fi")
    assert late and max(late).date() <= date(2025, 4, 23)


def round_the_clock_expert(session: Session) -> None:
    session.add(Expert(id="yo", name="Yövuoro", active=True, provenance="synthetic"))
    session.flush()
    session.add_all(
        [
            ExpertTopic(expert_id="yo", topic_id="perinta"),
            ExpertLanguage(expert_id="yo", lang="en"),
            Shift(expert_id="yo", kind="phone", hours="Mo-Su 00:00-24:00"),
        ]
    )
    session.flush()


def change_day_starts(session: Session, day: date) -> list[datetime]:
    """Local start times offered on a whole day by an expert who works around the clock."""
    round_the_clock_expert(session)
    first = datetime.combine(day, datetime.min.time(), tzinfo=HKI)
    found = offers(session, now=first - timedelta(days=5), first=first, lang="en")
    return [s.astimezone(HKI) for s in found]


@pytest.mark.parametrize("day", [date(2025, 3, 30), date(2026, 3, 29)])
def test_search__spring_change_no_start_in_the_missing_hour(session: Session, day: date) -> None:
    starts = change_day_starts(session, day)
    times = [s.strftime("%H:%M") for s in starts]
    assert "02:45" in times and "04:00" in times
    assert not [t for t in times if t.startswith("03:")]
    assert len(times) == len(set(times))


@pytest.mark.parametrize("day", [date(2025, 10, 26), date(2026, 10, 25)])
def test_search__autumn_change_offers_the_repeated_hour_once(session: Session, day: date) -> None:
    starts = change_day_starts(session, day)
    times = [s.strftime("%H:%M") for s in starts]
    assert times.count("03:00") == 1 and times.count("03:30") == 1
    assert starts == sorted(starts)


def test_book__confirmation_sms_email_with_ics_and_a_reminder(session: Session) -> None:
    created = book(session, hki(2025, 3, 13, 10, 0))
    assert created.booking.status == "booked" and created.booking.customer.phone == "+358401234567"
    messages = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    kinds = [(m.purpose, m.medium) for m in messages]
    assert kinds == [("confirmation", "sms"), ("confirmation", "email"), ("reminder", "sms")]
    email = messages[1]
    assert (
        email.ics
        and "BEGIN:VEVENT" in email.ics
        and f"UID:{created.booking.reference}@kanava" in email.ics
    )
    assert email.lang == "sv" and "bokad" in (email.subject or "")
    assert messages[2].not_before == hki(2025, 3, 12, 12, 0) or messages[2].not_before > NOW


def test_manage__token_opens_the_booking_and_nothing_else(session: Session) -> None:
    created = book(session, hki(2025, 3, 13, 10, 0))
    reference = created.booking.reference
    assert (
        service.get_booking(
            session=session, reference=reference, token=created.manage_token
        ).reference
        == reference
    )
    with pytest.raises(NotFound) as wrong_token:
        service.get_booking(session=session, reference=reference, token="x" * 32)
    with pytest.raises(NotFound) as wrong_reference:
        service.get_booking(session=session, reference="ABC-DEFG", token=created.manage_token)
    assert (
        str(wrong_token.value).split(":")[0]
        == str(wrong_reference.value).split(":")[0]
        == "reference"
    )


def test_book__the_same_time_twice_is_refused_with_alternatives(session: Session) -> None:
    book(session, hki(2025, 3, 13, 10, 0))
    with pytest.raises(Conflict) as refused:
        book(session, hki(2025, 3, 13, 10, 15), HETUS[1])
    alternatives = refused.value.extra["alternatives"]
    assert alternatives[0]["start"] == "2025-03-13T10:30:00+02:00"
    assert session.scalar(select(func.count()).select_from(Booking)) == 1


def test_book__adjacent_times_both_fit(session: Session) -> None:
    book(session, hki(2025, 3, 13, 10, 0))
    assert book(session, hki(2025, 3, 13, 10, 30), HETUS[1]).booking.status == "booked"


def test_book__pooled_experts_least_loaded_first(session: Session) -> None:
    start = hki(2025, 3, 13, 11, 0)
    first = book(session, start, topic="elakkeet", lang="fi")
    second = book(session, start, HETUS[1], topic="elakkeet", lang="fi")
    experts = session.scalars(select(Booking.expert_id).order_by(Booking.id)).all()
    assert len(set(experts)) == 2 and first.booking.start == second.booking.start


def test_book__the_least_loaded_expert_that_day_and_equals_in_varying_order(
    session: Session,
) -> None:
    """Customers asking for the same time at once must not all try the same expert first."""
    request_ = av.check_request(session, topic="elakkeet", lang="fi", kind="phone", place=None)
    kind_row = av.appointment_type(request_)
    start = hki(2025, 3, 13, 13, 0)
    first = av.free_at(session, request_, kind_row, start, NOW).experts
    assert len(first) >= 3
    busy = book(session, hki(2025, 3, 13, 9, 0), topic="elakkeet", lang="fi").booking
    busy_expert = session.scalar(
        select(Booking.expert_id).where(Booking.reference == busy.reference)
    )
    orders = {tuple(av.free_at(session, request_, kind_row, start, NOW).experts) for _ in range(30)}
    assert all(order[-1] == busy_expert for order in orders)  # the loaded one comes last
    assert len({order[0] for order in orders}) > 1  # the unloaded ones in varying order


def test_book__a_booking_on_another_day_is_no_load_on_this_one(session: Session) -> None:
    request_ = av.check_request(session, topic="elakkeet", lang="fi", kind="phone", place=None)
    kind_row = av.appointment_type(request_)
    tomorrow = book(session, hki(2025, 3, 14, 9, 0), topic="elakkeet", lang="fi").booking
    expert = session.scalar(
        select(Booking.expert_id).where(Booking.reference == tomorrow.reference)
    )
    start = hki(2025, 3, 13, 13, 0)
    orders = [av.free_at(session, request_, kind_row, start, NOW).experts for _ in range(30)]
    assert expert in orders[0]
    assert {order.index(expert) for order in orders} != {len(orders[0]) - 1}


def test_free_at__agrees_with_the_search_at_every_start(session: Session) -> None:
    """Booking checks one start with a read of its own; it must see what the search sees:
    buffers, adjacent bookings, a day at the cap, and holds live or expired."""
    session.execute(
        update(AppointmentType)
        .where(AppointmentType.kind == "phone")
        .values(buffer_before_min=5, buffer_after_min=10, daily_cap=2)
    )
    pension = {"topic": "elakkeet", "lang": "fi"}
    for hour, minute, hetu in ((9, 0, 0), (9, 45, 1), (10, 0, 2), (13, 15, 3)):
        book(session, hki(2025, 3, 13, hour, minute), HETUS[hetu], **pension)
    book(session, hki(2025, 3, 13, 11, 0), HETUS[4], hold=True, **pension)
    book(
        session,
        hki(2025, 3, 13, 14, 0),
        HETUS[4],
        hold=True,
        now=NOW - timedelta(hours=1),
        **pension,
    )
    later = NOW + timedelta(minutes=1)  # the second hold has expired, the first has not
    request_ = av.check_request(session, topic="elakkeet", lang="fi", kind="phone", place=None)
    kind_row = av.appointment_type(request_)
    result = service.search_slots(
        session=session,
        first=hki(2025, 3, 13, 0, 0),
        days=1,
        now=later,
        place=None,
        kind="phone",
        **pension,
    )
    offered = {o.start: o.free_experts for o in result.offers}
    assert offered and min(offered.values()) < max(offered.values())
    for step in range(4 * 9):
        start = hki(2025, 3, 13, 8, 0) + timedelta(minutes=15 * step)
        free = av.free_at(session, request_, kind_row, start, later)
        assert len(free.experts) == offered.get(start, 0), start


def test_hold__expired_hold_frees_the_slot(session: Session) -> None:
    held = book(session, hki(2025, 3, 13, 10, 0), hold=True)
    assert held.booking.status == "held"
    with pytest.raises(Conflict):
        book(session, hki(2025, 3, 13, 10, 0), HETUS[1], now=NOW + timedelta(minutes=5))
    later = NOW + timedelta(minutes=11)
    taken = book(session, hki(2025, 3, 13, 10, 0), HETUS[1], now=later)
    assert taken.booking.status == "booked"
    with pytest.raises(Conflict, match="hold has expired"):
        service.confirm_hold(
            session=session,
            reference=held.booking.reference,
            token=held.manage_token,
            settings=SETTINGS,
            now=later,
        )


def test_hold__confirmed_in_time_becomes_a_booking(session: Session) -> None:
    held = book(session, hki(2025, 3, 13, 10, 0), hold=True)
    confirmed = service.confirm_hold(
        session=session,
        reference=held.booking.reference,
        token=held.manage_token,
        settings=SETTINGS,
        now=NOW + timedelta(minutes=9),
    )
    assert confirmed.status == "booked" and confirmed.hold_expires_at is None


def test_cancel__frees_the_slot_for_another_customer(session: Session) -> None:
    created = book(session, hki(2025, 3, 13, 10, 0))
    cancelled = service.cancel_booking(
        session=session,
        reference=created.booking.reference,
        token=created.manage_token,
        settings=SETTINGS,
        now=NOW,
    )
    assert cancelled.status == "cancelled"
    assert book(session, hki(2025, 3, 13, 10, 0), HETUS[1]).booking.status == "booked"
    purposes = session.scalars(
        select(OutboxMessage.purpose).where(OutboxMessage.status == "pending")
    ).all()
    assert "cancellation" in purposes


def test_reschedule__moves_in_place_and_never_leaves_two_or_none(session: Session) -> None:
    created = book(session, hki(2025, 3, 13, 10, 0))
    reference, token = created.booking.reference, created.manage_token
    moved = service.reschedule_booking(
        session=session,
        reference=reference,
        token=token,
        new_start=hki(2025, 3, 13, 10, 15),
        settings=SETTINGS,
        now=NOW,
    )
    assert moved.start == hki(2025, 3, 13, 10, 15) and moved.sequence == 1
    book(session, hki(2025, 3, 13, 13, 0), HETUS[1])
    with pytest.raises(Conflict, match="not moved"):
        service.reschedule_booking(
            session=session,
            reference=reference,
            token=token,
            new_start=hki(2025, 3, 13, 13, 15),
            settings=SETTINGS,
            now=NOW,
        )
    mine = session.scalars(
        select(Booking).where(Booking.hetu == HETUS[0], Booking.status == "booked")
    ).all()
    assert [b.start_at for b in mine] == [hki(2025, 3, 13, 10, 15)]


def test_idempotency__a_retry_books_once_and_gives_the_same_token(session: Session) -> None:
    first = book(session, hki(2025, 3, 13, 10, 0), idempotency_key="k-1")
    again = book(session, hki(2025, 3, 13, 10, 0), idempotency_key="k-1")
    assert (again.booking.reference, again.manage_token) == (
        first.booking.reference,
        first.manage_token,
    )
    assert session.scalar(select(func.count()).select_from(Booking)) == 1
    with pytest.raises(InvalidInput, match="idempotency_key"):
        book(session, hki(2025, 3, 13, 11, 0), idempotency_key="k-1")


def test_idempotency__another_customer_with_the_same_key_learns_nothing(session: Session) -> None:
    """The same key and time, but another customer: refused, and the first booking's
    details and manage token are not in the answer."""
    first = book(session, hki(2025, 3, 13, 10, 0), idempotency_key="k-2")
    with pytest.raises(InvalidInput, match="idempotency_key") as refused:
        book(session, hki(2025, 3, 13, 10, 0), hetu=HETUS[1], idempotency_key="k-2")
    assert first.manage_token not in str(refused.value)
    assert HETUS[0] not in str(refused.value)
    assert session.scalar(select(func.count()).select_from(Booking)) == 1


def test_limit__active_bookings_per_customer(session: Session) -> None:
    for hour in (9, 10, 11):
        book(session, hki(2025, 3, 13, hour, 0))
    with pytest.raises(Conflict, match="limit is 3"):
        book(session, hki(2025, 3, 13, 12, 0))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hetu": "131052-308U"}, "hetu"),
        ({"phone": "12345"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"message": "a\x00b"}, "message"),
        ({"topic": "nosuch"}, "topic"),
        ({"start": hki(2025, 3, 13, 10, 7)}, "start"),
        ({"start": hki(2025, 3, 12, 14, 0)}, "start"),
        ({"start": hki(2025, 6, 2, 10, 0)}, "start"),
        ({"kind": "service_point"}, "place"),
        ({"kind": "service_point", "place": "puhelin-elakkeet"}, "place"),
    ],
)
def test_bad_input__names_the_field_and_stores_nothing(
    session: Session, changes: dict[str, object], field: str
) -> None:
    values = {"start": hki(2025, 3, 13, 10, 0), **changes}
    start = values.pop("start")
    with pytest.raises((InvalidInput, NotFound)) as error:
        book(session, start, **values)  # type: ignore[arg-type]
    assert error.value.field == field
    assert session.scalar(select(func.count()).select_from(Booking)) == 0
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_hostile_text__is_stored_as_typed(session: Session) -> None:
    name = "<script>alert('x')</script> Ääkkönen; DROP TABLE booking"
    created = book(session, hki(2025, 3, 13, 10, 0), name=name)
    assert created.booking.customer.name == name


def test_video__needs_a_free_expert_and_a_free_room(session: Session) -> None:
    place = "karsamaen-kunnan-asiointipiste-kirjasto"
    first = hki(2025, 3, 14, 9, 0)
    starts = offers(session, first=first, topic="elakkeet", lang="fi", kind="video", place=place)
    assert starts[0] == hki(2025, 3, 14, 9, 0)  # buffers may reach outside working time
    book(session, starts[0], topic="elakkeet", lang="fi", kind="video", place=place)
    # Two video experts work on Friday, but the point has one room.
    with pytest.raises(Conflict):
        book(session, starts[0], HETUS[1], topic="elakkeet", lang="fi", kind="video", place=place)


def test_database_guard__refuses_overlap_even_without_the_service(session: Session) -> None:
    row = {
        "manage_token_hash": "0" * 64,
        "status": "booked",
        "kind": "phone",
        "topic_id": "elakkeet",
        "lang": "fi",
        "expert_id": "asiantuntija-01",
        "customer_name": "A",
        "hetu": HETUS[0],
        "phone": "+358401234567",
        "created_at": NOW,
        "updated_at": NOW,
        "sequence": 0,
    }

    def times(h: int, m: int) -> dict[str, datetime]:
        start = hki(2025, 3, 13, h, m).astimezone(UTC)
        return {
            "start_at": start,
            "end_at": start + timedelta(minutes=30),
            "blocked_start": start,
            "blocked_end": start + timedelta(minutes=30),
        }

    session.execute(insert(Booking).values(reference="AAA-AAAA", **row, **times(10, 0)))
    session.execute(
        insert(Booking).values(reference="BBB-BBBB", **row, **times(10, 30))
    )  # adjacent
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(insert(Booking).values(reference="CCC-CCCC", **row, **times(10, 15)))
    cancelled = {**row, "status": "cancelled"}
    session.execute(insert(Booking).values(reference="DDD-DDDD", **cancelled, **times(10, 15)))


def _close_from(session: Session, place: str, day: date) -> None:
    from kanava.catalogue.models import Channel

    session.execute(
        update(Channel)
        .where(Channel.id == place)
        .values(status="closed", status_date=day.isoformat())
    )
    session.flush()


def test_closing_from_a_date__slots_stop_the_day_before(session: Session) -> None:
    place = "jyvaskyla-palvelupiste"
    _close_from(session, place, date(2025, 3, 19))  # closed from Wednesday 19.3.
    starts = offers(session, days=14, topic="elakkeet", lang="fi", kind="service_point",
                    place=place)  # fmt: skip
    assert starts and max(starts).astimezone(HKI).date() == date(2025, 3, 18)
    assert place in {p.id for p in av.bookable_places(session, av.AppointmentKind.SERVICE_POINT,
                                                       NOW.date())}  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        book(session, hki(2025, 3, 19, 10, 0), topic="elakkeet", lang="fi",
             kind="service_point", place=place)  # fmt: skip
    assert refused.value.field == "start"
    assert book(session, hki(2025, 3, 18, 10, 0), topic="elakkeet", lang="fi",
                kind="service_point", place=place).booking.reference  # fmt: skip


def test_closed_place__is_no_longer_offered(session: Session) -> None:
    place = "jyvaskyla-palvelupiste"
    _close_from(session, place, date(2025, 3, 1))
    assert place not in {p.id for p in av.bookable_places(
        session, av.AppointmentKind.SERVICE_POINT, NOW.date())}  # fmt: skip
    with pytest.raises(NotFound) as missing:
        offers(session, topic="elakkeet", lang="fi", kind="service_point", place=place)
    assert missing.value.field == "place"
