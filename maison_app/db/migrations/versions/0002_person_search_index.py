"""person search index: FTS5 trigram on SQLite, pg_trgm GIN on PostgreSQL

The reception search looks for any part of a name, organisation or e-mail ("%lefe%"): a
B-tree index cannot help, so a search for rare letters read all 100,000 keys. A trigram
index finds the candidates at once. Neither object is in the SQLAlchemy metadata (they are
engine-specific); db.search_index.include_object keeps Alembic from reporting them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 14:45:00
"""

from typing import Sequence, Union

from alembic import op

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    from maison_app.db.search_index import create_statements

    for statement in create_statements(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    from maison_app.db.search_index import drop_statements

    for statement in drop_statements(op.get_bind().dialect.name):
        op.execute(statement)
