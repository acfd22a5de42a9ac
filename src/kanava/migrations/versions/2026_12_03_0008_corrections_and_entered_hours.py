"""a manager's corrections, recorded (who, when, what was there before), and hours
rules entered by hand kept apart from loaded ones

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("target", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.String(length=80), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.String(length=80), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_correction_target", "correction", ["target", "target_id"])
    op.add_column("hours_rule", sa.Column("entered_by", sa.String(length=80), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE hours_rule DROP COLUMN entered_by")
    op.drop_index("ix_correction_target", table_name="correction")
    op.drop_table("correction")
