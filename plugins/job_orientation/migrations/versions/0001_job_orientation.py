"""employers, places, contacts, appointments, consent, outcomes and events of job orientation

Revision ID: 7ec99497ec89
Revises: (none)
Create Date: 2026-11-26 01:42:34.641622
"""

import sqlalchemy as sa
from alembic import op

revision = "7ec99497ec89"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_orientation_employer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('contact_person', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=60), nullable=False),
    sa.Column('email', sa.String(length=160), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_orientation_employer'))
    )
    with op.batch_alter_table('job_orientation_employer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_orientation_employer_name'), ['name'], unique=False)

    op.create_table('job_orientation_appointment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('erased_as', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('documents_brought', sa.JSON(), nullable=False),
    sa.Column('documents_prepared', sa.JSON(), nullable=False),
    sa.Column('documents_description', sa.String(length=500), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_job_orientation_appointment_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['user.id'], name=op.f('fk_job_orientation_appointment_staff_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_orientation_appointment'))
    )
    with op.batch_alter_table('job_orientation_appointment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_orientation_appointment_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_orientation_appointment_starts_at'), ['starts_at'], unique=False)

    op.create_table('job_orientation_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_job_orientation_consent_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_job_orientation_consent_recorded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_orientation_consent'))
    )
    with op.batch_alter_table('job_orientation_consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_orientation_consent_person_id'), ['person_id'], unique=False)

    op.create_table('job_orientation_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['employer_id'], ['job_orientation_employer.id'], name=op.f('fk_job_orientation_contact_employer_id_job_orientation_employer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['user.id'], name=op.f('fk_job_orientation_contact_staff_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_orientation_contact'))
    )
    with op.batch_alter_table('job_orientation_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_orientation_contact_employer_id'), ['employer_id'], unique=False)

    op.create_table('job_orientation_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('employers_attending', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_job_orientation_event_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offer_id'], ['offer.id'], name=op.f('fk_job_orientation_event_offer_id_offer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_orientation_event')),
    sa.UniqueConstraint('offer_id', name=op.f('uq_job_orientation_event_offer_id'))
    )
    op.create_table('job_orientation_outcome',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['employer_id'], ['job_orientation_employer.id'], name=op.f('fk_job_orientation_outcome_employer_id_job_orientation_employer'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_job_orientation_outcome_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_job_orientation_outcome_recorded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_orientation_outcome'))
    )
    with op.batch_alter_table('job_orientation_outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_orientation_outcome_person_id'), ['person_id'], unique=False)

    op.create_table('job_orientation_place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('field', sa.String(length=120), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('available_from', sa.Date(), nullable=True),
    sa.Column('available_until', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['employer_id'], ['job_orientation_employer.id'], name=op.f('fk_job_orientation_place_employer_id_job_orientation_employer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_orientation_place'))
    )
    with op.batch_alter_table('job_orientation_place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_orientation_place_employer_id'), ['employer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('job_orientation_place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_orientation_place_employer_id'))

    op.drop_table('job_orientation_place')
    with op.batch_alter_table('job_orientation_outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_orientation_outcome_person_id'))

    op.drop_table('job_orientation_outcome')
    op.drop_table('job_orientation_event')
    with op.batch_alter_table('job_orientation_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_orientation_contact_employer_id'))

    op.drop_table('job_orientation_contact')
    with op.batch_alter_table('job_orientation_consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_orientation_consent_person_id'))

    op.drop_table('job_orientation_consent')
    with op.batch_alter_table('job_orientation_appointment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_orientation_appointment_starts_at'))
        batch_op.drop_index(batch_op.f('ix_job_orientation_appointment_person_id'))

    op.drop_table('job_orientation_appointment')
    with op.batch_alter_table('job_orientation_employer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_orientation_employer_name'))

    op.drop_table('job_orientation_employer')
