"""Queries of the catalogue: one function per question, serving the API, the CLI and pages."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from kanava import clock
from kanava.catalogue.enums import ChannelKind
from kanava.catalogue.guide import GuideChannel, build_guide, status_on
from kanava.catalogue.jsonld import catalogue_jsonld
from kanava.catalogue.models import Channel, Municipality, OrgUnit, PostalArea, Topic
from kanava.catalogue.schemas import (
    Address,
    ChannelRead,
    EventRead,
    GuideOptionRead,
    GuideRead,
    HoursDay,
    HoursRead,
    HoursSpan,
    MunicipalityRead,
    Origin,
    Phone,
    PostalAreaRead,
    TopicRead,
    UnitRead,
)
from kanava.errors import InvalidInput, NotFound, reason
from kanava.hours.calendar import holiday_name
from kanava.hours.describe import describe_week
from kanava.hours.engine import Schedule, local_date, resolve_days, state_at, status_at
from kanava.hours.enums import State
from kanava.hours.service import load_rules
from kanava.i18n import BABEL_LOCALES, LANGUAGES, pick_lang, text_in
from kanava.schemas import Page, Texts

MAX_PAGE_SIZE = 1000
MAX_HOURS_DAYS = 366


def distance_note(lang: str, road_factor: float) -> str:
    """How the distances of the guide are reckoned, in the reader's language."""
    from kanava.i18n.catalogues import translations

    _ = translations(lang).gettext
    text = _(
        "Road distances are estimated as the straight-line distance × %(factor)s from the "
        "centre of the municipality or postal area."
    )
    return text % {"factor": format_decimal(road_factor, locale=BABEL_LOCALES[lang])}


def _texts(obj: object, field: str) -> Texts:
    return Texts(**{lang: getattr(obj, f"{field}_{lang}", None) for lang in LANGUAGES})


def _local(moment: datetime | None, timezone: str) -> datetime | None:
    """An instant as the channel's local time, offset included, as people read it."""
    return moment.astimezone(ZoneInfo(timezone)) if moment is not None else None


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InvalidInput(
            "lang",
            reason("%(lang)s is not one of %(join)s", lang=repr(lang), join=", ".join(LANGUAGES)),
        )
    return lang


def paginate(total: int, page: int, page_size: int) -> tuple[int, int]:
    """Validate paging and return (offset, total_pages)."""
    if page < 1:
        raise InvalidInput("page", reason("must be 1 or more"))
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(
            "page_size",
            reason("must be between 1 and %(MAX_PAGE_SIZE)s", MAX_PAGE_SIZE=MAX_PAGE_SIZE),
        )
    return (page - 1) * page_size, max(1, math.ceil(total / page_size))


# Organisation units ---------------------------------------------------------------


def _unit_population(session: Session, unit: OrgUnit) -> int | None:
    condition: ColumnElement[bool]
    if unit.regions:
        condition = Municipality.region_fi.in_(unit.regions)
    elif unit.kela_service_area_code is not None:
        condition = Municipality.kela_service_area_code == unit.kela_service_area_code
    else:
        return None
    total = session.scalar(select(func.sum(Municipality.population)).where(condition))
    return int(total) if total is not None else None


def _unit_read(session: Session, unit: OrgUnit) -> UnitRead:
    return UnitRead(
        id=unit.id,
        parent_id=unit.parent_id,
        kind=unit.kind,
        name=_texts(unit, "name"),
        description=_texts(unit, "description"),
        director=unit.director,
        regions=unit.regions,
        welfare_areas=unit.welfare_areas,
        kela_service_area_code=unit.kela_service_area_code,
        population=_unit_population(session, unit),
        figures=unit.figures,
        figures_note=unit.figures_note,
        provenance=unit.provenance,
        source=unit.source,
        modified_at=unit.modified_at,
    )


