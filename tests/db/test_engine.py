"""The engine factory: which database, and how SQLite is set up."""

from pathlib import Path

import pytest
from sqlalchemy import text

from maison_app.db.engine import create_db_engine, describe_url, normalise_url, resolve_url, sqlite_url
from maison_app.domain.errors import DatabaseUnavailable


def test_url_precedence_cli_then_environment_then_settings_then_default(monkeypatch, tmp_path):
    default = tmp_path / "maison.db"
    monkeypatch.delenv("MAISON_DATABASE_URL", raising=False)
    assert resolve_url(None, None, default) == sqlite_url(default)
    assert resolve_url(None, "postgresql://u@h/b", default) == "postgresql+psycopg://u@h/b"
    monkeypatch.setenv("MAISON_DATABASE_URL", "sqlite:////srv/env.db")
    assert resolve_url(None, "postgresql://u@h/b", default) == "sqlite:////srv/env.db"
    assert resolve_url("sqlite:////srv/cli.db", "postgresql://u@h/b", default) == "sqlite:////srv/cli.db"


def test_normalise_url():
    assert normalise_url("postgres://u@h/b") == "postgresql+psycopg://u@h/b"
    assert normalise_url("/srv/maison.db") == "sqlite:////srv/maison.db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_describe_url_hides_the_password():
    assert describe_url("postgresql+psycopg://u:secret@serveur:5433/maison") == \
        "PostgreSQL — maison@serveur:5433"
    assert describe_url("sqlite:////srv/maison.db") == "SQLite — /srv/maison.db"


def test_sqlite_is_set_up_with_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path):
    engine = create_db_engine(sqlite_url(tmp_path / "sub" / "maison.db"))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10_000
        assert (tmp_path / "sub").is_dir()  # the folder is created
    finally:
        engine.dispose()


def test_unknown_engine_is_refused_in_french():
    with pytest.raises(DatabaseUnavailable) as info:
        create_db_engine("oracle://x@y/z")
    assert "SQLite ou PostgreSQL" in info.value.message


def test_malformed_url_is_refused_in_french():
    with pytest.raises(DatabaseUnavailable) as info:
        create_db_engine("://rien")
    assert "n'est pas valide" in info.value.message
