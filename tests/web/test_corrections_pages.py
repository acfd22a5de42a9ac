"""The manager's corrections page: the same rules as the CLI, the field named when wrong."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kanava.catalogue.models import Channel, Correction
from tests.web.conftest import field, log_in


def test_an_exception_day_is_recorded_and_listed_the_finnish_way(
    browser_client: TestClient,
) -> None:
    log_in(browser_client, "esihenkilo")
    page = browser_client.get("/fi/manager/corrections")
    made = browser_client.post(
        "/fi/manager/corrections/exception",
        data={"csrf_token": field(page, "csrf_token"), "channel": "puhelin-elakkeet",
              "first_day": "24.12.2025", "open_hours": "9-12"},
    )  # fmt: skip
    assert made.status_code == 303
    listed = browser_client.get("/fi/manager/corrections").text
    assert "Muutos kirjattiin." in listed
    row = listed.split("<tbody>")[1].split("</tr>")[0]
    assert "esihenkilo" in row and "24.12.2025 9-12" in row and "2025-12-24" not in row


def test_a_wrong_correction_names_the_field_and_stores_nothing(
    browser_client: TestClient, session: Session
) -> None:
    log_in(browser_client, "esihenkilo")
    page = browser_client.get("/sv/manager/corrections")
    refused = browser_client.post(
        "/sv/manager/corrections/point",
        data={"csrf_token": field(page, "csrf_token"), "point": "pieksamaen-kela",
              "postal_code": "761", "post_office": "Pieksämäki"},
    )  # fmt: skip
    assert refused.status_code == 422
    assert 'id="error-postal_code"' in refused.text and "fem siffror" in refused.text
    assert 'value="Pieksämäki"' in refused.text  # what was typed is kept
    assert session.scalar(select(func.count()).select_from(Correction)) == 0
    assert session.get_one(Channel, "pieksamaen-kela").post_office is None


def test_a_point_replaced_from_a_date_is_recorded(browser_client: TestClient) -> None:
    log_in(browser_client, "esihenkilo")
    page = browser_client.get("/en/manager/corrections")
    made = browser_client.post(
        "/en/manager/corrections/point",
        data={"csrf_token": field(page, "csrf_token"), "point": "laukaa-ajanvaraus",
              "status": "replaced", "status_date": "1.9.2025"},
    )  # fmt: skip
    assert made.status_code == 303
    listed = browser_client.get("/en/manager/corrections").text
    assert "Replaced by other services" in listed and "1.9.2025" in listed
