"""SQL written once for both databases gives the same values as Python."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from kanava.db import UtcDateTime
from kanava.sqlfunctions import epoch_seconds


@pytest.mark.parametrize(
    "instant",
    [
        datetime(1970, 1, 1, tzinfo=UTC),
        datetime(2025, 3, 30, 0, 59, 59, tzinfo=UTC),  # the last second before summer time
        datetime(2025, 3, 30, 1, 0, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # inside the repeated hour
        datetime(2038, 1, 19, 3, 14, 8, tzinfo=UTC),  # past 32-bit seconds
    ],
)
def test_epoch_seconds__as_python_counts_them(session: Session, instant: datetime) -> None:
    value = session.scalar(select(epoch_seconds(literal(instant, UtcDateTime))))
    assert value == int(instant.timestamp())
