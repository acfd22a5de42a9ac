"""The language check of the page walk finds what it must and passes what is right."""

from __future__ import annotations

import pytest

from tests.browser.language import problems

IDS = frozenset({"laukaa-ajanvaraus", "asiointipiste_visit", "municipality-061", "elakkeet"})


@pytest.mark.parametrize(
    "text",
    [
        "Online around the clock; service breaks are not recorded here.",
        "One day a week by appointment; the weekday is not given in the source.",
        "Ehdotus: Kela's appointment service in Laukaa is replaced",
        "Kelan ajanvarauspalvelu (laukaa-ajanvaraus)",
        "Käynti: asiointipiste_visit",
        "Tieto 2019-09-01",
        "Wed 09:00-16:00",
        "1,900,000 asukasta",
        "Eläkkeet (fi)",
        "Etäisyydet: great-circle km × 1.3",
        "avoinna klo 9:00–16:00",
    ],
)
def test_a_finnish_page_with_this_text_fails(text: str) -> None:
    assert problems([text], "fi", IDS)


@pytest.mark.parametrize(
    "text",
    [
        "Avoinna arkisin klo 9–16",
        "Noin 28,9 km päässä",
        "1 900 000 asukasta",
        "Tieto 1.9.2019",
        "Kelan palvelupiste Jyväskylä on avoinna tänään klo 9.00–16.00.",
        "OmaKela",
        "Väestö: Tilastokeskus, Paavo (CC BY 4.0)",
        "Eläkkeet",
    ],
)
def test_a_finnish_page_with_this_text_passes(text: str) -> None:
    assert problems([text], "fi", IDS) == []


def test_swedish_text_passes_and_english_fails() -> None:
    assert problems(["Öppet vardagar kl. 9–16, tidsbokning på tisdagar."], "sv", IDS) == []
    assert problems(["The point is open on Tuesdays"], "sv", IDS)
