"""Reading PTV v11 service channels (pure), on fixtures written from PTV's documented shape."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kanava.catalogue.ptv import PtvError, channel_from_ptv, channels_from_document
from kanava.hours.engine import Schedule, is_open, next_opening
from kanava.hours.enums import RuleKind, State

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ptv"
HKI = ZoneInfo("Europe/Helsinki")
VERIFIED = date(2025, 3, 1)


def records() -> dict[str, object]:
    document = json.loads((FIXTURES / "channels_v11.json").read_text(encoding="utf-8"))
    return {r.values["kind"]: r for _, r in channels_from_document(document, VERIFIED)}


def test_kinds__every_ptv_channel_type() -> None:
    assert set(records()) == {
        "service_point",
        "phone_line",
        "e_service",
        "web_page",
        "printable_form",
    }


def test_service_location__address_and_tm35fin_coordinates_in_wgs84() -> None:
    point = records()["service_point"].values  # type: ignore[attr-defined]
    assert point["id"] == "ptv-0b9a8c62-7c6b-4d3a-9f2e-2b1a3c4d5e6f"
    assert point["street_address"] == "Testikatu 1"
    assert (point["postal_code"], point["post_office"]) == ("40100", "Jyväskylä")
    assert point["municipality_code"] == "179"
    assert point["lat"] == pytest.approx(62.2394, abs=1e-4)
    assert point["lon"] == pytest.approx(25.7457, abs=1e-4)
    assert point["name_sv"] == "FPA:s serviceställe, test Jyväskylä"


def test_service_location__hours_summer_holiday_and_exception() -> None:
    rules = records()["service_point"].rules  # type: ignore[attr-defined]
    kinds = [rule.kind for rule in rules]
    assert kinds == [RuleKind.REGULAR, RuleKind.OVERRIDE, RuleKind.HOLIDAY, RuleKind.EXCEPTION]
    assert rules[2].holiday == "jouluaatto" and rules[2].spans == ()
    schedule = Schedule(rules)
    assert is_open(schedule, datetime(2025, 3, 14, 14, 30, tzinfo=HKI))
    assert not is_open(schedule, datetime(2025, 3, 14, 15, 30, tzinfo=HKI))
    assert not is_open(schedule, datetime(2025, 7, 7, 11, 0, tzinfo=HKI))  # summer: no Mondays
    assert is_open(schedule, datetime(2025, 7, 8, 11, 0, tzinfo=HKI))
    assert not is_open(schedule, datetime(2025, 10, 15, 10, 0, tzinfo=HKI))
    assert is_open(schedule, datetime(2025, 10, 15, 12, 30, tzinfo=HKI))
    # A holiday published for one year holds every year.
    assert not is_open(schedule, datetime(2026, 12, 24, 10, 0, tzinfo=HKI))


def test_phone__service_number_and_over_midnight_hours() -> None:
    phone = records()["phone_line"]
    assert phone.values["phone_number"] == "+35820692202"  # type: ignore[attr-defined]
    assert phone.values["hours_note_fi"].startswith("Puhelun hinta")  # type: ignore[attr-defined]
    (rule,) = phone.rules  # type: ignore[attr-defined]
    (span,) = rule.spans
    assert (span.start, span.end, span.ends_next_day) == (time(22), time(2), True)
    assert span.weekdays == frozenset({5, 6})
    schedule = Schedule((rule,))
    assert is_open(schedule, datetime(2025, 3, 15, 1, 0, tzinfo=HKI))
    assert next_opening(schedule, datetime(2025, 3, 16, 3, 0, tzinfo=HKI)) == datetime(
        2025, 3, 21, 22, 0, tzinfo=HKI
    )


def test_e_service__always_open_and_urls() -> None:
    e_service = records()["e_service"]
    assert e_service.values["url_fi"] == "https://example.fi/asioi"  # type: ignore[attr-defined]
    (rule,) = e_service.rules  # type: ignore[attr-defined]
    assert rule.spans[0].state is State.OPEN and rule.spans[0].ends_next_day


def test_web_page_named_only_in_english() -> None:
    page = records()["web_page"].values  # type: ignore[attr-defined]
    assert (page["name_fi"], page["name_en"]) == ("Test web page", "Test web page")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "not-a-guid"}, "id: 'not-a-guid' is not a GUID"),
        ({"serviceChannelType": "Fax"}, "serviceChannelType: 'Fax'"),
        ({"serviceChannelNames": []}, "serviceChannelNames: no name"),
        (
            {"serviceHours": [{"serviceHourType": "DaysOfTheWeek", "isClosed": True}]},
            "isClosed: not allowed on regular hours",
        ),
        (
            {"serviceHours": [{"serviceHourType": "Exceptional", "isClosed": False}]},
            "validFrom: an exceptional hour needs its date",
        ),
        (
            {
                "serviceHours": [
                    {
                        "serviceHourType": "DaysOfTheWeek",
                        "openingHour": [{"dayFrom": "Someday", "from": "09:00", "to": "16:00"}],
                    }
                ]
            },
            "dayFrom: 'Someday'",
        ),
        ({"phoneNumbers": [{"number": "12ab"}]}, "phoneNumbers.phone_number"),
    ],
)
def test_bad_channel__error_names_the_field(change: dict[str, object], message: str) -> None:
    channel = {
        "id": "0b9a8c62-7c6b-4d3a-9f2e-2b1a3c4d5e6f",
        "serviceChannelType": "WebPage",
        "serviceChannelNames": [{"type": "Name", "language": "fi", "value": "Sivu"}],
        **change,
    }
    with pytest.raises(PtvError, match=message):
        channel_from_ptv(channel, VERIFIED)


def test_document__bad_record_is_named_by_position_and_id() -> None:
    document = json.loads((FIXTURES / "one_bad_record.json").read_text(encoding="utf-8"))
    with pytest.raises(PtvError, match=r"item 1 \(6b7c8d9e-.*\): serviceHours\[0\]\.openingHour"):
        channels_from_document(document, VERIFIED)


def real_shape() -> dict[str, object]:
    """Records as PTV's Open API v11 publishes them (a page of a real export's fields)."""
    document = json.loads((FIXTURES / "laukaa_real_shape_v11.json").read_text(encoding="utf-8"))
    return {r.values["id"]: r for _, r in channels_from_document(document, VERIFIED)}


def test_real_shape__printable_form_keeps_its_file_per_language() -> None:
    form = real_shape()["ptv-8e3d9f40-b3c6-4b2d-8f50-7c9e1a4b3d62"].values  # type: ignore[attr-defined]
    assert form["url_fi"] == "https://www.kela.fi/documents/et1.pdf"
    assert form["url_sv"] == "https://www.kela.fi/documents/et1r.pdf"


def test_real_shape__location_not_geocoded_is_kept_without_coordinates_and_said() -> None:
    records = real_shape()
    laukaa = records["ptv-6c1b7d2e-91a4-4f0b-8d3e-5a7c9e2f1b40"]
    assert (laukaa.values["lat"], laukaa.values["lon"]) == (None, None)  # type: ignore[attr-defined]
    assert laukaa.values["street_address"] == "Laukaantie 10"  # type: ignore[attr-defined]
    assert laukaa.notes == ["no coordinates (coordinateState NotReceived): stored without a place"]  # type: ignore[attr-defined]
    jyvaskyla = records["ptv-7d2c8e3f-a2b5-4a1c-9e4f-6b8d0f3a2c51"]
    assert jyvaskyla.values["lat"] == pytest.approx(62.24, abs=0.01)  # type: ignore[attr-defined]
    assert jyvaskyla.notes == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "state", ["NotReceived", "EmptyInputReceived", "MultipleResultsReceived", "Failed"]
)
def test_coordinates_ptv_could_not_find_are_never_used(state: str) -> None:
    channel = {
        "id": "0b9a8c62-7c6b-4d3a-9f2e-2b1a3c4d5e6f",
        "serviceChannelType": "ServiceLocation",
        "serviceChannelNames": [{"type": "Name", "language": "fi", "value": "Piste"}],
        "addresses": [
            {
                "type": "Location",
                "streetAddress": {
                    "latitude": "6902302.562",
                    "longitude": "435688.114",
                    "coordinateState": state,
                },
            }
        ],
    }
    record = channel_from_ptv(channel, VERIFIED)
    assert record.values["lat"] is None and state in record.notes[0]
