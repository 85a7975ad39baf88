"""an index on a check-in's kiosk and time: the kiosk's throttle on every check-in

"More check-ins from this kiosk in the last minute than a queue of people can make?"
was a scan of every check-in ever stored: 54 check-ins/s instead of 185 at 4
connections on a two-year database (bench/results.md).

Revision ID: 8f5b2c3d0e71
Revises: 7e4a1b2c9d60
Create Date: 2026-12-03 14:05:00
"""

from alembic import op

revision = '8f5b2c3d0e71'
down_revision = '7e4a1b2c9d60'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_checkin_kiosk_created', 'checkin', ['kiosk_id', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_checkin_kiosk_created', table_name='checkin')
