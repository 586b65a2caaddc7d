"""person merges: a merged-away member code still finds the kept person

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 09:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import maison_app.db.base

revision: str = '0012'
down_revision: Union[str, None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('person_merge',
    sa.Column('old_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kept_id', sa.Integer(), nullable=False),
    sa.Column('merged_at', maison_app.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['kept_id'], ['person.id'], name=op.f('fk_person_merge_kept_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('old_id', name=op.f('pk_person_merge'))
    )
    with op.batch_alter_table('person_merge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_merge_kept_id'), ['kept_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('person_merge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_merge_kept_id'))
    op.drop_table('person_merge')
