"""courses: courses and their dates, enrolments with waiting list, sessions, attendance

Revision ID: 6cb82daee705
Revises: (none)
Create Date: 2026-11-26 01:45:51.281074
"""

import sqlalchemy as sa
from alembic import op

revision = "6cb82daee705"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("womens_courses_course",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("title", sa.String(length=160), nullable=False),
    sa.Column("kind", sa.String(length=20), nullable=False),
    sa.Column("level", sa.String(length=60), nullable=False),
    sa.Column("teacher_id", sa.Integer(), nullable=True),
    sa.Column("places", sa.Integer(), nullable=False),
    sa.Column("childcare_places", sa.Integer(), nullable=False),
    sa.Column("drop_in", sa.Boolean(), nullable=False),
    sa.Column("note", sa.Text(), nullable=False),
    sa.Column("active", sa.Boolean(), nullable=False),
    sa.Column("lock_version", sa.Integer(), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(["teacher_id"], ["user.id"], name=op.f("fk_womens_courses_course_teacher_id_user"), ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_womens_courses_course"))
    )
    op.create_table("womens_courses_course_offer",
    sa.Column("course_id", sa.Integer(), nullable=False),
    sa.Column("offer_id", sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(["course_id"], ["womens_courses_course.id"], name=op.f("fk_womens_courses_course_offer_course_id_womens_courses_course"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["offer_id"], ["offer.id"], name=op.f("fk_womens_courses_course_offer_offer_id_offer"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("course_id", "offer_id", name=op.f("pk_womens_courses_course_offer")),
    sa.UniqueConstraint("offer_id", name=op.f("uq_womens_courses_course_offer_offer_id"))
    )
    op.create_table("womens_courses_enrolment",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("course_id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=True),
    sa.Column("status", sa.String(length=20), nullable=False),
    sa.Column("needs_childcare", sa.Boolean(), nullable=False),
    sa.Column("reading_language", sa.String(length=10), nullable=True),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("enrolled_at", sa.DateTime(), nullable=True),
    sa.Column("left_at", sa.DateTime(), nullable=True),
    sa.Column("moved_up_at", sa.DateTime(), nullable=True),
    sa.Column("to_call", sa.Boolean(), nullable=False),
    sa.Column("called_at", sa.DateTime(), nullable=True),
    sa.Column("called_by_id", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["called_by_id"], ["user.id"], name=op.f("fk_womens_courses_enrolment_called_by_id_user"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["course_id"], ["womens_courses_course.id"], name=op.f("fk_womens_courses_enrolment_course_id_womens_courses_course"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_womens_courses_enrolment_person_id_person"), ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_womens_courses_enrolment"))
    )
    with op.batch_alter_table("womens_courses_enrolment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_womens_courses_enrolment_course_id"), ["course_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_womens_courses_enrolment_person_id"), ["person_id"], unique=False)

    op.create_table("womens_courses_session",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("course_id", sa.Integer(), nullable=False),
    sa.Column("day", sa.Date(), nullable=False),
    sa.Column("offer_id", sa.Integer(), nullable=True),
    sa.Column("drop_ins", sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(["course_id"], ["womens_courses_course.id"], name=op.f("fk_womens_courses_session_course_id_womens_courses_course"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["offer_id"], ["offer.id"], name=op.f("fk_womens_courses_session_offer_id_offer"), ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_womens_courses_session")),
    sa.UniqueConstraint("course_id", "day", name=op.f("uq_womens_courses_session_course_id"))
    )
    with op.batch_alter_table("womens_courses_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_womens_courses_session_course_id"), ["course_id"], unique=False)

    op.create_table("womens_courses_attendance",
    sa.Column("session_id", sa.Integer(), nullable=False),
    sa.Column("enrolment_id", sa.Integer(), nullable=False),
    sa.Column("present", sa.Boolean(), nullable=False),
    sa.Column("marked_at", sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(["enrolment_id"], ["womens_courses_enrolment.id"], name=op.f("fk_womens_courses_attendance_enrolment_id_womens_courses_enrolment"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["session_id"], ["womens_courses_session.id"], name=op.f("fk_womens_courses_attendance_session_id_womens_courses_session"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("session_id", "enrolment_id", name=op.f("pk_womens_courses_attendance"))
    )


def downgrade() -> None:
    op.drop_table("womens_courses_attendance")
    with op.batch_alter_table("womens_courses_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_womens_courses_session_course_id"))

    op.drop_table("womens_courses_session")
    with op.batch_alter_table("womens_courses_enrolment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_womens_courses_enrolment_person_id"))
        batch_op.drop_index(batch_op.f("ix_womens_courses_enrolment_course_id"))

    op.drop_table("womens_courses_enrolment")
    op.drop_table("womens_courses_course_offer")
    op.drop_table("womens_courses_course")
