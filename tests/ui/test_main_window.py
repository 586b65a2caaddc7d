"""The shell: navigation of the built areas only, status bar, settings, start-up paths."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QListWidget

from maison_app.domain.errors import DatabaseUnavailable
from tests.ui.conftest import find


@pytest.fixture
def window(qtbot, services):
    from maison_app.ui.main_window import MainWindow
    from maison_app.views import built_areas

    w = MainWindow(built_areas(), services=services)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.tasks.idle)
    yield w
    w.tasks.wait()


def test_navigation_lists_only_built_areas(window):
    nav = find(window, "Navigation", QListWidget)
    assert [nav.item(i).text() for i in range(nav.count())] == [
        "Accueil", "Adhérents", "Bureaux & postes", "Hébergement", "Réservations",
        "Ateliers", "Circuits courts", "Administration"]
    assert window.stack.currentWidget() is window.screens["reception"]


@pytest.mark.parametrize("role, areas", [
    ("accueil", ["Accueil", "Adhérents", "Bureaux & postes", "Hébergement",
                 "Réservations", "Ateliers", "Circuits courts"]),
    ("incubation", ["Accueil", "Adhérents", "Bureaux & postes", "Hébergement",
                    "Réservations", "Ateliers", "Circuits courts"]),
    ("administration", ["Accueil", "Adhérents", "Bureaux & postes", "Hébergement",
                        "Réservations", "Ateliers", "Circuits courts",
                        "Administration"]),
])
def test_navigation_follows_the_role(qtbot, services, role, areas):
    from maison_app.domain.enums import Role
    from maison_app.services.context import Actor
    from maison_app.ui.main_window import MainWindow
    from maison_app.views import built_areas

    w = MainWindow(built_areas(), services=services.for_actor(Actor(login=role, role=Role(role))))
    qtbot.addWidget(w)
    nav = find(w, "Navigation", QListWidget)
    assert [nav.item(i).text() for i in range(nav.count())] == areas
    expected = {"reception", "members", "spaces", "hosting", "bookings", "workshops",
                "catalogue"} | (
        {"admin"} if "Administration" in areas else set())
    assert set(w.screens) == expected
    # the reception sees the agreements and the mail, not the accompanied projects
    hosting = w.screens["hosting"]
    tabs = [hosting.tabs.tabText(i) for i in range(hosting.tabs.count())]
    assert tabs == (["Conventions", "Courrier"] if role == "accueil" else
                    ["Projets accompagnés", "Conventions", "Courrier"])
    qtbot.waitUntil(lambda: w.tasks.idle)
    w.tasks.wait()


def test_status_bar_names_the_database(window, services):
    label = find(window, "Base de données", QLabel)
    assert services.database_description in label.text()
    assert label.text().startswith("Base : ")


def test_settings_saved_from_the_menu(window, monkeypatch, tmp_path):
    from maison_app.services.local_config import LocalConfig
    from maison_app.ui import settings_dialog

    monkeypatch.setenv("MAISON_CONFIG_DIR", str(tmp_path))
    seen = {}

    def accept(dialog):
        seen["dialog"] = dialog
        dialog.saved_config = LocalConfig(language="en")
        return True

    monkeypatch.setattr(settings_dialog.SettingsDialog, "exec", accept)
    window.open_settings()
    assert "dialog" in seen
    assert window.config == LocalConfig(language="en")


def test_unreachable_database_gives_a_french_message_and_can_quit(qtbot, monkeypatch, tmp_path):
    from maison_app.app import open_services
    from maison_app.ui import application
    from maison_app.views import built_areas

    monkeypatch.setenv("MAISON_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MAISON_CONFIG_DIR", str(tmp_path / "config"))
    messages = []

    def ask(error, config):
        messages.append(error.message)
        return None  # "Quitter"

    monkeypatch.setattr(application, "_ask_for_database", ask)
    code = application.run(
        opener=open_services, areas=built_areas,
        database_url="postgresql+psycopg://nobody@127.0.0.1:1/nothing", config=None,
        started_at=0.0,
    )
    assert code == 2
    assert messages and messages[0].startswith("Impossible d'ouvrir la base de données")
    assert "Traceback" not in messages[0]


def test_unreadable_sqlite_file_is_explained(tmp_path):
    from maison_app.app import open_services

    bad = tmp_path / "pas-une-base.db"
    bad.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    with pytest.raises(DatabaseUnavailable) as info:
        open_services(f"sqlite:///{bad}")
    assert "n'est pas une base de données" in info.value.message


def test_malformed_url_is_explained():
    from maison_app.app import open_services

    with pytest.raises(DatabaseUnavailable) as info:
        open_services("mysql://quelquun@serveur/base")
    assert "SQLite ou PostgreSQL" in info.value.message


def test_window_paints_before_the_database_is_open_then_attaches(qtbot, services):
    from maison_app.ui.main_window import MainWindow
    from maison_app.views import built_areas

    w = MainWindow(built_areas())
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.first_painted, timeout=5000):
        pass
    assert find(w, "Ouverture de la base de données", QLabel).isVisible()
    assert not find(w, "Navigation", QListWidget).isEnabled()
    assert w.settings_action.isEnabled() is False

    w.attach(services)
    qtbot.waitUntil(lambda: w.tasks.idle)
    assert find(w, "Navigation", QListWidget).isEnabled()
    assert w.stack.currentWidget() is w.screens["reception"]
    assert services.database_description in find(w, "Base de données", QLabel).text()
    w.tasks.wait()


def test_the_app_starts_on_a_database_and_shows_the_reception(db_url, tmp_path):
    """The whole start-up path of `python -m maison_app`, in its own process: the window
    paints, the database is opened after the first paint; the login would come next
    (MAISON_EXIT_WHEN_READY stops there).
    (A second QApplication.exec() in the test process would upset pytest-qt.)"""
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MAISON_EXIT_WHEN_READY="1",
               MAISON_DATA_DIR=str(tmp_path / "data"), MAISON_CONFIG_DIR=str(tmp_path / "config"))
    env.pop("MAISON_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "maison_app", "--database", db_url], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert any(line.startswith("ready ") for line in done.stdout.splitlines())
    log = (tmp_path / "data" / "logs" / "maison.log").read_text(encoding="utf-8")
    assert "database opened" in log
