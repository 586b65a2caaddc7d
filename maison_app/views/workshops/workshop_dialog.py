"""The form of a workshop (atelier): its exact title (printed on the sign-in sheets and the
certificates), its axis among the PTCE's four, a description, who runs it (a person or an
organisation of the house, found by a few letters of the name, or an outside trainer's
name), the places of a session, the price per participant (« 0 » : gratuit), the nature of
the action (on the certificates; « Action de formation » unless said otherwise) and whether
it is still offered (« Proposé »: an inactive workshop leaves the list, its sessions stay).

A refused value is named under its field (the service's ValidationError), anything else
under the form; what was typed stays. Enter saves (« Enregistrer »), Escape closes (asking
first when something was typed). After an accepted dialog: `saved_id`, `done_message`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import WorkshopAxis
from maison_app.domain.errors import Conflict, MaisonError, ValidationError
from maison_app.domain.members import parse_euros
from maison_app.domain.text import MIN_QUERY_LENGTH
from maison_app.domain.workshops import Facilitator, WorkshopRecord
from maison_app.i18n import _, format_money
from maison_app.ui import messages
from maison_app.ui.booker_picker import BookerPicker, organisations_picker
from maison_app.ui.common import amount_text
from maison_app.ui.forms import PlacedFormErrors, dialog_buttons

NOTE_STYLE = "color: #555;"
REFUSAL_STYLE = ("#workshopBanner { background: #fdecea; border: 1px solid #e0a19b; "
                 "border-radius: 4px; padding: 6px 8px; color: #5c1610; }")
DEFAULT_NATURE = "Action de formation"
# the natures of a training action (Code du travail, L.6313-1), offered in the list; any
# other text may be typed
NATURES = (
    "Action de formation",
    "Action de sensibilisation",
    "Bilan de compétences",
    "Action permettant de faire valider les acquis de l'expérience",
)
MAX_CAPACITY = 500

# the fields of the service's ValidationError → the slot of this form
FIELD_SLOTS = {
    "title": "title", "axis": "axis", "description": "description",
    "facilitator": "facilitator", "person_id": "facilitator",
    "organisation_id": "facilitator", "facilitator_name": "facilitator",
    "name": "facilitator",
    "capacity": "capacity",
    "price": "price", "price_cents": "price",
    "nature": "nature",
}


def price_text(cents: int) -> str:
    """« Gratuit », « 15,00 € »."""
    return format_money(cents) if cents else _("Gratuit")


def facilitator_text(f: Facilitator) -> str:
    return f.name or "—"


def _picker_people(services):
    def find_people(query: str) -> list[tuple[int, str, str]]:
        result = services.people.search(query=query, limit=30)
        return [(h.id, h.name, h.organisations or h.email or "") for h in result.hits]
    return find_people


def people_picker(services, tasks, *, name: str | None = None) -> BookerPicker:
    """A person of the house, found by a few letters of the name or the e-mail."""
    return BookerPicker(tasks, _picker_people(services),
                        name=name or _("Rechercher une personne"),
                        placeholder=_("Nom, prénom ou e-mail…"),
                        list_name=_("Personnes trouvées"), min_length=MIN_QUERY_LENGTH)


class WorkshopDialog(QDialog):
    """A new workshop (`workshop_id` None) or the change of one."""

    def __init__(self, services, tasks, *, workshop_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.record: WorkshopRecord | None = (
            services.workshops.workshop(workshop_id=workshop_id)
            if workshop_id is not None else None)
        self.saved_id: int | None = None
        self.done_message = ""
        title = (_("Nouvel atelier") if self.record is None
                 else _("Atelier « {title} »").format(title=self.record.title))
        self.setWindowTitle(title)
        self.setAccessibleName(_("Atelier"))
        self.setMinimumWidth(680)
        self._build()
        self._fill()
        self._snapshot = self.values()
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.errors = PlacedFormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.title = QLineEdit()
        self.title.setMaxLength(200)
        self.title.setPlaceholderText(_("Le titre exact, imprimé sur les feuilles "
                                        "d'émargement et les attestations"))
        slot = self.errors.slot("title", self.title, _("Titre de l'atelier"))
        form.addRow(_("&Titre :"), slot)
        form.labelForField(slot).setBuddy(self.title)

        self.axis = QComboBox()
        for axis in WorkshopAxis:
            self.axis.addItem(axis.label, axis.value)
        slot = self.errors.slot("axis", self.axis, _("Axe"))
        form.addRow(_("A&xe :"), slot)
        form.labelForField(slot).setBuddy(self.axis)

        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(70)
        self.description.setPlaceholderText(_("Le contenu, le public visé, les prérequis…"))
        slot = self.errors.slot("description", self.description, _("Description"))
        form.addRow(_("&Description :"), slot)
        form.labelForField(slot).setBuddy(self.description)

        form.addRow(_("Animé par :"), self._facilitator_box())

        self.capacity = QSpinBox()
        self.capacity.setRange(1, MAX_CAPACITY)
        self.capacity.setValue(12)
        self.capacity.setSuffix(_(" places"))
        self.capacity.setMaximumWidth(130)
        capacity_note = QLabel(_("par séance ; au-delà, les inscriptions vont en liste "
                                 "d'attente"))
        capacity_note.setStyleSheet(NOTE_STYLE)
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(self.capacity)
        h.addWidget(capacity_note, 1)
        slot = self.errors.slot("capacity", row, focus=self.capacity)
        self.capacity.setAccessibleName(_("Places par séance"))
        form.addRow(_("&Places :"), slot)
        form.labelForField(slot).setBuddy(self.capacity)

        self.price = QLineEdit()
        self.price.setAccessibleName(_("Prix par participant"))
        self.price.setMaximumWidth(110)
        self.price.setPlaceholderText("0,00")
        self.price_note = QLabel()
        self.price_note.setAccessibleName(_("Prix lu"))
        self.price_note.setStyleSheet(NOTE_STYLE)
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(self.price)
        h.addWidget(QLabel(_("€ par participant")))
        h.addSpacing(8)
        h.addWidget(self.price_note, 1)
        slot = self.errors.slot("price", row, focus=self.price)
        form.addRow(_("P&rix :"), slot)
        form.labelForField(slot).setBuddy(self.price)
        self.price.textChanged.connect(self._show_price)

        self.nature = QComboBox()
        self.nature.setEditable(True)
        self.nature.addItems(NATURES)
        self.nature.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.nature.lineEdit().setMaxLength(200)
        slot = self.errors.slot("nature", self.nature, _("Nature de l'action"))
        self.nature.setToolTip(_("Imprimée sur les attestations de présence (certificats de "
                                 "réalisation)"))
        form.addRow(_("&Nature de l'action :"), slot)
        form.labelForField(slot).setBuddy(self.nature)

        self.active = QCheckBox(_("Proposé : l'atelier figure dans la liste des ateliers"))
        self.active.setAccessibleName(_("Atelier proposé"))
        self.active.setChecked(True)
        self.active.setToolTip(_("Un atelier qui n'est plus proposé sort de la liste ; ses "
                                 "séances passées restent."))
        form.addRow("", self.active)

        self.banner = QLabel()
        self.banner.setObjectName("workshopBanner")
        self.banner.setStyleSheet(REFUSAL_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(_("Message de l'atelier"))
        self.banner.setVisible(False)

        buttons, self.ok_button = dialog_buttons(self, _("Enregistrer"), self.save)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)

    def _facilitator_box(self) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(4)
        self.person_choice = QRadioButton(_("Une personne de la maison"))
        self.person_choice.setAccessibleName(_("Animé par une personne de la maison"))
        self.organisation_choice = QRadioButton(_("Une structure"))
        self.organisation_choice.setAccessibleName(_("Animé par une structure"))
        self.outside_choice = QRadioButton(_("Un·e intervenant·e extérieur·e"))
        self.outside_choice.setAccessibleName(_("Animé par un·e intervenant·e extérieur·e"))
        group = QButtonGroup(self)
        row = QHBoxLayout()
        for b in (self.person_choice, self.organisation_choice, self.outside_choice):
            group.addButton(b)
            row.addWidget(b)
        row.addStretch(1)
        v.addLayout(row)

        self.person_picker = people_picker(self.services, self.tasks,
                                           name=_("Rechercher l'animateur·rice"))
        self.organisation_picker = organisations_picker(self.services, self.tasks)
        self.outside_name = QLineEdit()
        self.outside_name.setMaxLength(200)
        self.outside_name.setAccessibleName(_("Nom de l'intervenant·e"))
        self.outside_name.setPlaceholderText(_("Prénom et nom, éventuellement la structure"))
        outside = QWidget()
        o = QVBoxLayout(outside)
        o.setContentsMargins(0, 0, 0, 0)
        o.addWidget(self.outside_name)
        hint = QLabel(_("Laissez vide si l'animateur·rice n'est pas encore connu·e."))
        hint.setStyleSheet(NOTE_STYLE)
        o.addWidget(hint)
        o.addStretch(1)

        self.facilitator_pages = QStackedWidget()
        self.facilitator_pages.addWidget(self.person_picker)
        self.facilitator_pages.addWidget(self.organisation_picker)
        self.facilitator_pages.addWidget(outside)
        self.facilitator_pages.setMaximumHeight(160)
        v.addWidget(self.facilitator_pages)
        for index, b in enumerate((self.person_choice, self.organisation_choice,
                                   self.outside_choice)):
            b.toggled.connect(lambda on, i=index: on and self._facilitator_page(i))
        return self.errors.slot("facilitator", box, focus=self.facilitator_pages)

    def _facilitator_page(self, index: int) -> None:
        self.facilitator_pages.setCurrentIndex(index)
        self.facilitator_pages.currentWidget().setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill(self) -> None:
        r = self.record
        if r is None:
            self.outside_choice.setChecked(True)
            self.facilitator_pages.setCurrentIndex(2)
            self.price.setText("0")
            self.nature.setCurrentText(DEFAULT_NATURE)
            return
        self.title.setText(r.title)
        self.axis.setCurrentIndex(max(0, self.axis.findData(r.axis.value)))
        self.description.setPlainText(r.description)
        f = r.facilitator
        if f.person_id is not None:
            self.person_choice.setChecked(True)
            self.person_picker.choose(f.person_id, f.name)
        elif f.organisation_id is not None:
            self.organisation_choice.setChecked(True)
            self.organisation_picker.choose(f.organisation_id, f.name)
        else:
            self.outside_choice.setChecked(True)
            self.outside_name.setText(f.name)
        self.facilitator_pages.setCurrentIndex(
            0 if f.person_id is not None else 1 if f.organisation_id is not None else 2)
        self.capacity.setValue(max(1, min(MAX_CAPACITY, r.capacity)))
        self.price.setText(amount_text(r.price_cents) if r.price_cents else "0")
        self.nature.setCurrentText(r.nature or DEFAULT_NATURE)
        self.active.setChecked(r.active)

    def _show_price(self) -> None:
        try:
            cents = parse_euros(self.price.text() or "0", field="price")
        except ValidationError:
            self.price_note.setText("")
            return
        self.price_note.setText(_("gratuit") if cents == 0 else
                                _("soit {price} par participant").format(
                                    price=format_money(cents)))

    # --- values ----------------------------------------------------------------------------

    def values(self) -> tuple:
        return (self.title.text(), self.axis.currentIndex(), self.description.toPlainText(),
                self.person_choice.isChecked(), self.organisation_choice.isChecked(),
                self.person_picker.chosen(), self.organisation_picker.chosen(),
                self.outside_name.text(), self.capacity.value(), self.price.text(),
                self.nature.currentText(), self.active.isChecked())

    def is_dirty(self) -> bool:
        return self.values() != self._snapshot

    def facilitator(self) -> Facilitator:
        if self.person_choice.isChecked():
            chosen = self.person_picker.chosen()
            if chosen is None:
                raise ValidationError(_("Choisissez la personne qui anime l'atelier dans la "
                                        "liste, ou un·e intervenant·e extérieur·e."),
                                      field="facilitator")
            return Facilitator(person_id=chosen[0], name=chosen[1])
        if self.organisation_choice.isChecked():
            chosen = self.organisation_picker.chosen()
            if chosen is None:
                raise ValidationError(_("Choisissez la structure qui anime l'atelier dans la "
                                        "liste, ou un·e intervenant·e extérieur·e."),
                                      field="facilitator")
            return Facilitator(organisation_id=chosen[0], name=chosen[1])
        return Facilitator(name=self.outside_name.text().strip())

    def workshop(self) -> WorkshopRecord:
        """The record the form describes (a value refused here is named under its field)."""
        price = parse_euros(self.price.text().strip() or "0", field="price")
        return WorkshopRecord(
            id=self.record.id if self.record is not None else None,
            title=self.title.text().strip(),
            axis=WorkshopAxis(self.axis.currentData()),
            description=self.description.toPlainText().strip(),
            facilitator=self.facilitator(),
            capacity=self.capacity.value(),
            price_cents=price,
            nature=self.nature.currentText().strip() or DEFAULT_NATURE,
            active=self.active.isChecked())

    # --- saving ----------------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def banner_text(self) -> str:
        return self.banner.text() if not self.banner.isHidden() else ""

    def error_text(self, slot: str) -> str:
        found = self.errors._slots.get(slot)
        return found.error.text() if found is not None and not found.error.isHidden() else ""

    def _refuse(self, exc: MaisonError) -> None:
        if isinstance(exc, ValidationError) and not isinstance(exc, Conflict):
            slot = FIELD_SLOTS.get(exc.field or "", exc.field or "")
            if self.errors.has(slot):
                self.say("")
                self.errors.show(ValidationError(exc.message, field=slot))
                return
        self.errors.clear()
        self.say(exc.message)

    def save(self) -> None:
        self.errors.clear()
        self.say("")
        if not self.title.text().strip():
            self._refuse(ValidationError(_("Donnez le titre de l'atelier, tel qu'il sera "
                                           "imprimé sur les feuilles d'émargement."),
                                         field="title"))
            return
        try:
            record = self.workshop()
            self.saved_id = self.services.workshops.save_workshop(record)
        except MaisonError as exc:
            self._refuse(exc)
            return
        self.done_message = (_("Atelier « {title} » créé.") if self.record is None
                             else _("Atelier « {title} » enregistré.")).format(
            title=record.title)
        self._snapshot = self.values()
        self.accept()

    def reject(self) -> None:
        """Annuler, Escape: ask before dropping what was typed."""
        if self.is_dirty() and not messages.confirm(
                self, _("L'atelier n'est pas enregistré. Abandonner la saisie ?"),
                title=_("Atelier non enregistré"), yes=_("Abandonner la saisie"),
                no=_("Continuer la saisie"), destructive=True):
            return
        super().reject()
