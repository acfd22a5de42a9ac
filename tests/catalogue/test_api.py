"""The HTTP API: shapes, paging, filters, dumps, and problem+json errors."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient


def test_index__describes_itself(client: TestClient) -> None:
    body = client.get("/api/v1/").json()
    assert body["openapi_url"] == "/api/openapi.json"
    assert "/api/v1/guide" in body["resources"]


def test_home_page__links_to_the_docs(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'href="/api/docs"' in page.text
    assert client.get("/api/docs").status_code == 200


def test_the_api_docs_load_nothing_from_another_host(client: TestClient) -> None:
    """Swagger UI comes with the package: the page works offline."""
    page = client.get("/api/docs").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page) + re.findall(r"url: '([^']+)'", page)
    assert sources and all(s.startswith("/") for s in sources), sources
    for asset in ("/api/docs/assets/swagger-ui-bundle.js", "/api/docs/assets/swagger-ui.css"):
        answer = client.get(asset)
        assert answer.status_code == 200 and len(answer.content) > 100_000


def test_channels__phone_lines_open_at_an_instant(client: TestClient) -> None:
    response = client.get(
        "/api/v1/channels", params={"kind": "phone_line", "at": "2025-03-12T09:30:00+02:00"}
    )
    body = response.json()
    assert body["total_items"] == 10
    by_id = {item["id"]: item for item in body["items"]}
    assert by_id["puhelin-elakkeet"]["open"] is True
    assert by_id["puhelin-kansainvaliset"]["open"] is False
    assert by_id["puhelin-kansainvaliset"]["next_opening"] == "2025-03-12T10:00:00+02:00"
    assert by_id["puhelin-elakkeet"]["name"] == {
        "fi": "Eläkkeet",
        "sv": "Pensioner",
        "en": "Pensions",
    }


def test_channels__naive_instant_is_helsinki_time(client: TestClient) -> None:
    body = client.get("/api/v1/channels/puhelin-elakkeet", params={"at": "2025-03-12T15:59"}).json()
    assert body["open"] is True


def test_channels__filters_combine_and_page(client: TestClient) -> None:
    body = client.get(
        "/api/v1/channels", params={"municipality": "Joutsa", "page_size": 1, "page": 2}
    ).json()
    assert body["total_items"] == 2 and body["total_pages"] == 2
    assert [item["id"] for item in body["items"]] == ["kelan-palvelupiste-joutsa"]
    open_now = client.get(
        "/api/v1/channels", params={"open_at": "2025-03-15T12:00:00+02:00", "kind": "phone_line"}
    ).json()
    assert open_now["total_items"] == 0


def test_channel_hours__a_date_range(client: TestClient) -> None:
    body = client.get(
        "/api/v1/channels/puhelin-elakkeet/hours",
        params={"start_date": "2025-12-22", "days": 7, "lang": "en"},
    ).json()
    christmas_eve = next(day for day in body["days"] if day["date"] == "2025-12-24")
    assert christmas_eve["holiday_name"] == "Christmas Eve" and christmas_eve["spans"] == []
    assert body["days"][0]["spans"][0]["start"] == "2025-12-22T09:00:00+02:00"


def test_guide__over_http(client: TestClient) -> None:
    body = client.get(
        "/api/v1/guide",
        params={"topic": "toimeentulotuki", "municipality": "Laukaa", "at": "2025-03-12T10:00"},
    ).json()
    assert [o["id"] for o in body["options"][:2]] == ["omakela", "puhelin-toimeentulotuki"]
    assert body["origin"]["name"] == "Laukaa"


def test_units_topics_municipalities_postal_areas(client: TestClient) -> None:
    assert client.get("/api/v1/units/keskinen").json()["population"] == 1_165_419
    topics = client.get("/api/v1/topics").json()
    assert [t["id"] for t in topics][:2] == ["elakkeet", "kansainvaliset"]
    municipalities = client.get("/api/v1/municipalities", params={"region": "Keski-Suomi"}).json()
    assert municipalities["total_items"] == 22
    assert client.get("/api/v1/municipalities/Laukas").json()["code"] == "410"
    areas = client.get("/api/v1/postal-areas", params={"municipality": "410"}).json()
    assert areas["total_items"] >= 1
    assert all(item["municipality_code"] == "410" for item in areas["items"])
    assert client.get("/api/v1/postal-areas/00100").json()["name_fi"].startswith("Helsinki")


def test_ndjson_dump__every_record_one_line(client: TestClient) -> None:
    response = client.get("/api/v1/catalogue.ndjson")
    assert response.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in response.text.splitlines()]
    types = {r["type"] for r in records}
    assert types == {"unit", "topic", "channel", "municipality", "postal_area"}
    assert sum(1 for r in records if r["type"] == "postal_area") == 3026


def test_jsonld__phone_contact_point_with_holiday_closures(client: TestClient) -> None:
    response = client.get("/api/v1/catalogue.jsonld", params={"start_date": "2025-06-01"})
    assert response.headers["content-type"].startswith("application/ld+json")
    graph = response.json()["@graph"]
    ids = {n.get("@id") for n in graph}
    # Published data carries facts only: the illustrative points are left out.
    assert "#channel-laukaa-ajanvaraus" in ids and "#channel-jyvaskyla-palvelupiste" not in ids
    line = next(n for n in graph if n.get("@id") == "#channel-puhelin-elakkeet")
    point = line["servicePhone"]
    assert point["@type"] == "ContactPoint" and point["telephone"] == "+35820692202"
    assert point["contactType"] == "Eläkkeet"
    juhannus = [h for h in point["hoursAvailable"] if h.get("validFrom") == "2025-06-20"]
    assert juhannus == [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": "2025-06-20",
            "validThrough": "2025-06-20",
            "opens": "00:00",
            "closes": "00:00",
        }
    ]
    services = [n for n in graph if n["@type"] == "GovernmentService"]
    assert len(services) == 10
    ylivieska = next(n for n in graph if n.get("@id") == "#channel-kelan-palvelupiste-ylivieska")
    assert ylivieska["serviceLocation"]["openingHoursSpecification"][0]["dayOfWeek"] == [
        "https://schema.org/Wednesday"
    ]
    assert "specialOpeningHoursSpecification" in ylivieska["serviceLocation"]


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        ("/api/v1/channels/no-such-channel", {}, 404, "channel"),
        ("/api/v1/guide", {"topic": "nosuch"}, 404, "topic"),
        ("/api/v1/guide", {}, 422, "topic"),
        ("/api/v1/guide", {"topic": "elakkeet", "municipality": "Atlantis"}, 404, "municipality"),
        ("/api/v1/guide", {"topic": "elakkeet", "lang": "de"}, 422, "lang"),
        ("/api/v1/channels", {"at": "tomorrow"}, 422, "at"),
        ("/api/v1/channels", {"kind": "kiosk"}, 404, "kind"),
        ("/api/v1/channels", {"page_size": 5000}, 422, "page_size"),
        ("/api/v1/channels/puhelin-elakkeet/hours", {"days": 0}, 422, "days"),
        ("/api/v1/municipalities/999", {}, 404, "municipality"),
    ],
)
def test_errors__problem_json_naming_the_field(
    client: TestClient, path: str, params: dict[str, object], status: int, field: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert field in [e["field"] for e in body["errors"]], body


def test_errors__unknown_path_is_problem_json(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_hostile_input__is_just_an_unknown_id(client: TestClient) -> None:
    response = client.get("/api/v1/channels/'; DROP TABLE channel; --")
    assert response.status_code == 404
    assert client.get("/api/v1/channels").json()["total_items"] > 60
