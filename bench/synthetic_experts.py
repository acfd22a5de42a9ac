"""Synthetic phone experts for pensions in Finnish, for the booking benchmarks."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert
from sqlalchemy.orm import Session

from kanava.booking.models import Expert, ExpertLanguage, ExpertTopic, Shift


def expert_id(prefix: str, number: int) -> str:
    return f"{prefix}-{number:03d}"


def add_phone_experts(session: Session, prefix: str, count: int, patterns: Sequence[str]) -> None:
    """``count`` experts serving pensions in Finnish by phone, shift patterns in turn."""
    ids = [expert_id(prefix, i) for i in range(count)]
    session.execute(
        insert(Expert),
        [{"id": i, "name": i, "active": True, "provenance": "synthetic"} for i in ids],
    )
    session.execute(insert(ExpertTopic), [{"expert_id": i, "topic_id": "elakkeet"} for i in ids])
    session.execute(insert(ExpertLanguage), [{"expert_id": i, "lang": "fi"} for i in ids])
    session.execute(
        insert(Shift),
        [
            {"expert_id": i, "kind": "phone", "hours": patterns[n % len(patterns)]}
            for n, i in enumerate(ids)
        ],
    )
