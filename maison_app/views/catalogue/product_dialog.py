"""The form of a product of the catalogue: its producer, its category (one already in use
or a new one), its name, its unit, its price incl. VAT (« 2,40 ») and VAT rate (5,5 %, 10 %,
20 %), its packaging, the months it is available (« Toute l'année » ticks them all) and
whether it is still offered. Under the form of an existing product, the history of its
prices (latest first).

A refused value is named under its field (the service's ValidationError); what was typed
stays. Enter saves, Escape closes. After an accepted dialog: `saved_id`."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.catalogue import VAT_RATES_BP, ProductRecord
from maison_app.domain.enums import ProductUnit
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.domain.members import parse_euros
from maison_app.i18n import N_, _, format_date, format_money, format_number
from maison_app.ui.common import amount_text
from maison_app.ui.forms import FormErrors, dialog_buttons, show_error

# the month names as the catalogue shows them (short, French)
MONTHS = (N_("janv."), N_("févr."), N_("mars"), N_("avr."), N_("mai"), N_("juin"),
          N_("juil."), N_("août"), N_("sept."), N_("oct."), N_("nov."), N_("déc."))
MONTH_NAMES = (N_("janvier"), N_("février"), N_("mars"), N_("avril"), N_("mai"), N_("juin"),
               N_("juillet"), N_("août"), N_("septembre"), N_("octobre"), N_("novembre"),
               N_("décembre"))

FIELD_SLOTS = {"price": "price_cents", "vat": "vat_bp", "producer": "producer_id",
               "unit": "unit"}


def run_dialog(dialog: QDialog) -> bool:
    """A dialog of the screen (tests replace it to drive the dialog themselves)."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def vat_text(vat_bp: int) -> str:
    """« 5,5 % », « 20 % »."""
    return _("{rate} %").format(rate=format_number(vat_bp / 100))


def months_text(months) -> str:
    """« Toute l'année », « mai → juil. », « sept. → févr. » (over the new year),
    « janv., mars, déc. »."""
    chosen = sorted(set(months))
    if len(chosen) == 12:
        return _("Toute l'année")
    if not chosen:
        return "—"
    # a run of consecutive months, maybe over the new year: start after the first gap
    start = next(m for m in chosen if (m - 2) % 12 + 1 not in chosen) if len(chosen) > 1 \
        else chosen[0]
    run = [(start - 1 + i) % 12 + 1 for i in range(len(chosen))]
    if len(chosen) > 2 and set(run) == set(chosen):
        return f"{_(MONTHS[run[0] - 1])} → {_(MONTHS[run[-1] - 1])}"
    return ", ".join(_(MONTHS[m - 1]) for m in chosen)


def _slotted(exc: ValidationError) -> ValidationError:
    """The service's field name → the slot of this form."""
    if exc.field in FIELD_SLOTS:
        return ValidationError(exc.message, field=FIELD_SLOTS[exc.field])
    return exc


