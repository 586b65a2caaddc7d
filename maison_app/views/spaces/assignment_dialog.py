"""Give an office or a desk to an organisation, or manage an assignment already made.

- Create mode (`assignment_id` None): the space and its state on the start day at the top;
  the organisation (fixed when it was dropped on the plan, else searched); the start date,
  an end date or "sans date de fin", the seats of an office, notes. « Attribuer » writes it.
- Manage mode (`assignment_id` given): who holds the space and over which dates; change the
  dates (extend, shorten), end it, move the holder to another office or desk from a date, or
  delete an assignment entered by mistake (after a confirmation). Each action opens its own
  page in the dialog; « Retour » or Escape comes back.

Dates are typed jj/mm/aaaa (or chosen in the calendar at the end of the field: Alt+Bas).
The service refuses what breaks the rules (another holder, an office full…) with a French
sentence naming who and when: a field's error goes under the field, anything else in the
dialog's banner; what was typed stays. `exec()` returns Accepted when something was written;
then `outcome`, `assignment_id` and `done_message` say what."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import Occupancy, SpaceKind
from maison_app.domain.errors import MaisonError, NotFound, ValidationError
from maison_app.domain.permissions import Access, Area, allowed
from maison_app.domain.spaces import (
    AssignmentRecord,
    SpaceRecord,
    SpaceState,
    floor_label,
)
from maison_app.i18n import _, format_date, ngettext
from maison_app.ui import messages
from maison_app.ui.common import NOTE_STYLE, DateInput, today
from maison_app.ui.forms import FormErrors, dialog_buttons
from maison_app.views.spaces.holders_list import HolderSearch

BANNER_STYLE = ("#assignmentBanner { background: #fdecea; border: 1px solid #e0a19b; "
                "border-radius: 4px; padding: 6px 8px; color: #5c1610; }")
STATE_DELAY_MS = 150
FREE_COLOUR = "#1e6b3a"
TAKEN_COLOUR = "#8a5a00"


# --- small helpers (the history dialog uses space_summary and status_of) -------------------


def date_input(name: str, day: dt.date | None) -> DateInput:
    return DateInput(name, day)


def next_year_eve(day: dt.date) -> dt.date:
    """A year's stay from `day`: the day before the same date next year."""
    try:
        return day.replace(year=day.year + 1) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def period_text(start: dt.date, end: dt.date | None) -> str:
    if end is None:
        return _("à partir du {start}, jusqu'à nouvel ordre").format(start=format_date(start))
    return _("du {start} au {end}").format(start=format_date(start), end=format_date(end))


def seats_text(n: int) -> str:
    return ngettext("{n} place", "{n} places", n).format(n=n)


def space_summary(space: SpaceRecord, parent: SpaceRecord | None = None) -> str:
    """"Bureau · 3 places · 1er étage", "Poste de travail · Rez-de-chaussée · dans « Espace
    partagé »"."""
    parts = [space.kind.label]
    if space.kind is SpaceKind.OFFICE:
        parts.append(seats_text(space.capacity))
    parts.append(floor_label(space.floor))
    if parent is not None:
        parts.append(_("dans « {name} »").format(name=parent.name))
    if not space.active:
        parts.append(_("hors service"))
    return " · ".join(parts)


def _held(a: AssignmentRecord, office: bool) -> str:
    until = (_("jusqu'à nouvel ordre") if a.end is None
             else _("jusqu'au {day}").format(day=format_date(a.end)))
    if office:
        return _("{holder} ({seats}, {until})").format(holder=a.holder, seats=seats_text(a.seats),
                                                       until=until)
    return _("{holder} ({until})").format(holder=a.holder, until=until)


def state_text(state: SpaceState | None, day: dt.date) -> str:
    """The state of a desk or office on `day`, in words: who holds it, until when, and who
    comes next."""
    if state is None or state.occupancy is None:
        return ""
    office = state.space.kind is SpaceKind.OFFICE
    on_day = format_date(day)
    if not state.current:
        text = _("Libre le {day}.").format(day=on_day)
    elif office and state.seats_taken >= state.space.capacity:
        text = _("Complet le {day} : {holders}.").format(
            day=on_day, holders=" ; ".join(_held(a, True) for a in state.current))
    elif office:
        text = ngettext("{taken} place sur {capacity} prise le {day} : {holders}.",
                        "{taken} places sur {capacity} prises le {day} : {holders}.",
                        state.seats_taken).format(
            taken=state.seats_taken, capacity=state.space.capacity, day=on_day,
            holders=" ; ".join(_held(a, True) for a in state.current))
    else:
        text = _("Occupé le {day} par {holder}.").format(
            day=on_day, holder=_held(state.current[0], False))
    if state.next is not None:
        text += " " + _("Attribué ensuite à {holder} à partir du {day}.").format(
            holder=state.next.holder, day=format_date(state.next.start))
    return text


