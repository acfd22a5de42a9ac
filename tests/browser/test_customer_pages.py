"""The customer's pages in a real browser: the guide, a whole booking with its manage
link, the language switch, keyboard-only use, and everything without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.browser.helpers import book_phone_appointment, fill_customer, new_hetu, screenshot


@pytest.fixture
def page(browser: Browser) -> Page:
    context = browser.new_context(locale="fi-FI", viewport={"width": 1100, "height": 900})
    page = context.new_page()
    yield page  # type: ignore[misc]
    context.close()


def test_guide_for_a_topic_and_a_municipality(page: Page, site: str) -> None:
    page.goto(site)
    expect(page).to_have_url(re.compile(r"/fi/$"))
    page.check("#topic-toimeentulotuki")
    page.fill("#field-place", "Laukaa")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Toimeentulotuki")
    expect(page.locator("#section-phone")).to_have_text("Puhelimessa")
    phone = page.locator("section[aria-labelledby=section-phone] .option").first
    expect(phone.locator(".badge")).to_have_text(re.compile("Avoinna nyt|Suljettu nyt"))
    expect(phone.locator("a[href^='tel:+358']")).to_be_visible()
    points = page.locator("section[aria-labelledby=section-service_points] .option")
    expect(points.first).to_contain_text("Laukaa")
    expect(points.first).to_contain_text("km")
    expect(page.locator("svg.map")).to_be_visible()
    expect(page.locator("svg.map title")).to_have_text("Kartta lähimmistä asiointipaikoista")
    screenshot(page, "guide")


def test_unknown_place_is_shown_next_to_the_field_with_the_values_kept(
    page: Page, site: str
) -> None:
    page.goto(f"{site}/fi/")
    page.check("#topic-elakkeet")
    page.fill("#field-place", "Atlantis")
    page.click("main button[type=submit]")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("a[href='#field-place']")).to_contain_text("kuntaa")
    expect(page.locator("#error-place")).to_be_visible()
    expect(page.locator("#field-place")).to_have_value("Atlantis")
    expect(page.locator("#topic-elakkeet")).to_be_checked()


def test_booking_from_the_guide_then_moving_and_cancelling_it(page: Page, site: str) -> None:
    page.goto(f"{site}/fi/guide?topic=elakkeet&place=Laukaa")
    page.click("a.button[href*='/fi/book?topic=elakkeet']")
    expect(page.locator("#topic-elakkeet")).to_be_checked()
    page.check("input[name=kind][value=phone]")
    screenshot(page, "book-start")
    page.click("main button[type=submit]")
    first, second = (
        page.locator("input[name=start]").nth(0),
        page.locator("input[name=start]").nth(1),
    )
    chosen, later = first.get_attribute("value"), second.get_attribute("value")
    screenshot(page, "book-times")
    first.check()
    page.click("main button[type=submit]")
    page.click("main button[type=submit]")  # sent empty: every required field is named
    expect(page.locator(".error-summary li")).to_have_count(3)
    expect(page.locator("#error-hetu")).to_contain_text("henkilötunnuksesi")
    fill_customer(page, name="Åke Ärtéb <b>")
    screenshot(page, "book-details")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Tarkista ja vahvista")
    expect(page.locator("main")).to_contain_text("Åke Ärtéb <b>")  # shown as typed, not as markup
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Aikasi on varattu")
    reference = page.locator(".reference").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{3}-[0-9A-Z]{4}", reference)
    screenshot(page, "book-done")
    with page.expect_download() as download:
        page.click("a[href$='calendar.ics']")
    assert download.value.suggested_filename == f"kela-{reference}.ics"
    manage_link = page.locator("main a[href*='token=']").get_attribute("href")
    assert manage_link is not None and reference in manage_link

    # The link works in a browser that has never seen the booking.
    other = page.context.browser.new_context()  # type: ignore[union-attr]
    manage = other.new_page()
    manage.goto(manage_link.replace("http://127.0.0.1:8000", site))
    expect(manage).to_have_url(re.compile(rf"/fi/manage/{reference}$"))  # token out of the bar
    expect(manage.locator("h1")).to_contain_text(reference)
    manage.click("text=Siirrä toiseen aikaan")
    manage.check(f"input[name=start][value='{later}']")
    manage.click("main button[type=submit]")
    expect(manage.locator(".notice.success")).to_contain_text("siirrettiin")
    assert later is not None and chosen is not None
    manage.click("text=Peru aika")
    manage.click("button.danger")
    expect(manage.locator(".notice.success")).to_contain_text("peruttiin")
    expect(manage.locator("main")).to_contain_text("Peruttu")
    other.close()


def test_the_language_switch_changes_the_page_and_is_remembered(page: Page, site: str) -> None:
    page.goto(f"{site}/fi/guide?topic=elakkeet&place=Vaasa")
    page.click("nav.languages a[lang=sv]")
    expect(page).to_have_url(re.compile(r"/sv/guide\?topic=elakkeet&place=Vaasa$"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_have_text("Pensioner")
    expect(page.locator("#section-phone")).to_have_text("Per telefon")
    page.goto(site)
    expect(page).to_have_url(re.compile(r"/sv/$"))
    page.click("nav.languages a[lang=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("How can we help you?")
    expect(page.locator("nav.languages a[aria-current=page]")).to_have_attribute("lang", "en")


def _tab_to(page: Page, selector: str, limit: int = 150) -> None:
    """Press Tab until the element is focused; fail if it never is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"no visible focus on {selector}"
            return
    pytest.fail(f"Tab never reached {selector}")


