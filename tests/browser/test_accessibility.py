"""axe-core finds no WCAG 2.1 A or AA violation on any page, in any of the three languages.

The walk visits every page a customer, an expert, a partner and a manager can reach,
including the error states of the forms. axe is injected through the DevTools protocol
(the pages' Content-Security-Policy forbids inline script, as it should).
"""

from __future__ import annotations

from itertools import chain

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import create_engine, select

from kanava.auth.demo import DEMO_PASSWORD
from kanava.booking.enums import AppointmentKind, BookingStatus
from kanava.catalogue.enums import ChannelKind, ChannelStatus, EventKind, Provenance
from kanava.catalogue.models import Channel, Municipality, Topic
from kanava.contacts.events import ContactChannel, Outcome
from kanava.hours.enums import RuleKind, State
from kanava.i18n import LANGUAGES
from tests.browser.helpers import axe_violations, fill_customer
from tests.browser.language import page_texts, problems

ENUMS = (AppointmentKind, BookingStatus, ChannelKind, ChannelStatus, ContactChannel, EventKind,
         Outcome, Provenance, RuleKind, State)  # fmt: skip


def raw_ids(database_url: str) -> frozenset[str]:
    """Every id a reader must never see: channels', topics', candidates', enum values."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        channels = connection.scalars(select(Channel.id)).all()
        topics = connection.scalars(select(Topic.id)).all()
        towns = [f"municipality-{code}" for code in connection.scalars(select(Municipality.code))]
    engine.dispose()
    values = [member.value for member in chain.from_iterable(ENUMS)]
    # One-word ids ("posti", "omakela") are words of the language too; ids with a dash
    # or an underscore, and topic ids written without their ä and ö, are not.
    return frozenset(
        i for i in (*channels, *topics, *towns, *values) if "-" in i or "_" in i or i in topics
    )


class Walk:
    def __init__(
        self, page: Page, axe_source: str, site: str, lang: str, ids: frozenset[str] = frozenset()
    ) -> None:
        self.page, self.axe, self.site, self.lang = page, axe_source, site, lang
        self.ids = ids
        self.violations: list[str] = []
        self.wrong_language: list[str] = []
        self.checked: list[str] = []

    def check(self) -> None:
        path = self.page.url.removeprefix(self.site)
        self.violations += axe_violations(self.page, self.axe)
        if self.lang in ("fi", "sv"):
            self.wrong_language += [
                f"{path}: {problem}"
                for problem in problems(page_texts(self.page, self.lang), self.lang, self.ids)
            ]
        self.checked.append(path)

    def visit(self, path: str) -> None:
        self.page.goto(f"{self.site}/{self.lang}{path}")
        self.check()

    def submit(self) -> None:
        self.page.click("main form button[type=submit] >> nth=-1")
        self.check()

    def log_in(self, username: str) -> None:
        self.page.goto(f"{self.site}/{self.lang}/login")
        self.page.fill("#field-username", username)
        self.page.fill("#field-password", DEMO_PASSWORD)
        self.page.click("main button[type=submit]")
        self.check()

    def log_out(self) -> None:
        self.page.click("nav.main-nav button.link-button")


def customer_pages(walk: Walk) -> str:
    """The customer's pages; returns the day of the appointment booked on the way."""
    page = walk.page
    walk.visit("/")
    walk.visit("/guide?topic=elakkeet&place=Laukaa")
    walk.visit("/guide?topic=elakkeet&place=Atlantis")  # error summary
    walk.visit("/guide?topic=elakkeet")  # no place: no map
    walk.visit("/book")
    walk.submit()  # nothing chosen: errors
    walk.visit("/book/place?topic=kuntoutus&kind=service_point&service_lang=fi")
    walk.submit()  # times at a service point
    walk.visit("/book/times?topic=elakkeet&kind=phone&service_lang=fi&place=&week=1")
    first_time = page.locator("input[name=start]").first
    booked_day = str(first_time.get_attribute("value"))[:10]
    first_time.check()
    walk.submit()  # details
    page.fill("#field-hetu", "not a code")
    walk.submit()  # details with errors
    fill_customer(page)
    walk.submit()  # check and confirm
    walk.submit()  # booked
    reference = page.locator(".reference").inner_text()
    walk.visit(f"/manage/{reference}")
    walk.visit(f"/manage/{reference}/move")
    walk.visit(f"/manage/{reference}/cancel")
    walk.submit()  # cancelled
    walk.visit("/book/times?topic=elakkeet&kind=phone&service_lang=fi&place=&week=1")
    page.locator("input[name=start]").first.check()
    walk.submit()
    fill_customer(page)
    walk.submit()
    walk.submit()  # a second booking on that day, kept for the staff pages
    walk.visit("/callback")
    walk.visit("/callback?topic=opiskelu&service_lang=en")
    page.locator("input[name=window_id]").first.check()
    walk.submit()  # errors: no name, no phone
    page.fill("#field-name", "Axe Tester")
    page.fill("#field-phone", "040 123 4567")
    walk.submit()  # done
    walk.visit("/no-such-page")
    walk.visit("/manage/AAA-AAAA")  # not found
    return booked_day


