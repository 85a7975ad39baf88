"""a check-in's wait in tenths of a minute instead of seconds, and its two indexes

The reports group waits by the tenth of a minute they show. Grouped by an expression
of the seconds, SQLite sorted a year's 75,000 check-ins twice (0.11 s of the yearly
report on a two-year database, bench/results.md); grouped by the stored tenths, each
grouping reads its index in order.

Revision ID: 9a6c3d4e1f82
Revises: 8f5b2c3d0e71
Create Date: 2026-12-03 16:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '9a6c3d4e1f82'
down_revision = '8f5b2c3d0e71'
branch_labels = None
depends_on = None

OLD = {
    'ix_checkin_area_waits': ['plugin', 'wait_seconds', 'status', 'day'],
    'ix_checkin_hour_waits': ['hour', 'wait_seconds', 'status', 'day'],
}
NEW = {
    'ix_checkin_area_tenths': ['plugin', 'wait_tenths', 'status', 'day'],
    'ix_checkin_hour_tenths': ['hour', 'wait_tenths', 'status', 'day'],
}


def upgrade() -> None:
    for name in OLD:
        op.drop_index(name, table_name='checkin')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wait_tenths', sa.Integer(), nullable=True))
    # Rounded to the nearest tenth, as intranet.checkins.models.wait_tenths does (both
    # databases divide integers without a remainder).
    op.execute("UPDATE checkin SET wait_tenths = (wait_seconds + 3) / 6 "
               "WHERE wait_seconds IS NOT NULL")
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_column('wait_seconds')
    for name, columns in NEW.items():
        op.create_index(name, 'checkin', columns)


def downgrade() -> None:
    for name in NEW:
        op.drop_index(name, table_name='checkin')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wait_seconds', sa.Integer(), nullable=True))
    op.execute("UPDATE checkin SET wait_seconds = wait_tenths * 6 "
               "WHERE wait_tenths IS NOT NULL")
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_column('wait_tenths')
    for name, columns in OLD.items():
        op.create_index(name, 'checkin', columns)
