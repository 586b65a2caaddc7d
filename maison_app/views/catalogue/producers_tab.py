"""Tab « Producteurs »: the local producers — a search on the name, « Inactifs aussi »;
name, town, distance, labels, contact, minimum order. « Nouveau producteur… » (Ctrl+N);
Enter or a double-click opens one. F5 reloads."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.catalogue import ProducerRecord
from maison_app.domain.permissions import Access, Area
from maison_app.i18n import _, format_money, ngettext
from maison_app.services.permissions import can
from maison_app.ui import messages
from maison_app.ui.common import guarded
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import (
    Column,
    RecordTableModel,
    record_table,
    select_record,
    selected_record,
)
from maison_app.views.catalogue import product_dialog
from maison_app.views.catalogue.producer_dialog import ProducerDialog, short_label

SEARCH_DELAY_MS = 250
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def contact_text(p: ProducerRecord) -> str:
    return " · ".join(part for part in (p.contact_name, p.phone, p.email) if part)


def producer_columns() -> list[Column[ProducerRecord]]:
    return [
        Column(_("Producteur"), lambda p: p.name if p.active else _("{name} (inactif)")
               .format(name=p.name)),
        Column(_("Commune"), lambda p: p.town),
        Column(_("Distance"), lambda p: _("{km} km").format(km=p.distance_km),
               sort_key=lambda p: p.distance_km, align=_RIGHT),
        Column(_("Labels"), lambda p: ", ".join(short_label(label) for label in p.labels)),
        Column(_("Commande min."),
               lambda p: format_money(p.min_order_cents) if p.min_order_cents else "—",
               sort_key=lambda p: p.min_order_cents, align=_RIGHT),
        Column(_("Contact"), contact_text),
    ]


class ProducersTab(QWidget):
    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.may_write = can(services.ctx.actor, Area.CATALOGUE, Access.WRITE)
        self._select_id: int | None = None
        self.on_changed = None  # called after a producer was saved

        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Rechercher un producteur…"))
        self.search.setAccessibleName(_("Rechercher un producteur"))
        self.search.setClearButtonEnabled(True)
        self.inactive = QCheckBox(_("Inactifs aussi"))
        self.inactive.setAccessibleName(_("Producteurs inactifs aussi"))
        self.new_button = QPushButton(_("Nouveau producteur…"))
        self.new_button.setAccessibleName(_("Nouveau producteur"))
        self.new_button.setAutoDefault(False)
        self.new_button.setToolTip(_("Ctrl+N"))
        self.new_button.clicked.connect(lambda _c=False: self.new_producer())
        self.new_button.setVisible(self.may_write)
        self.open_button = QPushButton(_("Ouvrir…"))
        self.open_button.setAccessibleName(_("Ouvrir le producteur"))
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(lambda _c=False: self.open_selected())

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.inactive)
        self.model: RecordTableModel[ProducerRecord] = RecordTableModel(producer_columns())
        self.view, _proxy = record_table(_("Producteurs"), self.model,
                                         widths=(230, 120, 70, 160, 120))
        # the service's order (by name) until the user sorts on a column
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        self.view.activated.connect(lambda _i: self.open_selected())
        self.count = QLabel()
        self.count.setAccessibleName(_("Nombre de producteurs"))
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
        self.inactive.toggled.connect(lambda _c: self.load())
        add_shortcuts(self, [(QKeySequence.StandardKey.New, self.new_producer),
                             (QKeySequence.StandardKey.Refresh, self.load)])

    def reload(self) -> None:
        self.load()

    def load(self) -> None:
        catalogue = self.services.catalogue
        query = self.search.text().strip()
        active_only = not self.inactive.isChecked()
        self.tasks.run(lambda: catalogue.producers(query=query, active_only=active_only),
                       on_success=guarded(self, self._show),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"catalogue-producers-{id(self)}")

    def _show(self, records) -> None:
        keep = self._select_id
        if keep is None:
            current = selected_record(self.view, self.model)
            keep = current.id if current else None
        self.model.set_records(records)
        self.count.setText(ngettext("{n} producteur", "{n} producteurs", len(records))
                           .format(n=len(records)))
        if keep is not None:
            select_record(self.view, self.model, lambda p: p.id == keep)
        self._select_id = None

    def new_producer(self) -> None:
        if self.may_write:
            self._run(ProducerDialog(self.services, parent=self, tasks=self.tasks))

    def open_selected(self) -> None:
        record = selected_record(self.view, self.model)
        if record is None:
            return
        try:
            fresh = self.services.catalogue.producer(producer_id=record.id)
        except Exception as exc:  # noqa: BLE001 - said to the user
            messages.show_error(self, exc)
            return
        dialog = ProducerDialog(self.services, fresh, parent=self, tasks=self.tasks)
        if not self.may_write:
            dialog.ok.setEnabled(False)
        self._run(dialog)

    def _run(self, dialog: ProducerDialog) -> None:
        try:
            if product_dialog.run_dialog(dialog) and dialog.saved_id is not None:
                self._select_id = dialog.saved_id
                self.load()
                self.changed()
        finally:
            dialog.setParent(None)
            dialog.deleteLater()

    def changed(self) -> None:
        """A producer was saved (the screen reloads the catalogue's filters)."""
        if self.on_changed is not None:
            self.on_changed()
