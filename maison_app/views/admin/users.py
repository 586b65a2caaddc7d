"""The "Comptes" tab of the Administration screen: who may log in, with which role.

The administrator creates an account (login, name, role, password), gives a new password to
someone who forgot theirs, and disables an account (a person who left) or enables it again.
Accounts are never deleted: the audit trail names them. The service refuses what must not
happen (disabling one's own account, the last administrator); the tab says so in French.

User lists are small: the writes call the service on the GUI thread, the list is loaded
through the task runner."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.accounts import (
    MIN_PASSWORD_LENGTH,
    UserRecord,
    check_confirmation,
)
from maison_app.domain.enums import Role
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.domain.permissions import MATRIX, Access, Area, allowed
from maison_app.i18n import _, format_datetime, ngettext
from maison_app.ui import messages
from maison_app.ui.forms import FormErrors, dialog_buttons, show_error
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import (
    Column,
    RecordTableModel,
    record_table,
    select_record,
    selected_record,
)

BANNER_STYLE = ("#usersBanner { background: #e3f1e8; border: 1px solid #9cc8ab; "
                "border-radius: 4px; padding: 6px 8px; }")


def role_summary(role: Role) -> str:
    """What a role may do, from the permission matrix: shown under the role choice."""
    write = [area.label for area, access in MATRIX[role].items() if access == Access.WRITE]
    read = [area.label for area, access in MATRIX[role].items() if access == Access.READ]
    lines = []
    if write:
        lines.append(_("Peut modifier : {areas}.").format(areas=", ".join(write)))
    if read:
        lines.append(_("Peut consulter : {areas}.").format(areas=", ".join(read)))
    return "\n".join(lines)


def _password_field(placeholder: str | None = None) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    if placeholder:
        field.setPlaceholderText(placeholder)
    return field


class _UsersModel(RecordTableModel[UserRecord]):
    """The accounts; a disabled one is greyed, so that it stands out in the list."""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            return None if self.record(index.row()).active else QBrush(QColor("#8a8a8a"))
        return super().data(index, role)


class NewAccountDialog(QDialog):
    """Login, displayed name, role, password twice. Errors under the field; what was typed
    stays."""

    def __init__(self, accounts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.user: UserRecord | None = None
        self.setWindowTitle(_("Nouveau compte"))
        self.setAccessibleName(_("Nouveau compte"))
        self.setMinimumWidth(480)

        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.login = QLineEdit()
        self.login.setPlaceholderText(_("par exemple : m.durand"))
        self.errors.add_row(form, _("Identifiant"), "login", self.login)
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText(_("Prénom et nom"))
        self.errors.add_row(form, _("Nom affiché"), "display_name", self.display_name)
        self.role = QComboBox()
        self.role.setPlaceholderText(_("Choisissez un rôle"))
        for role in Role:
            self.role.addItem(role.label, role)
        self.role.setCurrentIndex(-1)  # a conscious choice: roles grant permissions
        self.errors.add_row(form, _("Rôle"), "role", self.role)
        self.role_help = QLabel()
        self.role_help.setWordWrap(True)
        self.role_help.setAccessibleName(_("Ce que permet le rôle"))
        self.role_help.setStyleSheet("color: #555; font-size: 90%;")
        form.addRow("", self.role_help)
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        self.password = _password_field(
            _("{n} caractères au moins").format(n=MIN_PASSWORD_LENGTH))
        self.errors.add_row(form, _("Mot de passe"), "password", self.password)
        self.confirmation = _password_field(_("Le même mot de passe, une seconde fois"))
        self.errors.add_row(form, _("Confirmation"), "confirmation", self.confirmation,
                            _("Confirmation du mot de passe"))

        buttons, self.ok_button = dialog_buttons(self, _("Créer le compte"), self.create)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.login.setFocus(Qt.FocusReason.OtherFocusReason)

    def _role_changed(self) -> None:
        role = self.role.currentData()
        self.role_help.setText(role_summary(role) if role is not None else "")
        self.role_help.setVisible(role is not None)
        if self.isVisible():  # the wrapped text needs its height: grow the dialog
            self.layout().activate()
            self.adjustSize()

    def create(self) -> None:
        self.errors.clear()
        try:
            check_confirmation(self.password.text(), self.confirmation.text())
        except ValidationError as exc:
            self.errors.show(exc)
            return
        try:
            self.user = self.accounts.create_user(
                login=self.login.text(), display_name=self.display_name.text(),
                role=self.role.currentData(), password=self.password.text())
        except MaisonError as exc:
            show_error(self, self.errors, exc)
            return
        self.accept()


class PasswordResetDialog(QDialog):
    """A new password for someone who forgot theirs (it also lifts a pause after failed
    logins)."""

    def __init__(self, accounts, user: UserRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.target = user
        self.user: UserRecord | None = None
        title = _("Réinitialiser le mot de passe")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(460)
        intro = QLabel(_("Nouveau mot de passe pour {name} (identifiant « {login} »). "
                         "Communiquez-le à la personne : l'ancien ne fonctionnera plus.")
                       .format(name=user.name, login=user.login))
        intro.setWordWrap(True)
        intro.setAccessibleName(_("Compte concerné"))
        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.password = _password_field(
            _("{n} caractères au moins").format(n=MIN_PASSWORD_LENGTH))
        self.errors.add_row(form, _("Nouveau mot de passe"), "password", self.password)
        self.confirmation = _password_field(_("Le même mot de passe, une seconde fois"))
        self.errors.add_row(form, _("Confirmation"), "confirmation", self.confirmation,
                            _("Confirmation du mot de passe"))
        buttons, self.ok_button = dialog_buttons(self, _("Enregistrer le mot de passe"), self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        self.errors.clear()
        try:
            check_confirmation(self.password.text(), self.confirmation.text())
        except ValidationError as exc:
            self.errors.show(exc)
            return
        try:
            self.user = self.accounts.reset_password(user_id=self.target.id,
                                                     password=self.password.text())
        except MaisonError as exc:
            show_error(self, self.errors, exc)
            return
        self.accept()


class UsersTab(QWidget):
    """Needs the app's `Services` and the shared `TaskRunner`."""

    users_loaded = Signal()  # tests listen to it

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self._select_id: int | None = None  # the account to select once the list is back
        self._loaded = False
        self._build()
        self.refresh()

    # --- layout -----------------------------------------------------------------------

    def _me(self) -> int | None:
        return self.services.ctx.actor.user_id

    def _build(self) -> None:
        intro = QLabel(_("Chaque personne qui utilise l'application a son propre compte ; son "
                         "rôle décide de ce qu'elle peut voir et modifier. Un compte désactivé "
                         "ne peut plus se connecter, mais ses actions passées restent dans le "
                         "journal des modifications."))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #444;")

        self.banner = QLabel()
        self.banner.setObjectName("usersBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(_("Message des comptes"))
        self.banner.setVisible(False)

        self.model = _UsersModel([
            Column(_("Identifiant"), lambda u: u.login),
            Column(_("Nom"), self._name_text, sort_key=lambda u: u.display_name.lower()),
            Column(_("Rôle"), lambda u: u.role.label),
            Column(_("État"), lambda u: _("Actif") if u.active else _("Désactivé"),
                   tooltip=lambda u: "" if u.active else
                   _("Ce compte ne peut plus se connecter.")),
            Column(_("Dernière connexion"),
                   lambda u: format_datetime(u.last_login_at) if u.last_login_at else _("jamais"),
                   sort_key=lambda u: u.last_login_at.timestamp() if u.last_login_at else 0.0),
        ])
        self.table, self.proxy = record_table(_("Comptes"), self.model,
                                              widths=(140, 200, 170, 95))
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.count_label = QLabel()
        self.count_label.setAccessibleName(_("Nombre de comptes"))
        self.count_label.setStyleSheet("color: #555;")

        self.new_button = QPushButton(_("Nouveau compte…"))
        self.new_button.setAccessibleName(_("Nouveau compte…"))
        self.new_button.clicked.connect(self.new_account)
        self.reset_button = QPushButton(_("Réinitialiser le mot de passe…"))
        self.reset_button.setAccessibleName(_("Réinitialiser le mot de passe…"))
        self.reset_button.clicked.connect(self.reset_password)
        self.toggle_button = QPushButton()
        self.toggle_button.clicked.connect(self.toggle_active)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.toggle_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        add_shortcuts(self, [(QKeySequence.StandardKey.Refresh, self.refresh)])
        self._update_buttons()

    def _name_text(self, user: UserRecord) -> str:
        if user.id == self._me():
            return _("{name} (vous)").format(name=user.name)
        return user.display_name

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._loaded:  # coming back to the tab: the last logins may have changed
            QTimer.singleShot(0, self.refresh)

    # --- the list ---------------------------------------------------------------------

    def refresh(self) -> None:
        accounts = self.services.accounts
        self.tasks.run(accounts.users, on_success=self._show_users,
                       on_error=lambda exc: messages.show_error(self, exc), key="admin-users")

    def _show_users(self, users) -> None:
        keep = self._select_id
        if keep is None:
            current = self.selected_user()
            keep = current.id if current is not None else None
        self._select_id = None
        self._loaded = True
        self.model.set_records(users)
        if keep is not None:
            self.select_user(keep)
        disabled = sum(1 for u in users if not u.active)
        text = ngettext("{n} compte", "{n} comptes", len(users)).format(n=len(users))
        if disabled:
            text += ngettext(", dont {n} désactivé", ", dont {n} désactivés",
                             disabled).format(n=disabled)
        self.count_label.setText(text)
        self._update_buttons()
        self.users_loaded.emit()

    def select_user(self, user_id: int) -> bool:
        return select_record(self.table, self.model, lambda r: r.id == user_id)

    def selected_user(self) -> UserRecord | None:
        return selected_record(self.table, self.model)

    def _update_buttons(self) -> None:
        user = self.selected_user()
        may_write = allowed(self.services.ctx.actor.role, Area.USERS, Access.WRITE)
        label = _("Réactiver") if user is not None and not user.active else _("Désactiver")
        self.toggle_button.setText(label)
        self.toggle_button.setAccessibleName(label)
        self.new_button.setEnabled(may_write)
        self.reset_button.setEnabled(may_write and user is not None)
        self.toggle_button.setEnabled(may_write and user is not None)
        choose_first = _("Choisissez d'abord un compte dans la liste.") if user is None else ""
        self.reset_button.setToolTip(choose_first)
        if user is not None and user.id == self._me():
            self.toggle_button.setToolTip(_("Vous ne pouvez pas désactiver votre propre compte."))
        else:
            self.toggle_button.setToolTip(choose_first)

    def _announce(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(True)

    def _changed(self, user: UserRecord, text: str) -> None:
        self._select_id = user.id
        self._announce(text)
        self.refresh()

    # --- actions ----------------------------------------------------------------------

    def new_account(self) -> None:
        dialog = NewAccountDialog(self.services.accounts, self)
        if dialog.exec() and dialog.user is not None:
            u = dialog.user
            self._changed(u, _("Compte « {login} » créé pour {name} ({role}).").format(
                login=u.login, name=u.name, role=u.role.label))

    def reset_password(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        dialog = PasswordResetDialog(self.services.accounts, user, self)
        if dialog.exec() and dialog.user is not None:
            self._changed(dialog.user, _("Nouveau mot de passe enregistré pour {name}.").format(
                name=dialog.user.name))

    def toggle_active(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        if user.active and user.id != self._me():  # one's own account: the service says no
            question = _("Désactiver le compte de {name} (identifiant « {login} ») ?\n\n"
                         "Cette personne ne pourra plus se connecter. Ses actions passées "
                         "restent dans le journal ; le compte pourra être réactivé.").format(
                name=user.name, login=user.login)
            if not messages.confirm(self, question, title=_("Désactiver un compte"),
                                    yes=_("Désactiver"), destructive=True):
                return
        try:
            changed = self.services.accounts.set_active(user_id=user.id, active=not user.active)
        except MaisonError as exc:
            messages.warn(self, exc.message)
            self.refresh()
            return
        if changed.active:
            text = _("Le compte de {name} est réactivé : cette personne peut de nouveau se "
                     "connecter.").format(name=changed.name)
        else:
            text = _("Le compte de {name} est désactivé : cette personne ne peut plus se "
                     "connecter.").format(name=changed.name)
        self._changed(changed, text)
