"""Refuse, before any handler runs, requests no handler should see: a body over the
limit (413), and a NUL character anywhere in the path, the query or the body's fields
(422 naming the field; PostgreSQL cannot store one in text, and no person types it).

Pure ASGI: a body is read whole (it is small, by the limit) and handed on unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kanava.problems import problem

MAX_BODY_BYTES = 1_000_000
NUL = "\x00"


def _nul_fields(value: Any, path: str) -> Iterator[str]:
    """The dotted names of the fields of a JSON value whose text holds a NUL."""
    if isinstance(value, str):
        if NUL in value:
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in str(key):
                yield f"{path}.{key!r}".lstrip(".")
            yield from _nul_fields(item, f"{path}.{key}".lstrip("."))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_fields(item, f"{path}.{index}".lstrip("."))


def _pairs_with_nul(encoded: str) -> Iterator[str]:
    for key, value in parse_qsl(encoded, keep_blank_values=True):
        if NUL in key or NUL in value:
            yield key.replace(NUL, "\\0") or "query"


def nul_field(path: str, query: bytes, body: bytes, content_type: str) -> str | None:
    """The first field whose text holds a NUL, or None."""
    if NUL in unquote(path):
        return "path"
    query_text = query.decode("latin-1")
    if "%00" in query_text or NUL in query_text:
        return next(_pairs_with_nul(query_text), "query")
    if content_type.startswith("application/x-www-form-urlencoded") and b"%00" in body:
        return next(_pairs_with_nul(body.decode("latin-1")), "body")
    if "json" in content_type and b"\\u0000" in body.lower():
        try:
            parsed = json.loads(body)
        except ValueError:
            return None  # the handler's own parsing says what is wrong with it
        return next(_nul_fields(parsed, ""), None)
    return None


class RequestGuard:
    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            await self._too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await self._too_large(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        field = nul_field(
            scope.get("path", ""), scope.get("query_string", b""), body,
            headers.get("content-type", "").lower(),
        )  # fmt: skip
        if field is not None:
            response = problem(
                422, f"{field}: contains a NUL character",
                [{"field": field, "reason": "contains a NUL character"}],
            )  # fmt: skip
            await response(scope, receive, send)
            return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = f"{self.max_body:,} bytes".replace(",", " ")
        response = problem(
            413, f"body: larger than the limit of {limit}",
            [{"field": "body", "reason": f"larger than the limit of {limit}"}],
            headers={"Connection": "close"},
        )  # fmt: skip
        await response(scope, receive, send)
