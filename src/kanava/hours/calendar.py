"""The Finnish holiday calendar: public holidays and the eves, named by stable keys.

Dates come from the ``holidays`` package (which follows the Finnish law on public
holidays); rules refer to a holiday by its key, e.g. ``juhannusaatto``, never by a
date, so a rule written once holds every year.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import lru_cache

import holidays

_LANGUAGE_CODES = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}


def holiday_key(finnish_name: str) -> str:
    """Turn a Finnish holiday name into an ascii key: 'Pitkäperjantai' -> 'pitkaperjantai'."""
    ascii_name = (
        unicodedata.normalize("NFKD", finnish_name).encode("ascii", "ignore").decode("ascii")
    )
    return "_".join(ascii_name.lower().split())


@lru_cache(maxsize=256)
def holidays_of_year(year: int) -> dict[date, str]:
    """Map each holiday date of a year to its key."""
    calendar = holidays.country_holidays("FI", years=year, language="fi")
    return {day: holiday_key(name) for day, name in calendar.items()}


@lru_cache(maxsize=64)
def _names_of_year(year: int, lang: str) -> dict[date, str]:
    calendar = holidays.country_holidays("FI", years=year, language=_LANGUAGE_CODES[lang])
    return dict(calendar.items())


def holiday_on(day: date) -> str | None:
    """The key of the holiday on a date, or None."""
    return holidays_of_year(day.year).get(day)


def holiday_name(day: date, lang: str) -> str | None:
    """The name of the holiday on a date in fi, sv or en, or None."""
    return _names_of_year(day.year, lang).get(day)
