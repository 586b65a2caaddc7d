"""Tab « Commandes groupées » of the « Circuits courts » screen.

On top, the campaigns (latest pickup first): title, the days orders are taken, the pickup,
the state (« ouverte », « à venir », « close »), the orders and their total, with
« Nouvelle campagne… » (Ctrl+N), « Modifier la campagne… » and « Clore la campagne… »
(after a confirmation: the orders are frozen). Under it, the chosen campaign's orders
(member, the products in short, total, « retiré » ✓) with « Nouvelle commande… »,
« Modifier la commande… » (Enter), « Supprimer la commande… » (Suppr, after a confirmation),
« Reçu… », « Marquer retiré » for the chosen orders; beside them the totals: per producer
(a warning when its minimum order is not reached), the campaign's total, the share of the
amount from within 100 km and the average distance; « Bons de commande… » (a PDF per
producer), « Liste de retrait… », « Exporter (CSV)… ».

Lists load through the task runner; writes call the service on the GUI thread."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.catalogue import (
    LOCAL_KM,
    CampaignRecord,
    OrderRecord,
    quantity_text,
    short_line,
)
from maison_app.domain.errors import MaisonError
from maison_app.domain.permissions import Access, Area
from maison_app.domain.text import search_key
from maison_app.i18n import _, format_date, format_money, ngettext
from maison_app.services.permissions import can
from maison_app.ui import messages
from maison_app.ui.common import guarded, preview_pdf, today
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import (
    Column,
    RecordTableModel,
    record_table,
    select_record,
)
from maison_app.views.catalogue.campaign_dialog import CampaignDialog
from maison_app.views.catalogue.order_dialog import OrderDialog
from maison_app.views.catalogue.product_dialog import vat_text

SECTION_STYLE = "font-weight: 600; font-size: 14px;"
NOTE_STYLE = "color: #555;"
WARNING_COLOUR = "#a35200"
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
ALL_PRODUCERS = "*"


# --- what tests replace ----------------------------------------------------------------------


def run_dialog(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def preview(parent: QWidget, record, content: bytes) -> None:
    preview_pdf(parent, record, content)


def choose_producer(parent: QWidget, names: list[str]) -> str | None:
    """Which producer's purchase order: a name, ALL_PRODUCERS (one by one) or None."""
    everyone = _("Tous les producteurs, un par un")
    name, ok = QInputDialog.getItem(parent, _("Bons de commande"), _("Producteur :"),
                                    [everyone, *names], 0, False)
    if not ok:
        return None
    return ALL_PRODUCERS if name == everyone else name


def ask_csv_path(parent: QWidget, suggested: Path) -> str:
    path, _filter = QFileDialog.getSaveFileName(
        parent, _("Exporter la campagne"), str(suggested), _("Fichier CSV pour Excel (*.csv)"))
    return path


# --- texts -----------------------------------------------------------------------------------


def campaign_state(c: CampaignRecord, day: dt.date) -> str:
    if c.closed_at is not None:
        return _("close")
    if day < c.opens_on:
        return _("à venir")
    if day > c.closes_on:
        return _("terminée, à clore")
    return _("ouverte")


def lines_summary(order: OrderRecord) -> str:
    """« 2 × Pain de campagne, 1,5 kg Pommes Reinette »."""
    return ", ".join(short_line(line.product_name, line.quantity_milli, line.unit)
                     for line in order.lines)


def _button(label: str, slot, name: str | None = None) -> QPushButton:
    button = QPushButton(label)
    button.setAccessibleName(name or label.rstrip("…"))
    button.setAutoDefault(False)
    button.clicked.connect(lambda _c=False: slot())
    return button


