"""many plans: plan issue day and closures, agencies not mailed or reached via another,
messages scoped (a digest per plan)

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issued_on', sa.Date(), nullable=True))
    op.create_table(
        'planclosure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('closed', sa.Boolean(), nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id'],
                                name=op.f('fk_planclosure_plan_id_plan')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_planclosure')),
    )
    with op.batch_alter_table('planclosure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planclosure_plan_id'), ['plan_id'], unique=False)
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notify', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column('via_code', sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=True))
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=False, server_default=''))
        batch_op.drop_constraint('uq_message_recipient_id_day_kind', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_message_recipient_id_day_kind_scope'),
                                          ['recipient_id', 'day', 'kind', 'scope'])


def downgrade() -> None:
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_constraint('uq_message_recipient_id_day_kind_scope', type_='unique')
        batch_op.create_unique_constraint('uq_message_recipient_id_day_kind',
                                          ['recipient_id', 'day', 'kind'])
        batch_op.drop_column('scope')
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_column('via_code')
        batch_op.drop_column('notify')
    with op.batch_alter_table('planclosure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planclosure_plan_id'))
    op.drop_table('planclosure')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('issued_on')
