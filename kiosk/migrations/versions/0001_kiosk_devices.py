"""kiosk devices

Revision ID: 3b8e5f0c2a71
Revises: (none)
Create Date: 2026-11-26 01:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '3b8e5f0c2a71'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kiosk_device',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('pairing_code_hash', sa.String(length=64), nullable=True),
    sa.Column('pairing_expires_at', sa.DateTime(), nullable=True),
    sa.Column('secret_hash', sa.String(length=64), nullable=True),
    sa.Column('paired_at', sa.DateTime(), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_kiosk_device_created_by_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_device')),
    sa.UniqueConstraint('pairing_code_hash', name=op.f('uq_kiosk_device_pairing_code_hash'))
    )


def downgrade() -> None:
    op.drop_table('kiosk_device')
