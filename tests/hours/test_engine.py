"""The hours engine on the days that break naive code: holidays, DST nights, midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kanava.hours.engine import (
    Interval,
    Rule,
    RuleError,
    Schedule,
    Span,
    closes_at,
    is_open,
    next_opening,
    resolve_day,
    state_at,
    status_at,
    timeline,
)
from kanava.hours.enums import RuleKind, State, Weekday
from kanava.hours.notation import parse_hours

HKI = ZoneInfo("Europe/Helsinki")


def weekly(text: str, **kwargs: object) -> Schedule:
    return Schedule((Rule(RuleKind.REGULAR, parse_hours(text)),), **kwargs)  # type: ignore[arg-type]


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=HKI)  # type: ignore[misc]


PENSIONS = weekly("Mo-Fr 09:00-16:00")
INTERNATIONAL = weekly("Mo-Fr 10:00-15:00")


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2025, 3, 12, 10, 0), True),
        (at(2025, 3, 12, 16, 0), False),
        (at(2025, 3, 12, 8, 59), False),
        (at(2025, 3, 12, 15, 59, 59), True),
        (at(2025, 3, 12, 9, 0), True),
    ],
    ids=["wed-10:00", "wed-16:00-end-exclusive", "wed-08:59", "wed-15:59:59", "wed-09:00"],
)
def test_is_open__pensions_line_on_wednesday_12_3_2025(moment: datetime, expected: bool) -> None:
    assert is_open(PENSIONS, moment) is expected


def test_next_opening__international_line_closed_at_09_30_opens_10_00_same_day() -> None:
    moment = at(2025, 3, 12, 9, 30)
    assert not is_open(INTERNATIONAL, moment)
    assert next_opening(INTERNATIONAL, moment) == at(2025, 3, 12, 10, 0)


@pytest.mark.parametrize(
    "moment",
    [at(2025, 3, 15, 12, 0), at(2025, 6, 20, 12, 0), at(2025, 12, 24, 10, 0)],
    ids=["saturday", "juhannusaatto-20.6.2025", "jouluaatto-24.12.2025"],
)
@pytest.mark.parametrize("schedule", [PENSIONS, INTERNATIONAL], ids=["9-16", "10-15"])
def test_is_open__phone_line_closed_on_saturday_and_eves(
    schedule: Schedule, moment: datetime
) -> None:
    assert state_at(schedule, moment) is State.CLOSED


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2025, 3, 14, 16, 0), at(2025, 3, 17, 9, 0)),
        (at(2025, 4, 17, 16, 0), at(2025, 4, 22, 9, 0)),
        (at(2025, 6, 19, 16, 0), at(2025, 6, 23, 9, 0)),
        (at(2025, 12, 23, 16, 0), at(2025, 12, 29, 9, 0)),
        (at(2025, 12, 5, 16, 0), at(2025, 12, 8, 9, 0)),
    ],
    ids=[
        "friday-to-monday",
        "easter-thursday-to-tuesday",
        "juhannus-thursday-to-monday",
        "christmas-tuesday-to-monday",
        "independence-day-saturday",
    ],
)
def test_next_opening__over_weekends_and_holidays(moment: datetime, expected: datetime) -> None:
    assert next_opening(PENSIONS, moment) == expected


def test_next_opening__while_open__is_the_next_opening_after_this_one() -> None:
    assert next_opening(PENSIONS, at(2025, 3, 12, 10, 0)) == at(2025, 3, 13, 9, 0)


def test_next_opening__never_opens__is_none() -> None:
    assert next_opening(Schedule(), at(2025, 3, 12, 10, 0)) is None


def test_holidays__schedule_that_does_not_close_on_holidays_stays_open() -> None:
    always = weekly("Mo-Su 00:00-24:00", closed_on_holidays=False)
    assert is_open(always, at(2025, 12, 24, 3, 0))


@pytest.mark.parametrize("day", [date(2025, 3, 30), date(2025, 10, 26)], ids=["spring", "autumn"])
def test_dst__a_9_to_16_span_on_a_change_day_is_seven_hours(day: date) -> None:
    schedule = weekly("Mo-Su 09:00-16:00")
    (interval,) = resolve_day(schedule, day).intervals
    assert interval.end - interval.start == timedelta(hours=7)
    assert interval.local()[0].hour == 9
    assert interval.local()[1].hour == 16


@pytest.mark.parametrize(
    ("day", "utc_start", "utc_end"),
    [
        # The night into the spring change: 02:00 comes before the 03:00 jump.
        (date(2025, 3, 29), datetime(2025, 3, 29, 20, 0), datetime(2025, 3, 30, 0, 0)),
        # Starting on the change day: EEST (+03) on both ends.
        (date(2025, 3, 30), datetime(2025, 3, 30, 19, 0), datetime(2025, 3, 30, 23, 0)),
        # The night into the autumn change: 02:00 is still summer time.
        (date(2025, 10, 25), datetime(2025, 10, 25, 19, 0), datetime(2025, 10, 25, 23, 0)),
        # Starting on the change day: EET (+02) on both ends.
        (date(2025, 10, 26), datetime(2025, 10, 26, 20, 0), datetime(2025, 10, 27, 0, 0)),
    ],
    ids=["into-spring-change", "spring-change-day", "into-autumn-change", "autumn-change-day"],
)
def test_dst__span_22_to_02_that_ends_next_day(
    day: date, utc_start: datetime, utc_end: datetime
) -> None:
    schedule = weekly("Mo-Su 22:00-02:00")
    (interval,) = resolve_day(schedule, day).intervals
    assert (interval.start, interval.end) == (
        utc_start.replace(tzinfo=UTC),
        utc_end.replace(tzinfo=UTC),
    )
    assert interval.end - interval.start == timedelta(hours=4)


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2025, 3, 29), 5), (date(2025, 10, 25), 7)],
    ids=["spring-loses-an-hour", "autumn-gains-an-hour"],
)
def test_dst__span_across_the_change_hour_has_the_real_length(day: date, hours: int) -> None:
    (interval,) = resolve_day(weekly("Mo-Su 22:00-04:00"), day).intervals
    assert interval.end - interval.start == timedelta(hours=hours)


def test_dst__open_in_the_repeated_autumn_hour_both_times() -> None:
    schedule = weekly("Mo-Su 22:00-05:00")
    first = datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 03:30 EEST
    second = datetime(2025, 10, 26, 1, 30, tzinfo=UTC)  # 03:30 EET
    assert is_open(schedule, first) and is_open(schedule, second)


def test_dst__nonexistent_local_time_is_moved_an_hour_later() -> None:
    (interval,) = resolve_day(weekly("Mo-Su 03:30-06:00"), date(2025, 3, 30)).intervals
    assert interval.local()[0] == datetime(2025, 3, 30, 4, 30, tzinfo=HKI)


def test_midnight__over_night_span_serves_the_early_hours_of_the_next_day() -> None:
    schedule = weekly("Fr 22:00-02:00")
    assert is_open(schedule, at(2025, 3, 15, 1, 59))  # Saturday 01:59
    assert not is_open(schedule, at(2025, 3, 15, 2, 0))
    assert next_opening(schedule, at(2025, 3, 15, 2, 0)) == at(2025, 3, 21, 22, 0)


def test_midnight__end_24_00_closes_at_the_start_of_the_next_day() -> None:
    schedule = weekly("Mo-Fr 18:00-24:00")
    assert is_open(schedule, at(2025, 3, 12, 23, 59, 59))
    assert not is_open(schedule, at(2025, 3, 13, 0, 0))


def test_midnight__back_to_back_days_merge_into_one_opening() -> None:
    schedule = weekly("Mo-Su 00:00-24:00", closed_on_holidays=False)
    line = timeline(schedule, date(2025, 3, 10), date(2025, 3, 16))
    assert len(line.intervals) == 1


SUMMER = Schedule(
    (
        Rule(RuleKind.REGULAR, parse_hours("Mo-Fr 09:00-16:00")),
        Rule(
            RuleKind.OVERRIDE,
            parse_hours("Mo-Fr 10:00-14:00"),
            valid_from=date(2025, 6, 1),
            valid_to=date(2025, 9, 30),
        ),
    )
)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2025, 5, 30, 9, 30), True),
        (at(2025, 6, 2, 9, 30), False),
        (at(2025, 6, 2, 10, 30), True),
        (at(2025, 9, 30, 9, 30), False),
        (at(2025, 9, 30, 15, 0), False),
        (at(2025, 10, 1, 9, 0), True),
        (at(2025, 10, 1, 15, 0), True),
    ],
    ids=[
        "may",
        "june-before-10",
        "june-10:30",
        "30.9.-before-10",
        "30.9.-15:00",
        "1.10.",
        "1.10.-15",
    ],
)
def test_override__summer_hours_from_1_6_to_30_9_end_exactly_on_1_10(
    moment: datetime, expected: bool
) -> None:
    assert is_open(SUMMER, moment) is expected


def test_override__shortest_validity_wins() -> None:
    week_off = Rule(RuleKind.OVERRIDE, (), valid_from=date(2025, 7, 7), valid_to=date(2025, 7, 13))
    schedule = Schedule((*SUMMER.rules, week_off))
    assert not is_open(schedule, at(2025, 7, 8, 11, 0))
    assert is_open(schedule, at(2025, 7, 15, 11, 0))


def test_precedence__exception_beats_holiday_beats_regular() -> None:
    christmas_eve_open = Rule(
        RuleKind.HOLIDAY, parse_hours("Mo-Su 09:00-12:00"), holiday="jouluaatto"
    )
    exception_2025 = Rule(
        RuleKind.EXCEPTION, (), valid_from=date(2025, 12, 24), valid_to=date(2025, 12, 24)
    )
    with_holiday = Schedule((*PENSIONS.rules, christmas_eve_open))
    assert is_open(with_holiday, at(2025, 12, 24, 10, 0))
    assert is_open(with_holiday, at(2026, 12, 24, 10, 0))
    assert not is_open(with_holiday, at(2025, 12, 24, 13, 0))
    with_exception = Schedule((*with_holiday.rules, exception_2025))
    assert not is_open(with_exception, at(2025, 12, 24, 10, 0))
    assert is_open(with_exception, at(2026, 12, 24, 10, 0))


def test_precedence__day_records_which_rule_decided_it() -> None:
    assert resolve_day(PENSIONS, date(2025, 6, 20)).decided_by is RuleKind.HOLIDAY
    assert resolve_day(PENSIONS, date(2025, 6, 20)).holiday == "juhannusaatto"
    assert resolve_day(PENSIONS, date(2025, 6, 19)).decided_by is RuleKind.REGULAR


def test_states__closed_span_punches_a_lunch_hole() -> None:
    schedule = weekly("Mo-Fr 09:00-16:00; Mo-Fr 12:00-13:00 closed")
    assert is_open(schedule, at(2025, 3, 12, 11, 59))
    assert not is_open(schedule, at(2025, 3, 12, 12, 30))
    assert next_opening(schedule, at(2025, 3, 12, 12, 30)) == at(2025, 3, 12, 13, 0)


def test_states__by_appointment_is_not_open_but_has_its_own_next_opening() -> None:
    schedule = weekly("We 12:00-16:00 appointment")
    moment = at(2025, 3, 12, 13, 0)
    assert state_at(schedule, moment) is State.BY_APPOINTMENT
    assert not is_open(schedule, moment)
    assert next_opening(schedule, moment) is None
    appointments = frozenset({State.BY_APPOINTMENT})
    assert next_opening(schedule, moment, appointments) == at(2025, 3, 19, 12, 0)


def test_timeline__intervals_are_utc_and_sorted() -> None:
    line = timeline(PENSIONS, date(2025, 3, 10), date(2025, 3, 16))
    assert [i.start.tzinfo for i in line.intervals] == [UTC] * 5
    assert line.intervals == tuple(sorted(line.intervals))
    assert line.intervals[0] == Interval(
        datetime(2025, 3, 10, 7, 0, tzinfo=UTC), datetime(2025, 3, 10, 14, 0, tzinfo=UTC)
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Span(time(16), time(9)), "end: 09:00 is not after start 16:00"),
        (lambda: Span(time(9), time(16), weekdays=frozenset({8})), "weekdays"),
        (lambda: Rule(RuleKind.EXCEPTION), "valid_from"),
        (lambda: Rule(RuleKind.HOLIDAY), "holiday"),
        (
            lambda: Rule(RuleKind.OVERRIDE, valid_from=date(2025, 9, 1), valid_to=date(2025, 6, 1)),
            "valid_to",
        ),
    ],
    ids=["end-before-start", "weekday-8", "exception-without-date", "holiday-unnamed", "backwards"],
)
def test_rule_errors__name_the_field(build: object, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        build()  # type: ignore[operator]


def test_naive_instant__is_refused_with_the_reason() -> None:
    with pytest.raises(RuleError, match="at: the instant needs a UTC offset"):
        is_open(PENSIONS, datetime(2025, 3, 12, 10, 0))


def test_weekday_business_days() -> None:
    assert Weekday.business_days() == frozenset({1, 2, 3, 4, 5})


def test_status__open_until_closing_time() -> None:
    answer = status_at(PENSIONS, at(2025, 3, 12, 10, 0))
    assert (answer.is_open, answer.closes_at, answer.next_opening) == (
        True,
        at(2025, 3, 12, 16, 0),
        None,
    )


def test_status__closed_says_when_it_opens_appointments_included() -> None:
    schedule = weekly("We 12:00-16:00 appointment")
    answer = status_at(schedule, at(2025, 3, 13, 10, 0))
    assert (answer.is_open, answer.next_opening) == (False, at(2025, 3, 19, 12, 0))


def test_closes_at__around_the_clock_has_no_closing_time() -> None:
    always = weekly("Mo-Su 00:00-24:00", closed_on_holidays=False)
    assert closes_at(always, at(2025, 3, 12, 10, 0)) is None


def test_closes_at__over_midnight_run_ends_next_morning() -> None:
    late = weekly("Mo-Su 18:00-24:00; Mo-Su 00:00-02:00", closed_on_holidays=False)
    assert closes_at(late, at(2025, 3, 12, 23, 0)) == at(2025, 3, 13, 2, 0)
