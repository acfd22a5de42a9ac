"""A manager's corrections: recorded, refused with the field named, and kept over a reload."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kanava.catalogue import service
from kanava.catalogue.corrections import (
    add_exception,
    correct_channel,
    correct_unit,
    corrections,
)
from kanava.catalogue.models import Channel, Correction, OrgUnit
from kanava.errors import InvalidInput, NotFound
from kanava.loading import load_all

HKI = ZoneInfo("Europe/Helsinki")
NOW = datetime(2025, 3, 12, 10, 0, tzinfo=HKI)
LAUKAA = "laukaa-ajanvaraus"


def guide_ids(session: Session, moment: datetime) -> set[str]:
    result = service.guide(session=session, topic="elakkeet", municipality="Laukaa", lang="fi",
                           at=moment)  # fmt: skip
    return {option.id for option in result.options}


def recorded(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Correction)) or 0


def test_a_point_replaced_from_a_date_serves_until_then_and_leaves_the_guide_after(
    session: Session,
) -> None:
    made = correct_channel(
        session=session, channel_id=LAUKAA, changes={"status": "replaced",
                                                     "status_date": "2025-09-01"},
        by="esihenkilo", now=NOW,
    )  # fmt: skip
    assert [(r.field, r.old_value, r.new_value) for r in made] == [
        ("status", "active", "replaced"),
        ("status_date", "2025-03-06", "2025-09-01"),
    ]
    assert all(r.changed_by == "esihenkilo" and r.changed_at == NOW for r in made)
    assert LAUKAA in guide_ids(session, datetime(2025, 8, 29, 10, 0, tzinfo=HKI))
    assert LAUKAA not in guide_ids(session, datetime(2025, 9, 1, 10, 0, tzinfo=HKI))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"postal_code": "4134"}, "postal_code"),
        ({"status": "gone"}, "status"),
        ({"status": "closed", "status_date": None}, "status_date"),
        ({"status_date": "1.9.2025"}, "status_date"),
        ({"hours": "Mo-Fr 09:00-25:00"}, "hours"),
        ({"colour": "red"}, "field"),
        ({}, "changes"),
    ],
)
def test_bad_corrections_name_the_field_and_store_nothing(
    session: Session, changes: dict[str, str | None], field: str
) -> None:
    before = session.get_one(Channel, "jamsa-palvelupiste").status
    with pytest.raises(InvalidInput) as refused:
        correct_channel(session=session, channel_id="jamsa-palvelupiste", changes=changes,
                        by="esihenkilo", now=NOW)  # fmt: skip
    assert refused.value.field == field
    assert recorded(session) == 0
    assert session.get_one(Channel, "jamsa-palvelupiste").status == before


def test_an_unknown_point_is_named(session: Session) -> None:
    with pytest.raises(NotFound, match="did you mean 'laukaa-ajanvaraus'"):
        correct_channel(session=session, channel_id="laukaa-ajanvarau", changes={"status":
                        "active"}, by="x", now=NOW)  # fmt: skip


def test_exception_days_close_or_shorten_any_channel(session: Session) -> None:
    add_exception(session=session, channel_id="puhelin-elakkeet", first=date(2025, 4, 22),
                  last=date(2025, 4, 22), hours=None, by="esihenkilo", now=NOW)  # fmt: skip
    add_exception(session=session, channel_id="puhelin-elakkeet", first=date(2025, 4, 23),
                  last=date(2025, 4, 24), hours="9.00-12.00", by="esihenkilo", now=NOW)  # fmt: skip
    days = service.channel_hours(session=session, channel_id="puhelin-elakkeet",
                                 first=date(2025, 4, 22), days=3, lang="fi").days  # fmt: skip
    spans = [[(s.start.hour, s.end.hour) for s in day.spans] for day in days]
    assert spans == [[], [(9, 12)], [(9, 12)]]
    with pytest.raises(InvalidInput) as refused:
        add_exception(session=session, channel_id="puhelin-elakkeet", first=date(2025, 4, 25),
                      last=date(2025, 4, 25), hours="12.00-9.00", by="x", now=NOW)  # fmt: skip
    assert refused.value.field == "hours"


def test_corrections_and_exception_days_outlive_a_reload_of_the_shipped_data(
    session: Session,
) -> None:
    correct_channel(session=session, channel_id="pieksamaen-kela",
                    changes={"post_office": "Pieksämäki", "hours": "Tu,Th 09:00-15:00"},
                    by="esihenkilo", now=NOW)  # fmt: skip
    correct_unit(session=session, unit_id="keskinen", figures={"staff": 120, "service_points": 5},
                 by="esihenkilo", now=NOW)  # fmt: skip
    add_exception(session=session, channel_id="puhelin-elakkeet", first=date(2025, 4, 22),
                  last=date(2025, 4, 22), hours=None, by="esihenkilo", now=NOW)  # fmt: skip
    load_all(session, NOW)
    point = session.get_one(Channel, "pieksamaen-kela")
    assert point.post_office == "Pieksämäki"
    hours = service.channel_hours(session=session, channel_id="pieksamaen-kela",
                                  first=date(2025, 3, 11), days=1, lang="fi")  # fmt: skip
    assert [(s.start.hour, s.end.hour) for s in hours.days[0].spans] == [(9, 15)]
    figures = session.get_one(OrgUnit, "keskinen").figures
    assert figures["staff"] == 120 and figures["service_points"] == 5
    closed = service.channel_hours(session=session, channel_id="puhelin-elakkeet",
                                   first=date(2025, 4, 22), days=1, lang="fi")  # fmt: skip
    assert closed.days[0].spans == []
    fields = {r.field for r in corrections(session=session, target_id="keskinen")}
    assert fields == {"staff", "service_points"}


def test_a_unit_figure_must_be_a_known_one_and_a_whole_number(session: Session) -> None:
    for figures, field in (({"chairs": 3}, "chairs"), ({"staff": -1}, "staff"), ({}, "figures")):
        with pytest.raises(InvalidInput) as refused:
            correct_unit(session=session, unit_id="keskinen", figures=figures, by="x", now=NOW)
        assert refused.value.field == field
    assert recorded(session) == 0
