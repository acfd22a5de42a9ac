"""Sign in: a username and password give a bearer token for the staff endpoints."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import Field

from kanava.auth.service import issue_token
from kanava.deps import NowDep, WriteSessionDep
from kanava.schemas import KanavaSchema

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class TokenRequest(KanavaSchema):
    username: str = Field(max_length=60)
    password: str = Field(max_length=200)


class TokenRead(KanavaSchema):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime


@router.post("/token", response_model=TokenRead)
def token(session: WriteSessionDep, now: NowDep, body: TokenRequest) -> TokenRead:
    value, expires = issue_token(session, username=body.username, password=body.password, now=now)
    return TokenRead(access_token=value, expires_at=expires)
