"""Engine and session factory for SQLite (the default) and PostgreSQL.

The database URL comes, first match wins, from `--database URL`, the `MAISON_DATABASE_URL`
variable, the local configuration file (settings dialog), or the default SQLite file in the
user's data folder.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from maison_app import DATABASE_ENV_VAR
from maison_app.domain.errors import DatabaseUnavailable
from maison_app.i18n import _

log = logging.getLogger(__name__)

ENV_VAR = DATABASE_ENV_VAR
SQLITE_BUSY_TIMEOUT_MS = 10_000


def sqlite_url(path: Path) -> str:
    return "sqlite:///" + path.resolve().as_posix()


def resolve_url(cli_url: str | None, configured_url: str | None, default_path: Path) -> str:
    for candidate in (cli_url, os.environ.get(ENV_VAR), configured_url):
        if candidate and candidate.strip():
            return normalise_url(candidate.strip())
    return sqlite_url(default_path)


def normalise_url(url: str) -> str:
    """Accept "postgresql://" and a bare file path; pick the psycopg 3 driver."""
    if "://" not in url:  # a file path
        return sqlite_url(Path(url).expanduser())
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def describe_url(url: str) -> str:
    """A short, password-free name of the database for the status bar."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite — {parsed.database or ':memory:'}"
    host = parsed.host or "localhost"
    port = f":{parsed.port}" if parsed.port else ""
    return f"PostgreSQL — {parsed.database}@{host}{port}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # pysqlite's own transaction handling is turned off so that SQLAlchemy's BEGIN is real.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")  # persistent; readers never block the writer
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


WRITE_OPTION = "maison_write"


def _sqlite_begin(conn) -> None:
    # A unit of work that writes starts with BEGIN IMMEDIATE: it takes the write lock at
    # once, so two desks writing at the same moment queue behind the busy timeout and the
    # second one sees what the first wrote, instead of failing half-way. Reads use a plain
    # BEGIN and, in WAL mode, never wait for a writer.
    if conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def create_db_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url`, set up for the app. Raises DatabaseUnavailable with a French
    message when the URL is malformed or the driver is unknown."""
    try:
        parsed: URL = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable(
            _("L'adresse de la base de données « {url} » n'est pas valide. "
              "Exemples : sqlite:///C:/maison/maison.db ou "
              "postgresql+psycopg://utilisateur@serveur/maison.").format(url=url)
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            poolclass=NullPool if database in (None, "", ":memory:") else None,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(
            parsed,
            echo=echo,
            pool_pre_ping=True,
            # prepare_threshold=None: no server-side generic plans, so that LIKE '%…%' with
            # its actual pattern can use the pg_trgm index of the search.
            connect_args={"connect_timeout": 5, "application_name": "maison_app",
                          "prepare_threshold": None},
        )
    raise DatabaseUnavailable(
        _("Ce type de base de données n'est pas pris en charge : « {backend} ». "
          "Utilisez SQLite ou PostgreSQL.").format(backend=backend)
    )


def make_session_factories(engine: Engine) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    """(read, write) session factories; the write one takes SQLite's lock at BEGIN."""
    reader = sessionmaker(engine, expire_on_commit=False)
    writer = sessionmaker(engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False)
    return reader, writer
