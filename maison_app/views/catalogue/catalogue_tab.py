"""Tab « Catalogue »: the products of the local producers — a search on the product or the
producer (accents ignored), filters on the category, the producer, « De saison » (available
this month) and a label; « Inactifs aussi » shows the products no longer offered.
« Nouveau produit… » (Ctrl+N); Enter or a double-click opens one. The list loads through
the task runner; F5 reloads."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.catalogue import ProductRecord
from maison_app.domain.enums import ProducerLabel
from maison_app.domain.permissions import Access, Area
from maison_app.i18n import _, format_money, ngettext
from maison_app.services.permissions import can
from maison_app.ui import messages
from maison_app.ui.common import guarded, today
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import (
    Column,
    RecordTableModel,
    record_table,
    select_record,
    selected_record,
)
from maison_app.views.catalogue import product_dialog
from maison_app.views.catalogue.product_dialog import (
    ProductDialog,
    months_text,
    vat_text,
)

SEARCH_DELAY_MS = 250
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def product_columns() -> list[Column[ProductRecord]]:
    return [
        Column(_("Produit"), lambda p: p.name),
        Column(_("Catégorie"), lambda p: p.category),
        Column(_("Producteur"), lambda p: p.producer_name),
        Column(_("Distance"), lambda p: _("{km} km").format(km=p.distance_km),
               sort_key=lambda p: p.distance_km, align=_RIGHT),
        Column(_("Unité"), lambda p: p.unit.label),
        Column(_("Prix TTC"), lambda p: format_money(p.price_cents),
               sort_key=lambda p: p.price_cents, align=_RIGHT),
        Column(_("TVA"), lambda p: vat_text(p.vat_bp), sort_key=lambda p: p.vat_bp,
               align=_RIGHT),
        Column(_("Saison"), lambda p: months_text(p.months)),
        Column(_("Conditionnement"), lambda p: p.packaging),
    ]


class CatalogueTab(QWidget):
    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.may_write = can(services.ctx.actor, Area.CATALOGUE, Access.WRITE)
        self._select_id: int | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Rechercher un produit ou un producteur…"))
        self.search.setAccessibleName(_("Rechercher un produit"))
        self.search.setClearButtonEnabled(True)
        self.category = QComboBox()
        self.category.setAccessibleName(_("Catégorie"))
        self.producer = QComboBox()
        self.producer.setAccessibleName(_("Producteur"))
        self.label = QComboBox()
        self.label.setAccessibleName(_("Label"))
        for combo in (self.category, self.producer, self.label):  # sized on their items
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.label.addItem(_("Tous labels"), None)
        for label in ProducerLabel:
            self.label.addItem(label.label, label)
        self.in_season = QCheckBox(_("De saison"))
        self.in_season.setAccessibleName(_("De saison"))
        self.in_season.setToolTip(_("Les produits disponibles ce mois-ci"))
        self.inactive = QCheckBox(_("Inactifs aussi"))
        self.inactive.setAccessibleName(_("Inactifs aussi"))
        self.new_button = QPushButton(_("Nouveau produit…"))
        self.new_button.setAccessibleName(_("Nouveau produit"))
        self.new_button.setAutoDefault(False)
        self.new_button.setToolTip(_("Ctrl+N"))
        self.new_button.clicked.connect(lambda _c=False: self.new_product())
        self.new_button.setVisible(self.may_write)
        self.open_button = QPushButton(_("Ouvrir…"))
        self.open_button.setAccessibleName(_("Ouvrir le produit"))
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(lambda _c=False: self.open_selected())

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)  # the filters keep the width of their items
        filters.addWidget(self.category)
        filters.addWidget(self.producer)
        filters.addWidget(self.label)
        filters.addWidget(self.in_season)
        filters.addWidget(self.inactive)

        self.model: RecordTableModel[ProductRecord] = RecordTableModel(product_columns())
        self.view, _proxy = record_table(_("Produits"), self.model,
                                         widths=(190, 120, 190, 70, 70, 80, 60, 120))
        # the service's order (by category, then name) until the user sorts on a column
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        self.view.activated.connect(lambda _i: self.open_selected())
        self.count = QLabel()
        self.count.setAccessibleName(_("Nombre de produits"))
        self.count.setStyleSheet("color: #555;")

        actions = QHBoxLayout()
        actions.addWidget(self.count)
        actions.addStretch(1)
        actions.addWidget(self.open_button)
        actions.addWidget(self.new_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.load)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        for combo in (self.category, self.producer, self.label):
            combo.currentIndexChanged.connect(lambda _i: self.load())
        for box in (self.in_season, self.inactive):
            box.toggled.connect(lambda _c: self.load())

        add_shortcuts(self, [(QKeySequence.StandardKey.New, self.new_product),
                             (QKeySequence.StandardKey.Refresh, self.reload),
                             (QKeySequence.StandardKey.Find, self.search.setFocus)])

    # --- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        """The filters' choices (categories, producers) and the list."""
        catalogue = self.services.catalogue
        self.tasks.run(lambda: (catalogue.categories(),
                                catalogue.producers(active_only=False)),
                       on_success=guarded(self, self._show_choices),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"catalogue-choices-{id(self)}")

    def _show_choices(self, result) -> None:
        categories, producers = result
        _refill(self.category, _("Toutes catégories"), [(c, c) for c in categories])
        _refill(self.producer, _("Tous producteurs"), [(p.name, p.id) for p in producers])
        self.load()

    def filters(self) -> dict:
        return {
            "query": self.search.text().strip(),
            "category": self.category.currentData(),
            "producer_id": self.producer.currentData(),
            "in_season_on": today(self.services) if self.in_season.isChecked() else None,
            "label": self.label.currentData(),
            "active_only": not self.inactive.isChecked(),
        }

    def load(self) -> None:
        catalogue = self.services.catalogue
        kwargs = self.filters()
        self.tasks.run(lambda: catalogue.products(**kwargs),
                       on_success=guarded(self, self._show),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"catalogue-products-{id(self)}")

    def _show(self, records) -> None:
        keep = self._select_id
        if keep is None:
            current = selected_record(self.view, self.model)
            keep = current.id if current else None
        self.model.set_records(records)
        self.count.setText(ngettext("{n} produit", "{n} produits", len(records))
                           .format(n=len(records)))
        if keep is not None:
            select_record(self.view, self.model, lambda p: p.id == keep)
        self._select_id = None

    # --- actions ------------------------------------------------------------------------

    def new_product(self) -> None:
        if not self.may_write:
            return
        dialog = ProductDialog(self.services, parent=self,
                               producer_id=self.producer.currentData())
        self._run(dialog)

    def open_selected(self) -> None:
        record = selected_record(self.view, self.model)
        if record is None:
            return
        try:
            fresh = self.services.catalogue.product(product_id=record.id)
        except Exception as exc:  # noqa: BLE001 - said to the user
            messages.show_error(self, exc)
            return
        dialog = ProductDialog(self.services, fresh, parent=self)
        if not self.may_write:
            dialog.ok.setEnabled(False)
        self._run(dialog)

    def _run(self, dialog: ProductDialog) -> None:
        try:
            if product_dialog.run_dialog(dialog) and dialog.saved_id is not None:
                self._select_id = dialog.saved_id
                self.reload()
        finally:
            dialog.setParent(None)
            dialog.deleteLater()


def _refill(combo: QComboBox, everything: str, items: list[tuple[str, object]]) -> None:
    """Replace a filter's choices, keeping the chosen one when it is still there."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, None)
    for text, data in items:
        combo.addItem(text, data)
    index = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(0, index))
    combo.blockSignals(False)
