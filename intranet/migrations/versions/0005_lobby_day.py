"""a lobby day: urgent tickets, a staff member's queue room, translated room names,
offers that open a kiosk purpose

Revision ID: 5b81c0d4e2a7
Revises: 9d3e5a7b1c40
Create Date: 2026-12-02 19:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '5b81c0d4e2a7'
down_revision = '9d3e5a7b1c40'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgent', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue_room', sa.String(length=120), nullable=True))
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=False,
                                      server_default='{}'))
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kiosk_purpose', sa.String(length=160), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.drop_column('kiosk_purpose')
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.drop_column('translations')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('queue_room')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_column('urgent')
