"""Tables of the catalogue. Names in fi/sv/en; every record carries its provenance."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kanava.db import Base, UtcDateTime


class _Named:
    """Columns of a record named in three languages."""

    name_fi: Mapped[str] = mapped_column(String(200))
    name_sv: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))


class _Sourced:
    """Where a record came from, when it was last checked and last changed."""

    provenance: Mapped[str] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(Text)
    last_verified: Mapped[date | None] = mapped_column(Date)
    modified_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class OrgUnit(_Named, _Sourced, Base):
    """Kela, its service operations, result units and customer service units."""

    __tablename__ = "org_unit"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("org_unit.id"))
    kind: Mapped[str] = mapped_column(String(30))
    description_fi: Mapped[str | None] = mapped_column(Text)
    description_sv: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    director: Mapped[str | None] = mapped_column(String(120))
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    welfare_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    kela_service_area_code: Mapped[int | None] = mapped_column(Integer)
    # Figures a source gives; None where the source does not (the scan lost them).
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    figures_note: Mapped[str | None] = mapped_column(Text)


class Municipality(_Sourced, Base):
    __tablename__ = "municipality"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name_fi: Mapped[str] = mapped_column(String(80), index=True)
    name_sv: Mapped[str | None] = mapped_column(String(80))
    region_fi: Mapped[str] = mapped_column(String(80), index=True)
    welfare_area_fi: Mapped[str] = mapped_column(String(120))
    population: Mapped[int] = mapped_column(Integer)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    kela_service_area_code: Mapped[int | None] = mapped_column(Integer)
    housing_allowance_group: Mapped[str | None] = mapped_column(String(40))


class PostalArea(_Sourced, Base):
    __tablename__ = "postal_area"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name_fi: Mapped[str] = mapped_column(String(120))
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipality.code"), index=True)
    population: Mapped[int] = mapped_column(Integer)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class Topic(_Named, Base):
    """A customer matter, with a short ascii id (``elakkeet``)."""

    __tablename__ = "topic"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class Channel(_Named, _Sourced, Base):
    """A service channel of any kind; physical kinds carry a place."""

    __tablename__ = "channel"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("org_unit.id"))
    topic_id: Mapped[str | None] = mapped_column(ForeignKey("topic.id"), index=True)
    description_fi: Mapped[str | None] = mapped_column(Text)
    description_sv: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    url_fi: Mapped[str | None] = mapped_column(String(300))
    url_sv: Mapped[str | None] = mapped_column(String(300))
    url_en: Mapped[str | None] = mapped_column(String(300))
    phone_number: Mapped[str | None] = mapped_column(String(30))
    phone_display: Mapped[str | None] = mapped_column(String(30))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    street_address: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    post_office: Mapped[str | None] = mapped_column(String(80))
    municipality_code: Mapped[str | None] = mapped_column(
        ForeignKey("municipality.code"), index=True
    )
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    host_organisation: Mapped[str | None] = mapped_column(String(200))
    host_channel_id: Mapped[str | None] = mapped_column(ForeignKey("channel.id"))
    appointment_only: Mapped[bool] = mapped_column(Boolean, default=False)
    video_service: Mapped[bool] = mapped_column(Boolean, default=False)
    open_days_per_week: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    status_date: Mapped[str | None] = mapped_column(String(10))
    timezone: Mapped[str] = mapped_column(String(40), default="Europe/Helsinki")
    closed_on_holidays: Mapped[bool] = mapped_column(Boolean, default=True)
    hours_note_fi: Mapped[str | None] = mapped_column(Text)
    hours_note_sv: Mapped[str | None] = mapped_column(Text)
    hours_note_en: Mapped[str | None] = mapped_column(Text)
    # Where the channel guide shows the channel; None follows from the kind.
    guide_section: Mapped[str | None] = mapped_column(String(20))
    ptv_id: Mapped[str | None] = mapped_column(String(36), unique=True)

    events: Mapped[list[ChannelEvent]] = relationship(
        back_populates="channel",
        cascade="all, delete-orphan",
        order_by="ChannelEvent.position",
    )


class ChannelEvent(Base):
    """A dated fact of a channel's history (opened, replaced, proposed for replacement)."""

    __tablename__ = "channel_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel_id: Mapped[str] = mapped_column(
        ForeignKey("channel.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    # ISO date, or YYYY-MM where only the month is known; None where the source gives none.
    on_date: Mapped[str | None] = mapped_column(String(10))
    note_fi: Mapped[str | None] = mapped_column(Text)
    note_sv: Mapped[str | None] = mapped_column(Text)
    note_en: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    provenance: Mapped[str] = mapped_column(String(20))

    channel: Mapped[Channel] = relationship(back_populates="events")


class Correction(Base):
    """A manager's correction of a channel or a unit: who, when, what was there before.

    Loading the shipped data again applies every correction after it, the newest of
    each field winning, so a correction outlives a reload."""

    __tablename__ = "correction"
    __table_args__ = (Index("ix_correction_target", "target", "target_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    target: Mapped[str] = mapped_column(String(10))  # "channel" or "unit"
    target_id: Mapped[str] = mapped_column(String(80))
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(80))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)
