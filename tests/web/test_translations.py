"""Every text of the pages has a Finnish and a Swedish translation with the same
placeholders: a text added without one fails here, not in front of a customer."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from kanava.i18n.catalogues import CATALOGUE_LANGS, read_catalog

PACKAGE = Path(str(resources.files("kanava")))
METHODS = [
    ("**.py", "python"),
    ("web/templates/**.html", "jinja2"),
]
OPTIONS = {"web/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def source_texts() -> set[str]:
    found = extract_from_dir(
        PACKAGE, METHODS, keywords={"_": None, "reason": None}, options_map=OPTIONS
    )
    return {message for _file, _line, message, _comments, _context in found}


def test_the_sources_have_texts_to_translate() -> None:
    texts = source_texts()
    assert len(texts) > 150
    assert "Book an appointment" in texts


@pytest.mark.parametrize("lang", CATALOGUE_LANGS)
def test_every_text_is_translated_with_the_same_placeholders(lang: str) -> None:
    catalog = read_catalog(lang)
    missing, mismatched = [], []
    for text in sorted(source_texts()):
        message = catalog.get(text)
        if message is None or not message.string:
            missing.append(text)
        elif set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(str(message.string))):
            mismatched.append(text)
    assert not missing, f"{lang}: no translation for {missing}"
    assert not mismatched, f"{lang}: placeholders differ in {mismatched}"


def test_no_text_is_translated_inside_an_f_string() -> None:
    """Babel cannot see a ``_()`` call inside an f-string: such a text would never be
    translated, and the test above would not notice."""
    hidden = re.compile(r"""\bf(["']).*?\{_\(""")
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in PACKAGE.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if hidden.search(line)
    ]
    assert not found, f"_() inside an f-string: {found}"
