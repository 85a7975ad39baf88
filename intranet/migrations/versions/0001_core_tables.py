"""core tables

Revision ID: 9cce3c8f4b42
Revises: (none)
Create Date: 2026-11-26 00:40:44.474478
"""

import sqlalchemy as sa
from alembic import op

revision = '9cce3c8f4b42'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_area', sa.String(length=80), nullable=False),
    sa.Column('titles', sa.JSON(), nullable=False),
    sa.Column('descriptions', sa.JSON(), nullable=False),
    sa.Column('room', sa.String(length=120), nullable=False),
    sa.Column('first_date', sa.Date(), nullable=False),
    sa.Column('last_date', sa.Date(), nullable=True),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('weekly', sa.Boolean(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('childcare', sa.Boolean(), nullable=False),
    sa.Column('registration_needed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offer'))
    )
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_service_area'), ['service_area'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('nickname', sa.String(length=80), nullable=False),
    sa.Column('year_of_birth', sa.Integer(), nullable=True),
    sa.Column('gender', sa.String(length=20), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('country_of_origin', sa.String(length=2), nullable=True),
    sa.Column('first_visit', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('code', name=op.f('uq_person_code'))
    )
    op.create_table('plugin_state',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_error_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_plugin_state'))
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('username', name=op.f('uq_user_username'))
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=80), nullable=False),
    sa.Column('object_id', sa.String(length=80), nullable=False),
    sa.Column('plugin', sa.String(length=80), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_audit_entry_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)

    op.create_table('checkin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('ticket', sa.String(length=12), nullable=False),
    sa.Column('plugin', sa.String(length=80), nullable=False),
    sa.Column('purpose', sa.String(length=80), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('first_visit', sa.Boolean(), nullable=True),
    sa.Column('first_name', sa.String(length=80), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('room', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('called_at', sa.DateTime(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_checkin_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['user.id'], name=op.f('fk_checkin_staff_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin')),
    sa.UniqueConstraint('day', 'number', name='uq_checkin_day_number')
    )
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_day_status', ['day', 'status'], unique=False)

    op.create_table('offer_cancellation',
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_offer_cancellation_offer_id_offer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('offer_id', 'day', name=op.f('pk_offer_cancellation'))
    )
    op.create_table('user_permission',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_permission_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'code', name=op.f('pk_user_permission'))
    )


def downgrade() -> None:
    op.drop_table('user_permission')
    op.drop_table('offer_cancellation')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_day_status')

    op.drop_table('checkin')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))

    op.drop_table('audit_entry')
    op.drop_table('user')
    op.drop_table('plugin_state')
    op.drop_table('person')
    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_service_area'))

    op.drop_table('offer')
