"""Hours rules as stored: one row per span; rows with the same kind, validity and
holiday form one rule of the engine. A row without times closes the days it decides."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column

from kanava.db import Base


class HoursRule(Base):
    __tablename__ = "hours_rule"
    __table_args__ = (
        CheckConstraint("(start_time IS NULL) = (end_time IS NULL)", name="times_given_together"),
        CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to",
            name="valid_from_not_after_valid_to",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel_id: Mapped[str] = mapped_column(
        ForeignKey("channel.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    holiday: Mapped[str | None] = mapped_column(String(40))
    weekdays: Mapped[str] = mapped_column(String(7), default="1234567")
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    ends_next_day: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(20), default="open")
    note: Mapped[str | None] = mapped_column(Text)
    # Who entered the rule by hand (an exception day); None for rules loaded from data,
    # which a reload replaces while entered ones stay.
    entered_by: Mapped[str | None] = mapped_column(String(80))
