"""city keys for the members list's order

People and organisations get `city_key`, the city accent-free and lower-case, so that the
members list sorts « Échiré » among the E on both engines (SQLite's lower() folds ASCII
only). Filled here for the rows already there; kept up to date by the models.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 08:50:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from maison_app.domain.text import search_key

revision: str = '0011'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BATCH = 5000


def _fill(table_name: str) -> None:
    conn = op.get_bind()
    table = sa.table(table_name, sa.column('id', sa.Integer), sa.column('city', sa.String),
                     sa.column('city_key', sa.String))
    rows = conn.execute(sa.select(table.c.id, table.c.city)
                        .where(table.c.city.is_not(None))).all()
    update = (sa.update(table).where(table.c.id == sa.bindparam('row_id'))
              .values(city_key=sa.bindparam('key')))
    values = [{'row_id': row_id, 'key': search_key(city)[:100] or None}
              for row_id, city in rows if city]
    for k in range(0, len(values), BATCH):
        conn.execute(update, values[k:k + BATCH])


def upgrade() -> None:
    for table_name in ('person', 'organisation'):
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('city_key', sa.String(length=100), nullable=True))
        _fill(table_name)


def downgrade() -> None:
    for table_name in ('organisation', 'person'):
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.drop_column('city_key')
