"""check-in tokens, kiosk and the per-day number counter

Revision ID: 7c1f2a9d0e11
Revises: 9cce3c8f4b42
Create Date: 2026-11-26 01:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = '7c1f2a9d0e11'
down_revision = '9cce3c8f4b42'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('checkin_counter',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_checkin_counter'))
    )
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('kiosk_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_checkin_token'), ['token'])


def downgrade() -> None:
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_checkin_token'), type_='unique')
        batch_op.drop_column('kiosk_id')
        batch_op.drop_column('token')
    op.drop_table('checkin_counter')
