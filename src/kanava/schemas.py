"""The shared Pydantic base and small shapes every capability uses."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class KanavaSchema(BaseModel):
    model_config = ConfigDict(from_attributes=True, str_strip_whitespace=True, extra="forbid")


class Texts(KanavaSchema):
    """One text in Finnish, Swedish and English; a missing version is null."""

    fi: str | None = None
    sv: str | None = None
    en: str | None = None


class Page(KanavaSchema, Generic[T]):
    """A page of a list, with the totals a client needs to walk the rest."""

    total_items: int
    total_pages: int
    page: int
    page_size: int
    items: list[T]
