"""availability version, and bookings found by their blocked range

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables whose rows decide who can serve when; any change to them changes the version.
WATCHED = (
    "expert",
    "expert_topic",
    "expert_language",
    "shift",
    "absence",
    "room",
    "appointment_type",
    "topic",
)
# A new random value, never the next number: a change that is rolled back must not leave
# behind a version that a later, different change would take again.
_PG_NEW_VERSION = "floor(random() * 9007199254740991)::bigint"
_SQLITE_NEW_VERSION = "random()"


def upgrade() -> None:
    op.create_table(
        "availability_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_availability_version")),
    )
    op.create_index("ix_booking_blocked_start", "booking", ["blocked_start"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"INSERT INTO availability_version (id, version) VALUES (1, {_PG_NEW_VERSION})")
        op.execute(
            "CREATE FUNCTION new_availability_version() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN UPDATE availability_version SET version = {_PG_NEW_VERSION}; RETURN NULL; "
            "END $$"
        )
        for table in WATCHED:
            op.execute(
                f"CREATE TRIGGER {table}_availability AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
                f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION new_availability_version()"
            )
    else:
        op.execute(
            f"INSERT INTO availability_version (id, version) VALUES (1, {_SQLITE_NEW_VERSION})"
        )
        for table in WATCHED:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_availability_{event.lower()} AFTER {event} ON {table}"
                    f" BEGIN UPDATE availability_version SET version = {_SQLITE_NEW_VERSION}; END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_availability ON {table}")
        op.execute("DROP FUNCTION IF EXISTS new_availability_version()")
    else:
        for table in WATCHED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_availability_{event}")
    op.drop_index("ix_booking_blocked_start", table_name="booking")
    op.drop_table("availability_version")
