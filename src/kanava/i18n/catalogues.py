"""Message catalogues of the pages and the CLI: gettext .po files read with Babel.

The msgids are English; fi and sv have catalogues. Reading the .po text directly
(rather than compiled .mo files) keeps the repository free of build products.
"""

from __future__ import annotations

import gettext
from functools import cache
from importlib import resources
from io import BytesIO

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from kanava.i18n import BABEL_LOCALES

DOMAIN = "messages"
CATALOGUE_LANGS = ("fi", "sv")


def read_catalog(lang: str) -> Catalog:
    """The .po catalogue of a language, as Babel reads it."""
    path = resources.files("kanava") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=BABEL_LOCALES[lang], domain=DOMAIN)


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """Translations for a page language; English is the msgids themselves."""
    if lang not in CATALOGUE_LANGS:
        return gettext.NullTranslations()
    buffer = BytesIO()
    write_mo(buffer, read_catalog(lang))
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)
