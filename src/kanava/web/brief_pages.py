"""The decision brief as a page, and the manager's edits of it: the proposal in three
languages, the partners, the dates and the unit's own figure. The rules live in
`kanava.network.brief_edits`; the page reads the form and names what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from kanava.catalogue.corrections import corrections
from kanava.config import Settings
from kanava.deps import NowDep, SessionDep, SettingsDep, WriteSessionDep
from kanava.errors import InvalidInput, reason_in
from kanava.network.brief import Brief
from kanava.network.brief_edits import DATE_FIELDS, EDIT_FIELDS
from kanava.network.service import (
    BRIEF,
    Network,
    brief_edits,
    edit_brief,
    load_network,
    make_brief,
    statistics_until,
)
from kanava.timeparse import parse_date
from kanava.web.auth_pages import PagePrincipal
from kanava.web.brief import brief_document, brief_drawings
from kanava.web.context import LangDep, gettext
from kanava.web.render import render
from kanava.web.security import check_csrf

router = APIRouter(include_in_schema=False)
UNIT = "keskinen"
ShortText = Annotated[str, Form(max_length=400)]
LongText = Annotated[str, Form(max_length=4000)]


def field_names(_: Callable[[str], str]) -> dict[str, str]:
    """Each field as the reader calls it."""
    return {
        "proposal_fi": _("Proposal in Finnish"),
        "proposal_sv": _("Proposal in Swedish"),
        "proposal_en": _("Proposal in English"),
        "partners": _("Partners"),
        "effective": _("Change takes effect"),
        "announce_by": _("Announce by"),
        "review": _("Review"),
        "own_figure": _("Customers a week, the unit's count"),
        "own_figure_source": _("Where the count comes from"),
    }


def field_messages(_: Callable[[str], str]) -> dict[str, str]:
    """What to say about each field, in the page's language."""
    working_day = _("Give a working day (no weekend, no holiday) as a date, or leave it empty.")
    return {
        "proposal_fi": _("At most 3 000 characters, no control characters."),
        "proposal_sv": _("At most 3 000 characters, no control characters."),
        "proposal_en": _("At most 3 000 characters, no control characters."),
        "partners": _("One partner a line, at most 20, each at most 120 characters."),
        "effective": _("Give the day the change takes effect as a date, or leave it empty."),
        "announce_by": working_day + " " + _("It comes before the change."),
        "review": working_day + " " + _("It comes after the change."),
        "own_figure": _("Give customers a week as a number from 0 to 10 000."),
        "own_figure_source": _("Say where the count comes from (at most 200 characters)."),
        "changes": _("Change at least one field."),
    }


def _network(session: Session, settings: Settings, now: datetime) -> tuple[Network, date]:
    """The unit's network on the last week with statistics, and that week's end."""
    until = statistics_until(session, settings.events_dir, now.date())
    return load_network(session, UNIT, until), until


def _brief(session: Session, settings: Settings, network: tuple[Network, date], point: str,
           now: datetime) -> Brief:  # fmt: skip
    return make_brief(session, network[0], point, until=network[1], today=now.date(),
                      events_dir=settings.events_dir)  # fmt: skip


@router.get("/{lang}/manager/network/brief/{point}")
def brief_page(
    lang: LangDep, session: SessionDep, settings: SettingsDep, principal: PagePrincipal,
    now: NowDep, point: str,
) -> Response:  # fmt: skip
    principal.require("manager")
    network = _network(session, settings, now)
    made = _brief(session, settings, network, point, now)
    drawn, trend = brief_drawings(session, network[0].municipalities, made, weeks=52, lang=lang,
                                  events_dir=settings.events_dir)  # fmt: skip
    return HTMLResponse(
        brief_document(made, lang, map_svg=drawn, trend_svg=trend, standalone=False,
                       edit_url=f"/{lang}/manager/network/brief/{made.place.id}/edit")
    )  # fmt: skip


def _edit_page(
    request: Request, lang: str, session: Session, made: Brief, values: dict[str, str],
    errors: dict[str, str], status_code: int = 200,
) -> Response:  # fmt: skip
    _ = gettext(lang)
    names = field_names(_)
    recorded = [r for r in corrections(session=session, target_id=made.place.id)
                if r.target == BRIEF]  # fmt: skip
    return render(
        request, lang, "manager_brief_edit.html", status_code=status_code,
        brief=made, values={name: values.get(name, "") for name in EDIT_FIELDS},
        errors=errors, names=names, recorded=recorded,
        saved=request.session.pop("brief_saved", None),
    )  # fmt: skip


@router.get("/{lang}/manager/network/brief/{point}/edit")
def brief_edit_page(
    request: Request, lang: LangDep, session: SessionDep, settings: SettingsDep,
    principal: PagePrincipal, now: NowDep, point: str,
) -> Response:  # fmt: skip
    principal.require("manager")
    made = _brief(session, settings, _network(session, settings, now), point, now)
    stored = brief_edits(session=session, point_id=made.place.id)
    return _edit_page(request, lang, session, made, stored, {})


@router.post("/{lang}/manager/network/brief/{point}/edit")
def save_brief_edits(
    request: Request, lang: LangDep, session: WriteSessionDep, settings: SettingsDep,
    principal: PagePrincipal, now: NowDep, point: str,
    proposal_fi: LongText = "", proposal_sv: LongText = "", proposal_en: LongText = "",
    partners: LongText = "", effective: ShortText = "", announce_by: ShortText = "",
    review: ShortText = "", own_figure: ShortText = "", own_figure_source: ShortText = "",
    csrf_token: ShortText = "",
) -> Response:  # fmt: skip
    check_csrf(request, csrf_token)
    principal.require("manager")
    values = {"proposal_fi": proposal_fi, "proposal_sv": proposal_sv,
              "proposal_en": proposal_en, "partners": partners, "effective": effective,
              "announce_by": announce_by, "review": review, "own_figure": own_figure,
              "own_figure_source": own_figure_source}  # fmt: skip
    network = _network(session, settings, now)
    try:
        changes: dict[str, str | None] = dict(values)
        for field in DATE_FIELDS:
            if values[field].strip():
                changes[field] = parse_date(values[field], field).isoformat()
        edit_brief(session=session, network=network[0], point=point, changes=changes,
                   by=principal.username, now=now)  # fmt: skip
    except InvalidInput as error:
        session.rollback()
        made = _brief(session, settings, network, point, now)
        messages = field_messages(gettext(lang))
        field = error.field if error.field in messages else "changes"
        message = messages.get(error.field, reason_in(error, gettext(lang)))
        return _edit_page(request, lang, session, made, values, {field: message}, 422)
    request.session["brief_saved"] = True
    return RedirectResponse(f"/{lang}/manager/network/brief/{point}/edit#recorded",
                            status_code=303)  # fmt: skip
