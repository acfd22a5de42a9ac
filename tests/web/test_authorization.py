"""Who may do what: every endpoint and page that is not public, asked by each role.

Each case names the status every role must get, and whether the role may see the
protected (turvakielto) customer's details and the absence reason (health data) in the
answer. A route of the app that is neither public nor in the matrix fails the test, so
a new endpoint cannot be added without saying who may use it.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from kanava.app import create_app
from kanava.auth.service import Principal, create_user, principal_of
from kanava.booking import absences, callbacks, service
from kanava.booking.schemas import AbsenceCreate, BookingCreate, CallbackCreate
from kanava.config import Settings
from tests.conftest import PINNED_NOW, serve_from

ROLES = ("anonymous", "expert", "other_expert", "partner", "manager")
PASSWORD = "correct horse battery staple"
PROTECTED_NAME = "Salainen Turvakieltoinen"
PROTECTED_HETU = "010180-1232"
PROTECTED_PHONE = "+358401112233"
ABSENCE_REASON = "Sairausloma: migreeni"
PARTNER_POINT = "karsamaen-kunnan-asiointipiste-kirjasto"
USERS = {
    "expert": ("expert-a", "staff", {"expert_id": "asiantuntija-03"}),
    "other_expert": ("expert-b", "staff", {"expert_id": "asiantuntija-01"}),
    "partner": ("partner", "partner", {"partner_channel_id": PARTNER_POINT}),
    "manager": ("manager", "manager", {}),
}


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # {booking} and {callback} are filled in from the world
    status: dict[str, int]
    sees_protected: frozenset[str] = frozenset()
    sees_reason: frozenset[str] = frozenset()
    params: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    form: dict[str, str] | None = None

    @property
    def page(self) -> bool:
        return not self.path.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.method} {self.path}{'?' + str(self.params) if self.params else ''}"


def statuses(anonymous: int, expert: int, other: int, partner: int, manager: int) -> dict[str, int]:
    return dict(zip(ROLES, (anonymous, expert, other, partner, manager), strict=True))


OWN = frozenset({"expert", "manager"})
MANAGER = frozenset({"manager"})
DAY = {"day": "2025-03-13"}
WINDOW = {"start_date": "2025-03-12", "days": "7"}
LOGIN = 303  # a page sends the signed-out to the login

CASES = [
    # The API, with a bearer token.
    Case("GET", "/api/v1/staff/agenda", statuses(401, 200, 200, 200, 200), OWN, params=DAY),
    Case(
        "GET", "/api/v1/staff/agenda", statuses(401, 200, 403, 403, 200), OWN,
        params={**DAY, "expert": "asiantuntija-03"},
    ),
    Case(
        "GET", "/api/v1/staff/agenda", statuses(401, 200, 200, 200, 200), OWN,
        params={"day": "2025-03-14", "place": PARTNER_POINT},
    ),
    Case(
        "POST", "/api/v1/staff/absences", statuses(401, 403, 403, 403, 201),
        body={"expert": "asiantuntija-01", "first_day": "2025-03-20", "reason": "Koulutus"},
    ),
    Case(
        "GET", "/api/v1/staff/absences", statuses(401, 200, 200, 403, 200),
        sees_reason=MANAGER, params={"start_date": "2025-03-12"},
    ),
    Case(
        "GET", "/api/v1/staff/conflicts", statuses(401, 403, 403, 403, 200), MANAGER,
        params=WINDOW,
    ),
    Case(
        "POST", "/api/v1/staff/conflicts/hand-over", statuses(401, 403, 403, 403, 200), MANAGER,
        params=WINDOW,
    ),
    Case(
        "POST", "/api/v1/staff/bookings/{booking}/outcome", statuses(401, 409, 404, 403, 409),
        body={"status": "completed"},
    ),
    Case("POST", "/api/v1/staff/callbacks/next", statuses(401, 200, 200, 403, 403)),
    Case(
        "POST", "/api/v1/staff/callbacks/{callback}/attempts", statuses(401, 200, 404, 403, 403),
        frozenset({"expert"}), body={"outcome": "no_answer"},
    ),
    Case(
        "POST", "/api/v1/partner/bookings", statuses(401, 403, 403, 201, 403),
        body={
            "topic": "elakkeet", "lang": "fi", "kind": "video", "place": PARTNER_POINT,
            "start": "2025-03-14T10:00:00+02:00", "name": "Asiakas Paikalla",
            "hetu": "131052-308T", "phone": "040 123 4567",
        },
    ),
    # The pages, with a signed-in session.
    Case("GET", "/fi/staff", statuses(LOGIN, 200, 200, 403, 200), OWN, params=DAY),
    Case("POST", "/fi/staff/callbacks/next", statuses(LOGIN, 303, 303, 403, 403), form={}),
    Case(
        "POST", "/fi/staff/callbacks/{callback}", statuses(LOGIN, 303, 404, 403, 403),
        form={"outcome": "no_answer"},
    ),
    Case("GET", "/fi/staff/booking/{booking}", statuses(LOGIN, 200, 404, 403, 200), OWN),
    Case(
        "POST", "/fi/staff/booking/{booking}", statuses(LOGIN, 409, 404, 403, 409),
        form={"outcome": "completed"},
    ),
    Case("GET", "/fi/partner", statuses(LOGIN, 403, 403, 200, 403), params={"day": "2025-03-14"}),
    Case("GET", "/fi/partner/book", statuses(LOGIN, 403, 403, 200, 403)),
    Case("GET", "/fi/partner/book/details", statuses(LOGIN, 403, 403, 303, 403)),
    Case("POST", "/fi/partner/book/details", statuses(LOGIN, 403, 403, 303, 403), form={}),
    Case("GET", "/fi/manager", statuses(LOGIN, 403, 403, 403, 200)),
    Case(
        "GET", "/fi/manager/absences", statuses(LOGIN, 403, 403, 403, 200), sees_reason=MANAGER,
        params={"start_date": "2025-03-12"},
    ),
    Case(
        "POST", "/fi/manager/absences", statuses(LOGIN, 403, 403, 403, 303),
        form={"expert": "asiantuntija-01", "first_day": "2025-03-21", "reason": "Koulutus"},
    ),
    Case(
        "POST", "/fi/manager/absences/hand-over", statuses(LOGIN, 403, 403, 403, 303),
        form={"start_date": "2025-03-12"},
    ),
    Case("GET", "/fi/manager/corrections", statuses(LOGIN, 403, 403, 403, 200)),
    Case(
        "POST", "/fi/manager/corrections/exception", statuses(LOGIN, 403, 403, 403, 303),
        form={"channel": "puhelin-elakkeet", "first_day": "24.12.2025", "open_hours": "9-12"},
    ),
    Case(
        "POST", "/fi/manager/corrections/point", statuses(LOGIN, 403, 403, 403, 303),
        form={"point": "pieksamaen-kela", "post_office": "Pieksämäki"},
    ),
    Case("GET", "/fi/manager/staffing", statuses(LOGIN, 403, 403, 403, 200)),
    Case("GET", "/fi/manager/statistics", statuses(LOGIN, 403, 403, 403, 200)),
    Case("GET", "/fi/manager/network", statuses(LOGIN, 403, 403, 403, 200)),
    Case("GET", "/fi/manager/network/scenario", statuses(LOGIN, 403, 403, 403, 200)),
    Case("GET", "/fi/manager/network/optimize", statuses(LOGIN, 403, 403, 403, 200)),
    Case(
        "GET", "/fi/manager/network/brief/laukaa-ajanvaraus", statuses(LOGIN, 403, 403, 403, 200)
    ),
    Case(
        "GET", "/fi/manager/network/brief/laukaa-ajanvaraus/edit",
        statuses(LOGIN, 403, 403, 403, 200),
    ),
    Case(
        "POST", "/fi/manager/network/brief/laukaa-ajanvaraus/edit",
        statuses(LOGIN, 403, 403, 403, 303),
        form={"own_figure": "4", "own_figure_source": "ajanvarauskalenteri 2024"},
    ),
]  # fmt: skip

# Open to anyone: nothing in them is personal, or a manage token guards it.
PUBLIC = re.compile(
    r"^(/api/(openapi\.json|docs|docs/assets)|/docs/oauth2-redirect|/static|/"
    r"|/api/v1/(|units.*|municipalities.*|postal-areas.*|topics|channels.*|guide|catalogue\..*"
    r"|slots.*|bookings.*|callbacks.*|auth/token|staffing/.*|stats/.*|network/.*)"
    r"|/\{lang\}/(|guide|book.*|manage/.*|callback.*|login|logout)|/varaus/\{reference\})$"
)


@dataclass
class World:
    app: FastAPI
    booking: int
    callback: int


@pytest.fixture
def world(session: Session, loaded_url: str, tmp_path: Path) -> Iterator[World]:
    """The users of each role; a protected customer's bookings with the expert, by phone
    on the 13th and by video at the partner's point on the 14th; their call-back taken by
    the expert; and the expert's absence on the 13th, which leaves the first booking to
    be handed over."""
    for username, role, links in USERS.values():
        create_user(
            session, username=username, password=PASSWORD, role=role, now=PINNED_NOW, **links
        )
    settings = Settings(database_url=loaded_url, events_dir=tmp_path / "events")
    booked, _video = (
        service.create_booking(
            session=session,
            request_in=BookingCreate.model_validate(
                {
                    "name": PROTECTED_NAME,
                    "hetu": PROTECTED_HETU, "phone": PROTECTED_PHONE, "non_disclosure": True,
                    **booking,
                }
            ),
            settings=settings,
            now=PINNED_NOW,
        )
        for booking in (
            {"topic": "perinta", "lang": "sv", "kind": "phone",
             "start": datetime.fromisoformat("2025-03-13T09:00:00+02:00")},
            {"topic": "elakkeet", "lang": "fi", "kind": "video", "place": PARTNER_POINT,
             "start": datetime.fromisoformat("2025-03-14T09:00:00+02:00")},
        )
    )  # fmt: skip
    assert booked.booking.reference
    windows = callbacks.open_windows(session=session, topic="perinta", lang="sv", now=PINNED_NOW)
    requested = callbacks.request_callback(
        session=session,
        request_in=CallbackCreate(
            window_id=windows[0].id, name=PROTECTED_NAME, phone=PROTECTED_PHONE, non_disclosure=True
        ),
        now=PINNED_NOW,
    )
    expert = service_principal(session, "expert")
    assert callbacks.take_next(session=session, viewer=expert, now=PINNED_NOW) is not None
    absences.record_absence(
        session=session,
        viewer=service_principal(session, "manager"),
        absence_in=AbsenceCreate(
            expert="asiantuntija-03", first_day=date(2025, 3, 13), reason=ABSENCE_REASON
        ),
        now=PINNED_NOW,
    )
    session.flush()
    app = create_app(settings, clock=lambda: PINNED_NOW)
    serve_from(app, session)
    booking_id = service.agenda(
        session=session, viewer=expert, expert_id=None, day=booked.booking.start, now=PINNED_NOW
    )[0].id
    yield World(app, booking_id, requested.id)


def service_principal(session: Session, role: str) -> Principal:
    return principal_of(session, USERS[role][0])


def client_of(world: World, role: str, page: bool) -> tuple[TestClient, dict[str, str]]:
    """A client signed in as the role (a page session, or a bearer token), and the headers
    its API requests carry."""
    client = TestClient(world.app, base_url="https://testserver", follow_redirects=False)
    if role == "anonymous":
        return client, {}
    username = USERS[role][0]
    if not page:
        answer = client.post(
            "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        return client, {"Authorization": f"Bearer {answer.json()['access_token']}"}
    login = client.post(
        "/fi/login",
        data={"csrf_token": csrf(client), "username": username, "password": PASSWORD},
    )
    assert login.status_code == 303, login.text
    return client, {}


def csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/fi/login").text)
    assert found
    return found.group(1)


def ask(world: World, case: Case, role: str) -> tuple[int, str]:
    client, headers = client_of(world, role, case.page)
    path = case.path.format(booking=world.booking, callback=world.callback)
    with client:
        if case.form is not None:
            answer = client.post(
                path, params=case.params, data={**case.form, "csrf_token": csrf(client)}
            )
        else:
            answer = client.request(
                case.method, path, params=case.params, json=case.body, headers=headers
            )
    return answer.status_code, answer.text


@pytest.mark.parametrize("case", CASES, ids=str)
def test_matrix__each_role_gets_its_status_and_sees_only_what_it_may(
    world: World, case: Case
) -> None:
    for role in ROLES:
        status, text = ask(world, case, role)
        assert status == case.status[role], f"{role}: {status} {text[:300]}"
        shown_protected = any(v in text for v in (PROTECTED_NAME, PROTECTED_HETU, PROTECTED_PHONE))
        if role not in case.sees_protected:
            assert not shown_protected, f"{role} was shown the protected customer"
        if role not in case.sees_reason:
            assert ABSENCE_REASON not in text, f"{role} was shown the absence reason"
    if case.sees_protected and case.method == "GET":
        status, text = ask(world, case, "manager" if "manager" in case.sees_protected else "expert")
        assert PROTECTED_NAME in text, f"the role that may see the customer should: {text[:300]}"
    if case.sees_reason:
        assert ABSENCE_REASON in ask(world, case, "manager")[1]


def _routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    def walk(routes: list[Any], prefix: str) -> Iterator[tuple[str, str]]:
        for route in routes:
            if hasattr(route, "original_router"):
                yield from walk(route.original_router.routes, prefix + route.include_context.prefix)
            else:
                for method in sorted(getattr(route, "methods", None) or {"GET"}):
                    if method != "HEAD":
                        yield method, prefix + route.path

    yield from walk(app.routes, "")


def test_matrix__covers_every_route_that_is_not_public(loaded_url: str) -> None:
    app = create_app(Settings(database_url=loaded_url))
    covered = {
        (c.method, re.sub(r"^/fi/", "/{lang}/", re.sub(r"\{\w+\}|laukaa-ajanvaraus", "*", c.path)))
        for c in CASES
    }
    missing = [
        (method, path)
        for method, path in _routes(app)
        if not PUBLIC.match(path) and (method, re.sub(r"\{(?!lang)\w+\}", "*", path)) not in covered
    ]
    assert missing == []


def test_page_session__the_cookie_opens_no_api_and_holds_no_bearer_token(world: World) -> None:
    client, _ = client_of(world, "manager", page=True)
    cookie = client.cookies.get("kanava_session")
    assert cookie
    payload = json.loads(base64.b64decode(cookie.split(".")[0] + "=="))
    page_token = payload["auth"]
    answer = client.get(
        "/api/v1/staff/conflicts",
        params=WINDOW,
        headers={"Authorization": f"Bearer {page_token}"},
    )
    assert answer.status_code == 401
