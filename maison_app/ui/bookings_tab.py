"""The "Réservations" tab of the settings: when the house opens (hours and days), whether
it closes on public holidays, how long an option holds a room, the conditions printed on
the booking confirmation, and the closures of the house (summer break, Christmas…).

Like the other tabs of the dialog, the hours, days, holidays, option lifetime and
conditions are written by "Enregistrer" (`BookingsService.save_settings`) and thrown away by
"Annuler"; a refusal is shown under its field. The closures are different: each one added,
changed or deleted through its own small dialog is saved at once
(`save_closure` / `delete_closure`), as the hint under the list says. Without the right to
change the settings, the tab is read-only.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.bookings import BookingSettings, Closure, public_holidays
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.i18n import PARIS, _, format_date, ngettext
from maison_app.ui import messages
from maison_app.ui.common import pydate, qdate
from maison_app.ui.forms import FieldWithError, FormErrors, dialog_buttons
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import (
    Column,
    RecordTableModel,
    record_table,
    select_record,
)
from maison_app.ui.table_with_buttons import table_with_buttons

HINT_STYLE = "color: #444; font-size: 90%;"
MIN_OPTION_DAYS, MAX_OPTION_DAYS = 1, 90
MAX_CLOSURE_LABEL = 200
HOLIDAY_ROWS = 5  # the list of public holidays shows so many lines, and scrolls
HOLIDAYS_WIDTH = 300
CLOSURE_ROWS = 4  # at least, in the list of closures
CONDITIONS_HEIGHT = 84
FIRST_DAY, LAST_DAY = QDate(2000, 1, 1), QDate(2100, 12, 31)

def _weekdays() -> tuple[tuple[str, str], ...]:
    """(short label, full name) of each day, Monday first (BookingSettings.weekdays counts
    Monday as 0), in the current language."""
    return (
        (_("lun."), _("lundi")), (_("mar."), _("mardi")), (_("mer."), _("mercredi")),
        (_("jeu."), _("jeudi")), (_("ven."), _("vendredi")), (_("sam."), _("samedi")),
        (_("dim."), _("dimanche")),
    )


def _hint(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    label.setAccessibleName(name)
    return label


def qtime(value: dt.time) -> QTime:
    return QTime(value.hour, value.minute)


def pytime(value: QTime) -> dt.time:
    return dt.time(value.hour(), value.minute())


def day_text(day: dt.date) -> str:
    """"lun. 3 août 2026"."""
    return format_date(day, "EEE d MMMM y")


def short_day_text(day: dt.date) -> str:
    """"jeu. 24 déc. 2026"."""
    return format_date(day, "EEE d MMM y")


def days_text(closure: Closure) -> str:
    n = (closure.end - closure.start).days + 1
    return ngettext("{n} jour", "{n} jours", n).format(n=n) if n > 0 else ""


class _RowCapture:
    """Stands in for a QFormLayout in FormErrors.add_row: the slot it makes is placed by
    hand, its error still shown by field name."""

    def addRow(self, label: str, widget: QWidget) -> None:  # noqa: N802 - Qt's name
        pass


class _Group(QFrame):
    """Fields that share one error message (the hours, the seven days): an error frames
    the group, not each field (a style sheet without a selector would reach every widget
    inside)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        box = QHBoxLayout(self)
        box.setContentsMargins(2, 2, 2, 2)

    def setStyleSheet(self, sheet: str) -> None:  # noqa: N802 - Qt's name
        super().setStyleSheet(f"QFrame#{self.objectName()} {{ {sheet} }}" if sheet else "")


class _ConditionsEdit(QPlainTextEdit):
    """The conditions: a modest preferred height, so the tab fits on a laptop screen; it
    grows with the dialog."""

    def sizeHint(self):  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        hint.setHeight(CONDITIONS_HEIGHT)
        return hint


def _date_edit(day: dt.date, name: str) -> QDateEdit:
    edit = QDateEdit(qdate(day))
    edit.setAccessibleName(name)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    edit.setMinimumDate(FIRST_DAY)
    edit.setMaximumDate(LAST_DAY)
    edit.setMinimumWidth(130)
    edit.findChild(QLineEdit).setAccessibleName(name)
    return edit


