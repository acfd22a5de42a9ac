"""appointments, call-backs, outbox, users and audit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 04:50:30.646377
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


ACTIVE = "status IN ('held', 'booked')"
OVERLAP = "b.blocked_start < NEW.blocked_end AND NEW.blocked_start < b.blocked_end"


def _sqlite_guard(name: str, event: str, same_row: str) -> str:
    """A trigger that refuses an active booking overlapping another of its expert or room.

    It runs inside the writing transaction, and SQLite has one writer at a time, so the
    check and the write cannot be separated by another booking.
    """
    return f"""
        CREATE TRIGGER {name} BEFORE {event} ON booking
        WHEN NEW.status IN ('held', 'booked')
        BEGIN
            SELECT RAISE(ABORT, 'booking_overlap')
            WHERE EXISTS (
                SELECT 1 FROM booking AS b
                WHERE b.status IN ('held', 'booked') {same_row}
                  AND (b.expert_id = NEW.expert_id
                       OR (NEW.room_id IS NOT NULL AND b.room_id = NEW.room_id))
                  AND {OVERLAP}
            );
        END
    """


def _create_overlap_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE booking ADD CONSTRAINT ex_booking_expert_overlap EXCLUDE USING gist "
            "(expert_id WITH =, tstzrange(blocked_start, blocked_end, '[)') WITH &&) "
            f"WHERE ({ACTIVE})"
        )
        op.execute(
            "ALTER TABLE booking ADD CONSTRAINT ex_booking_room_overlap EXCLUDE USING gist "
            "(room_id WITH =, tstzrange(blocked_start, blocked_end, '[)') WITH &&) "
            f"WHERE ({ACTIVE} AND room_id IS NOT NULL)"
        )
    else:
        op.execute(_sqlite_guard("booking_no_overlap_insert", "INSERT", ""))
        op.execute(
            _sqlite_guard(
                "booking_no_overlap_update",
                "UPDATE OF status, expert_id, room_id, blocked_start, blocked_end",
                "AND b.id != NEW.id",
            )
        )


def _drop_overlap_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE booking DROP CONSTRAINT IF EXISTS ex_booking_expert_overlap")
        op.execute("ALTER TABLE booking DROP CONSTRAINT IF EXISTS ex_booking_room_overlap")
    else:
        op.execute("DROP TRIGGER IF EXISTS booking_no_overlap_insert")
        op.execute("DROP TRIGGER IF EXISTS booking_no_overlap_update")


def upgrade() -> None:
    op.create_table(
        "appointment_type",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("topic_id", sa.String(length=40), nullable=True),
        sa.Column("duration_min", sa.Integer(), nullable=False),
        sa.Column("buffer_before_min", sa.Integer(), nullable=False),
        sa.Column("buffer_after_min", sa.Integer(), nullable=False),
        sa.Column("step_min", sa.Integer(), nullable=False),
        sa.Column("notice_working_days", sa.Integer(), nullable=False),
        sa.Column("horizon_days", sa.Integer(), nullable=False),
        sa.Column("daily_cap", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_appointment_type_topic_id_topic")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_type")),
        sa.UniqueConstraint("kind", "topic_id", name="kind_topic"),
    )
    op.create_table(
        "callback_window",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts", sa.String(length=5), nullable=False),
        sa.Column("ends", sa.String(length=5), nullable=False),
        sa.Column("topic_id", sa.String(length=40), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "used <= capacity", name=op.f("ck_callback_window_used_within_capacity")
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_callback_window_topic_id_topic")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback_window")),
        sa.UniqueConstraint("day", "starts", "topic_id", "lang", name="day_starts_topic_lang"),
    )
    op.create_table(
        "expert",
        sa.Column("id", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("unit_id", sa.String(length=60), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("provenance", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_unit.id"], name=op.f("fk_expert_unit_id_org_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert")),
    )
    op.create_table(
        "absence",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("expert_id", sa.String(length=60), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["expert.id"],
            name=op.f("fk_absence_expert_id_expert"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absence")),
    )
    with op.batch_alter_table("absence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_absence_expert_id"), ["expert_id"], unique=False)

    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("expert_id", sa.String(length=60), nullable=True),
        sa.Column("partner_channel_id", sa.String(length=80), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["expert.id"], name=op.f("fk_app_user_expert_id_expert")
        ),
        sa.ForeignKeyConstraint(
            ["partner_channel_id"],
            ["channel.id"],
            name=op.f("fk_app_user_partner_channel_id_channel"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "callback_request",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=12), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("customer_name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("non_disclosure", sa.Boolean(), nullable=False),
        sa.Column("taken_by", sa.String(length=60), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["taken_by"], ["expert.id"], name=op.f("fk_callback_request_taken_by_expert")
        ),
        sa.ForeignKeyConstraint(
            ["window_id"],
            ["callback_window.id"],
            name=op.f("fk_callback_request_window_id_callback_window"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback_request")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_callback_request_idempotency_key")),
        sa.UniqueConstraint("reference", name=op.f("uq_callback_request_reference")),
    )
    with op.batch_alter_table("callback_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_callback_request_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_callback_request_window_id"), ["window_id"], unique=False
        )

    op.create_table(
        "expert_language",
        sa.Column("expert_id", sa.String(length=60), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["expert.id"],
            name=op.f("fk_expert_language_expert_id_expert"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("expert_id", "lang", name=op.f("pk_expert_language")),
    )
    with op.batch_alter_table("expert_language", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expert_language_lang"), ["lang"], unique=False)

    op.create_table(
        "expert_topic",
        sa.Column("expert_id", sa.String(length=60), nullable=False),
        sa.Column("topic_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["expert.id"],
            name=op.f("fk_expert_topic_expert_id_expert"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"], ["topic.id"], name=op.f("fk_expert_topic_topic_id_topic")
        ),
        sa.PrimaryKeyConstraint("expert_id", "topic_id", name=op.f("pk_expert_topic")),
    )
    with op.batch_alter_table("expert_topic", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expert_topic_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "room",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("channel_id", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("hours", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channel.id"], name=op.f("fk_room_channel_id_channel")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room")),
    )
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_channel_id"), ["channel_id"], unique=False)

    op.create_table(
        "shift",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("expert_id", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("channel_id", sa.String(length=80), nullable=True),
        sa.Column("hours", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channel.id"], name=op.f("fk_shift_channel_id_channel")
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["expert.id"], name=op.f("fk_shift_expert_id_expert"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift")),
    )
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shift_expert_id"), ["expert_id"], unique=False)

    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_api_token_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "booking",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=12), nullable=False),
        sa.Column("manage_token_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("topic_id", sa.String(length=40), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("expert_id", sa.String(length=60), nullable=False),
        sa.Column("room_id", sa.String(length=80), nullable=True),
        sa.Column("channel_id", sa.String(length=80), nullable=True),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hold_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("customer_name", sa.String(length=200), nullable=False),
        sa.Column("hetu", sa.String(length=11), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("non_disclosure", sa.Boolean(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("booked_by", sa.String(length=60), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('held', 'booked', 'cancelled', 'completed', 'no_show', 'expired')",
            name=op.f("ck_booking_known_status"),
        ),
        sa.CheckConstraint(
            "blocked_start <= start_at AND end_at <= blocked_end",
            name=op.f("ck_booking_blocked_covers_booking"),
        ),
        sa.CheckConstraint("start_at < end_at", name=op.f("ck_booking_start_before_end")),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channel.id"], name=op.f("fk_booking_channel_id_channel")
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["expert.id"], name=op.f("fk_booking_expert_id_expert")
        ),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"], name=op.f("fk_booking_room_id_room")),
        sa.ForeignKeyConstraint(["topic_id"], ["topic.id"], name=op.f("fk_booking_topic_id_topic")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_booking_idempotency_key")),
        sa.UniqueConstraint("reference", name=op.f("uq_booking_reference")),
    )
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.create_index(
            "ix_booking_expert_blocked", ["expert_id", "blocked_start"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_booking_hetu"), ["hetu"], unique=False)
        batch_op.create_index(batch_op.f("ix_booking_room_id"), ["room_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_booking_status"), ["status"], unique=False)

    op.create_table(
        "callback_attempt",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.String(length=60), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["expert.id"], name=op.f("fk_callback_attempt_expert_id_expert")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["callback_request.id"],
            name=op.f("fk_callback_attempt_request_id_callback_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback_attempt")),
    )
    with op.batch_alter_table("callback_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_callback_attempt_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("callback_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["booking.id"], name=op.f("fk_audit_entry_booking_id_booking")
        ),
        sa.ForeignKeyConstraint(
            ["callback_id"],
            ["callback_request.id"],
            name=op.f("fk_audit_entry_callback_id_callback_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_booking_id"), ["booking_id"], unique=False)

    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("medium", sa.String(length=10), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("ics", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["booking.id"], name=op.f("fk_outbox_message_booking_id_booking")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_message_booking_id"), ["booking_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_message_not_before"), ["not_before"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outbox_message_status"), ["status"], unique=False)
    _create_overlap_guards()


def downgrade() -> None:
    _drop_overlap_guards()
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_status"))
        batch_op.drop_index(batch_op.f("ix_outbox_message_not_before"))
        batch_op.drop_index(batch_op.f("ix_outbox_message_booking_id"))

    op.drop_table("outbox_message")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_booking_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_at"))

    op.drop_table("audit_entry")
    with op.batch_alter_table("callback_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_callback_attempt_request_id"))

    op.drop_table("callback_attempt")
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_status"))
        batch_op.drop_index(batch_op.f("ix_booking_room_id"))
        batch_op.drop_index(batch_op.f("ix_booking_hetu"))
        batch_op.drop_index("ix_booking_expert_blocked")

    op.drop_table("booking")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))

    op.drop_table("api_token")
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shift_expert_id"))

    op.drop_table("shift")
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_channel_id"))

    op.drop_table("room")
    with op.batch_alter_table("expert_topic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_topic_topic_id"))

    op.drop_table("expert_topic")
    with op.batch_alter_table("expert_language", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_language_lang"))

    op.drop_table("expert_language")
    with op.batch_alter_table("callback_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_callback_request_window_id"))
        batch_op.drop_index(batch_op.f("ix_callback_request_status"))

    op.drop_table("callback_request")
    op.drop_table("app_user")
    with op.batch_alter_table("absence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_absence_expert_id"))

    op.drop_table("absence")
    op.drop_table("expert")
    op.drop_table("callback_window")
    op.drop_table("appointment_type")
