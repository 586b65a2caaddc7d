"""A member's order in a campaign: the member (a person or an organisation of the house,
found by name) and, for each product the campaign offers, the quantity — decimal for what
is sold by the kilo or the litre, whole otherwise — with the line's amount and the order's
total updated as one types (the amounts are the domain's: quantity × price rounded to the
cent per line). A line already in the order shows the price copied when it was written."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.catalogue import (
    QUANTITY_SCALE,
    CampaignRecord,
    OrderLine,
    OrderRecord,
    ProductRecord,
    line_total_cents,
)
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.i18n import _, format_money
from maison_app.ui.booker_picker import BookerPicker
from maison_app.ui.forms import PlacedFormErrors, dialog_buttons, show_error

TOTAL_STYLE = "font-weight: 600; font-size: 14px;"
MIN_QUERY_LENGTH = 2
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class OrderDialog(QDialog):
    """Create (order None) or change a member's order in `campaign`. `saved_id` after OK."""

    def __init__(self, services, tasks, campaign: CampaignRecord,
                 order: OrderRecord | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.campaign = campaign
        self.order = order
        self.saved_id: int | None = None
        self.setWindowTitle(_("Commande — {t}").format(t=campaign.title) if order is None
                            else _("Commande de {name}").format(name=order.member_name))
        self.setAccessibleName(_("Commande"))
        self.resize(720, 640)
        self.errors = PlacedFormErrors()

        # the member
        self.person_button = QRadioButton(_("Une personne"))
        self.person_button.setAccessibleName(_("Une personne"))
        self.organisation_button = QRadioButton(_("Une structure"))
        self.organisation_button.setAccessibleName(_("Une structure"))
        group = QButtonGroup(self)
        group.addButton(self.person_button)
        group.addButton(self.organisation_button)

        def find_people(query: str) -> list[tuple[int, str, str]]:
            result = services.people.search(query=query, limit=30)
            return [(h.id, h.name, h.organisations or h.email or "") for h in result.hits]

        def find_organisations(query: str) -> list[tuple[int, str, str]]:
            return [(oid, name, "") for oid, name in
                    services.members.find_organisations(query=query, limit=30)]

        self.person_picker = BookerPicker(
            tasks, find_people, name=_("Rechercher une personne"),
            placeholder=_("Nom, prénom ou e-mail…"), list_name=_("Personnes trouvées"),
            min_length=MIN_QUERY_LENGTH)
        self.organisation_picker = BookerPicker(
            tasks, find_organisations, name=_("Rechercher une structure"),
            placeholder=_("Nom de la structure…"), list_name=_("Structures trouvées"),
            min_length=0)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.person_picker)
        self.pages.addWidget(self.organisation_picker)
        self.person_button.toggled.connect(
            lambda on: self.pages.setCurrentIndex(0 if on else 1))
        member = QWidget()
        mv = QVBoxLayout(member)
        mv.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.person_button)
        row.addWidget(self.organisation_button)
        row.addStretch(1)
        mv.addLayout(row)
        mv.addWidget(self.pages)

        form = QFormLayout()
        form.addRow(_("Membre :"), self.errors.slot("member", member))

        # the products
        self.products: list[ProductRecord] = self._campaign_products()
        existing = {line.product_id: line for line in (order.lines if order else ())}
        self.existing = existing
        self.table = QTableWidget(len(self.products), 5)
        self.table.setAccessibleName(_("Produits de la campagne"))
        self.table.setHorizontalHeaderLabels(
            [_("Produit"), _("Producteur"), _("Prix"), _("Quantité"), _("Montant")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, 5):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.spins: dict[int, QDoubleSpinBox] = {}
        self.amounts: dict[int, QTableWidgetItem] = {}
        french = QLocale(QLocale.Language.French, QLocale.Country.France)
        for r, p in enumerate(self.products):
            line = existing.get(p.id)
            price = line.unit_price_cents if line else p.price_cents
            self.table.setItem(r, 0, QTableWidgetItem(p.name))
            self.table.setItem(r, 1, QTableWidgetItem(p.producer_name))
            price_item = QTableWidgetItem(_("{price} / {unit}").format(
                price=format_money(price), unit=p.unit.label))
            price_item.setTextAlignment(_RIGHT)
            self.table.setItem(r, 2, price_item)
            spin = QDoubleSpinBox()
            spin.setLocale(french)
            spin.setDecimals(2 if p.unit.divisible else 0)
            spin.setSingleStep(0.5 if p.unit.divisible else 1)
            spin.setRange(0, 9999)
            if p.unit.divisible:
                spin.setSuffix(" " + p.unit.label)
            spin.setAccessibleName(_("Quantité : {product}").format(product=p.name))
            if line:
                spin.setValue(line.quantity_milli / QUANTITY_SCALE)
            spin.valueChanged.connect(lambda _v: self._update())
            self.table.setCellWidget(r, 3, spin)
            self.spins[p.id] = spin
            amount = QTableWidgetItem()
            amount.setTextAlignment(_RIGHT)
            self.table.setItem(r, 4, amount)
            self.amounts[p.id] = amount
        form.addRow(_("Produits :"), self.errors.slot("lines", self.table))
        self.total_label = QLabel()
        self.total_label.setStyleSheet(TOTAL_STYLE)
        self.total_label.setAccessibleName(_("Total de la commande"))
        form.addRow(_("Total TTC :"), self.total_label)
        self.notes = QPlainTextEdit(order.notes if order else "")
        self.notes.setMaximumHeight(50)
        self.notes.setAccessibleName(_("Notes de la commande"))
        form.addRow(_("Notes :"), self.errors.slot("notes", self.notes))
        self.errors._slots["notes"].setMaximumHeight(90)

        buttons, self.ok_button = dialog_buttons(self, _("Enregistrer"), self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

        if order is not None and order.organisation_id is not None:
            self.organisation_button.setChecked(True)
            self.organisation_picker.choose(order.organisation_id, order.member_name)
        else:
            self.person_button.setChecked(True)
            if order is not None and order.person_id is not None:
                self.person_picker.choose(order.person_id, order.member_name)
        self._update()

    def _campaign_products(self) -> list[ProductRecord]:
        offered = set(self.campaign.product_ids)
        rows = [p for p in self.services.catalogue.products(active_only=False)
                if p.id in offered]
        return sorted(rows, key=lambda p: (p.producer_name, p.category, p.name))

    # --- figures --------------------------------------------------------------------------

    def quantity_milli(self, product_id: int) -> int:
        return round(self.spins[product_id].value() * QUANTITY_SCALE)

    def _price(self, p: ProductRecord) -> int:
        line = self.existing.get(p.id)
        return line.unit_price_cents if line else p.price_cents

    def total_cents(self) -> int:
        return sum(line_total_cents(self.quantity_milli(p.id), self._price(p))
                   for p in self.products)

    def _update(self) -> None:
        for p in self.products:
            q = self.quantity_milli(p.id)
            self.amounts[p.id].setText(
                format_money(line_total_cents(q, self._price(p))) if q else "")
        self.total_label.setText(format_money(self.total_cents()))

    # --- saving ---------------------------------------------------------------------------

    def lines(self) -> tuple[OrderLine, ...]:
        out = []
        for p in self.products:
            q = self.quantity_milli(p.id)
            if q <= 0:
                continue
            line = self.existing.get(p.id)
            if line is not None:
                out.append(dataclasses.replace(line, quantity_milli=q))
            else:
                out.append(OrderLine(product_id=p.id, quantity_milli=q,
                                     unit_price_cents=p.price_cents, vat_bp=p.vat_bp))
        return tuple(out)

    def save(self) -> None:
        self.errors.clear()
        person = self.person_button.isChecked()
        chosen = (self.person_picker if person else self.organisation_picker).chosen()
        try:
            if chosen is None:
                raise ValidationError(
                    _("Choisissez la personne qui commande.") if person
                    else _("Choisissez la structure qui commande."), field="member")
            lines = self.lines()
            if not lines:
                raise ValidationError(_("Indiquez la quantité d'au moins un produit."),
                                      field="lines")
            record = OrderRecord(
                id=self.order.id if self.order else None, campaign_id=self.campaign.id,
                person_id=chosen[0] if person else None,
                organisation_id=None if person else chosen[0],
                lines=lines, notes=self.notes.toPlainText().strip(),
                collected_at=self.order.collected_at if self.order else None)
            self.saved_id = self.services.catalogue.save_order(record)
        except MaisonError as exc:
            if isinstance(exc, ValidationError) and exc.field in ("person_id",
                                                                  "organisation_id"):
                exc = ValidationError(exc.message, field="member")
            show_error(self, self.errors, exc)
            return
        self.accept()
