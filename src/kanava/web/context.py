"""What every page handler needs: the page language, the signed-in user, texts in Python."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from kanava.catalogue.schemas import TopicRead
from kanava.catalogue.service import list_topics
from kanava.i18n import LANGUAGES
from kanava.i18n.catalogues import translations

Gettext = Callable[[str], str]


async def page_lang(lang: str) -> str:
    """The language segment of a page path; anything else is not a page (a coroutine: no
    I/O, so no worker thread)."""
    if lang not in LANGUAGES:
        raise HTTPException(404)
    return lang


LangDep = Annotated[str, Depends(page_lang)]


def gettext(lang: str) -> Gettext:
    return translations(lang).gettext


def lang_of(request: Request) -> str:
    """The language of a request's page, or the remembered one, or Finnish."""
    segment = request.url.path.split("/")[1:2]
    if segment and segment[0] in LANGUAGES:
        return segment[0]
    remembered = request.session.get("lang") if "session" in request.scope else None
    return remembered if remembered in LANGUAGES else "fi"


def topic_choices(session: Session, lang: str) -> list[tuple[str, str]]:
    """(id, name) of every matter, in Kela's order; customers with a non-disclosure
    order have their own line but no separate matter to choose."""
    return [(t.id, _topic_name(t, lang)) for t in list_topics(session=session)]


def _topic_name(topic: TopicRead, lang: str) -> str:
    return getattr(topic.name, lang) or topic.name.fi or topic.id
