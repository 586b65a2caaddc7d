"""A hosting agreement (convention d'hébergement): the draft's form, and the signed
agreement with what can still be done with it.

- A draft (new, or saved with its number CH-2026-0007) is a form: the occupant (an
  organisation, or a person carrying a project before the company exists), the project, who
  signs for the occupant, the dates, the monthly fee excl. VAT with the VAT and the total
  shown as it is typed, the deposit, the notice, the services, the offices and desks granted,
  internal notes. « Enregistrer le brouillon » (Enter) saves it and keeps the dialog open;
  « Aperçu / Imprimer… » saves, then shows the PDF marked PROJET; « Signer… » saves, asks the
  date and the signatories, and signs: the desks are then assigned and the signed PDF
  archived, and the dialog shows the signed agreement. « Supprimer le brouillon » after a
  confirmation.
- A signed agreement no longer changes: « Imprimer… » shows the archived PDF (the same bytes
  every time), the attestations are issued from it, a change is an « Avenant… », a new
  period a « Renouvellement… » (each opens a new draft, prefilled), and « Résilier… » ends it
  early (last day and reason, after a confirmation).

What the service refuses is said next to the field it concerns (or, for a clash with another
agreement, in the banner at the top, naming it); what was typed stays. Escape closes, asking
first when something typed is not saved. exec() returns Accepted when something was written;
`saved_id` is then the agreement's id (None after a deletion) and `done_message` a sentence
for the list's banner. Without the right to write agreements (the accueil) everything is
read-only."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import (
    AgreementLink,
    AgreementState,
    AgreementStatus,
    HostingService,
    SpaceKind,
)
from maison_app.domain.errors import MaisonError, PermissionDenied, ValidationError
from maison_app.domain.hosting import (
    AgreementRecord,
    GrantedSpace,
    add_months,
    missing_for_signature,
    vat_cents,
)
from maison_app.domain.members import parse_euros
from maison_app.domain.permissions import Access, Area, allowed
from maison_app.domain.spaces import floor_label
from maison_app.domain.text import MIN_QUERY_LENGTH
from maison_app.i18n import _, babel_locale, format_date, format_money, ngettext
from maison_app.ui import messages
from maison_app.ui.common import (
    BANNER_STYLE,
    NOTE_STYLE,
    DateInput,
    amount_text,
    guarded,
    today,
)
from maison_app.ui.forms import FieldWithError, FormErrors, dialog_buttons
from maison_app.ui.pdf_preview import PdfPreviewDialog
from maison_app.views.spaces.assignment_dialog import (
    seats_text,
    state_colour,
    state_text,
)
from maison_app.views.spaces.holders_list import HolderSearch

VAT_RATES = (2000, 1000, 550, 0)
SEARCH_DELAY_MS = 200
ERROR_COLOUR = "#b3261e"
REFUSAL_STYLE = ("#agreementBanner { background: #fdecea; border: 1px solid #e0a19b; "
                 "border-radius: 4px; padding: 6px 8px; color: #5c1610; }")
DONE_STYLE = BANNER_STYLE.replace("#memberBanner", "#agreementBanner")
STATE_COLOURS = {
    AgreementState.DRAFT: "#6b6b6b",
    AgreementState.SIGNED: "#1f4e8c",
    AgreementState.ACTIVE: "#1e6b3a",
    AgreementState.ENDED: "#8a8a8a",
    AgreementState.TERMINATED: "#8a8a8a",
    AgreementState.REPLACED: "#8a8a8a",
}
_RUNNING = (AgreementState.SIGNED, AgreementState.ACTIVE)


# --- texts shared with the list ------------------------------------------------------------------


def vat_rate_text(bp: int) -> str:
    """2000 → « 20 % », 550 → « 5,5 % »."""
    from babel.numbers import format_decimal

    return _("{rate} %").format(rate=format_decimal(Decimal(bp) / 100, format="0.#",
                                                    locale=babel_locale()))


def fee_line(fee_cents: int, vat_bp: int) -> str:
    """« soit 90,00 € de TVA, 540,00 € TTC par mois »."""
    if vat_bp == 0:
        return _("sans TVA : {total} par mois").format(total=format_money(fee_cents))
    vat = vat_cents(fee_cents, vat_bp)
    return _("soit {vat} de TVA, {total} TTC par mois").format(
        vat=format_money(vat), total=format_money(fee_cents + vat))


def duration_text(start: dt.date, end: dt.date) -> str:
    """« 12 mois » when the period is whole months, else « 45 jours »."""
    if end < start:
        return ""
    months = (end.year - start.year) * 12 + end.month - start.month
    for m in (months, months + 1):
        if m > 0 and add_months(start, m) - dt.timedelta(days=1) == end:
            return ngettext("{n} mois", "{n} mois", m).format(n=m)
    days = (end - start).days + 1
    return ngettext("{n} jour", "{n} jours", days).format(n=days)


def period_text(start: dt.date, end: dt.date) -> str:
    return _("du {start} au {end}").format(start=format_date(start), end=format_date(end))


def space_line(g: GrantedSpace) -> str:
    """« Bureau 104 — Bureau, 1er étage, 2 places »."""
    parts = [g.kind_label, floor_label(g.floor)] if g.kind_label else [floor_label(g.floor)]
    if g.seats > 1 or g.kind_label == SpaceKind.OFFICE.label:
        parts.append(seats_text(g.seats))
    return _("{name} — {details}").format(name=g.space_name, details=", ".join(parts))


def services_short(services: frozenset[HostingService]) -> str:
    """« domiciliation, courrier, internet » (in the list)."""
    short = {HostingService.DOMICILIATION: _("domiciliation"),
             HostingService.MAIL: _("courrier"),
             HostingService.INTERNET: _("internet"),
             HostingService.PRINTING: _("impressions")}
    return ", ".join(short[s] for s in HostingService if s in services)


def link_text(record: AgreementRecord) -> str:
    """« Avenant à CH-2026-0003 », « Renouvellement de CH-2026-0003 »."""
    if record.link is AgreementLink.AMENDMENT:
        return _("Avenant à {number}").format(number=record.previous_number)
    if record.link is AgreementLink.RENEWAL:
        return _("Renouvellement de {number}").format(number=record.previous_number)
    return ""


def show_pdf(parent: QWidget, content: bytes, *, title: str, filename: str
             ) -> PdfPreviewDialog:
    """The PDF preview (print, save, open in the PDF reader)."""
    dialog = PdfPreviewDialog(content, title=title, suggested_filename=filename, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def dispose(dialog: QDialog) -> None:
    """A dialog done with: out of its parent's children at once, deleted later."""
    dialog.setParent(None)
    dialog.deleteLater()


def _button(label: str, slot, name: str | None = None) -> QPushButton:
    button = QPushButton(label)
    button.setAccessibleName(name or label.rstrip("…"))
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


def _note(text: str = "", name: str | None = None) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    if name:
        label.setAccessibleName(name)
    return label


