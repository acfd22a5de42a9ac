"""API and CLI shapes of the catalogue: what a user reads, whichever door they use."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from kanava.schemas import KanavaSchema, Texts


class UnitRead(KanavaSchema):
    id: str
    parent_id: str | None
    kind: str
    name: Texts
    description: Texts
    director: str | None
    regions: list[str]
    welfare_areas: list[str]
    kela_service_area_code: int | None
    population: int | None = Field(
        description="Residents of its regions (municipal data, 31.12.2022); null if unmapped."
    )
    figures: dict[str, Any] = Field(description="Figures a source gives; null where it does not.")
    figures_note: str | None
    provenance: str
    source: str | None
    modified_at: datetime


class MunicipalityRead(KanavaSchema):
    code: str
    name_fi: str
    name_sv: str | None
    region_fi: str
    welfare_area_fi: str
    population: int
    lat: float
    lon: float
    kela_service_area_code: int | None
    housing_allowance_group: str | None
    source: str | None
    modified_at: datetime


class PostalAreaRead(KanavaSchema):
    code: str
    name_fi: str
    municipality_code: str
    population: int
    lat: float
    lon: float
    source: str | None
    modified_at: datetime


class TopicRead(KanavaSchema):
    id: str
    name: Texts
    phone_line_id: str | None


class EventRead(KanavaSchema):
    kind: str
    on_date: str | None
    note: Texts
    source: str | None
    provenance: str


class Phone(KanavaSchema):
    number: str = Field(description="E.164")
    display: str


class Address(KanavaSchema):
    street: str | None
    postal_code: str | None
    post_office: str | None


class ChannelRead(KanavaSchema):
    id: str
    kind: str
    name: Texts
    description: Texts
    url: Texts
    unit_id: str | None
    topic_id: str | None
    phone: Phone | None
    languages: list[str]
    address: Address | None
    municipality_code: str | None
    lat: float | None
    lon: float | None
    host_organisation: str | None
    host_channel_id: str | None
    appointment_only: bool
    video_service: bool
    open_days_per_week: int | None
    status: str
    status_date: str | None
    hours_note: Texts
    guide_section: str | None
    ptv_id: str | None
    events: list[EventRead]
    provenance: str
    source: str | None
    last_verified: date | None
    modified_at: datetime
    at: datetime | None = Field(None, description="The instant open/state/next_opening refer to.")
    open: bool | None = Field(None, description="Open for walk-in or calls; null: no hours known.")
    state: str | None = None
    closes_at: datetime | None = Field(
        None, description="When open: the end of this opening; null if open past a week."
    )
    next_opening: datetime | None = None
    hours_text: str | None = None


class HoursSpan(KanavaSchema):
    start: datetime
    end: datetime
    state: str


class HoursDay(KanavaSchema):
    date: date
    weekday: int
    holiday: str | None
    holiday_name: str | None
    decided_by: str | None
    spans: list[HoursSpan]


class HoursRead(KanavaSchema):
    channel_id: str
    timezone: str
    hours_text: str
    hours_note: str | None = Field(description="In the language asked for only; null if none.")
    days: list[HoursDay]


class Origin(KanavaSchema):
    kind: str
    code: str
    name: str
    lat: float
    lon: float


class GuideOptionRead(KanavaSchema):
    section: str
    id: str
    kind: str
    name: str
    open: bool | None
    state: str | None
    closes_at: datetime | None
    next_opening: datetime | None
    hours_text: str | None
    hours_note: str | None = Field(description="In the language asked for only; null if none.")
    distance_km: float | None
    phone: Phone | None
    url: str | None
    address: Address | None
    appointment_only: bool
    video_service: bool
    provenance: str
    reported_on: str | None = Field(
        description="For facts from public sources: the date they were reported, or null."
    )
    source: str | None


class GuideRead(KanavaSchema):
    topic: TopicRead
    lang: str
    at: datetime
    origin: Origin | None
    road_factor: float
    distance_note: str
    options: list[GuideOptionRead]