def list_units(*, session: Session) -> list[UnitRead]:
    """Every organisation unit, parents before children."""
    units = session.scalars(select(OrgUnit)).all()
    depth = {u.id: 0 for u in units}
    parents = {u.id: u.parent_id for u in units}
    for unit_id in depth:
        parent = parents[unit_id]
        while parent is not None:
            depth[unit_id] += 1
            parent = parents.get(parent)
    ordered = sorted(units, key=lambda u: (depth[u.id], u.id))
    return [_unit_read(session, unit) for unit in ordered]


def get_unit(*, session: Session, unit_id: str) -> UnitRead:
    unit = session.get(OrgUnit, unit_id)
    if unit is None:
        raise NotFound("unit", unit_id, session.scalars(select(OrgUnit.id)).all())
    return _unit_read(session, unit)


# Places ---------------------------------------------------------------------------


def find_municipality(*, session: Session, text: str) -> Municipality:
    """A municipality by code or by Finnish or Swedish name, any case."""
    wanted = text.strip()
    if wanted.isdigit():
        found = session.get(Municipality, wanted.zfill(3))
        if found is not None:
            return found
    exact = session.scalars(
        select(Municipality).where(
            (Municipality.name_fi == wanted) | (Municipality.name_sv == wanted)
        )
    ).first()
    if exact is not None:
        return exact
    lowered = wanted.casefold()
    for municipality in session.scalars(select(Municipality)):
        names = (municipality.name_fi, municipality.name_sv or "")
        if lowered in (name.casefold() for name in names):
            return municipality
    all_names = session.scalars(select(Municipality.name_fi)).all()
    close = difflib.get_close_matches(wanted, all_names, n=5, cutoff=0.6)
    raise NotFound("municipality", text, close or None)


def list_municipalities(
    *, session: Session, region: str | None = None, page: int = 1, page_size: int = 100
) -> Page[MunicipalityRead]:
    query = select(Municipality).order_by(Municipality.code)
    if region:
        query = query.where(Municipality.region_fi == region)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    offset, pages = paginate(total, page, page_size)
    rows = session.scalars(query.offset(offset).limit(page_size)).all()
    items = [MunicipalityRead.model_validate(row) for row in rows]
    return Page(total_items=total, total_pages=pages, page=page, page_size=page_size, items=items)


def get_municipality(*, session: Session, code: str) -> MunicipalityRead:
    return MunicipalityRead.model_validate(find_municipality(session=session, text=code))


def get_postal_area(*, session: Session, code: str) -> PostalAreaRead:
    area = session.get(PostalArea, code.strip())
    if area is None:
        raise NotFound("postal_code", code)
    return PostalAreaRead.model_validate(area)


def list_postal_areas(
    *, session: Session, municipality: str | None = None, page: int = 1, page_size: int = 100
) -> Page[PostalAreaRead]:
    query = select(PostalArea).order_by(PostalArea.code)
    if municipality:
        code = find_municipality(session=session, text=municipality).code
        query = query.where(PostalArea.municipality_code == code)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    offset, pages = paginate(total, page, page_size)
    rows = session.scalars(query.offset(offset).limit(page_size)).all()
    items = [PostalAreaRead.model_validate(row) for row in rows]
    return Page(total_items=total, total_pages=pages, page=page, page_size=page_size, items=items)


# Topics ---------------------------------------------------------------------------


def _topic_read(topic: Topic, phone_line_id: str | None) -> TopicRead:
    return TopicRead(id=topic.id, name=_texts(topic, "name"), phone_line_id=phone_line_id)


def _phone_lines_by_topic(session: Session) -> dict[str, str]:
    query = select(Channel.topic_id, Channel.id).where(Channel.kind == ChannelKind.PHONE_LINE)
    return {topic_id: channel_id for topic_id, channel_id in session.execute(query) if topic_id}


