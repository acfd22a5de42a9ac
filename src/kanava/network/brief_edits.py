"""What a manager writes into a brief: the proposal, the partners, the dates and their own
figure of customers a week. Pure: checked values in, the edited brief out.

An edit is kept field by field (the newest wins, an empty value returns the field to what
kanava computes), so the brief stays computed from the data and the manager's words sit
on top of it.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from kanava.errors import InvalidInput, not_one_of, reason
from kanava.hours.calendar import holiday_on
from kanava.i18n import LANGUAGES
from kanava.network.brief import Brief, OwnFigure

PROPOSAL_FIELDS = tuple(f"proposal_{lang}" for lang in LANGUAGES)
DATE_FIELDS = ("effective", "announce_by", "review")
EDIT_FIELDS = (*PROPOSAL_FIELDS, "partners", *DATE_FIELDS, "own_figure", "own_figure_source")
PROPOSAL_MAX = 3000
PARTNER_MAX = 120
PARTNERS_MAX = 20
FIGURE_MAX = 10_000.0


@dataclass(frozen=True)
class BriefEdits:
    proposal: dict[str, str]
    partners: list[str] | None
    effective: date | None
    announce_by: date | None
    review: date | None
    own: OwnFigure | None


def _text(field: str, value: str, limit: int) -> str:
    text = value.strip().replace("\r\n", "\n")
    if len(text) > limit:
        raise InvalidInput(
            field,
            reason("at most %(limit)s characters, not %(count)s", limit=limit, count=len(text)),
        )
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        raise InvalidInput(field, reason("contains control characters"))
    return text


def _partners(value: str) -> str:
    names = [_text("partners", line, PARTNER_MAX) for line in value.replace(";", "\n").split("\n")]
    names = [name for name in names if name]
    if len(names) > PARTNERS_MAX:
        raise InvalidInput(
            "partners",
            reason(
                "at most %(PARTNERS_MAX)s partners, not %(count)s",
                PARTNERS_MAX=PARTNERS_MAX,
                count=len(names),
            ),
        )
    return "\n".join(dict.fromkeys(names))


def _working_day(field: str, value: str) -> str:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            field, reason("%(value)s is not a date YYYY-MM-DD", value=repr(value))
        ) from None
    if field == "effective":
        return day.isoformat()
    holiday = holiday_on(day)
    if holiday is not None:
        raise InvalidInput(
            field,
            reason(
                "%(day)s is a holiday (%(holiday)s): choose a working day",
                day=format(day, "%d.%m.%Y"),
                holiday=holiday,
            ),
        )
    if day.isoweekday() > 5:
        raise InvalidInput(
            field,
            reason("%(day)s is a weekend day: choose a working day", day=format(day, "%d.%m.%Y")),
        )
    return day.isoformat()


def _figure(value: str) -> str:
    try:
        number = float(value.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        raise InvalidInput(
            "own_figure", reason("%(value)s is not a number", value=repr(value))
        ) from None
    if not 0 <= number <= FIGURE_MAX:
        raise InvalidInput(
            "own_figure",
            reason("customers a week from 0 to %(FIGURE_MAX)s", FIGURE_MAX=format(FIGURE_MAX, "g")),
        )
    return f"{number:g}"


def check_edits(changes: Mapping[str, str | None]) -> dict[str, str | None]:
    """The values to record, each checked; an empty value (or None) clears the field.
    InvalidInput names the first field that is wrong and why."""
    if not changes:
        raise InvalidInput("changes", reason("give at least one field of the brief to change"))
    checked: dict[str, str | None] = {}
    for field, value in changes.items():
        if field not in EDIT_FIELDS:
            raise not_one_of("field", field, EDIT_FIELDS)
        text = (value or "").strip()
        if not text:
            checked[field] = None
        elif field in PROPOSAL_FIELDS:
            checked[field] = _text(field, text, PROPOSAL_MAX)
        elif field == "partners":
            checked[field] = _partners(text) or None
        elif field in DATE_FIELDS:
            checked[field] = _working_day(field, text)
        elif field == "own_figure":
            checked[field] = _figure(text)
        else:
            checked[field] = _text(field, text, 200)
    return checked


def check_together(values: Mapping[str, str]) -> None:
    """The rules between fields, on the values as they would stand after the change."""
    if "own_figure" in values and not values.get("own_figure_source"):
        raise InvalidInput("own_figure_source", reason("say where the figure comes from"))
    effective = values.get("effective")
    if effective and values.get("announce_by", "") >= effective:
        raise InvalidInput("announce_by", reason("the announcement must come before the change"))
    if effective and values.get("review", "9999") <= effective:
        raise InvalidInput("review", reason("the review must come after the change"))


def edits_from(values: Mapping[str, str]) -> BriefEdits:
    """The recorded values of a brief (as `check_edits` stored them) as edits."""

    def day(field: str) -> date | None:
        return date.fromisoformat(values[field]) if field in values else None

    figure, source = values.get("own_figure"), values.get("own_figure_source")
    return BriefEdits(
        proposal={
            lang: values[field] for lang in LANGUAGES if (field := f"proposal_{lang}") in values
        },
        partners=values["partners"].split("\n") if "partners" in values else None,
        effective=day("effective"),
        announce_by=day("announce_by"),
        review=day("review"),
        own=OwnFigure(float(figure), source) if figure and source else None,
    )


def apply_edits(brief: Brief, edits: BriefEdits) -> Brief:
    """The brief with the manager's words over kanava's (its dates already computed from
    the effective date as it now stands)."""
    dates = dataclasses.replace(
        brief.dates,
        announce_by=edits.announce_by or brief.dates.announce_by,
        review=edits.review or brief.dates.review,
        announce_suggested=edits.announce_by is None,
        review_suggested=edits.review is None,
    )
    return dataclasses.replace(
        brief,
        proposal={**brief.proposal, **edits.proposal},
        partners=edits.partners if edits.partners is not None else brief.partners,
        dates=dates,
        own=edits.own,
    )
