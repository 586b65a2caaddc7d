"""The backups tab of the Administration screen: back up now, restore the chosen backup or
a file after a confirmation (and then close the app), refuse a damaged file; for
PostgreSQL, the pg_dump / pg_restore procedure."""

from __future__ import annotations

import datetime as dt
import os
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTableView, QTextBrowser

from tests.ui.conftest import find, press

POSTGRES_URL = os.environ.get("MAISON_TEST_POSTGRES_URL")
sqlite_only = pytest.mark.skipif(
    bool(POSTGRES_URL), reason="the app backs up SQLite itself; PostgreSQL gets the procedure")

DATE, REASON, SIZE, FILE = range(4)


@pytest.fixture
def desk(services):
    """The services as Claire, the administrator."""
    admin = services.accounts.create_first_admin(login="admin", display_name="Claire",
                                                 password="admin-2026")
    return services.for_actor(services.accounts.actor_for(admin))


@pytest.fixture
def quits(monkeypatch) -> list[bool]:
    from maison_app.views.admin import backups as view

    called: list[bool] = []
    monkeypatch.setattr(view, "_quit_application", lambda: called.append(True))
    return called


def make_tab(qtbot, desk):
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.admin.backups import BackupsTab

    tasks = TaskRunner()
    tab = BackupsTab(desk, tasks)
    qtbot.addWidget(tab)
    tab.resize(1000, 560)
    tab.show()
    qtbot.waitExposed(tab)
    qtbot.waitUntil(lambda: tasks.idle)
    return tab


@pytest.fixture
def tab(qtbot, desk):
    tab = make_tab(qtbot, desk)
    yield tab
    tab.tasks.wait()


def rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def last_names(services) -> list[str]:
    return [hit.last_name for hit in services.people.search(query="ar").hits]


def click_and_wait(qtbot, tab, name: str) -> None:
    button = find(tab, name, QPushButton)
    assert button.isEnabled(), f"{name!r} is disabled"
    button.click()
    qtbot.waitUntil(lambda: tab.tasks.idle)


# --- SQLite ---------------------------------------------------------------------------------


@sqlite_only
def test_backup_now_adds_a_row_with_french_labels(qtbot, tab, desk, no_modal):
    table = find(tab, "Sauvegardes", QTableView)
    assert rows(table) == []
    assert "Aucune sauvegarde" in find(tab, "Message", QLabel).text()
    folder = find(tab, "Dossier des sauvegardes", QLabel)
    assert str(desk.backups.folder) in folder.text()

    click_and_wait(qtbot, tab, "Sauvegarder maintenant")
    (row,) = rows(table)
    assert row[DATE] == "26 novembre 2026 à 09:00"
    assert row[REASON] == "Manuelle"
    assert row[SIZE].endswith(" Ko") and row[SIZE][0].isdigit()
    assert row[FILE] == "maison-2026-11-26T08-00-00Z-manuel.db"
    assert (desk.backups.folder / row[FILE]).is_file()
    assert table.selectionModel().selectedRows()[0].row() == 0  # the new one is chosen
    assert find(tab, "Message", QLabel).text().startswith("Sauvegarde faite : " + row[FILE])
    assert no_modal == []


@sqlite_only
def test_reasons_and_sizes_are_in_french(qtbot, desk, clock, no_modal):
    from maison_app.views.admin.backups import format_size, reason_label

    desk.backups.backup(reason="demarrage")
    clock.advance(hours=1)
    desk.backups.backup(reason="avant-restauration")
    tab = make_tab(qtbot, desk)
    table = find(tab, "Sauvegardes", QTableView)
    assert [r[REASON] for r in rows(table)] == ["Avant restauration", "Démarrage"]  # newest first
    assert [r[DATE] for r in rows(table)] == ["26 novembre 2026 à 10:00",
                                              "26 novembre 2026 à 09:00"]
    assert [reason_label(r) for r in ("quotidienne", "fermeture", "autre")] == [
        "Quotidienne", "Fermeture", "autre"]
    assert format_size(500) == "1 Ko"
    assert format_size(140 * 1024) == "140 Ko"
    assert format_size(int(12.4 * 1024 * 1024)) == "12,4 Mo"
    tab.tasks.wait()