class CampaignsTab(QWidget):
    """The grouped orders. `loaded` fires when the campaigns came back, `orders_loaded`
    when the chosen campaign's orders and totals did (tests wait for them)."""

    loaded = Signal()
    orders_loaded = Signal()

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.may_write = can(services.ctx.actor, Area.CATALOGUE, Access.WRITE)
        self.current: CampaignRecord | None = None
        self.totals = None
        self.exported_path: Path | None = None
        self._select_campaign: int | None = None
        self._select_order: int | None = None
        day = today(services)

        self.campaigns_model = RecordTableModel[CampaignRecord]([
            Column(_("Campagne"), lambda c: c.title),
            Column(_("Commandes du"), lambda c: _("{a} au {b}").format(
                a=format_date(c.opens_on, "short"), b=format_date(c.closes_on, "short")),
                sort_key=lambda c: c.opens_on),
            Column(_("Retrait"), lambda c: _("{day}, {place}").format(
                day=format_date(c.pickup_on, "short"), place=c.pickup_place)
                if c.pickup_place else format_date(c.pickup_on, "short"),
                sort_key=lambda c: c.pickup_on),
            Column(_("État"), lambda c: campaign_state(c, day)),
            Column(_("Commandes"), lambda c: str(c.orders), sort_key=lambda c: c.orders,
                   align=_RIGHT),
            Column(_("Total"), lambda c: format_money(c.total_cents),
                   sort_key=lambda c: c.total_cents, align=_RIGHT),
        ])
        self.campaigns_view, _p = record_table(_("Campagnes"), self.campaigns_model,
                                               widths=(220, 170, 300, 130, 90))
        self.campaigns_view.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # latest pickup
        self.campaigns_view.selectionModel().selectionChanged.connect(
            lambda *_a: self._campaign_chosen())
        self.campaigns_view.doubleClicked.connect(lambda _i: self.edit_campaign())

        self.new_campaign_button = _button(_("Nouvelle campagne…"), self.new_campaign)
        self.edit_campaign_button = _button(_("Modifier la campagne…"), self.edit_campaign)
        self.close_button = _button(_("Clore la campagne…"), self.close_campaign)
        top_buttons = QHBoxLayout()
        for b in (self.new_campaign_button, self.edit_campaign_button, self.close_button):
            top_buttons.addWidget(b)
        top_buttons.addStretch(1)

        # the chosen campaign's orders
        self.orders_model = RecordTableModel[OrderRecord]([
            Column(_("Membre"), lambda o: o.member_name,
                   sort_key=lambda o: (search_key(o.member_name), o.id)),
            Column(_("Produits"), lines_summary),
            Column(_("Total"), lambda o: format_money(o.total_cents),
                   sort_key=lambda o: o.total_cents, align=_RIGHT),
            Column(_("Retiré"), lambda o: "✓" if o.collected_at else "",
                   sort_key=lambda o: o.collected_at is not None, align=_CENTER),
        ])
        self.orders_view, _p = record_table(_("Commandes de la campagne"), self.orders_model,
                                            widths=(190, 380, 90, 60))
        self.orders_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.orders_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.orders_view.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.orders_view.doubleClicked.connect(lambda _i: self.edit_order())
        self.orders_title = QLabel(_("Commandes"))
        self.orders_title.setStyleSheet(SECTION_STYLE)
        self.orders_title.setAccessibleName(_("Titre des commandes"))

        self.new_order_button = _button(_("Nouvelle commande…"), self.new_order)
        self.edit_order_button = _button(_("Modifier la commande…"), self.edit_order)
        self.delete_order_button = _button(_("Supprimer la commande…"), self.delete_order)
        self.receipt_button = _button(_("Reçu…"), self.receipt)
        self.collected_button = _button(_("Marquer retiré"), self.mark_collected)
        order_buttons = QHBoxLayout()
        for b in (self.new_order_button, self.edit_order_button, self.delete_order_button,
                  self.receipt_button, self.collected_button):
            order_buttons.addWidget(b)
        order_buttons.addStretch(1)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.orders_title)
        lv.addWidget(self.orders_view, 1)
        lv.addLayout(order_buttons)

        # the totals
        totals_title = QLabel(_("Totaux"))
        totals_title.setStyleSheet(SECTION_STYLE)
        self.totals_tree = QTreeWidget()
        self.totals_tree.setAccessibleName(_("Totaux de la campagne"))
        self.totals_tree.setHeaderLabels([_("Producteur / produit"), _("Quantité"),
                                          _("Montant TTC")])
        self.totals_tree.setRootIsDecorated(True)
        self.totals_tree.setUniformRowHeights(True)
        self.totals_tree.setAlternatingRowColors(True)
        self.totals_tree.header().setStretchLastSection(False)
        self.totals_tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            self.totals_tree.header().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents)
            self.totals_tree.headerItem().setTextAlignment(column, _RIGHT)
        self.totals_label = QLabel()
        self.totals_label.setAccessibleName(_("Résumé de la campagne"))
        self.totals_label.setWordWrap(True)
        self.totals_label.setTextFormat(Qt.TextFormat.RichText)
        self.totals_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.purchase_button = _button(_("Bons de commande…"), self.purchase_orders)
        self.pickup_button = _button(_("Liste de retrait…"), self.pickup_list)
        self.csv_button = _button(_("Exporter (CSV)…"), self.export_csv)
        self.note = QLabel()
        self.note.setStyleSheet(NOTE_STYLE)
        self.note.setWordWrap(True)
        self.note.setAccessibleName(_("Message des commandes groupées"))
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(totals_title)
        rv.addWidget(self.totals_tree, 1)
        rv.addWidget(self.totals_label)
        for b in (self.purchase_button, self.pickup_button, self.csv_button):
            rv.addWidget(b)
        rv.addWidget(self.note)

        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(left)
        bottom.addWidget(right)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        bottom.setSizes([760, 400])
        upper = QWidget()
        uv = QVBoxLayout(upper)
        uv.setContentsMargins(0, 0, 0, 0)
        uv.addWidget(self.campaigns_view, 1)
        uv.addLayout(top_buttons)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(bottom)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([260, 500])
        layout = QVBoxLayout(self)
        layout.addWidget(split)

        add_shortcuts(self, [(QKeySequence.StandardKey.New, self.new_campaign),
                             (QKeySequence.StandardKey.Refresh, self.reload)])
        add_shortcuts(self.orders_view, [(Qt.Key.Key_Return, self.edit_order),
                                         (Qt.Key.Key_Enter, self.edit_order),
                                         (Qt.Key.Key_Delete, self.delete_order)],
                      context=Qt.ShortcutContext.WidgetShortcut)
        add_shortcuts(self.campaigns_view, [(Qt.Key.Key_Return, self.edit_campaign),
                                            (Qt.Key.Key_Enter, self.edit_campaign)],
                      context=Qt.ShortcutContext.WidgetShortcut)
        self._show_totals()
        self._enable()

    # --- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        if self.current is not None and self._select_campaign is None:
            self._select_campaign = self.current.id
        catalogue = self.services.catalogue
        self.tasks.run(lambda: catalogue.campaigns(include_closed=True),
                       on_success=guarded(self, self._campaigns_came),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"campaigns-{id(self)}")

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.reload()

    def _campaigns_came(self, rows) -> None:
        wanted = self._select_campaign
        self._select_campaign = None
        self.campaigns_model.set_records(rows)
        if not rows:
            self._campaign_chosen()
        elif wanted is None or not select_record(self.campaigns_view, self.campaigns_model,
                                                 lambda c: c.id == wanted):
            self.campaigns_view.selectRow(0)
        self.loaded.emit()

    def selected_campaign(self) -> CampaignRecord | None:
        rows = self.campaigns_view.selectionModel().selectedRows()
        if not rows:
            return None
        index = self.campaigns_view.model().mapToSource(rows[0])
        return self.campaigns_model.record(index.row())

    def selected_orders(self) -> list[OrderRecord]:
        proxy = self.orders_view.model()
        return [self.orders_model.record(proxy.mapToSource(i).row())
                for i in self.orders_view.selectionModel().selectedRows()]

    def _campaign_chosen(self) -> None:
        self.current = self.selected_campaign()
        self._enable()
        if self.current is None:
            self.orders_model.set_records([])
            self.totals = None
            self._show_totals()
            self.orders_title.setText(_("Commandes"))
            return
        self.orders_title.setText(_("Commandes — {t}").format(t=self.current.title))
        self.load_orders()

    def load_orders(self) -> None:
        if self.current is None:
            return
        catalogue = self.services.catalogue
        cid = self.current.id

        def fetch():
            return (cid, catalogue.campaign(campaign_id=cid), catalogue.orders(campaign_id=cid),
                    catalogue.totals(campaign_id=cid))

        self.tasks.run(fetch, on_success=guarded(self, self._orders_came),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"campaign-orders-{id(self)}")

    def _orders_came(self, result) -> None:
        cid, campaign, orders, totals = result
        if self.current is None or self.current.id != cid:
            return
        self.current = campaign
        wanted = self._select_order
        self._select_order = None
        self.orders_model.set_records(orders)
        if wanted is not None:
            select_record(self.orders_view, self.orders_model, lambda o: o.id == wanted)
        self.totals = totals
        self._show_totals()
        self._enable()
        self.orders_loaded.emit()

    def _show_totals(self) -> None:
        """Per producer (a warning when its minimum is not reached), its products under it
        with the quantity ordered; under the tree the campaign's total, its VAT per rate, the
        share from within 100 km and the average distance."""
        self.totals_tree.clear()
        t = self.totals
        if t is None:
            self.totals_label.setText(html.escape(_("Choisissez une campagne.")))
            return
        products: dict[str, list] = {}
        for row in t.by_product:
            products.setdefault(row.group, []).append(row)
        warning = QColor(WARNING_COLOUR)
        for row in t.by_producer:
            item = QTreeWidgetItem([row.key, "", format_money(row.total_cents)])
            item.setTextAlignment(2, _RIGHT)
            font = item.font(0)
            font.setBold(True)
            for column in (0, 2):
                item.setFont(column, font)
            if row.below_minimum:
                text = _("⚠ minimum de commande {m} non atteint").format(
                    m=format_money(row.minimum_cents))
                item.setText(0, f"{row.key} — {text}")
                item.setForeground(0, warning)
                item.setToolTip(0, text)
            for product in products.get(row.key, ()):
                child = QTreeWidgetItem([product.key,
                                         quantity_text(product.quantity_milli,
                                                       product.unit or ""),
                                         format_money(product.total_cents)])
                for column in (1, 2):
                    child.setTextAlignment(column, _RIGHT)
                item.addChild(child)
            self.totals_tree.addTopLevelItem(item)
        self.totals_tree.expandAll()
        rows = []
        if not t.by_producer:
            rows.append(html.escape(_("Aucune commande pour l'instant.")))
        rows.append("<b>" + html.escape(_("Total de la campagne : {amount}").format(
            amount=format_money(t.total_cents))) + "</b>")
        if t.vat_by_rate:
            rows.append(html.escape(_("dont TVA : {detail}").format(detail=", ".join(
                _("{amount} à {rate}").format(amount=format_money(cents),
                                             rate=vat_text(rate))
                for rate, cents in t.vat_by_rate.items()))))
        if t.local_share is not None:
            rows.append(html.escape(_("Part à moins de {km} km : {share} %").format(
                km=LOCAL_KM, share=f"{t.local_share * 100:.0f}")))
        if t.average_km is not None:
            rows.append(html.escape(_("Distance moyenne : {km} km").format(
                km=f"{t.average_km:.0f}")))
        self.totals_label.setText("<br>".join(rows))

    def totals_text(self) -> str:
        """The totals as plain text, one line per producer and product (tests read it)."""
        from PySide6.QtGui import QTextDocument

        lines = []
        for i in range(self.totals_tree.topLevelItemCount()):
            item = self.totals_tree.topLevelItem(i)
            lines.append(" ".join(item.text(c) for c in range(3) if item.text(c)))
            for k in range(item.childCount()):
                child = item.child(k)
                lines.append("  " + " ".join(child.text(c) for c in range(3) if child.text(c)))
        doc = QTextDocument()
        doc.setHtml(self.totals_label.text())
        lines.append(doc.toPlainText())
        return "\n".join(lines)

    def _enable(self) -> None:
        c = self.current
        w = self.may_write
        day = today(self.services)
        frozen = c is None or c.closed_at is not None
        chosen = self.selected_orders() if c is not None else []
        self.edit_campaign_button.setEnabled(w and not frozen)
        self.close_button.setEnabled(w and not frozen)
        self.new_order_button.setEnabled(w and c is not None and c.open_on(day))
        self.edit_order_button.setEnabled(w and not frozen and len(chosen) == 1)
        self.delete_order_button.setEnabled(w and not frozen and len(chosen) == 1)
        self.receipt_button.setEnabled(len(chosen) == 1)
        self.collected_button.setEnabled(w and bool(chosen))
        has_orders = c is not None and self.orders_model.rowCount() > 0
        self.purchase_button.setEnabled(w and has_orders)
        self.pickup_button.setEnabled(w and has_orders)
        self.csv_button.setEnabled(c is not None)
        self.new_campaign_button.setEnabled(w)

    # --- campaigns -------------------------------------------------------------------------

    def new_campaign(self) -> None:
        if not self.may_write:
            return
        dialog = CampaignDialog(self.services, parent=self)
        if run_dialog(dialog) and dialog.saved_id is not None:
            self._select_campaign = dialog.saved_id
            self.reload()

    def edit_campaign(self) -> None:
        c = self.current
        if c is None or not self.may_write or c.closed_at is not None:
            return
        dialog = CampaignDialog(self.services, c, parent=self)
        if run_dialog(dialog):
            self._select_campaign = c.id
            self.reload()

    def close_campaign(self) -> None:
        c = self.current
        if c is None or c.closed_at is not None:
            return
        if not messages.confirm(
                self, _("Clore la campagne « {t} » ? {orders} : plus aucune commande ne "
                        "pourra être ajoutée, modifiée ni supprimée. Les retraits pourront "
                        "toujours être notés.").format(t=c.title, orders=ngettext(
                            "Sa commande sera figée", "Ses {n} commandes seront figées",
                            c.orders).format(n=c.orders) if c.orders
                        else _("Elle n'a reçu aucune commande")),
                title=_("Clore la campagne"), yes=_("Clore"), destructive=True):
            return
        try:
            self.services.catalogue.close_campaign(campaign_id=c.id)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        self.note.setText(_("Campagne « {t} » close.").format(t=c.title))
        self._select_campaign = c.id
        self.reload()

    # --- orders --------------------------------------------------------------------------

    def new_order(self) -> None:
        c = self.current
        if c is None or not self.new_order_button.isEnabled():
            return
        dialog = OrderDialog(self.services, self.tasks, c, parent=self)
        if run_dialog(dialog) and dialog.saved_id is not None:
            self._after_order_change(dialog.saved_id)

    def edit_order(self) -> None:
        chosen = self.selected_orders()
        if len(chosen) != 1 or not self.edit_order_button.isEnabled():
            return
        try:
            order = self.services.catalogue.order(order_id=chosen[0].id)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        dialog = OrderDialog(self.services, self.tasks, self.current, order, parent=self)
        if run_dialog(dialog):
            self._after_order_change(order.id)

    def delete_order(self) -> None:
        chosen = self.selected_orders()
        if len(chosen) != 1 or not self.delete_order_button.isEnabled():
            return
        order = chosen[0]
        if not messages.confirm(
                self, _("Supprimer la commande de {name} ({amount}) ?").format(
                    name=order.member_name, amount=format_money(order.total_cents)),
                title=_("Supprimer la commande"), yes=_("Supprimer"), destructive=True):
            return
        try:
            self.services.catalogue.delete_order(order_id=order.id)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        self._after_order_change(None)

    def _after_order_change(self, order_id: int | None) -> None:
        self._select_order = order_id
        self._select_campaign = self.current.id if self.current else None
        self.reload()

    def mark_collected(self) -> None:
        chosen = self.selected_orders()
        if not chosen:
            return
        collected = not all(o.collected_at for o in chosen)
        try:
            self.services.catalogue.mark_collected(order_ids=[o.id for o in chosen],
                                                   collected=collected)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        self.note.setText(ngettext("{n} commande marquée retirée.",
                                   "{n} commandes marquées retirées.", len(chosen)).format(
            n=len(chosen)) if collected else _("Retrait annulé."))
        self._after_order_change(chosen[0].id)

    # --- papers ----------------------------------------------------------------------------

    def _producers(self) -> dict[str, int]:
        """The producers the campaign's orders buy from, by name."""
        out: dict[str, int] = {}
        for order in self.orders_model.records():
            for line in order.lines:
                if line.producer_id is not None:
                    out[line.producer_name] = line.producer_id
        return dict(sorted(out.items()))

    def purchase_orders(self) -> None:
        c = self.current
        producers = self._producers()
        if c is None or not producers:
            return
        if len(producers) == 1:
            names = list(producers)
        else:
            chosen = choose_producer(self, list(producers))
            if chosen is None:
                return
            names = list(producers) if chosen == ALL_PRODUCERS else [chosen]
        catalogue, ids = self.services.catalogue, [producers[name] for name in names]
        self._papers(lambda: [catalogue.purchase_order(campaign_id=c.id, producer_id=pid)
                              for pid in ids])

    def pickup_list(self) -> None:
        if self.current is None:
            return
        catalogue, cid = self.services.catalogue, self.current.id
        self._papers(lambda: [catalogue.pickup_list(campaign_id=cid)])

    def receipt(self) -> None:
        chosen = self.selected_orders()
        if len(chosen) != 1:
            return
        catalogue, oid = self.services.catalogue, chosen[0].id
        self._papers(lambda: [catalogue.receipt(order_id=oid)])

    def _papers(self, issue) -> None:
        """Issue papers in the task runner (rendering several PDFs takes a moment), then
        show each in the preview."""
        def shown(papers) -> None:
            for record, content in papers:
                preview(self, record, content)

        self.tasks.run(issue, on_success=guarded(self, shown),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)))

    def export_csv(self) -> Path | None:
        c = self.current
        if c is None:
            return None
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        suggested = Path(folder) / _("commande-groupee-{day}.csv").format(
            day=c.pickup_on.isoformat())
        chosen = ask_csv_path(self, suggested)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        try:
            content = self.services.catalogue.campaign_csv(campaign_id=c.id)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return None
        try:
            path.write_bytes(content)
        except OSError as exc:
            messages.warn(self, _("La campagne n'a pas pu être enregistrée dans {path} : "
                                  "{reason}").format(path=path, reason=exc.strerror or exc))
            return None
        self.exported_path = path
        self.note.setText(_("Campagne enregistrée dans {path}").format(path=path))
        return path
