"""The manager's landing page: the 2024 channel volumes of the seed, as a chart and a table."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy import select

from kanava.contacts.charts import volume_unit_names
from kanava.contacts.models import ContactTotal
from kanava.deps import SessionDep
from kanava.i18n import pick_lang
from kanava.svg import Bar, bar_chart
from kanava.web.auth_pages import PagePrincipal
from kanava.web.context import LangDep, gettext
from kanava.web.render import environment, render

router = APIRouter(include_in_schema=False)
# Units that count contacts with a person or a service; visitors and followers are not
# comparable with them and stay in the table only.
CHARTED_UNITS = ("contacts", "visits", "appointments", "conversations", "sessions")


@router.get("/{lang}/manager")
def manager_home(
    request: Request, lang: LangDep, session: SessionDep, principal: PagePrincipal
) -> Response:
    principal.require("manager")
    totals = session.scalars(
        select(ContactTotal).where(ContactTotal.period == "2024").order_by(ContactTotal.position)
    ).all()
    rows = [t for t in totals if t.value is not None and t.channel_id is None]
    _ = gettext(lang)
    number = environment(lang).filters["number"]
    unit_names = volume_unit_names(_)
    bars = [
        Bar(
            pick_lang(t, "label", lang) or t.series,
            t.value or 0,
            f"{'~' if t.approximate else ''}{number(t.value)} {unit_names.get(t.unit, t.unit)}",
        )
        for t in rows
        if t.unit in CHARTED_UNITS
    ]
    chart = bar_chart(
        bars,
        title=_("Use of the personal customer service channels in 2024"),
        description=_(
            "Bar chart of yearly contacts, visits, appointments, conversations and sessions per "
            "channel; the same figures are in the table below."
        ),
        id_prefix="volumes",
    )
    return render(
        request,
        lang,
        "manager.html",
        chart=Markup(chart),
        rows=[(t, pick_lang(t, "label", lang), unit_names.get(t.unit, t.unit)) for t in rows],
        source=rows[0].source if rows else None,
    )
