"""Render a page: one Jinja2 environment per language, Babel formats, shared globals."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from kanava.clock import HELSINKI
from kanava.i18n import BABEL_LOCALES, LANGUAGES
from kanava.i18n.catalogues import translations
from kanava.i18n.formats import CLOCK, WHEN, wall_clock
from kanava.notify.messages import national
from kanava.web.flow import take_flash
from kanava.web.security import csrf_token

LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}


def _local(moment: datetime) -> datetime:
    return moment.astimezone(HELSINKI) if moment.tzinfo else moment


def _day(value: date | datetime) -> date:
    return value.astimezone(HELSINKI).date() if isinstance(value, datetime) else value


def _partial_day(text: str, locale: str) -> str:
    """A date the source gives to the day (1.9.2019) or only to the month (syyskuu 2018)."""
    if len(text) == 7:
        return format_date(date.fromisoformat(f"{text}-01"), "LLLL yyyy", locale=locale)
    return format_date(date.fromisoformat(text), "d.M.yyyy", locale=locale)


@cache
def environment(lang: str) -> Environment:
    """The template environment of one page language, its catalogue installed."""
    env = Environment(
        loader=PackageLoader("kanava.web", "templates"),
        # HTML escaped; the Markdown brief is text, where "&#39;" would be printed as such.
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    locale = BABEL_LOCALES[lang]
    when, clock = WHEN[lang], CLOCK[lang]
    env.filters["day"] = lambda d: format_date(_day(d), "cccc d.M.yyyy", locale=locale)
    env.filters["short_day"] = lambda d: format_date(_day(d), "ccc d.M.", locale=locale)
    env.filters["clock"] = lambda t: format_time(_local(t), clock, locale=locale)
    env.filters["when"] = lambda t: format_datetime(_local(t), when, locale=locale)
    env.filters["hhmm"] = lambda t: wall_clock(t, lang)
    env.filters["partial_day"] = lambda t: _partial_day(t, locale)
    env.filters["phone"] = national
    env.filters["isodate"] = date.fromisoformat
    env.filters["isotime"] = datetime.fromisoformat
    env.filters["number"] = lambda n: format_decimal(n, locale=locale)
    env.globals["languages"] = LANGUAGES
    env.globals["language_names"] = LANGUAGE_NAMES
    return env


def switch_url(request: Request, lang: str, target: str) -> str:
    """The same page in another language: the language segment of the path replaced."""
    parts = request.url.path.split("/")
    if len(parts) > 1 and parts[1] in LANGUAGES:
        parts[1] = target
        path = "/".join(parts)
    else:
        path = f"/{target}/"
    query = request.url.query
    return f"{path}?{query}" if query else path


def render(
    request: Request,
    lang: str,
    template: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page in ``lang``; the language is remembered for the next visit to ``/``."""
    request.session["lang"] = lang
    body = (
        environment(lang)
        .get_template(template)
        .render(
            lang=lang,
            request=request,
            csrf_token=csrf_token(request),
            user=request.session.get("user"),
            flash=take_flash(request),
            switch_url=lambda target: switch_url(request, lang, target),
            **context,
        )
    )
    return HTMLResponse(body, status_code=status_code)
