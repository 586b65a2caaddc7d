"""The walk-in visitor form: a visit, never a member record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import VisitPurpose
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.domain.records import VisitRecord
from maison_app.i18n import _
from maison_app.ui import messages
from maison_app.ui.forms import FormErrors, dialog_buttons

if TYPE_CHECKING:
    from maison_app.services.reception import ReceptionService


def privacy_notice() -> str:
    """The information notice shown to the visitor (RGPD art. 13)."""
    return _(
        "Protection des données : votre nom, votre structure et l'heure de votre passage sont "
        "enregistrés par le Pôle Territorial de Coopération Économique Niortais pour la "
        "sécurité des personnes dans le bâtiment (liste d'évacuation) et le suivi de la "
        "fréquentation. Ces données sont conservées trois mois puis effacées. Vous pouvez "
        "y accéder, les faire rectifier ou effacer en vous adressant à l'accueil."
    )


class VisitorDialog(QDialog):
    def __init__(self, reception: ReceptionService, parent: QWidget | None = None,
                 default_purpose: VisitPurpose = VisitPurpose.RENDEZ_VOUS) -> None:
        super().__init__(parent)
        self.reception = reception
        self.visit: VisitRecord | None = None
        self.setWindowTitle(_("Nouveau visiteur"))
        self.setAccessibleName(_("Nouveau visiteur"))
        self.setMinimumWidth(480)

        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Prénom et nom"))
        self.errors.add_row(form, _("Nom *"), "name", self.name, _("Nom du visiteur"))
        self.organisation = QLineEdit()
        self.organisation.setPlaceholderText(_("Entreprise, association… (facultatif)"))
        self.errors.add_row(form, _("Structure"), "organisation", self.organisation,
                            _("Structure du visiteur"))
        self.purpose = QComboBox()
        for p in VisitPurpose:
            self.purpose.addItem(p.label, p)
        self.purpose.setCurrentIndex(self.purpose.findData(default_purpose))
        self.errors.add_row(form, _("Motif"), "purpose", self.purpose, _("Motif de la visite"))
        self.host = QLineEdit()
        self.host.setPlaceholderText(_("Qui vient-il ou elle voir ? (facultatif)"))
        self.errors.add_row(form, _("Personne visitée"), "host", self.host, _("Personne visitée"))

        notice = QLabel(privacy_notice())
        notice.setWordWrap(True)
        notice.setAccessibleName(_("Information sur la protection des données"))
        notice.setStyleSheet("color: #444; font-size: 90%; padding: 8px; "
                             "background: #f3f6f4; border-radius: 4px;")

        buttons, self.ok_button = dialog_buttons(self, _("Enregistrer l'arrivée"), self.save)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(notice)
        layout.addWidget(buttons)
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        self.errors.clear()
        try:
            self.visit = self.reception.register_visitor(
                name=self.name.text(),
                organisation=self.organisation.text() or None,
                purpose=self.purpose.currentData(),
                host_name=self.host.text() or None,
            )
        except ValidationError as exc:
            if not self.errors.show(exc):
                messages.warn(self, exc.message)
            return
        except MaisonError as exc:
            messages.warn(self, exc.message)
            return
        self.accept()
