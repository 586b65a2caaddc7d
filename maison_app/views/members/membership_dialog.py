"""The membership of one year (new or changed) and a share subscription (parts sociales).

A new membership proposes this year (next year when this one is taken), the college of the
member's last membership, and the fee of the college's schedule for that year; the fee
stays editable (a reduced fee), and follows the year and college chosen until the user
types their own."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import MemberKind
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.domain.members import MembershipRecord, parse_euros
from maison_app.i18n import _, format_money
from maison_app.ui.common import NOTE_STYLE, DateField, amount_text, today
from maison_app.ui.forms import FormErrors, dialog_buttons, show_error


class MembershipDialog(QDialog):
    """A new membership (`membership` None) or a change of an existing one's college, fee
    and notes (its year is fixed: delete a membership entered under the wrong year).
    `saved_id` is the membership's id after a save."""

    def __init__(self, services, *, kind: MemberKind, member_id: int,
                 membership: MembershipRecord | None = None,
                 existing: Sequence[MembershipRecord] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.kind = kind
        self.member_id = member_id
        self.membership = membership
        self.saved_id: int | None = None
        self._fee_typed = membership is not None  # a changed membership keeps its fee
        title = (_("Nouvelle adhésion") if membership is None
                 else _("Adhésion {year}").format(year=membership.year))
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(460)
        ms = services.memberships

        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        taken = {m.year for m in existing}
        year = ms.this_year()
        if membership is not None:
            year = membership.year
        elif year in taken:
            year += 1  # this year's is done: probably the renewal for next year
        self.year.setValue(year)
        self.year.setEnabled(membership is None)
        self.errors.add_row(form, _("Année"), "year", self.year, _("Année d'adhésion"))

        self.college = QComboBox()
        self.college.setPlaceholderText(_("Choisissez un collège"))
        colleges = ms.colleges(include_inactive=False)
        for c in colleges:
            self.college.addItem(c.name, c.id)
        if membership is not None and self.college.findData(membership.college_id) < 0:
            self.college.addItem(membership.college, membership.college_id)  # no longer offered
        latest = membership or (existing[0] if existing else None)
        self.college.setCurrentIndex(
            self.college.findData(latest.college_id) if latest is not None else -1)
        self.errors.add_row(form, _("Collège"), "college", self.college)

        self.fee = QLineEdit()
        self.fee.setPlaceholderText(_("en euros, par exemple 50 ou 12,50"))
        self.fee.textEdited.connect(self._fee_edited)
        if membership is not None:
            self.fee.setText(amount_text(membership.fee_cents))
        self.errors.add_row(form, _("Cotisation (€)"), "fee", self.fee, _("Cotisation"))
        self.schedule = QLabel()
        self.schedule.setAccessibleName(_("Tarif du collège"))
        self.schedule.setWordWrap(True)
        self.schedule.setStyleSheet(NOTE_STYLE)
        form.addRow("", self.schedule)

        self.notes = QLineEdit()
        self.notes.setPlaceholderText(_("par exemple : tarif réduit accordé par le bureau"))
        if membership is not None:
            self.notes.setText(membership.notes or "")
        self.errors.add_row(form, _("Notes"), "notes", self.notes, _("Notes de l'adhésion"))

        ok = _("Enregistrer l'adhésion") if membership else _("Créer l'adhésion")
        buttons, self.ok_button = dialog_buttons(self, ok, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

        self.year.valueChanged.connect(lambda _v: self._schedule_changed())
        self.college.currentIndexChanged.connect(lambda _i: self._schedule_changed())
        self._schedule_changed()
        (self.college if self.college.currentIndex() < 0 else self.fee).setFocus(
            Qt.FocusReason.OtherFocusReason)

    def _fee_edited(self, _text: str) -> None:
        self._fee_typed = True

    def scheduled_fee(self) -> int | None:
        college_id = self.college.currentData()
        if college_id is None:
            return None
        fees = self.services.memberships.fees(year=self.year.value())
        return next((f.fee_cents for f in fees if f.college_id == college_id), None)

    def _schedule_changed(self) -> None:
        fee = self.scheduled_fee()
        if self.college.currentData() is None:
            self.schedule.setText(_("La cotisation suit le tarif du collège choisi."))
        elif fee is None:
            self.schedule.setText(_("Le tarif {year} de ce collège n'est pas fixé : saisissez "
                                    "le montant.").format(year=self.year.value()))
        else:
            self.schedule.setText(_("Tarif {year} du collège : {fee}.").format(
                year=self.year.value(), fee=format_money(fee)))
        if not self._fee_typed:
            self.fee.setText(amount_text(fee) if fee is not None else "")

    def save(self) -> None:
        self.errors.clear()
        ms = self.services.memberships
        try:
            college_id = self.college.currentData()
            if college_id is None:
                raise ValidationError(_("Choisissez un collège."), field="college")
            fee = (parse_euros(self.fee.text(), field="fee")
                   if self.fee.text().strip() else None)
            if self.membership is None:
                self.saved_id = ms.create_membership(
                    kind=self.kind, member_id=self.member_id, year=self.year.value(),
                    college_id=college_id, fee_cents=fee, notes=self.notes.text())
            else:
                if fee is None:
                    raise ValidationError(_("Indiquez le montant de la cotisation."),
                                          field="fee")
                ms.update_membership(membership_id=self.membership.id, college_id=college_id,
                                     fee_cents=fee, notes=self.notes.text())
                self.saved_id = self.membership.id
        except MaisonError as exc:
            show_error(self, self.errors, exc)
            return
        self.accept()


class ShareDialog(QDialog):
    """A subscription of parts sociales: how many, at what nominal value, when."""

    def __init__(self, services, *, kind: MemberKind, member_id: int,
                 nominal_cents: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.kind = kind
        self.member_id = member_id
        self.saved_id: int | None = None
        title = _("Souscription de parts sociales")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(420)

        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.count = QSpinBox()
        self.count.setRange(1, 1_000_000)
        self.errors.add_row(form, _("Nombre de parts"), "count", self.count)
        self.nominal = QLineEdit()
        self.nominal.setPlaceholderText(_("en euros, par exemple 50"))
        if nominal_cents:
            self.nominal.setText(amount_text(nominal_cents))
        self.errors.add_row(form, _("Valeur nominale d'une part (€)"), "nominal", self.nominal,
                            _("Valeur nominale"))
        self.date = DateField(today(services))
        self.errors.add_row(form, _("Date de souscription"), "subscribed_on", self.date)
        self.notes = QLineEdit()
        self.errors.add_row(form, _("Notes"), "notes", self.notes, _("Notes de la souscription"))
        self.total = QLabel()
        self.total.setAccessibleName(_("Total souscrit"))
        form.addRow(_("Total"), self.total)
        self.count.valueChanged.connect(lambda _v: self._update_total())
        self.nominal.textChanged.connect(lambda _t: self._update_total())
        self._update_total()

        buttons, self.ok_button = dialog_buttons(self, _("Enregistrer la souscription"),
                                                 self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.count.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_total(self) -> None:
        try:
            nominal = parse_euros(self.nominal.text(), field="nominal")
        except ValidationError:
            self.total.setText("—")
            return
        self.total.setText(format_money(nominal * self.count.value()) if nominal else "—")

    def save(self) -> None:
        self.errors.clear()
        try:
            if not self.nominal.text().strip():
                raise ValidationError(_("Indiquez la valeur nominale d'une part."),
                                      field="nominal")
            nominal = parse_euros(self.nominal.text(), field="nominal", allow_zero=False)
            subscribed_on = self.date.date(field="subscribed_on")
            if subscribed_on is None:
                raise ValidationError(_("Indiquez la date de souscription."),
                                      field="subscribed_on")
            self.saved_id = self.services.memberships.add_share(
                kind=self.kind, member_id=self.member_id, count=self.count.value(),
                nominal_cents=nominal, subscribed_on=subscribed_on, notes=self.notes.text())
        except MaisonError as exc:
            show_error(self, self.errors, exc)
            return
        self.accept()
