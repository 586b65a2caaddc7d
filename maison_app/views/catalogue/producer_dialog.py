"""The form of a producer: name, town and distance to the Maison (km, by road), the labels
it holds (AB, HVE…), a contact (name, phone, e-mail), its minimum order per campaign, whether
it is active, notes; with a task runner, the organisation of the house it is (optional,
found by a few letters of its name). A refused value is named under its field; what was typed stays. Enter
saves, Escape closes. After an accepted dialog: `saved_id`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.catalogue import ProducerRecord
from maison_app.domain.enums import ProducerLabel
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.domain.members import parse_euros
from maison_app.i18n import _
from maison_app.ui.booker_picker import organisations_picker
from maison_app.ui.common import amount_text
from maison_app.ui.forms import FormErrors, dialog_buttons, show_error

MAX_KM = 2000
FIELD_SLOTS = {"min_order": "min_order_cents", "distance": "distance_km",
               "contact": "contact_name"}


def short_label(label: ProducerLabel) -> str:
    """« AB », « HVE », « Demeter » (the label without its explanation)."""
    return label.label.split(" (")[0]


class ProducerDialog(QDialog):
    def __init__(self, services, record: ProducerRecord | None = None,
                 parent: QWidget | None = None, *, tasks=None) -> None:
        super().__init__(parent)
        self.services = services
        self.record = record
        self.saved_id: int | None = None
        self.setWindowTitle(_("Producteur — {name}").format(name=record.name) if record
                            else _("Nouveau producteur"))
        self.setAccessibleName(_("Producteur"))
        self.errors = FormErrors()
        form = QFormLayout()

        self.name = QLineEdit()
        self.name.setPlaceholderText(_("GAEC des Prés Verts"))
        self.errors.add_row(form, _("Nom :"), "name", self.name)
        self.town = QLineEdit()
        self.errors.add_row(form, _("Commune :"), "town", self.town)
        self.distance = QSpinBox()
        self.distance.setRange(0, MAX_KM)
        self.distance.setSuffix(" km")
        self.errors.add_row(form, _("Distance à la Maison :"), "distance_km", self.distance,
                            accessible_name=_("Distance"))

        labels_box = QWidget()
        grid = QGridLayout(labels_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.label_boxes: dict[ProducerLabel, QCheckBox] = {}
        for i, label in enumerate(ProducerLabel):
            box = QCheckBox(label.label.replace("&", "&&"))  # not a mnemonic
            box.setAccessibleName(label.label)
            grid.addWidget(box, i // 2, i % 2)
            self.label_boxes[label] = box
        self.errors.add_row(form, _("Labels :"), "labels", labels_box,
                            accessible_name=_("Labels"))

        self.contact = QLineEdit()
        self.errors.add_row(form, _("Contact :"), "contact_name", self.contact)
        self.phone = QLineEdit()
        self.errors.add_row(form, _("Téléphone :"), "phone", self.phone)
        self.email = QLineEdit()
        self.errors.add_row(form, _("E-mail :"), "email", self.email)
        # the producer may also be an organisation of the house (optional; with a task runner)
        self.organisation = None
        if tasks is not None:
            self.organisation = organisations_picker(services, tasks)
            self.organisation.field.setPlaceholderText(
                _("Structure de la Maison (facultatif)…"))
            self.no_organisation = QPushButton(_("Sans lien"))
            self.no_organisation.setAccessibleName(_("Sans lien avec une structure"))
            self.no_organisation.setAutoDefault(False)
            self.no_organisation.clicked.connect(self._unlink)
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(self.organisation, 1)
            row.addWidget(self.no_organisation, 0, Qt.AlignmentFlag.AlignTop)
            self.errors.add_row(form, _("Structure liée :"), "organisation_id", box,
                                accessible_name=_("Structure liée"))
        self.min_order = QLineEdit()
        self.min_order.setPlaceholderText(_("0 : aucun"))
        self.errors.add_row(form, _("Commande minimum (€) :"), "min_order_cents",
                            self.min_order, accessible_name=_("Commande minimum"))
        self.active = QCheckBox(_("Actif"))
        self.active.setChecked(True)
        self.errors.add_row(form, "", "active", self.active, accessible_name=_("Actif"))
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(70)
        self.notes.setTabChangesFocus(True)
        self.errors.add_row(form, _("Notes :"), "notes", self.notes)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.form_error = QLabel()
        self.form_error.setStyleSheet("color: #b3261e;")
        self.form_error.setWordWrap(True)
        self.form_error.setVisible(False)
        layout.addWidget(self.form_error)
        buttons, self.ok = dialog_buttons(self, _("Enregistrer"), self.save)
        layout.addWidget(buttons)
        if record is not None:
            self._fill(record)

    def _unlink(self) -> None:
        if self.organisation is not None:
            self.organisation.field.clear()
            self.organisation.results.clear()
            self.organisation.set_chosen(None)

    def organisation_id(self) -> int | None:
        if self.organisation is None:  # not on the form: kept as it was
            return self.record.organisation_id if self.record else None
        chosen = self.organisation.chosen()
        return chosen[0] if chosen else None

    def _fill(self, r: ProducerRecord) -> None:
        self.name.setText(r.name)
        self.town.setText(r.town)
        self.distance.setValue(r.distance_km)
        for label, box in self.label_boxes.items():
            box.setChecked(label in r.labels)
        self.contact.setText(r.contact_name)
        self.phone.setText(r.phone)
        self.email.setText(r.email)
        self.min_order.setText(amount_text(r.min_order_cents) if r.min_order_cents else "")
        self.active.setChecked(r.active)
        self.notes.setPlainText(r.notes)
        if self.organisation is not None and r.organisation_id is not None:
            try:
                name = self.services.members.organisation(organisation_id=r.organisation_id).name
            except MaisonError:
                name = _("structure n° {id}").format(id=r.organisation_id)
            self.organisation.choose(r.organisation_id, name)

    def built(self) -> ProducerRecord:
        text = self.min_order.text().strip()
        minimum = parse_euros(text, field="min_order_cents") if text else 0
        return ProducerRecord(
            id=self.record.id if self.record else None,
            name=self.name.text().strip(),
            town=self.town.text().strip(),
            distance_km=self.distance.value(),
            labels=tuple(label for label, box in self.label_boxes.items() if box.isChecked()),
            contact_name=self.contact.text().strip(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            organisation_id=self.organisation_id(),
            min_order_cents=minimum,
            active=self.active.isChecked(),
            notes=self.notes.toPlainText().strip(),
        )

    def save(self) -> None:
        self.errors.clear()
        self.form_error.setVisible(False)
        try:
            self.saved_id = self.services.catalogue.save_producer(self.built())
        except ValidationError as exc:
            if exc.field in FIELD_SLOTS:
                exc = ValidationError(exc.message, field=FIELD_SLOTS[exc.field])
            if not self.errors.show(exc):
                self.form_error.setText(exc.message)
                self.form_error.setVisible(True)
            return
        except MaisonError as exc:
            show_error(self, self.errors, exc)
            return
        self.accept()
