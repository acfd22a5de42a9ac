"""Forecasts from the synthetic history, and plans made from them: held-out weeks come
back within the noise, holidays are closed, call-backs lower the peaks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kanava.contacts.loader import is_working_day, read_pattern
from kanava.contacts.synthetic_calls import LineProfile, generate
from kanava.staffing.forecast import (
    HourForecast,
    HourObservation,
    backtest,
    forecast_week,
    iso_monday,
)
from kanava.staffing.plan import Target, plan_week

LINE = LineProfile("puhelin-tyottomyys", 0.19, 390.0, (9, 10, 11, 12, 13, 14, 15))


def history(first: date, last: date) -> list[HourObservation]:
    pattern, _entries = read_pattern()
    return [
        HourObservation(
            h.starts_at.date(), h.starts_at.hour, h.offered, h.handling_seconds, h.answered
        )
        for h in generate([LINE], pattern, first, last, is_working_day)
    ]


def open_hours(day: date) -> tuple[int, ...]:
    return LINE.hours if is_working_day(day) else ()


@pytest.fixture(scope="module")
def observed() -> list[HourObservation]:
    return history(date(2024, 1, 1), date(2025, 6, 29))


def test_the_synthetic_year_adds_up_to_the_seeds_total() -> None:
    pattern, entries = read_pattern()
    lines = [LineProfile(e["channel"], e["share"], e["aht_sec"], LINE.hours) for e in entries]
    total = sum(
        h.offered
        for h in generate(lines, pattern, date(2024, 1, 1), date(2024, 12, 31), is_working_day)
    )
    assert total == pytest.approx(1_900_000, rel=0.005)


def test_the_same_day_has_the_same_calls_whatever_the_window() -> None:
    pattern, _ = read_pattern()
    short = list(generate([LINE], pattern, date(2025, 3, 3), date(2025, 3, 7), is_working_day))
    longer = list(generate([LINE], pattern, date(2025, 2, 1), date(2025, 3, 31), is_working_day))
    assert short and set(short) <= set(longer)


def test_a_held_out_week_is_forecast_within_the_noise(observed: list[HourObservation]) -> None:
    monday = date(2025, 3, 10)
    result = backtest(observed, monday, open_hours, weeks=4)
    assert result.actual_calls > 20_000
    assert result.wape < 0.15
    assert result.forecast_calls == pytest.approx(result.actual_calls, rel=0.1)


def test_midsummer_eve_and_the_weekend_are_closed(observed: list[HourObservation]) -> None:
    monday = iso_monday("2025-W25")  # juhannusaatto is Friday 20.6.2025
    forecast = forecast_week([o for o in observed if o.day < monday], monday, open_hours)
    days = {f.day for f in forecast}
    assert date(2025, 6, 20) not in days
    assert date(2025, 6, 19) in days
    assert all(d.weekday() < 5 for d in days)
    # The season: a year earlier the same week was quieter than the weeks before it.
    spring = forecast_week(
        [o for o in observed if o.day < date(2025, 5, 5)], date(2025, 5, 5), open_hours
    )
    assert sum(f.calls for f in forecast) < sum(f.calls for f in spring)


def test_an_iso_week_is_read_or_refused() -> None:
    assert iso_monday("2025-W11") == date(2025, 3, 10)
    assert iso_monday("2026-W01") == date(2025, 12, 29)
    for bad in ("2025-11", "2025-W54", "next week", ""):
        with pytest.raises(ValueError, match="week"):
            iso_monday(bad)


def _flat_day(calls: list[float]) -> list[HourForecast]:
    day = date(2025, 3, 10)
    return [HourForecast(day, 9 + i, c, 300.0) for i, c in enumerate(calls)]


def test_call_backs_lower_the_peak_and_keep_every_call() -> None:
    hours = _flat_day([300, 260, 120, 100, 90, 80, 60])
    planned = plan_week(hours, Target(callback_share=0.5))
    assert sum(h.calls_with_callbacks for h in planned) == pytest.approx(1010)
    assert max(h.agents_with_callbacks for h in planned) < max(h.agents for h in planned)
    assert all(h.staff >= h.agents for h in planned)
    mean = 1010 / 7
    assert all(h.calls_with_callbacks <= max(h.calls, mean) + 1e-9 for h in planned)


def test_extra_calls_need_extra_experts() -> None:
    hours = _flat_day([200, 180, 150, 150, 140, 120, 100])
    base = plan_week(hours, Target())
    more = plan_week(hours, Target(extra_calls_per_week=700))
    assert sum(h.calls for h in more) == pytest.approx(sum(h.calls for h in base) + 700)
    assert sum(h.agents for h in more) > sum(h.agents for h in base)


def test_an_empty_week_plans_nothing() -> None:
    assert plan_week([], Target()) == []
    assert forecast_week([], date(2025, 3, 10), lambda _day: ()) == []


def test_a_growing_line_is_forecast_above_its_recent_average() -> None:
    monday = date(2025, 3, 10)
    flat = [
        HourObservation(monday - timedelta(days=d), 10, 100, 30_000, 100)
        for d in range(1, 57)
        if (monday - timedelta(days=d)).weekday() < 5
    ]
    growing = [
        HourObservation(o.day, o.hour, 100 + (56 - (monday - o.day).days) * 2, 30_000, 100)
        for o in flat
    ]

    def ten_only(day: date) -> tuple[int, ...]:
        return (10,) if day.weekday() < 5 else ()

    steady = forecast_week(flat, monday, ten_only)
    rising = forecast_week(growing, monday, ten_only)
    assert [f.calls for f in steady] == pytest.approx([100.0] * 5)
    recent_mean = sum(o.calls for o in growing) / len(growing)
    assert all(f.calls > recent_mean * 1.1 for f in rising)
