"""The customer's front door: what is your matter, and the ways to get served on it."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.catalogue.models import Channel, Municipality
from kanava.catalogue.schemas import GuideRead
from kanava.catalogue.service import guide
from kanava.deps import NowDep, SessionDep, SettingsDep
from kanava.errors import KanavaError
from kanava.svg import MapPoint, point_map
from kanava.web.context import LangDep, gettext, lang_of, topic_choices
from kanava.web.messages import field_errors, section_names
from kanava.web.render import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=100)]
_PLACED = ("service_points", "asiointipisteet")


@router.get("/")
def root(request: Request) -> RedirectResponse:
    """To the remembered language, Finnish by default."""
    return RedirectResponse(f"/{lang_of(request)}/", status_code=303)


@router.get("/{lang}/")
def home(request: Request, lang: LangDep, session: SessionDep) -> Response:
    return render(
        request,
        lang,
        "home.html",
        topics=topic_choices(session, lang),
        values={},
        errors={},
    )


def _split_place(place: str) -> tuple[str | None, str | None]:
    """A five-digit postal code, or the name of a municipality."""
    text = place.strip()
    if text.isdigit() and len(text) == 5:
        return None, text
    return (text or None), None


@router.get("/{lang}/guide")
def guide_page(
    request: Request,
    lang: LangDep,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    topic: Text = "",
    place: Text = "",
) -> Response:
    values = {"topic": topic, "place": place}
    municipality, postal_code = _split_place(place)
    try:
        result = guide(
            session=session,
            topic=topic,
            municipality=municipality,
            postal_code=postal_code,
            lang=lang,
            at=now,
            road_factor=settings.road_factor,
        )
    except KanavaError as error:
        field = "topic" if error.field == "topic" else "place"
        messages = field_errors(gettext(lang))
        return render(
            request,
            lang,
            "home.html",
            status_code=422,
            topics=topic_choices(session, lang),
            values=values,
            errors={field: messages[field]},
        )
    sections: dict[str, list[Any]] = {}
    for option in result.options:
        sections.setdefault(option.section, []).append(option)
    return render(
        request,
        lang,
        "guide.html",
        result=result,
        sections=sections,
        first_placed=next((s for s in sections if s in _PLACED), None),
        section_names=section_names(gettext(lang)),
        values=values,
        map_svg=_guide_map(session, result, lang),
    )


def _guide_map(session: Session, result: GuideRead, lang: str) -> Markup:
    """The origin and the numbered points of the guide, on municipal centres for context."""
    if result.origin is None:
        return Markup("")
    _ = gettext(lang)
    points = [MapPoint(result.origin.lat, result.origin.lon, result.origin.name, "origin")]
    placed = [o for o in result.options if o.section in _PLACED]
    coordinates = _coordinates(session, [o.id for o in placed])
    for number, option in enumerate(placed, start=1):
        lat, lon = coordinates[option.id]
        marker = "service_point" if option.section == "service_points" else "asiointipiste"
        points.append(MapPoint(lat, lon, option.name, marker, number))
    background = [
        (lat, lon) for lat, lon in session.execute(select(Municipality.lat, Municipality.lon))
    ]
    return Markup(
        point_map(
            points,
            background,
            title=_("Map of the nearest places to be served"),
            description=_(
                "Numbered circles are the places listed on this page; the diamond is %(place)s; "
                "grey dots are municipal centres."
            )
            % {"place": result.origin.name},
        )
    )


def _coordinates(session: Session, ids: list[str]) -> dict[str, tuple[float, float]]:
    rows = session.execute(select(Channel.id, Channel.lat, Channel.lon).where(Channel.id.in_(ids)))
    return {i: (lat, lon) for i, lat, lon in rows if lat is not None and lon is not None}


def error_page(request: Request, status: int, field: str) -> Response:
    """Errors of the pages as pages, in the page's language; nothing about what exists."""
    lang = lang_of(request)
    if status == 401:
        return RedirectResponse(
            f"/{lang}/login?" + urlencode({"next": request.url.path}), status_code=303
        )
    return render(request, lang, "error.html", status_code=status, status=status, field=field)
