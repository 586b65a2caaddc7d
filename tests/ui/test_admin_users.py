"""The "Comptes" tab of the Administration screen, as the administrator uses it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QTableView

from maison_app.domain.enums import Role
from maison_app.domain.errors import PermissionDenied
from tests.ui.conftest import find, type_text


@pytest.fixture
def admin(services):
    return services.accounts.create_first_admin(login="admin", display_name="Claire",
                                                password="admin-2026")


@pytest.fixture
def desk(services, admin):
    """The services as the administrator who logged in."""
    return services.for_actor(services.accounts.actor_for(admin))


@pytest.fixture
def colleagues(desk):
    return {
        "accueil": desk.accounts.create_user(login="m.durand", display_name="Marion Durand",
                                             role=Role.ACCUEIL, password="accueil-2026"),
        "incubation": desk.accounts.create_user(login="k.benali", display_name="Karim Benali",
                                                role=Role.INCUBATION, password="incub-2026"),
    }


@pytest.fixture
def tab(qtbot, desk, colleagues):
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.admin.users import UsersTab

    tasks = TaskRunner()
    widget = UsersTab(desk, tasks)
    qtbot.addWidget(widget)
    widget.resize(900, 480)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: tasks.idle and widget.model.rowCount() == 3)
    yield widget
    tasks.wait()


def rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def row_of(view: QTableView, login: str) -> list[str]:
    return next(r for r in rows(view) if r[0] == login)


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def select(qtbot, tab, login: str) -> None:
    table = find(tab, "Comptes", QTableView)
    row = [r[0] for r in rows(table)].index(login)
    table.selectRow(row)
    assert tab.selected_user().login == login


def wait_refreshed(qtbot, tab) -> None:
    qtbot.waitUntil(lambda: tab.tasks.idle and tab._select_id is None)


def message(tab) -> str:
    label = find(tab, "Message des comptes", QLabel)
    return label.text() if label.isVisible() else ""


def test_the_list_says_who_may_log_in(qtbot, tab, services, colleagues):
    table = find(tab, "Comptes", QTableView)
    headers = [table.model().headerData(c, Qt.Orientation.Horizontal)
               for c in range(table.model().columnCount())]
    assert headers == ["Identifiant", "Nom", "Rôle", "État", "Dernière connexion"]
    assert [r[0] for r in rows(table)] == ["admin", "k.benali", "m.durand"]
    assert row_of(table, "admin")[1:4] == ["Claire (vous)", "Administration", "Actif"]
    assert row_of(table, "k.benali")[1:5] == ["Karim Benali", "Chargé·e d'incubation", "Actif",
                                              "jamais"]
    assert find(tab, "Nombre de comptes", QLabel).text() == "3 comptes"
    # nothing selected: only the creation is possible
    assert find(tab, "Nouveau compte…", QPushButton).isEnabled()
    assert not find(tab, "Réinitialiser le mot de passe…", QPushButton).isEnabled()
    assert not find(tab, "Désactiver", QPushButton).isEnabled()
    assert find(tab, "Désactiver", QPushButton).toolTip() == \
        "Choisissez d'abord un compte dans la liste."

    # a login shows up, in French, in Paris time (the clock says 26 Nov 2026 09:00 Paris)
    services.accounts.authenticate(login="m.durand", password="accueil-2026")
    tab.refresh()
    qtbot.waitUntil(lambda: row_of(table, "m.durand")[4] != "jamais")
    assert row_of(table, "m.durand")[4] == "26 novembre 2026 à 09:00"

    # sortable: by role, descending
    table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert [r[2] for r in rows(table)] == ["Chargé·e d'incubation", "Administration", "Accueil"]


def test_create_an_account_through_the_dialog(qtbot, tab, desk, services, no_modal, monkeypatch):
    from maison_app.views.admin import users

    def fill_and_create(dialog):
        dialog.show()
        type_text(find(dialog, "Identifiant", QLineEdit), "l.moreau")
        type_text(find(dialog, "Nom affiché", QLineEdit), "Léa Moreau")
        type_text(find(dialog, "Mot de passe", QLineEdit), "bienvenue-2026")
        type_text(find(dialog, "Confirmation du mot de passe", QLineEdit), "bienvenue-2026")
        # no role chosen yet: said under the role, nothing created
        click(qtbot, find(dialog, "Créer le compte", QPushButton))
        assert dialog.isVisible()
        assert dialog.errors.message("role") == "Choisissez un rôle."
        combo = find(dialog, "Rôle", QComboBox)
        combo.setCurrentIndex(combo.findData(Role.ACCUEIL))
        help_text = find(dialog, "Ce que permet le rôle", QLabel).text()
        assert "Accueil et passages" in help_text and "Comptes et rôles" not in help_text
        click(qtbot, find(dialog, "Créer le compte", QPushButton))
        return dialog.result()

    monkeypatch.setattr(users.NewAccountDialog, "exec", fill_and_create)
    click(qtbot, find(tab, "Nouveau compte…", QPushButton))
    wait_refreshed(qtbot, tab)

    table = find(tab, "Comptes", QTableView)
    assert row_of(table, "l.moreau")[1:5] == ["Léa Moreau", "Accueil", "Actif", "jamais"]
    assert tab.selected_user().login == "l.moreau"  # the new account is selected
    assert message(tab) == "Compte « l.moreau » créé pour Léa Moreau (Accueil)."
    assert find(tab, "Nombre de comptes", QLabel).text() == "4 comptes"
    assert no_modal == []
    user = services.accounts.authenticate(login="l.moreau", password="bienvenue-2026")
    assert user.role is Role.ACCUEIL


def test_duplicate_login_is_refused_under_the_field_and_the_text_stays(
        qtbot, tab, desk, no_modal, monkeypatch):
    from maison_app.views.admin import users

    seen = {}

    def fill(dialog):
        dialog.show()
        type_text(find(dialog, "Identifiant", QLineEdit), "m.durand")
        type_text(find(dialog, "Nom affiché", QLineEdit), "Mathis Durand")
        combo = find(dialog, "Rôle", QComboBox)
        combo.setCurrentIndex(combo.findData(Role.INCUBATION))
        type_text(find(dialog, "Mot de passe", QLineEdit), "pepiniere-2026")
        type_text(find(dialog, "Confirmation du mot de passe", QLineEdit), "pepiniere-2026")
        click(qtbot, find(dialog, "Créer le compte", QPushButton))
        assert dialog.isVisible()
        seen["login error"] = dialog.errors.message("login")
        seen["typed"] = (find(dialog, "Identifiant", QLineEdit).text(),
                         find(dialog, "Nom affiché", QLineEdit).text(),
                         find(dialog, "Rôle", QComboBox).currentText(),
                         find(dialog, "Mot de passe", QLineEdit).text())
        click(qtbot, find(dialog, "Annuler", QPushButton))
        return dialog.result()

    monkeypatch.setattr(users.NewAccountDialog, "exec", fill)
    click(qtbot, find(tab, "Nouveau compte…", QPushButton))
    assert seen["login error"] == "L'identifiant « m.durand » est déjà pris."
    assert seen["typed"] == ("m.durand", "Mathis Durand", "Chargé·e d'incubation",
                             "pepiniere-2026")
    assert no_modal == []
    assert message(tab) == ""
    assert [u.display_name for u in desk.accounts.users() if u.login == "m.durand"] == \
        ["Marion Durand"]


def test_password_mismatch_is_said_under_the_confirmation(qtbot, tab, desk, monkeypatch):
    from maison_app.views.admin import users

    seen = {}

    def fill(dialog):
        dialog.show()
        type_text(find(dialog, "Identifiant", QLineEdit), "j.roux")
        combo = find(dialog, "Rôle", QComboBox)
        combo.setCurrentIndex(combo.findData(Role.ACCUEIL))
        type_text(find(dialog, "Mot de passe", QLineEdit), "premier-essai")
        type_text(find(dialog, "Confirmation du mot de passe", QLineEdit), "premier-esai")
        click(qtbot, find(dialog, "Créer le compte", QPushButton))
        seen["visible"] = dialog.isVisible()
        seen["error"] = dialog.errors.message("confirmation")
        seen["login kept"] = find(dialog, "Identifiant", QLineEdit).text()
        # a password too short is said under the password
        for name in ("Mot de passe", "Confirmation du mot de passe"):
            find(dialog, name, QLineEdit).setText("court")
        click(qtbot, find(dialog, "Créer le compte", QPushButton))
        seen["short"] = dialog.errors.message("password")
        dialog.reject()
        return dialog.result()

    monkeypatch.setattr(users.NewAccountDialog, "exec", fill)
    click(qtbot, find(tab, "Nouveau compte…", QPushButton))
    assert seen["visible"]
    assert seen["error"] == "Les deux mots de passe ne sont pas identiques."
    assert seen["login kept"] == "j.roux"
    assert seen["short"] == "Le mot de passe doit compter au moins 8 caractères."
    assert "j.roux" not in [u.login for u in desk.accounts.users()]


def test_disable_after_confirmation_then_enable_again(qtbot, tab, services, no_modal):
    table = find(tab, "Comptes", QTableView)
    select(qtbot, tab, "m.durand")
    button = find(tab, "Désactiver", QPushButton)
    assert button.isEnabled()

    # "Annuler" in the confirmation: nothing happens
    no_modal.answers.append(False)
    click(qtbot, button)
    assert no_modal.texts("confirm") and "Marion Durand" in no_modal.texts("confirm")[0]
    assert "m.durand" in no_modal.texts("confirm")[0]
    assert row_of(table, "m.durand")[3] == "Actif"

    no_modal.answers.append(True)
    click(qtbot, button)
    wait_refreshed(qtbot, tab)
    assert row_of(table, "m.durand")[3] == "Désactivé"
    assert tab.selected_user().login == "m.durand"  # the selection stays
    assert message(tab) == ("Le compte de Marion Durand est désactivé : cette personne ne peut "
                            "plus se connecter.")
    assert find(tab, "Nombre de comptes", QLabel).text() == "3 comptes, dont 1 désactivé"
    disabled_row = [r[0] for r in rows(table)].index("m.durand")
    assert table.model().index(disabled_row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert table.model().index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None  # admin
    with pytest.raises(PermissionDenied, match="désactivé"):
        services.accounts.authenticate(login="m.durand", password="accueil-2026")

    # the button follows the selected account
    assert button is find(tab, "Réactiver", QPushButton)
    select(qtbot, tab, "k.benali")
    assert button.text() == "Désactiver" and button.accessibleName() == "Désactiver"
    select(qtbot, tab, "m.durand")
    assert button.text() == "Réactiver"

    asked = len(no_modal.texts("confirm"))
    click(qtbot, button)  # enabling again asks nothing
    wait_refreshed(qtbot, tab)
    assert len(no_modal.texts("confirm")) == asked
    assert row_of(table, "m.durand")[3] == "Actif"
    assert button.text() == "Désactiver"
    assert message(tab) == ("Le compte de Marion Durand est réactivé : cette personne peut de "
                            "nouveau se connecter.")
    assert services.accounts.authenticate(login="m.durand", password="accueil-2026").active
    assert no_modal.texts("warn") == []


def test_disabling_your_own_account_is_refused(qtbot, tab, desk, no_modal):
    select(qtbot, tab, "admin")
    button = find(tab, "Désactiver", QPushButton)
    assert "propre compte" in button.toolTip()
    click(qtbot, button)
    assert no_modal.texts("confirm") == []  # no question before a sure refusal
    assert no_modal.texts("warn") == ["Vous ne pouvez pas désactiver votre propre compte."]
    qtbot.waitUntil(lambda: tab.tasks.idle)
    assert row_of(find(tab, "Comptes", QTableView), "admin")[3] == "Actif"
    assert all(u.active for u in desk.accounts.users())
    assert message(tab) == ""


def test_reset_a_password(qtbot, tab, services, no_modal, monkeypatch):
    from maison_app.views.admin import users

    # a forgotten password: five failures pause the account
    for _attempt in range(5):
        with pytest.raises(PermissionDenied):
            services.accounts.authenticate(login="k.benali", password="je-ne-sais-plus")
    seen = {}

    def fill(dialog):
        dialog.show()
        seen["intro"] = find(dialog, "Compte concerné", QLabel).text()
        type_text(find(dialog, "Nouveau mot de passe", QLineEdit), "nouveau-départ")
        type_text(find(dialog, "Confirmation du mot de passe", QLineEdit), "nouveau-depart")
        click(qtbot, find(dialog, "Enregistrer le mot de passe", QPushButton))
        seen["mismatch"] = dialog.errors.message("confirmation")
        confirmation = find(dialog, "Confirmation du mot de passe", QLineEdit)
        confirmation.clear()
        type_text(confirmation, "nouveau-départ")
        click(qtbot, find(dialog, "Enregistrer le mot de passe", QPushButton))
        return dialog.result()

    monkeypatch.setattr(users.PasswordResetDialog, "exec", fill)
    select(qtbot, tab, "k.benali")
    click(qtbot, find(tab, "Réinitialiser le mot de passe…", QPushButton))
    wait_refreshed(qtbot, tab)
    assert "Karim Benali" in seen["intro"] and "k.benali" in seen["intro"]
    assert seen["mismatch"] == "Les deux mots de passe ne sont pas identiques."
    assert message(tab) == "Nouveau mot de passe enregistré pour Karim Benali."
    assert tab.selected_user().login == "k.benali"
    assert no_modal == []
    # the new password works at once (the pause is lifted), the old one no more
    user = services.accounts.authenticate(login="k.benali", password="nouveau-départ")
    assert user.login == "k.benali"
    with pytest.raises(PermissionDenied):
        services.accounts.authenticate(login="k.benali", password="incub-2026")


def test_a_role_without_the_accounts_area_cannot_list_them(qtbot, services, colleagues,
                                                           no_modal):
    """The tab is only built for administrators; if it were shown to another role, the
    service refuses and the buttons stay disabled."""
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.admin.users import UsersTab

    accueil = services.for_actor(services.accounts.actor_for(colleagues["accueil"]))
    tasks = TaskRunner()
    widget = UsersTab(accueil, tasks)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: tasks.idle)
    assert len(no_modal.texts("warn")) == 1 and "Accueil" in no_modal.texts("warn")[0]
    assert widget.model.rowCount() == 0
    assert not find(widget, "Nouveau compte…", QPushButton).isEnabled()