def state_colour(state: SpaceState | None) -> str:
    """Green when free that day, amber when taken (the plan's colours are its own)."""
    if state is None or state.occupancy is None:
        return "#444444"
    return FREE_COLOUR if state.occupancy in (Occupancy.FREE, Occupancy.RESERVED) \
        else TAKEN_COLOUR


def status_of(a: AssignmentRecord, day: dt.date) -> str:
    if a.start > day:
        return _("À venir")
    if a.end is not None and a.end < day:
        return _("Terminée")
    return _("En cours")


def _button(label: str, slot, name: str | None = None) -> QPushButton:
    button = QPushButton(label)
    button.setAccessibleName(name or label)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


class _SpaceHeader(QWidget):
    """The space at the top of the dialog: its name, what it is, its state on a day."""

    def __init__(self, space: SpaceRecord, parent_space: SpaceRecord | None) -> None:
        super().__init__()
        self.name = QLabel(space.name)
        font = self.name.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.name.setFont(font)
        self.summary = QLabel(space_summary(space, parent_space))
        self.summary.setAccessibleName(_("Description de l'espace"))
        self.summary.setStyleSheet(NOTE_STYLE)
        self.state = QLabel()
        self.state.setAccessibleName(_("État de l'espace"))
        self.state.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(2)
        layout.addWidget(self.name)
        layout.addWidget(self.summary)
        layout.addWidget(self.state)

    def set_state(self, state: SpaceState | None, day: dt.date) -> None:
        self.state.setText(state_text(state, day))
        self.state.setStyleSheet(f"color: {state_colour(state)};")


class _EndDate(QWidget):
    """« Sans date de fin » (until further notice) or a last day, included. Unticking the
    box proposes a year's stay from the start, which the user may change."""

    def __init__(self, start_field: DateInput, end: dt.date | None) -> None:
        super().__init__()
        self.start_field = start_field
        self.open_ended = QCheckBox(_("Sans date de fin (jusqu'à nouvel ordre)"))
        self.open_ended.setAccessibleName(_("Sans date de fin"))
        self.edit = date_input(_("Date de fin"), end)
        self.open_ended.setChecked(end is None)
        self._toggled(end is None, focus=False)
        self.open_ended.toggled.connect(self._toggled)

    def _toggled(self, open_ended: bool, focus: bool = True) -> None:
        self.edit.setEnabled(not open_ended)
        if open_ended:
            self.edit.clear()
            self.edit.setPlaceholderText(_("jusqu'à nouvel ordre"))
            return
        self.edit.setPlaceholderText(_("jj/mm/aaaa"))
        if not self.edit.text().strip():
            start = self.start_field.value()
            if start is not None:
                self.edit.set_date(next_year_eve(start))
        if focus:
            self.edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.edit.selectAll()

    def value(self) -> dt.date | None:
        """None: no end; else the last day (a ValidationError next to "end" when it is
        missing or unreadable)."""
        if self.open_ended.isChecked():
            return None
        day = self.edit.date(field="end")
        if day is None:
            raise ValidationError(_("Indiquez le dernier jour, ou cochez « Sans date de "
                                    "fin »."), field="end")
        return day


def _required(field: DateInput, name: str, message: str) -> dt.date:
    day = field.date(field=name)
    if day is None:
        raise ValidationError(message, field=name)
    return day


