"""The dates a brief suggests fall on working days, and say when they have passed."""

from __future__ import annotations

from datetime import date

import pytest

from kanava.network.brief import dates, working_day


@pytest.mark.parametrize(
    ("day", "step", "expected"),
    [
        (date(2026, 3, 1), +1, date(2026, 3, 2)),  # Sunday → Monday
        (date(2025, 6, 20), -1, date(2025, 6, 19)),  # juhannusaatto → Thursday
        (date(2025, 6, 20), +1, date(2025, 6, 23)),  # juhannusaatto, -päivä, Sunday → Monday
        (date(2025, 12, 24), +1, date(2025, 12, 29)),  # Christmas Eve to Boxing Day, weekend
        (date(2025, 12, 6), -1, date(2025, 12, 5)),  # Independence Day (a Saturday)
        (date(2025, 3, 12), +1, date(2025, 3, 12)),  # a Wednesday stays
    ],
)
def test_working_day(day: date, step: int, expected: date) -> None:
    assert working_day(day, step) == expected


def test_suggested_dates_are_working_days_and_passed_is_said() -> None:
    before = dates(date(2025, 9, 1), made=date(2025, 3, 6))
    assert before.announce_by == date(2025, 8, 21) and before.review == date(2026, 3, 2)
    assert not before.passed
    assert dates(date(2025, 9, 1), made=date(2026, 12, 3)).passed
    # Announced eleven days ahead of 1.7.2025 would be juhannusaatto 20.6.: the day before.
    assert dates(date(2025, 7, 1), made=date(2025, 1, 1)).announce_by == date(2025, 6, 19)
    assert dates(None, made=date(2025, 1, 1)).announce_by is None
