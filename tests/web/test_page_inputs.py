"""Every page, asked with hostile values in each of its query parameters while signed in
as a manager (who may open every staff page) and as an expert: never a server error."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import log_in

HOSTILE = ["0001-01-01", "9999-12-31", "٢٠٢٥-٠٣-١٢", "2025-03-12T25:00", str(2**63), "-1",
           "a\x00b", "\u202e", "1e308", "nan"]  # fmt: skip
PATH_VALUES = {"lang": "fi", "reference": "ABC-DEFG", "booking_id": "1", "request_id": "1",
               "point": "laukaa-ajanvaraus"}  # fmt: skip


def _pages(client: TestClient) -> Iterator[tuple[str, list[str]]]:
    def walk(routes: list[Any]) -> Iterator[Any]:
        for route in routes:
            if hasattr(route, "original_router"):
                yield from walk(route.original_router.routes)
            else:
                yield route

    for route in walk(client.app.routes):  # type: ignore[attr-defined]
        dependant = getattr(route, "dependant", None)
        if dependant is None or "GET" not in route.methods or route.path.startswith("/api"):
            continue
        names = sorted({p.name for p in _query_params(dependant)})
        if names:
            yield route.path, names


def _query_params(dependant: Any) -> Iterator[Any]:
    yield from dependant.query_params
    for sub in dependant.dependencies:
        yield from _query_params(sub)


@pytest.mark.parametrize("user", ["esihenkilo", "asiantuntija"])
def test_hostile_query_values_on_every_page_are_no_server_error(
    browser_client: TestClient, user: str
) -> None:
    assert log_in(browser_client, user).status_code == 303
    wrong = []
    pages = list(_pages(browser_client))
    assert len(pages) > 10
    for path, names in pages:
        url = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], path)
        for name in names:
            for value in HOSTILE:
                answer = browser_client.get(url, params={name: value})
                if answer.status_code >= 500:
                    wrong.append(f"{url}?{name}={value!r}: {answer.status_code}")
    assert wrong == []
