"""The "Adhésions" tab of a person's or an organisation's record: their memberships year by
year, the payments of the selected one (with the reçu de cotisation), and their share
subscriptions (parts sociales).

Shared by PersonDialog and OrganisationDialog (the small form helpers they use, dates typed
jj/mm/aaaa and amounts shown "12,50", are in maison_app.ui.common). Lists are loaded through
the task runner, and so is the receipt (a PDF); writes call the service on the GUI thread
(one row each). Without the right to write memberships (Area.MEMBERSHIP), the buttons that
change something are hidden and a line says who does it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import MemberKind, MembershipStatus
from maison_app.domain.errors import MaisonError
from maison_app.domain.members import MembershipRecord, PaymentRecord, ShareRecord
from maison_app.domain.permissions import Access, Area, allowed
from maison_app.i18n import _, format_date, format_money, ngettext
from maison_app.ui import messages
from maison_app.ui.common import NOTE_STYLE, guarded, preview_pdf
from maison_app.ui.table_model import Column, RecordTableModel, record_table

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_STATUS_COLOURS = {
    MembershipStatus.A_JOUR: "#1e6b3a",
    MembershipStatus.PARTIEL: "#8a5a00",
    MembershipStatus.A_RELANCER: "#b3261e",
}


def _button(text: str, name: str, slot) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setAutoDefault(False)  # Enter stays with the dialog's own default button
    button.clicked.connect(slot)
    return button


class _MembershipsModel(RecordTableModel[MembershipRecord]):
    """The status in colour: green paid, amber partly paid, red nothing paid."""

    STATUS_COLUMN = 5

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if (role == Qt.ItemDataRole.ForegroundRole and index.isValid()
                and index.column() == self.STATUS_COLUMN):
            colour = _STATUS_COLOURS.get(self.record(index.row()).status)
            return QBrush(QColor(colour)) if colour else None
        return super().data(index, role)


# --- the panel -------------------------------------------------------------------------------


class MembershipPanel(QWidget):
    """Memberships, payments and shares of one member. `set_member(id)` once the member
    exists (a new record is saved first). `changed` is emitted after every write;
    `loaded` after every refresh (tests wait for it)."""

    changed = Signal()
    loaded = Signal()

    def __init__(self, services, tasks, *, kind: MemberKind, member_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.kind = kind
        self.member_id: int | None = None
        self._memberships: tuple[MembershipRecord, ...] = ()
        role = services.ctx.actor.role
        self.can_read = allowed(role, Area.MEMBERSHIP, Access.READ)
        self.can_write = allowed(role, Area.MEMBERSHIP, Access.WRITE)
        self.receipt_dialog: QDialog | None = None  # the last receipt shown (tests)
        self.setAccessibleName(_("Adhésions du membre"))
        self._build()
        if member_id is not None:
            self.set_member(member_id)

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName(_("Note sur les adhésions"))
        self.note.setStyleSheet(NOTE_STYLE)
        if not self.can_write:
            self.note.setText(_("Consultation seulement : les adhésions, les paiements et les "
                                "reçus sont enregistrés par l'administration."))
        self.note.setVisible(not self.can_write)

        # memberships
        self.memberships_model: RecordTableModel[MembershipRecord] = _MembershipsModel([
            Column(_("Année"), lambda m: str(m.year), sort_key=lambda m: m.year),
            Column(_("Collège"), lambda m: m.college),
            Column(_("Cotisation"), lambda m: format_money(m.fee_cents),
                   sort_key=lambda m: m.fee_cents, align=_RIGHT),
            Column(_("Payé"), lambda m: format_money(m.paid_cents),
                   sort_key=lambda m: m.paid_cents, align=_RIGHT),
            Column(_("Reste dû"), lambda m: format_money(m.due_cents),
                   sort_key=lambda m: m.due_cents, align=_RIGHT),
            Column(_("Statut"), lambda m: m.status.label,
                   tooltip=lambda m: m.notes or m.status.label),
        ])
        self.memberships, _proxy = record_table(_("Adhésions"), self.memberships_model,
                                                sortable=False, proxy=False,
                                                widths=(60, 190, 95, 95, 95))
        self.memberships.selectionModel().selectionChanged.connect(
            lambda *_a: self._membership_selected())
        self.memberships.doubleClicked.connect(lambda _i: self.edit_membership())
        self.new_button = _button(_("Nouvelle adhésion…"), _("Nouvelle adhésion"),
                                  self.new_membership)
        self.edit_button = _button(_("Modifier…"), _("Modifier l'adhésion"),
                                   self.edit_membership)
        self.delete_button = _button(_("Supprimer…"), _("Supprimer l'adhésion"),
                                     self.delete_membership)
        row = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.delete_button):
            row.addWidget(b)
        row.addStretch(1)
        box = QGroupBox(_("Adhésions par année"))
        layout = QVBoxLayout(box)
        layout.addWidget(self.memberships, 1)
        layout.addLayout(row)

        # payments of the selected membership
        self.payments_model: RecordTableModel[PaymentRecord] = RecordTableModel([
            Column(_("Date"), lambda p: format_date(p.paid_on, "short"),
                   sort_key=lambda p: p.paid_on),
            Column(_("Montant"), lambda p: format_money(p.amount_cents),
                   sort_key=lambda p: p.amount_cents, align=_RIGHT),
            Column(_("Mode"), lambda p: p.method.label),
            Column(_("Référence"), lambda p: p.reference or ""),
            Column(_("Reçu"), lambda p: p.receipt_number or _("non émis")),
        ])
        self.payments, _proxy = record_table(_("Paiements"), self.payments_model,
                                             sortable=False, proxy=False,
                                             widths=(90, 90, 120, 150))
        self.payments.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        self.pay_button = _button(_("Enregistrer un paiement…"), _("Enregistrer un paiement"),
                                  self.record_payment)
        self.cancel_payment_button = _button(_("Annuler le paiement…"), _("Annuler le paiement"),
                                             self.cancel_payment)
        self.receipt_button = _button(_("Imprimer le reçu…"), _("Imprimer le reçu"),
                                      self.print_receipt)
        row = QHBoxLayout()
        for b in (self.pay_button, self.cancel_payment_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.receipt_button)
        self.payments_box = QGroupBox(_("Paiements"))
        layout = QVBoxLayout(self.payments_box)
        layout.addWidget(self.payments, 1)
        layout.addLayout(row)

        # shares
        self.shares_model: RecordTableModel[ShareRecord] = RecordTableModel([
            Column(_("Souscrites le"), lambda s: format_date(s.subscribed_on, "short"),
                   sort_key=lambda s: s.subscribed_on),
            Column(_("Nombre"), lambda s: str(s.count), sort_key=lambda s: s.count, align=_RIGHT),
            Column(_("Valeur nominale"), lambda s: format_money(s.nominal_cents),
                   sort_key=lambda s: s.nominal_cents, align=_RIGHT),
            Column(_("Total"), lambda s: format_money(s.total_cents),
                   sort_key=lambda s: s.total_cents, align=_RIGHT),
            Column(_("Notes"), lambda s: s.notes or ""),
        ])
        self.shares, _proxy = record_table(_("Parts sociales"), self.shares_model,
                                           sortable=False, proxy=False,
                                           widths=(100, 70, 120, 100))
        self.shares.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        self.shares_total = QLabel()
        self.shares_total.setAccessibleName(_("Total des parts sociales"))
        self.add_share_button = _button(_("Ajouter des parts…"), _("Ajouter des parts sociales"),
                                        self.add_share)
        self.delete_share_button = _button(_("Supprimer…"), _("Supprimer la souscription"),
                                           self.delete_share)
        row = QHBoxLayout()
        row.addWidget(self.add_share_button)
        row.addWidget(self.delete_share_button)
        row.addStretch(1)
        row.addWidget(self.shares_total)
        shares_box = QGroupBox(_("Parts sociales de la SCIC"))
        layout = QVBoxLayout(shares_box)
        layout.addWidget(self.shares, 1)
        layout.addLayout(row)

        for b in (self.new_button, self.edit_button, self.delete_button, self.pay_button,
                  self.cancel_payment_button, self.receipt_button, self.add_share_button,
                  self.delete_share_button):
            b.setVisible(self.can_write)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        for w, stretch in ((box, 3), (self.payments_box, 3), (shares_box, 2)):
            splitter.addWidget(w)
            splitter.setStretchFactor(splitter.count() - 1, stretch)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.note)
        outer.addWidget(splitter, 1)
        self._update()

    # --- loading ----------------------------------------------------------------------

    def set_member(self, member_id: int) -> None:
        self.member_id = member_id
        self.refresh()

    def refresh(self) -> None:
        if self.member_id is None or not self.can_read:
            return
        memberships, kind, member_id = self.services.memberships, self.kind, self.member_id

        def load():
            return (memberships.memberships_of(kind=kind, member_id=member_id),
                    memberships.shares_of(kind=kind, member_id=member_id))

        self.tasks.run(load, on_success=guarded(self, self._show),
                       on_error=guarded(self, self._failed), key=f"membership-panel-{id(self)}")

    def _show(self, result) -> None:
        memberships, shares = result
        selected = self.selected_membership()
        selected_payment = self.selected_payment()
        self._memberships = memberships
        self.memberships_model.set_records(memberships)
        row = 0 if memberships else -1
        if selected is not None:
            row = next((i for i, m in enumerate(memberships) if m.id == selected.id), row)
        if row >= 0:
            self.memberships.selectRow(row)
        self._membership_selected()
        if selected_payment is not None:
            for i, p in enumerate(self.payments_model.records()):
                if p.id == selected_payment.id:
                    self.payments.selectRow(i)
        self.shares_model.set_records(shares)
        count = sum(s.count for s in shares)
        total = sum(s.total_cents for s in shares)
        self.shares_total.setText(
            ngettext("{n} part, {total}", "{n} parts, {total}", count).format(
                n=count, total=format_money(total)) if shares else _("Aucune part souscrite"))
        self._update()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        messages.show_error(self, exc)

    # --- selection --------------------------------------------------------------------

    def selected_membership(self) -> MembershipRecord | None:
        index = self.memberships.currentIndex()
        rows = self.memberships.selectionModel().selectedRows()
        if not index.isValid() or not rows:
            return None
        return self.memberships_model.record(index.row())

    def selected_payment(self) -> PaymentRecord | None:
        index = self.payments.currentIndex()
        if not index.isValid() or not self.payments.selectionModel().selectedRows():
            return None
        return self.payments_model.record(index.row())

    def selected_share(self) -> ShareRecord | None:
        index = self.shares.currentIndex()
        if not index.isValid() or not self.shares.selectionModel().selectedRows():
            return None
        return self.shares_model.record(index.row())

    def _membership_selected(self) -> None:
        m = self.selected_membership()
        self.payments_model.set_records(m.payments if m else ())
        if m is None:
            self.payments_box.setTitle(_("Paiements"))
        else:
            self.payments_box.setTitle(
                _("Paiements de l'adhésion {year} — payé {paid} sur {fee}, reste dû {due}")
                .format(year=m.year, paid=format_money(m.paid_cents),
                        fee=format_money(m.fee_cents), due=format_money(m.due_cents)))
            if m.payments:
                self.payments.selectRow(len(m.payments) - 1)  # the latest
        self._update()

    def _update(self) -> None:
        exists = self.member_id is not None
        m = self.selected_membership()
        p = self.selected_payment()
        self.new_button.setEnabled(exists)
        self.edit_button.setEnabled(m is not None)
        self.delete_button.setEnabled(m is not None and not m.payments)
        self.delete_button.setToolTip(
            _("Cette adhésion a des paiements : annulez-les d'abord.")
            if m is not None and m.payments else "")
        self.pay_button.setEnabled(m is not None and m.due_cents > 0)
        self.pay_button.setToolTip(_("Cette adhésion est entièrement payée.")
                                   if m is not None and m.due_cents <= 0 else "")
        self.cancel_payment_button.setEnabled(p is not None)
        self.receipt_button.setEnabled(p is not None)
        self.receipt_button.setText(_("Réimprimer le reçu…") if p and p.receipt_number
                                    else _("Imprimer le reçu…"))
        self.delete_share_button.setEnabled(self.selected_share() is not None)
        self.add_share_button.setEnabled(exists)

    # --- memberships --------------------------------------------------------------------

    def new_membership(self) -> None:
        from maison_app.views.members.membership_dialog import MembershipDialog

        if self.member_id is None:
            return
        dialog = MembershipDialog(self.services, kind=self.kind, member_id=self.member_id,
                                  existing=self._memberships, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._select_after_write(dialog.saved_id)

    def edit_membership(self) -> None:
        from maison_app.views.members.membership_dialog import MembershipDialog

        m = self.selected_membership()
        if m is None or not self.can_write:
            return
        dialog = MembershipDialog(self.services, kind=self.kind, member_id=m.member_id,
                                  membership=m, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._select_after_write(m.id)

    def delete_membership(self) -> None:
        m = self.selected_membership()
        if m is None:
            return
        if not messages.confirm(
                self, _("Supprimer l'adhésion {year} ({college}) ? À faire seulement pour une "
                        "adhésion saisie par erreur.").format(year=m.year, college=m.college),
                title=_("Supprimer l'adhésion"), yes=_("Supprimer"), destructive=True):
            return
        try:
            self.services.memberships.delete_membership(membership_id=m.id)
        except MaisonError as exc:
            messages.warn(self, exc.message)
        self._written()

    def _select_after_write(self, membership_id: int | None) -> None:
        """Reload, then select `membership_id` (a new one is not in the list yet)."""
        if membership_id is not None:
            def select() -> None:
                self.loaded.disconnect(select)
                for i, rec in enumerate(self.memberships_model.records()):
                    if rec.id == membership_id:
                        self.memberships.selectRow(i)
            self.loaded.connect(select)
        self._written()

    def _written(self) -> None:
        self.changed.emit()
        self.refresh()

    # --- payments -----------------------------------------------------------------------

    def record_payment(self) -> None:
        from maison_app.views.members.payment_dialog import PaymentDialog

        m = self.selected_membership()
        if m is None:
            return
        dialog = PaymentDialog(self.services, membership=m, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._written()

    def cancel_payment(self) -> None:
        p = self.selected_payment()
        if p is None:
            return
        if not messages.confirm(
                self, _("Annuler le paiement de {amount} du {date} ({method}) ? À faire "
                        "seulement pour un paiement saisi par erreur.").format(
                    amount=format_money(p.amount_cents), date=format_date(p.paid_on),
                    method=p.method.label),
                title=_("Annuler le paiement"), yes=_("Annuler le paiement"),
                no=_("Garder le paiement"), destructive=True):
            return
        try:
            self.services.memberships.cancel_payment(payment_id=p.id)
        except MaisonError as exc:
            messages.warn(self, exc.message)
            return
        self._written()

    def print_receipt(self) -> None:
        p = self.selected_payment()
        if p is None:
            return
        self.receipt_button.setEnabled(False)
        memberships, payment_id = self.services.memberships, p.id
        self.tasks.run(lambda: memberships.receipt(payment_id=payment_id),
                       on_success=guarded(self, self._show_receipt),
                       on_error=guarded(self, self._receipt_failed))

    def _show_receipt(self, result) -> None:
        record, content = result
        self.receipt_dialog = preview_pdf(self, record, content)
        self._written()  # the receipt number now shows in the payments

    def _receipt_failed(self, exc: BaseException) -> None:
        self._update()
        messages.show_error(self, exc)

    # --- shares -------------------------------------------------------------------------

    def add_share(self) -> None:
        from maison_app.views.members.membership_dialog import ShareDialog

        if self.member_id is None:
            return
        shares = self.shares_model.records()
        dialog = ShareDialog(self.services, kind=self.kind, member_id=self.member_id,
                             nominal_cents=shares[-1].nominal_cents if shares else None,
                             parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._written()

    def delete_share(self) -> None:
        share = self.selected_share()
        if share is None:
            return
        text = ngettext("Supprimer la souscription d'{n} part du {date} ({total}) ?",
                        "Supprimer la souscription de {n} parts du {date} ({total}) ?",
                        share.count).format(n=share.count, date=format_date(share.subscribed_on),
                                            total=format_money(share.total_cents))
        if not messages.confirm(self, text + " " + _("À faire seulement pour une souscription "
                                                     "saisie par erreur."),
                                title=_("Supprimer la souscription"), yes=_("Supprimer"),
                                destructive=True):
            return
        try:
            self.services.memberships.delete_share(share_id=share.id)
        except MaisonError as exc:
            messages.warn(self, exc.message)
        self._written()