def list_topics(*, session: Session) -> list[TopicRead]:
    lines = _phone_lines_by_topic(session)
    topics = session.scalars(select(Topic).order_by(Topic.position)).all()
    return [_topic_read(topic, lines.get(topic.id)) for topic in topics]


def get_topic(*, session: Session, topic_id: str) -> TopicRead:
    topic = session.get(Topic, topic_id.strip())
    if topic is None:
        raise NotFound("topic", topic_id, session.scalars(select(Topic.id)).all())
    return _topic_read(topic, _phone_lines_by_topic(session).get(topic.id))


# Channels -------------------------------------------------------------------------


def schedules_of(session: Session, channels: Sequence[Channel]) -> dict[str, Schedule]:
    """The engine schedule of each channel, read in one query."""
    rules = load_rules(session, [c.id for c in channels])
    return {c.id: Schedule(rules[c.id], c.timezone, c.closed_on_holidays) for c in channels}


def _phone(channel: Channel) -> Phone | None:
    if not channel.phone_number:
        return None
    return Phone(number=channel.phone_number, display=channel.phone_display or channel.phone_number)


def _address(channel: Channel) -> Address | None:
    if not (channel.street_address or channel.postal_code or channel.post_office):
        return None
    return Address(
        street=channel.street_address,
        postal_code=channel.postal_code,
        post_office=channel.post_office,
    )


def _channel_read(
    channel: Channel, schedule: Schedule, at: datetime | None, lang: str = "fi"
) -> ChannelRead:
    read = ChannelRead(
        id=channel.id,
        kind=channel.kind,
        name=_texts(channel, "name"),
        description=_texts(channel, "description"),
        url=_texts(channel, "url"),
        unit_id=channel.unit_id,
        topic_id=channel.topic_id,
        phone=_phone(channel),
        languages=channel.languages,
        address=_address(channel),
        municipality_code=channel.municipality_code,
        lat=channel.lat,
        lon=channel.lon,
        host_organisation=channel.host_organisation,
        host_channel_id=channel.host_channel_id,
        appointment_only=channel.appointment_only,
        video_service=channel.video_service,
        open_days_per_week=channel.open_days_per_week,
        status=channel.status,
        status_date=channel.status_date,
        hours_note=_texts(channel, "hours_note"),
        guide_section=channel.guide_section,
        ptv_id=channel.ptv_id,
        events=[
            EventRead(
                kind=event.kind,
                on_date=event.on_date,
                note=_texts(event, "note"),
                source=event.source,
                provenance=event.provenance,
            )
            for event in channel.events
        ],
        provenance=channel.provenance,
        source=channel.source,
        last_verified=channel.last_verified,
        modified_at=channel.modified_at,
    )
    if at is not None and schedule.rules:
        answer = status_at(schedule, at)
        read.at = at
        read.state = answer.state.value
        read.open = answer.is_open
        read.closes_at = _local(answer.closes_at, schedule.timezone)
        read.next_opening = _local(answer.next_opening, schedule.timezone)
        read.hours_text = describe_week(schedule, local_date(at, schedule.timezone), lang)
    elif at is not None:
        read.at = at
    return read


def check_kind(kind: str) -> ChannelKind:
    try:
        return ChannelKind(kind)
    except ValueError:
        raise NotFound("kind", kind, [k.value for k in ChannelKind]) from None


