"""Properties tying the engine's answers together, over random schedules and instants.

- open at t exactly when t lies inside a resolved span (checked against a brute-force
  reading of the raw per-day spans, not the engine's own flattening);
- the next opening is open, and nothing between t and it is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kanava.hours.engine import Rule, Schedule, Span, is_open, next_opening, resolve_days
from kanava.hours.enums import RuleKind, State

DAY_PRIORITY = {State.CLOSED: 0, State.OPEN: 1, State.SELF_SERVICE: 2, State.BY_APPOINTMENT: 3}


@st.composite
def spans(draw: st.DrawFn) -> Span:
    start = draw(st.integers(0, 47)) * 30
    length = draw(st.integers(1, 40)) * 30
    end = (start + length) % (24 * 60)
    begin, finish = time(start // 60, start % 60), time(end // 60, end % 60)
    return Span(
        begin,
        finish,
        draw(st.sampled_from([State.OPEN, State.OPEN, State.CLOSED, State.BY_APPOINTMENT])),
        draw(st.frozensets(st.integers(1, 7), min_size=1)),
        ends_next_day=start + length >= 24 * 60,
    )


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    rules = [Rule(RuleKind.REGULAR, tuple(draw(st.lists(spans(), min_size=0, max_size=3))))]
    if draw(st.booleans()):
        first = date(2025, 3, 20) + timedelta(days=draw(st.integers(0, 30)))
        rules.append(
            Rule(
                RuleKind.OVERRIDE,
                tuple(draw(st.lists(spans(), max_size=2))),
                valid_from=first,
                valid_to=first + timedelta(days=draw(st.integers(0, 20))),
            )
        )
    return Schedule(tuple(rules), closed_on_holidays=draw(st.booleans()))


# Instants around both DST changes of 2025 and Easter.
instants = st.integers(0, 50 * 24 * 60).map(
    lambda minutes: datetime(2025, 3, 20, tzinfo=UTC) + timedelta(minutes=minutes)
) | st.integers(0, 10 * 24 * 60).map(
    lambda minutes: datetime(2025, 10, 20, tzinfo=UTC) + timedelta(minutes=minutes)
)


def brute_force_state(schedule: Schedule, moment: datetime) -> State:
    """Read the raw spans of the surrounding days with the documented precedence."""
    local = moment.astimezone(UTC).date()
    days = resolve_days(schedule, local - timedelta(days=2), local + timedelta(days=1))
    inside = [(d.date, i.state) for d in days for i in d.intervals if i.start <= moment < i.end]
    if not inside:
        return State.CLOSED
    latest = max(day for day, _ in inside)
    return min((s for day, s in inside if day == latest), key=DAY_PRIORITY.__getitem__)


@settings(max_examples=300, deadline=None)
@given(schedule=schedules(), moment=instants)
def test_open_at_t_exactly_when_t_is_inside_a_resolved_open_span(
    schedule: Schedule, moment: datetime
) -> None:
    expected = brute_force_state(schedule, moment) in State.open_states()
    assert is_open(schedule, moment) is expected


@settings(max_examples=200, deadline=None)
@given(schedule=schedules(), moment=instants)
def test_next_opening_is_open_and_nothing_before_it_is(
    schedule: Schedule, moment: datetime
) -> None:
    opening = next_opening(schedule, moment, horizon_days=60)
    if opening is None:
        return
    assert opening > moment
    assert is_open(schedule, opening)
    assert not is_open(schedule, opening - timedelta(microseconds=1))
    if not is_open(schedule, moment):
        step = moment
        while step < opening:
            assert not is_open(schedule, step), f"open at {step} before {opening}"
            step += timedelta(minutes=15)
