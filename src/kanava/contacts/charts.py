"""The statistics as SVG charts, with the texts of one language. Charts of figures from the
demo year say "synthetic" in their title."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from kanava.contacts.stats import channel_totals, weekday_hour, weekly_series
from kanava.i18n import pick_lang
from kanava.svg import Bar, Series, bar_chart, heatmap, line_chart

KINDS = ("channels", "points", "heatmap", "trend")
LOW_DEMAND = 100  # customers a week: Kela's board, December 2017
PALETTE = ("#003f7d", "#1d6b32", "#8a4b00", "#6a1b9a", "#00626b", "#8a1c1c")
WEEKDAYS = {"fi": "ma ti ke to pe la su", "sv": "mån tis ons tors fre lör sön",
            "en": "Mon Tue Wed Thu Fri Sat Sun"}  # fmt: skip


def chart(
    session: Session,
    kind: str,
    *,
    until: date,
    weeks: int,
    lang: str,
    parquet_dir: Path | None,
    gettext: Callable[[str], str],
    points: list[str] | None = None,
) -> str:
    """One chart as SVG markup."""
    _ = gettext
    if kind == "channels":
        totals = [
            t for t in channel_totals(session, 2024) if t.unit not in ("visitors", "followers")
        ]
        return bar_chart(
            [
                Bar(pick_lang(t, "label", lang) or t.series, t.value or 0, f"{t.value:,.0f}")
                for t in totals
            ],
            title=_("Use of the personal customer service channels in 2024"),
            description=_("Yearly contacts per channel; visitors and followers are left out."),
            id_prefix="channels",
        )
    if kind == "points":
        weekly = weekly_series(session, until, weeks, "place_id", parquet_dir)
        chosen = points or sorted(weekly.series, key=lambda p: sum(weekly.series[p]))[:4]
        return line_chart(
            weekly.weeks,
            [
                Series(p, tuple(weekly.series.get(p, [0] * len(weekly.weeks))), PALETTE[i % 6])
                for i, p in enumerate(chosen)
            ],
            title=_("Customers a week at the points (synthetic)"),
            description=_(
                "Weekly customers of each point against Kela's low-demand line of 100 a week."
            ),
            id_prefix="points",
            reference=(LOW_DEMAND, _("100 a week")),
        )
    if kind == "heatmap":
        counts = weekday_hour(session, until, weeks, parquet_dir)
        days = sorted({d for d, _h in counts})
        hours = sorted({h for _d, h in counts})
        names = WEEKDAYS[lang].split()
        return heatmap(
            [names[d - 1] for d in days],
            [f"{h}" for h in hours],
            [[counts.get((d, h), 0) for h in hours] for d in days],
            title=_("Contacts by weekday and hour (synthetic)"),
            description=_("Contacts in each hour of each weekday over the weeks shown."),
            id_prefix="heatmap",
        )
    if kind == "trend":
        weekly = weekly_series(session, until, weeks, "channel", parquet_dir)
        return line_chart(
            weekly.weeks,
            [Series(c, tuple(v), PALETTE[i % 6]) for i, (c, v) in enumerate(weekly.series.items())],
            title=_("Contacts a week by channel (synthetic)"),
            description=_("Weekly contacts of each channel over the weeks shown."),
            id_prefix="trend",
        )
    raise ValueError(f"kind: one of {', '.join(KINDS)}")
