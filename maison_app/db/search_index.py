"""The trigram index behind the reception search, per engine.

SQLite: an external-content FTS5 table with the trigram tokenizer (SQLite 3.34+), kept in
step with `person.search_key` by triggers. PostgreSQL: a GIN index with pg_trgm's operator
class (a trusted extension since PostgreSQL 13: the database owner may create it).
"""

from __future__ import annotations

FTS_TABLE = "person_fts"
PG_INDEX = "ix_person_search_trgm"

_SQLITE_INSERT_TRIGGER = f"""CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON person BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_key) VALUES (new.id, new.search_key);
    END"""
_SQLITE_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"
_SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "search_key, content='person', content_rowid='id', tokenize='trigram')",
    _SQLITE_INSERT_TRIGGER,
    f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON person BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_key)
        VALUES ('delete', old.id, old.search_key);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF search_key ON person BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_key)
        VALUES ('delete', old.id, old.search_key);
        INSERT INTO {FTS_TABLE}(rowid, search_key) VALUES (new.id, new.search_key);
    END""",
    _SQLITE_REBUILD,
]
_SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
_PG_INDEX_CREATE = (f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON person "
                    "USING gin (search_key gin_trgm_ops)")
_PG_CREATE = ["CREATE EXTENSION IF NOT EXISTS pg_trgm", _PG_INDEX_CREATE]
_PG_DROP = [f"DROP INDEX IF EXISTS {PG_INDEX}"]


def create_statements(dialect: str) -> list[str]:
    return {"sqlite": _SQLITE_CREATE, "postgresql": _PG_CREATE}.get(dialect, [])


def drop_statements(dialect: str) -> list[str]:
    return {"sqlite": _SQLITE_DROP, "postgresql": _PG_DROP}.get(dialect, [])


def before_bulk_insert(dialect: str) -> list[str]:
    """Before inserting many people at once (the demo's fill): the index stops following
    row by row (SQLite: the insert trigger; PostgreSQL: the GIN index)..."""
    return {"sqlite": [f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai"],
            "postgresql": list(_PG_DROP)}.get(dialect, [])


def after_bulk_insert(dialect: str) -> list[str]:
    """...and is built again in one pass afterwards, about twice as fast."""
    return {"sqlite": [_SQLITE_INSERT_TRIGGER, _SQLITE_REBUILD],
            "postgresql": [_PG_INDEX_CREATE]}.get(dialect, [])


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic filter: the search index lives outside the metadata on purpose."""
    if name and (name == PG_INDEX or name == FTS_TABLE or name.startswith(FTS_TABLE + "_")):
        return False
    return True


def fts_phrase(term: str) -> str:
    """A term as an FTS5 string literal (substring match with the trigram tokenizer)."""
    return '"' + term.replace('"', '""') + '"'
