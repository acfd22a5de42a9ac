"""Dated absences of experts (sick leave, leave, training), recorded by a manager; the
bookings the expert had on those days show in the conflicts worklist at once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.auth.service import Principal
from kanava.booking.conflicts import find_conflicts
from kanava.booking.models import Absence, Expert
from kanava.booking.schemas import AbsenceCreate, AbsenceRead
from kanava.errors import InvalidInput, NotFound, reason


def _read(
    absence: Absence, to_hand_over: int | None = None, *, with_reason: bool = True
) -> AbsenceRead:
    """An absence; its reason (which may be health data) only for managers."""
    return AbsenceRead(
        id=absence.id,
        expert=absence.expert_id,
        first_day=absence.first_day,
        last_day=absence.last_day,
        reason=absence.reason if with_reason else None,
        bookings_to_hand_over=to_hand_over,
    )


def record_absence(
    *, session: Session, viewer: Principal, absence_in: AbsenceCreate, now: datetime
) -> AbsenceRead:
    """A new absence, with how many of the expert's bookings it leaves unserved."""
    viewer.require("manager")
    if session.get(Expert, absence_in.expert) is None:
        raise NotFound("expert", absence_in.expert, session.scalars(select(Expert.id)).all())
    first, last = absence_in.first_day, absence_in.last_day or absence_in.first_day
    if last < first:
        raise InvalidInput(
            "last_day",
            reason(
                "%(isoformat)s is before %(isoformat2)s",
                isoformat=last.isoformat(),
                isoformat2=first.isoformat(),
            ),
        )
    absence = Absence(
        expert_id=absence_in.expert, first_day=first, last_day=last, reason=absence_in.reason
    )
    session.add(absence)
    session.flush()
    found = find_conflicts(session, first, (last - first).days + 1, now, absence.expert_id)
    return _read(absence, len(found))


def list_absences(
    *, session: Session, viewer: Principal, first: date, last: date
) -> list[AbsenceRead]:
    """Absences that touch the days from first to last, by expert and day. Colleagues see
    who is away when, never why; managers see the reasons."""
    viewer.require("staff", "manager")
    rows = session.scalars(
        select(Absence)
        .where(Absence.last_day >= first, Absence.first_day <= last)
        .order_by(Absence.expert_id, Absence.first_day, Absence.id)
    )
    with_reason = viewer.role == "manager"
    return [_read(absence, with_reason=with_reason) for absence in rows]