def test_the_booking_flow_can_be_completed_with_the_keyboard_alone(page: Page, site: str) -> None:
    page.goto(f"{site}/en/book")
    _tab_to(page, "input[name=topic]")
    page.keyboard.press("Space")  # the first matter
    _tab_to(page, "input[name=kind]")
    page.keyboard.press("Space")  # phone
    _tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Choose a time")
    _tab_to(page, "input[name=start]")
    page.keyboard.press("Space")
    _tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Your details")
    _tab_to(page, "#field-name")
    page.keyboard.type("Keyboard User")
    _tab_to(page, "#field-hetu")
    page.keyboard.type(new_hetu())
    _tab_to(page, "#field-phone")
    page.keyboard.type("+358 40 765 4321")
    _tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Check and confirm")
    _tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Your appointment is booked")


def test_without_javascript_every_task_still_completes(browser: Browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    reference = book_phone_appointment(page, site, "sv")
    expect(page.locator("h1")).to_have_text("Din tid är bokad")
    assert reference
    page.goto(f"{site}/sv/callback?topic=elakkeet&service_lang=sv")
    page.locator("input[name=window_id]").first.check()
    page.fill("#field-name", "Utan Skript")
    page.fill("#field-phone", "050 123 4567")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Vi ringer dig")
    page.goto(f"{site}/sv/guide?topic=kuntoutus&place=65100")
    expect(page.locator("svg.map")).to_be_visible()
    context.close()


def test_the_call_back_request(page: Page, site: str) -> None:
    page.goto(f"{site}/fi/callback")
    page.check("#topic-tyottomyys")
    page.click("main button[type=submit]")
    windows = page.locator("input[name=window_id]")
    expect(windows.first).to_be_visible()
    windows.first.check()
    page.fill("#field-name", "Soitto Pyyntö")
    page.fill("#field-phone", "not a number")
    page.click("main button[type=submit]")
    expect(page.locator("#error-phone")).to_contain_text("puhelinnumero")
    expect(page.locator("#field-name")).to_have_value("Soitto Pyyntö")
    page.fill("#field-phone", "040 765 4321")
    page.locator("input[name=window_id]").first.check()
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Soitamme sinulle")
    expect(page.locator("main")).to_contain_text("numeroon 040 7654321")  # as Finns read it
    screenshot(page, "callback-done")


def test_the_api_docs_render_with_no_other_host_reachable(page: Page, site: str) -> None:
    """Offline, as on a laptop without the internet: every request off the site fails."""
    asked: list[str] = []

    def only_the_site(route: Route) -> None:
        if route.request.url.startswith(site):
            route.continue_()
        else:
            asked.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_site)
    page.goto(f"{site}/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("kanava")
    expect(page.locator(".opblock").first).to_be_visible()
    assert asked == []
