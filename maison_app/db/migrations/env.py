"""Alembic environment. Used by the app at start-up (with a connection handed over in
`config.attributes["connection"]`) and by the `alembic` command (URL from `-x url=…`,
`MAISON_DATABASE_URL` or alembic.ini)."""

from __future__ import annotations

import os

from alembic import context
from maison_app.db import all_models  # noqa: F401 - registers every table
from maison_app.db.base import Base
from maison_app.db.engine import create_db_engine, normalise_url
from maison_app.db.search_index import include_object

config = context.config
target_metadata = Base.metadata


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = (
        context.get_x_argument(as_dictionary=True).get("url")
        or os.environ.get("MAISON_DATABASE_URL")
        or config.get_main_option("sqlalchemy.url")
    )
    engine = create_db_engine(normalise_url(url))
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("maison_app migrations run online only")
run_migrations_online()
