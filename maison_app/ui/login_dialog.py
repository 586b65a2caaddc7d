"""Logging in: the first administrator on the first start, then a login at every start,
and the quick unlock after the idle lock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from maison_app import APP_DISPLAY_NAME
from maison_app.domain.accounts import (
    MIN_PASSWORD_LENGTH,
    UserRecord,
    check_confirmation,
)
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.i18n import _
from maison_app.ui.forms import FormErrors, dialog_buttons


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class LoginDialog(QDialog):
    """Login and password; a refusal is said under the password, the login is kept."""

    def __init__(self, accounts, parent: QWidget | None = None, *, login: str = "") -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.user: UserRecord | None = None
        self.setWindowTitle(_("Connexion — {name}").format(name=APP_DISPLAY_NAME))
        self.setAccessibleName(_("Connexion"))
        self.setMinimumWidth(380)
        self.errors = FormErrors()
        form = QFormLayout()
        self.login = QLineEdit(login)
        self.errors.add_row(form, _("Identifiant"), "login", self.login)
        self.password = _password_field()
        self.errors.add_row(form, _("Mot de passe"), "password", self.password)
        buttons, self.ok_button = dialog_buttons(self, _("Se connecter"), self.try_login,
                                                 cancel=_("Quitter"))
        layout = QVBoxLayout(self)
        title = QLabel(_("Bienvenue à la {name}").format(name=APP_DISPLAY_NAME))
        title.setStyleSheet("font-size: 16px; font-weight: 600;")
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(buttons)
        (self.password if login else self.login).setFocus(Qt.FocusReason.OtherFocusReason)

    def try_login(self) -> None:
        self.errors.clear()
        try:
            self.user = self.accounts.authenticate(login=self.login.text(),
                                                   password=self.password.text())
        except MaisonError as exc:
            self.errors.show(ValidationError(exc.message, field="password"))
            self.password.selectAll()
            return
        self.accept()


class FirstAdminDialog(QDialog):
    """The first start: create the administrator account."""

    def __init__(self, accounts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.user: UserRecord | None = None
        self.setWindowTitle(_("Premier démarrage"))
        self.setAccessibleName(_("Premier démarrage"))
        self.setMinimumWidth(460)
        intro = QLabel(_("Aucun compte n'existe encore dans cette base. Créez le compte "
                         "d'administration : il permettra ensuite de créer les comptes de "
                         "l'accueil et de l'incubation."))
        intro.setWordWrap(True)
        self.errors = FormErrors()
        form = QFormLayout()
        self.login = QLineEdit("admin")
        self.errors.add_row(form, _("Identifiant"), "login", self.login)
        self.display_name = QLineEdit()
        self.errors.add_row(form, _("Nom affiché"), "display_name", self.display_name)
        self.password = _password_field()
        self.password.setPlaceholderText(
            _("{n} caractères au moins").format(n=MIN_PASSWORD_LENGTH))
        self.errors.add_row(form, _("Mot de passe"), "password", self.password)
        self.confirmation = _password_field()
        self.errors.add_row(form, _("Confirmation"), "confirmation", self.confirmation,
                            _("Confirmation du mot de passe"))
        buttons, self.ok_button = dialog_buttons(self, _("Créer le compte"), self.create,
                                                 cancel=_("Quitter"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def create(self) -> None:
        self.errors.clear()
        try:
            check_confirmation(self.password.text(), self.confirmation.text())
        except ValidationError as exc:
            self.errors.show(exc)
            return
        try:
            self.user = self.accounts.create_first_admin(
                login=self.login.text(), display_name=self.display_name.text(),
                password=self.password.text())
        except ValidationError as exc:
            if not self.errors.show(exc):
                self.errors.show(ValidationError(exc.message, field="login"))
            return
        except MaisonError as exc:
            self.errors.show(ValidationError(exc.message, field="login"))
            return
        self.accept()


class UnlockDialog(QDialog):
    """The idle lock: the same user types the password again (or quits the app)."""

    def __init__(self, accounts, user: UserRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.user = user
        self.setWindowTitle(_("Session verrouillée"))
        self.setAccessibleName(_("Session verrouillée"))
        self.setMinimumWidth(380)
        text = QLabel(_("La session de {name} est verrouillée après un temps d'inactivité. "
                        "Tapez votre mot de passe pour reprendre.").format(name=user.name))
        text.setWordWrap(True)
        self.errors = FormErrors()
        form = QFormLayout()
        self.password = _password_field()
        self.errors.add_row(form, _("Mot de passe"), "password", self.password)
        buttons, self.ok_button = dialog_buttons(self, _("Déverrouiller"), self.try_unlock,
                                                 cancel=_("Quitter l'application"))
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def try_unlock(self) -> None:
        self.errors.clear()
        try:
            self.accounts.authenticate(login=self.user.login, password=self.password.text())
        except MaisonError as exc:
            self.errors.show(ValidationError(exc.message, field="password"))
            self.password.clear()
            return
        self.accept()
