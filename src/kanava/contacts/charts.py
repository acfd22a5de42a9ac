"""The statistics as SVG charts, with the texts of one language. Charts of figures from the
demo year say "synthetic" in their title."""

from __future__ import annotations

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
                Bar(
                    pick_lang(t, "label", lang) or t.series,
                    t.value or 0,
                    format_decimal(round(t.value or 0), locale=BABEL_LOCALES[lang]),
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
        return line_chart(
            weekly.weeks,
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
        channel_names = contact_channel_names(_)
        return line_chart(
            weekly.weeks,
            [
                Series(channel_names.get(c, c), tuple(v), PALETTE[i % 6])
                for i, (c, v) in enumerate(weekly.series.items())
            ],
            title=_("Contacts a week by channel (synthetic)"),
            description=_("Weekly contacts of each channel over the weeks shown."),
            id_prefix="trend",
        )
    raise ValueError(f"kind: one of {', '.join(KINDS)}")
