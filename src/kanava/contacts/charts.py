"""The statistics as SVG charts, with the texts of one language. Charts of figures from the
demo year say "synthetic" in their title."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from pathlib import Path

from babel.numbers import format_decimal
from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.catalogue.models import Channel
from kanava.contacts.events import ContactChannel
from kanava.contacts.stats import channel_totals, weekday_hour, weekly_series
from kanava.i18n import BABEL_LOCALES, pick_lang
from kanava.network.terms import LOW_DEMAND as LOW_DEMAND
from kanava.svg import Bar, Series, bar_chart, heatmap, line_chart

KINDS = ("channels", "points", "heatmap", "trend")
PALETTE = ("#003f7d", "#1d6b32", "#8a4b00", "#6a1b9a", "#00626b", "#8a1c1c")
WEEKDAYS = {"fi": "ma ti ke to pe la su", "sv": "mån tis ons tors fre lör sön",
            "en": "Mon Tue Wed Thu Fri Sat Sun"}  # fmt: skip


def contact_channel_names(_: Callable[[str], str]) -> dict[str, str]:
    """The channels of contact events as a reader calls them."""
    return {
        ContactChannel.PHONE: _("Phone service"),
        ContactChannel.SERVICE_POINT_VISIT: _("Visits to service points"),
        ContactChannel.PHONE_APPOINTMENT: _("Phone appointments"),
        ContactChannel.SERVICE_POINT_APPOINTMENT: _("Service point appointments"),
        ContactChannel.ASIOINTIPISTE_VISIT: _("Visits to joint service points"),
        ContactChannel.REMOTE_VIDEO: _("Remote video service"),
        ContactChannel.CHATBOT: _("Chatbot"),
        ContactChannel.CALLBACK: _("Call-backs"),
        ContactChannel.WEB_VISIT: _("Visits to kela.fi"),
    }


def volume_unit_names(_: Callable[[str], str]) -> dict[str, str]:
    """The units of Kela's yearly volumes as a reader says them."""
    return {
        "contacts": _("contacts"),
        "visits": _("visits"),
        "visitors": _("visitors"),
        "conversations": _("conversations"),
        "followers": _("followers"),
        "appointments": _("appointments"),
        "sessions": _("sessions"),
        "customers_per_week": _("customers a week"),
    }


def point_names(session: Session, ids: list[str], lang: str) -> dict[str, str]:
    rows = session.scalars(select(Channel).where(Channel.id.in_(ids)))
    return {c.id: pick_lang(c, "name", lang) or c.id for c in rows}


WEEK_WORD = {"fi": "vk", "sv": "v.", "en": "wk"}
LABEL_GAP_PX = 70  # room a week label needs on the line chart's axis
PLOT_WIDTH_PX = 684


def label_every(count: int) -> int:
    """Write every n-th week under the axis so that the labels never overlap."""
    return max(1, math.ceil(LABEL_GAP_PX * max(count - 1, 1) / PLOT_WIDTH_PX))


def week_labels(weeks: list[str], lang: str, every: int) -> list[str]:
    """ISO weeks ("2025-W03") as the reader writes them ("vk 3"); a written label carries
    the year where it differs from the label written before."""
    labels, year = [], ""
    for index, week in enumerate(weeks):
        week_year, _sep, number = week.partition("-W")
        label = f"{WEEK_WORD.get(lang, 'wk')} {int(number)}"
        if index % every == 0 and week_year != year:
            label, year = f"{label}/{week_year}", week_year
        labels.append(label)
    return labels


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

    def number(value: float) -> str:
        return format_decimal(round(value), locale=BABEL_LOCALES[lang])

    if kind == "channels":
        totals = [
            t for t in channel_totals(session, 2024) if t.unit not in ("visitors", "followers")
        ]
        return bar_chart(
            [
                Bar(
                    pick_lang(t, "label", lang) or t.series,
                    t.value or 0,
                    number(t.value or 0),
                )
                for t in totals
            ],
            title=_("Use of the personal customer service channels in 2024"),
            description=_("Yearly contacts per channel; visitors and followers are left out."),
            id_prefix="channels",
        )
    if kind == "points":
        weekly = weekly_series(session, until, weeks, "place_id", parquet_dir)
        chosen = points or sorted(weekly.series, key=lambda p: sum(weekly.series[p]))[:4]
        names_of_points = point_names(session, chosen, lang)
        every = label_every(len(weekly.weeks))
        return line_chart(
            week_labels(weekly.weeks, lang, every),
            [
                Series(
                    names_of_points.get(p, p),
                    tuple(weekly.series.get(p, [0] * len(weekly.weeks))),
                    PALETTE[i % 6],
                )
                for i, p in enumerate(chosen)
            ],
            title=_("Customers a week at the points (synthetic)"),
            description=_(
                "Weekly customers of each point against Kela's low-demand line of 100 a week."
            ),
            id_prefix="points",
            reference=(LOW_DEMAND, _("100 a week")),
            every=every,
            number=number,
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
            number=number,
        )
    if kind == "trend":
        weekly = weekly_series(session, until, weeks, "channel", parquet_dir)
        channel_names = contact_channel_names(_)
        every = label_every(len(weekly.weeks))
        return line_chart(
            week_labels(weekly.weeks, lang, every),
            [
                Series(channel_names.get(c, c), tuple(v), PALETTE[i % 6])
                for i, (c, v) in enumerate(weekly.series.items())
            ],
            title=_("Contacts a week by channel (synthetic)"),
            description=_("Weekly contacts of each channel over the weeks shown."),
            id_prefix="trend",
            every=every,
            number=number,
        )
    raise ValueError(f"kind: one of {', '.join(KINDS)}")
