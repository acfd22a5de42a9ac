"""contact events

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contact_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=60), nullable=False),
        sa.Column("source_id", sa.String(length=80), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("place_id", sa.String(length=80), nullable=True),
        sa.Column("topic_id", sa.String(length=40), nullable=True),
        sa.Column("lang", sa.String(length=2), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("wait_seconds", sa.Integer(), nullable=True),
        sa.Column("handle_seconds", sa.Integer(), nullable=True),
        sa.Column("provenance", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_id"], ["channel.id"], name=op.f("fk_contact_event_place_id_channel")
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_contact_event_topic_id_topic")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_event")),
        sa.UniqueConstraint("source", "source_id", name="source_record"),
    )
    op.create_index(
        op.f("ix_contact_event_occurred_at"), "contact_event", ["occurred_at"], unique=False
    )
    op.create_index(op.f("ix_contact_event_place_id"), "contact_event", ["place_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_contact_event_place_id"), table_name="contact_event")
    op.drop_index(op.f("ix_contact_event_occurred_at"), table_name="contact_event")
    op.drop_table("contact_event")