class ProductDialog(QDialog):
    def __init__(self, services, record: ProductRecord | None = None,
                 parent: QWidget | None = None, *, producer_id: int | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.record = record
        self.saved_id: int | None = None
        self.setWindowTitle(_("Produit — {name}").format(name=record.name) if record
                            else _("Nouveau produit"))
        self.setAccessibleName(_("Produit"))
        self.errors = FormErrors()
        form = QFormLayout()

        self.producer = QComboBox()
        producers = services.catalogue.producers(active_only=False)
        for p in producers:
            if p.active or (record and record.producer_id == p.id):
                self.producer.addItem(p.name, p.id)
        self.errors.add_row(form, _("Producteur :"), "producer_id", self.producer)

        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems(list(services.catalogue.categories()))
        self.category.setCurrentText("")
        self.errors.add_row(form, _("Catégorie :"), "category", self.category)

        self.name = QLineEdit()
        self.errors.add_row(form, _("Nom :"), "name", self.name)

        self.unit = QComboBox()
        for unit in ProductUnit:
            self.unit.addItem(unit.label, unit)
        self.errors.add_row(form, _("Unité :"), "unit", self.unit)

        self.price = QLineEdit()
        self.price.setPlaceholderText(_("2,40"))
        self.errors.add_row(form, _("Prix TTC (€) :"), "price_cents", self.price,
                            accessible_name=_("Prix TTC"))

        self.vat = QComboBox()
        for bp in VAT_RATES_BP:
            self.vat.addItem(vat_text(bp), bp)
        self.errors.add_row(form, _("Taux de TVA :"), "vat_bp", self.vat,
                            accessible_name=_("Taux de TVA"))

        self.packaging = QLineEdit()
        self.packaging.setPlaceholderText(_("sachet de 1 kg, bocal 370 ml, vrac…"))
        self.errors.add_row(form, _("Conditionnement :"), "packaging", self.packaging)

        months_box = QWidget()
        grid = QGridLayout(months_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.all_year = QCheckBox(_("Toute l'année"))
        self.all_year.setAccessibleName(_("Toute l'année"))
        grid.addWidget(self.all_year, 0, 0, 1, 6)
        self.month_boxes: list[QCheckBox] = []
        for i, label in enumerate(MONTHS):
            box = QCheckBox(_(label))
            box.setAccessibleName(_(MONTH_NAMES[i]))
            box.toggled.connect(self._month_toggled)
            grid.addWidget(box, 1 + i // 6, i % 6)
            self.month_boxes.append(box)
        self.all_year.clicked.connect(self._all_year_clicked)
        self.errors.add_row(form, _("Saison :"), "months", months_box,
                            accessible_name=_("Mois de disponibilité"))

        self.active = QCheckBox(_("Proposé au catalogue"))
        self.active.setChecked(True)
        self.errors.add_row(form, "", "active", self.active,
                            accessible_name=_("Proposé au catalogue"))

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.history = QListWidget()
        self.history.setAccessibleName(_("Historique des prix"))
        self.history.setMaximumHeight(110)
        if record is not None:
            title = QLabel(_("Historique des prix"))
            title.setStyleSheet("font-weight: 600;")
            layout.addWidget(title)
            layout.addWidget(self.history)
        self.form_error = QLabel()
        self.form_error.setStyleSheet("color: #b3261e;")
        self.form_error.setWordWrap(True)
        self.form_error.setVisible(False)
        layout.addWidget(self.form_error)
        buttons, self.ok = dialog_buttons(self, _("Enregistrer"), self.save)
        layout.addWidget(buttons)

        self._fill(record, producer_id)

    # --- content ------------------------------------------------------------------------

    def _fill(self, record: ProductRecord | None, producer_id: int | None) -> None:
        wanted = record.producer_id if record else producer_id
        if wanted is not None:
            index = self.producer.findData(wanted)
            if index >= 0:
                self.producer.setCurrentIndex(index)
        months = record.months if record else tuple(range(1, 13))
        for i, box in enumerate(self.month_boxes):
            box.setChecked(i + 1 in months)
        self._month_toggled()
        if record is None:
            self.vat.setCurrentIndex(self.vat.findData(550))
            return
        self.category.setCurrentText(record.category)
        self.name.setText(record.name)
        self.unit.setCurrentIndex(max(0, self.unit.findData(record.unit)))
        self.price.setText(amount_text(record.price_cents))
        self.vat.setCurrentIndex(max(0, self.vat.findData(record.vat_bp)))
        self.packaging.setText(record.packaging)
        self.active.setChecked(record.active)
        self.load_history()

    def load_history(self) -> None:
        self.history.clear()
        if self.record is None or self.record.id is None:
            return
        for change in self.services.catalogue.price_history(product_id=self.record.id):
            self.history.addItem(_("depuis le {day} : {price} (TVA {vat})").format(
                day=format_date(change.valid_from), price=format_money(change.price_cents),
                vat=vat_text(change.vat_bp)))

    def _all_year_clicked(self, checked: bool) -> None:
        for box in self.month_boxes:
            box.blockSignals(True)
            box.setChecked(checked)
            box.blockSignals(False)

    def _month_toggled(self, _checked: bool = False) -> None:
        self.all_year.setChecked(all(box.isChecked() for box in self.month_boxes))

    def months(self) -> tuple[int, ...]:
        return tuple(i + 1 for i, box in enumerate(self.month_boxes) if box.isChecked())

    # --- saving -------------------------------------------------------------------------

    def built(self) -> ProductRecord:
        producer_id = self.producer.currentData()
        if producer_id is None:
            raise ValidationError(_("Choisissez le producteur (créez-le d'abord dans "
                                    "l'onglet « Producteurs »)."), field="producer_id")
        if not self.price.text().strip():
            raise ValidationError(_("Indiquez le prix TTC, par exemple 2,40."),
                                  field="price_cents")
        price = parse_euros(self.price.text(), field="price_cents")
        return ProductRecord(
            id=self.record.id if self.record else None,
            producer_id=int(producer_id),
            category=self.category.currentText().strip(),
            name=self.name.text().strip(),
            unit=self.unit.currentData(),
            price_cents=price,
            vat_bp=int(self.vat.currentData()),
            packaging=self.packaging.text().strip(),
            months=self.months(),
            active=self.active.isChecked(),
        )

    def save(self) -> None:
        self.errors.clear()
        self.form_error.setVisible(False)
        try:
            record = self.built()
            self.saved_id = self.services.catalogue.save_product(record)
        except ValidationError as exc:
            exc = _slotted(exc)
            if not self.errors.show(exc):
                self.form_error.setText(exc.message)
                self.form_error.setVisible(True)
            return
        except MaisonError as exc:
            show_error(self, self.errors, exc)
            return
        self.accept()
