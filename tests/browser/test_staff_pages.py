"""Partners, experts and managers in a real browser, after logging in."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.auth.demo import DEMO_PASSWORD
from kanava.booking.availability import ZONE
from kanava.booking.models import CallbackRequest, CallbackWindow
from kanava.clock import now as real_now
from kanava.config import Settings
from kanava.db import make_engine
from tests.browser.helpers import fill_customer, screenshot


@pytest.fixture(params=[True, False], ids=["with-js", "without-js"])
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """Every staff task completes with and without JavaScript."""
    context = browser.new_context(
        viewport={"width": 1100, "height": 900}, java_script_enabled=request.param
    )
    yield context.new_page()
    context.close()


def log_in(page: Page, site: str, username: str, lang: str = "fi") -> None:
    page.goto(f"{site}/{lang}/login")
    page.fill("#field-username", username)
    page.fill("#field-password", DEMO_PASSWORD)
    page.click("main button[type=submit]")


def test_a_partner_books_a_video_appointment_for_a_customer_present(page: Page, site: str) -> None:
    log_in(page, site, "asiointipiste")
    expect(page).to_have_url(re.compile(r"/fi/partner$"))
    expect(page.locator("h1")).to_contain_text("Kärsämäen")
    screenshot(page, "partner")
    page.click("text=Varaa asiakkaalle videoaika")
    page.check("#topic-kuntoutus")
    page.check("#service_lang-fi")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Valitse aika")
    page.locator("input[name=start]").first.check()
    page.click("main button[type=submit]")
    fill_customer(page, name="Paikalla Oleva")
    page.click("main button[type=submit]")
    expect(page).to_have_url(re.compile(r"/fi/partner$"))
    expect(page.locator(".notice.success")).to_contain_text("Videoaika varattiin")


def test_a_partner_cannot_open_the_experts_pages(page: Page, site: str) -> None:
    log_in(page, site, "asiointipiste", "en")
    response = page.goto(f"{site}/en/staff")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("No access")


def waiting_request_for_today(database_url: str, name: str) -> None:
    """A customer's request in a window of today, as if left yesterday."""
    engine = make_engine(Settings(database_url=database_url))
    now = real_now()
    today = now.astimezone(ZONE).date()
    with Session(engine) as session, session.begin():
        window = session.scalar(
            select(CallbackWindow).where(
                CallbackWindow.day == today, CallbackWindow.starts == "00:00"
            )
        )
        if window is None:
            window = CallbackWindow(
                day=today,
                starts="00:00",
                ends="23:59",
                topic_id="elakkeet",
                lang="fi",
                capacity=5,
                used=0,
            )
            session.add(window)
            session.flush()
        window.used += 1
        session.add(
            CallbackRequest(
                reference=secrets.token_hex(4).upper(),
                window_id=window.id,
                status="waiting",
                customer_name=name,
                phone="+358401112222",
                attempts=0,
                created_at=now,
                updated_at=now,
            )
        )
    engine.dispose()


