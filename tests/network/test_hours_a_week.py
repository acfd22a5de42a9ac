"""The open hours of a usual week, the divisor of calls moved to the phone lines."""

from __future__ import annotations

from datetime import date

from kanava.catalogue.records import weekly_rules
from kanava.network.places import hours_a_week

ON = date(2025, 3, 12)


def test_weekdays_nine_to_four_are_35_hours() -> None:
    assert hours_a_week(weekly_rules("Mo-Fr 09:00-16:00"), ON) == 35


def test_ten_to_three_and_a_span_over_midnight() -> None:
    assert hours_a_week(weekly_rules("Mo-Fr 10:00-15:00"), ON) == 25
    assert hours_a_week(weekly_rules("Fr 22:00-02:00"), ON) == 4


def test_no_regular_hours_is_not_zero_but_unknown() -> None:
    assert hours_a_week((), ON) is None
