"""Contact figures: totals that exist only as sums (the 2024 channel volumes of the seed),
and phone lines' hourly call counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kanava.db import Base, UtcDateTime


class ContactTotal(Base):
    """One figure: a channel's volume over a period, in its own unit, with its source."""

    __tablename__ = "contact_total"
    __table_args__ = (UniqueConstraint("series", "period", name="series_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    series: Mapped[str] = mapped_column(String(60))
    period: Mapped[str] = mapped_column(String(20))
    channel_id: Mapped[str | None] = mapped_column(ForeignKey("channel.id"))
    label_fi: Mapped[str] = mapped_column(String(200))
    label_sv: Mapped[str | None] = mapped_column(String(200))
    label_en: Mapped[str | None] = mapped_column(String(200))
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(30))
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    provenance: Mapped[str] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(Text)


class CallInterval(Base):
    """One phone line's calls in one hour, as a call centre's switchboard reports them:
    offered, answered and abandoned calls and the handling time of the answered ones."""

    __tablename__ = "call_interval"
    __table_args__ = (UniqueConstraint("channel_id", "starts_at", name="line_hour"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel_id: Mapped[str] = mapped_column(ForeignKey("channel.id"))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    minutes: Mapped[int] = mapped_column(Integer, default=60)
    offered: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer)
    abandoned: Mapped[int] = mapped_column(Integer)
    handling_seconds: Mapped[int] = mapped_column(Integer)
    provenance: Mapped[str] = mapped_column(String(20))


class ContactEvent(Base):
    """One customer contact in one channel. ``source`` and ``source_id`` name it where it
    came from, so loading the same file again adds nothing."""

    __tablename__ = "contact_event"
    __table_args__ = (UniqueConstraint("source", "source_id", name="source_record"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(60))
    source_id: Mapped[str] = mapped_column(String(80))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    channel: Mapped[str] = mapped_column(String(30))
    place_id: Mapped[str | None] = mapped_column(ForeignKey("channel.id"), index=True)
    topic_id: Mapped[str | None] = mapped_column(ForeignKey("topic.id"))
    lang: Mapped[str | None] = mapped_column(String(2))
    outcome: Mapped[str] = mapped_column(String(12))
    wait_seconds: Mapped[int | None] = mapped_column(Integer)
    handle_seconds: Mapped[int | None] = mapped_column(Integer)
    provenance: Mapped[str] = mapped_column(String(20))