class ClosureDialog(QDialog):
    """A new closure, or the days and reason of one. Saved at once through `submit`
    (`BookingsService.save_closure`): a refusal is shown under its field and the dialog
    stays open with what was typed."""

    def __init__(self, title: str, ok_label: str, closure: Closure, submit, parent=None) -> None:
        super().__init__(parent)
        self.closure = closure
        self.submit = submit  # Closure -> id
        self.saved_id: int | None = None
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(440)
        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.start = _date_edit(closure.start, _("Premier jour de fermeture"))
        self.end = _date_edit(closure.end, _("Dernier jour de fermeture"))
        self.label = QLineEdit(closure.label)
        self.label.setMaxLength(MAX_CLOSURE_LABEL + 20)  # longer is refused with a message
        self.label.setPlaceholderText(_("par exemple : Fermeture estivale"))
        for name, label, accessible, field in (
            ("start", _("Du"), _("Premier jour de fermeture"), self.start),
            ("end", _("Au (inclus)"), _("Dernier jour de fermeture"), self.end),
            ("label", _("Motif *"), _("Motif de la fermeture"), self.label),
        ):
            slot = self.errors.add_row(form, label, name, field, accessible)
            if field is not self.label:  # the date keeps its width; its error the line's
                slot.layout().setAlignment(field, Qt.AlignmentFlag.AlignLeft)
        self.start.dateChanged.connect(self._start_changed)
        self.end.dateChanged.connect(lambda _d: self._show_length())
        self.length = _hint("", _("Durée de la fermeture"))
        buttons, self.ok_button = dialog_buttons(self, ok_label, self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.length)
        layout.addWidget(_hint(
            _("Les deux jours sont compris. La maison est fermée ces jours-là : aucune "
              "réservation n'y est acceptée et les séries les sautent. Le motif est affiché "
              "dans le calendrier et dans les messages."),
            _("À propos des fermetures")))
        layout.addWidget(buttons)
        self._show_length()
        self.label.setFocus(Qt.FocusReason.OtherFocusReason)

    def _start_changed(self, day: QDate) -> None:
        if self.end.date() < day:  # a closure does not end before it starts: follow
            self.end.setDate(day)
        self._show_length()

    def _show_length(self) -> None:
        start, end = pydate(self.start.date()), pydate(self.end.date())
        self.length.setText(_("Fermeture de {days}.").format(
            days=days_text(Closure(None, start, end, ""))) if end >= start else "")

    def value(self) -> Closure:
        return Closure(id=self.closure.id, start=pydate(self.start.date()),
                       end=pydate(self.end.date()), label=" ".join(self.label.text().split()))

    def accept(self) -> None:  # noqa: D102 - Qt override: save, or stay open
        self.errors.clear()
        try:
            self.saved_id = self.submit(self.value())
        except ValidationError as error:
            if not self.errors.show(error):
                messages.warn(self, error.message)
            return
        except MaisonError as error:
            messages.show_error(self, error)
            return
        super().accept()


