"""The network as stored: a unit's places of personal service and the demand areas
around them, read once into plain values for the pure figures of this package."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kanava.catalogue.models import Channel, Municipality, OrgUnit, PostalArea
from kanava.catalogue.service import schedules_of
from kanava.errors import InvalidInput, NotFound, reason
from kanava.hours.describe import describe_week
from kanava.hours.engine import Rule
from kanava.hours.enums import RuleKind, State
from kanava.i18n import LANGUAGES

# Places where a customer meets Kela in person or by video; Kela's own staff at the first two.
OWN_KINDS = ("service_point", "lahipalvelupiste")
PERSONAL_KINDS = (*OWN_KINDS, "asiointipiste", "remote_video", "pop_up")


@dataclass(frozen=True)
class Place:
    id: str
    name: dict[str, str]
    kind: str
    lat: float
    lon: float
    municipality_code: str | None
    municipality: str | None
    address: str | None
    open_days_per_week: int | None
    appointment_only: bool
    video_service: bool
    unit_id: str | None
    provenance: str
    source: str | None
    hours: dict[str, str] = field(default_factory=dict)  # the usual week, per language
    host: str | None = None
    opened: str | None = None  # the date the place opened, as recorded

    @property
    def own(self) -> bool:
        """Kela's own service expert serves here."""
        return self.kind in OWN_KINDS

    @property
    def video(self) -> bool:
        return self.kind == "remote_video" or (self.kind == "asiointipiste" and self.video_service)


@dataclass(frozen=True)
class DemandArea:
    code: str
    name: str
    municipality_code: str
    population: int
    lat: float
    lon: float


@dataclass(frozen=True)
class Unit:
    id: str
    name: dict[str, str]
    regions: tuple[str, ...]


def days_open(rules: tuple[Rule, ...], on: date) -> int | None:
    """Weekdays the regular hours in force on a date open (None without such hours)."""
    regular = [r for r in rules if r.kind is RuleKind.REGULAR and r.covers(on) and r.spans]
    if not regular:
        return None
    return len({d for span in regular[-1].spans if span.state is State.OPEN
                for d in span.weekdays})  # fmt: skip


def hours_a_week(rules: tuple[Rule, ...], on: date) -> float | None:
    """Open hours in the usual week of the regular hours in force on a date."""
    regular = [r for r in rules if r.kind is RuleKind.REGULAR and r.covers(on) and r.spans]
    if not regular:
        return None
    minutes = 0
    for span in regular[-1].spans:
        if span.state is State.OPEN:
            start = span.start.hour * 60 + span.start.minute
            end = span.end.hour * 60 + span.end.minute
            if span.ends_next_day or end <= start:
                end += 24 * 60
            minutes += (end - start) * len(span.weekdays)
    return minutes / 60