class _Errors(FormErrors):
    """FormErrors, with slots placed by hand: a field with a button or a unit beside it, the
    error message under both."""

    def slot(self, name: str, field: QWidget, accessible_name: str, *beside: QWidget,
             stretch: bool = True) -> FieldWithError:
        field.setAccessibleName(accessible_name)
        slot = FieldWithError(field)
        if beside:
            column = slot.layout()
            column.removeWidget(field)
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(field, 1 if stretch else 0)
            for w in beside:
                row.addWidget(w)
            if not stretch:
                row.addStretch(1)
            column.insertLayout(0, row)
        self._slots[name] = slot
        return slot


# --- choosing the occupant -----------------------------------------------------------------------


class OccupantPicker(QDialog):
    """The occupant of a new agreement: an organisation, or a person carrying a project
    before the company exists. After an accepted exec(), `chosen` is (organisation_id,
    person_id, name), one of the ids None."""

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.chosen: tuple[int | None, int | None, str] | None = None
        title = _("Qui est hébergé ?")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumSize(460, 460)
        intro = _note(_("La convention est passée avec une structure (association, SCOP, "
                        "SAS…), ou avec la personne qui porte le projet tant que la "
                        "structure n'existe pas. Une structure ou une personne absente de la "
                        "base se crée d'abord dans « Adhérents »."))
        self.organisation_choice = QRadioButton(_("Une structure"))
        self.organisation_choice.setAccessibleName(_("Une structure"))
        self.person_choice = QRadioButton(_("Une personne (projet sans structure)"))
        self.person_choice.setAccessibleName(_("Une personne"))
        group = QButtonGroup(self)
        group.addButton(self.organisation_choice)
        group.addButton(self.person_choice)
        self.organisation_choice.setChecked(True)
        choices = QHBoxLayout()
        choices.addWidget(self.organisation_choice)
        choices.addWidget(self.person_choice)
        choices.addStretch(1)

        self.organisations = HolderSearch(services, tasks, self, draggable=False)
        self.organisations.activated.connect(lambda oid, name: self._choose(oid, None, name))

        people = QWidget()
        self.person_search = QLineEdit()
        self.person_search.setAccessibleName(_("Rechercher une personne"))
        self.person_search.setPlaceholderText(_("Nom, prénom ou e-mail…"))
        self.person_search.setClearButtonEnabled(True)
        self.person_search.textChanged.connect(lambda _t: self._timer.start())
        self.person_search.installEventFilter(self)
        self.person_results = QListWidget()
        self.person_results.setAccessibleName(_("Personnes trouvées"))
        self.person_results.itemActivated.connect(lambda _i: self.accept_choice())
        self.person_hint = _note(_("Tapez au moins deux lettres du nom, du prénom ou de "
                                   "l'e-mail."), _("Résultat de la recherche de personnes"))
        v = QVBoxLayout(people)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.person_search)
        v.addWidget(self.person_results, 1)
        v.addWidget(self.person_hint)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_person_search)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.organisations)
        self.pages.addWidget(people)
        self.organisation_choice.toggled.connect(self._kind_changed)

        self.error = QLabel()
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error.setAccessibleName(_("Erreur du choix de l'occupant"))
        self.error.setVisible(False)
        buttons, self.ok_button = dialog_buttons(self, _("Choisir"), self.accept_choice)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(choices)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.organisations.setFocus(Qt.FocusReason.OtherFocusReason)

    def _kind_changed(self) -> None:
        person = self.person_choice.isChecked()
        self.pages.setCurrentIndex(1 if person else 0)
        self.error.setVisible(False)
        (self.person_search if person else self.organisations).setFocus(
            Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.person_search and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
                and self.person_results.count()):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.person_results.count() - 1,
                             self.person_results.currentRow() + step))
            self.person_results.setCurrentRow(row)
            return True
        return super().eventFilter(watched, event)

    def run_person_search(self) -> None:
        self._timer.stop()
        query = self.person_search.text()
        if len(query.strip()) < MIN_QUERY_LENGTH:
            self._show_people([], query)
            return
        people = self.services.people

        def find() -> list[tuple[int, str, str]]:
            result = people.search(query=query, limit=30)
            return [(h.id, h.name, h.organisations or h.email or "") for h in result.hits]

        self.tasks.run(find, on_success=guarded(self, lambda found: self._show_people(found,
                                                                                      query)),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"occupant-people-{id(self)}")

    def _show_people(self, found: list[tuple[int, str, str]], query: str) -> None:
        if query != self.person_search.text():
            return  # typed on since: a newer search is coming
        self.person_results.clear()
        for person_id, name, detail in found:
            item = QListWidgetItem(f"{name} — {detail}" if detail else name)
            item.setData(Qt.ItemDataRole.UserRole, (person_id, name))
            self.person_results.addItem(item)
        if found:
            self.person_results.setCurrentRow(0)
            self.person_hint.setText(ngettext("{n} personne", "{n} personnes",
                                              len(found)).format(n=len(found)))
        elif len(query.strip()) < MIN_QUERY_LENGTH:
            self.person_hint.setText(_("Tapez au moins deux lettres du nom, du prénom ou de "
                                       "l'e-mail."))
        else:
            self.person_hint.setText(_("Personne ne correspond à « {q} ».").format(
                q=query.strip()))

    def accept_choice(self) -> None:
        if self.person_choice.isChecked():
            item = self.person_results.currentItem()
            if item is not None:
                person_id, name = item.data(Qt.ItemDataRole.UserRole)
                self._choose(None, person_id, name)
                return
            message = _("Cherchez la personne et choisissez-la dans la liste.")
        else:
            holder = self.organisations.chosen()
            if holder is not None:
                self._choose(holder.organisation_id, None, holder.name)
                return
            message = _("Choisissez une structure dans la liste.")
        self.error.setText(message)
        self.error.setVisible(True)

    def _choose(self, organisation_id: int | None, person_id: int | None, name: str) -> None:
        self.chosen = (organisation_id, person_id, name)
        self.accept()


# --- adding an office or a desk ------------------------------------------------------------------


