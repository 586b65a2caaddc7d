"""A grouped order campaign: its title, the days orders are taken, the pickup day and place,
and the products offered — a checkable list of the active catalogue grouped by producer
(checking a producer, « Tout le producteur », offers all its products)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.catalogue import CampaignRecord, ProductRecord
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.i18n import _, format_money, ngettext
from maison_app.ui.common import DateField, today
from maison_app.ui.forms import FormErrors, dialog_buttons, show_error

PRODUCT_ROLE = Qt.ItemDataRole.UserRole + 1
NOTE_STYLE = "color: #555;"


def product_line(p: ProductRecord) -> str:
    """« Pommes Reinette — 3,20 € / kg »."""
    return _("{name} — {price} / {unit}").format(
        name=p.name, price=format_money(p.price_cents), unit=p.unit.label)


class CampaignDialog(QDialog):
    """Create (record None) or change a campaign. `saved_id` after OK."""

    def __init__(self, services, record: CampaignRecord | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.record = record
        self.saved_id: int | None = None
        self.setWindowTitle(_("Nouvelle campagne") if record is None
                            else _("Campagne « {t} »").format(t=record.title))
        self.setAccessibleName(_("Campagne de commande groupée"))
        self.resize(620, 680)
        self.errors = FormErrors()

        start = today(services)
        form = QFormLayout()
        self.title_field = QLineEdit(record.title if record else "")
        self.title_field.setMaxLength(200)
        self.title_field.setPlaceholderText(_("Paniers de Noël, commande de printemps…"))
        self.opens = DateField(record.opens_on if record else start)
        self.closes = DateField(record.closes_on if record else start + dt.timedelta(days=7))
        self.pickup = DateField(record.pickup_on if record else start + dt.timedelta(days=10))
        self.place = QLineEdit(record.pickup_place if record else _("Maison de l'ESS, accueil"))
        self.place.setMaxLength(200)
        self.errors.add_row(form, _("Titre :"), "title", self.title_field,
                            _("Titre de la campagne"))
        self.errors.add_row(form, _("Commandes du :"), "opens_on", self.opens,
                            _("Ouverture des commandes"))
        self.errors.add_row(form, _("Jusqu'au :"), "closes_on", self.closes,
                            _("Clôture des commandes"))
        self.errors.add_row(form, _("Retrait le :"), "pickup_on", self.pickup,
                            _("Jour de retrait"))
        self.errors.add_row(form, _("Lieu de retrait :"), "pickup_place", self.place,
                            _("Lieu de retrait"))

        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(_("Produits proposés"))
        self.tree.itemChanged.connect(lambda _i, _c: self._count())
        self.errors.add_row(form, _("Produits :"), "product_ids", self.tree,
                            _("Produits proposés"))
        self.count_label = QLabel()
        self.count_label.setStyleSheet(NOTE_STYLE)
        self.count_label.setAccessibleName(_("Produits choisis"))
        form.addRow("", self.count_label)
        self.notes = QPlainTextEdit(record.notes if record else "")
        self.notes.setMaximumHeight(60)
        self.errors.add_row(form, _("Notes :"), "notes", self.notes,
                            _("Notes de la campagne")).setMaximumHeight(100)

        buttons, self.ok_button = dialog_buttons(self, _("Enregistrer"), self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._fill()

    def _fill(self) -> None:
        chosen = set(self.record.product_ids) if self.record else set()
        products = [p for p in self.services.catalogue.products(active_only=False)
                    if p.active or p.id in chosen]
        by_producer: dict[str, list[ProductRecord]] = {}
        for p in products:
            by_producer.setdefault(p.producer_name, []).append(p)
        self.tree.blockSignals(True)
        for producer in sorted(by_producer):
            top = QTreeWidgetItem([_("{producer} — tout le producteur").format(
                producer=producer)])
            top.setFlags(top.flags() | Qt.ItemFlag.ItemIsUserCheckable
                         | Qt.ItemFlag.ItemIsAutoTristate)
            self.tree.addTopLevelItem(top)
            for p in sorted(by_producer[producer], key=lambda r: (r.category, r.name)):
                item = QTreeWidgetItem([product_line(p)])
                item.setData(0, PRODUCT_ROLE, p.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Checked if p.id in chosen
                                   else Qt.CheckState.Unchecked)
                top.addChild(item)
            top.setExpanded(True)
        self.tree.blockSignals(False)
        self._count()

    def items(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            out.extend(top.child(j) for j in range(top.childCount()))
        return out

    def producer_item(self, producer_name: str) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top.text(0).startswith(producer_name + " — "):
                return top
        return None

    def check_product(self, product_id: int, checked: bool = True) -> None:
        for item in self.items():
            if item.data(0, PRODUCT_ROLE) == product_id:
                item.setCheckState(0, Qt.CheckState.Checked if checked
                                   else Qt.CheckState.Unchecked)

    def product_ids(self) -> tuple[int, ...]:
        return tuple(item.data(0, PRODUCT_ROLE) for item in self.items()
                     if item.checkState(0) == Qt.CheckState.Checked)

    def _count(self) -> None:
        n = len(self.product_ids())
        self.count_label.setText(ngettext("{n} produit proposé", "{n} produits proposés",
                                          n).format(n=n))

    def save(self) -> None:
        self.errors.clear()
        try:
            record = CampaignRecord(
                id=self.record.id if self.record else None,
                title=self.title_field.text().strip(),
                opens_on=self._date(self.opens, "opens_on"),
                closes_on=self._date(self.closes, "closes_on"),
                pickup_on=self._date(self.pickup, "pickup_on"),
                pickup_place=self.place.text().strip(),
                product_ids=self.product_ids(),
                notes=self.notes.toPlainText().strip())
            self.saved_id = self.services.catalogue.save_campaign(record)
        except MaisonError as exc:
            show_error(self, self.errors, exc)
            return
        self.accept()

    @staticmethod
    def _date(field: DateField, name: str) -> dt.date:
        day = field.date(field=name)
        if day is None:
            raise ValidationError(_("Indiquez la date (jj/mm/aaaa)."), field=name)
        return day
