"""Logging in as a person would: first administrator, login, lockout, idle lock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton

from maison_app.domain.accounts import MAX_FAILED_ATTEMPTS
from maison_app.domain.enums import Role
from tests.ui.conftest import find, type_text


def click(qtbot, dialog, name):
    qtbot.mouseClick(find(dialog, name, QPushButton), Qt.MouseButton.LeftButton)


def test_first_start_creates_the_administrator(qtbot, services):
    from maison_app.ui.login_dialog import FirstAdminDialog

    dialog = FirstAdminDialog(services.accounts)
    qtbot.addWidget(dialog)
    dialog.show()
    name = find(dialog, "Nom affiché", QLineEdit)
    type_text(name, "Hélène Lefèvre")
    type_text(find(dialog, "Mot de passe", QLineEdit), "maison-2026")
    type_text(find(dialog, "Confirmation du mot de passe", QLineEdit), "maison-2027")
    click(qtbot, dialog, "Créer le compte")
    assert dialog.errors.message("confirmation") == "Les deux mots de passe ne sont pas identiques."
    assert name.text() == "Hélène Lefèvre" and not services.accounts.has_users()

    find(dialog, "Confirmation du mot de passe", QLineEdit).setText("maison-2026")
    click(qtbot, dialog, "Créer le compte")
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.user.role == Role.ADMINISTRATION and dialog.user.name == "Hélène Lefèvre"


def test_login_refused_under_the_password_then_accepted(qtbot, services):
    from maison_app.ui.login_dialog import LoginDialog

    services.accounts.create_first_admin(login="admin", display_name="", password="bon-mot-2026")
    dialog = LoginDialog(services.accounts)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(find(dialog, "Identifiant", QLineEdit), "admin")
    type_text(find(dialog, "Mot de passe", QLineEdit), "mauvais")
    qtbot.keyClick(find(dialog, "Mot de passe", QLineEdit), Qt.Key.Key_Return)
    assert dialog.errors.message("password") == "Identifiant ou mot de passe incorrect."
    assert dialog.isVisible() and find(dialog, "Identifiant", QLineEdit).text() == "admin"

    password = find(dialog, "Mot de passe", QLineEdit)
    password.clear()
    type_text(password, "bon-mot-2026")
    click(qtbot, dialog, "Se connecter")
    assert dialog.user is not None and dialog.user.login == "admin"


def test_repeated_failures_pause_the_login(qtbot, services):
    from maison_app.ui.login_dialog import LoginDialog

    services.accounts.create_first_admin(login="admin", display_name="", password="bon-mot-2026")
    dialog = LoginDialog(services.accounts, login="admin")
    qtbot.addWidget(dialog)
    password = find(dialog, "Mot de passe", QLineEdit)
    for _ in range(MAX_FAILED_ATTEMPTS):
        password.setText("faux")
        dialog.try_login()
    password.setText("bon-mot-2026")
    dialog.try_login()
    assert "réessayez dans" in dialog.errors.message("password")
    assert dialog.user is None


def test_idle_lock_hides_the_window_and_the_same_user_unlocks(qtbot, services):
    from maison_app.ui.idle_lock import IdleWatcher
    from maison_app.ui.login_dialog import UnlockDialog
    from maison_app.ui.main_window import MainWindow
    from maison_app.views import built_areas

    admin = services.accounts.create_first_admin(login="admin", display_name="Claire",
                                                 password="bon-mot-2026")
    window = MainWindow(built_areas(), services=services.for_actor(
        services.accounts.actor_for(admin)))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.tasks.idle)

    from PySide6.QtWidgets import QApplication

    watcher = IdleWatcher(QApplication.instance(), minutes=0.001)  # 60 ms
    with qtbot.waitSignal(watcher.idle, timeout=3000):
        pass
    window.set_locked(True)
    assert not window.centralWidget().isVisible()

    dialog = UnlockDialog(services.accounts, admin, window)
    qtbot.addWidget(dialog)
    find(dialog, "Mot de passe", QLineEdit).setText("faux")
    click(qtbot, dialog, "Déverrouiller")
    assert dialog.errors.message("password") == "Identifiant ou mot de passe incorrect."
    find(dialog, "Mot de passe", QLineEdit).setText("bon-mot-2026")
    click(qtbot, dialog, "Déverrouiller")
    assert dialog.result() == dialog.DialogCode.Accepted
    window.set_locked(False)
    assert window.centralWidget().isVisible()
    watcher.stop()
    window.tasks.wait()


def test_activity_restarts_the_idle_countdown(qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication, QLineEdit as Edit

    from maison_app.ui.idle_lock import IdleWatcher

    watcher = IdleWatcher(QApplication.instance(), minutes=0.01)  # 600 ms
    fired = []
    watcher.idle.connect(lambda: fired.append(True))
    field = Edit()
    qtbot.addWidget(field)
    for _ in range(3):  # typing every 300 ms keeps the session open
        qtbot.wait(300)
        QApplication.sendEvent(field, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A,
                                                Qt.KeyboardModifier.NoModifier, "a"))
    assert fired == []
    qtbot.waitUntil(lambda: fired == [True], timeout=3000)  # then silence locks it
    watcher.pause()
    assert not watcher.timer.isActive()
    watcher.stop()


def test_idle_minutes_setting(services):
    from maison_app.domain.errors import ValidationError

    assert services.settings.idle_minutes() == 10
    services.settings.save_idle_minutes(minutes=5)
    assert services.settings.idle_minutes() == 5
    with pytest.raises(ValidationError):
        services.settings.save_idle_minutes(minutes=0)
