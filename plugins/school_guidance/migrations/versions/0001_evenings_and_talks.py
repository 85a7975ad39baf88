"""evenings and talks: parents' evenings with attendance by language, guidance talks
with referrals

Revision ID: a3975a2e12c2
Revises: (none)
Create Date: 2026-11-26 01:46:38.914783
"""

import sqlalchemy as sa
from alembic import op

revision = "a3975a2e12c2"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "school_guidance_evening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("parents", sa.Integer(), nullable=True),
        sa.Column("families", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_school_guidance_evening_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["offer.id"],
            name=op.f("fk_school_guidance_evening_offer_id_offer"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_guidance_evening")),
    )
    with op.batch_alter_table("school_guidance_evening", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_guidance_evening_day"), ["day"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_school_guidance_evening_offer_id"), ["offer_id"], unique=False
        )

    op.create_table(
        "school_guidance_talk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("age_group", sa.String(length=20), nullable=False),
        sa.Column("school_type", sa.String(length=30), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("next_step", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_school_guidance_talk_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["user.id"],
            name=op.f("fk_school_guidance_talk_staff_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_guidance_talk")),
    )
    with op.batch_alter_table("school_guidance_talk", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_guidance_talk_day"), ["day"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_school_guidance_talk_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "school_guidance_evening_language",
        sa.Column("evening_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("parents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evening_id"],
            ["school_guidance_evening.id"],
            name="fk_school_guidance_evening_language_evening",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "evening_id", "language", name=op.f("pk_school_guidance_evening_language")
        ),
    )
    op.create_table(
        "school_guidance_referral",
        sa.Column("talk_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["talk_id"],
            ["school_guidance_talk.id"],
            name=op.f("fk_school_guidance_referral_talk_id_school_guidance_talk"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("talk_id", "kind", name=op.f("pk_school_guidance_referral")),
    )


def downgrade() -> None:
    op.drop_table("school_guidance_referral")
    op.drop_table("school_guidance_evening_language")
    with op.batch_alter_table("school_guidance_talk", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_guidance_talk_person_id"))
        batch_op.drop_index(batch_op.f("ix_school_guidance_talk_day"))

    op.drop_table("school_guidance_talk")
    with op.batch_alter_table("school_guidance_evening", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_guidance_evening_offer_id"))
        batch_op.drop_index(batch_op.f("ix_school_guidance_evening_day"))

    op.drop_table("school_guidance_evening")
