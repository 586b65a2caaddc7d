"""The shipped Alembic migrations: up, down and up again on an empty database, one step at a
time, and the models agree with what the migrations build (`alembic check` in a test).

Runs on a temporary SQLite file, and on PostgreSQL when MAISON_TEST_POSTGRES_URL is set. The
shared test database of conftest is left alone: a dedicated PostgreSQL database is created
for each test and dropped afterwards.
"""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, make_url, text
from sqlalchemy.exc import IntegrityError

import maison_app.db.all_models  # noqa: F401 - every table in Base.metadata
from maison_app.db.search_index import include_object
from maison_app.db import migrate
from maison_app.db.base import Base
from maison_app.db.engine import create_db_engine, sqlite_url

POSTGRES_URL = os.environ.get("MAISON_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


@pytest.fixture(params=BACKENDS)
def empty_engine(request, tmp_path):
    """An engine on a brand-new, empty database (no tables at all)."""
    if request.param == "sqlite":
        engine = create_db_engine(sqlite_url(tmp_path / "empty.db"))
        yield engine
        engine.dispose()
        return
    name = f"maison_migr_test_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    engine = create_db_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _tables(engine) -> set[str]:
    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
    # the search index's FTS5 tables (SQLite) are not in the metadata on purpose
    return {n for n in names if include_object(None, n, "table", True, None)}


def _model_tables() -> set[str]:
    return set(Base.metadata.tables)


def _revisions_oldest_first() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _differences(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "render_as_batch": conn.dialect.name == "sqlite",
                "target_metadata": Base.metadata,
                "include_object": include_object,
            },
        )
        return compare_metadata(context, Base.metadata)


def test_single_head_and_linear_history():
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert len(script.get_heads()) == 1, "several heads: merge the migration branches"
    assert script.get_current_head() == migrate.head_revision()
    assert _revisions_oldest_first()[-1] == migrate.head_revision()


def test_upgrade_downgrade_upgrade(empty_engine):
    assert _tables(empty_engine) == set()
    assert migrate.current_revision(empty_engine) is None

    assert migrate.upgrade(empty_engine) is True
    assert migrate.current_revision(empty_engine) == migrate.head_revision()
    tables = _tables(empty_engine)
    assert _model_tables() <= tables, f"missing after upgrade: {_model_tables() - tables}"
    assert tables - _model_tables() == {"alembic_version"}
    # already at head: nothing to do
    assert migrate.upgrade(empty_engine) is False

    migrate.downgrade(empty_engine, "base")
    assert _tables(empty_engine) == {"alembic_version"}
    assert migrate.current_revision(empty_engine) is None

    assert migrate.upgrade(empty_engine) is True
    assert migrate.current_revision(empty_engine) == migrate.head_revision()
    assert _model_tables() <= _tables(empty_engine)
    assert _differences(empty_engine) == []


def test_every_step_up_and_down(empty_engine):
    """Each revision upgrades and downgrades on its own (a stairway test)."""
    revisions = _revisions_oldest_first()
    previous: list[str | None] = [None] + revisions[:-1]
    for rev in revisions:
        migrate.upgrade(empty_engine, rev)
        assert migrate.current_revision(empty_engine) == rev
    for rev, before in reversed(list(zip(revisions, previous, strict=True))):
        migrate.downgrade(empty_engine, before or "base")
        assert migrate.current_revision(empty_engine) == before
        migrate.upgrade(empty_engine, rev)
        assert migrate.current_revision(empty_engine) == rev
        migrate.downgrade(empty_engine, before or "base")
    assert _tables(empty_engine) == {"alembic_version"}


def test_models_match_migrations(empty_engine):
    """What `alembic check` does: no model change lacks its migration."""
    migrate.upgrade(empty_engine)
    differences = _differences(empty_engine)
    assert differences == [], (
        "The models differ from the migrations; write a migration "
        "(alembic revision --autogenerate -m '…'):\n" + "\n".join(map(repr, differences))
    )


def test_migrated_database_keeps_data_constraints(empty_engine):
    """The partial unique index that refuses a double check-in exists after migrating."""
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as conn:
        indexes = {ix["name"]: ix for ix in inspect(conn).get_indexes("visit")}
    assert "uq_visit_person_present" in indexes
    assert indexes["uq_visit_person_present"]["unique"]
    with empty_engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO person (id, first_name, last_name, anonymised, search_key, sort_key, "
            "created_at, updated_at) VALUES (1, 'A', 'B', false, 'a b', 'b a', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))
        conn.execute(text(
            "INSERT INTO visit (person_id, purpose, arrived_at) "
            "VALUES (1, 'coworking', CURRENT_TIMESTAMP)"
        ))
    with pytest.raises(IntegrityError):
        with empty_engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO visit (person_id, purpose, arrived_at) "
                "VALUES (1, 'coworking', CURRENT_TIMESTAMP)"
            ))


def test_fast_head_revision_matches_alembic():
    from alembic.script import ScriptDirectory

    from maison_app.db import migrate

    expected = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    assert migrate.head_revision() == expected


def test_city_keys_are_filled_for_the_rows_already_there(empty_engine):
    """0011 adds the accent-free city keys the members list sorts by, for existing rows."""
    migrate.upgrade(empty_engine, "0010")
    with empty_engine.begin() as conn:
        for pid, city in [(1, "Échiré"), (2, None), (3, "NIORT")]:
            conn.execute(text(
                "INSERT INTO person (id, first_name, last_name, city, anonymised, search_key, "
                "sort_key, created_at, updated_at) VALUES (:id, 'A', 'B', :city, false, 'a b', "
                "'b a', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), {"id": pid, "city": city})
        conn.execute(text(
            "INSERT INTO organisation (id, name, city, esus_agrement, search_key, created_at, "
            "updated_at) VALUES (1, 'Élan', 'Île-d''Elle', false, 'elan', CURRENT_TIMESTAMP, "
            "CURRENT_TIMESTAMP)"))
    migrate.upgrade(empty_engine, "0011")
    with empty_engine.connect() as conn:
        people = dict(conn.execute(text("SELECT id, city_key FROM person")).all())
        org = conn.execute(text("SELECT city_key FROM organisation")).scalar_one()
    assert people == {1: "echire", 2: None, 3: "niort"}
    assert org == "ile-d'elle"