def test_an_expert_takes_a_call_back_and_records_the_call(
    page: Page, site: str, site_database: str
) -> None:
    waiting_request_for_today(site_database, "Odottava Asiakas")
    log_in(page, site, "asiantuntija")
    expect(page).to_have_url(re.compile(r"/fi/staff$"))
    expect(page.locator("h1")).to_contain_text("Päiväni")
    expect(page.locator("main")).to_contain_text("Odottaa sinua: 1")
    page.click("text=Ota seuraava soittopyyntö")
    expect(page.locator(".notice.success")).to_contain_text("on nyt sinun")
    taken = page.locator("section.option")
    expect(taken.locator("h3")).to_have_text("Odottava Asiakas")
    expect(taken.locator("a[href='tel:+358401112222']")).to_be_visible()
    screenshot(page, "staff-day")
    taken.locator("label", has_text="Asiakas tavoitettiin").click()
    taken.locator("textarea").fill("Neuvottu eläkehakemuksessa.")
    taken.locator("button[type=submit]").click()
    expect(page.locator(".notice.success")).to_contain_text("Puhelu kirjattiin")
    expect(page.locator("section.option")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Odottaa sinua: 0")


def test_the_manager_sees_the_2024_channel_volumes(page: Page, site: str) -> None:
    log_in(page, site, "esihenkilo", "en")
    expect(page).to_have_url(re.compile(r"/en/manager$"))
    expect(page.locator("svg.chart")).to_be_visible()
    table = page.locator("main table")
    expect(table).to_contain_text("~1,900,000")
    expect(table).to_contain_text("43,600,000")
    expect(table).to_contain_text("visitors")
    screenshot(page, "manager")


def test_logging_out_ends_the_session(page: Page, site: str) -> None:
    log_in(page, site, "esihenkilo")
    page.click("nav.main-nav button.link-button")
    expect(page).to_have_url(re.compile(r"/fi/$"))
    page.goto(f"{site}/fi/manager")
    expect(page).to_have_url(re.compile(r"/fi/login\?next=%2Ffi%2Fmanager$"))


def test_the_manager_plans_next_weeks_phone_staffing(page: Page, site: str) -> None:
    log_in(page, site, "esihenkilo", "en")
    page.click("text=Phone-line staffing")
    expect(page.locator("h1")).to_have_text("Phone-line staffing")
    expect(page.locator("main")).to_contain_text("synthetic call history")
    rows = page.locator("main table").first.locator("tbody tr")
    expect(rows).to_have_count(10)
    expect(page.locator("svg.chart")).to_be_visible()
    page.fill("#field-target_pct", "90")
    page.click("main form button[type=submit]")
    expect(page.locator("#field-target_pct")).to_have_value("90")
    page.locator("main table").first.locator("a", has_text="Debt recovery").click()
    expect(page.locator("h2").nth(1)).to_have_text("Debt recovery centre")
    screenshot(page, "staffing")


def test_the_manager_judges_laukaa_and_opens_its_brief(page: Page, site: str) -> None:
    log_in(page, site, "esihenkilo", "en")
    page.click("text=Service network")
    expect(page.locator("h1")).to_have_text("Service network: Central customer service unit")
    expect(page.locator("svg.map")).to_be_visible()
    page.select_option("#field-point", "laukaa-ajanvaraus")
    page.fill("#field-per_week", "4")
    page.click("main form button[type=submit]")
    first = page.locator("main table").first.locator("tbody tr").first
    expect(first).to_contain_text("Kela appointment service in Laukaa")
    expect(first).to_contain_text("4 (entered)")
    expect(first).to_contain_text("Low demand")
    screenshot(page, "network")
    first.locator("a", has_text="Decision brief").click()
    expect(page.locator("h1")).to_have_text("Decision brief: Kela appointment service in Laukaa")
    expect(page.locator("svg.map")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Kela service point Jyväskylä")
    screenshot(page, "brief")


def test_the_brief_prints_to_a4_with_nothing_cut_off(browser: Browser, site: str) -> None:
    """The brief is printed (or saved as PDF) with the browser: the print style hides the
    page's links and button and keeps every table, map and line within an A4 page."""
    context = browser.new_context(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
    page = context.new_page()
    log_in(page, site, "esihenkilo")
    page.goto(f"{site}/fi/manager/network/brief/laukaa-ajanvaraus")
    outside = page.evaluate(
        """() => [...document.querySelectorAll('svg.map text')].filter(t => {
            const box = t.getBBox(), frame = t.ownerSVGElement.viewBox.baseVal;
            return box.x < 0 || box.y < 0 || box.x + box.width > frame.width
                || box.y + box.height > frame.height;
        }).map(t => t.textContent)"""
    )
    assert outside == []  # every label of the map, the point's own included, is whole
    assert page.locator("svg.map path.area").count() > 20  # municipality borders
    print_button = page.get_by_role("button", name="Tulosta tai tallenna PDF:nä")
    expect(print_button).to_be_visible()
    page.emulate_media(media="print")
    expect(print_button).to_be_hidden()
    expect(page.get_by_role("link", name="Muokkaa päätösmuistiota")).to_be_hidden()
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
            .map(e => e.tagName + ' ' + e.textContent.slice(0, 40))"""
    )
    assert overflowing == []
    pdf = page.pdf(format="A4", margin={"top": "15mm", "bottom": "15mm", "left": "15mm",
                                        "right": "15mm"})  # fmt: skip
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert 2 <= pages <= 6, pages
    context.close()
