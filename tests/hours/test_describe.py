"""Hours said as a sentence in each language."""

from __future__ import annotations

from datetime import date

import pytest

from kanava.hours.describe import describe_rule, describe_week
from kanava.hours.engine import Rule, Schedule
from kanava.hours.enums import RuleKind
from kanava.hours.notation import parse_hours


def rule(text: str) -> Rule:
    return Rule(RuleKind.REGULAR, parse_hours(text))


@pytest.mark.parametrize(
    ("hours", "lang", "expected"),
    [
        ("Mo-Fr 09:00-16:00", "fi", "avoinna arkisin klo 9–16"),
        ("Mo-Fr 09:00-16:00", "sv", "öppet vardagar 9–16"),
        ("Mo-Fr 09:00-16:00", "en", "open weekdays 9–16"),
        ("We 12:00-16:00", "fi", "avoinna keskiviikkoisin klo 12–16"),
        ("We 12:00-16:00", "sv", "öppet onsdagar 12–16"),
        ("We 12:00-16:00", "en", "open Wednesdays 12–16"),
        (
            "Mo-Th 09:00-16:00; Fr 09:00-15:00",
            "fi",
            "avoinna ma–to klo 9–16, perjantaisin klo 9–15",
        ),
        ("Mo-Th 09:00-16:00; Fr 09:00-15:00", "sv", "öppet mån–tors 9–16, fredagar 9–15"),
        ("Tu,Th 09:30-15:00", "fi", "avoinna ti, to klo 9.30–15"),
        ("Tu,Th 09:30-15:00", "en", "open Tue, Thu 9:30–15"),
        ("We 12:00-16:00 appointment", "fi", "ajanvarauksella keskiviikkoisin klo 12–16"),
        ("We 12:00-16:00 appointment", "sv", "med tidsbokning onsdagar 12–16"),
        ("Mo-Fr 09:00-12:00,13:00-16:00", "en", "open weekdays 9–12 and 13–16"),
        ("Mo-Su 00:00-24:00", "fi", "avoinna ympäri vuorokauden"),
        ("Mo-Su 10:00-18:00", "sv", "öppet alla dagar 10–18"),
        ("Fr 22:00-24:00", "en", "open Fridays 22–24"),
    ],
)
def test_describe_rule__reads_like_a_timetable(hours: str, lang: str, expected: str) -> None:
    assert describe_rule(rule(hours), lang) == expected


@pytest.mark.parametrize(("lang", "word"), [("fi", "suljettu"), ("sv", "stängt"), ("en", "closed")])
def test_describe_rule__no_hours_is_closed(lang: str, word: str) -> None:
    assert describe_rule(None, lang) == word


def test_describe_week__uses_summer_hours_in_summer() -> None:
    schedule = Schedule(
        (
            rule("Mo-Fr 09:00-16:00"),
            Rule(
                RuleKind.OVERRIDE,
                parse_hours("Mo-Fr 10:00-14:00"),
                valid_from=date(2025, 6, 1),
                valid_to=date(2025, 9, 30),
            ),
        )
    )
    assert describe_week(schedule, date(2025, 7, 1), "fi") == "avoinna arkisin klo 10–14"
    assert describe_week(schedule, date(2025, 10, 1), "fi") == "avoinna arkisin klo 9–16"


def test_describe_week__a_holiday_week_still_says_the_usual_hours() -> None:
    schedule = Schedule((rule("Mo-Fr 09:00-16:00"),))
    assert describe_week(schedule, date(2025, 12, 24), "en") == "open weekdays 9–16"