def phone_hours_a_week(session: Session, on: date) -> float:
    """The usual open hours a week of the active phone lines (the median line)."""
    lines = session.scalars(
        select(Channel).where(Channel.kind == "phone_line", Channel.status == "active")
    ).all()
    schedules = schedules_of(session, lines)
    weekly = sorted(
        hours for s in schedules.values() if (hours := hours_a_week(s.rules, on)) is not None
    )
    if not weekly:
        raise InvalidInput("phone_lines", reason("no active phone line has regular hours"))
    return weekly[len(weekly) // 2]


def unit(session: Session, unit_id: str) -> Unit:
    found = session.get(OrgUnit, unit_id)
    if found is None or found.kind != "customer_service_unit":
        units = session.scalars(
            select(OrgUnit.id).where(OrgUnit.kind == "customer_service_unit")
        ).all()
        raise NotFound("unit", unit_id, units)
    names: dict[str, str] = {
        lang: getattr(found, f"name_{lang}") or found.name_fi for lang in LANGUAGES
    }
    return Unit(found.id, names, tuple(found.regions or ()))


def active_places(session: Session, on: date) -> list[Place]:
    """Every active place of personal service with coordinates, in the whole country."""
    channels = session.scalars(
        select(Channel)
        .where(
            Channel.kind.in_(PERSONAL_KINDS),
            Channel.status == "active",
            Channel.lat.is_not(None),
        )
        .order_by(Channel.id)
    ).all()
    schedules = schedules_of(session, channels)
    municipalities = dict(session.execute(select(Municipality.code, Municipality.name_fi)).all())
    places = []
    for c in channels:
        assert c.lat is not None and c.lon is not None
        town = c.post_office or municipalities.get(c.municipality_code or "")
        address = ", ".join(
            part for part in (c.street_address, " ".join(
                p for p in (c.postal_code, town) if p)) if part
        ) or None  # fmt: skip
        hours: dict[str, str] = {
            lang: describe_week(schedules[c.id], on, lang)
            for lang in LANGUAGES
            if schedules[c.id].rules
        }
        opened = next((e.on_date for e in c.events if e.kind == "opened"), None)
        places.append(
            Place(
                id=c.id,
                name={lang: getattr(c, f"name_{lang}") or c.name_fi for lang in LANGUAGES},
                kind=c.kind,
                lat=c.lat,
                lon=c.lon,
                municipality_code=c.municipality_code,
                municipality=municipalities.get(c.municipality_code or ""),
                address=address,
                open_days_per_week=c.open_days_per_week or days_open(schedules[c.id].rules, on),
                appointment_only=c.appointment_only,
                video_service=c.video_service,
                unit_id=c.unit_id,
                provenance=c.provenance,
                source=c.source,
                hours=hours,
                host=c.host_organisation,
                opened=opened,
            )
        )
    return places


def unit_municipalities(session: Session, the_unit: Unit) -> set[str]:
    return set(
        session.scalars(
            select(Municipality.code).where(Municipality.region_fi.in_(the_unit.regions))
        ).all()
    )


def unit_places(places: list[Place], the_unit: Unit, municipalities: set[str]) -> list[Place]:
    """The unit's own places and every place in its regions."""
    return [p for p in places if p.unit_id == the_unit.id or p.municipality_code in municipalities]


def municipality_centres(
    session: Session, codes: set[str] | None = None
) -> dict[str, tuple[str, float, float]]:
    """Code → Finnish name, lat, lon of the municipalities (all, or those of ``codes``),
    in the order of their names."""
    query = select(Municipality.code, Municipality.name_fi, Municipality.lat, Municipality.lon)
    if codes is not None:
        query = query.where(Municipality.code.in_(codes))
    rows = session.execute(query.order_by(Municipality.name_fi))
    return {code: (name, lat, lon) for code, name, lat, lon in rows}


def unit_place_ids(session: Session, unit_id: str) -> list[str]:
    """Ids of the active places of personal service that are the unit's own or lie in its
    regions."""
    the_unit = unit(session, unit_id)
    municipalities = unit_municipalities(session, the_unit)
    return list(
        session.scalars(
            select(Channel.id)
            .where(
                Channel.kind.in_(PERSONAL_KINDS),
                Channel.status == "active",
                (Channel.unit_id == the_unit.id) | Channel.municipality_code.in_(municipalities),
            )
            .order_by(Channel.id)
        )
    )


def demand_areas(session: Session, level: str, municipalities: set[str]) -> list[DemandArea]:
    """Postal areas (the default) or municipalities, with population and centre."""
    if level == "municipality":
        rows = session.scalars(
            select(Municipality)
            .where(Municipality.code.in_(municipalities))
            .order_by(Municipality.code)
        ).all()
        return [DemandArea(m.code, m.name_fi, m.code, m.population, m.lat, m.lon) for m in rows]
    if level != "postal":
        raise InvalidInput("level", reason("postal or municipality"))
    areas = session.scalars(
        select(PostalArea)
        .where(PostalArea.municipality_code.in_(municipalities))
        .order_by(PostalArea.code)
    ).all()
    return [
        DemandArea(a.code, a.name_fi, a.municipality_code, a.population, a.lat, a.lon)
        for a in areas
    ]