def list_channels(
    *,
    session: Session,
    kind: str | None = None,
    municipality: str | None = None,
    topic: str | None = None,
    language: str | None = None,
    open_at: datetime | None = None,
    at: datetime | None = None,
    modified_after: datetime | None = None,
    lang: str = "fi",
    page: int = 1,
    page_size: int = 100,
) -> Page[ChannelRead]:
    """Channels matching every filter given (AND), evaluated at an instant."""
    query = select(Channel).options(selectinload(Channel.events)).order_by(Channel.id)
    if kind:
        query = query.where(Channel.kind == check_kind(kind).value)
    if municipality:
        code = find_municipality(session=session, text=municipality).code
        query = query.where(Channel.municipality_code == code)
    if topic:
        topic_id = get_topic(session=session, topic_id=topic).id
        query = query.where((Channel.topic_id == topic_id) | Channel.topic_id.is_(None))
    if modified_after:
        query = query.where(Channel.modified_at > modified_after)
    channels = list(session.scalars(query).all())
    if language:
        channels = [c for c in channels if language in c.languages]
    schedules = schedules_of(session, channels)
    if open_at is not None:
        channels = [
            c
            for c in channels
            if schedules[c.id].rules and state_at(schedules[c.id], open_at) in State.open_states()
        ]
    offset, pages = paginate(len(channels), page, page_size)
    moment = at or open_at
    items = [
        _channel_read(c, schedules[c.id], moment, lang)
        for c in channels[offset : offset + page_size]
    ]
    return Page(
        total_items=len(channels), total_pages=pages, page=page, page_size=page_size, items=items
    )


def get_channel_row(session: Session, channel_id: str) -> Channel:
    channel = session.get(Channel, channel_id.strip())
    if channel is None:
        raise NotFound("channel", channel_id, session.scalars(select(Channel.id)).all())
    return channel


def get_channel(
    *, session: Session, channel_id: str, at: datetime | None = None, lang: str = "fi"
) -> ChannelRead:
    channel = get_channel_row(session, channel_id)
    return _channel_read(channel, schedules_of(session, [channel])[channel.id], at, lang)


def channel_hours(
    *, session: Session, channel_id: str, first: date, days: int = 7, lang: str = "fi"
) -> HoursRead:
    """A channel's resolved hours, day by day, with holidays named."""
    if not 1 <= days <= MAX_HOURS_DAYS:
        raise InvalidInput(
            "days",
            reason("must be between 1 and %(MAX_HOURS_DAYS)s", MAX_HOURS_DAYS=MAX_HOURS_DAYS),
        )
    channel = get_channel_row(session, channel_id)
    schedule = schedules_of(session, [channel])[channel.id]
    resolved = resolve_days(schedule, first, first + timedelta(days=days - 1))
    zone_days = []
    for day in resolved:
        spans = []
        for interval in day.intervals:
            start, end = interval.local(schedule.timezone)
            spans.append(HoursSpan(start=start, end=end, state=interval.state.value))
        zone_days.append(
            HoursDay(
                date=day.date,
                weekday=day.date.isoweekday(),
                holiday=day.holiday,
                holiday_name=holiday_name(day.date, lang) if day.holiday else None,
                decided_by=day.decided_by.value if day.decided_by else None,
                spans=spans,
            )
        )
    return HoursRead(
        channel_id=channel.id,
        timezone=schedule.timezone,
        hours_text=describe_week(schedule, first, lang),
        hours_note=text_in(channel, "hours_note", lang),
        days=zone_days,
    )


# The channel guide ----------------------------------------------------------------


def _origin(session: Session, municipality: str | None, postal_code: str | None) -> Origin | None:
    if municipality and postal_code:
        raise InvalidInput("postal_code", reason("give a municipality or a postal code, not both"))
    if postal_code:
        area = session.get(PostalArea, postal_code.strip())
        if area is None:
            raise NotFound("postal_code", postal_code)
        return Origin(
            kind="postal_area", code=area.code, name=area.name_fi, lat=area.lat, lon=area.lon
        )
    if municipality:
        found = find_municipality(session=session, text=municipality)
        return Origin(
            kind="municipality", code=found.code, name=found.name_fi, lat=found.lat, lon=found.lon
        )
    return None


