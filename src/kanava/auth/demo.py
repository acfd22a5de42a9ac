"""Demonstration users, so that the staff, partner and manager pages can be tried at once.

Never in production: the password is public.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.auth.models import User
from kanava.auth.service import create_user
from kanava.data import read_yaml
from kanava.errors import InvalidInput, reason

DEMO_PASSWORD = "kanava-demo-2025"


def ensure_demo_users(session: Session, now: datetime, environment: str) -> list[str]:
    """Create the shipped demo users that do not exist yet; the names of those created."""
    if environment == "production":
        raise InvalidInput("environment", reason("demo users are not made in production"))
    created = []
    for entry in read_yaml("seed/booking_demo.yaml")["demo_users"]:
        if session.scalar(select(User.id).where(User.username == entry["username"])):
            continue
        create_user(
            session,
            username=entry["username"],
            password=DEMO_PASSWORD,
            role=entry["role"],
            now=now,
            expert_id=entry.get("expert"),
            partner_channel_id=entry.get("partner_point"),
        )
        created.append(entry["username"])
    return created
