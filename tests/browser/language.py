"""What a Finnish or Swedish reader must never meet: English sentences, raw ids, ISO dates.

The page's text is read node by node; a node inside an element whose ``lang`` differs
from the page's (the language switch, a name given in its own language) is that
element's language and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from playwright.sync_api import Page

# Words no Finnish or Swedish sentence has; one is enough to call a line English.
ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "is",
        "not",
        "with",
        "which",
        "your",
        "you",
        "are",
        "was",
        "were",
        "this",
        "that",
        "from",
        "has",
        "have",
        "will",
        "would",
        "been",
        "there",
        "their",
        "its",
        "week",
        "weeks",
        "day",
        "days",
        "customers",
        "people",
        "point",
        "points",
        "online",
        "around",
        "given",
        "hours",
        "appointment",
        "open",
        "closed",
        "by",
        "great",
        "circle",
        "distance",
    ]
)
LICENCE = re.compile(r"\bCC BY(-SA)? \d\.\d\b")  # a licence's name, the same in every language
LANGUAGE_CODE = re.compile(r"\((?:fi|sv|en)\)")  # "(fi)": a language's code, not its name
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
TOKEN = re.compile(r"[\w-]+")
ENGLISH_DAYS = frozenset(
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
)
# Thousands with a comma, times with a colon: the English way (fi writes 1 900 000, 9.00).
ENGLISH_NUMBER = {"fi": re.compile(r"\b\d{1,3},\d{3}\b|\b\d{1,2}:\d{2}\b"),
                  "sv": re.compile(r"\b\d{1,3},\d{3}\b")}  # fmt: skip

PAGE_TEXT = """(lang) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, svg title, [hidden]')) continue;
    const own = parent.closest('[lang]');
    if (own && own.getAttribute('lang') !== lang) continue;
    const text = node.textContent.trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], img[alt]')) {
    const own = el.closest('[lang]');
    if (own && own.getAttribute('lang') !== lang) continue;
    for (const name of ['aria-label', 'title', 'alt']) {
      const v = el.getAttribute(name);
      if (v && v.trim()) out.push(v.trim());
    }
  }
  return out;
}"""


def page_texts(page: Page, lang: str) -> list[str]:
    """The texts a reader of ``lang`` meets on the page: text, labels, titles, alts."""
    texts: list[str] = page.evaluate(PAGE_TEXT, lang)
    return texts


def problems(texts: Iterable[str], lang: str, ids: frozenset[str]) -> list[str]:
    """Each text that is English, holds a raw id, or writes a date or number another way."""
    found = []
    for text in texts:
        text = LICENCE.sub("", text)
        words = {w.lower() for w in WORD.findall(text)}
        english = sorted(words & ENGLISH)
        raw = sorted({t for t in TOKEN.findall(text) if t in ids or t in ENGLISH_DAYS})
        raw += LANGUAGE_CODE.findall(text)
        if english:
            found.append(f"English ({', '.join(english)}): {text!r}")
        if raw:
            found.append(f"raw id ({', '.join(raw)}): {text!r}")
        if ISO_DATE.search(text):
            found.append(f"ISO date: {text!r}")
        if ENGLISH_NUMBER[lang].search(text):
            found.append(f"number or time written the English way: {text!r}")
    return found