class SpacePicker(QDialog):
    """Choose an office or a desk to grant (and, for an office, how many people sit there);
    the line under it says who holds it on the agreement's first day. After an accepted
    exec(), `chosen` is a GrantedSpace."""

    def __init__(self, services, *, day: dt.date, taken: set[int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.day = day
        self.chosen: GrantedSpace | None = None
        title = _("Ajouter un bureau ou poste")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(560)
        self.spaces = {sp.id: sp for sp in services.spaces.spaces(include_inactive=False)
                       if sp.kind.allocatable and sp.id not in taken}
        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.space = QComboBox()
        self.space.setPlaceholderText(_("Choisissez un bureau ou un poste"))
        for sp in self.spaces.values():
            details = [sp.kind.label, floor_label(sp.floor)]
            if sp.kind is SpaceKind.OFFICE:
                details.append(seats_text(sp.capacity))
            self.space.addItem(_("{name} — {details}").format(
                name=sp.name, details=", ".join(details)), sp.id)
        self.space.setCurrentIndex(-1)
        self.space.currentIndexChanged.connect(self._changed)
        self.errors.add_row(form, _("Espace"), "space", self.space, _("Bureau ou poste"))
        self.state = _note("", _("Occupation de l'espace"))
        form.addRow("", self.state)
        self.seats = QSpinBox()
        self.seats.setRange(1, 1)
        self.seats.setSuffix(" " + _("pers."))
        self.seats.setMaximumWidth(120)
        self.errors.add_row(form, _("Places"), "seats", self.seats,
                            _("Places dans le bureau"))
        buttons, _ok = dialog_buttons(self, _("Ajouter"), self.accept_choice)
        layout = QVBoxLayout(self)
        if not self.spaces:
            layout.addWidget(_note(_("Aucun bureau ni poste libre d'être ajouté : les espaces "
                                     "se créent dans Administration › Espaces.")))
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._changed()

    def select(self, space_id: int) -> None:
        self.space.setCurrentIndex(self.space.findData(space_id))

    def _changed(self) -> None:
        sp = self.spaces.get(self.space.currentData())
        office = sp is not None and sp.kind is SpaceKind.OFFICE
        self.seats.setRange(1, max(1, sp.capacity if office else 1))
        self.seats.setEnabled(office)
        if office:
            self.seats.setValue(self.seats.maximum())
        if sp is None:
            self.state.setText("")
            return
        try:
            plan = self.services.spaces.floor_plan(floor=sp.floor, day=self.day)
        except MaisonError:
            self.state.setText("")
            return
        st = next((s for s in plan.spaces if s.space.id == sp.id), None)
        self.state.setText(state_text(st, self.day))
        self.state.setStyleSheet(f"color: {state_colour(st)}; font-size: 90%;")
        self.layout().activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def accept_choice(self) -> None:
        sp = self.spaces.get(self.space.currentData())
        if sp is None:
            self.errors.show(ValidationError(_("Choisissez le bureau ou le poste."),
                                             field="space"))
            return
        self.chosen = GrantedSpace(space_id=sp.id, space_name=sp.name, seats=self.seats.value(),
                                   floor=sp.floor, kind_label=sp.kind.label,
                                   equipment=sp.equipment)
        self.accept()


# --- signing and terminating ---------------------------------------------------------------------


class SignDialog(QDialog):
    """The signature: its date and who signed on each side. `sign(day, host, occupant)`
    does it; a refusal about these fields shows here, any other closes the dialog with
    `refusal` set (the agreement's dialog shows it next to its own field)."""

    def __init__(self, record: AgreementRecord, *, day: dt.date, host: str, occupant: str,
                 sign, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sign = sign
        self.refusal: MaisonError | None = None
        self.document = None
        title = _("Signer la convention {number}").format(number=record.number)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(520)
        if record.spaces:
            text = _("La signature fige la convention : les bureaux et postes sont attribués "
                     "à {occupant} {period} et le PDF signé est archivé. Elle ne se modifie "
                     "plus ensuite : un changement se fait par avenant.")
        else:
            text = _("La signature fige la convention de {occupant} ({period}) et archive le "
                     "PDF signé. Elle ne se modifie plus ensuite : un changement se fait par "
                     "avenant.")
        intro = _note(text.format(occupant=record.occupant_name,
                                  period=period_text(record.start, record.end)))
        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.signed_on = DateInput(_("Date de signature"), day)
        self.errors.add_row(form, _("Signée le"), "signed_on", self.signed_on,
                            _("Date de signature"))
        self.host = QLineEdit(host)
        self.host.setPlaceholderText(_("par exemple : Claire Dupuis, présidente"))
        self.errors.add_row(form, _("Pour la Maison"), "host_signatory", self.host,
                            _("Signataire pour la Maison"))
        self.occupant = QLineEdit(occupant)
        self.errors.add_row(form, _("Pour l'occupant"), "occupant_signatory", self.occupant,
                            _("Signataire pour l'occupant"))
        buttons, self.ok_button = dialog_buttons(self, _("Signer la convention"),
                                                 self.accept_sign)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def accept_sign(self) -> None:
        self.errors.clear()
        try:
            day = self.signed_on.date(field="signed_on")
            if day is None:
                raise ValidationError(_("Indiquez la date de signature."), field="signed_on")
            self.document = self.sign(day, self.host.text(), self.occupant.text())
        except ValidationError as exc:
            if self.errors.show(exc):
                return
            self.refusal = exc
            self.reject()
            return
        except MaisonError as exc:
            self.refusal = exc
            self.reject()
            return
        self.accept()


class TerminateDialog(QDialog):
    """An early end: the last day (included) and the reason, confirmed before it is
    written. `terminate(last_day, reason)` does it."""

    def __init__(self, record: AgreementRecord, *, day: dt.date, terminate,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record = record
        self.terminate = terminate
        self.last_day_written: dt.date | None = None
        title = _("Résilier la convention {number}").format(number=record.number)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(520)
        notice = ngettext("{n} mois", "{n} mois", record.notice_months).format(
            n=record.notice_months)
        intro = _note(_("{occupant} quitte la Maison avant la fin prévue ({end}). Le préavis "
                        "prévu est de {notice}. Les bureaux et postes de la convention se "
                        "libèrent le lendemain du dernier jour.").format(
            occupant=record.occupant_name, end=format_date(record.last_day), notice=notice))
        proposed = add_months(day, record.notice_months) if record.notice_months else day
        proposed = max(record.start - dt.timedelta(days=1),
                       min(proposed, record.last_day - dt.timedelta(days=1)))
        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.last_day = DateInput(_("Dernier jour"), proposed)
        self.errors.add_row(form, _("Dernier jour (inclus)"), "last_day", self.last_day,
                            _("Dernier jour"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("par exemple : installation dans ses propres locaux"))
        self.errors.add_row(form, _("Motif"), "reason", self.reason,
                            _("Motif de la résiliation"))
        buttons, ok = dialog_buttons(self, _("Résilier…"), self.accept_terminate)
        ok.setAccessibleName(_("Confirmer la résiliation"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept_terminate(self) -> None:
        self.errors.clear()
        r = self.record
        try:
            last_day = self.last_day.date(field="last_day")
            if last_day is None:
                raise ValidationError(_("Indiquez le dernier jour de la convention."),
                                      field="last_day")
            if not self.reason.text().strip():
                raise ValidationError(_("Indiquez le motif de la résiliation."), field="reason")
        except ValidationError as exc:
            self.errors.show(exc)
            return
        if not messages.confirm(
                self, _("Résilier la convention {number} de {occupant} ?\n\nSon dernier jour "
                        "sera le {day} ; ses bureaux et postes se libèrent le lendemain. Une "
                        "résiliation ne s'annule pas.").format(
                    number=r.number, occupant=r.occupant_name, day=format_date(last_day)),
                title=_("Résilier la convention"), yes=_("Résilier"), destructive=True):
            return
        try:
            self.terminate(last_day, self.reason.text())
        except ValidationError as exc:
            if not self.errors.show(exc):
                messages.warn(self, exc.message)
            return
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        self.last_day_written = last_day
        self.accept()


# --- the agreement -------------------------------------------------------------------------------


class AgreementDialog(QDialog):
    """See the module's docstring."""

    def __init__(self, services, tasks, *, agreement_id: int | None = None,
                 draft: AgreementRecord | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if (agreement_id is None) == (draft is None):
            raise ValueError("an agreement_id or a draft")
        self.services = services
        self.tasks = tasks
        self.today = today(services)
        role = services.ctx.actor.role
        self.can_write = allowed(role, Area.AGREEMENTS, Access.WRITE)
        self.record: AgreementRecord = (draft if draft is not None else
                                        services.agreements.agreement(agreement_id=agreement_id))
        self.saved_id: int | None = self.record.id
        self.done_message = ""
        self.deleted = False
        self._written = False
        self._snapshot: dict | None = None
        self._archived: tuple[str, bytes] | None = None
        self.last_preview: PdfPreviewDialog | None = None  # the last PDF shown (tests)
        self.editing = False

        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.title.setFont(font)
        self.title.setAccessibleName(_("Titre de la convention"))
        self.state_label = QLabel()
        self.state_label.setAccessibleName(_("État de la convention"))
        self.subtitle = QLabel()
        self.subtitle.setAccessibleName(_("Occupant de la convention"))
        self.subtitle.setWordWrap(True)
        heading = QHBoxLayout()
        heading.setSpacing(6)
        heading.addWidget(self.state_label)
        self.separator = QLabel("·")
        heading.addWidget(self.separator)
        heading.addWidget(self.subtitle, 1)
        self.banner = QLabel()
        self.banner.setObjectName("agreementBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setAccessibleName(_("Message de la convention"))
        self.banner.setVisible(False)
        self.body_holder = QVBoxLayout()
        self.body_holder.setContentsMargins(0, 0, 0, 0)
        self.body: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(heading)
        layout.addWidget(self.banner)
        layout.addLayout(self.body_holder, 1)
        self._build()

    # --- modes ------------------------------------------------------------------------

    def _build(self) -> None:
        if self.body is not None:
            self.body_holder.removeWidget(self.body)
            self.body.hide()
            self.body.setParent(None)  # out of the dialog now; deleted once its click is over
            self.body.deleteLater()
        self.editing = self.record.status is AgreementStatus.DRAFT and self.can_write
        self.body = self._form() if self.editing else self._view()
        self.body_holder.addWidget(self.body)
        self.body.show()
        self._header()
        if self.editing:
            self._snapshot = self.values()
            self.setMinimumSize(940, 600)
        else:
            self._snapshot = None
            self.setMinimumSize(780, 380)
            self._load_archive()

    def _header(self) -> None:
        r = self.record
        title = (_("Convention {number}").format(number=r.number) if r.number
                 else _("Nouvelle convention d'hébergement"))
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.title.setText(title)
        state = r.state(self.today)
        self.state_label.setText(state.label)
        self.state_label.setStyleSheet(f"color: {STATE_COLOURS[state]}; font-weight: 600;")
        parts = []
        if r.occupant_name:
            parts.append(_("occupant : {name}").format(name=r.occupant_name))
        if r.link is not None:
            parts.append(link_text(r))
        self.subtitle.setText(" · ".join(parts))
        self.separator.setVisible(bool(parts))

    def say(self, text: str, *, refusal: bool = False) -> None:
        self.banner.setStyleSheet(REFUSAL_STYLE if refusal else DONE_STYLE)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def banner_text(self) -> str:
        return self.banner.text() if not self.banner.isHidden() else ""

    # --- the draft's form ---------------------------------------------------------------

    def _form(self) -> QWidget:
        r = self.record
        page = QWidget()
        self.errors = _Errors()

        # who and when
        who = QGroupBox(_("L'occupant et la durée"))
        form = QFormLayout(who)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        if r.previous_id is not None:
            follows = QLabel(link_text(r))
            follows.setStyleSheet("font-weight: 600;")
            self.errors.add_row(form, _("Suit"), "previous", follows,
                                _("Convention précédente"))
        self._occupant = (r.organisation_id, r.person_id, r.occupant_name)
        self.occupant = QLineEdit()
        self.occupant.setReadOnly(True)
        self.occupant.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.change_occupant = _button(_("Changer…"), self.choose_occupant,
                                       _("Changer l'occupant"))
        if r.previous_id is not None:
            self.change_occupant.setEnabled(False)
            self.change_occupant.setToolTip(_("Un avenant ou un renouvellement garde le même "
                                              "occupant."))
        form.addRow(_("Occupant"), self.errors.slot("occupant", self.occupant, _("Occupant"),
                                                    self.change_occupant))
        self._show_occupant()

        self.project = QComboBox()
        project_slot = self.errors.add_row(form, _("Projet accompagné"), "project_id",
                                           self.project, _("Projet accompagné"))
        self._fill_projects(form, project_slot)

        self.representative = QLineEdit(r.representative)
        self.representative.setPlaceholderText(_("qui signe pour l'occupant"))
        self.errors.add_row(form, _("Représenté·e par"), "representative", self.representative,
                            _("Représentant·e de l'occupant"))
        self.representative_title = QLineEdit(r.representative_title)
        self.representative_title.setPlaceholderText(_("gérante, président, porteuse du "
                                                       "projet…"))
        self.errors.add_row(form, _("Qualité"), "representative_title",
                            self.representative_title, _("Qualité du représentant"))
        self.start = DateInput(_("Date de début"), r.start)
        self.errors.add_row(form, _("Du"), "start", self.start, _("Date de début"))
        self.end = DateInput(_("Date de fin"), r.end)
        self.errors.add_row(form, _("Au (inclus)"), "end", self.end, _("Date de fin"))
        self.duration = _note("", _("Durée de la convention"))
        form.addRow("", self.duration)
        self.notice = QSpinBox()
        self.notice.setRange(0, 12)
        self.notice.setSuffix(" " + _("mois"))
        self.notice.setValue(r.notice_months)
        self.notice.setMaximumWidth(110)
        self.errors.add_row(form, _("Préavis"), "notice_months", self.notice,
                            _("Préavis de départ"))

        # money and services
        money = QGroupBox(_("Redevance et services"))
        mform = QFormLayout(money)
        mform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fee = QLineEdit(amount_text(r.monthly_fee_cents))
        self.fee.setMaximumWidth(130)
        self.fee.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.fee_slot = self.errors.slot("monthly_fee_cents", self.fee,
                                         _("Redevance HT par mois"), QLabel(_("€ HT par mois")),
                                         stretch=False)
        mform.addRow(_("Redevance"), self.fee_slot)
        self.vat = QComboBox()
        for bp in VAT_RATES:
            self.vat.addItem(vat_rate_text(bp), bp)
        if self.vat.findData(r.vat_bp) < 0:
            self.vat.addItem(vat_rate_text(r.vat_bp), r.vat_bp)
        self.vat.setCurrentIndex(self.vat.findData(r.vat_bp))
        self.vat.setMaximumWidth(130)
        self.errors.add_row(form=mform, label=_("TVA"), name="vat_bp", field=self.vat,
                            accessible_name=_("Taux de TVA"))
        self.total = QLabel()
        self.total.setAccessibleName(_("Montant TTC"))
        self.total.setWordWrap(True)
        self.total.setStyleSheet("color: #1f4e8c;")
        mform.addRow("", self.total)
        self.deposit = QLineEdit(amount_text(r.deposit_cents))
        self.deposit.setMaximumWidth(130)
        self.deposit.setAlignment(Qt.AlignmentFlag.AlignRight)
        mform.addRow(_("Dépôt de garantie"), self.errors.slot(
            "deposit_cents", self.deposit, _("Dépôt de garantie"), QLabel("€"), stretch=False))
        services_box = QWidget()
        sv = QVBoxLayout(services_box)
        sv.setContentsMargins(0, 0, 0, 0)
        sv.setSpacing(2)
        self.service_boxes: dict[HostingService, QCheckBox] = {}
        for service in HostingService:
            box = QCheckBox(service.label)
            box.setAccessibleName(service.label)
            box.setChecked(service in r.services)
            self.service_boxes[service] = box
            sv.addWidget(box)
        services_slot = self.errors.slot("services", services_box, _("Services"))
        mform.addRow(_("Services"), services_slot)

        # premises
        premises = QGroupBox(_("Locaux mis à disposition"))
        pv = QVBoxLayout(premises)
        self.spaces_list = QListWidget()
        self.spaces_list.setMinimumHeight(70)
        self.spaces_list.setMaximumHeight(110)
        self.spaces_list.itemSelectionChanged.connect(self._update_space_buttons)
        self.spaces_list.installEventFilter(self)
        spaces_slot = self.errors.slot("spaces", self.spaces_list, _("Bureaux et postes accordés"))
        for g in r.spaces:
            self._append_space(g)
        self.add_space_button = _button(_("Ajouter un bureau ou poste…"), self.add_space)
        self.remove_space_button = _button(_("Retirer"), self.remove_space,
                                           _("Retirer le bureau ou poste"))
        side = QVBoxLayout()
        side.addWidget(self.add_space_button)
        side.addWidget(self.remove_space_button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(spaces_slot, 1)
        row.addLayout(side)
        pv.addLayout(row)
        self.no_space = _note(_("Aucun bureau ni poste : c'est alors une convention de "
                                "domiciliation seule (cochez « Domiciliation du siège »)."),
                              _("Aucun local"))
        pv.addWidget(self.no_space)

        self.notes = QPlainTextEdit(r.notes or "")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(48)
        self.notes.setPlaceholderText(_("Notes internes : elles ne figurent pas sur la "
                                        "convention."))
        self.notes.setAccessibleName(_("Notes internes"))
        notes_row = QFormLayout()
        notes_row.addRow(_("Notes"), self.notes)

        # buttons
        self.delete_button = _button(_("Supprimer le brouillon"), self.delete_draft)
        self.delete_button.setToolTip(_("Pour un brouillon préparé par erreur (son numéro "
                                        "n'est pas réutilisé)"))
        self.preview_button = _button(_("Aperçu / Imprimer…"), self.preview)
        self.preview_button.setToolTip(_("Enregistre le brouillon et montre la convention "
                                         "marquée PROJET"))
        self.sign_button = _button(_("Signer…"), self.start_signing)
        self.sign_button.setToolTip(_("Enregistre la signature : attribue les bureaux et "
                                      "postes, archive le PDF signé"))
        self.save_button = _button(_("Enregistrer le brouillon"), self.save)
        self.save_button.setDefault(True)
        self.save_button.setAutoDefault(True)
        close = _button(_("Fermer"), self.reject, _("Fermer la convention"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)

        columns = QHBoxLayout()
        columns.addWidget(who, 11)
        columns.addWidget(money, 10)
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        v.addLayout(columns)
        v.addWidget(premises)
        v.addLayout(notes_row)
        v.addLayout(buttons)

        for edit in (self.start, self.end):
            edit.textChanged.connect(lambda _t: self._update_duration())
        self.fee.textChanged.connect(lambda _t: self._update_total())
        self.vat.currentIndexChanged.connect(lambda _i: self._update_total())
        self._update_duration()
        self._update_total()
        self._update_space_buttons()
        self._update_draft_buttons()
        self.representative.setFocus(Qt.FocusReason.OtherFocusReason)
        return page

    def _show_occupant(self) -> None:
        name = self._occupant[2]
        self.occupant.setText(name or _("— à choisir —"))
        kind = (_("structure") if self._occupant[0] is not None else
                _("personne (projet sans structure)") if self._occupant[1] is not None else "")
        self.occupant.setToolTip(kind)
        self.change_occupant.setText(_("Changer…") if name else _("Choisir…"))

    def _fill_projects(self, form: QFormLayout, slot: QWidget) -> None:
        r = self.record
        self.project.addItem(_("Aucun projet"), None)
        try:
            projects = self.services.projects.projects(active_only=True)
        except PermissionDenied:
            projects = None
        if projects is None:  # a role that does not see the projects: the row is hidden
            form.setRowVisible(slot, False)
            if r.project_id is not None:
                self.project.addItem(r.project_name, r.project_id)
                self.project.setCurrentIndex(1)
            return
        for p in projects:
            self.project.addItem(_("{name} — {programme}").format(
                name=p.name, programme=p.programme_name) if p.programme_name else p.name, p.id)
        if r.project_id is not None and self.project.findData(r.project_id) < 0:
            self.project.addItem(r.project_name or str(r.project_id), r.project_id)
        self.project.setCurrentIndex(max(0, self.project.findData(r.project_id))
                                     if r.project_id is not None else 0)

    def _update_duration(self) -> None:
        start, end = self.start.value(), self.end.value()
        if start is None or end is None:
            self.duration.setText("")
        elif end < start:
            self.duration.setText(_("La fin précède le début."))
        else:
            self.duration.setText(_("Durée : {duration}").format(
                duration=duration_text(start, end)))

    def _update_total(self) -> None:
        try:
            cents = parse_euros(self.fee.text() or "0", field="monthly_fee_cents")
        except ValidationError as exc:  # said under the field as it is typed
            self.total.setText("")
            self.total.setVisible(False)
            self.fee_slot.set_error(exc.message)
            return
        if self.errors.message("monthly_fee_cents"):
            self.fee_slot.set_error(None)
        self.total.setText(fee_line(cents, self.vat.currentData()))
        self.total.setVisible(True)

    def _append_space(self, g: GrantedSpace) -> None:
        item = QListWidgetItem(space_line(g))
        item.setData(Qt.ItemDataRole.UserRole, g)
        self.spaces_list.addItem(item)

    def granted(self) -> tuple[GrantedSpace, ...]:
        return tuple(self.spaces_list.item(i).data(Qt.ItemDataRole.UserRole)
                     for i in range(self.spaces_list.count()))

    def _update_space_buttons(self) -> None:
        self.remove_space_button.setEnabled(bool(self.spaces_list.selectedItems()))
        self.no_space.setVisible(self.spaces_list.count() == 0)

    def _update_draft_buttons(self) -> None:
        self.delete_button.setVisible(self.record.id is not None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (self.editing and watched is self.spaces_list
                and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Delete):
            self.remove_space()
            return True
        return super().eventFilter(watched, event)

    def add_space(self) -> None:
        day = self.start.value() or self.today
        picker = SpacePicker(self.services, day=day, taken={g.space_id for g in self.granted()},
                             parent=self)
        if picker.exec() and picker.chosen is not None:
            self._append_space(picker.chosen)
            self.spaces_list.setCurrentRow(self.spaces_list.count() - 1)
            self.errors.clear()
        dispose(picker)
        self._update_space_buttons()

    def remove_space(self) -> None:
        for item in self.spaces_list.selectedItems():
            self.spaces_list.takeItem(self.spaces_list.row(item))
        self._update_space_buttons()

    def choose_occupant(self) -> None:
        picker = OccupantPicker(self.services, self.tasks, parent=self)
        chosen = picker.chosen if picker.exec() else None
        dispose(picker)
        if chosen is None:
            return
        organisation_id, person_id, name = chosen
        try:
            fresh = self.services.agreements.new_draft(
                organisation_id=organisation_id, person_id=person_id)
        except MaisonError as exc:
            self.say(exc.message, refusal=True)
            return
        self._occupant = (organisation_id, person_id, fresh.occupant_name or name)
        self._show_occupant()
        self.representative.setText(fresh.representative)
        self.representative_title.setText(fresh.representative_title)
        if not self.spaces_list.count():
            for g in fresh.spaces:
                self._append_space(g)
            self._update_space_buttons()
        self.errors.clear()

    # --- reading and saving the form ---------------------------------------------------

    def values(self) -> dict[str, object]:
        """The form as typed (for the unsaved-changes check)."""
        return {
            "occupant": self._occupant[:2], "project": self.project.currentData(),
            "representative": self.representative.text(),
            "title": self.representative_title.text(), "start": self.start.text(),
            "end": self.end.text(), "notice": self.notice.value(), "fee": self.fee.text(),
            "vat": self.vat.currentData(), "deposit": self.deposit.text(),
            "services": sorted(s.value for s, b in self.service_boxes.items() if b.isChecked()),
            "spaces": [(g.space_id, g.seats) for g in self.granted()],
            "notes": self.notes.toPlainText(),
        }

    def is_dirty(self) -> bool:
        return self.editing and self._snapshot is not None and self.values() != self._snapshot

    def form_record(self) -> AgreementRecord:
        """The agreement as the form says (ValidationError for what cannot be read)."""
        start = self.start.date(field="start")
        if start is None:
            raise ValidationError(_("La date de début est obligatoire."), field="start")
        end = self.end.date(field="end")
        if end is None:
            raise ValidationError(_("La date de fin est obligatoire."), field="end")
        fee = parse_euros(self.fee.text() or "0", field="monthly_fee_cents")
        deposit = parse_euros(self.deposit.text() or "0", field="deposit_cents")
        project_id = self.project.currentData()
        project_name = ""
        if project_id is not None:
            project_name = self.project.currentText().split(" — ")[0]
        return dataclasses.replace(
            self.record, organisation_id=self._occupant[0], person_id=self._occupant[1],
            occupant_name=self._occupant[2], project_id=project_id, project_name=project_name,
            representative=self.representative.text().strip(),
            representative_title=self.representative_title.text().strip(),
            start=start, end=end, monthly_fee_cents=fee, vat_bp=int(self.vat.currentData()),
            deposit_cents=deposit, notice_months=self.notice.value(),
            services=frozenset(s for s, b in self.service_boxes.items() if b.isChecked()),
            spaces=self.granted(), notes=self.notes.toPlainText().strip() or None)

    def _refused(self, exc: MaisonError) -> None:
        """A field's error under the field; anything else (a clash…) in the banner."""
        if isinstance(exc, ValidationError) and self.editing and self.errors.show(exc):
            self.say("")
            return
        if self.editing:
            self.errors.clear()
        self.say(exc.message, refusal=True)

    def save(self) -> bool:
        """Save the draft; True when it was saved. The form stays as typed on a refusal."""
        if not self.editing:
            return False
        self.errors.clear()
        try:
            record = self.form_record()
            agreement_id = self.services.agreements.save_draft(record)
            fresh = self.services.agreements.agreement(agreement_id=agreement_id)
        except MaisonError as exc:
            self._refused(exc)
            return False
        was_new = self.record.id is None
        self.record = fresh
        self.saved_id = agreement_id
        self._written = True
        self._snapshot = self.values()
        self._header()
        self._update_draft_buttons()
        if was_new:
            self.done_message = _("Brouillon {number} préparé pour {occupant}.").format(
                number=fresh.number, occupant=fresh.occupant_name)
            self.say(_("Brouillon enregistré sous le numéro {number}.").format(
                number=fresh.number))
        else:
            self.done_message = _("Brouillon {number} enregistré.").format(number=fresh.number)
            self.say(_("Brouillon {number} enregistré.").format(number=fresh.number))
        return True

    def _saved_first(self) -> bool:
        """Save when something is new or changed; True when the draft is saved as shown."""
        if self.record.id is None or self.is_dirty():
            return self.save()
        return True

    # --- printing ---------------------------------------------------------------------

    def preview(self) -> None:
        """Save the draft when needed, then show its PDF (marked PROJET); a signed
        agreement's archived PDF."""
        if self.editing and not self._saved_first():
            return
        if self._archived is not None:
            self._show_pdf(self._archived)
            return
        agreements = self.services.agreements
        agreement_id = self.record.id
        self._busy(True)
        self.tasks.run(lambda: agreements.pdf(agreement_id=agreement_id),
                       on_success=guarded(self, self._pdf_ready),
                       on_error=guarded(self, self._pdf_failed))

    def _busy(self, busy: bool) -> None:
        for name in ("preview_button", "print_button"):
            button = getattr(self, name, None)
            try:
                if button is not None:
                    button.setEnabled(not busy)
            except RuntimeError:  # the button of a page replaced meanwhile
                pass

    def _pdf_ready(self, result: tuple[str, bytes]) -> None:
        self._busy(False)
        if self.record.status is not AgreementStatus.DRAFT:
            self._archived = result
        self._show_pdf(result)

    def _pdf_failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, MaisonError):
            self.say(exc.message, refusal=True)
        else:
            messages.show_error(self, exc)

    def _show_pdf(self, result: tuple[str, bytes]) -> None:
        filename, content = result
        r = self.record
        title = (_("Convention {number} (projet)") if r.status is AgreementStatus.DRAFT
                 else _("Convention {number}")).format(number=r.number)
        self.last_preview = show_pdf(self, content, title=title, filename=filename)

    # --- signing ----------------------------------------------------------------------

    def start_signing(self) -> None:
        """Save, check nothing is missing, ask the date and the signatories, sign."""
        if not self.editing or not self._saved_first():
            return
        missing = missing_for_signature(self.record)
        if missing:
            field, message = missing[0]
            self._refused(ValidationError(message, field=field))
            return
        r = self.record
        host = r.host_signatory
        if not host:
            try:
                host = self.services.hosting_texts.texts().host_signatory
            except MaisonError:
                host = ""
        occupant = r.representative
        if r.representative and r.representative_title:
            occupant = _("{name}, {title}").format(name=r.representative,
                                                   title=r.representative_title)
        agreements = self.services.agreements

        def sign(day: dt.date, host_signatory: str, occupant_signatory: str):
            return agreements.sign(agreement_id=r.id, signed_on=day,
                                   host_signatory=host_signatory,
                                   occupant_signatory=occupant_signatory)

        dialog = SignDialog(r, day=self.today, host=host, occupant=occupant, sign=sign,
                            parent=self)
        signed = dialog.exec()
        refusal, document = dialog.refusal, dialog.document
        dispose(dialog)
        if refusal is not None:
            self._refused(refusal)
            return
        if not signed:
            return
        self.record = agreements.agreement(agreement_id=r.id)
        self._written = True
        self._build()
        fresh = self.record
        self.done_message = _("Convention {number} signée.").format(number=fresh.number)
        if fresh.spaces:
            text = _("Convention {number} signée le {day} : le PDF signé est archivé, les "
                     "bureaux et postes sont attribués {period}.")
        else:
            text = _("Convention {number} signée le {day} : le PDF signé est archivé.")
        self.say(text.format(number=fresh.number, day=format_date(fresh.signed_on),
                             period=period_text(fresh.start, fresh.end)))
        if document is not None and self._archived is None:
            self._show_hash(document.sha256)

    def delete_draft(self) -> None:
        r = self.record
        if r.id is None or not messages.confirm(
                self, _("Supprimer le brouillon {number} ({occupant}) ?\n\nSon numéro ne sera "
                        "pas réutilisé.").format(number=r.number, occupant=r.occupant_name),
                title=_("Supprimer le brouillon"), yes=_("Supprimer"), destructive=True):
            return
        try:
            self.services.agreements.delete_draft(agreement_id=r.id)
        except MaisonError as exc:
            self._refused(exc)
            return
        self.deleted = True
        self.saved_id = None
        self.done_message = _("Brouillon {number} supprimé.").format(number=r.number)
        self.done(QDialog.DialogCode.Accepted)

    # --- the signed agreement (and any agreement a role only reads) ---------------------

    def _view(self) -> QWidget:
        r = self.record
        state = r.state(self.today)
        page = QWidget()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

        def line(label: str, text: str, name: str) -> QLabel:
            value = QLabel(text)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(name)
            form.addRow(label, value)
            return value

        occupant = line(_("Occupant"), r.occupant_name, _("Occupant"))
        font = occupant.font()
        font.setBold(True)
        occupant.setFont(font)
        if r.link is not None:
            line(_("Suit"), link_text(r), _("Convention précédente"))
        if r.project_name:
            project = (_("{name} ({programme})").format(name=r.project_name,
                                                        programme=r.programme_name)
                       if r.programme_name else r.project_name)
            line(_("Projet accompagné"), project, _("Projet accompagné"))
        signer = (_("{name}, {title}").format(name=r.representative,
                                              title=r.representative_title)
                  if r.representative_title else r.representative)
        line(_("Représenté·e par"), signer or _("(à indiquer)"), _("Représentant·e de l'occupant"))
        period = _("{period} ({duration})").format(period=period_text(r.start, r.end),
                                                   duration=duration_text(r.start, r.end))
        line(_("Période"), period, _("Période"))
        if r.vat_bp:
            fee = _("{fee} HT par mois, soit {total} TTC (TVA {rate} : {vat})").format(
                fee=format_money(r.monthly_fee_cents), total=format_money(r.fee_incl_cents),
                rate=vat_rate_text(r.vat_bp), vat=format_money(r.fee_vat_cents))
        else:
            fee = _("{fee} par mois, sans TVA").format(fee=format_money(r.monthly_fee_cents))
        line(_("Redevance"), fee, _("Redevance"))
        line(_("Dépôt de garantie"), format_money(r.deposit_cents), _("Dépôt de garantie"))
        line(_("Préavis"), ngettext("{n} mois", "{n} mois", r.notice_months).format(
            n=r.notice_months), _("Préavis de départ"))
        line(_("Services"), ", ".join(s.label for s in HostingService if s in r.services)
             or _("aucun"), _("Services"))
        line(_("Locaux"), "\n".join(space_line(g) for g in r.spaces)
             or _("aucun (domiciliation seule)"), _("Bureaux et postes accordés"))
        if r.notes:
            line(_("Notes"), r.notes, _("Notes internes"))
        self.signature_line = None
        if r.status is not AgreementStatus.DRAFT:
            self.signature_line = line(_("Signature"), self._signature_text(""),
                                       _("Signature de la convention"))
        if r.terminated_on is not None:
            ended = line(_("Résiliation"), _("Résiliée : dernier jour le {day}. Motif : "
                                             "{reason}").format(
                day=format_date(r.terminated_on), reason=r.termination_reason),
                _("Résiliation"))
            ended.setStyleSheet(f"color: {ERROR_COLOUR};")
        if r.replaced_from is not None:
            line(_("Avenant"), _("Remplacée par un avenant à partir du {day}.").format(
                day=format_date(r.replaced_from)), _("Remplacement"))

        # actions
        self.print_button = _button(_("Imprimer…"), self.preview, _("Imprimer la convention"))
        self.print_button.setToolTip(_("Le PDF archivé à la signature") if r.document_id
                                     else _("Le brouillon, marqué PROJET"))
        self.hosting_button = _button(_("Attestation d'hébergement…"),
                                      lambda: self.issue_attestation(False))
        self.domiciliation_button = _button(_("Attestation de domiciliation…"),
                                            lambda: self.issue_attestation(True))
        self.amend_button = _button(_("Avenant…"),
                                    lambda: self.follow_up(AgreementLink.AMENDMENT))
        self.amend_button.setToolTip(_("Changer la convention à partir d'une date (locaux, "
                                       "redevance, services) : prépare un nouveau brouillon"))
        self.renew_button = _button(_("Renouvellement…"),
                                    lambda: self.follow_up(AgreementLink.RENEWAL))
        self.renew_button.setToolTip(_("Une nouvelle période après la fin de celle-ci : "
                                       "prépare un nouveau brouillon"))
        self.terminate_button = _button(_("Résilier…"), self.terminate)
        self.terminate_button.setToolTip(_("Départ avant la fin prévue : dernier jour et "
                                           "motif"))
        close = _button(_("Fermer"), self.reject, _("Fermer la convention"))
        close.setDefault(True)
        signed = r.status is not AgreementStatus.DRAFT
        running = state in _RUNNING
        self.hosting_button.setEnabled(running and bool(r.spaces))
        self.domiciliation_button.setEnabled(running and r.domiciled)
        if not running:
            tip = _("Une attestation se délivre pour une convention signée, en cours ou à "
                    "venir.")
            self.hosting_button.setToolTip(tip)
            self.domiciliation_button.setToolTip(tip)
        elif not r.spaces:
            self.hosting_button.setToolTip(_("Cette convention ne met aucun bureau à "
                                             "disposition."))
        if running and not r.domiciled:
            self.domiciliation_button.setToolTip(_("Cette convention ne comprend pas la "
                                                   "domiciliation."))
        terminated = r.status is AgreementStatus.TERMINATED
        self.amend_button.setEnabled(running and not terminated)
        self.renew_button.setEnabled(signed and not terminated
                                     and state is not AgreementState.REPLACED)
        if terminated:
            for b in (self.amend_button, self.renew_button, self.terminate_button):
                b.setToolTip(_("Cette convention est résiliée."))
        self.terminate_button.setEnabled(r.status is AgreementStatus.SIGNED
                                         and state in _RUNNING)
        for b in (self.hosting_button, self.domiciliation_button, self.amend_button,
                  self.renew_button, self.terminate_button):
            b.setVisible(self.can_write and signed)
        documents = QHBoxLayout()
        documents.addWidget(self.print_button)
        documents.addWidget(self.hosting_button)
        documents.addWidget(self.domiciliation_button)
        documents.addStretch(1)
        changes = QHBoxLayout()
        changes.addWidget(self.amend_button)
        changes.addWidget(self.renew_button)
        changes.addWidget(self.terminate_button)
        changes.addStretch(1)
        changes.addWidget(close)

        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        if not self.can_write:
            v.addWidget(_note(_("Consultation seule : les conventions sont préparées et "
                                "signées par l'incubation et l'administration."),
                              _("Note de consultation")))
        v.addLayout(form)
        v.addStretch(1)
        v.addLayout(documents)
        v.addLayout(changes)
        close.setFocus(Qt.FocusReason.OtherFocusReason)
        return page

    def _signature_text(self, sha256: str) -> str:
        r = self.record
        if r.signed_on is None:
            return ""
        text = _("Signée le {day} par {host} (pour la Maison) et {occupant} (pour "
                 "l'occupant)").format(day=format_date(r.signed_on), host=r.host_signatory,
                                       occupant=r.occupant_signatory or r.representative)
        if r.document_id is None:
            return text + "."
        if sha256:
            return text + " ; " + _("PDF archivé (SHA-256 {digest}…)").format(
                digest=sha256[:16])
        return text + " ; " + _("PDF archivé.")

    def _show_hash(self, sha256: str) -> None:
        if self.signature_line is not None:
            self.signature_line.setText(self._signature_text(sha256))
            self.signature_line.setToolTip(_("Empreinte SHA-256 du PDF archivé : "
                                             "{digest}").format(digest=sha256))

    def _load_archive(self) -> None:
        """The archived PDF, read in the background: its fingerprint shows on the
        signature line, and « Imprimer… » shows it at once."""
        r = self.record
        if r.document_id is None or r.id is None:
            return
        agreements = self.services.agreements

        def ready(result: tuple[str, bytes]) -> None:
            self._archived = result
            self._show_hash(hashlib.sha256(result[1]).hexdigest())

        self.tasks.run(lambda: agreements.pdf(agreement_id=r.id),
                       on_success=guarded(self, ready), on_error=guarded(self, lambda _e: None),
                       key=f"agreement-archive-{id(self)}")

    def issue_attestation(self, domiciliation: bool) -> None:
        """Issue (and archive) an attestation, then show it."""
        r = self.record
        agreements = self.services.agreements
        button = self.domiciliation_button if domiciliation else self.hosting_button
        button.setEnabled(False)

        def shown(result) -> None:
            button.setEnabled(True)
            document, content = result
            self.last_preview = show_pdf(
                self, content, title=_("{kind} — {number}").format(
                    kind=document.kind.label, number=document.number),
                filename=document.filename)
            self.say(_("{kind} {number} délivrée et archivée.").format(
                kind=document.kind.label, number=document.number))

        def failed(exc: BaseException) -> None:
            button.setEnabled(True)
            if isinstance(exc, MaisonError):
                self.say(exc.message, refusal=True)
            else:
                messages.show_error(self, exc)

        self.tasks.run(lambda: agreements.attestation(agreement_id=r.id,
                                                      domiciliation=domiciliation),
                       on_success=guarded(self, shown), on_error=guarded(self, failed))

    def follow_up(self, link: AgreementLink) -> None:
        """Open a new draft, prefilled: an amendment or a renewal of this agreement."""
        try:
            draft = self.services.agreements.follow_up_draft(agreement_id=self.record.id,
                                                             link=link)
        except MaisonError as exc:
            self.say(exc.message, refusal=True)
            return
        dialog = AgreementDialog(self.services, self.tasks, draft=draft, parent=self)
        dialog.exec()
        written, message, new_id = dialog._written, dialog.done_message, dialog.saved_id
        dispose(dialog)
        if not written:
            return
        self._written = True
        self.saved_id = new_id if new_id is not None else self.saved_id
        self.done_message = message
        try:
            self.record = self.services.agreements.agreement(agreement_id=self.record.id)
        except MaisonError:
            pass
        self._build()
        self.say(message)

    def terminate(self) -> None:
        r = self.record
        agreements = self.services.agreements
        dialog = TerminateDialog(
            r, day=self.today, parent=self,
            terminate=lambda day, reason: agreements.terminate(agreement_id=r.id,
                                                               last_day=day, reason=reason))
        ended = dialog.exec()
        last_day = dialog.last_day_written
        dispose(dialog)
        if not ended or last_day is None:
            return
        self._written = True
        self.record = agreements.agreement(agreement_id=r.id)
        self._build()
        self.done_message = _("Convention {number} résiliée : dernier jour le {day}.").format(
            number=r.number, day=format_date(last_day))
        self.say(self.done_message)

    # --- closing ------------------------------------------------------------------------

    @property
    def written(self) -> bool:
        """Something was saved, signed, terminated or deleted."""
        return self._written or self.deleted

    def reject(self) -> None:
        """Fermer, Escape, the window's cross: ask before dropping unsaved changes."""
        if self.is_dirty() and not messages.confirm(
                self, _("Les modifications de la convention ne sont pas enregistrées. "
                        "Les abandonner ?"),
                title=_("Modifications non enregistrées"),
                yes=_("Abandonner les modifications"), no=_("Continuer la saisie"),
                destructive=True):
            return
        self.done(QDialog.DialogCode.Accepted if self.written else QDialog.DialogCode.Rejected)
