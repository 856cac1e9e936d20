"""the web app: staff accounts, agency links taken back, where web reports came from

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'staffuser',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staffuser')),
        sa.UniqueConstraint('name', name=op.f('uq_staffuser_name')),
    )
    op.create_table(
        'linkrevocation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id'],
                                name=op.f('fk_linkrevocation_agency_id_agency')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_linkrevocation')),
    )
    with op.batch_alter_table('linkrevocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_linkrevocation_agency_id'), ['agency_id'],
                              unique=False)
    op.create_table(
        'webreport',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('client', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('evidence_sha256', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('evidence_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('evidence_type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('evidence_size', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['report.id'],
                                name=op.f('fk_webreport_report_id_report')),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id'],
                                name=op.f('fk_webreport_agency_id_agency')),
        sa.ForeignKeyConstraint(['user_id'], ['staffuser.id'],
                                name=op.f('fk_webreport_user_id_staffuser')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webreport')),
        sa.UniqueConstraint('report_id', name=op.f('uq_webreport_report_id')),
    )
    with op.batch_alter_table('webreport', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webreport_agency_id'), ['agency_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('webreport', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webreport_agency_id'))
    op.drop_table('webreport')
    with op.batch_alter_table('linkrevocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_linkrevocation_agency_id'))
    op.drop_table('linkrevocation')
    op.drop_table('staffuser')