def staff_pages(walk: Walk, booked_day: str) -> None:
    page = walk.page
    walk.visit("/login")
    page.fill("#field-username", "nobody")
    walk.submit()  # wrong password
    walk.log_in("asiointipiste")
    walk.visit("/partner/book")
    page.check("#topic-elakkeet")
    page.check("#service_lang-fi")  # the demo's video experts speak Finnish and Swedish
    walk.submit()  # times
    page.locator("input[name=start]").first.check()
    walk.submit()  # the customer's details
    walk.submit()  # sent empty: errors
    fill_customer(page)
    walk.submit()  # booked: back on the partner's page
    walk.log_out()
    walk.log_in("asiantuntija")
    walk.visit("/staff?day=2025-03-12")
    walk.log_out()
    walk.log_in("esihenkilo")
    walk.visit(f"/staff?day={booked_day}")
    page.locator("main table a").first.click()
    walk.check()  # one appointment in detail
    walk.visit("/manager/statistics?until=2025-03-02")
    walk.visit("/manager/staffing")
    walk.visit("/manager/staffing?week=not-a-week")  # error summary
    walk.visit("/manager/network/brief/laukaa-ajanvaraus/edit")
    page.fill("#field-own_figure", "4")
    walk.submit()  # a figure without its source: errors
    page.fill("#field-own_figure_source", "2024")
    walk.submit()  # recorded (in a later language: nothing differs, an error)
    walk.visit("/manager/network/brief/laukaa-ajanvaraus")  # a document: no site menu
    walk.visit("/manager/network")
    walk.visit("/manager/network/scenario?point=laukaa-ajanvaraus")
    walk.visit("/manager/network/scenario?point=laukaa-ajanvaraus&phone=90")  # error summary
    walk.visit("/manager/network/optimize?p=6")
    walk.visit("/manager/corrections")
    walk.submit()  # a point's correction with nothing chosen: errors
    page.select_option("#field-channel", "puhelin-elakkeet")
    page.fill("#field-first_day", "2025-12-24")
    page.fill("#field-open_hours", "9.00-12.00")
    page.click("form[action$='/corrections/exception'] button")
    walk.check()  # recorded, and listed the Finnish way
    walk.visit("/manager/absences")
    walk.submit()  # nothing chosen: errors
    for expert in ("asiantuntija-01", "asiantuntija-02", "asiantuntija-03", "asiantuntija-04"):
        page.select_option("#field-expert", expert)
        page.fill("#field-first_day", booked_day)
        walk.submit()  # the day's bookings of these experts to hand over
    page.click("form[action$='/hand-over'] button")
    walk.check()  # handed over, or a call to the customer
    walk.log_out()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_passes_axe_wcag_21_aa_and_speaks_its_language(
    browser: Browser, axe_source: str, site: str, site_database: str, lang: str
) -> None:
    """axe finds nothing, and a fi or sv page has no English, raw id or ISO date."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
    walk = Walk(context.new_page(), axe_source, site, lang, raw_ids(site_database))
    booked_day = customer_pages(walk)
    staff_pages(walk, booked_day)
    context.close()
    assert len(walk.checked) >= 40
    assert not walk.violations, "\n".join(walk.violations)
    assert not walk.wrong_language, "\n".join(dict.fromkeys(walk.wrong_language))


def test_axe_does_find_a_violation_where_there_is_one(
    browser: Browser, axe_source: str, site: str
) -> None:
    """The check itself can fail: an image without a text alternative is reported."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{site}/fi/")
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    found = axe_violations(page, axe_source)
    context.close()
    assert any("image-alt" in line for line in found)