@sqlite_only
def test_restore_the_chosen_backup_after_confirmation_then_quit(qtbot, tab, desk, clock,
                                                                no_modal, quits):
    desk.people.create_person(first_name="Hélène", last_name="Martin")
    click_and_wait(qtbot, tab, "Sauvegarder maintenant")
    clock.advance(hours=1)
    desk.people.create_person(first_name="François", last_name="Ménard")
    assert sorted(last_names(desk)) == ["Martin", "Ménard"]

    table = find(tab, "Sauvegardes", QTableView)
    table.selectRow(0)
    no_modal.answers.append(True)
    click_and_wait(qtbot, tab, "Restaurer")

    (question,) = no_modal.texts("confirm")
    assert question.startswith("Restaurer la sauvegarde du 26 novembre 2026 à 09:00 (manuelle) ?")
    assert "La base actuelle sera remplacée" in question
    assert "mise de côté" in question and "se fermera" in question
    (said,) = no_modal.texts("info")
    assert "a été restaurée" in said and "va maintenant se fermer" in said
    assert "avant-restauration" in said  # where the replaced database is kept
    assert quits == [True]
    assert tab.restored is not None and tab.restored.safety_backup is not None
    assert tab.restored.safety_backup.path.is_file()
    assert last_names(desk) == ["Martin"]  # the database is the backup again


@sqlite_only
def test_the_confirmation_is_destructive_and_declining_restores_nothing(
        qtbot, tab, desk, no_modal, quits, monkeypatch):
    from maison_app.ui import messages

    asked = {}

    def confirm(parent, text, **kwargs):
        asked.update(kwargs)
        return False

    monkeypatch.setattr(messages, "confirm", confirm)
    restored = []
    monkeypatch.setattr(desk.backups, "restore", lambda **kw: restored.append(kw))
    click_and_wait(qtbot, tab, "Sauvegarder maintenant")
    desk.people.create_person(first_name="François", last_name="Ménard")
    find(tab, "Sauvegardes", QTableView).selectRow(0)
    click_and_wait(qtbot, tab, "Restaurer")

    assert asked["destructive"] is True
    assert asked["yes"] == "Remplacer la base et fermer"
    assert restored == [] and quits == []
    assert last_names(desk) == ["Ménard"]
    assert find(tab, "Restaurer", QPushButton).isEnabled()  # the tab is usable again


@sqlite_only
def test_restore_from_a_file_chosen_in_the_dialog(qtbot, tab, desk, no_modal, quits,
                                                  monkeypatch, tmp_path):
    from maison_app.views.admin import backups as view

    desk.people.create_person(first_name="Hélène", last_name="Martin")
    copy = desk.backups.backup(destination=tmp_path / "cle-usb.db")
    desk.people.create_person(first_name="François", last_name="Ménard")
    offered = []
    monkeypatch.setattr(view, "_ask_backup_file",
                        lambda parent, start: offered.append(start) or str(copy.path))
    no_modal.answers.append(True)
    click_and_wait(qtbot, tab, "Restaurer depuis un fichier")

    assert offered  # the dialog was shown
    (question,) = no_modal.texts("confirm")
    assert question.startswith("Restaurer la sauvegarde « cle-usb.db » ?")
    assert quits == [True]
    assert last_names(desk) == ["Martin"]


@sqlite_only
def test_a_cancelled_file_dialog_does_nothing(qtbot, tab, no_modal, quits, monkeypatch):
    from maison_app.views.admin import backups as view

    monkeypatch.setattr(view, "_ask_backup_file", lambda parent, start: "")
    click_and_wait(qtbot, tab, "Restaurer depuis un fichier")
    assert no_modal == [] and quits == []


