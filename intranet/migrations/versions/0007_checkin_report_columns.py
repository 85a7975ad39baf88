"""a check-in's local hour and wait in seconds, and indexes for the reports' groupings

The reports counted hours and waits by reading every check-in's two timestamps: about
0.7 s of a year's report on a two-year database (bench/README.md). Stored, they are
grouped in SQL, each grouping read from an index in its
order.

Revision ID: 7e4a1b2c9d60
Revises: 6c2d9e1f3a55
Create Date: 2026-12-03 13:00:00
"""

from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op
from flask import current_app, has_app_context

revision = '7e4a1b2c9d60'
down_revision = '6c2d9e1f3a55'
branch_labels = None
depends_on = None

BATCH = 5000
INDEXES = {
    'ix_checkin_facets': ['plugin', 'purpose', 'language', 'first_visit', 'day'],
    'ix_checkin_area_waits': ['plugin', 'wait_seconds', 'status', 'day'],
    'ix_checkin_hour_waits': ['hour', 'wait_seconds', 'status', 'day'],
    'ix_checkin_day_hour': ['day', 'hour', 'person_id'],
}


def upgrade() -> None:
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hour', sa.SmallInteger(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('wait_seconds', sa.Integer(), nullable=True))
    _fill()
    for name, columns in INDEXES.items():
        op.create_index(name, 'checkin', columns)


def _fill() -> None:
    """Work out both columns for the check-ins already stored (in the app's time zone)."""
    zone = ZoneInfo(current_app.config["DEFAULT_TIMEZONE"] if has_app_context()
                    else "Europe/Berlin")
    checkin = sa.table('checkin', sa.column('id', sa.Integer), sa.column('hour', sa.Integer),
                       sa.column('wait_seconds', sa.Integer),
                       sa.column('created_at', sa.DateTime), sa.column('called_at', sa.DateTime))
    bind = op.get_bind()
    rows = bind.execute(sa.select(checkin.c.id, checkin.c.created_at, checkin.c.called_at)).all()
    changes = []
    for row_id, created, called in rows:
        waited = None
        if created is not None and called is not None and called >= created:
            waited = int((called - created).total_seconds())
        hour = created.replace(tzinfo=UTC).astimezone(zone).hour if created else 0
        changes.append({"row_id": row_id, "hour": hour, "waited": waited})
    statement = (sa.update(checkin).where(checkin.c.id == sa.bindparam("row_id"))
                 .values(hour=sa.bindparam("hour"), wait_seconds=sa.bindparam("waited")))
    for start in range(0, len(changes), BATCH):
        bind.execute(statement, changes[start:start + BATCH])


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name='checkin')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_column('wait_seconds')
        batch_op.drop_column('hour')
