"""Henkilötunnus validation, including the century signs of 2023."""

from __future__ import annotations

from datetime import date

import pytest

from kanava.booking.hetu import HetuError, parse_hetu


@pytest.mark.parametrize(
    ("code", "born"),
    [
        ("131052-308T", date(1952, 10, 13)),  # the agency's own example
        ("131052Y308T", date(1952, 10, 13)),  # the same person with a 2023 sign
        ("010594Y9032", date(1994, 5, 1)),
        ("010594Y9021", date(1994, 5, 1)),
        ("020594X903P", date(1994, 5, 2)),
        ("020594X902N", date(1994, 5, 2)),
        ("030594W903B", date(1994, 5, 3)),
        ("040594V9030", date(1994, 5, 4)),
        ("050594U903M", date(1994, 5, 5)),
        ("010516B903X", date(2016, 5, 1)),
        ("020516C903K", date(2016, 5, 2)),
        ("030516D9037", date(2016, 5, 3)),
        ("010501E9032", date(2001, 5, 1)),
        ("020502E902X", date(2002, 5, 2)),
        ("020503F9037", date(2003, 5, 2)),
        ("020504A902E", date(2004, 5, 2)),
        ("010101A002S", date(2001, 1, 1)),
        ("290200A901C", date(2000, 2, 29)),
        (" 131052-308t ", date(1952, 10, 13)),
    ],
)
def test_valid_codes__give_the_birth_date(code: str, born: date) -> None:
    assert parse_hetu(code).birth_date == born


def test_temporary_numbers_are_marked() -> None:
    assert parse_hetu("010594Y9032").temporary
    assert not parse_hetu("131052-308T").temporary


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("131052-308U", "check character"),
        ("131052-308", "expected DDMMYYCZZZQ"),
        ("131052Z308T", "expected DDMMYYCZZZQ"),
        ("290201A9019", "not a date"),
        ("320152-308T", "not a date"),
        ("010101A001S", "individual number"),
        ("", "expected"),
        ("<script>alert(1)</script>", "expected"),
    ],
)
def test_invalid_codes__say_why(code: str, message: str) -> None:
    with pytest.raises(HetuError, match=message):
        parse_hetu(code)


def test_masked__hides_the_individual_part() -> None:
    assert parse_hetu("131052-308T").masked() == "131052-****"
