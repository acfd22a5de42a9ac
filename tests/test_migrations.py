"""Migrations run forwards and backwards on each backend, and match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from kanava.config import Settings
from kanava.db import Base, make_engine
from kanava.migrate import downgrade, upgrade

TABLES = {
    "org_unit",
    "municipality",
    "postal_area",
    "topic",
    "channel",
    "channel_event",
    "hours_rule",
    "contact_total",
}


def test_upgrade_downgrade_upgrade__round_trip(empty_url: str) -> None:
    engine = make_engine(Settings(database_url=empty_url))
    assert set(inspect(engine).get_table_names()) >= TABLES
    downgrade(engine, "base")
    assert not TABLES & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()


def test_migrations__match_the_models(empty_url: str) -> None:
    engine = make_engine(Settings(database_url=empty_url))
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []
