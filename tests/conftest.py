"""Shared fixtures. Qt runs offscreen; every test gets a freshly migrated database:
a temporary SQLite file, or the PostgreSQL server named by MAISON_TEST_POSTGRES_URL
(CI runs the whole suite once on each)."""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pytest  # noqa: E402
from sqlalchemy import text  # noqa: E402

from maison_app import i18n  # noqa: E402
from maison_app.db import migrate  # noqa: E402
import maison_app.db.all_models  # noqa: E402, F401 - every table in Base.metadata
from maison_app.db.base import Base  # noqa: E402
from maison_app.db.engine import create_db_engine, sqlite_url  # noqa: E402
from maison_app.services.context import Actor, Database  # noqa: E402
from maison_app.services.registry import Services  # noqa: E402

POSTGRES_URL = os.environ.get("MAISON_TEST_POSTGRES_URL")


class FakeClock:
    """A clock the test moves by hand. Starts on Thursday 26 November 2026, 09:00 Paris."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.now = start or dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs) -> dt.datetime:
        self.now += dt.timedelta(**kwargs)
        return self.now


@pytest.fixture(scope="session", autouse=True)
def _collect_garbage_on_the_main_thread():
    """As the app does (ui/gc_guard.py): no automatic collection, which could run in a task
    runner's worker thread and destroy Qt widgets there; collect between tests instead."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_after_each_test():
    yield
    gc.collect(1)  # the young generations: what this test left; a full pass is much slower


@pytest.fixture(autouse=True)
def _own_data_folders(tmp_path_factory, monkeypatch):
    """No test touches the real data or configuration folders (backups, logs, config)."""
    root = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("MAISON_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("MAISON_CONFIG_DIR", str(root / "config"))


@pytest.fixture(autouse=True)
def _french():
    i18n.set_language("fr")
    yield
    i18n.set_language("fr")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_db_engine(sqlite_url(path))
    migrate.upgrade(engine)
    engine.dispose()
    return path


def _reset_postgres(url: str) -> None:
    engine = create_db_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def _postgres_ready():
    """The PostgreSQL URL (or None) and the rows the migrations themselves insert (the
    default colleges…), put back after each test's TRUNCATE."""
    if not POSTGRES_URL:
        return None
    _reset_postgres(POSTGRES_URL)
    engine = create_db_engine(POSTGRES_URL)
    with engine.connect() as conn:
        seeded = {t: [dict(r._mapping) for r in conn.execute(t.select())]
                  for t in Base.metadata.sorted_tables}
    engine.dispose()
    return POSTGRES_URL, {t: rows for t, rows in seeded.items() if rows}


@pytest.fixture
def db_url(tmp_path, _sqlite_template, _postgres_ready) -> str:
    """The URL of an empty, migrated database for this test."""
    if _postgres_ready:
        url, seeded = _postgres_ready
        # Every test shares this database: a window left by an earlier test may still have
        # a load running in the thread pool (pytest-qt processes events between tests, so
        # its timers fire); the TRUNCATE below would deadlock with it. No new task starts
        # while this (GUI) thread truncates.
        if "PySide6.QtCore" in sys.modules:
            from PySide6.QtCore import QThreadPool

            QThreadPool.globalInstance().waitForDone(30_000)
        engine = create_db_engine(url)
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            for table, rows in seeded.items():
                conn.execute(table.insert(), rows)
                if "id" in table.c:
                    conn.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT MAX(id) FROM \"{table.name}\"))"))
        engine.dispose()
        return url
    path = tmp_path / "maison.db"
    shutil.copy(_sqlite_template, path)
    return sqlite_url(path)


@pytest.fixture
def database(db_url):
    db = Database.open(db_url)
    yield db
    db.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def services(database, clock) -> Services:
    return Services.build(database, actor=Actor(login="accueil-test"), clock=clock)
