"""Backups of the SQLite database: consistent while another process writes, checked,
rotated, restored after an integrity check and a safety copy; the command line; the
automatic backups of the running app. PostgreSQL is refused with the pg_dump procedure."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from maison_app.db import migrate
from maison_app.db.engine import create_db_engine
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.services.backup import BackupService, keep_from_environment

SQLITE_ONLY = ("the app's own backups are for SQLite; PostgreSQL is backed up with "
               "pg_dump / pg_restore (README), tested by test_postgresql_*")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _own_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("MAISON_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MAISON_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("MAISON_DATABASE_URL", raising=False)
    monkeypatch.delenv("MAISON_BACKUP_KEEP", raising=False)


@pytest.fixture
def sqlite_db(db_url) -> Path:
    if not db_url.startswith("sqlite"):
        pytest.skip(SQLITE_ONLY)
    return Path(db_url.removeprefix("sqlite:///"))


@pytest.fixture
def backups(services, sqlite_db) -> BackupService:
    return BackupService(services.ctx)


@pytest.fixture
def folder(tmp_path) -> Path:
    return tmp_path / "data" / "backups"


def _people(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT last_name FROM person ORDER BY id")]
    finally:
        conn.close()


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _add_people(services, *names: str) -> None:
    for name in names:
        services.people.create_person(first_name="Camille", last_name=name)


# --- backup ------------------------------------------------------------------------------


def test_a_backup_is_a_checked_single_file_copy_in_the_backups_folder(services, backups, folder):
    _add_people(services, "Bézier", "Cœur")
    record = backups.backup(reason="demarrage")

    assert record.path.parent == folder.resolve()
    assert record.path.name == "maison-2026-11-26T08-00-00Z-demarrage.db"
    assert record.reason == "demarrage" and record.automatic
    assert record.taken_at == services.ctx.now()
    assert record.size == record.path.stat().st_size > 0
    assert _people(record.path) == ["Bézier", "Cœur"]
    assert _integrity(record.path) == "ok"
    conn = sqlite3.connect(record.path)
    try:  # one self-contained file, whatever the live database's journal
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        assert revision == migrate.head_revision()
    finally:
        conn.close()
    assert sorted(p.name for p in folder.iterdir()) == [record.path.name]  # no temporary left
    assert backups.list_backups() == (record,)


def test_names_sort_by_time_and_never_collide(services, backups, clock):
    first = backups.backup(reason="demarrage")
    same_second = backups.backup(reason="demarrage")
    clock.advance(minutes=5)
    later = backups.backup()
    assert same_second.path.name == "maison-2026-11-26T08-00-00Z-demarrage_2.db"
    assert later.path.name == "maison-2026-11-26T08-05-00Z-manuel.db" and not later.automatic
    assert [b.path for b in backups.list_backups()] == [later.path, same_second.path, first.path]
    assert sorted(p.name for p in later.path.parent.iterdir()) == [
        first.path.name, same_second.path.name, later.path.name]


def test_a_backup_taken_while_another_process_writes_is_consistent_and_restores_intact(
        services, backups, sqlite_db, tmp_path):
    """Another process inserts people (each with an affiliation, one unit of work each)
    through the services, non-stop, before, during and after the backup. The backup holds
    exactly the people written up to one moment, each complete; restored, the database is
    exactly that."""
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, f"sqlite:///{sqlite_db}", str(stop)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        _wait_for(lambda: _count(sqlite_db) >= 40, writer, "the writer's first people")
        record = backups.backup()
        in_backup = _people(record.path)
        # the writer went on writing after the moment of the backup
        _wait_for(lambda: _count(sqlite_db) >= len(in_backup) + 40, writer,
                  "the writer's people after the backup")
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    written = int(out.split()[-1])

    n = len(in_backup)
    assert 40 <= n < written
    assert in_backup == [f"N{i:06d}" for i in range(n)]  # one moment: no gap, no torn write
    assert _integrity(record.path) == "ok"
    conn = sqlite3.connect(record.path)
    try:
        assert conn.execute("SELECT count(*) FROM affiliation").fetchone()[0] == n
    finally:
        conn.close()

    assert _count(sqlite_db) == written
    done = backups.restore(source=record.path)
    assert _people(sqlite_db) == in_backup  # the counts of the moment of the backup
    assert _integrity(sqlite_db) == "ok"
    assert done.safety_backup is not None
    assert _count(done.safety_backup.path) == written
    # the app goes on working on the restored database
    services.people.create_person(first_name="Après", last_name="Restauration")
    assert _count(sqlite_db) == n + 1
    assert services.people.search(query="restauration").hits[0].first_name == "Après"


_WRITER = r"""
import sys, pathlib
from maison_app.services.context import Actor, Database
from maison_app.services.registry import Services

