"""A payment towards a membership: the amount (what is still due, proposed), the date
(today), the method, and a reference (a cheque's number). Partial payments add up; the
service refuses more than what is due, and a date in the future."""

from __future__ import annotations

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

from maison_app.domain.enums import PaymentMethod
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.domain.members import MembershipRecord, PaymentRecord, parse_euros
from maison_app.i18n import _, format_money
from maison_app.ui.common import DateField, amount_text, today
from maison_app.ui.forms import FormErrors, dialog_buttons, show_error


class PaymentDialog(QDialog):
    """`payment` is the recorded payment after a save."""

    def __init__(self, services, *, membership: MembershipRecord,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.membership = membership
        self.payment: PaymentRecord | None = None
        title = _("Enregistrer un paiement")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(500)

        m = membership
        summary = QLabel(_("{name} — adhésion {year}, collège « {college} »\n"
                           "Cotisation {fee} · déjà payé {paid} · reste dû {due}").format(
            name=m.member_name, year=m.year, college=m.college, fee=format_money(m.fee_cents),
            paid=format_money(m.paid_cents), due=format_money(m.due_cents)))
        summary.setWordWrap(True)
        summary.setAccessibleName(_("Adhésion concernée"))

        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.amount = QLineEdit(amount_text(m.due_cents))
        self.amount.setPlaceholderText(_("en euros, par exemple 12,50"))
        self.errors.add_row(form, _("Montant (€)"), "amount", self.amount, _("Montant"))
        self.date = DateField(today(services))
        self.errors.add_row(form, _("Date du paiement"), "paid_on", self.date)
        self.method = QComboBox()
        for method in PaymentMethod:
            self.method.addItem(method.label, method)
        self.errors.add_row(form, _("Mode de paiement"), "method", self.method)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText(_("n° de chèque, de virement… (facultatif)"))
        self.errors.add_row(form, _("Référence"), "reference", self.reference,
                            _("Référence du paiement"))

        buttons, self.ok_button = dialog_buttons(self, _("Enregistrer le paiement"), self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.amount.setFocus(Qt.FocusReason.OtherFocusReason)
        self.amount.selectAll()

    def save(self) -> None:
        self.errors.clear()
        try:
            amount = parse_euros(self.amount.text(), field="amount", allow_zero=False)
            paid_on = self.date.date(field="paid_on")
            if paid_on is None:
                raise ValidationError(_("Indiquez la date du paiement."), field="paid_on")
            self.payment = self.services.memberships.record_payment(
                membership_id=self.membership.id, amount_cents=amount, paid_on=paid_on,
                method=self.method.currentData(), reference=self.reference.text())
        except MaisonError as exc:
            show_error(self, self.errors, exc)
            return
        self.accept()
