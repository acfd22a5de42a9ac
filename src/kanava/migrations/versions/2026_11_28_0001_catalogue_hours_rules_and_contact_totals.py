"""catalogue, hours rules and contact totals

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-28 04:07:56.099316
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "municipality",
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("name_fi", sa.String(length=80), nullable=False),
        sa.Column("name_sv", sa.String(length=80), nullable=True),
        sa.Column("region_fi", sa.String(length=80), nullable=False),
        sa.Column("welfare_area_fi", sa.String(length=120), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("kela_service_area_code", sa.Integer(), nullable=True),
        sa.Column("housing_allowance_group", sa.String(length=40), nullable=True),
        sa.Column("provenance", sa.String(length=20), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_municipality")),
    )
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_municipality_modified_at"), ["modified_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_municipality_name_fi"), ["name_fi"], unique=False)
        batch_op.create_index(batch_op.f("ix_municipality_region_fi"), ["region_fi"], unique=False)

    op.create_table(
        "org_unit",
        sa.Column("id", sa.String(length=60), nullable=False),
        sa.Column("parent_id", sa.String(length=60), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("description_fi", sa.Text(), nullable=True),
        sa.Column("description_sv", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("director", sa.String(length=120), nullable=True),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("welfare_areas", sa.JSON(), nullable=False),
        sa.Column("kela_service_area_code", sa.Integer(), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("figures_note", sa.Text(), nullable=True),
        sa.Column("name_fi", sa.String(length=200), nullable=False),
        sa.Column("name_sv", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("provenance", sa.String(length=20), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["org_unit.id"], name=op.f("fk_org_unit_parent_id_org_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_unit")),
    )
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_unit_modified_at"), ["modified_at"], unique=False)

    op.create_table(
        "topic",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_fi", sa.String(length=200), nullable=False),
        sa.Column("name_sv", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic")),
    )
    op.create_table(
        "channel",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("unit_id", sa.String(length=60), nullable=True),
        sa.Column("topic_id", sa.String(length=40), nullable=True),
        sa.Column("description_fi", sa.Text(), nullable=True),
        sa.Column("description_sv", sa.Text(), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("url_fi", sa.String(length=300), nullable=True),
        sa.Column("url_sv", sa.String(length=300), nullable=True),
        sa.Column("url_en", sa.String(length=300), nullable=True),
        sa.Column("phone_number", sa.String(length=30), nullable=True),
        sa.Column("phone_display", sa.String(length=30), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("street_address", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=5), nullable=True),
        sa.Column("post_office", sa.String(length=80), nullable=True),
        sa.Column("municipality_code", sa.String(length=3), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("host_organisation", sa.String(length=200), nullable=True),
        sa.Column("host_channel_id", sa.String(length=80), nullable=True),
        sa.Column("appointment_only", sa.Boolean(), nullable=False),
        sa.Column("video_service", sa.Boolean(), nullable=False),
        sa.Column("open_days_per_week", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_date", sa.String(length=10), nullable=True),
        sa.Column("timezone", sa.String(length=40), nullable=False),
        sa.Column("closed_on_holidays", sa.Boolean(), nullable=False),
        sa.Column("hours_note", sa.Text(), nullable=True),
        sa.Column("guide_section", sa.String(length=20), nullable=True),
        sa.Column("ptv_id", sa.String(length=36), nullable=True),
        sa.Column("name_fi", sa.String(length=200), nullable=False),
        sa.Column("name_sv", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("provenance", sa.String(length=20), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_channel_id"], ["channel.id"], name=op.f("fk_channel_host_channel_id_channel")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipality.code"],
            name=op.f("fk_channel_municipality_code_municipality"),
        ),
        sa.ForeignKeyConstraint(["topic_id"], ["topic.id"], name=op.f("fk_channel_topic_id_topic")),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_unit.id"], name=op.f("fk_channel_unit_id_org_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel")),
        sa.UniqueConstraint("ptv_id", name=op.f("uq_channel_ptv_id")),
    )
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_channel_modified_at"), ["modified_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_channel_municipality_code"), ["municipality_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_channel_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_channel_topic_id"), ["topic_id"], unique=False)

    op.create_table(
        "postal_area",
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("name_fi", sa.String(length=120), nullable=False),
        sa.Column("municipality_code", sa.String(length=3), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("provenance", sa.String(length=20), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("last_verified", sa.Date(), nullable=True),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_code"],
            ["municipality.code"],
            name=op.f("fk_postal_area_municipality_code_municipality"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_postal_area")),
    )
    with op.batch_alter_table("postal_area", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_postal_area_modified_at"), ["modified_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_postal_area_municipality_code"), ["municipality_code"], unique=False
        )

    op.create_table(
        "channel_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel_id", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("on_date", sa.String(length=10), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("provenance", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channel.id"],
            name=op.f("fk_channel_event_channel_id_channel"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_event")),
    )
    with op.batch_alter_table("channel_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_channel_event_channel_id"), ["channel_id"], unique=False
        )

    op.create_table(
        "contact_total",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("series", sa.String(length=60), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("channel_id", sa.String(length=80), nullable=True),
        sa.Column("label_fi", sa.String(length=200), nullable=False),
        sa.Column("label_sv", sa.String(length=200), nullable=True),
        sa.Column("label_en", sa.String(length=200), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=30), nullable=False),
        sa.Column("approximate", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("provenance", sa.String(length=20), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channel.id"], name=op.f("fk_contact_total_channel_id_channel")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_total")),
        sa.UniqueConstraint("series", "period", name="series_period"),
    )
    op.create_table(
        "hours_rule",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel_id", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("holiday", sa.String(length=40), nullable=True),
        sa.Column("weekdays", sa.String(length=7), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("ends_next_day", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(start_time IS NULL) = (end_time IS NULL)",
            name=op.f("ck_hours_rule_times_given_together"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to",
            name=op.f("ck_hours_rule_valid_from_not_after_valid_to"),
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channel.id"],
            name=op.f("fk_hours_rule_channel_id_channel"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hours_rule")),
    )
    with op.batch_alter_table("hours_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hours_rule_channel_id"), ["channel_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hours_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hours_rule_channel_id"))

    op.drop_table("hours_rule")
    op.drop_table("contact_total")
    with op.batch_alter_table("channel_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_event_channel_id"))

    op.drop_table("channel_event")
    with op.batch_alter_table("postal_area", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_postal_area_municipality_code"))
        batch_op.drop_index(batch_op.f("ix_postal_area_modified_at"))

    op.drop_table("postal_area")
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_topic_id"))
        batch_op.drop_index(batch_op.f("ix_channel_status"))
        batch_op.drop_index(batch_op.f("ix_channel_municipality_code"))
        batch_op.drop_index(batch_op.f("ix_channel_modified_at"))
        batch_op.drop_index(batch_op.f("ix_channel_kind"))

    op.drop_table("channel")
    op.drop_table("topic")
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_unit_modified_at"))

    op.drop_table("org_unit")
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_municipality_region_fi"))
        batch_op.drop_index(batch_op.f("ix_municipality_name_fi"))
        batch_op.drop_index(batch_op.f("ix_municipality_modified_at"))

    op.drop_table("municipality")
