"""an index on a check-in's person and day: "seen before this period?" in the reports

Without it the report's returning-people count is a correlated scan of every check-in
per person: 88 s for a year on a two-year database (bench/seed_two_years.py).

Revision ID: 6c2d9e1f3a55
Revises: 5b81c0d4e2a7
Create Date: 2026-12-03 09:15:00
"""

from alembic import op

revision = '6c2d9e1f3a55'
down_revision = '5b81c0d4e2a7'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_checkin_person_day', 'checkin', ['person_id', 'day'])


def downgrade() -> None:
    op.drop_index('ix_checkin_person_day', table_name='checkin')
