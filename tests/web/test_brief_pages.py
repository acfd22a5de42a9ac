"""The manager edits the brief on the page: the proposal, the partners, the dates and the
unit's own figure; the brief then reads them, and a wrong field is named with nothing
stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kanava.catalogue.models import Correction
from tests.web.conftest import field, log_in

EDIT = "/{lang}/manager/network/brief/laukaa-ajanvaraus/edit"
BRIEF = "/{lang}/manager/network/brief/laukaa-ajanvaraus"


@pytest.fixture
def manager(browser_client: TestClient, demo_events: Path, tmp_path: Path) -> TestClient:
    (tmp_path / "events").symlink_to(demo_events)  # where browser_client's settings look
    log_in(browser_client, "esihenkilo")
    return browser_client


def save(client: TestClient, lang: str, **values: str) -> tuple[int, str]:
    page = client.get(EDIT.format(lang=lang))
    assert page.status_code == 200
    form = {"csrf_token": field(page, "csrf_token"), **values}
    sent = client.post(EDIT.format(lang=lang), data=form)
    return sent.status_code, sent.text


def test_the_brief_reads_the_managers_words_figure_partners_and_dates(
    manager: TestClient,
) -> None:
    status, _ = save(
        manager, "fi",
        proposal_fi="Laukaan ajanvarauspalvelu päättyy 29.8.2025; Kela tukee kuntaa "
                    "yhteisen asiointipisteen perustamisessa.",
        partners="Laukaan kunta\nLaukaan työllisyyspalvelut\nKeski-Suomen hyvinvointialue",
        effective="2025-09-01", announce_by="15.8.2025", review="2.3.2026",
        own_figure="3,5", own_figure_source="yksikön ajanvarauskalenteri 2024",
    )  # fmt: skip
    assert status == 303
    brief = manager.get(BRIEF.format(lang="fi")).text
    lead = brief.split('<p class="lead">')[1].split("</p>")[0]
    assert lead.startswith("<strong>Yksikön oma laskenta: 3,5 asiakasta viikossa "
                           "(yksikön ajanvarauskalenteri 2024).</strong>")  # fmt: skip
    assert "Kela tukee kuntaa yhteisen asiointipisteen perustamisessa." in brief
    assert "<li>Keski-Suomen hyvinvointialue</li>" in brief
    dates = brief.split("<h2>Päivämäärät</h2>")[1].split("</table>")[0]
    assert "perjantai 15.8.2025" in dates and "maanantai 2.3.2026" in dates
    assert "ehdotus" not in dates  # the manager's dates are no longer kanava's suggestion
    edit = manager.get(EDIT.format(lang="fi")).text
    assert "Päätösmuistiota muutettiin." in edit
    recorded = edit.split('id="recorded"')[1]
    assert recorded.count("esihenkilo") == 7 and "15.8.2025" in recorded


def test_a_language_left_unedited_keeps_its_own_text(manager: TestClient) -> None:
    assert save(manager, "fi", proposal_fi="Oma ehdotus.")[0] == 303
    swedish = manager.get(BRIEF.format(lang="sv")).text
    assert "Oma ehdotus." not in swedish
    assert "FPA:s tidsbokade service i Laukas ersätts" in swedish


def test_clearing_a_field_returns_it_to_kanava(manager: TestClient, session: Session) -> None:
    assert save(manager, "en", partners="Laukaa municipality")[0] == 303
    assert save(manager, "en", partners="")[0] == 303
    brief = manager.get(BRIEF.format(lang="en")).text
    partners = brief.split("Consultation and partners")[1].split("</ul>")[0]
    assert "<li>Laukaa</li>" in partners and "Laukaa municipality" not in partners
    assert session.scalar(select(func.count()).select_from(Correction)) == 2


@pytest.mark.parametrize(
    ("values", "wrong", "says"),
    [
        ({"announce_by": "23.8.2025"}, "announce_by", "arkipäivä"),  # a Saturday
        ({"review": "20.6.2025"}, "review", "arkipäivä"),  # juhannusaatto
        ({"announce_by": "2.9.2025"}, "announce_by", "ennen muutosta"),
        ({"review": "29.8.2025"}, "review", "muutoksen jälkeen"),
        ({"own_figure": "4"}, "own_figure_source", "mistä luku"),
        ({"own_figure": "neljä", "own_figure_source": "x"}, "own_figure", "lukuna"),
        ({"own_figure": "-1", "own_figure_source": "x"}, "own_figure", "lukuna"),
        ({"effective": "31.2.2025"}, "effective", "voimaantulopäivä"),
        ({"proposal_fi": "a\x07b"}, "proposal_fi", "ohjausmerkkejä"),
        ({"partners": "\n".join(f"Kumppani {n}" for n in range(21))}, "partners", "enintään 20"),
        ({}, "changes", "vähintään yhtä"),
    ],
    ids=["saturday", "juhannusaatto", "announce-after", "review-before", "no-source",
         "not-a-number", "negative", "no-such-day", "control-character", "too-many", "nothing"],
)  # fmt: skip
def test_a_wrong_edit_names_the_field_and_stores_nothing(
    manager: TestClient, session: Session, values: dict[str, str], wrong: str, says: str
) -> None:
    status, text = save(manager, "fi", **values)
    assert status == 422
    assert f'id="error-{wrong}"' in text or f'href="#field-{wrong}"' in text
    assert says in text.lower()
    assert session.scalar(select(func.count()).select_from(Correction)) == 0


def test_the_brief_page_offers_editing_and_printing_to_the_screen_only(
    manager: TestClient,
) -> None:
    brief = manager.get(BRIEF.format(lang="sv")).text
    nav = brief.split('<nav class="no-print"')[1].split("</nav>")[0]
    assert 'href="/sv/manager/network/brief/laukaa-ajanvaraus/edit"' in nav
    assert 'data-print-label="Skriv ut eller spara som PDF"' in nav
