"""The manager's network pages: the map against the criterion, the scenario editor, the
optimiser and the brief, on the synthetic year."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import log_in


@pytest.fixture
def manager(browser_client: TestClient, demo_events: Path, tmp_path: Path) -> TestClient:
    (tmp_path / "events").symlink_to(demo_events)  # where browser_client's settings look
    log_in(browser_client, "esihenkilo")
    return browser_client


def test_the_network_page_puts_laukaa_first_below_the_line(manager: TestClient) -> None:
    page = manager.get("/en/manager/network")
    assert page.status_code == 200
    rows = page.text.split("<tbody>")[1]
    first = rows.split("</tr>")[0]
    assert "Kela appointment service in Laukaa" in first and "Low demand" in first
    assert 'href="/en/manager/network/brief/laukaa-ajanvaraus"' in first
    assert 'class="map"' in page.text and "#a4262c" in page.text  # a red marker
    assert "the straight-line distance × 1.3" in page.text and "synthetic" in page.text
    assert "includes 5 illustrative Kela points" in page.text
    finnish = manager.get("/fi/manager/network")
    assert "Vähäinen kysyntä" in finnish.text and "Palveluverkko" in finnish.text


def test_the_scenario_editor_shows_before_and_after(manager: TestClient) -> None:
    page = manager.get(
        "/en/manager/network/scenario", params={"point": "laukaa-ajanvaraus", "action": "replace"}
    )
    assert page.status_code == 200
    assert "Customers a week affected" in page.text and "Expert days a week freed" in page.text
    assert 'value="71"' in page.text  # the phone share of the 2024 mix, editable
    bad = manager.get(
        "/en/manager/network/scenario",
        params={"point": "laukaa-ajanvaraus", "phone": "90", "nearest_point": "20", "video": "0"},
    )
    assert bad.status_code == 422 and 'id="error-phone"' in bad.text
    unknown = manager.get("/en/manager/network/scenario", params={"point": "nowhere"})
    assert unknown.status_code == 422 and "Choose a point of the unit." in unknown.text


def test_the_optimiser_page_compares_with_today(manager: TestClient) -> None:
    page = manager.get("/sv/manager/network/optimize", params={"p": "7", "model": "pmedian"})
    assert page.status_code == 200 and "Bevisat optimal" in page.text
    assert page.text.count('class="map"') == 1
    covering = manager.get(
        "/en/manager/network/optimize", params={"p": "3", "model": "mclp", "radius": "30"}
    )
    assert "People within 30 km of a point" in covering.text


def test_the_brief_page_links_its_styles(manager: TestClient) -> None:
    page = manager.get("/fi/manager/network/brief/laukaa-ajanvaraus")
    assert page.status_code == 200
    assert "Päätösmuistio: Kelan ajanvarauspalvelu Laukaassa" in page.text
    assert '<link rel="stylesheet" href="/static/brief.css">' in page.text
    assert "<style>" not in page.text  # the CSP allows no inline styles
    assert manager.get("/fi/manager/network/brief/nowhere").status_code == 404


def test_only_managers_see_the_network(browser_client: TestClient) -> None:
    log_in(browser_client, "asiantuntija")
    assert browser_client.get("/fi/manager/network").status_code == 403


def test_a_managers_own_figure_judges_a_point_again(manager: TestClient) -> None:
    page = manager.get(
        "/en/manager/network", params={"point": "laukaa-ajanvaraus", "per_week": "120"}
    )
    assert page.status_code == 200
    rows = page.text.split("<tbody>")[1].split("</tr>")
    laukaa = next(row for row in rows if "Kela appointment service in Laukaa" in row)
    assert "120 (entered)" in laukaa and "Above the line" in laukaa
    bad = manager.get(
        "/en/manager/network", params={"point": "laukaa-ajanvaraus", "per_week": "many"}
    )
    assert bad.status_code == 422 and 'id="error-per_week"' in bad.text
