"""The settings dialog: the house's identity (shared by every desk, in the database) and
what belongs to this computer (which database to open, the language; a JSON file).

The identity goes through `SettingsService.save_identity`; a refusal is shown under its
field and the dialog stays open with what was typed. The local configuration is saved
only once the identity is saved; a new database or language takes effect at next start.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.domain.permissions import Access, Area
from maison_app.domain.records import MaisonIdentity
from maison_app.i18n import LANGUAGES, _
from maison_app.services.local_config import (
    DATABASE_ENV_VAR,
    LocalConfig,
    check_database_url,
    default_database_path,
)
from maison_app.services.permissions import can
from maison_app.services.settings import MAX_LOGO_BYTES
from maison_app.ui import messages
from maison_app.ui.bookings_tab import BookingsSettingsTab
from maison_app.ui.colleges_tab import CollegesTab
from maison_app.ui.forms import FieldWithError, FormErrors, dialog_buttons
from maison_app.ui.hosting_tab import HostingSettingsTab

if TYPE_CHECKING:
    from maison_app.services.settings import SettingsService

HINT_STYLE = "color: #444; font-size: 90%;"
LOGO_BOX = (180, 90)
def _ask_logo_file(parent: QWidget) -> str:
    """The image the user picks ("" if cancelled). Tests replace it."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, _("Choisir le logo"), "", _("Images PNG ou JPEG (*.png *.jpg *.jpeg)")
    )
    return path


def _ask_database_file(parent: QWidget, start: str) -> str:
    """An existing SQLite file or the place of a new one ("" if cancelled). Tests replace it."""
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        _("Choisir le fichier de la base de données"),
        start,
        _("Bases SQLite (*.db *.sqlite *.sqlite3);;Tous les fichiers (*)"),
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    return path


def _is_png_or_jpeg(data: bytes) -> bool:
    return data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")


class _RowCapture:
    """Stands in for a QFormLayout in FormErrors.add_row, to keep the slot it makes."""

    def addRow(self, label: str, widget: QWidget) -> None:  # noqa: N802 - Qt's name
        self.label, self.widget = label, widget