@sqlite_only
@pytest.mark.parametrize("content, message", [
    (b"Ceci n'est pas une base.\n" * 40,
     "« abimee.db » n'est pas une base de données SQLite : rien n'a été restauré."),
    (None, "« abimee.db » est endommagé (contrôle d'intégrité"),
])
def test_a_damaged_file_is_refused_with_a_french_message(qtbot, tab, desk, no_modal, quits,
                                                         monkeypatch, tmp_path, content,
                                                         message):
    from maison_app.views.admin import backups as view

    damaged = tmp_path / "abimee.db"
    if content is None:  # a real backup cut in half
        for i in range(200):
            desk.people.create_person(first_name="Personne", last_name=f"Numéro {i}")
        whole = desk.backups.backup(destination=tmp_path / "entiere.db").path.read_bytes()
        damaged.write_bytes(whole[: len(whole) // 2])
    else:
        damaged.write_bytes(content)
    restored = []
    real_restore = desk.backups.restore
    monkeypatch.setattr(desk.backups, "restore",
                        lambda **kw: restored.append(kw) or real_restore(**kw))
    monkeypatch.setattr(view, "_ask_backup_file", lambda parent, start: str(damaged))
    no_modal.answers.append(True)  # would say yes, but is never asked
    click_and_wait(qtbot, tab, "Restaurer depuis un fichier")

    (warning,) = no_modal.texts("warn")
    assert warning.startswith(message)
    assert no_modal.texts("confirm") == [] and no_modal.texts("info") == []
    assert restored == [] and quits == []
    assert find(tab, "Restaurer depuis un fichier", QPushButton).isEnabled()


@sqlite_only
def test_open_the_folder_and_f5(qtbot, tab, desk, monkeypatch, no_modal):
    from maison_app.views.admin import backups as view

    opened = []
    monkeypatch.setattr(view, "_open_folder", lambda path: opened.append(path) or True)
    find(tab, "Ouvrir le dossier", QPushButton).click()
    assert opened == [desk.backups.folder] and desk.backups.folder.is_dir()

    desk.backups.backup(reason="quotidienne")  # e.g. the daily backup, meanwhile
    table = find(tab, "Sauvegardes", QTableView)
    assert rows(table) == []
    press(table, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: tab.tasks.idle)
    assert [r[REASON] for r in rows(table)] == ["Quotidienne"]
    assert no_modal == []


@sqlite_only
def test_restore_needs_a_chosen_backup(qtbot, tab, desk):
    desk.backups.backup()
    find(tab, "Actualiser", QPushButton).click()
    qtbot.waitUntil(lambda: tab.tasks.idle)
    restore = find(tab, "Restaurer", QPushButton)
    assert not restore.isEnabled()
    find(tab, "Sauvegardes", QTableView).selectRow(0)
    assert restore.isEnabled()


# --- PostgreSQL ------------------------------------------------------------------------------


def _fake_postgres_services(url: str, actor):
    db = SimpleNamespace(dialect="postgresql", url=url,
                         description="PostgreSQL — maison@serveur")
    ctx = SimpleNamespace(db=db, actor=actor,
                          now=lambda: dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC))
    return SimpleNamespace(ctx=ctx)


def test_postgresql_gets_the_procedure_with_its_address_and_no_password(qtbot, desk):
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.admin.backups import BackupsTab

    services = _fake_postgres_services(
        "postgresql+psycopg://accueil:s3cret@db.maison.local:5433/maison", desk.ctx.actor)
    tab = BackupsTab(services, TaskRunner())
    qtbot.addWidget(tab)
    text = find(tab, "Procédure de sauvegarde PostgreSQL", QTextBrowser).toPlainText()
    assert tab.findChildren(QTableView) == []
    assert ('pg_dump --format=custom --file=maison-2026-11-26.dump '
            '"postgresql://accueil@db.maison.local:5433/maison"') in text
    assert "createdb -h db.maison.local -p 5433 -U postgres -O accueil maison_restauree" in text
    assert ('pg_restore --no-owner --exit-on-error '
            '--dbname="postgresql://accueil@db.maison.local:5433/maison_restauree" '
            'maison-2026-11-26.dump') in text
    assert 'ALTER DATABASE maison RENAME TO maison_avant_restauration' in text
    assert "dropdb -h db.maison.local -p 5433 -U postgres maison_avant_restauration" in text
    assert "Fermez l'application sur tous les postes" in text
    assert "s3cret" not in text and "psycopg" not in text


@pytest.mark.skipif(not POSTGRES_URL, reason="MAISON_TEST_POSTGRES_URL is not set")
def test_postgresql_database_shows_the_procedure(qtbot, desk):
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.admin.backups import BackupsTab

    tab = BackupsTab(desk, TaskRunner())
    qtbot.addWidget(tab)
    text = find(tab, "Procédure de sauvegarde PostgreSQL", QTextBrowser).toPlainText()
    assert "pg_dump --format=custom" in text and "pg_restore --no-owner" in text
    assert tab.findChildren(QTableView) == []
    assert tab.findChildren(QPushButton) == []

