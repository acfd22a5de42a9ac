"""What the browser tests do again and again: fill the booking flow, run axe, save shots."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SHOTS = os.environ.get("KANAVA_SCREENSHOTS")
_CUSTOMERS = itertools.count(200)
CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def new_hetu() -> str:
    """A valid henkilötunnus not used before in this run (each customer may hold three)."""
    individual = next(_CUSTOMERS)
    return f"150390-{individual}{CHECK[int(f'150390{individual}') % 31]}"


def axe_violations(page: Page, axe_source: str) -> list[str]:
    """WCAG 2.1 A and AA violations axe-core finds on the page, one line each."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    result: dict[str, Any] = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in result["violations"]
    ]


def screenshot(page: Page, name: str) -> None:
    """Save a picture of the page for the README when KANAVA_SCREENSHOTS names a folder."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def book_phone_appointment(page: Page, base: str, lang: str, topic: str = "elakkeet") -> str:
    """Go through the booking flow with the mouse; returns the booking reference."""
    page.goto(f"{base}/{lang}/book?topic={topic}")
    page.check(f"input[name=topic][value={topic}]")
    page.check("input[name=kind][value=phone]")
    page.click("button[type=submit]")
    page.locator("input[name=start]").first.check()
    page.click("form button[type=submit]")
    fill_customer(page)
    page.click("form button[type=submit]")
    page.click("form button[type=submit].primary")
    return page.locator(".reference").inner_text().strip()


def fill_customer(page: Page, name: str = "Testi Asiakas") -> None:
    page.fill("#field-name", name)
    page.fill("#field-hetu", new_hetu())
    page.fill("#field-phone", "040 123 4567")
    page.fill("#field-email", "testi@example.fi")