class BookingsSettingsTab(QWidget):
    """Needs `services.bookings`. `editable`: may this user change the settings?"""

    grew = Signal()  # an error message appeared: the dialog makes room for it

    # the service's field names (ValidationError.field) -> this tab's slots
    FIELD_ALIASES: ClassVar[dict[str, str]] = {"opens": "closes", "hours": "closes", "opening_hours": "closes",
                     "days": "weekdays", "option": "option_days"}

    def __init__(self, bookings, *, editable: bool, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bookings = bookings
        self.editable = editable
        self.loaded: BookingSettings = bookings.settings()
        self._closures: list[Closure] = list(bookings.closures())
        if today is None:
            ctx = getattr(bookings, "ctx", None)
            today = (ctx.now().astimezone(PARIS).date() if ctx is not None
                     else dt.datetime.now(PARIS).date())
        self.today = today
        self.errors = FormErrors()
        self._slots: dict[str, FieldWithError] = {}
        self._build()
        self.show_settings(self.loaded)
        self._show_closures()

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        if not self.editable:
            layout.addWidget(_hint(
                _("Seule l'administration peut modifier les réglages des réservations."),
                _("Réglages des réservations en lecture seule")))
        layout.addWidget(self._build_opening())
        layout.addWidget(self._build_rules(), 1)  # the conditions grow with the dialog
        layout.addWidget(self._build_closures())

    def _button(self, text: str, name: str, slot, tip: str = "") -> QPushButton:
        b = QPushButton(text)
        b.setAccessibleName(name)
        if tip:
            b.setToolTip(tip)
        b.clicked.connect(slot)
        return b

    def _slot(self, name: str, label: str, accessible: str, field: QWidget) -> FieldWithError:
        slot = self.errors.add_row(_RowCapture(), label, name, field, accessible)  # type: ignore[arg-type]
        self._slots[name] = slot
        return slot

    def _time_edit(self, accessible: str) -> QTimeEdit:
        edit = QTimeEdit()
        edit.setDisplayFormat("HH:mm")
        edit.setReadOnly(not self.editable)
        edit.setMinimumWidth(80)
        edit.findChild(QLineEdit).setAccessibleName(accessible)
        return edit

    def _build_opening(self) -> QGroupBox:
        box = QGroupBox(_("Ouverture de la maison"))
        # the hours: "[08:00] à [19:00]", one message under both (opening or closing
        # hour: it is about the two)
        self.opens = self._time_edit(_("Heure d'ouverture"))
        self.closes = self._time_edit(_("Heure de fermeture"))
        self.hours_box = _Group("hours")
        hours_row = self.hours_box.layout()
        until = QLabel(_("à"))
        until.setBuddy(self.closes)
        for widget in (self.opens, until, self.closes):
            hours_row.addWidget(widget)
        hours_row.addStretch(1)
        hours_slot = self._slot("closes", _("Horaires"), _("Horaires d'ouverture"),
                                self.hours_box)
        self._slots["opens"] = hours_slot
        self.opens.setAccessibleName(_("Heure d'ouverture"))
        self.closes.setAccessibleName(_("Heure de fermeture"))
        self.hours_box.setFocusProxy(self.closes)  # an error: the closing hour to change
        hours_label = QLabel(_("Horaires"))
        hours_label.setBuddy(self.opens)

        # the days: seven boxes in a row
        self.days_box = _Group("weekdays")
        days_row = self.days_box.layout()
        self.day_boxes: list[QCheckBox] = []
        for short, full in _weekdays():
            check = QCheckBox(short)
            check.setAccessibleName(_("Ouvert le {day}").format(day=full))
            check.setToolTip(_("La maison ouvre le {day}").format(day=full))
            check.setEnabled(self.editable)
            self.day_boxes.append(check)
            days_row.addWidget(check)
        days_row.addStretch(1)
        days_slot = self._slot("weekdays", _("Jours d'ouverture"), _("Jours d'ouverture"),
                               self.days_box)
        for slot, group in ((hours_slot, self.hours_box), (days_slot, self.days_box)):
            slot.layout().setAlignment(group, Qt.AlignmentFlag.AlignLeft)
        self.days_box.setFocusProxy(self.day_boxes[0])
        days_label = QLabel(_("Jours d'ouverture"))
        days_label.setBuddy(self.day_boxes[0])

        # the public holidays: the box, and what it means this year and the next
        self.skip_holidays = QCheckBox(_("Fermer les jours fériés"))
        self.skip_holidays.setAccessibleName(_("Fermer les jours fériés"))
        self.skip_holidays.setEnabled(self.editable)
        self.skip_holidays.toggled.connect(self._holidays_toggled)
        holidays_slot = self._slot("skip_public_holidays", _("Jours fériés"),
                                   _("Fermer les jours fériés"), self.skip_holidays)
        holidays_slot.layout().setAlignment(self.skip_holidays, Qt.AlignmentFlag.AlignLeft)
        self.holidays_model: RecordTableModel[tuple[dt.date, str]] = RecordTableModel([
            Column(_("Date"), lambda h: short_day_text(h[0]), sort_key=lambda h: h[0],
                   tooltip=lambda h: day_text(h[0])),
            Column(_("Jour férié"), lambda h: h[1]),
        ], parent=self)
        self.holidays_table, _proxy = record_table(
            _("Jours fériés de {first} et {second}").format(
                first=self.today.year, second=self.today.year + 1),
            self.holidays_model, sortable=False, proxy=False, widths=(130,))
        self.holidays_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.holidays_table.setSelectionMode(self.holidays_table.SelectionMode.NoSelection)
        self.holidays_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.holidays_table.verticalHeader().setDefaultSectionSize(
            self.holidays_table.fontMetrics().height() + 6)
        holidays = sorted({**public_holidays(self.today.year),
                           **public_holidays(self.today.year + 1)}.items())
        self.holidays_model.set_records(holidays)
        header = self.holidays_table.horizontalHeader().sizeHint().height()
        row = self.holidays_table.verticalHeader().defaultSectionSize()
        self.holidays_table.setFixedHeight(header + HOLIDAY_ROWS * row
                                           + 2 * self.holidays_table.frameWidth())
        self.holidays_table.setFixedWidth(HOLIDAYS_WIDTH)
        # the next one at the top (once shown: the view has no height before); the past
        # ones of this year are a scroll away
        self._coming_holiday = next(
            (i for i, (day, _name) in enumerate(holidays) if day >= self.today), 0)
        self._scrolled_to_coming = False

        holidays_side = QVBoxLayout()
        holidays_side.setContentsMargins(0, 0, 0, 0)
        holidays_side.addWidget(self._slots["skip_public_holidays"])
        below = QHBoxLayout()
        below.addWidget(self.holidays_table, 0, Qt.AlignmentFlag.AlignTop)
        below.addWidget(_hint(
            _("Cochée, la maison est fermée ces jours-là : aucune réservation n'y est "
              "acceptée et les séries de réservations les sautent."),
            _("À propos des jours fériés")), 1, Qt.AlignmentFlag.AlignTop)
        holidays_side.addLayout(below)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(hours_label, hours_slot)
        form.addRow(days_label, days_slot)
        holidays_label = QLabel(_("Jours fériés"))
        holidays_label.setBuddy(self.skip_holidays)
        form.addRow(holidays_label, holidays_side)
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(form)
        box_layout.addWidget(_hint(
            _("Le calendrier grise les autres heures et les autres jours : on peut encore y "
              "réserver (un événement un samedi), avec un avertissement."),
            _("À propos des horaires")))
        return box

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._scrolled_to_coming:
            self._scrolled_to_coming = True
            self.holidays_table.scrollTo(self.holidays_model.index(self._coming_holiday, 0),
                                         self.holidays_table.ScrollHint.PositionAtTop)

    def _build_rules(self) -> QGroupBox:
        box = QGroupBox(_("Options et confirmations"))
        self.option_days = QSpinBox()
        self.option_days.setRange(MIN_OPTION_DAYS, MAX_OPTION_DAYS)
        self.option_days.setSuffix(_(" jours"))
        self.option_days.setReadOnly(not self.editable)
        option_slot = self._slot("option_days", _("Durée d'une option"),
                                 _("Durée d'une option en jours"), self.option_days)
        option_slot.layout().setAlignment(self.option_days, Qt.AlignmentFlag.AlignLeft)
        self.option_days.findChild(QLineEdit).setAccessibleName(
            self.option_days.accessibleName())
        option_row = QHBoxLayout()
        option_row.setContentsMargins(0, 0, 0, 0)
        option_row.addWidget(option_slot, 0, Qt.AlignmentFlag.AlignTop)
        option_hint = _hint(_("sans confirmation, la salle est libérée après ce délai"),
                            _("À propos de la durée d'une option"))
        option_hint.setMinimumHeight(self.option_days.sizeHint().height())
        option_row.addWidget(option_hint, 1, Qt.AlignmentFlag.AlignTop)

        self.conditions = _ConditionsEdit()
        self.conditions.setTabChangesFocus(True)
        self.conditions.setReadOnly(not self.editable)
        self.conditions.setMinimumHeight(CONDITIONS_HEIGHT)
        if self.editable:
            self.conditions.setPlaceholderText(
                _("Annulation, rangement de la salle, remise des clés…"))
        conditions_slot = self._slot("conditions", _("Conditions"),
                                     _("Conditions imprimées sur la confirmation"),
                                     self.conditions)
        conditions_label = QLabel(_("Conditions"))
        conditions_label.setBuddy(self.conditions)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        option_label = QLabel(_("Durée d'une option"))
        option_label.setBuddy(self.option_days)
        form.addRow(option_label, option_row)
        form.addRow(conditions_label, conditions_slot)
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(form)
        box_layout.addWidget(_hint(
            _("Les conditions sont imprimées sur chaque confirmation de réservation."),
            _("À propos des conditions")))
        return box

    def _build_closures(self) -> QGroupBox:
        box = QGroupBox(_("Fermetures de la maison"))
        self.closures_model: RecordTableModel[Closure] = RecordTableModel([
            Column(_("Du"), lambda c: short_day_text(c.start), sort_key=lambda c: c.start,
                   tooltip=lambda c: day_text(c.start)),
            Column(_("Au"), lambda c: short_day_text(c.end), sort_key=lambda c: c.end,
                   tooltip=lambda c: day_text(c.end)),
            Column(_("Durée"), days_text,
                   align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            Column(_("Motif"), lambda c: c.label),
        ], parent=self)
        self.closures_table, _proxy = record_table(
            _("Fermetures de la maison"), self.closures_model, sortable=False, proxy=False,
            widths=(118, 118, 62))
        self.closures_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.closures_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.closures_table.verticalHeader().setDefaultSectionSize(
            self.closures_table.fontMetrics().height() + 8)
        self.closures_table.selectionModel().currentRowChanged.connect(
            lambda *_args: self._update_buttons())
        self.closures_table.doubleClicked.connect(lambda _index: self.edit_closure())
        add_shortcuts(self.closures_table, [("Return", self.edit_closure),
                                            ("Enter", self.edit_closure),
                                            ("F2", self.edit_closure),
                                            ("Insert", self.add_closure),
                                            ("Delete", self.delete_closure)],
                      context=Qt.ShortcutContext.WidgetShortcut)
        self.add_button = self._button(_("Ajouter…"), _("Ajouter une fermeture"),
                                       self.add_closure, _("Ajouter (Inser)"))
        self.edit_button = self._button(_("Modifier…"), _("Modifier la fermeture"),
                                        self.edit_closure, _("Modifier (Entrée)"))
        self.delete_button = self._button(_("Supprimer"), _("Supprimer la fermeture"),
                                          self.delete_closure, _("Supprimer (Suppr)"))
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(table_with_buttons(
            self.closures_table, (self.add_button, self.edit_button, self.delete_button)))
        box_layout.addWidget(_hint(
            _("Vacances, ponts, travaux : les jours de fermeture, en plus des jours fériés. "
              "Une fermeture ajoutée, modifiée ou supprimée est enregistrée tout de suite, "
              "sans attendre « Enregistrer »."),
            _("À propos des fermetures")))
        return box

    # --- the settings ---------------------------------------------------------------------

    def show_settings(self, settings: BookingSettings) -> None:
        self.opens.setTime(qtime(settings.opens))
        self.closes.setTime(qtime(settings.closes))
        for day, check in enumerate(self.day_boxes):
            check.setChecked(day in settings.weekdays)
        self.skip_holidays.setChecked(settings.skip_public_holidays)
        self._holidays_toggled(settings.skip_public_holidays)
        self.option_days.setValue(settings.option_days)
        self.conditions.setPlainText(settings.conditions)

    def settings_from_form(self) -> BookingSettings:
        return BookingSettings(
            opens=pytime(self.opens.time()),
            closes=pytime(self.closes.time()),
            weekdays=tuple(d for d, check in enumerate(self.day_boxes) if check.isChecked()),
            skip_public_holidays=self.skip_holidays.isChecked(),
            option_days=self.option_days.value(),
            conditions=self.conditions.toPlainText(),
        )

    def _holidays_toggled(self, on: bool) -> None:
        self.holidays_table.setEnabled(on)  # greyed: these days are ordinary days then

    def show_error(self, error: ValidationError) -> bool:
        """The message under its field; False when not ours."""
        field = self.FIELD_ALIASES.get(error.field or "", error.field)
        if field != error.field:
            error = ValidationError(error.message, field=field)
        if not self.errors.show(error):
            return False
        self._slots[field].field.setFocus()
        self.grew.emit()
        return True

    # --- the closures (saved at once) -----------------------------------------------------

    def selected(self) -> Closure | None:
        index = self.closures_table.currentIndex()
        return self.closures_model.record(index.row()) if index.isValid() else None

    def closures(self) -> list[Closure]:
        """The closures as listed."""
        return self.closures_model.records()

    def _show_closures(self, select_id: int | None = None) -> None:
        if select_id is None and self.selected() is not None:
            select_id = self.selected().id
        self.closures_model.set_records(self._closures)
        if select_id is not None:
            select_record(self.closures_table, self.closures_model, lambda c: c.id == select_id)
            for row, c in enumerate(self._closures):
                if c.id == select_id:
                    self.closures_table.setCurrentIndex(self.closures_model.index(row, 0))
        rows = min(max(len(self._closures), CLOSURE_ROWS), 8) + 1  # a spare line: an end
        header = self.closures_table.horizontalHeader().sizeHint().height()
        row_height = self.closures_table.verticalHeader().defaultSectionSize()
        self.closures_table.setFixedHeight(
            header + rows * row_height + 2 * self.closures_table.frameWidth())
        self._update_buttons()

    def _reload_closures(self, select_id: int | None = None) -> None:
        try:
            self._closures = list(self.bookings.closures())
        except MaisonError as error:
            messages.show_error(self, error)
        self._show_closures(select_id)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.add_button.setEnabled(self.editable)
        self.edit_button.setEnabled(self.editable and chosen)
        self.delete_button.setEnabled(self.editable and chosen)

    def _ask(self, title: str, ok_label: str, closure: Closure) -> int | None:
        dialog = ClosureDialog(title, ok_label, closure, self.bookings.save_closure, self)
        try:
            return dialog.saved_id if dialog.exec() else None
        finally:
            dialog.setParent(None)  # gone with its last reference, not left in the tab
            dialog.deleteLater()

    def add_closure(self) -> None:
        if not self.editable:
            return
        saved = self._ask(_("Nouvelle fermeture"), _("Ajouter"),
                          Closure(id=None, start=self.today, end=self.today, label=""))
        if saved is not None:
            self._reload_closures(saved)

    def edit_closure(self) -> None:
        closure = self.selected()
        if closure is None or not self.editable:
            return
        saved = self._ask(_("Modifier la fermeture"), _("Valider"), closure)
        if saved is not None:
            self._reload_closures(saved)

    def delete_closure(self) -> None:
        closure = self.selected()
        if closure is None or not self.editable or closure.id is None:
            return
        if not messages.confirm(
                self, _("Supprimer la fermeture « {label} » ({start} – {end}) ? La maison "
                        "sera de nouveau ouverte ces jours-là.").format(
                    label=closure.label, start=format_date(closure.start, "full"),
                    end=format_date(closure.end, "full")),
                title=_("Supprimer la fermeture"), yes=_("Supprimer"), destructive=True):
            return
        try:
            self.bookings.delete_closure(closure_id=closure.id)
        except MaisonError as error:
            messages.show_error(self, error)
        self._reload_closures()

    # --- checking and saving (by the dialog's "Enregistrer") -------------------------------

    def check(self) -> bool:
        """What can be told before anything of the dialog is written: the house closes
        after it opens, on at least one day. False with the message under the field.
        (The service checks everything again when saving.)"""
        self.errors.clear()
        if not self.editable:
            return True
        wanted = self.settings_from_form()
        error = None
        if wanted.closes <= wanted.opens:
            error = ValidationError(
                _("L'heure de fermeture doit être après l'heure d'ouverture ({opens}).").format(
                    opens=wanted.opens.strftime("%H:%M")), field="closes")
        elif not wanted.weekdays:
            error = ValidationError(_("Cochez au moins un jour d'ouverture."),
                                    field="weekdays")
        if error is not None:
            self.show_error(error)
            return False
        return True

    def save(self) -> bool:
        """Write the settings if they changed. False when the service refused them (said
        under the field, or in a message)."""
        if not self.editable:
            return True
        wanted = self.settings_from_form()
        if wanted == self.loaded:
            return True
        try:
            self.loaded = self.bookings.save_settings(wanted)
        except ValidationError as error:
            if not self.show_error(error):
                messages.warn(self, error.message)
            return False
        except MaisonError as error:
            messages.show_error(self, error)
            return False
        return True
