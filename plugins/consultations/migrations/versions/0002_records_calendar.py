"""records: consultations, consent, releases from confidentiality, appointment calendar

Revision ID: ce5591829a0d
Revises: 9e2717dba339
Create Date: 2026-11-26 01:42:18.734035
"""

import sqlalchemy as sa
from alembic import op

revision = "ce5591829a0d"
down_revision = "9e2717dba339"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consultations_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_consultations_consent_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["user.id"],
            name=op.f("fk_consultations_consent_recorded_by_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations_consent")),
    )
    with op.batch_alter_table("consultations_consent", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultations_consent_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "consultations_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.String(length=300), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_consultations_release_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["user.id"],
            name=op.f("fk_consultations_release_recorded_by_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations_release")),
    )
    with op.batch_alter_table("consultations_release", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultations_release_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "consultations_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("room", sa.String(length=120), nullable=False),
        sa.Column("interpreter_language", sa.String(length=10), nullable=True),
        sa.Column("counsellor_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["counsellor_id"],
            ["user.id"],
            name=op.f("fk_consultations_slot_counsellor_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user.id"],
            name=op.f("fk_consultations_slot_created_by_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations_slot")),
    )
    with op.batch_alter_table("consultations_slot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultations_slot_starts_at"), ["starts_at"], unique=False
        )

    op.create_table(
        "consultations_booking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("booked_by", sa.Integer(), nullable=True),
        sa.Column("booked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booked_by"],
            ["user.id"],
            name=op.f("fk_consultations_booking_booked_by_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_consultations_booking_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["consultations_slot.id"],
            name=op.f("fk_consultations_booking_slot_id_consultations_slot"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations_booking")),
        sa.UniqueConstraint("slot_id", name=op.f("uq_consultations_booking_slot_id")),
    )
    with op.batch_alter_table("consultations_booking", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultations_booking_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "consultations_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("checkin_id", sa.Integer(), nullable=True),
        sa.Column("slot_id", sa.Integer(), nullable=True),
        sa.Column("held_at", sa.DateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("interpreter_language", sa.String(length=10), nullable=True),
        sa.Column("interpreter_name", sa.String(length=120), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("referral", sa.String(length=200), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("follow_up_done", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["checkin.id"],
            name=op.f("fk_consultations_record_checkin_id_checkin"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_consultations_record_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["consultations_slot.id"],
            name=op.f("fk_consultations_record_slot_id_consultations_slot"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["user.id"],
            name=op.f("fk_consultations_record_staff_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations_record")),
        sa.UniqueConstraint("checkin_id", name=op.f("uq_consultations_record_checkin_id")),
        sa.UniqueConstraint("slot_id", name=op.f("uq_consultations_record_slot_id")),
    )
    with op.batch_alter_table("consultations_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultations_record_follow_up_on"), ["follow_up_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_consultations_record_held_at"), ["held_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_consultations_record_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "consultations_record_topic",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["consultations_record.id"],
            name=op.f("fk_consultations_record_topic_record_id_consultations_record"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["consultations_topic.id"],
            name=op.f("fk_consultations_record_topic_topic_id_consultations_topic"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "record_id", "topic_id", name=op.f("pk_consultations_record_topic")
        ),
    )


def downgrade() -> None:
    op.drop_table("consultations_record_topic")
    with op.batch_alter_table("consultations_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultations_record_person_id"))
        batch_op.drop_index(batch_op.f("ix_consultations_record_held_at"))
        batch_op.drop_index(batch_op.f("ix_consultations_record_follow_up_on"))

    op.drop_table("consultations_record")
    with op.batch_alter_table("consultations_booking", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultations_booking_person_id"))

    op.drop_table("consultations_booking")
    with op.batch_alter_table("consultations_slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultations_slot_starts_at"))

    op.drop_table("consultations_slot")
    with op.batch_alter_table("consultations_release", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultations_release_person_id"))

    op.drop_table("consultations_release")
    with op.batch_alter_table("consultations_consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultations_consent_person_id"))

    op.drop_table("consultations_consent")
