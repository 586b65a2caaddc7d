"""For migrations: a new value of an enum stored as VARCHAR + CHECK (db.models._enum).

Autogenerate does not see a CHECK constraint change, so a migration that adds a value to
an enum (a new kind of document…) calls `set_enum_values` by hand. SQLite cannot alter a
constraint: the table is rebuilt by Alembic's batch mode."""

from __future__ import annotations

from collections.abc import Iterable


def set_enum_values(op, *, table: str, column: str, enum_name: str, values: Iterable[str]) -> None:
    constraint = f"ck_{table}_{enum_name}"
    condition = f"{column} IN ({', '.join(repr(v) for v in values)})"
    with op.batch_alter_table(table, recreate="auto") as batch_op:
        # op.f: the name is final, the naming convention must not prefix it again
        batch_op.drop_constraint(op.f(constraint), type_="check")
        batch_op.create_check_constraint(op.f(constraint), condition)