url, stop = sys.argv[1], pathlib.Path(sys.argv[2])
services = Services.build(Database.open(url), actor=Actor(login="autre-poste"))
org = services.people.create_organisation(name="Structure du poste voisin")
i = 0
while not stop.exists() and i < 50000:
    services.people.create_person(first_name="Ecrivain", last_name=f"N{i:06d}",
                                  organisation_ids=(org,))
    i += 1
services.ctx.db.dispose()
print(i, flush=True)
"""


def _count(path: Path) -> int:
    conn = sqlite3.connect(path, timeout=10)
    try:
        return conn.execute("SELECT count(*) FROM person").fetchone()[0]
    finally:
        conn.close()


def _wait_for(condition, process, what: str, limit_s: float = 120) -> None:
    deadline = time.monotonic() + limit_s
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the writer stopped while waiting for {what}: {process.stderr.read()}")
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.02)


def test_a_backup_to_an_explicit_file_or_folder(services, backups, tmp_path, folder):
    _add_people(services, "Ménard")
    target = tmp_path / "clé USB" / "maison-avant-travaux.db"
    target.parent.mkdir()
    record = backups.backup(destination=target)
    assert record.path == target.resolve()
    assert _people(target) == ["Ménard"]
    assert not folder.exists() or not list(folder.iterdir())  # nothing in the rotation

    with pytest.raises(ValidationError) as info:
        backups.backup(destination=target)
    assert "existe déjà" in info.value.message

    in_folder = backups.backup(destination=tmp_path / "clé USB")
    assert in_folder.path.parent == target.parent.resolve()
    assert in_folder.path.name.startswith("maison-2026-11-26T08-00-00Z-manuel")


def test_rotation_keeps_the_n_most_recent_automatic_backups(services, backups, clock, tmp_path,
                                                            monkeypatch):
    outside = backups.backup(destination=tmp_path / "a-part.db")
    manual = backups.backup()
    made = []
    for reason in ("demarrage", "quotidienne", "fermeture", "demarrage", "fermeture"):
        clock.advance(hours=3)
        made.append(backups.backup(reason=reason, keep=3))
    kept = backups.list_backups()
    assert [b.path for b in kept] == [b.path for b in reversed(made[-3:])] + [manual.path]
    assert all(not b.path.exists() for b in made[:2])
    assert outside.path.exists()  # a file named on purpose is never rotated

    monkeypatch.setenv("MAISON_BACKUP_KEEP", "2")
    assert keep_from_environment() == 2
    clock.advance(hours=3)
    newest = backups.backup(reason="quotidienne")
    assert [b.path for b in backups.list_backups() if b.automatic] == [newest.path, made[-1].path]
    assert manual.path.exists()

    monkeypatch.setenv("MAISON_BACKUP_KEEP", "beaucoup")
    assert keep_from_environment() == 14
    monkeypatch.delenv("MAISON_BACKUP_KEEP")
    assert keep_from_environment() == 14


def test_backups_of_another_database_are_left_alone(services, backups, folder, tmp_path):
    folder.mkdir(parents=True)
    other = folder / "demo-2026-11-01T08-00-00Z-demarrage.db"
    shutil.copy(backups.database_path(), other)
    for _ in range(3):
        backups.backup(reason="demarrage", keep=1)
    assert len(backups.list_backups()) == 1
    assert other.exists()


# --- restore -----------------------------------------------------------------------------


def test_restore_takes_a_safety_backup_first(services, backups, sqlite_db, clock, folder):
    _add_people(services, "Avant")
    record = backups.backup()
    clock.advance(hours=1)
    _add_people(services, "Après")

    done = backups.restore(source=record.path)

    assert _people(sqlite_db) == ["Avant"]
    safety = done.safety_backup
    assert safety.reason == "avant-restauration" and not safety.automatic
    assert safety.path.name == "maison-2026-11-26T09-00-00Z-avant-restauration.db"
    assert _people(safety.path) == ["Avant", "Après"]
    assert {b.path for b in backups.list_backups()} == {record.path, safety.path}
    assert done.source == record.path
    assert done.restored_revision == done.revision == migrate.head_revision()
    # the restored trail says so
    conn = sqlite3.connect(sqlite_db)
    try:
        rows = conn.execute(
            "SELECT actor, summary FROM audit_entry WHERE action = 'restore'").fetchall()
    finally:
        conn.close()
    assert len(rows) == 1
    assert rows[0][0] == "accueil-test" and record.path.name in rows[0][1]


def test_an_older_backup_is_migrated_after_the_restore(services, backups, sqlite_db, tmp_path):
    _add_people(services, "Ancien")
    old = backups.backup(destination=tmp_path / "ancienne.db")
    engine = create_db_engine(f"sqlite:///{old.path}")
    migrate.downgrade(engine, "-1")
    older = migrate.current_revision(engine)
    engine.dispose()
    assert older != migrate.head_revision()

    done = backups.restore(source=old.path)
    assert done.restored_revision == older
    assert done.revision == migrate.head_revision()
    assert migrate.current_revision(services.ctx.db.engine) == migrate.head_revision()
    assert _people(sqlite_db) == ["Ancien"]


def _refused(backups, source: Path, sqlite_db: Path, folder: Path) -> str:
    before = sqlite_db.read_bytes()
    with pytest.raises(ValidationError) as info:
        backups.restore(source=source)
    assert "rien n'a été restauré" in info.value.message.lower()
    assert info.value.field == "source"
    assert sqlite_db.read_bytes() == before  # nothing replaced
    # no safety copy either (nothing was about to be replaced), no staging file left
    assert not folder.exists() or not [p for p in folder.iterdir()
                                       if "avant-restauration" in p.name or p.name.startswith(".")]
    return info.value.message


def test_random_bytes_are_refused(services, backups, sqlite_db, tmp_path, folder):
    _add_people(services, "Présent")
    junk = tmp_path / "sauvegarde.db"
    junk.write_bytes(os.urandom(64 * 1024))
    message = _refused(backups, junk, sqlite_db, folder)
    assert message.startswith("« sauvegarde.db » n'est pas une base de données SQLite")
    assert _people(sqlite_db) == ["Présent"]


def test_a_truncated_backup_is_refused(services, backups, sqlite_db, tmp_path, folder):
    _add_people(services, *(f"Personne {i}" for i in range(300)))
    record = backups.backup(destination=tmp_path / "entiere.db")
    data = record.path.read_bytes()
    truncated = tmp_path / "tronquee.db"
    truncated.write_bytes(data[: len(data) // 2])
    message = _refused(backups, truncated, sqlite_db, folder)
    assert message.startswith("« tronquee.db » est endommagé (contrôle d'intégrité")

    # the same with damaged pages in the middle of a whole file
    damaged = tmp_path / "abimee.db"
    middle = len(data) // 2
    damaged.write_bytes(data[:middle] + os.urandom(8192) + data[middle + 8192:])
    assert "est endommagé" in _refused(backups, damaged, sqlite_db, folder)
    assert len(_people(sqlite_db)) == 300


def test_a_sqlite_file_of_another_program_is_refused(services, backups, sqlite_db, tmp_path,
                                                     folder):
    other = tmp_path / "autre.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recettes (nom TEXT)")
    conn.execute("INSERT INTO recettes VALUES ('far breton')")
    conn.commit()
    conn.close()
    message = _refused(backups, other, sqlite_db, folder)
    assert "pas une base de l'application d'accueil" in message

    # same revision names, other tables: still not ours
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    conn.execute("INSERT INTO alembic_version VALUES (?)", (migrate.head_revision(),))
    conn.commit()
    conn.close()
    assert "pas une base de l'application d'accueil" in _refused(backups, other, sqlite_db, folder)


def test_a_backup_of_a_newer_version_is_refused(services, backups, sqlite_db, tmp_path, folder):
    newer = backups.backup(destination=tmp_path / "future.db").path
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999_demain'")
    conn.commit()
    conn.close()
    message = _refused(backups, newer, sqlite_db, folder)
    assert "version plus récente" in message and "9999_demain" in message


def test_a_missing_file_or_the_live_database_itself_is_refused(services, backups, sqlite_db,
                                                               tmp_path):
    with pytest.raises(ValidationError) as info:
        backups.restore(source=tmp_path / "nulle-part.db")
    assert "n'existe pas" in info.value.message
    with pytest.raises(ValidationError) as info:
        backups.restore(source=sqlite_db)
    assert "la base en service elle-même" in info.value.message


def test_a_damaged_live_database_is_replaced_whole(services, backups, sqlite_db, tmp_path):
    _add_people(services, "Sauvée")
    record = backups.backup(destination=tmp_path / "bonne.db")
    services.ctx.db.dispose()
    sqlite_db.write_bytes(b"SQLite format 3\x00" + os.urandom(20_000))

    done = backups.restore(source=record.path)
    assert _integrity(sqlite_db) == "ok"
    assert _people(sqlite_db) == ["Sauvée"]
    # the damaged file was kept aside as it was, byte for byte
    assert done.safety_backup.path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert done.safety_backup.size == 20_016


def test_check_backup_without_restoring(services, backups, tmp_path):
    good = backups.backup(destination=tmp_path / "bonne.db")
    assert backups.check_backup(source=good.path) == migrate.head_revision()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00" * 5000)
    with pytest.raises(ValidationError):
        backups.check_backup(source=junk)


def test_only_administration_backs_up_and_restores_by_hand(services, sqlite_db, tmp_path):
    from maison_app.domain.enums import Role
    from maison_app.domain.errors import PermissionDenied
    from maison_app.services.context import Actor, ServiceContext

    def as_role(role):
        return BackupService(ServiceContext(db=services.ctx.db, actor=Actor(login=role, role=role),
                                            clock=services.ctx.clock))

    good = as_role(Role.ADMINISTRATION).backup(destination=tmp_path / "admin.db")
    for role in (Role.ACCUEIL, Role.INCUBATION):
        with pytest.raises(PermissionDenied):
            as_role(role).backup()
        with pytest.raises(PermissionDenied):
            as_role(role).restore(source=good.path)
        with pytest.raises(PermissionDenied):
            as_role(role).list_backups()
    assert as_role(Role.ADMINISTRATION).restore(source=good.path).safety_backup is not None
    # the automatic backups are the system's work, whoever is logged in
    receptionist = ServiceContext(db=services.ctx.db, actor=Actor(login="a", role=Role.ACCUEIL),
                                  clock=services.ctx.clock)
    assert BackupService.automatic(receptionist).backup(reason="demarrage").automatic


# --- PostgreSQL ----------------------------------------------------------------------------


def test_postgresql_is_refused_with_the_pg_dump_procedure(tmp_path):
    service = BackupService.for_url("postgresql+psycopg://accueil@serveur.invalid/maison")
    assert service.supported is False
    for call in (lambda: service.backup(), lambda: service.list_backups(),
                 lambda: service.restore(source=tmp_path / "x.dump")):
        with pytest.raises(MaisonError) as info:
            call()
        message = info.value.message
        assert message.startswith("L'application ne sauvegarde elle-même que les bases SQLite.")
        assert "pg_dump" in message and "pg_restore" in message and "README" in message
    service.ctx.db.dispose()


def test_postgresql_database_of_the_suite_is_refused(services, db_url):
    if db_url.startswith("sqlite"):
        pytest.skip("runs when MAISON_TEST_POSTGRES_URL names a server")
    service = BackupService(services.ctx)
    assert service.supported is False
    with pytest.raises(MaisonError) as info:
        service.backup()
    assert "pg_dump" in info.value.message


# --- command line --------------------------------------------------------------------------


def test_cli_backup_and_restore(services, sqlite_db, db_url, tmp_path, folder, capsys):
    from maison_app.app import main

    _add_people(services, "Ligne", "Commande")
    assert main(["backup", "--database", db_url]) == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed.parent == folder.resolve()
    assert re.fullmatch(r"maison-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-manuel\.db", printed.name)
    assert _people(printed) == ["Ligne", "Commande"]

    file = tmp_path / "copie.db"
    assert main(["backup", str(file), "--database", db_url]) == 0
    assert capsys.readouterr().out.strip() == str(file.resolve())
    assert main(["backup", str(file), "--database", db_url]) == 2
    assert "existe déjà" in capsys.readouterr().err

    _add_people(services, "Ensuite")
    assert main(["restore", str(file), "--database", db_url]) == 0
    out = capsys.readouterr().out
    assert "Base actuelle mise de côté : " in out and "avant-restauration" in out
    assert f"restaurée depuis {file.resolve()}" in out
    assert _people(sqlite_db) == ["Ligne", "Commande"]

    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(4096))
    assert main(["restore", str(junk), "--database", db_url]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == "« junk.db » n'est pas une base de données SQLite : rien n'a été restauré."
    assert "Traceback" not in captured.err


def test_cli_backup_of_the_default_database(tmp_path, capsys):
    from maison_app.app import main

    assert main(["backup"]) == 2  # no database yet
    assert "n'existe pas : il n'y a rien à sauvegarder" in capsys.readouterr().err
    assert main(["demo", "--people", "5", "--database", str(tmp_path / "data" / "maison.db")]) == 0
    capsys.readouterr()
    assert main(["backup"]) == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed.parent == (tmp_path / "data" / "backups").resolve()
    assert printed.name.startswith("maison-")


def test_cli_on_postgresql_points_to_pg_dump(capsys):
    from maison_app.app import main

    assert main(["backup", "--database", "postgresql://accueil@serveur.invalid/maison"]) == 2
    assert "pg_dump" in capsys.readouterr().err
    assert main(["restore", "x.dump", "--database", "postgresql://accueil@serveur.invalid/m"]) == 2
    assert "pg_restore" in capsys.readouterr().err


# --- automatic backups of the running app -------------------------------------------------


@pytest.fixture
def window(qtbot, services):
    from maison_app.ui.main_window import MainWindow
    from maison_app.views import built_areas

    w = MainWindow(built_areas(), services=services)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.tasks.wait()
    qtbot.waitUntil(lambda: w.tasks.idle)


def test_automatic_backups_at_start_daily_and_at_close(qtbot, window, services, sqlite_db,
                                                       folder, clock):
    from maison_app.ui.application import DAILY_BACKUP_MS, AutomaticBackups

    automatic = AutomaticBackups(window, services)
    automatic.start()
    qtbot.waitUntil(lambda: any(folder.glob("*-demarrage.db")), timeout=10_000)
    assert automatic.timer.isActive() and automatic.timer.interval() == DAILY_BACKUP_MS == 86_400_000

    qtbot.waitUntil(lambda: window.tasks.idle)
    clock.advance(hours=24)
    automatic.timer.timeout.emit()
    qtbot.waitUntil(lambda: any(folder.glob("*-quotidienne.db")), timeout=10_000)
    qtbot.waitUntil(lambda: window.tasks.idle)

    clock.advance(hours=8)
    automatic.at_close()
    assert not automatic.timer.isActive()
    assert [b.reason for b in BackupService(services.ctx).list_backups()] == [
        "fermeture", "quotidienne", "demarrage"]
    assert window.statusBar().currentMessage() == ""


def test_a_failed_automatic_backup_is_logged_and_shown_never_raised(qtbot, window, services,
                                                                    sqlite_db, caplog):
    from maison_app.ui.application import AutomaticBackups

    class Failing(BackupService):
        def backup(self, **kwargs):
            if kwargs.get("reason") == "fermeture":
                raise RuntimeError("disque débranché")
            raise MaisonError("Impossible d'écrire la sauvegarde « x » : disque plein.")

    automatic = AutomaticBackups(window, services, service=Failing(services.ctx))
    automatic.start()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "", timeout=10_000)
    assert window.statusBar().currentMessage() == (
        "La sauvegarde automatique a échoué : Impossible d'écrire la sauvegarde « x » : "
        "disque plein. (détails dans le journal).")
    assert "automatic backup failed" in caplog.text

    automatic.at_close()  # a bug at closing is logged, not raised
    assert "closing backup failed" in caplog.text and "disque débranché" in caplog.text


def test_no_automatic_backup_on_postgresql(qtbot, window, services, db_url, folder):
    if db_url.startswith("sqlite"):
        pytest.skip("runs when MAISON_TEST_POSTGRES_URL names a server")
    from maison_app.ui.application import AutomaticBackups

    automatic = AutomaticBackups(window, services)
    assert automatic.enabled is False
    automatic.start()
    automatic.at_close()
    assert not automatic.timer.isActive()
    assert not folder.exists()
    assert window.statusBar().currentMessage() == ""


def test_the_app_backs_up_at_start_and_at_close(sqlite_db, db_url, tmp_path, folder):
    """`python -m maison_app` in its own process (a second QApplication.exec() here would
    upset pytest-qt): after a run, the start-up and closing backups are in the folder."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MAISON_EXIT_WHEN_READY="1",
               MAISON_DATA_DIR=str(tmp_path / "data"), MAISON_CONFIG_DIR=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, "-m", "maison_app", "--database", db_url], env=env,
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2, names
    assert names[0].startswith("maison-") and names[0].endswith("-demarrage.db")
    assert names[1].startswith("maison-") and names[1].endswith("-fermeture.db")
    assert all(_integrity(folder / n) == "ok" for n in names)