def guide(
    *,
    session: Session,
    topic: str,
    municipality: str | None = None,
    postal_code: str | None = None,
    lang: str = "fi",
    at: datetime | None = None,
    road_factor: float = 1.3,
) -> GuideRead:
    """The ways to get served on a matter, online first, with distances from a place."""
    check_lang(lang)
    topic_read = get_topic(session=session, topic_id=topic)
    origin = _origin(session, municipality, postal_code)
    moment = at or clock.now()
    channels = list(session.scalars(select(Channel)).all())
    schedules = schedules_of(session, channels)
    by_id = {c.id: c for c in channels}
    guide_channels = [
        GuideChannel(
            id=c.id,
            kind=ChannelKind(c.kind),
            name=pick_lang(c, "name", lang) or c.id,
            status=status_on(c.status, c.status_date, local_date(moment)),
            schedule=schedules[c.id],
            topic_id=c.topic_id,
            guide_section=c.guide_section,
            lat=c.lat,
            lon=c.lon,
            provenance=c.provenance,
        )
        for c in channels
    ]
    options = build_guide(
        topic_read.id,
        guide_channels,
        moment,
        lang,
        (origin.lat, origin.lon) if origin else None,
        road_factor,
    )
    reads = []
    for option in options:
        row = by_id[option.channel.id]
        reads.append(
            GuideOptionRead(
                section=option.section,
                id=row.id,
                kind=row.kind,
                name=option.channel.name,
                open=option.is_open,
                state=option.state.value if option.state else None,
                closes_at=_local(option.closes_at, row.timezone),
                next_opening=_local(option.next_opening, row.timezone),
                hours_text=option.hours_text,
                hours_note=text_in(row, "hours_note", lang),
                distance_km=round(option.distance_km, 1)
                if option.distance_km is not None
                else None,
                phone=_phone(row),
                url=pick_lang(row, "url", lang),
                address=_address(row),
                appointment_only=row.appointment_only,
                video_service=row.video_service,
                provenance=row.provenance,
                reported_on=row.status_date if row.provenance == "public_source" else None,
                source=row.source,
            )
        )
    return GuideRead(
        topic=topic_read,
        lang=lang,
        at=_local(moment, clock.HELSINKI.key) or moment,
        origin=origin,
        road_factor=road_factor,
        distance_note=distance_note(lang, road_factor),
        options=reads,
    )


def iter_catalogue(*, session: Session) -> Iterator[dict[str, object]]:
    """Every record of the catalogue, one dict per line of an ndjson dump."""
    for unit in list_units(session=session):
        yield {"type": "unit", **unit.model_dump(mode="json")}
    for topic in list_topics(session=session):
        yield {"type": "topic", **topic.model_dump(mode="json")}
    channels = list(session.scalars(select(Channel).options(selectinload(Channel.events))))
    schedules = schedules_of(session, channels)
    for channel in sorted(channels, key=lambda c: c.id):
        yield {
            "type": "channel",
            **_channel_read(channel, schedules[channel.id], None).model_dump(mode="json"),
        }
    for municipality in session.scalars(select(Municipality).order_by(Municipality.code)):
        yield {
            "type": "municipality",
            **MunicipalityRead.model_validate(municipality).model_dump(mode="json"),
        }
    for area in session.scalars(select(PostalArea).order_by(PostalArea.code)):
        yield {"type": "postal_area", **PostalAreaRead.model_validate(area).model_dump(mode="json")}


def export_jsonld(*, session: Session, first: date, days: int = 365) -> dict[str, object]:
    """The catalogue as schema.org JSON-LD, with holiday hours for the coming days.

    Published data carries facts only: illustrative and synthetic channels are left out."""
    channels = list(
        session.scalars(
            select(Channel)
            .where(Channel.provenance.not_in(("illustrative", "synthetic")))
            .options(selectinload(Channel.events))
        )
    )
    schedules = schedules_of(session, channels)
    pairs = [
        (_channel_read(c, schedules[c.id], None), schedules[c.id])
        for c in sorted(channels, key=lambda c: c.id)
    ]
    return catalogue_jsonld(list_topics(session=session), pairs, first, days)
