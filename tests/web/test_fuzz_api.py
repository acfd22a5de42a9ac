"""The whole OpenAPI, fuzzed by schemathesis: anonymous and with each role's token,
every answer is no server error and matches the documented status, content type and
schema (problem+json for errors)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import BaseSchema
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session

from kanava.app import create_app
from kanava.auth.models import User
from kanava.auth.service import store_token
from kanava.config import Settings
from tests.conftest import PINNED_NOW, serve_from

ROLES = {
    "expert": {"role": "staff", "expert_id": "asiantuntija-03"},
    "partner": {"role": "partner", "partner_channel_id": "karsamaen-kunnan-asiointipiste-kirjasto"},
    "manager": {"role": "manager"},
}
EXAMPLES = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def role_headers(session: Session) -> dict[str, dict[str, str]]:
    """A bearer token for each role (users made without a password hash to check)."""
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for name, links in ROLES.items():
        user = User(username=f"fuzz-{name}", password_hash="-", active=True, created_at=PINNED_NOW,
                    **links)  # fmt: skip
        session.add(user)
        session.flush()
        token, _ = store_token(session, user_id=user.id, now=PINNED_NOW)
        headers[name] = {"Authorization": f"Bearer {token}"}
    return headers


def _operations() -> list[Any]:
    """(method, path) of every operation in the OpenAPI (made without a database)."""
    document = create_app(Settings(database_url="sqlite://")).openapi()
    return [
        pytest.param(method.upper(), path, id=f"{method.upper()} {path}")
        for path, operations in document["paths"].items()
        for method in operations
    ]


@pytest.fixture
def api_schema(session: Session, loaded_url: str, tmp_path: Path) -> BaseSchema:
    app = create_app(
        Settings(database_url=loaded_url, events_dir=tmp_path / "events"), clock=lambda: PINNED_NOW
    )
    serve_from(app, session)
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


@pytest.mark.parametrize(("method", "path"), _operations())
def test_every_operation_for_every_role(
    api_schema: BaseSchema, role_headers: dict[str, dict[str, str]], method: str, path: str
) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True,
        suppress_health_check=list(HealthCheck), database=None,
    )  # fmt: skip
    def each_role(case: schemathesis.Case) -> None:
        for headers in role_headers.values():
            case.call_and_validate(headers=headers, checks=CHECKS)

    each_role()


# Valid values for every parameter, so that the one made hostile reaches the handler.
VALID = {
    "aht_sec": "300", "answer_sec": "180", "at": "2025-03-12T10:00:00+02:00",
    "booking_id": "1", "callback_share": "0.3", "calls": "10", "channel_id": "laukaa-ajanvaraus",
    "code": "41340", "code_or_name": "Laukaa", "day": "2025-03-13", "days": "7",
    "expert": "asiantuntija-03", "extra_calls": "0", "interval_min": "60", "kind": "phone",
    "lang": "fi", "language": "fi", "level": "unit", "line": "4", "max_occupancy": "0.9",
    "modified_after": "2025-01-01T00:00:00+02:00", "municipality": "Laukaa",
    "open_at": "2025-03-12T10:00:00+02:00", "page": "1", "page_size": "10",
    "patience_sec": "120", "place": "jyvaskyla-palvelupiste", "postal_code": "41340",
    "reference": "ABC-DEFG", "region": "Keski-Suomi", "request_id": "1", "road_factor": "1.3",
    "shrinkage": "0.3", "speed": "60", "start_date": "2025-03-12", "target_sl": "0.8",
    "topic": "elakkeet", "unit": "keskinen", "unit_id": "keskinen", "until": "2025-03-09",
    "week": "2025-W11", "figure": "laukaa-ajanvaraus=4", "weeks": "4", "year": "2024",
    "X-Manage-Token": "0" * 32,
}  # fmt: skip
HOSTILE = {
    "date": ["0001-01-01", "9999-12-31", "２０２５-03-12"],
    "date-time": ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "9999-12-31T23:59"],
    "integer": [str(2**31), str(2**63), str(-(2**63) - 1), str(10**40), "١٢٣"],
    "number": ["5e-324", "1e308", "-0", "١٢٣", "nan", "inf"],
    "string": ["a\x00b", "١٢٣", "\u202e\u0000", "x" * 5000],
}


def _kind(schema: dict[str, Any]) -> str:
    for option in [schema, *schema.get("anyOf", [])]:
        if option.get("format") in ("date", "date-time"):
            return str(option["format"])
        if option.get("type") in ("integer", "number"):
            return str(option["type"])
    return "string"


def _operations_with_parameters() -> list[Any]:
    document = create_app(Settings(database_url="sqlite://")).openapi()
    return [
        pytest.param(method.upper(), path, operation["parameters"], id=f"{method.upper()} {path}")
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if operation.get("parameters")
    ]


@pytest.mark.parametrize(("method", "path", "parameters"), _operations_with_parameters())
def test_hostile_parameter_values_are_refused_naming_the_field_never_a_server_error(
    api_schema: BaseSchema,
    role_headers: dict[str, dict[str, str]],
    method: str,
    path: str,
    parameters: list[dict[str, Any]],
) -> None:
    """The calendar's ends, integers past 64 bits, other scripts' digits, NUL bytes: each
    on every parameter in turn, with every other parameter valid."""
    client = TestClient(api_schema.app)  # type: ignore[attr-defined]
    where = {p["name"]: p["in"] for p in parameters}
    wrong = []
    for parameter in parameters:
        name = parameter["name"]
        if where[name] == "header" and name != "X-Manage-Token":
            continue
        for value in HOSTILE[_kind(parameter["schema"])]:
            if where[name] == "header" and not value.isascii():
                continue  # an HTTP header holds ASCII only: no client can send this
            values = {p["name"]: VALID[p["name"]] for p in parameters if p["required"]}
            values[name] = value
            url = path.format(
                **{k: quote(v, safe="") for k, v in values.items() if where[k] == "path"}
            )
            query = {k: v for k, v in values.items() if where[k] == "query"}
            headers = {k: v for k, v in values.items() if where[k] == "header"}
            for role in ("anonymous", "manager"):
                answer = client.request(
                    method, url, params=query, headers={**headers, **role_headers[role]}
                )
                named = answer.status_code != 422 or (
                    answer.headers["content-type"] == "application/problem+json"
                    and answer.json()["errors"][0]["field"]
                )
                if answer.status_code >= 500 or not named:
                    wrong.append(f"{name}={value[:20]!r} as {role}: {answer.status_code}")
    assert wrong == []


BOOKING = {
    "topic": "perinta", "lang": "sv", "kind": "phone", "start": "2025-03-13T09:00:00+02:00",
    "name": "Testi Asiakas", "hetu": "131052-308T", "phone": "040 123 4567",
}  # fmt: skip
HOSTILE_BODIES = [
    ("/api/v1/bookings", {**BOOKING, "start": "0001-01-01T00:00:00+14:00"}, "start"),
    ("/api/v1/bookings", {**BOOKING, "start": "9999-12-31T23:59:59-12:00"}, "start"),
    ("/api/v1/bookings", {**BOOKING, "name": "Testi\x00Asiakas"}, "name"),
    ("/api/v1/bookings", {**BOOKING, "message": "rivi\x07"}, "message"),
    ("/api/v1/callbacks", {"window_id": 2**31, "name": "A", "phone": "0401234567"}, "window_id"),
    ("/api/v1/callbacks", {"window_id": 1, "name": "A\x00", "phone": "0401234567"}, "name"),
    ("/api/v1/callbacks", {"window_id": 1, "name": "A\x1b[31m", "phone": "0401234567"}, "name"),
    ("/api/v1/staff/absences", {"expert": "asiantuntija-01", "first_day": "9999-12-31"},
     "first_day"),
    ("/api/v1/network/optimize", {"costs": [], "p": 1}, "costs"),
    ("/api/v1/network/optimize", {"costs": [[]], "p": 1}, "costs"),
    ("/api/v1/network/optimize", {"costs": [[1.0, 2.0]], "p": 2**63}, "p"),
    ("/api/v1/network/optimize", {"costs": [[1.0, 2.0]], "p": 1, "fixed": [2**63]}, "fixed"),
    ("/api/v1/network/scenario", {"name": "x\x00", "changes": []}, "name"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "body", "field"), HOSTILE_BODIES, ids=lambda v: str(v)[:40])
def test_hostile_bodies_are_refused_naming_the_field(
    api_schema: BaseSchema,
    role_headers: dict[str, dict[str, str]],
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    client = TestClient(api_schema.app)  # type: ignore[attr-defined]
    answer = client.post(path, json=body, headers=role_headers["manager"])
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["errors"][0]["field"].split(".")[0] == field, answer.text


def test_a_body_over_the_limit_is_refused_before_it_is_read(api_schema: BaseSchema) -> None:
    client = TestClient(api_schema.app)  # type: ignore[attr-defined]
    answer = client.post(
        "/api/v1/network/optimize",
        content=b'{"costs": [' + b"[1.0]," * 300_000 + b"[1.0]]}",
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 413
    assert answer.json()["errors"][0]["field"] == "body"


def test_a_method_not_allowed_says_which_are(api_schema: BaseSchema) -> None:
    client = TestClient(api_schema.app)  # type: ignore[attr-defined]
    answer = client.delete("/api/v1/bookings")
    assert answer.status_code == 405
    assert answer.headers["allow"] == "POST"


def test_answers_with_personal_data_are_never_stored_by_a_cache(api_schema: BaseSchema) -> None:
    client = TestClient(api_schema.app)  # type: ignore[attr-defined]
    for path in ("/api/v1/staff/agenda?day=2025-03-13", "/api/v1/bookings/ABC-DEFG", "/fi/staff"):
        answer = client.get(path, headers={"X-Manage-Token": "0" * 32}, follow_redirects=False)
        assert answer.headers["cache-control"] == "no-store", path
    assert "no-store" not in client.get("/static/kanava.css").headers.get("cache-control", "")
