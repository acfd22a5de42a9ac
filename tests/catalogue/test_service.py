"""The catalogue's answers on the shipped data: phone lines on hard days, the guide, units."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from kanava.catalogue import service
from kanava.errors import InvalidInput, NotFound

HKI = ZoneInfo("Europe/Helsinki")


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=HKI)  # type: ignore[misc]


def channel_open(session: Session, channel_id: str, moment: datetime) -> bool | None:
    return service.get_channel(session=session, channel_id=channel_id, at=moment).open


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2025, 3, 12, 10, 0), True),
        (at(2025, 3, 12, 16, 0), False),
        (at(2025, 3, 12, 8, 59), False),
    ],
    ids=["10:00", "16:00", "08:59"],
)
def test_pensions_line_020_692_202__on_wednesday_12_3_2025(
    session: Session, moment: datetime, expected: bool
) -> None:
    assert channel_open(session, "puhelin-elakkeet", moment) is expected


def test_international_line_020_634_0200__closed_at_09_30_opens_at_10(session: Session) -> None:
    line = service.get_channel(
        session=session, channel_id="puhelin-kansainvaliset", at=at(2025, 3, 12, 9, 30)
    )
    assert line.phone and line.phone.display == "020 634 0200"
    assert line.open is False
    assert line.next_opening == at(2025, 3, 12, 10, 0)


@pytest.mark.parametrize(
    "moment",
    [at(2025, 3, 15, 11, 0), at(2025, 6, 20, 11, 0), at(2025, 12, 24, 11, 0)],
    ids=["saturday", "juhannusaatto", "jouluaatto"],
)
def test_every_phone_line__closed_on_saturday_and_the_eves(
    session: Session, moment: datetime
) -> None:
    page = service.list_channels(session=session, kind="phone_line", at=moment)
    assert page.total_items == 10
    assert [line.open for line in page.items] == [False] * 10


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2025, 3, 14, 16, 0), at(2025, 3, 17, 9, 0)),
        (at(2025, 4, 17, 16, 0), at(2025, 4, 22, 9, 0)),
    ],
    ids=["friday", "easter"],
)
def test_every_nine_to_four_line__next_opening(
    session: Session, moment: datetime, expected: datetime
) -> None:
    page = service.list_channels(session=session, kind="phone_line", at=moment)
    nine_to_four = [line for line in page.items if line.hours_text == "avoinna arkisin klo 9–16"]
    assert len(nine_to_four) == 8
    assert {line.next_opening for line in nine_to_four} == {expected}


def test_guide__toimeentulotuki_in_laukaa_is_ordered_online_phone_booking_points(
    session: Session,
) -> None:
    result = service.guide(
        session=session, topic="toimeentulotuki", municipality="Laukaa", at=at(2025, 3, 12, 10, 0)
    )
    sections = [option.section for option in result.options]
    assert result.options[0].id == "omakela"
    assert result.options[1].phone and result.options[1].phone.display == "020 692 207"
    assert sections[2] == "booking"
    points = [o for o in result.options if o.section in ("service_points", "asiointipisteet")]
    assert points and all(o.distance_km is not None for o in points)
    service_points = [o for o in points if o.section == "service_points"]
    assert [o.distance_km for o in service_points] == sorted(o.distance_km for o in service_points)
    assert service_points[0].id == "laukaa-ajanvaraus"
    assert sections[-2:] == ["post", "post"]
    assert result.road_factor == 1.3 and "linnuntienä × 1,3" in result.distance_note


def test_guide__only_the_topic_s_own_phone_line(session: Session) -> None:
    result = service.guide(session=session, topic="elakkeet", at=at(2025, 3, 12, 10, 0))
    phones = [o for o in result.options if o.section == "phone"]
    assert [p.id for p in phones] == ["puhelin-elakkeet"]
    assert not [o for o in result.options if o.distance_km is not None]


def test_guide__replaced_points_are_not_offered(session: Session) -> None:
    result = service.guide(
        session=session, topic="elakkeet", municipality="Joutsa", at=at(2025, 3, 12, 10, 0)
    )
    ids = {o.id for o in result.options}
    assert "kelan-palvelupiste-joutsa" not in ids
    joutsa = next(o for o in result.options if o.id == "joutsan-kunnan-asiointipiste")
    assert (joutsa.provenance, joutsa.reported_on) == ("public_source", "2019-09-01")
    assert joutsa.source and "joutsanseutu.fi" in joutsa.source


def test_guide__by_postal_code_and_in_swedish(session: Session) -> None:
    result = service.guide(
        session=session, topic="elakkeet", postal_code="41340", lang="sv", at=at(2025, 3, 12, 10)
    )
    assert result.origin and result.origin.kind == "postal_area"
    phone = next(o for o in result.options if o.section == "phone")
    assert phone.name == "Pensioner"
    assert phone.hours_text == "öppet vardagar 9–16"


def test_guide__video_asiointipiste_is_marked(session: Session) -> None:
    result = service.guide(
        session=session, topic="elakkeet", municipality="Haapajärvi", at=at(2025, 9, 3, 13, 0)
    )
    asiointi = [o for o in result.options if o.section == "asiointipisteet"]
    assert asiointi[0].id == "karsamaen-kunnan-asiointipiste-kirjasto"
    assert asiointi[0].video_service
    ylivieska = next(o for o in result.options if o.id == "kelan-palvelupiste-ylivieska")
    assert ylivieska.open is True and ylivieska.hours_text == "avoinna keskiviikkoisin klo 12–16"


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda s: service.guide(session=s, topic="pensions"), NotFound, "valid: elakkeet"),
        (lambda s: service.guide(session=s, topic="elakkeet", municipality="Laukas"), None, None),
        (
            lambda s: service.guide(session=s, topic="elakkeet", municipality="Lauka"),
            NotFound,
            "Laukaa",
        ),
        (
            lambda s: service.guide(session=s, topic="elakkeet", postal_code="99999"),
            NotFound,
            "99999",
        ),
        (lambda s: service.guide(session=s, topic="elakkeet", lang="de"), InvalidInput, "lang"),
        (
            lambda s: service.guide(session=s, topic="elakkeet", municipality="x", postal_code="1"),
            InvalidInput,
            "not both",
        ),
        (lambda s: service.list_channels(session=s, kind="kiosk"), NotFound, "phone_line"),
        (
            lambda s: service.get_channel(session=s, channel_id="puhelin-elake"),
            NotFound,
            "puhelin-elakkeet",
        ),
        (lambda s: service.list_channels(session=s, page=0), InvalidInput, "page"),
    ],
    ids=[
        "unknown-topic",
        "swedish-name-ok",
        "misspelt-municipality",
        "unknown-postal-code",
        "unknown-lang",
        "both-places",
        "unknown-kind",
        "unknown-channel",
        "page-0",
    ],
)
def test_bad_input__names_the_field_and_the_valid_choices(
    session: Session, call: object, error: type[Exception] | None, message: str | None
) -> None:
    if error is None:
        call(session)  # type: ignore[operator]
        return
    with pytest.raises(error, match=message):
        call(session)  # type: ignore[operator]


def test_units__keskinen_population_from_the_municipality_data(session: Session) -> None:
    keskinen = service.get_unit(session=session, unit_id="keskinen")
    assert keskinen.population == 1_165_419
    assert keskinen.regions == ["Etelä-Pohjanmaa", "Keski-Suomi", "Pirkanmaa", "Kanta-Häme"]


def test_units__parents_come_before_children(session: Session) -> None:
    ids = [unit.id for unit in service.list_units(session=session)]
    assert ids[0] == "kela"
    assert ids.index("asiakkaan-lahipalvelut") < ids.index("keskinen")


def test_hours__juhannus_week_names_the_holidays(session: Session) -> None:
    week = service.channel_hours(
        session=session, channel_id="puhelin-elakkeet", first=date(2025, 6, 16), days=7, lang="fi"
    )
    by_date = {day.date: day for day in week.days}
    assert by_date[date(2025, 6, 20)].holiday_name == "Juhannusaatto"
    assert by_date[date(2025, 6, 20)].spans == []
    assert by_date[date(2025, 6, 19)].spans[0].start == at(2025, 6, 19, 9, 0)
    assert week.hours_text == "avoinna arkisin klo 9–16"


def test_channels__open_at_filter_and_paging(session: Session) -> None:
    saturday = service.list_channels(session=session, open_at=at(2025, 3, 15, 12, 0))
    assert {c.kind for c in saturday.items} <= {"e_service", "web_page"}
    page = service.list_channels(session=session, page=2, page_size=10)
    assert page.page == 2 and len(page.items) == 10
    assert page.total_pages == -(-page.total_items // 10)


def test_channels__modified_after(session: Session) -> None:
    assert service.list_channels(session=session, modified_after=at(2025, 3, 2)).total_items == 0
    assert service.list_channels(session=session, modified_after=at(2025, 2, 1)).total_items > 60
