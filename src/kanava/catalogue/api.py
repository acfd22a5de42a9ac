"""HTTP routes of the catalogue under /api/v1: each calls one service function."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, StreamingResponse

from kanava import clock
from kanava.bounds import Day, Instant
from kanava.catalogue import service
from kanava.catalogue.schemas import (
    ChannelRead,
    GuideRead,
    HoursRead,
    MunicipalityRead,
    PostalAreaRead,
    TopicRead,
    UnitRead,
)
from kanava.deps import SessionDep, SettingsDep
from kanava.i18n import Lang
from kanava.schemas import Page
from kanava.timeparse import as_aware

router = APIRouter(prefix="/api/v1")

PageNumber = Annotated[int, Query(ge=1, le=100_000, description="1-based page number")]
PageSize = Annotated[int, Query(ge=1, le=service.MAX_PAGE_SIZE)]
At = Annotated[
    Instant | None, Query(description="ISO 8601; without an offset, Helsinki local time")
]


def _aware(moment: datetime | None) -> datetime | None:
    return as_aware(moment) if moment is not None else None


@router.get("/", summary="What this API is")
def index() -> dict[str, Any]:
    return {
        "name": "kanava",
        "version": "v1",
        "openapi_url": "/api/openapi.json",
        "docs_url": "/api/docs",
        "resources": [
            "/api/v1/units",
            "/api/v1/municipalities",
            "/api/v1/postal-areas",
            "/api/v1/topics",
            "/api/v1/channels",
            "/api/v1/guide",
            "/api/v1/catalogue.ndjson",
            "/api/v1/catalogue.jsonld",
        ],
    }


@router.get("/units", response_model=list[UnitRead], summary="Organisation units")
def list_units(session: SessionDep) -> list[UnitRead]:
    return service.list_units(session=session)


@router.get("/units/{unit_id}", response_model=UnitRead)
def get_unit(session: SessionDep, unit_id: str) -> UnitRead:
    return service.get_unit(session=session, unit_id=unit_id)


@router.get("/municipalities", response_model=Page[MunicipalityRead])
def list_municipalities(
    session: SessionDep,
    region: str | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 100,
) -> Page[MunicipalityRead]:
    return service.list_municipalities(
        session=session, region=region, page=page, page_size=page_size
    )


@router.get("/municipalities/{code_or_name}", response_model=MunicipalityRead)
def get_municipality(session: SessionDep, code_or_name: str) -> MunicipalityRead:
    return service.get_municipality(session=session, code=code_or_name)


@router.get("/postal-areas", response_model=Page[PostalAreaRead])
def list_postal_areas(
    session: SessionDep,
    municipality: str | None = None,
    page: PageNumber = 1,
    page_size: PageSize = 100,
) -> Page[PostalAreaRead]:
    return service.list_postal_areas(
        session=session, municipality=municipality, page=page, page_size=page_size
    )


@router.get("/postal-areas/{code}", response_model=PostalAreaRead)
def get_postal_area(session: SessionDep, code: str) -> PostalAreaRead:
    return service.get_postal_area(session=session, code=code)


@router.get("/topics", response_model=list[TopicRead])
def list_topics(session: SessionDep) -> list[TopicRead]:
    return service.list_topics(session=session)


@router.get("/channels", response_model=Page[ChannelRead], summary="Channels, filters combined")
def list_channels(
    session: SessionDep,
    kind: str | None = None,
    municipality: str | None = None,
    topic: str | None = None,
    language: str | None = None,
    open_at: At = None,
    at: At = None,
    modified_after: At = None,
    lang: Lang = "fi",
    page: PageNumber = 1,
    page_size: PageSize = 100,
) -> Page[ChannelRead]:
    return service.list_channels(
        session=session,
        kind=kind,
        municipality=municipality,
        topic=topic,
        language=language,
        open_at=_aware(open_at),
        at=_aware(at),
        modified_after=_aware(modified_after),
        lang=lang,
        page=page,
        page_size=page_size,
    )


@router.get("/channels/{channel_id}", response_model=ChannelRead)
def get_channel(
    session: SessionDep, channel_id: str, at: At = None, lang: Lang = "fi"
) -> ChannelRead:
    return service.get_channel(
        session=session, channel_id=channel_id, at=_aware(at) or clock.now(), lang=lang
    )


@router.get("/channels/{channel_id}/hours", response_model=HoursRead)
def channel_hours(
    session: SessionDep,
    channel_id: str,
    start_date: Day | None = None,
    days: Annotated[int, Query(ge=1, le=service.MAX_HOURS_DAYS)] = 7,
    lang: Lang = "fi",
) -> HoursRead:
    return service.channel_hours(
        session=session,
        channel_id=channel_id,
        first=start_date or clock.today(),
        days=days,
        lang=lang,
    )


@router.get("/guide", response_model=GuideRead, summary="The ways to get served on a matter")
def guide(
    session: SessionDep,
    settings: SettingsDep,
    topic: str,
    municipality: str | None = None,
    postal_code: str | None = None,
    lang: Lang = "fi",
    at: At = None,
) -> GuideRead:
    return service.guide(
        session=session,
        topic=topic,
        municipality=municipality,
        postal_code=postal_code,
        lang=lang,
        at=_aware(at),
        road_factor=settings.road_factor,
    )


@router.get(
    "/catalogue.ndjson",
    summary="Everything, one JSON record per line",
    response_class=StreamingResponse,
    responses={200: {"description": "NDJSON", "content": {"application/x-ndjson": {}}}},
)
def catalogue_ndjson(session: SessionDep) -> StreamingResponse:
    lines = [
        json.dumps(record, ensure_ascii=False) + "\n"
        for record in service.iter_catalogue(session=session)
    ]

    def stream() -> Iterator[str]:
        yield from lines

    return StreamingResponse(stream(), media_type="application/x-ndjson")


@router.get(
    "/catalogue.jsonld",
    summary="The catalogue as schema.org JSON-LD",
    response_class=JSONResponse,
    responses={200: {"description": "JSON-LD", "content": {"application/ld+json": {}}}},
)
def catalogue_jsonld(session: SessionDep, start_date: Day | None = None) -> JSONResponse:
    document = service.export_jsonld(session=session, first=start_date or clock.today())
    return JSONResponse(document, media_type="application/ld+json")
