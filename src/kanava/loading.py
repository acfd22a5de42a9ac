"""Load everything kanava ships, capability by capability, in dependency order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from kanava.booking.loader import load_booking_demo
from kanava.catalogue.corrections import reapply as reapply_corrections
from kanava.catalogue.loader import Progress, TableReport, load_shipped_data
from kanava.contacts.loader import history_window, load_call_history


def load_all(
    session: Session, now: datetime, progress: Progress | None = None
) -> dict[str, TableReport]:
    reports = load_shipped_data(session, now, progress)
    reapply_corrections(session)  # a manager's corrections outlive a reload
    if progress:
        progress("appointments (synthetic demo)")
    reports.update(load_booking_demo(session, now))
    if progress:
        progress("phone lines' call history (synthetic)")
    reports["call_interval"] = load_call_history(session, *history_window(now))
    return reports
