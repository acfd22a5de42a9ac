"""Call-back requests (soittopyyntö): capacity-limited windows for today or the next
working day, filled atomically; an expert takes the next one; attempts are recorded.

A window's ``used`` only grows through ``UPDATE … SET used = used + 1 WHERE used <
capacity``: the database applies it row by row, so a window is never overfilled, and
a CHECK constraint says so too.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kanava.auth.service import Principal, audit
from kanava.booking import availability as av
from kanava.booking.codes import check_same_request, new_reference, request_fingerprint
from kanava.booking.customer import check_caller
from kanava.booking.models import (
    CallbackAttempt,
    CallbackRequest,
    CallbackWindow,
    Expert,
    ExpertLanguage,
    ExpertTopic,
)
from kanava.booking.schemas import CallbackCreate, CallbackRead, CallbackWindowRead
from kanava.catalogue.models import Topic
from kanava.contacts.events import ContactChannel, Outcome
from kanava.contacts.record import record_contact
from kanava.errors import Conflict, InvalidInput, NotFound, reason
from kanava.i18n import LANGUAGES

DEFAULT_WINDOWS = (("09:00", "11:00"), ("11:00", "13:00"), ("13:00", "16:00"))
DEFAULT_CAPACITY = 20
MAX_ATTEMPTS = 3


def callback_days(now: datetime) -> list[date]:
    """Today if it is a working day, and the next working day (holidays skipped)."""
    today = now.astimezone(av.ZONE).date()
    days = [today] if av.is_working_day(today) else []
    following = today + timedelta(days=1)
    while not av.is_working_day(following):
        following += timedelta(days=1)
    return [*days, following]


def _window_read(window: CallbackWindow) -> CallbackWindowRead:
    return CallbackWindowRead(
        id=window.id,
        day=window.day,
        starts=window.starts,
        ends=window.ends,
        topic=window.topic_id,
        lang=window.lang,
        capacity=window.capacity,
        free=window.capacity - window.used,
    )


def _window_end(window: CallbackWindow) -> datetime:
    hour, minute = (int(p) for p in window.ends.split(":"))
    return datetime.combine(window.day, time(hour, minute), tzinfo=av.ZONE)


def _find_window(
    session: Session, day: date, starts: str, topic: str, lang: str
) -> CallbackWindow | None:
    return session.scalar(
        select(CallbackWindow).where(
            CallbackWindow.day == day,
            CallbackWindow.starts == starts,
            CallbackWindow.topic_id == topic,
            CallbackWindow.lang == lang,
        )
    )


def open_windows(
    *, session: Session, topic: str, lang: str, now: datetime
) -> list[CallbackWindowRead]:
    """The windows a customer can still choose, made on first use with the default capacity."""
    if session.get(Topic, topic) is None:
        raise NotFound("topic", topic, session.scalars(select(Topic.id)).all())
    if lang not in LANGUAGES:
        raise InvalidInput(
            "lang",
            reason("%(lang)s is not one of %(join)s", lang=repr(lang), join=", ".join(LANGUAGES)),
        )
    windows = []
    for day in callback_days(now):
        for starts, ends in DEFAULT_WINDOWS:
            window = _find_window(session, day, starts, topic, lang)
            if window is None:
                try:
                    with session.begin_nested():
                        window = CallbackWindow(
                            day=day,
                            starts=starts,
                            ends=ends,
                            topic_id=topic,
                            lang=lang,
                            capacity=DEFAULT_CAPACITY,
                            used=0,
                        )
                        session.add(window)
                except IntegrityError:  # made at the same moment by another request
                    window = _find_window(session, day, starts, topic, lang)
                    assert window is not None
            if _window_end(window) > now:
                windows.append(window)
    return [_window_read(w) for w in windows]


def _callback_read(request: CallbackRequest, window: CallbackWindow) -> CallbackRead:
    return CallbackRead(
        id=request.id,
        reference=request.reference,
        status=request.status,
        window=_window_read(window),
        name=request.customer_name,
        phone=request.phone,
        message=request.message,
        attempts=request.attempts,
        non_disclosure=request.non_disclosure,
    )


def request_callback(
    *, session: Session, request_in: CallbackCreate, now: datetime
) -> CallbackRead:
    """Take one place in a window, or answer 409 with the windows that still have room."""
    fingerprint = request_fingerprint(
        request_in.model_dump(mode="json", exclude={"idempotency_key"})
    )
    if request_in.idempotency_key:
        existing = session.scalar(
            select(CallbackRequest).where(
                CallbackRequest.idempotency_key == request_in.idempotency_key
            )
        )
        if existing is not None:
            check_same_request(existing.request_hash, fingerprint)
            return _callback_read(existing, session.get_one(CallbackWindow, existing.window_id))
    caller = check_caller(name=request_in.name, phone=request_in.phone, message=request_in.message)
    window = session.get(CallbackWindow, request_in.window_id)
    if window is None:
        raise NotFound("window_id", str(request_in.window_id))
    if _window_end(window) <= now:
        raise InvalidInput("window_id", reason("this window has already ended"))
    taken = session.execute(
        update(CallbackWindow)
        .where(CallbackWindow.id == window.id, CallbackWindow.used < CallbackWindow.capacity)
        .values(used=CallbackWindow.used + 1)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        conflict = Conflict("window_id", reason("this window is full"))
        conflict.extra["alternatives"] = [
            w.model_dump(mode="json")
            for w in open_windows(session=session, topic=window.topic_id, lang=window.lang, now=now)
            if w.free > 0
        ]
        raise conflict
    request = CallbackRequest(
        reference=new_reference(),
        window_id=window.id,
        status="waiting",
        customer_name=caller.name,
        phone=caller.phone,
        message=caller.message,
        non_disclosure=request_in.non_disclosure,
        attempts=0,
        idempotency_key=request_in.idempotency_key,
        request_hash=fingerprint if request_in.idempotency_key else None,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    session.flush()
    session.refresh(window)
    return _callback_read(request, window)


def take_next(*, session: Session, viewer: Principal, now: datetime) -> CallbackRead | None:
    """The waiting request of the earliest window this expert can serve, now theirs: today's
    first, and when none waits today, the next working day's (called ahead of time)."""
    viewer.require("staff")
    expert = session.get(Expert, viewer.expert_id or "")
    if expert is None:
        raise Conflict("role", reason("this user is not linked to an expert"))
    query = (
        select(CallbackRequest, CallbackWindow)
        .join(CallbackWindow, CallbackWindow.id == CallbackRequest.window_id)
        .where(
            CallbackRequest.status == "waiting",
            CallbackWindow.topic_id.in_(
                select(ExpertTopic.topic_id).where(ExpertTopic.expert_id == expert.id)
            ),
            CallbackWindow.lang.in_(
                select(ExpertLanguage.lang).where(ExpertLanguage.expert_id == expert.id)
            ),
        )
        .order_by(CallbackWindow.day, CallbackWindow.starts, CallbackRequest.id)
        .limit(1)
        .with_for_update(skip_locked=True, of=CallbackRequest)
    )
    row = session.execute(query).first()
    if row is None:
        return None
    request, window = row
    request.status = "in_progress"
    request.taken_by = expert.id
    request.updated_at = now
    session.flush()
    if request.non_disclosure:
        audit(session, viewer, "read:callback", now, callback_id=request.id)
    return _callback_read(request, window)


