"""Staff login and logout. The session cookie carries the id of a page session (a token
of the "page" scope: revocable, only its hash stored, never accepted by the API); every
page of staff, partners and managers checks it against the database."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from kanava.auth.api import client_address
from kanava.auth.service import PAGE_SCOPE, NotAuthenticated, Principal, authenticate, revoke_token
from kanava.auth.signin import sign_in
from kanava.auth.throttle import TooManyAttempts
from kanava.deps import (
    NowDep,
    ReadTransactionsDep,
    SessionDep,
    WriteSessionDep,
    WriteTransactionsDep,
)
from kanava.web.context import LangDep, gettext
from kanava.web.messages import field_errors
from kanava.web.render import render
from kanava.web.security import check_csrf

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form(max_length=5000)]
HOME_OF_ROLE = {"staff": "staff", "partner": "partner", "manager": "manager"}


def page_principal(request: Request, session: SessionDep, now: NowDep) -> Principal:
    """The signed-in user of a page; a stale or missing login answers 401 (to the login)."""
    token = request.session.get("auth")
    try:
        return authenticate(session, token if isinstance(token, str) else None, now, PAGE_SCOPE)
    except NotAuthenticated:
        request.session.pop("user", None)
        request.session.pop("auth", None)
        raise


PagePrincipal = Annotated[Principal, Depends(page_principal, scope="function")]


def _safe_next(lang: str, target: str, role: str) -> str:
    """Only a path of this site, never another host."""
    if target.startswith(f"/{lang}/") and not target.startswith("//"):
        return target
    return f"/{lang}/{HOME_OF_ROLE[role]}"


@router.get("/{lang}/login")
def login_form(
    request: Request, lang: LangDep, next: Annotated[str, Query(max_length=300)] = ""
) -> Response:
    return render(request, lang, "login.html", values={"next": next}, errors={})


@router.post("/{lang}/login")
async def login(
    request: Request,
    lang: LangDep,
    reads: ReadTransactionsDep,
    transactions: WriteTransactionsDep,
    now: NowDep,
    username: FormText = "",
    password: FormText = "",
    next: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    check_csrf(request, csrf_token)
    values = {"username": username, "next": next}
    messages = field_errors(gettext(lang))
    if not username.strip():
        return render(
            request, lang, "login.html", status_code=422, values=values,
            errors={"username": messages["username"]},
        )  # fmt: skip
    try:
        signed_in = await sign_in(
            sign_ins=request.app.state.sign_ins,
            reads=reads,
            transactions=transactions,
            username=username,
            password=password,
            address=client_address(request),
            now=now,
            scope=PAGE_SCOPE,
        )
    except NotAuthenticated:
        return render(
            request, lang, "login.html", status_code=401, values=values,
            errors={"password": messages["password"]},
        )  # fmt: skip
    except TooManyAttempts as error:
        response = render(
            request, lang, "login.html", status_code=429, values=values,
            errors={"password": messages["too_many_attempts"]},
        )  # fmt: skip
        response.headers.update(error.headers)
        return response
    principal = signed_in.principal
    # A new session on login: nothing chosen before signing in carries over.
    request.session.clear()
    request.session["auth"] = signed_in.token
    request.session["user"] = {"username": principal.username, "role": principal.role}
    return RedirectResponse(_safe_next(lang, next, principal.role), status_code=303)


@router.post("/{lang}/logout")
def logout(
    request: Request, lang: LangDep, session: WriteSessionDep, csrf_token: FormText = ""
) -> Response:
    check_csrf(request, csrf_token)
    token = request.session.get("auth")
    if isinstance(token, str):
        revoke_token(session, token)
    request.session.clear()
    return RedirectResponse(f"/{lang}/", status_code=303)
