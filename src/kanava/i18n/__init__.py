"""Languages of kanava's text: fi (default), sv, en; one fallback rule."""

from __future__ import annotations

from typing import Any, Literal

Lang = Literal["fi", "sv", "en"]
LANGUAGES: tuple[Lang, ...] = ("fi", "sv", "en")
BABEL_LOCALES = {"fi": "fi", "sv": "sv_FI", "en": "en"}


def pick_lang(obj: Any, field: str, lang: str) -> str | None:
    """The text of ``field_<lang>``, falling back to Finnish, then Swedish, then English."""
    for candidate in (lang, "fi", "sv", "en"):
        value = getattr(obj, f"{field}_{candidate}", None)
        if value:
            return str(value)
    return None


def text_in(obj: Any, field: str, lang: str) -> str | None:
    """Prose (a note, a description) in the reader's language only: never another's."""
    value = getattr(obj, f"{field}_{lang}", None)
    return str(value) if value else None