def request_id(*, session: Session, given: str) -> int:
    """A request's id from its id or its reference (RC3-E7UU), as people copy them."""
    text = given.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    found = session.scalar(
        select(CallbackRequest.id).where(CallbackRequest.reference == text.upper())
    )
    if found is None:
        raise NotFound("request", given)
    return found


def record_attempt(
    *,
    session: Session,
    viewer: Principal,
    request_id: int,
    outcome: str,
    note: str | None,
    now: datetime,
) -> CallbackRead:
    """Log a call; reached closes it, no answer returns it to the queue until the last try."""
    viewer.require("staff")
    request = session.get(CallbackRequest, request_id)
    if request is None or request.taken_by != viewer.expert_id:
        raise NotFound("callback", str(request_id))
    if request.status != "in_progress":
        raise Conflict("callback", reason("the request is %(status)s", status=request.status))
    request.attempts += 1
    session.add(
        CallbackAttempt(
            request_id=request.id, expert_id=request.taken_by, at=now, outcome=outcome, note=note
        )
    )
    if outcome == "reached":
        request.status = "done"
    elif outcome == "wrong_number" or request.attempts >= MAX_ATTEMPTS:
        request.status = "failed"
    if request.status in ("done", "failed"):
        window = session.get_one(CallbackWindow, request.window_id)
        record_contact(
            session,
            source="kanava-callback",
            source_id=request.reference,
            occurred_at=now,
            channel=ContactChannel.CALLBACK,
            outcome=Outcome.SERVED if request.status == "done" else Outcome.ABANDONED,
            topic_id=window.topic_id,
            lang=window.lang,
        )
    else:
        request.status = "waiting"
        request.taken_by = None
    request.updated_at = now
    session.flush()
    return _callback_read(request, session.get_one(CallbackWindow, request.window_id))


def taken_by_me(*, session: Session, viewer: Principal, now: datetime) -> list[CallbackRead]:
    """The requests this expert has taken and not yet finished."""
    viewer.require("staff")
    rows = session.execute(
        select(CallbackRequest, CallbackWindow)
        .join(CallbackWindow, CallbackWindow.id == CallbackRequest.window_id)
        .where(
            CallbackRequest.status == "in_progress", CallbackRequest.taken_by == viewer.expert_id
        )
        .order_by(CallbackWindow.day, CallbackWindow.starts, CallbackRequest.id)
    ).all()
    for request, _window in rows:
        if request.non_disclosure:
            audit(session, viewer, "read:callback", now, callback_id=request.id)
    return [_callback_read(request, window) for request, window in rows]


def waiting_count(*, session: Session, viewer: Principal, now: datetime) -> int:
    """How many requests this expert could take now."""
    viewer.require("staff")
    count: int | None = session.scalar(
        select(func.count())
        .select_from(CallbackRequest)
        .join(CallbackWindow, CallbackWindow.id == CallbackRequest.window_id)
        .where(
            CallbackRequest.status == "waiting",
            CallbackWindow.day <= now.astimezone(av.ZONE).date(),
            CallbackWindow.topic_id.in_(
                select(ExpertTopic.topic_id).where(ExpertTopic.expert_id == viewer.expert_id)
            ),
            CallbackWindow.lang.in_(
                select(ExpertLanguage.lang).where(ExpertLanguage.expert_id == viewer.expert_id)
            ),
        )
    )
    return count or 0
