"""The compact hours notation: what it accepts, what it refuses and why."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kanava.hours.engine import RuleError, Span
from kanava.hours.enums import State
from kanava.hours.notation import format_hours, parse_hours


def test_parse__weekdays_nine_to_four() -> None:
    assert parse_hours("Mo-Fr 09:00-16:00") == (
        Span(time(9), time(16), State.OPEN, frozenset({1, 2, 3, 4, 5})),
    )


def test_parse__over_midnight_and_states() -> None:
    late, booked = parse_hours("Fr 22:00-02:00; Tu,Th 09:00-12:00 appointment")
    assert late.ends_next_day and late.end == time(2)
    assert booked.state is State.BY_APPOINTMENT and booked.weekdays == frozenset({2, 4})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("Mo-Fr", "should read like"),
        ("Xx 09:00-16:00", "'Xx' is not a day"),
        ("Fr-Mo 09:00-16:00", "runs backwards"),
        ("Mo-Fr 9:5-16", "not a time HH:MM"),
        ("Mo-Fr 25:00-26:00", "not a time of day"),
        ("Mo-Fr 09:00-16:00 maybe", "state 'maybe'"),
        ("Mo 09:00", "not a time range"),
        ("Mo 09:00-09:00", "has no length"),
        ("'; DROP TABLE channel; --", "hours:"),
    ],
)
def test_parse__bad_text_names_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        parse_hours(text)


minutes = st.integers(min_value=0, max_value=23 * 60 + 59)


@given(
    start=minutes,
    length=st.integers(min_value=1, max_value=23 * 60),
    days=st.frozensets(st.integers(1, 7), min_size=1),
    state=st.sampled_from([State.OPEN, State.BY_APPOINTMENT, State.SELF_SERVICE]),
)
def test_format_then_parse__gives_the_same_spans(
    start: int, length: int, days: frozenset[int], state: State
) -> None:
    end = (start + length) % (24 * 60)
    begin, finish = time(start // 60, start % 60), time(end // 60, end % 60)
    span = Span(begin, finish, state, days, ends_next_day=finish <= begin)
    assert parse_hours(format_hours((span,))) == (span,)


@pytest.mark.parametrize("text", ["ma-pe 9.00-16.00", "må–fr 9–16", "mån-fre 9-16"])
def test_finnish_and_swedish_days_and_times_read_as_the_same_week(text: str) -> None:
    assert parse_hours(text) == parse_hours("Mo-Fr 09:00-16:00")
