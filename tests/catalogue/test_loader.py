"""Loading the shipped data: complete, idempotent, and updating only what changed."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kanava.catalogue import loader
from kanava.catalogue.models import Channel, Municipality, OrgUnit, PostalArea, Topic
from kanava.contacts.loader import history_window
from kanava.contacts.models import CallInterval, ContactTotal
from kanava.hours.models import HoursRule
from kanava.loading import load_all
from tests.conftest import LOADED_AT

LATER = datetime(2025, 4, 1, 8, 0, tzinfo=UTC)


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_shipped_data__has_every_municipality_postal_area_and_topic(session: Session) -> None:
    assert count(session, Municipality) == 308
    assert count(session, PostalArea) == 3026
    assert count(session, Topic) == 10
    assert session.scalar(select(func.sum(Municipality.population))) == 5_563_970


def test_shipped_data__ten_phone_lines_with_their_numbers(session: Session) -> None:
    lines = session.scalars(select(Channel).where(Channel.kind == "phone_line")).all()
    numbers = {line.topic_id: line.phone_display for line in lines}
    assert numbers == {
        "elakkeet": "020 692 202",
        "kansainvaliset": "020 634 0200",
        "kuntoutus": "020 692 205",
        "lapsiperheet": "020 692 206",
        "opiskelu": "020 692 209",
        "perinta": "020 634 4940",
        "sairastaminen": "020 692 204",
        "toimeentulotuki": "020 692 207",
        "turvakielto": "020 635 3500",
        "tyottomyys": "020 692 210",
    }
    assert {line.phone_number for line in lines} >= {"+35820692202", "+358206340200"}


def test_shipped_data__laukaa_point_and_its_history(session: Session) -> None:
    laukaa = session.get_one(Channel, "laukaa-ajanvaraus")
    assert laukaa.municipality_code == "410"
    assert laukaa.appointment_only and laukaa.open_days_per_week == 1
    assert [(e.kind, e.on_date) for e in laukaa.events] == [
        ("opened", "2022-10-01"),
        ("proposed_replacement", "2025-09-01"),
    ]
    weekly = session.scalars(
        select(ContactTotal).where(ContactTotal.series == "laukaa-customers-per-week")
    ).one()
    assert (weekly.value, weekly.unit, weekly.approximate) == (4, "customers_per_week", True)


def test_shipped_data__public_facts_keep_their_dates_and_sources(session: Session) -> None:
    joutsa = session.get_one(Channel, "kelan-palvelupiste-joutsa")
    assert (joutsa.status, joutsa.status_date) == ("replaced", "2019-09-01")
    assert joutsa.provenance == "public_source"
    assert joutsa.source and joutsa.source.startswith("https://www.joutsanseutu.fi/")
    ylivieska = session.get_one(Channel, "kelan-palvelupiste-ylivieska")
    assert ylivieska.street_address == "Kyöstintie 8"
    rules = session.scalars(select(HoursRule).where(HoursRule.channel_id == ylivieska.id)).all()
    assert [(r.weekdays, r.start_time.hour, r.end_time.hour) for r in rules] == [("3", 12, 16)]


def test_shipped_data__illustrative_points_are_labelled(session: Session) -> None:
    jyvaskyla = session.get_one(Channel, "jyvaskyla-palvelupiste")
    assert jyvaskyla.provenance == "illustrative"
    assert jyvaskyla.hours_note_en and "not a Kela fact" in jyvaskyla.hours_note_en
    assert jyvaskyla.hours_note_fi and "ei Kelan tieto" in jyvaskyla.hours_note_fi
    assert jyvaskyla.hours_note_sv and "inte en uppgift från FPA" in jyvaskyla.hours_note_sv


def test_shipped_data__keskinen_figures_lost_in_the_scan_are_unknown(session: Session) -> None:
    keskinen = session.get_one(OrgUnit, "keskinen")
    assert keskinen.director == "Petteri Taponen"
    assert keskinen.figures == {
        "staff": None,
        "service_points": None,
        "asiointipisteet": None,
        "lahipalvelupisteet": None,
    }


def test_load__twice_changes_nothing(session: Session) -> None:
    before = session.scalar(select(func.max(Channel.modified_at)))
    stored_calls = session.scalar(select(func.sum(CallInterval.offered)))
    reports = load_all(session, LATER)
    assert {"channel", "expert", "expert_skill", "shift", "room"} <= set(reports)
    # The call history only grows by the days since the first load; none changes.
    history = reports.pop("call_interval")
    assert history.updated == 0 and history.unchanged > 0
    _first, last_loaded = history_window(LOADED_AT)
    new_days = session.scalar(
        select(func.sum(CallInterval.offered)).where(
            CallInterval.starts_at >= datetime.combine(last_loaded, time(23), tzinfo=UTC)
        )
    )
    assert session.scalar(select(func.sum(CallInterval.offered))) == stored_calls + (new_days or 0)
    assert all(r.created == 0 and r.updated == 0 for r in reports.values()), reports
    assert session.scalar(select(func.max(Channel.modified_at))) == before


def test_load__a_changed_source_updates_only_what_changed(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = loader.read_csv

    def edited(name: str) -> list[dict[str, str]]:
        rows = original(name)
        if name == "municipalities.csv":
            for row in rows:
                if row["code"] == "410":
                    row["population"] = "19000"
        return rows

    monkeypatch.setattr(loader, "read_csv", edited)
    reports = loader.load_shipped_data(session, LATER)
    assert (reports["municipality"].updated, reports["municipality"].unchanged) == (1, 307)
    laukaa = session.get_one(Municipality, "410")
    assert (laukaa.population, laukaa.modified_at) == (19000, LATER)
    assert session.get_one(Municipality, "179").modified_at != LATER


def test_load__changed_hours_update_the_channel(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = loader.read_yaml

    def edited(name: str) -> object:
        document = original(name)
        if name == "seed/channels.yaml":
            document["phone_lines"][0]["hours"] = "Mo-Fr 08:00-16:00"
        return document

    monkeypatch.setattr(loader, "read_yaml", edited)
    reports = loader.load_shipped_data(session, LATER)
    assert reports["channel"].updated == 1
    assert session.get_one(Channel, "puhelin-elakkeet").modified_at == LATER
