"""The "Adhésions" tab of the settings: the colleges of the SCIC and the fee schedule.

Like the other tabs of the dialog, what is changed here is written by "Enregistrer" and
thrown away by "Annuler": adding, renaming, deactivating and moving colleges, and the fee
of each college for any year looked at. The amounts are checked as they are typed (the
message under the field) and again before anything is written, so a wrong amount never
leaves the schedule half saved. Without the right to change the settings, the tab shows
the colleges and the fees of any year, read-only.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.domain.members import parse_euros
from maison_app.i18n import _, ngettext
from maison_app.ui import messages
from maison_app.ui.forms import FieldWithError, FormErrors, dialog_buttons
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_with_buttons import table_with_buttons

HINT_STYLE = "color: #444; font-size: 90%;"
INACTIVE_COLOUR = "#8a8a8a"
MAX_NAME_LENGTH = 100
FIRST_YEAR, LAST_YEAR = 2000, 2100


def amount_text(cents: int | None) -> str:
    """An amount as it is typed in a field: "25", "12,50"; "" when not set."""
    if cents is None:
        return ""
    euros, rest = divmod(cents, 100)
    return str(euros) if not rest else f"{euros},{rest:02d}"


def parse_fee(text: str) -> int | None:
    """Cents from a typed fee; None for an empty field (the fee is not set)."""
    if not text.strip():
        return None
    return parse_euros(text, field="fee")


@dataclass
class _Draft:
    """A college as the tab shows it, and as it is in the database (`saved`, None for a
    college added here and not saved yet)."""

    key: int  # stable inside the tab: the college's id, or a negative number while new
    id: int | None
    name: str
    active: bool
    saved: tuple[str, bool, int] | None  # (name, active, position)


class CollegeNameDialog(QDialog):
    """The name of a new college, or the new name of one: refused under the field when
    empty, too long, or already taken; what was typed stays."""

    def __init__(self, title: str, ok_label: str, current: str, check, parent=None) -> None:
        super().__init__(parent)
        self.check = check
        self.value: str | None = None
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(420)
        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit(current)
        self.name.setMaxLength(MAX_NAME_LENGTH + 20)  # longer is refused with a message
        self.name.setPlaceholderText(_("par exemple : Entreprises adhérentes"))
        self.errors.add_row(form, _("Nom du collège"), "name", self.name)
        buttons, self.ok_button = dialog_buttons(self, ok_label, self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.name.selectAll()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:  # noqa: D102 - Qt override: check, or stay open
        self.errors.clear()
        try:
            self.value = self.check(self.name.text())
        except ValidationError as error:
            self.errors.show(error)
            return
        super().accept()


class CollegesTab(QWidget):
    """Needs the `MembershipService`. `editable`: may this user change the settings?"""

    grew = Signal()  # an error message appeared: the dialog makes room for it

    def __init__(self, memberships, *, editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.memberships = memberships
        self.editable = editable
        self._new_keys = itertools.count(-1, -1)
        self._drafts = [
            _Draft(key=c.id, id=c.id, name=c.name, active=c.active,
                   saved=(c.name, c.active, c.position))
            for c in memberships.colleges()
        ]
        self._saved_fees: dict[int, dict[int, int | None]] = {}  # year -> college id -> cents
        self._typed: dict[tuple[int, int], str] = {}  # (draft key, year) -> text in the field
        self._fee_slots: dict[int, FieldWithError] = {}  # draft key -> the shown year's field
        self._checking = False
        self.year = memberships.this_year()
        self._load_year(self.year)
        self._build()
        self._show_colleges()
        self._show_fees()

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        colleges_box = QGroupBox(_("Collèges de la SCIC"))
        self.college_list = QListWidget()
        self.college_list.setAccessibleName(_("Collèges de la SCIC"))
        self.college_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.college_list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.college_list.itemDoubleClicked.connect(lambda _item: self.rename_college())

        def button(text: str, name: str, slot, tip: str = "") -> QPushButton:
            b = QPushButton(text)
            b.setAccessibleName(name)
            if tip:
                b.setToolTip(tip)
            b.clicked.connect(slot)
            return b

        self.add_button = button(_("Ajouter…"), _("Ajouter un collège"), self.add_college)
        self.rename_button = button(_("Renommer…"), _("Renommer le collège"),
                                    self.rename_college, _("Renommer (F2)"))
        self.toggle_button = button(_("Désactiver"), _("Désactiver ou réactiver le collège"),
                                    self.toggle_college)
        self.up_button = button(_("Monter"), _("Monter le collège"), lambda: self.move_college(-1),
                                _("Monter dans la liste (Alt+Haut)"))
        self.down_button = button(_("Descendre"), _("Descendre le collège"),
                                  lambda: self.move_college(1),
                                  _("Descendre dans la liste (Alt+Bas)"))
        add_shortcuts(self.college_list, [("F2", self.rename_college),
                                          ("Alt+Up", lambda: self.move_college(-1)),
                                          ("Alt+Down", lambda: self.move_college(1))],
                      context=Qt.ShortcutContext.WidgetShortcut)
        colleges_layout = QVBoxLayout(colleges_box)
        colleges_layout.addLayout(table_with_buttons(
            self.college_list, (self.add_button, self.rename_button, self.toggle_button,
                                self.up_button, self.down_button),
            alignment=Qt.AlignmentFlag.AlignTop))
        colleges_layout.addWidget(self._hint(
            _("L'ordre est celui des listes de choix. Un collège désactivé n'est plus proposé "
              "pour les nouvelles adhésions ; les adhésions passées le gardent."),
            _("À propos des collèges")))

        fees_box = QGroupBox(_("Cotisations par collège"))
        self.year_spin = QSpinBox()
        self.year_spin.setRange(FIRST_YEAR, LAST_YEAR)
        self.year_spin.setValue(self.year)
        self.year_spin.setAccessibleName(_("Année du barème"))
        self.year_spin.findChild(QLineEdit).setAccessibleName(_("Année du barème"))
        self.year_spin.valueChanged.connect(self.show_year)
        year_label = QLabel(_("Année :"))
        year_label.setBuddy(self.year_spin)
        self.copy_button = QPushButton()
        self.copy_button.setAccessibleName(_("Reprendre les montants de l'année précédente"))
        self.copy_button.clicked.connect(self.copy_previous_year)
        year_row = QHBoxLayout()
        year_row.addWidget(year_label)
        year_row.addWidget(self.year_spin)
        year_row.addStretch(1)
        year_row.addWidget(self.copy_button)
        self.fee_form = QFormLayout()
        self.fee_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.status = self._hint("", _("Information sur le barème"))
        self.status.setStyleSheet("color: #1f5f33; font-size: 90%;")
        self.status.setVisible(False)
        fees_layout = QVBoxLayout(fees_box)
        fees_layout.addLayout(year_row)
        fees_layout.addLayout(self.fee_form)
        fees_layout.addWidget(self.status)
        fees_layout.addWidget(self._hint(
            _("Montants en euros, par exemple 25 ou 12,50. Laissez vide une cotisation qui "
              "n'est pas encore fixée. Une adhésion déjà enregistrée garde son montant."),
            _("À propos des cotisations")))

        layout = QVBoxLayout(self)
        if not self.editable:
            layout.addWidget(self._hint(
                _("Seule l'administration peut modifier les collèges et les cotisations."),
                _("Collèges et cotisations en lecture seule")))
        layout.addWidget(colleges_box)
        layout.addWidget(fees_box)
        layout.addStretch(1)

    @staticmethod
    def _hint(text: str, name: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet(HINT_STYLE)
        label.setAccessibleName(name)
        return label

    # --- the colleges ---------------------------------------------------------------------

    def _draft(self, key: int) -> _Draft | None:
        return next((d for d in self._drafts if d.key == key), None)

    def selected(self) -> _Draft | None:
        item = self.college_list.currentItem()
        return None if item is None else self._draft(item.data(Qt.ItemDataRole.UserRole))

    def _show_colleges(self, select_key: int | None = None) -> None:
        if select_key is None and self.selected() is not None:
            select_key = self.selected().key
        self.college_list.clear()
        for d in self._drafts:
            text = d.name if d.active else _("{name} — désactivé").format(name=d.name)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, d.key)
            if not d.active:
                item.setForeground(QBrush(QColor(INACTIVE_COLOUR)))
                item.setToolTip(_("Plus proposé pour les nouvelles adhésions."))
            self.college_list.addItem(item)
            if d.key == select_key:
                self.college_list.setCurrentItem(item)
        rows = min(max(len(self._drafts), 5), 10) + 1  # a spare line: the list has an end
        frame = 2 * self.college_list.frameWidth()
        self.college_list.setFixedHeight(rows * max(self.college_list.sizeHintForRow(0), 16)
                                         + frame)
        self._update_buttons()

    def _update_buttons(self) -> None:
        d = self.selected()
        row = self.college_list.currentRow()
        self.add_button.setEnabled(self.editable)
        self.rename_button.setEnabled(self.editable and d is not None)
        self.toggle_button.setEnabled(self.editable and d is not None)
        self.toggle_button.setText(_("Réactiver") if d is not None and not d.active
                                   else _("Désactiver"))
        self.up_button.setEnabled(self.editable and d is not None and row > 0)
        self.down_button.setEnabled(self.editable and d is not None
                                    and row < len(self._drafts) - 1)

    def _name_checker(self, draft: _Draft | None):
        def check(text: str) -> str:
            name = " ".join(text.split())
            if not name:
                raise ValidationError(_("Le nom du collège est obligatoire."), field="name")
            if len(name) > MAX_NAME_LENGTH:
                raise ValidationError(_("Ce nom est trop long (100 caractères au plus)."),
                                      field="name")
            if any(d is not draft and d.name.casefold() == name.casefold()
                   for d in self._drafts):
                raise ValidationError(_("Un collège porte déjà ce nom."), field="name")
            return name
        return check

    def _ask_name(self, title: str, ok_label: str, current: str, draft: _Draft | None
                  ) -> str | None:
        dialog = CollegeNameDialog(title, ok_label, current, self._name_checker(draft), self)
        try:
            return dialog.value if dialog.exec() else None
        finally:
            dialog.setParent(None)  # gone with its last reference, not left in the tab
            dialog.deleteLater()

    def add_college(self) -> None:
        if not self.editable:
            return
        name = self._ask_name(_("Nouveau collège"), _("Ajouter"), "", None)
        if name is None:
            return
        draft = _Draft(key=next(self._new_keys), id=None, name=name, active=True, saved=None)
        self._drafts.append(draft)
        self._show_colleges(draft.key)
        self._show_fees()
        self._fee_slots[draft.key].field.setFocus()  # its fee comes next

    def rename_college(self) -> None:
        draft = self.selected()
        if draft is None or not self.editable:
            return
        name = self._ask_name(_("Renommer le collège"), _("Renommer"), draft.name, draft)
        if name is None or name == draft.name:
            return
        draft.name = name
        self._show_colleges(draft.key)
        self._show_fees()

    def toggle_college(self) -> None:
        draft = self.selected()
        if draft is None or not self.editable:
            return
        draft.active = not draft.active
        self._show_colleges(draft.key)
        self._show_fees()

    def move_college(self, step: int) -> None:
        draft = self.selected()
        if draft is None or not self.editable:
            return
        row = self._drafts.index(draft)
        other = row + step
        if not 0 <= other < len(self._drafts):
            return
        self._drafts[row], self._drafts[other] = self._drafts[other], self._drafts[row]
        self._show_colleges(draft.key)
        self._show_fees()

    # --- the fee schedule -----------------------------------------------------------------

    def _load_year(self, year: int) -> None:
        if year not in self._saved_fees:
            self._saved_fees[year] = {f.college_id: f.fee_cents
                                      for f in self.memberships.fees(year=year)}

    def _saved_fee(self, draft: _Draft, year: int) -> int | None:
        return None if draft.id is None else self._saved_fees.get(year, {}).get(draft.id)

    def _fee_text(self, draft: _Draft, year: int) -> str:
        typed = self._typed.get((draft.key, year))
        return typed if typed is not None else amount_text(self._saved_fee(draft, year))

    def fee_field(self, college: str) -> QLineEdit:
        """The fee field of the college of that name, for the year shown."""
        draft = next(d for d in self._drafts if d.name == college)
        return self._fee_slots[draft.key].field

    def show_year(self, year: int) -> None:
        if year == self.year:
            return
        self.year = year
        self.year_spin.setValue(year)
        self._load_year(year)
        self.status.setVisible(False)
        self._show_fees()

    def _show_fees(self) -> None:
        while self.fee_form.rowCount():
            self.fee_form.removeRow(0)
        self._fee_slots.clear()
        year = self.year
        for d in self._drafts:
            field = QLineEdit(self._fee_text(d, year))
            field.setAccessibleName(_("Cotisation {college}").format(college=d.name))
            field.setPlaceholderText(_("non fixée"))
            field.setAlignment(Qt.AlignmentFlag.AlignRight)
            field.setFixedWidth(110)
            field.setReadOnly(not self.editable)  # read-only stays legible, unlike disabled
            field.textChanged.connect(
                lambda text, key=d.key, y=year: self._typed.__setitem__((key, y), text))
            field.editingFinished.connect(lambda key=d.key: self._check_field(key))
            slot = FieldWithError(field)
            # "€" beside the field; the error under both, as wide as the row
            column = slot.layout()
            column.removeWidget(field)
            line = QHBoxLayout()
            line.addWidget(field)
            line.addWidget(QLabel("€"))
            line.addStretch(1)
            column.insertLayout(0, line)
            slot.setFocusProxy(field)
            label = QLabel(d.name if d.active else _("{name} (désactivé)").format(name=d.name))
            label.setBuddy(field)
            if not d.active:
                label.setStyleSheet(f"color: {INACTIVE_COLOUR};")
            self.fee_form.addRow(label, slot)
            self._fee_slots[d.key] = slot
        self.copy_button.setText(_("Reprendre les montants de {year}").format(year=year - 1))
        self.copy_button.setEnabled(self.editable and year > FIRST_YEAR)

    def _check_field(self, key: int) -> bool:
        slot = self._fee_slots.get(key)
        if slot is None or self._checking:
            return True
        try:
            parse_fee(slot.field.text())
        except ValidationError as error:
            # said as soon as the field is left, without holding the focus in it (set_error
            # takes the focus; giving it back leaves the field again: not checked twice)
            focused = QApplication.focusWidget()
            self._checking = True
            try:
                slot.set_error(error.message)
                if focused is not None and focused is not slot.field:
                    focused.setFocus()
            finally:
                self._checking = False
            self.grew.emit()
            return False
        if not slot.error.isHidden():
            slot.set_error(None)
        return True

    def copy_previous_year(self) -> None:
        """Fill the fields with last year's fees (as they stand in this dialog): checked
        and saved like anything typed."""
        if not self.editable:
            return
        previous = self.year - 1
        self._load_year(previous)
        copied = 0
        for d in self._drafts:
            text = self._fee_text(d, previous)
            if text.strip():
                self._fee_slots[d.key].field.setText(text)
                self._check_field(d.key)
                copied += 1
        if copied:
            self.status.setText(ngettext(
                "Montant de {previous} repris pour {n} collège : vérifiez-le, puis "
                "enregistrez.",
                "Montants de {previous} repris pour {n} collèges : vérifiez-les, puis "
                "enregistrez.", copied).format(previous=previous, n=copied))
        else:
            self.status.setText(_("Aucune cotisation n'est fixée pour {previous}.").format(
                previous=previous))
        self.status.setVisible(True)

    # --- checking and saving (by the dialog's "Enregistrer") -------------------------------

    def _show_fee_error(self, key: int, year: int, message: str) -> None:
        self.show_year(year)
        slot = self._fee_slots[key]
        slot.set_error(message)
        slot.field.setFocus()
        self.grew.emit()

    def _changed_fees(self) -> list[tuple[_Draft, int, str]]:
        """(college, year, text) of every fee field typed in, the year shown first."""
        out = []
        for (key, year), text in self._typed.items():
            draft = self._draft(key)
            if draft is not None:
                out.append((draft, year, text))
        out.sort(key=lambda x: (x[1] != self.year, x[1], self._drafts.index(x[0])))
        return out

    def check(self) -> bool:
        """Every amount typed is readable; False with the message under the first wrong one
        (its year shown)."""
        for slot in self._fee_slots.values():
            slot.set_error(None)
        for draft, year, text in self._changed_fees():
            try:
                parse_fee(text)
            except ValidationError as error:
                self._show_fee_error(draft.key, year, error.message)
                return False
        return True

    def save(self) -> bool:
        """Write what changed. False when something was refused (said next to the field or
        in a message); what was saved before the refusal stays saved and is not written
        twice."""
        if not self.editable:
            return True
        if not self.check():
            return False
        draft: _Draft | None = None
        year: int | None = None
        try:
            for position, draft in enumerate(self._drafts, start=1):
                wanted = (draft.name, draft.active, position)
                if draft.saved != wanted:
                    draft.id = self.memberships.save_college(
                        college_id=draft.id, name=draft.name, active=draft.active,
                        position=position)
                    draft.saved = wanted
            draft = None
            for draft, year, text in self._changed_fees():
                cents = parse_fee(text)
                if cents != self._saved_fee(draft, year):
                    self.memberships.save_fee(college_id=draft.id, year=year, fee_cents=cents)
                    self._saved_fees.setdefault(year, {})[draft.id] = cents
        except ValidationError as error:
            if year is not None and draft is not None and error.field in ("fee", "year"):
                self._show_fee_error(draft.key, year, error.message)
            else:
                if draft is not None:
                    self._show_colleges(draft.key)
                messages.warn(self, _("Collège « {name} » : {message}").format(
                    name=draft.name, message=error.message) if draft else error.message)
            return False
        except MaisonError as error:
            messages.show_error(self, error)
            return False
        return True
