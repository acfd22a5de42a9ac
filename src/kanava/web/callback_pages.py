"""Ask us to call you (soittopyyntö): a matter, a language, a window today or on the next
working day, a name and a number."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kanava.booking import callbacks
from kanava.booking.customer import customer_problems
from kanava.booking.schemas import CallbackCreate
from kanava.deps import NowDep, WriteSessionDep
from kanava.errors import Conflict, KanavaError
from kanava.i18n import LANGUAGES
from kanava.web.context import LangDep, gettext, topic_choices
from kanava.web.flow import new_nonce
from kanava.web.messages import field_errors, service_language_names
from kanava.web.render import render
from kanava.web.security import check_csrf

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=100)]
FormText = Annotated[str, Form(max_length=5000)]


def _page(
    request: Request,
    lang: str,
    session: Session,
    values: dict[str, str],
    errors: dict[str, str],
    now: NowDep,
    *,
    notice: str | None = None,
    status_code: int | None = None,
) -> Response:
    _ = gettext(lang)
    chosen = values["topic"] in dict(topic_choices(session, lang)) and (
        values["service_lang"] in LANGUAGES
    )
    windows = (
        callbacks.open_windows(
            session=session, topic=values["topic"], lang=values["service_lang"], now=now
        )
        if chosen
        else []
    )
    return render(
        request,
        lang,
        "callback.html",
        status_code=status_code or (422 if errors else 200),
        topics=topic_choices(session, lang),
        service_languages=service_language_names(_),
        windows=[w for w in windows if w.free > 0],
        chosen=chosen,
        values=values,
        errors=errors,
        notice=notice,
    )


@router.get("/{lang}/callback")
def callback_form(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    now: NowDep,
    topic: Text = "",
    service_lang: Text = "",
) -> Response:
    values = {"topic": topic, "service_lang": service_lang or lang, "nonce": new_nonce()}
    errors: dict[str, str] = {}
    if topic and topic not in dict(topic_choices(session, lang)):
        errors["topic"] = field_errors(gettext(lang))["topic"]
    return _page(request, lang, session, values, errors, now)


@router.post("/{lang}/callback")
def callback_send(
    request: Request,
    lang: LangDep,
    session: WriteSessionDep,
    now: NowDep,
    topic: FormText = "",
    service_lang: FormText = "",
    window_id: FormText = "",
    name: FormText = "",
    phone: FormText = "",
    message: FormText = "",
    nonce: FormText = "",
    csrf_token: FormText = "",
) -> Response:
    check_csrf(request, csrf_token)
    values = {
        "topic": topic,
        "service_lang": service_lang,
        "window_id": window_id,
        "name": name,
        "phone": phone,
        "message": message,
        "nonce": nonce,
    }
    messages = field_errors(gettext(lang))
    problems = customer_problems(name=name, phone=phone, message=message)
    errors = {field: messages[field] for field in problems}
    if not window_id.isdigit():
        errors = {"window_id": messages["window_id"], **errors}
    if errors:
        return _page(request, lang, session, values, errors, now)
    try:
        created = callbacks.request_callback(
            session=session,
            request_in=CallbackCreate(
                window_id=int(window_id),
                name=name[:400],
                phone=phone[:40],
                message=message[:4000] or None,
                idempotency_key=nonce[:100] or None,
            ),
            now=now,
        )
    except KanavaError as error:
        if isinstance(error, Conflict):
            notice = gettext(lang)("Sorry, that window just filled up. Please choose another.")
            return _page(request, lang, session, values, {}, now, notice=notice, status_code=409)
        field = error.field if error.field in messages else "window_id"
        return _page(request, lang, session, values, {field: messages[field]}, now)
    request.session["callback"] = {
        "reference": created.reference,
        "day": created.window.day.isoformat(),
        "starts": created.window.starts,
        "ends": created.window.ends,
        "phone": created.phone,
    }
    return RedirectResponse(f"/{lang}/callback/done", status_code=303)


@router.get("/{lang}/callback/done")
def callback_done(request: Request, lang: LangDep) -> Response:
    made = request.session.get("callback")
    if not isinstance(made, dict):
        return RedirectResponse(f"/{lang}/callback", status_code=303)
    return render(request, lang, "callback_done.html", made=made)
