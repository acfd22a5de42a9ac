"""Sign in: a username and password give a bearer token for the staff endpoints."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from pydantic import Field

from kanava.auth.service import API_SCOPE
from kanava.auth.signin import sign_in
from kanava.deps import NowDep, ReadTransactionsDep, WriteTransactionsDep
from kanava.schemas import KanavaSchema

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class TokenRequest(KanavaSchema):
    username: str = Field(max_length=60)
    password: str = Field(max_length=200)


class TokenRead(KanavaSchema):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime


@router.post(
    "/token",
    response_model=TokenRead,
    responses={401: {"description": "Unknown user or wrong password (the same answer)"},
               429: {"description": "Too many failed sign-ins: wait Retry-After seconds"}},
)  # fmt: skip
async def token(
    request: Request,
    reads: ReadTransactionsDep,
    transactions: WriteTransactionsDep,
    now: NowDep,
    body: TokenRequest,
) -> TokenRead:
    signed_in = await sign_in(
        sign_ins=request.app.state.sign_ins,
        reads=reads,
        transactions=transactions,
        username=body.username,
        password=body.password,
        address=client_address(request),
        now=now,
        scope=API_SCOPE,
    )
    return TokenRead(access_token=signed_in.token, expires_at=signed_in.expires_at)


def client_address(request: Request) -> str:
    """The client's address as the server sees it (behind a proxy: uvicorn's
    --proxy-headers makes it the forwarded one)."""
    return request.client.host if request.client else "unknown"
