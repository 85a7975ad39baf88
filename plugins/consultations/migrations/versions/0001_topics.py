"""topics: the consultations_topic table (admin-editable consultation topics)

Revision ID: 9e2717dba339
Revises: (none)
Create Date: 2026-11-26 00:45:48.323789
"""

import sqlalchemy as sa
from alembic import op

revision = "9e2717dba339"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consultations_topic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations_topic")),
        sa.UniqueConstraint("key", name=op.f("uq_consultations_topic_key")),
    )


def downgrade() -> None:
    op.drop_table("consultations_topic")