def _hint(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


class SettingsDialog(QDialog):
    """Réglages: "La maison" (identity, shared) and "Ce poste" (database, language)."""

    def __init__(self, settings_service: SettingsService, config: LocalConfig,
                 parent: QWidget | None = None, *,
                 database_description: str | None = None, retention=None,
                 backups=None, memberships=None, hosting=None, projects=None,
                 bookings=None) -> None:
        super().__init__(parent)
        self.settings_service = settings_service
        self.config = config
        self.saved_config: LocalConfig | None = None
        self.saved_identity: MaisonIdentity | None = None
        if database_description is None:
            db = getattr(getattr(settings_service, "ctx", None), "db", None)
            database_description = getattr(db, "description", None)
        identity = settings_service.identity()
        self._logo: bytes | None = identity.logo

        title = _("Réglages")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(620)
        self.errors = FormErrors()
        self._slots: dict[str, FieldWithError] = {}

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Rubriques des réglages"))
        self.retention = retention
        self.backups = backups
        self.house_tab = self._build_house_tab(identity)
        self.rules_tab = self._build_rules_tab()
        self.desk_tab = self._build_desk_tab(config, database_description)
        self.tabs.addTab(self.house_tab, _("La maison"))
        self.tabs.addTab(self.rules_tab, _("Règles"))
        self.tabs.addTab(self.desk_tab, _("Ce poste"))
        # the house's identity is the administration's; other roles see it read-only
        ctx = getattr(settings_service, "ctx", None)
        self.can_edit_identity = ctx is None or can(ctx.actor, Area.SETTINGS, Access.WRITE)
        if not self.can_edit_identity:
            self.rules_tab.setEnabled(False)
            self.tabs.setTabToolTip(1, _("Seule l'administration peut modifier ces informations."))
            for child in self.house_tab.findChildren(QWidget):
                if isinstance(child, (QLineEdit, QPushButton)):
                    child.setEnabled(False)
            self.tabs.setTabToolTip(0, _("Seule l'administration peut modifier ces informations."))
            self.tabs.setCurrentWidget(self.desk_tab)
        # the colleges and the fee schedule (MembershipService), before "Ce poste"
        self.colleges_tab = self._build_colleges_tab(memberships)
        if self.colleges_tab is not None:
            self.tabs.insertTab(self.tabs.indexOf(self.desk_tab), self.colleges_tab,
                                _("Adhésions"))
            self.colleges_tab.grew.connect(self._fit_height)
            if not self.colleges_tab.editable:
                self.tabs.setTabToolTip(self.tabs.indexOf(self.colleges_tab), _(
                    "Seule l'administration peut modifier ces informations."))
        # the programmes and the texts of the hosting agreements, before "Ce poste"
        self.hosting_tab = self._build_hosting_tab(hosting, projects)
        if self.hosting_tab is not None:
            self.tabs.insertTab(self.tabs.indexOf(self.desk_tab), self.hosting_tab,
                                _("Hébergement"))
            self.hosting_tab.grew.connect(self._fit_height)
            # the tallest tab: the dialog grows to show it whole when it is opened
            self.tabs.currentChanged.connect(self._fit_hosting_tab)
            if not self.hosting_tab.editable:
                self.tabs.setTabToolTip(self.tabs.indexOf(self.hosting_tab), _(
                    "Seule l'administration peut modifier ces informations."))
        # opening hours, closures and the rules of room bookings, before "Ce poste"
        self.bookings_tab = self._build_bookings_tab(bookings)
        if self.bookings_tab is not None:
            self.tabs.insertTab(self.tabs.indexOf(self.desk_tab), self.bookings_tab,
                                _("Réservations"))
            self.bookings_tab.grew.connect(self._fit_height)
            self.tabs.currentChanged.connect(self._fit_bookings_tab)
            if not self.bookings_tab.editable:
                self.tabs.setTabToolTip(self.tabs.indexOf(self.bookings_tab), _(
                    "Seule l'administration peut modifier ces informations."))

        buttons, self.ok_button = dialog_buttons(self, _("Enregistrer"), self.accept)
        self.cancel_button = next(b for b in buttons.buttons() if b is not self.ok_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        if self.can_edit_identity:
            self.name.setFocus()

    def _add_row_with_side(self, form: QFormLayout, label: str, name: str, field: QWidget,
                           accessible: str, side: list[QWidget], *,
                           vertical: bool = False) -> FieldWithError:
        """A form row whose field (with its error under it) has buttons beside it; the
        buttons stay out of the error slot so they keep their normal look."""
        capture = _RowCapture()
        slot = self.errors.add_row(capture, label, name, field,  # type: ignore[arg-type]
                                   accessible)
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(slot, 1 if not vertical else 0, Qt.AlignmentFlag.AlignTop)
        buttons = QVBoxLayout() if vertical else QHBoxLayout()
        for button in side:
            buttons.addWidget(button)
        if vertical:
            buttons.addStretch(1)
            box.addLayout(buttons)
            box.addStretch(1)
        else:
            box.addLayout(buttons)
            box.setAlignment(buttons, Qt.AlignmentFlag.AlignTop)
        row.setFocusProxy(field)
        form.addRow(label, row)
        return slot

    # --- "La maison" ------------------------------------------------------------------------

    def _build_house_tab(self, identity: MaisonIdentity) -> QWidget:
        tab = QWidget()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def line(name: str, label: str, accessible: str, value: str, placeholder: str = "",
                 max_length: int = 300) -> QLineEdit:
            edit = QLineEdit(value or "")
            edit.setMaxLength(max_length)
            if placeholder:
                edit.setPlaceholderText(placeholder)
            self._slots[name] = self.errors.add_row(form, label, name, edit, accessible)
            return edit

        self.name = line("name", _("Nom de la maison *"), _("Nom de la maison"), identity.name)
        self.organisation = line("organisation", _("Structure gestionnaire"),
                                 _("Structure gestionnaire"), identity.organisation)
        self.address = line("address", _("Adresse"), _("Adresse"), identity.address,
                            _("Numéro et rue"))
        self.postcode = line("postcode", _("Code postal"), _("Code postal"), identity.postcode,
                             max_length=10)
        self.city = line("city", _("Ville"), _("Ville"), identity.city)
        self.siret = line("siret", _("SIRET"), _("SIRET"), identity.siret, _("14 chiffres"),
                          max_length=30)
        self.phone = line("phone", _("Téléphone"), _("Téléphone"), identity.phone)
        self.email = line("email", _("Adresse e-mail"), _("Adresse e-mail"), identity.email,
                          _("contact@exemple.fr"))

        self.logo_preview = QLabel()
        self.logo_preview.setFixedSize(*LOGO_BOX)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.logo_choose = QPushButton(_("Choisir une image…"))
        self.logo_choose.setAccessibleName(_("Choisir le logo"))
        self.logo_choose.clicked.connect(self._choose_logo)
        self.logo_remove = QPushButton(_("Retirer le logo"))
        self.logo_remove.setAccessibleName(_("Retirer le logo"))
        self.logo_remove.clicked.connect(self._remove_logo)
        self.logo_preview.setFocusProxy(self.logo_choose)  # an error focuses the button
        logo_slot = self._add_row_with_side(
            form, _("Logo"), "logo", self.logo_preview, _("Logo"),
            [self.logo_choose, self.logo_remove], vertical=True)
        self.logo_preview.setAccessibleName(_("Aperçu du logo"))
        self._slots["logo"] = logo_slot
        self._show_logo()

        layout = QVBoxLayout(tab)
        layout.addWidget(_hint(
            _("Ces informations figurent sur tous les documents (conventions, attestations, "
              "reçus). Elles sont partagées par tous les postes."),
            _("À propos de l'identité de la maison"),
        ))
        layout.addLayout(form)
        layout.addStretch(1)
        return tab

    def _show_logo(self) -> None:
        image = QImage.fromData(self._logo) if self._logo else QImage()
        if image.isNull():
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(_("Aucun logo"))
        else:
            width, height = LOGO_BOX
            pixmap = QPixmap.fromImage(image).scaled(
                width - 8, height - 8, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self.logo_preview.setText("")
            self.logo_preview.setPixmap(pixmap)
        self.logo_remove.setEnabled(self._logo is not None)

    def _choose_logo(self) -> None:
        path = _ask_logo_file(self)
        if path:
            self.load_logo(Path(path))

    def load_logo(self, path: Path) -> bool:
        """Take the logo from an image file; False (and the reason under the field) if not."""
        slot_error = self._slots["logo"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            slot_error.set_error(_("Ce fichier ne peut pas être lu : {reason}").format(
                reason=exc.strerror or exc))
            self._fit_height()
            return False
        if not _is_png_or_jpeg(data) or QImage.fromData(data).isNull():
            slot_error.set_error(_("Choisissez une image PNG ou JPEG."))
            self._fit_height()
            return False
        if len(data) > MAX_LOGO_BYTES:
            slot_error.set_error(_("Le logo est trop lourd (2 Mo au plus)."))
            self._fit_height()
            return False
        slot_error.set_error(None)
        self._logo = data
        self._show_logo()
        return True

    def _remove_logo(self) -> None:
        self._logo = None
        self._show_logo()

    # --- "Adhésions" ------------------------------------------------------------------------

    def _build_colleges_tab(self, memberships) -> QWidget | None:
        """The colleges of the SCIC and their fees (ui.colleges_tab); saved by "Enregistrer"
        like the other tabs. None without the service, or if this user may not read them."""
        if memberships is None:
            return None
        ctx = getattr(memberships, "ctx", None)
        editable = ctx is None or can(ctx.actor, Area.SETTINGS, Access.WRITE)
        try:
            return CollegesTab(memberships, editable=editable)
        except MaisonError:  # a role that may not read them: no tab
            return None

    # --- "Hébergement" ----------------------------------------------------------------------

    def _build_hosting_tab(self, hosting, projects) -> QWidget | None:
        """The programmes and the texts of the hosting agreements (ui.hosting_tab); saved
        by "Enregistrer" like the other tabs. None without the service, or if this user may
        not read them."""
        if hosting is None:
            return None
        ctx = getattr(hosting, "ctx", None)
        editable = ctx is None or can(ctx.actor, Area.SETTINGS, Access.WRITE)
        try:
            return HostingSettingsTab(hosting, projects, editable=editable)
        except MaisonError:  # a role that may not read them: no tab
            return None

    # --- "Réservations" ---------------------------------------------------------------------

    def _build_bookings_tab(self, bookings) -> QWidget | None:
        """Opening hours, public holidays, options, conditions and closures
        (ui.bookings_tab); the settings are saved by "Enregistrer" like the other tabs, the
        closures at once. None without the service, or if this user may not read them."""
        if bookings is None:
            return None
        ctx = getattr(bookings, "ctx", None)
        editable = ctx is None or can(ctx.actor, Area.SETTINGS, Access.WRITE)
        try:
            return BookingsSettingsTab(bookings, editable=editable)
        except MaisonError:  # a role that may not read them: no tab
            return None

    # --- "Règles" ---------------------------------------------------------------------------

    def _build_rules_tab(self) -> QWidget:
        """The house's rules: the idle lock and how long visits are kept."""
        tab = QWidget()
        form = QFormLayout()
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(1, 240)
        self.idle_minutes.setSuffix(_(" min"))
        self.idle_minutes.setValue(int(round(self.settings_service.idle_minutes())))
        self._idle_before = self.idle_minutes.value()
        self._slots["idle_minutes"] = self.errors.add_row(
            form, _("Verrouillage après"), "idle_minutes", self.idle_minutes,
            _("Verrouillage automatique après"))
        self.visits_days = QSpinBox()
        self.visits_days.setRange(1, 3660)
        self.visits_days.setSuffix(_(" jours"))
        self.visits_days.setValue(self.retention.visits_days() if self.retention else 92)
        self.visits_days.setEnabled(self.retention is not None)
        self._visits_before = self.visits_days.value()
        self._slots["visits_days"] = self.errors.add_row(
            form, _("Conservation des passages"), "visits_days", self.visits_days,
            _("Conservation des passages"))
        self.contacts_years = QSpinBox()
        self.contacts_years.setRange(1, 30)
        self.contacts_years.setSuffix(_(" ans"))
        self.contacts_years.setValue(self.retention.contacts_years() if self.retention else 3)
        self.contacts_years.setEnabled(self.retention is not None)
        self._contacts_before = self.contacts_years.value()
        self._slots["contacts_years"] = self.errors.add_row(
            form, _("Contacts inactifs gardés"), "contacts_years", self.contacts_years,
            _("Conservation des contacts inactifs"))
        self.backup_keep = QSpinBox()
        self.backup_keep.setRange(1, 365)
        self.backup_keep.setValue(self._read_backup_keep())
        self.backup_keep.setEnabled(self.backups is not None and self.backups.supported)
        self._backup_keep_before = self.backup_keep.value()
        self._slots["backup_keep"] = self.errors.add_row(
            form, _("Sauvegardes automatiques gardées"), "backup_keep", self.backup_keep,
            _("Sauvegardes automatiques gardées"))
        for spin in (self.idle_minutes, self.visits_days, self.contacts_years, self.backup_keep):  # the editor inside reads the same
            spin.findChild(QLineEdit).setAccessibleName(spin.accessibleName())
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addWidget(_hint(
            _("Sans touche ni clic pendant ce temps, la session se verrouille : la même "
              "personne retape son mot de passe pour reprendre.\nAu-delà de la durée de "
              "conservation, un passage terminé est anonymisé (nom, structure, personne "
              "visitée) ; sa date et son motif restent pour les statistiques.\nUne personne sans "
              "aucune activité (fiche modifiée, passage…) pendant la durée choisie est "
              "anonymisée comme sur demande."),
            _("Explication des règles")))
        layout.addStretch(1)
        return tab

    def _read_backup_keep(self) -> int:
        if self.backups is None:
            return 14
        try:
            return self.backups.keep_count()
        except MaisonError:  # a role that may not see backups: the field stays disabled
            return 14

    # --- "Ce poste" -------------------------------------------------------------------------

    def _build_desk_tab(self, config: LocalConfig, database_description: str | None) -> QWidget:
        # Explanations sit in the group's box layout, not in a form row: QFormLayout sizes
        # word-wrapped labels by their narrow size hint and leaves gaps.
        tab = QWidget()

        database_box = QGroupBox(_("Base de données"))
        database_layout = QVBoxLayout(database_box)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.database_url = QLineEdit(config.database_url)
        self.database_url.setPlaceholderText(_("Vide : le fichier SQLite de ce poste"))
        self.database_browse = QPushButton(_("Parcourir…"))
        self.database_browse.setAccessibleName(_("Parcourir pour choisir un fichier SQLite"))
        self.database_browse.clicked.connect(self._browse_database)
        self._slots["database_url"] = self._add_row_with_side(
            form, _("Adresse de la base de données"), "database_url", self.database_url,
            _("Adresse de la base de données"), [self.database_browse])
        database_layout.addLayout(form)
        database_layout.addWidget(_hint(
            _("Laissez vide pour utiliser le fichier de ce poste :\n{default}\n"
              "Pour un autre fichier SQLite, choisissez-le avec « Parcourir… ».\n"
              "Pour partager les données entre plusieurs postes, indiquez le serveur "
              "PostgreSQL :\npostgresql+psycopg://utilisateur@serveur/base")
            .format(default=default_database_path()),
            _("Explication de l'adresse de la base de données"),
        ))
        self.database_current = _hint(
            database_description or _("inconnue"), _("Base de données utilisée actuellement"))
        self.database_current.setStyleSheet("")
        current_row = QFormLayout()
        current_row.addRow(_("Base utilisée actuellement :"), self.database_current)
        database_layout.addLayout(current_row)
        if os.environ.get(DATABASE_ENV_VAR):
            override = _hint(
                _("La variable d'environnement {var} est définie sur ce poste : "
                  "elle l'emporte sur ce réglage.").format(var=DATABASE_ENV_VAR),
                _("Avertissement sur la base de données"),
            )
            override.setStyleSheet("color: #8a4b00; font-size: 90%;")
            database_layout.addWidget(override)

        language_box = QGroupBox(_("Langue"))
        language_layout = QVBoxLayout(language_box)
        language_form = QFormLayout()
        self.language = QComboBox()
        for code, label in LANGUAGES.items():
            self.language.addItem(label, code)
        index = self.language.findData(config.language)
        self.language.setCurrentIndex(index if index >= 0 else 0)
        self._slots["language"] = self.errors.add_row(language_form, _("Langue"), "language",
                                                      self.language, _("Langue"))
        language_layout.addLayout(language_form)

        layout = QVBoxLayout(tab)
        layout.addWidget(_hint(_("Ces réglages ne concernent que cet ordinateur. Un changement "
                                 "de base de données ou de langue s'applique au prochain "
                                 "démarrage de l'application."),
                               _("À propos des réglages de ce poste")))
        layout.addWidget(database_box)
        layout.addWidget(language_box)
        layout.addStretch(1)
        return tab

    def _browse_database(self) -> None:
        current = self.database_url.text().strip()
        start = str(default_database_path())
        if current and "://" not in current:
            start = current
        elif current.startswith("sqlite:///"):
            start = current[len("sqlite:///"):]
        path = _ask_database_file(self, start)
        if path:
            self.database_url.setText(str(Path(path)))

    # --- saving -----------------------------------------------------------------------------

    def identity_from_form(self) -> MaisonIdentity:
        return MaisonIdentity(
            name=self.name.text(),
            organisation=self.organisation.text().strip(),
            address=self.address.text().strip(),
            postcode=self.postcode.text(),
            city=self.city.text().strip(),
            siret=self.siret.text(),
            phone=self.phone.text().strip(),
            email=self.email.text(),
            logo=self._logo,
        )

    def _show_error(self, error: ValidationError) -> None:
        if self.errors.show(error):
            on_desk = error.field in ("database_url", "language")
            on_rules = error.field in ("idle_minutes", "visits_days", "contacts_years",
                                       "backup_keep")
            self.tabs.setCurrentWidget(self.desk_tab if on_desk else
                                       self.rules_tab if on_rules else self.house_tab)
            self._slots[error.field].field.setFocus()
            self._fit_height()
        else:
            messages.warn(self, error.message)

    def _fit_height(self) -> None:
        """Grow to show an error message that wraps (a window's minimum size ignores the
        height word-wrapped labels need at the actual width)."""
        layout = self.layout()
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        needed = max(needed, self.minimumSizeHint().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _fit_hosting_tab(self, _index: int = -1) -> None:
        """Grow, when the "Hébergement" tab is shown, to the height it needs (the tallest
        tab: its texts would be squeezed otherwise)."""
        if self.hosting_tab is None or self.tabs.currentWidget() is not self.hosting_tab:
            return
        self._fit_height()

    def _fit_bookings_tab(self, _index: int = -1) -> None:
        """Grow, when the "Réservations" tab is shown, to the height it needs."""
        if self.bookings_tab is None or self.tabs.currentWidget() is not self.bookings_tab:
            return
        self._fit_height()

    def accept(self) -> None:  # noqa: D102 - Qt override: save, or stay open
        self.errors.clear()
        try:
            database_url = check_database_url(self.database_url.text())
        except ValidationError as error:
            self._show_error(error)
            return
        language = self.language.currentData() or "fr"
        if self.colleges_tab is not None and not self.colleges_tab.check():
            self.tabs.setCurrentWidget(self.colleges_tab)
            self._fit_height()
            return
        if self.hosting_tab is not None and not self.hosting_tab.check():
            self.tabs.setCurrentWidget(self.hosting_tab)
            self._fit_height()
            return
        if self.bookings_tab is not None and not self.bookings_tab.check():
            self.tabs.setCurrentWidget(self.bookings_tab)
            self._fit_height()
            return
        try:
            saved_identity = (
                self.settings_service.save_identity(self.identity_from_form())
                if self.can_edit_identity else self.settings_service.identity()
            )
            if self.can_edit_identity and self.idle_minutes.value() != self._idle_before:
                self.settings_service.save_idle_minutes(minutes=self.idle_minutes.value())
            if (self.can_edit_identity and self.retention is not None
                    and self.visits_days.value() != self._visits_before):
                self.retention.save_visits_days(days=self.visits_days.value())
            if (self.can_edit_identity and self.retention is not None
                    and self.contacts_years.value() != self._contacts_before):
                self.retention.save_contacts_years(years=self.contacts_years.value())
            if (self.can_edit_identity and self.backups is not None and self.backups.supported
                    and self.backup_keep.value() != self._backup_keep_before):
                self.backups.save_keep_count(count=self.backup_keep.value())
        except ValidationError as error:
            self._show_error(error)
            return
        except MaisonError as error:
            messages.show_error(self, error)
            return
        if self.colleges_tab is not None and not self.colleges_tab.save():
            self.tabs.setCurrentWidget(self.colleges_tab)
            self._fit_height()
            return
        if self.hosting_tab is not None and not self.hosting_tab.save():
            self.tabs.setCurrentWidget(self.hosting_tab)
            self._fit_height()
            return
        if self.bookings_tab is not None and not self.bookings_tab.save():
            self.tabs.setCurrentWidget(self.bookings_tab)
            self._fit_height()
            return
        new_config = replace(self.config, database_url=database_url, language=language)
        try:
            new_config.save()
        except OSError as exc:
            messages.warn(self, _("Les réglages de ce poste n'ont pas pu être enregistrés "
                                  "({reason}). L'identité de la maison est enregistrée.")
                          .format(reason=exc.strerror or exc))
            return
        self.saved_identity = saved_identity
        self.saved_config = new_config

        old_url = self.config.database_url.strip()
        try:
            old_url = check_database_url(old_url)
        except ValidationError:
            pass
        notes = []
        if database_url != old_url:
            notes.append(_("La nouvelle base de données sera utilisée au prochain démarrage "
                           "de l'application."))
        if language != self.config.language:
            notes.append(_("La nouvelle langue s'appliquera au prochain démarrage de "
                           "l'application."))
        if notes:
            messages.info(self, "\n".join(notes), title=_("Réglages enregistrés"))
        super().accept()
