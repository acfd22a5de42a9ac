"""channels' hours notes and events' notes in fi, sv and en, as names are

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> the single-language column that becomes three
COLUMNS = {"channel": "hours_note", "channel_event": "note"}
LANGS = ("fi", "sv", "en")


# Plain ALTER TABLE (SQLite 3.35 and later drop a column in place): a batch copy of
# `channel` would drop a table that bookings and rules refer to.


def upgrade() -> None:
    for table, column in COLUMNS.items():
        for lang in LANGS:
            op.add_column(table, sa.Column(f"{column}_{lang}", sa.Text(), nullable=True))
        # The notes written so far were English.
        op.execute(f"UPDATE {table} SET {column}_en = {column}")
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


def downgrade() -> None:
    for table, column in COLUMNS.items():
        op.add_column(table, sa.Column(column, sa.Text(), nullable=True))
        op.execute(f"UPDATE {table} SET {column} = COALESCE({column}_en, {column}_fi, {column}_sv)")
        for lang in LANGS:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}_{lang}")
