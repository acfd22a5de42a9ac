"""Errors as RFC 9457 problem+json: the status, a title, and the field with the reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException

from kanava.errors import KanavaError

PROBLEM_JSON = "application/problem+json"
_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    429: "Too many requests",
}


def problem(
    status: int,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _TITLES.get(status, "Invalid input" if status == 422 else "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_of(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location if part not in ("query", "path", "body")]
    return ".".join(parts) or "request"


class ProblemField(BaseModel):
    field: str
    reason: str


class Problem(BaseModel):
    """An error answer (RFC 9457); a 409 may add ``alternatives``, the next free times."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemField] | None = None


_ANSWERS = {
    401: "No valid bearer token",
    403: "The token's role may not do this",
    404: "An id, code or name that names nothing",
    405: "The method is not allowed here (see Allow)",
    409: "The state forbids it (a time just taken, a limit reached)",
    413: "The body is larger than the limit",
    422: "A field is invalid: named, with the reason",
    429: "Too many tries: wait Retry-After seconds",
}
_EVERY_OPERATION = (404, 405, 409, 413, 422)
_SIGNED_IN = (401, 403)


def documented_openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document with every error answer each operation can give, as
    problem+json; made once."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem_schema.pop("$defs", {}))
    schemas["Problem"] = problem_schema
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in document.get("paths", {}).items():
        for operation in operations.values():
            statuses = list(_EVERY_OPERATION)
            if operation.get("security"):
                statuses += _SIGNED_IN
            if path.endswith("/auth/token"):
                statuses += (401, 429)
            answers = operation.setdefault("responses", {})
            for status in statuses:
                answers[str(status)] = {"description": _ANSWERS[status], "content": content}
    app.openapi_schema = document
    return document


PageRenderer = Callable[[Request, int, str], Response]


def install(app: FastAPI, page: PageRenderer | None = None) -> None:
    """Make every error of the API answer as problem+json, and of the pages as a page."""

    def for_page(request: Request) -> bool:
        return page is not None and not request.url.path.startswith("/api/")

    async def kanava_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, KanavaError)
        if page is not None and for_page(request):
            return page(request, exc.status, exc.field)
        errors = [{"field": exc.field, "reason": exc.reason}]
        return problem(exc.status, str(exc), errors, exc.extra, exc.headers)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {"field": _field_of(tuple(e["loc"])), "reason": e["msg"].removeprefix("Value error, ")}
            for e in exc.errors()
        ]
        if page is not None and for_page(request):
            return page(request, 422, errors[0]["field"] if errors else "request")
        detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
        return problem(422, detail, errors)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if page is not None and for_page(request):
            answer = page(request, exc.status_code, "")
            answer.headers.update(exc.headers or {})
            return answer
        return problem(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))

    app.add_exception_handler(KanavaError, kanava_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