class AssignmentDialog(QDialog):
    """See the module's docstring. After an accepted exec(): `outcome` is "assigned",
    "updated", "ended", "moved" or "deleted"; `assignment_id` the assignment written (the
    new one after a move; None after a deletion); `done_message` a sentence for the
    screen's banner."""

    def __init__(self, services, tasks, *, space_id: int, organisation_id: int | None = None,
                 start: dt.date | None = None, assignment_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.space_id = space_id
        self.organisation_id = organisation_id
        self.assignment_id = assignment_id
        self.outcome: str | None = None
        self.done_message = ""
        self.today = today(services)
        self.may_write = allowed(services.ctx.actor.role, Area.DESKS, Access.WRITE)
        self.space = services.spaces.space(space_id=space_id)
        self.parent_space = (services.spaces.space(space_id=self.space.parent_id)
                             if self.space.parent_id is not None else None)
        self.is_office = self.space.kind is SpaceKind.OFFICE

        self.header = _SpaceHeader(self.space, self.parent_space)
        self.banner = QLabel()
        self.banner.setObjectName("assignmentBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setAccessibleName(_("Message de l'attribution"))
        self.banner.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        self.setMinimumWidth(520)
        if assignment_id is None:
            self._build_create(layout, start or self.today)
        else:
            self._build_manage(layout)

    # --- shared -------------------------------------------------------------------------

    def refusal(self) -> str:
        """What the banner says ("" when hidden)."""
        return self.banner.text() if not self.banner.isHidden() else ""

    def _say(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        if text:  # room for the message, the fields keeping their height
            self.layout().activate()
            needed = self.sizeHint().height()
            if self.height() < needed:
                self.resize(self.width(), needed)

    def _refused(self, errors: FormErrors, exc: MaisonError) -> None:
        """A field's error under the field; anything else (a conflict…) in the banner."""
        if isinstance(exc, ValidationError) and errors.show(exc):
            self._say("")
            return
        errors.clear()
        self._say(exc.message)

    def _state_on(self, day: dt.date) -> SpaceState | None:
        plan = self.services.spaces.floor_plan(floor=self.space.floor, day=day)
        return next((st for st in plan.spaces if st.space.id == self.space_id), None)

    def _done(self, outcome: str, message: str, assignment_id: int | None) -> None:
        self.outcome = outcome
        self.done_message = message
        self.assignment_id = assignment_id
        self.accept()

    # --- create mode ------------------------------------------------------------------------

    def _build_create(self, layout: QVBoxLayout, start: dt.date) -> None:
        title = _("Attribuer « {space} »").format(space=self.space.name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.picker: HolderSearch | None = None
        if self.organisation_id is not None:
            try:
                name = self.services.members.organisation(
                    organisation_id=self.organisation_id).name
            except NotFound as exc:
                name = "—"
                self._say(exc.message)
            self.holder_label = QLabel(name)
            font = self.holder_label.font()
            font.setBold(True)
            self.holder_label.setFont(font)
            self.errors.add_row(form, _("Structure"), "holder", self.holder_label,
                                _("Structure à installer"))
        else:
            self.picker = HolderSearch(self.services, self.tasks, draggable=False)
            self.picker.view.setMinimumHeight(150)
            self.errors.add_row(form, _("Structure"), "holder", self.picker,
                                _("Structure à installer"))

        self.start = date_input(_("Date de début"), start)
        self.errors.add_row(form, _("Début"), "start", self.start, _("Date de début"))
        self.end = _EndDate(self.start, None)
        form.addRow(_("Fin"), self.end.open_ended)
        self.errors.add_row(form, _("Dernier jour"), "end", self.end.edit, _("Date de fin"))

        self.seats: QSpinBox | None = None
        if self.is_office:
            self.seats = QSpinBox()
            self.seats.setRange(1, max(self.space.capacity, 1))
            self.seats.setSuffix(" " + _("pers."))
            self.seats.setMaximumWidth(120)
            self.errors.add_row(form, _("Places"), "seats", self.seats,
                                _("Places occupées"))
            note = QLabel(_("Personnes de la structure installées dans ce bureau (il en "
                            "accueille {n} au plus).").format(n=self.space.capacity))
            note.setWordWrap(True)
            note.setStyleSheet(NOTE_STYLE)
            form.addRow("", note)

        self.notes = QLineEdit()
        self.notes.setPlaceholderText(_("par exemple : convention en cours de signature"))
        self.errors.add_row(form, _("Notes"), "notes", self.notes, _("Notes de l'attribution"))

        buttons, self.ok_button = dialog_buttons(self, _("Attribuer"), self.assign)
        self.ok_button.setEnabled(self.may_write and self.space.kind.allocatable)
        if not self.space.kind.allocatable:
            self._say(_("« {name} » ne s'attribue pas : seuls les bureaux et les postes de "
                        "travail s'attribuent.").format(name=self.space.name))
        elif not self.may_write:
            self._say(_("Consultation seule : l'attribution des bureaux revient à "
                        "l'incubation et à l'administration."))

        layout.addLayout(form)
        layout.addWidget(buttons)

        self._state_timer = QTimer(self, singleShot=True, interval=STATE_DELAY_MS)
        self._state_timer.timeout.connect(self.update_state)
        self.start.textChanged.connect(lambda _t: self._state_timer.start())
        self.update_state()
        if self.seats is not None:
            st = self._state_on(start)
            self.seats.setValue(max(1, self.space.capacity - (st.seats_taken if st else 0)))
        (self.picker or self.start).setFocus(Qt.FocusReason.OtherFocusReason)

    def update_state(self) -> None:
        """The state of the space on the start day (after the start date changed)."""
        day = self.start.value()
        if day is not None:
            self.header.set_state(self._state_on(day), day)

    def chosen_organisation(self) -> tuple[int, str] | None:
        if self.organisation_id is not None:
            return self.organisation_id, self.holder_label.text()
        chosen = self.picker.chosen() if self.picker else None
        return (chosen.organisation_id, chosen.name) if chosen else None

    def assign(self) -> None:
        self.errors.clear()
        chosen = self.chosen_organisation()
        try:
            start = _required(self.start, "start", _("Indiquez la date de début."))
            end = self.end.value()
            new_id = self.services.spaces.assign(
                space_id=self.space_id, start=start, end=end,
                organisation_id=chosen[0] if chosen else None,
                seats=self.seats.value() if self.seats is not None else 1,
                notes=self.notes.text())
        except MaisonError as exc:
            self._refused(self.errors, exc)
            return
        self._done("assigned", _("« {space} » attribué à {holder} {period}.").format(
            space=self.space.name, holder=chosen[1] if chosen else "",
            period=period_text(start, end)), new_id)

    # --- manage mode ------------------------------------------------------------------------

    def _build_manage(self, layout: QVBoxLayout) -> None:
        title = _("Attribution de « {space} »").format(space=self.space.name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.record = next((a for a in self.services.spaces.history(space_id=self.space_id)
                            if a.id == self.assignment_id), None)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.pages: dict[str, QWidget] = {}
        self.primary: dict[str, QPushButton] = {}
        self.page_errors: dict[str, FormErrors] = {}

        self.back_button = _button(_("Retour"), self.show_overview)
        self.back_button.setToolTip(_("Revenir à l'attribution sans rien changer (Échap)"))
        self.history_button = _button(_("Historique…"), self.show_history,
                                      _("Historique de l'espace"))
        self.history_button.setToolTip(_("Toutes les attributions de cet espace"))
        close = _button(_("Fermer"), self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addWidget(self.history_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout.addLayout(bottom)

        if self.record is None:
            self._say(_("Cette attribution n'existe plus."))
            self.header.set_state(self._state_on(self.today), self.today)
            self.stack.addWidget(QWidget())
            self.back_button.setVisible(False)
            return
        self.header.set_state(self._state_on(self.today), self.today)
        self._add_page("overview", self._overview_page())
        self._add_page("dates", self._dates_page())
        self._add_page("end", self._end_page())
        self._add_page("move", self._move_page())
        self.show_overview()

    def _add_page(self, name: str, page: QWidget) -> None:
        self.pages[name] = page
        self.stack.addWidget(page)

    def _overview_page(self) -> QWidget:
        a = self.record
        page = QWidget()
        form = QFormLayout()
        holder = QLabel(a.holder)
        font = holder.font()
        font.setBold(True)
        holder.setFont(font)
        holder.setAccessibleName(_("Titulaire"))
        form.addRow(_("Structure"), holder)
        period = QLabel(period_text(a.start, a.end))
        period.setAccessibleName(_("Période"))
        period.setWordWrap(True)
        form.addRow(_("Période"), period)
        status = QLabel(status_of(a, self.today))
        status.setAccessibleName(_("Statut"))
        form.addRow(_("Statut"), status)
        if self.is_office:
            seats = QLabel(seats_text(a.seats))
            seats.setAccessibleName(_("Places occupées"))
            form.addRow(_("Places"), seats)
        if a.notes:
            notes = QLabel(a.notes)
            notes.setWordWrap(True)
            notes.setAccessibleName(_("Notes de l'attribution"))
            form.addRow(_("Notes"), notes)

        self.dates_button = _button(_("Modifier les dates…"), lambda: self.show_page("dates"))
        self.dates_button.setToolTip(_("Prolonger ou raccourcir l'attribution, changer les "
                                       "places ou les notes"))
        self.end_button = _button(_("Terminer…"), lambda: self.show_page("end"))
        self.end_button.setToolTip(_("La structure quitte l'espace : fixer son dernier jour"))
        self.move_button = _button(_("Déménager…"), lambda: self.show_page("move"))
        self.move_button.setToolTip(_("La structure change de bureau ou de poste à partir "
                                      "d'une date"))
        self.delete_button = _button(_("Supprimer"), self.delete, _("Supprimer l'attribution"))
        self.delete_button.setToolTip(_("Pour une attribution saisie par erreur : "
                                        "l'historique n'en garde pas trace"))
        actions = QHBoxLayout()
        for b in (self.dates_button, self.end_button, self.move_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.delete_button)
        if not self.may_write:
            for b in (self.dates_button, self.end_button, self.move_button, self.delete_button):
                b.setEnabled(False)
                b.setToolTip(_("Consultation seule : l'attribution des bureaux revient à "
                               "l'incubation et à l'administration."))

        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        v.addLayout(form)
        v.addStretch(1)
        v.addLayout(actions)
        return page

    def _page(self, name: str, intro: str, ok: str, slot) -> tuple[QWidget, QFormLayout,
                                                                    FormErrors]:
        page = QWidget()
        label = QLabel(intro)
        label.setWordWrap(True)
        label.setStyleSheet(NOTE_STYLE)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        button = QPushButton(ok)
        button.setAccessibleName(ok)
        button.clicked.connect(slot)
        self.primary[name] = button
        errors = FormErrors()
        self.page_errors[name] = errors
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(button)
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(label)
        v.addLayout(form)
        v.addStretch(1)
        v.addLayout(row)
        return page, form, errors

    def _dates_page(self) -> QWidget:
        a = self.record
        page, form, errors = self._page(
            "dates", _("Prolongez ou raccourcissez l'attribution de {holder}. Pour un départ, "
                       "« Terminer… » suffit.").format(holder=a.holder),
            _("Enregistrer les dates"), self.update_dates)
        self.edit_start = date_input(_("Date de début"), a.start)
        errors.add_row(form, _("Début"), "start", self.edit_start, _("Date de début"))
        self.edit_end = _EndDate(self.edit_start, a.end)
        form.addRow(_("Fin"), self.edit_end.open_ended)
        errors.add_row(form, _("Dernier jour"), "end", self.edit_end.edit, _("Date de fin"))
        self.edit_seats: QSpinBox | None = None
        if self.is_office:
            self.edit_seats = QSpinBox()
            self.edit_seats.setRange(1, max(self.space.capacity, a.seats, 1))
            self.edit_seats.setValue(a.seats)
            self.edit_seats.setSuffix(" " + _("pers."))
            self.edit_seats.setMaximumWidth(120)
            errors.add_row(form, _("Places"), "seats", self.edit_seats, _("Places occupées"))
        self.edit_notes = QLineEdit(a.notes or "")
        errors.add_row(form, _("Notes"), "notes", self.edit_notes, _("Notes de l'attribution"))
        return page

    def _end_page(self) -> QWidget:
        a = self.record
        page, form, errors = self._page(
            "end", _("{holder} quitte « {space} » : son dernier jour (inclus) dans "
                     "l'espace.").format(holder=a.holder, space=self.space.name),
            _("Terminer l'attribution"), self.end_now)
        self.last_day = date_input(_("Dernier jour"), max(self.today, a.start))
        errors.add_row(form, _("Dernier jour"), "end", self.last_day, _("Dernier jour"))
        return page

    def _move_page(self) -> QWidget:
        a = self.record
        page, form, errors = self._page(
            "move", _("{holder} s'installe ailleurs à partir d'une date : son attribution ici "
                      "se termine la veille, la nouvelle garde la même fin ({end}).").format(
                holder=a.holder, end=_("jusqu'à nouvel ordre") if a.end is None
                else format_date(a.end)),
            _("Confirmer le déménagement"), self.move)
        self.destination = QComboBox()
        self.destination.setPlaceholderText(_("Choisissez un bureau ou un poste"))
        for sp in self.services.spaces.spaces(include_inactive=False):
            if sp.kind.allocatable and sp.id != self.space_id:
                details = [floor_label(sp.floor)]
                if sp.kind is SpaceKind.OFFICE:
                    details.append(seats_text(sp.capacity))
                self.destination.addItem(_("{name} — {details}").format(
                    name=sp.name, details=", ".join(details)), sp.id)
        self.destination.setCurrentIndex(-1)
        errors.add_row(form, _("Vers"), "space", self.destination, _("Nouvel espace"))
        self.move_on = date_input(_("Date du déménagement"), max(self.today, a.start))
        errors.add_row(form, _("À partir du"), "on", self.move_on, _("Date du déménagement"))
        return page

    def show_page(self, name: str) -> None:
        self._say("")
        for errors in self.page_errors.values():
            errors.clear()
        self.stack.setCurrentWidget(self.pages[name])
        self.back_button.setVisible(name != "overview")
        self.history_button.setVisible(name == "overview")
        for page, button in self.primary.items():
            button.setDefault(page == name)
            button.setAutoDefault(page == name)
        first = {"dates": getattr(self, "edit_start", None),
                 "end": getattr(self, "last_day", None),
                 "move": getattr(self, "destination", None)}.get(name)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        elif name == "overview":
            self.dates_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_overview(self) -> None:
        self.show_page("overview")

    def current_page(self) -> str:
        widget = self.stack.currentWidget()
        return next((n for n, p in self.pages.items() if p is widget), "")

    def reject(self) -> None:
        """Escape on an action's page comes back to the assignment; on it, closes."""
        if self.assignment_id is not None and self.current_page() not in ("overview", ""):
            self.show_overview()
            return
        super().reject()

    def update_dates(self) -> None:
        a = self.record
        try:
            start = _required(self.edit_start, "start", _("Indiquez la date de début."))
            end = self.edit_end.value()
            self.services.spaces.update_assignment(
                assignment_id=a.id, start=start, end=end,
                seats=self.edit_seats.value() if self.edit_seats is not None else a.seats,
                notes=self.edit_notes.text())
        except MaisonError as exc:
            self._refused(self.page_errors["dates"], exc)
            return
        self._done("updated", _("{holder} : « {space} » {period}.").format(
            holder=a.holder, space=self.space.name, period=period_text(start, end)), a.id)

    def end_now(self) -> None:
        a = self.record
        try:
            end = _required(self.last_day, "end", _("Indiquez le dernier jour."))
            self.services.spaces.end_assignment(assignment_id=a.id, end=end)
        except MaisonError as exc:
            self._refused(self.page_errors["end"], exc)
            return
        self._done("ended", _("{holder} quitte « {space} » le {day} au soir.").format(
            holder=a.holder, space=self.space.name, day=format_date(end)), a.id)

    def move(self) -> None:
        a = self.record
        errors = self.page_errors["move"]
        try:
            on = _required(self.move_on, "on", _("Indiquez la date du déménagement."))
            target = self.destination.currentData()
            if target is None:
                raise ValidationError(_("Choisissez le bureau ou le poste où la structure "
                                        "s'installe."), field="space")
            new_id = self.services.spaces.move_assignment(assignment_id=a.id, space_id=target,
                                                          on=on)
        except MaisonError as exc:
            self._refused(errors, exc)
            return
        name = self.destination.currentText().split(" — ")[0]
        self._done("moved", _("{holder} s'installe dans « {space} » à partir du {day}.").format(
            holder=a.holder, space=name, day=format_date(max(on, a.start))), new_id)

    def delete(self) -> None:
        a = self.record
        if not messages.confirm(
                self, _("Supprimer l'attribution de « {space} » à {holder} ({period}) ?\n\n"
                        "Seulement pour une attribution saisie par erreur : elle disparaît de "
                        "l'historique et des taux d'occupation. Pour un départ, utilisez "
                        "« Terminer… ».").format(space=self.space.name, holder=a.holder,
                                                 period=period_text(a.start, a.end)),
                title=_("Supprimer l'attribution"), yes=_("Supprimer"), destructive=True):
            return
        try:
            self.services.spaces.delete_assignment(assignment_id=a.id)
        except MaisonError as exc:
            self._say(exc.message)
            return
        self._done("deleted", _("Attribution de « {space} » à {holder} supprimée.").format(
            space=self.space.name, holder=a.holder), None)

    def show_history(self) -> None:
        from maison_app.views.spaces.history_dialog import HistoryDialog

        HistoryDialog(self.services, space_id=self.space_id, parent=self).exec()

