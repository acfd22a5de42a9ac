"""What the charts write for people: weeks and figures as the reader writes them."""

from __future__ import annotations

from kanava.contacts.charts import label_every, week_labels
from kanava.svg import Series, heatmap, line_chart


def test_weeks_read_the_finnish_swedish_and_english_way_with_the_year_where_it_changes() -> None:
    weeks = ["2024-W51", "2024-W52", "2025-W01", "2025-W02"]
    assert week_labels(weeks, "fi", 2) == ["vk 51/2024", "vk 52", "vk 1/2025", "vk 2"]
    assert week_labels(weeks, "sv", 1)[:2] == ["v. 51/2024", "v. 52"]
    assert week_labels(weeks, "en", 4) == ["wk 51/2024", "wk 52", "wk 1", "wk 2"]


def test_a_years_week_labels_do_not_overlap() -> None:
    every = label_every(52)
    assert 5 <= every <= 6  # about 70 px apart on the 684 px axis
    assert label_every(8) == 1


def test_figures_in_charts_use_the_readers_format() -> None:
    finnish = lambda value: f"{value:,.0f}".replace(",", "\u00a0")  # noqa: E731
    drawn = line_chart(["vk 1", "vk 2"], [Series("Laukaa", (1800.0, 2000.0), "#003f7d")],
                       title="t", description="d", id_prefix="c", number=finnish)  # fmt: skip
    assert "2\u00a0000" in drawn and "2,000" not in drawn
    cells = heatmap(["ma"], ["9"], [[12345.0]], title="t", description="d", id_prefix="h",
                    number=finnish)  # fmt: skip
    assert "12\u00a0345" in cells
