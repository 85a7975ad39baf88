"""library loans

Revision ID: 5d1c0a7e9b42
Revises: (none)
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '5d1c0a7e9b42'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mittelpunkt_library_loan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mittelpunkt_library_loan'))
    )


def downgrade() -> None:
    op.drop_table('mittelpunkt_library_loan')
