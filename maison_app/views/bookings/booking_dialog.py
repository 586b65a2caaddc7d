"""The booking form: a new booking (from the calendar's mouse selection, prefilled with the
room and the times, or from « Nouvelle réservation… ») or the change of one.

The price is shown before saving, refreshed on every change through
`services.bookings.quote` (in the task runner): the amount, how it is computed, the
warnings (outside opening hours…). Until the person or the organisation is chosen, the
price shown is the non-member one, and says so. A refused value (the quote's or the
save's) is named under its field; a booking in the way is named under the form, and what
was typed stays.

A new booking may repeat every N weeks, until a date or for a number of times: the series
is planned first (`plan_series`) and, when some dates are closed or taken, the dates are
listed (SeriesPlanDialog) before booking the free ones. Changing a booking of a series asks
whether the change applies to it only or to the following ones too.

Keyboard: Tab goes through the fields; the times move by 15 minutes with Up/Down on the
minutes; dates are typed jj/mm/aaaa or chosen with Alt+Down; Enter saves (« Réserver »),
Escape closes (asking first when something was typed)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.bookings import (
    MAX_INTERVAL_WEEKS,
    MAX_OCCURRENCES,
    SLOT_MINUTES,
    Booker,
    BookingDraft,
    BookingRecord,
    Quote,
    Recurrence,
    SeriesPlan,
    series_dates,
)
from maison_app.domain.enums import BookingStatus, PriceBasis, SeriesScope
from maison_app.domain.errors import Conflict, MaisonError, ValidationError
from maison_app.domain.members import parse_euros
from maison_app.domain.spaces import SpaceRecord
from maison_app.domain.text import MIN_QUERY_LENGTH
from maison_app.i18n import PARIS, _, format_date, format_money, ngettext
from maison_app.ui import messages
from maison_app.ui.booker_picker import BookerPicker
from maison_app.ui.common import (
    DateInput,
    QuarterTimeEdit,
    amount_text,
    guarded,
    room_text,
    today,
)
from maison_app.ui.forms import PlacedFormErrors, dialog_buttons
from maison_app.views.bookings.series_dialog import (
    ScopeDialog,
    SeriesPlanDialog,
    hours_text,
    long_day,
)

QUOTE_DELAY_MS = 120
NOTE_STYLE = "color: #555;"
WARN_STYLE = "color: #8a5a00;"
ERROR_STYLE = "color: #b3261e;"
PRICE_STYLE = "font-size: 22px; font-weight: 700; color: #1f3d33;"
REFUSAL_STYLE = ("#bookingBanner { background: #fdecea; border: 1px solid #e0a19b; "
                 "border-radius: 4px; padding: 6px 8px; color: #5c1610; }")
DEFAULT_MINUTES = 60
DEFAULT_COUNT = 10

# the fields of the service's ValidationError, and the slot of this form each goes under
FIELD_SLOTS = {
    "space": "space_id", "space_id": "space_id", "room": "space_id",
    "day": "day", "date": "day",
    "start": "day", "end": "times", "times": "times", "minutes": "times",
    "title": "title",
    "booker": "booker", "organisation_id": "booker", "person_id": "booker",
    "contact_name": "contact_name", "contact_email": "contact_email",
    "contact_phone": "contact_phone", "contact": "contact_name",
    "attendees": "attendees",
    "status": "status", "option_until": "status",
    "notes": "notes",
    "price_override_cents": "price", "price_override": "price", "price": "price",
    "override_reason": "override_reason",
    "interval_weeks": "recurrence", "until": "recurrence", "count": "recurrence",
    "recurrence": "recurrence",
}


def paris_time(moment: dt.datetime) -> QTime:
    local = moment.astimezone(PARIS)
    return QTime(local.hour, local.minute)


def py_time(value: QTime) -> dt.time:
    return dt.time(value.hour(), value.minute())


def run_dialog(dialog: QDialog) -> bool:
    """A dialog opened from this form (the series plan, the scope); tests replace exec."""
    return dialog.exec() == QDialog.DialogCode.Accepted


# --- the dialog ------------------------------------------------------------------------------


class BookingDialog(QDialog):
    """A new booking (`booking_id` None; `space_id`, `start`, `end` prefill it) or the change
    of one. After an accepted dialog: `saved_ids` (the bookings written, the first one to
    show), `done_message` (what the screen says)."""

    quote_shown = Signal()  # after each price shown (tests wait for it)

    def __init__(self, services, tasks, *, booking_id: int | None = None,
                 space_id: int | None = None, start: dt.datetime | None = None,
                 end: dt.datetime | None = None, day: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.today = today(services)
        self.settings = services.bookings.settings()
        self.record: BookingRecord | None = (
            services.bookings.booking(booking_id=booking_id) if booking_id is not None else None)
        self.rooms: list[SpaceRecord] = list(services.bookings.rooms())
        if self.record is not None and self.record.space_id not in {r.id for r in self.rooms}:
            try:
                self.rooms.append(services.spaces.space(space_id=self.record.space_id))
            except MaisonError:
                pass
        self.saved_ids: tuple[int, ...] = ()
        self.saved_day: dt.date | None = None  # the day of the (first) booking written
        self.done_message = ""
        self.quote: Quote | None = None
        self._loading = True

        if self.record is not None:
            start, end = self.record.start, self.record.end
            space_id = self.record.space_id
        if start is None:
            first = day or self.today
            opens = self.settings.opens
            start = dt.datetime.combine(first, dt.time(max(opens.hour, 9) if first != self.today
                                                       else _next_slot_hour(services, opens)),
                                        tzinfo=PARIS)
        if end is None:
            end = start + dt.timedelta(minutes=DEFAULT_MINUTES)
        self._duration = max(SLOT_MINUTES, int((end - start).total_seconds() // 60))

        self.setAccessibleName(_("Réservation"))
        self.setWindowTitle(_("Nouvelle réservation") if self.record is None else
                            _("Réservation « {title} »").format(title=self.record.title))
        self._build(space_id, start, end)
        self._fill()
        self._loading = False
        self._snapshot = self.values()
        self._quote_timer = QTimer(self, singleShot=True, interval=QUOTE_DELAY_MS)
        self._quote_timer.timeout.connect(self.refresh_quote)
        self._connect()
        self.refresh_quote()
        self.title.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- layout --------------------------------------------------------------------------

    def _build(self, space_id: int | None, start: dt.datetime, end: dt.datetime) -> None:
        self.errors = PlacedFormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.room = QComboBox()
        for room in self.rooms:
            self.room.addItem(room_text(room), room.id)
        if space_id is not None and self.room.findData(space_id) >= 0:
            self.room.setCurrentIndex(self.room.findData(space_id))
        form.addRow(_("&Salle :"), self.errors.slot("space_id", self.room, _("Salle")))
        form.labelForField(self.errors._slots["space_id"]).setBuddy(self.room)

        self.day = DateInput(_("Date"), start.astimezone(PARIS).date())
        self.day_name = QLabel()
        self.day_name.setAccessibleName(_("Jour de la semaine"))
        self.day_name.setStyleSheet(NOTE_STYLE)
        day_row = QWidget()
        h = QHBoxLayout(day_row)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(self.day)
        h.addWidget(self.day_name, 1)
        day_slot = self.errors.slot("day", day_row, focus=self.day)
        self.day.setAccessibleName(_("Date"))
        form.addRow(_("&Date :"), day_slot)
        form.labelForField(day_slot).setBuddy(self.day)

        self.start = QuarterTimeEdit(paris_time(start))
        self.start.setAccessibleName(_("Heure de début"))
        self.end = QuarterTimeEdit(paris_time(end))
        self.end.setAccessibleName(_("Heure de fin"))
        self.duration = QLabel()
        self.duration.setAccessibleName(_("Durée"))
        self.duration.setStyleSheet(NOTE_STYLE)
        times = QWidget()
        h = QHBoxLayout(times)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(QLabel(_("de")))
        h.addWidget(self.start)
        h.addWidget(QLabel(_("à")))
        h.addWidget(self.end)
        h.addWidget(self.duration, 1)
        times_slot = self.errors.slot("times", times, focus=self.start)
        form.addRow(_("&Horaire :"), times_slot)
        form.labelForField(times_slot).setBuddy(self.start)

        self.title = QLineEdit()
        self.title.setMaxLength(200)
        self.title.setPlaceholderText(_("Conseil d'administration, atelier, permanence…"))
        title_slot = self.errors.slot("title", self.title, _("Objet de la réservation"))
        form.addRow(_("&Objet :"), title_slot)
        form.labelForField(title_slot).setBuddy(self.title)

        form.addRow(_("Réservé par :"), self._booker_box())

        self.attendees = QSpinBox()
        self.attendees.setRange(1, 999)
        self.attendees.setAccessibleName(_("Nombre de participants"))
        self.capacity_note = QLabel()
        self.capacity_note.setAccessibleName(_("Capacité de la salle"))
        self.capacity_note.setWordWrap(True)
        people = QWidget()
        h = QHBoxLayout(people)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(self.attendees)
        h.addWidget(self.capacity_note, 1)
        people_slot = self.errors.slot("attendees", people, focus=self.attendees)
        form.addRow(_("&Participants :"), people_slot)
        form.labelForField(people_slot).setBuddy(self.attendees)

        self.confirmed = QRadioButton(_("Confirmée"))
        self.confirmed.setAccessibleName(_("Confirmée"))
        self.option = QRadioButton(_("Option"))
        self.option.setAccessibleName(_("Option"))
        self.option.setToolTip(_("Une option tient la salle jusqu'à la date donnée ; après, "
                                 "elle ne la tient plus."))
        status_group = QButtonGroup(self)
        status_group.addButton(self.confirmed)
        status_group.addButton(self.option)
        self.option_until = DateInput(_("Option valable jusqu'au"))
        self.until_label = QLabel(_("valable jusqu'au"))
        status = QWidget()
        h = QHBoxLayout(status)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(self.confirmed)
        h.addWidget(self.option)
        h.addSpacing(8)
        h.addWidget(self.until_label)
        h.addWidget(self.option_until)
        h.addStretch(1)
        form.addRow(_("Statut :"), self.errors.slot("status", status, focus=self.option_until))

        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName(_("Notes"))
        self.notes.setPlaceholderText(_("Installation de la salle, matériel, clés…"))
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(58)
        form.addRow(_("&Notes :"), self.errors.slot("notes", self.notes))

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addStretch(1)

        right = QWidget()
        right.setMinimumWidth(300)
        right.setMaximumWidth(360)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self._price_box())
        self.repeat_box = self._repeat_box()
        right_layout.addWidget(self.repeat_box)
        self.repeat_box.setVisible(self.record is None)
        self.series_note = QLabel()
        self.series_note.setAccessibleName(_("Série de la réservation"))
        self.series_note.setWordWrap(True)
        self.series_note.setStyleSheet(NOTE_STYLE)
        self.series_note.setVisible(self.record is not None and self.record.series_id is not None)
        right_layout.addWidget(self.series_note)
        right_layout.addStretch(1)

        columns = QHBoxLayout()
        columns.addWidget(left, 1)
        columns.addSpacing(10)
        columns.addWidget(right)

        self.banner = QLabel()
        self.banner.setObjectName("bookingBanner")
        self.banner.setStyleSheet(REFUSAL_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(_("Message de la réservation"))
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setVisible(False)

        ok = _("Réserver") if self.record is None else _("Enregistrer")
        buttons, self.ok_button = dialog_buttons(self, ok, self.save, cancel=_("Fermer"))

        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.setMinimumWidth(900)

    def _booker_box(self) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(4)
        self.person_choice = QRadioButton(_("Personne adhérente / de la maison"))
        self.person_choice.setAccessibleName(_("Une personne"))
        self.organisation_choice = QRadioButton(_("Structure"))
        self.organisation_choice.setAccessibleName(_("Une structure"))
        self.outside_choice = QRadioButton(_("Contact extérieur"))
        self.outside_choice.setAccessibleName(_("Un contact extérieur"))
        group = QButtonGroup(self)
        row = QHBoxLayout()
        for b in (self.organisation_choice, self.person_choice, self.outside_choice):
            group.addButton(b)
            row.addWidget(b)
        row.addStretch(1)
        v.addLayout(row)

        services = self.services

        def find_organisations(query: str) -> list[tuple[int, str, str]]:
            return [(oid, name, "") for oid, name in
                    services.members.find_organisations(query=query, limit=30)]

        def find_people(query: str) -> list[tuple[int, str, str]]:
            result = services.people.search(query=query, limit=30)
            return [(h.id, h.name, h.organisations or h.email or "") for h in result.hits]

        self.organisation_picker = BookerPicker(
            self.tasks, find_organisations, name=_("Rechercher une structure"),
            placeholder=_("Nom de la structure…"), list_name=_("Structures trouvées"),
            min_length=0)
        self.person_picker = BookerPicker(
            self.tasks, find_people, name=_("Rechercher une personne"),
            placeholder=_("Nom, prénom ou e-mail…"), list_name=_("Personnes trouvées"),
            min_length=MIN_QUERY_LENGTH)

        outside = QWidget()
        f = QFormLayout(outside)
        f.setContentsMargins(0, 0, 0, 0)
        self.contact_name = QLineEdit()
        self.contact_name.setMaxLength(200)
        self.contact_email = QLineEdit()
        self.contact_email.setMaxLength(200)
        self.contact_phone = QLineEdit()
        self.contact_phone.setMaxLength(40)
        f.addRow(_("Nom :"), self.errors.slot("contact_name", self.contact_name,
                                              _("Nom du contact")))
        f.addRow(_("E-mail :"), self.errors.slot("contact_email", self.contact_email,
                                                 _("E-mail du contact")))
        f.addRow(_("Téléphone :"), self.errors.slot("contact_phone", self.contact_phone,
                                                    _("Téléphone du contact")))
        hint = QLabel(_("Un e-mail ou un téléphone, pour joindre la personne."))
        hint.setStyleSheet(NOTE_STYLE)
        f.addRow("", hint)

        self.booker_pages = QStackedWidget()
        self.booker_pages.addWidget(self.organisation_picker)
        self.booker_pages.addWidget(self.person_picker)
        self.booker_pages.addWidget(outside)
        self.booker_pages.setMaximumHeight(170)
        v.addWidget(self.booker_pages)
        return self.errors.slot("booker", box, focus=self.booker_pages)

    def _price_box(self) -> QGroupBox:
        box = QGroupBox(_("Prix"))
        v = QVBoxLayout(box)
        self.price = QLabel("—")
        self.price.setAccessibleName(_("Prix de la réservation"))
        self.price.setStyleSheet(PRICE_STYLE)
        self.price.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation = QLabel()
        self.explanation.setAccessibleName(_("Calcul du prix"))
        self.explanation.setWordWrap(True)
        self.rate_note = QLabel()
        self.rate_note.setAccessibleName(_("Tarif appliqué"))
        self.rate_note.setWordWrap(True)
        self.rate_note.setStyleSheet(NOTE_STYLE)
        self.warnings = QLabel()
        self.warnings.setAccessibleName(_("Avertissements du prix"))
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(WARN_STYLE)
        self.warnings.setVisible(False)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #ccc;")
        self.manual = QCheckBox(_("Prix manuel"))
        self.manual.setAccessibleName(_("Prix manuel"))
        self.manual.setToolTip(_("Un prix différent du tarif de la salle (geste, partenariat, "
                                 "gratuité…), avec sa raison."))
        self.amount = QLineEdit()
        self.amount.setAccessibleName(_("Montant du prix manuel"))
        self.amount.setPlaceholderText(_("0,00"))
        self.amount.setMaximumWidth(110)
        amount_row = QWidget()
        h = QHBoxLayout(amount_row)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(self.amount)
        h.addWidget(QLabel("€"))
        h.addStretch(1)
        self.reason = QLineEdit()
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText(_("Obligatoire : partenariat, geste commercial…"))
        manual_form = QFormLayout()
        manual_form.setContentsMargins(18, 0, 0, 0)
        amount_slot = self.errors.slot("price", amount_row, focus=self.amount)
        self.amount_label = QLabel(_("Montant :"))
        manual_form.addRow(self.amount_label, amount_slot)
        self.reason_label = QLabel(_("Raison :"))
        manual_form.addRow(self.reason_label, self.errors.slot(
            "override_reason", self.reason, _("Raison du prix manuel")))
        v.addWidget(self.price)
        v.addWidget(self.explanation)
        v.addWidget(self.rate_note)
        v.addWidget(self.warnings)
        v.addWidget(line)
        v.addWidget(self.manual)
        v.addLayout(manual_form)
        return box

    def _repeat_box(self) -> QGroupBox:
        box = QGroupBox(_("Répétition"))
        v = QVBoxLayout(box)
        self.repeat = QCheckBox(_("Répéter chaque semaine"))
        self.repeat.setAccessibleName(_("Répéter chaque semaine"))
        self.interval = QSpinBox()
        self.interval.setRange(1, MAX_INTERVAL_WEEKS)
        self.interval.setAccessibleName(_("Toutes les combien de semaines"))
        self.interval.setPrefix(_("toutes les "))
        self.interval.setSuffix(_(" semaines"))
        self.interval.setSpecialValueText(_("chaque semaine"))
        self.until_choice = QRadioButton(_("jusqu'au"))
        self.until_choice.setAccessibleName(_("Répéter jusqu'à une date"))
        self.count_choice = QRadioButton(_("nombre de fois"))
        self.count_choice.setAccessibleName(_("Répéter un nombre de fois"))
        group = QButtonGroup(self)
        group.addButton(self.until_choice)
        group.addButton(self.count_choice)
        self.count_choice.setChecked(True)
        self.until = DateInput(_("Répéter jusqu'au"))
        self.count = QSpinBox()
        self.count.setRange(2, MAX_OCCURRENCES)
        self.count.setValue(DEFAULT_COUNT)
        self.count.setAccessibleName(_("Nombre de réservations de la série"))
        grid = QFormLayout()
        grid.setContentsMargins(18, 0, 0, 0)
        grid.addRow(self.interval)
        grid.addRow(self.count_choice, self.count)
        grid.addRow(self.until_choice, self.until)
        self.repeat_summary = QLabel()
        self.repeat_summary.setAccessibleName(_("Dates de la série"))
        self.repeat_summary.setWordWrap(True)
        self.repeat_summary.setStyleSheet(NOTE_STYLE)
        self.repeat_fields = QWidget()
        inner = QVBoxLayout(self.repeat_fields)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(grid)
        inner.addWidget(self.repeat_summary)
        v.addWidget(self.repeat)
        v.addWidget(self.errors.slot("recurrence", self.repeat_fields, focus=self.count))
        return box

    # --- filling -------------------------------------------------------------------------

    def _fill(self) -> None:
        r = self.record
        default_until = self.today + dt.timedelta(days=self.settings.option_days)
        day = self.day.value()
        if day is not None and day >= self.today:
            default_until = min(default_until, day)  # an option ends by the booking's day
        if r is None:
            self.organisation_choice.setChecked(True)
            self.confirmed.setChecked(True)
            self.option_until.set_date(default_until)
            self.until.set_date(self.day.value() + dt.timedelta(weeks=DEFAULT_COUNT - 1)
                                if self.day.value() else None)
        else:
            self.title.setText(r.title)
            self.attendees.setValue(r.attendees)
            self.notes.setPlainText(r.notes)
            if r.status is BookingStatus.OPTION:
                self.option.setChecked(True)
                self.option_until.set_date(r.option_until or default_until)
            else:
                self.confirmed.setChecked(True)
                self.option_until.set_date(default_until)
            b = r.booker
            if b.organisation_id is not None:
                self.organisation_choice.setChecked(True)
                self.organisation_picker.choose(b.organisation_id, r.booker_name)
            elif b.person_id is not None:
                self.person_choice.setChecked(True)
                self.person_picker.choose(b.person_id, r.booker_name)
            else:
                self.outside_choice.setChecked(True)
                self.contact_name.setText(b.contact_name or r.booker_name)
                self.contact_email.setText(b.contact_email)
                self.contact_phone.setText(b.contact_phone)
            if r.price_basis is PriceBasis.MANUAL or r.override_reason:
                self.manual.setChecked(True)
                self.amount.setText(amount_text(r.price_cents))
                self.reason.setText(r.override_reason)
            if r.series_id is not None:
                self.series_note.setText(_("Cette réservation fait partie d'une série : en "
                                           "enregistrant, vous choisirez de modifier celle-ci "
                                           "seulement ou aussi les suivantes."))
        self._booker_kind_changed()
        self._status_changed()
        self._manual_changed()
        self._repeat_changed()
        self._times_changed()
        self._update_capacity()

    def _connect(self) -> None:
        changed = self._changed
        self.room.currentIndexChanged.connect(lambda _i: (self._update_capacity(), changed()))
        self.day.textChanged.connect(lambda _t: (self._times_changed(), changed()))
        self.start.timeChanged.connect(self._start_moved)
        self.end.timeChanged.connect(lambda _t: (self._remember_duration(),
                                                 self._times_changed(), changed()))
        self.title.textChanged.connect(lambda _t: self._clear_banner())
        for b in (self.person_choice, self.organisation_choice, self.outside_choice):
            b.toggled.connect(lambda on: on and (self._booker_kind_changed(), changed()))
        for picker in (self.person_picker, self.organisation_picker):
            picker.chosen_changed.connect(changed)
        for w in (self.contact_name, self.contact_email, self.contact_phone, self.amount,
                  self.reason, self.option_until):
            w.textChanged.connect(lambda _t: changed())
        self.attendees.valueChanged.connect(lambda _v: (self._update_capacity(), changed()))
        self.option.toggled.connect(lambda _on: (self._status_changed(), changed()))
        self.manual.toggled.connect(lambda _on: (self._manual_changed(), changed()))
        self.repeat.toggled.connect(lambda _on: self._repeat_changed())
        self.interval.valueChanged.connect(lambda _v: self._repeat_changed())
        self.count.valueChanged.connect(lambda _v: self._repeat_changed())
        self.until.textChanged.connect(lambda _t: self._repeat_changed())
        self.count_choice.toggled.connect(lambda _on: self._repeat_changed())

    # --- reactions -----------------------------------------------------------------------

    def _changed(self) -> None:
        if self._loading:
            return
        self._clear_banner()
        self._quote_timer.start()

    def _clear_banner(self) -> None:
        self.banner.setVisible(False)

    def _start_moved(self, value: QTime) -> None:
        """Moving the start keeps the duration (the end follows)."""
        minutes = value.hour() * 60 + value.minute() + self._duration
        minutes = min(minutes, 24 * 60 - 1)
        self.end.blockSignals(True)
        self.end.setTime(QTime(minutes // 60, minutes % 60))
        self.end.blockSignals(False)
        self._times_changed()
        self._changed()

    def _remember_duration(self) -> None:
        minutes = self._minutes()
        if minutes > 0:
            self._duration = minutes

    def _minutes(self) -> int:
        s, e = self.start.time(), self.end.time()
        return (e.hour() * 60 + e.minute()) - (s.hour() * 60 + s.minute())

    def _times_changed(self) -> None:
        day = self.day.value()
        self.day_name.setText(format_date(day, "EEEE").capitalize() if day else "")
        minutes = self._minutes()
        if minutes <= 0:
            self.duration.setText(_("la fin doit suivre le début"))
            self.duration.setStyleSheet(ERROR_STYLE)
        else:
            hours, rest = divmod(minutes, 60)
            text = (_("{h} h {m:02d}").format(h=hours, m=rest) if hours and rest else
                    _("{h} h").format(h=hours) if hours else _("{m} min").format(m=rest))
            self.duration.setText(_("({duration})").format(duration=text))
            self.duration.setStyleSheet(NOTE_STYLE)
        self._repeat_changed()

    def current_room(self) -> SpaceRecord | None:
        space_id = self.room.currentData()
        return next((r for r in self.rooms if r.id == space_id), None)

    def _update_capacity(self) -> None:
        room = self.current_room()
        if room is None:
            self.capacity_note.setText("")
            return
        if self.attendees.value() > room.capacity:
            self.capacity_note.setText(ngettext(
                "Trop de monde : {room} accueille {n} personne au plus.",
                "Trop de monde : {room} accueille {n} personnes au plus.",
                room.capacity).format(room=room.name, n=room.capacity))
            self.capacity_note.setStyleSheet(ERROR_STYLE + " font-weight: 600;")
        else:
            self.capacity_note.setText(ngettext("sur {n} place", "sur {n} places",
                                                room.capacity).format(n=room.capacity))
            self.capacity_note.setStyleSheet(NOTE_STYLE)

    def _booker_kind_changed(self) -> None:
        if self.organisation_choice.isChecked():
            self.booker_pages.setCurrentIndex(0)
        elif self.person_choice.isChecked():
            self.booker_pages.setCurrentIndex(1)
        else:
            self.booker_pages.setCurrentIndex(2)
        page = self.booker_pages.currentWidget()
        self.booker_pages.setFocusProxy(page if page is not self.booker_pages.widget(2)
                                        else self.contact_name)

    def _status_changed(self) -> None:
        option = self.option.isChecked()
        self.option_until.setEnabled(option)
        self.until_label.setEnabled(option)

    def _manual_changed(self) -> None:
        on = self.manual.isChecked()
        for w in (self.amount, self.reason, self.amount_label, self.reason_label):
            w.setEnabled(on)
        if on and not self.amount.text() and self.quote is not None:
            self.amount.setText(amount_text(self.quote.computed_cents))

    def _repeat_changed(self) -> None:
        if not hasattr(self, "repeat"):
            return
        on = self.repeat.isChecked()
        self.repeat_fields.setEnabled(on)
        self.until.setEnabled(on and self.until_choice.isChecked())
        self.count.setEnabled(on and self.count_choice.isChecked())
        if not on:
            self.repeat_summary.setText(_("Une seule date."))
            return
        try:
            days = series_dates(self.day.value() or self.today, self.recurrence())
        except (ValidationError, ValueError):
            self.repeat_summary.setText(_("Donnez la date de fin de la série (jj/mm/aaaa)."))
            return
        if not days:
            self.repeat_summary.setText(_("La date de fin précède la première date."))
            return
        self.repeat_summary.setText(ngettext(
            "{n} date : le {first}.", "{n} dates, du {first} au {last} (les jours de "
            "fermeture seront sautés).", len(days)).format(
            n=len(days), first=format_date(days[0]), last=format_date(days[-1])))

    # --- what the form says ---------------------------------------------------------------

    def recurrence(self) -> Recurrence:
        if self.until_choice.isChecked():
            until = self.until.date(field="recurrence")
            if until is None:
                raise ValidationError(_("Donnez la date de la dernière réservation de la "
                                        "série."), field="recurrence")
            return Recurrence(interval_weeks=self.interval.value(), until=until)
        return Recurrence(interval_weeks=self.interval.value(), count=self.count.value())

    def booker(self, *, strict: bool) -> tuple[Booker, bool]:
        """Who books, and whether it is a stand-in (nobody chosen yet: a quote only)."""
        if self.outside_choice.isChecked():
            booker = Booker(contact_name=self.contact_name.text().strip(),
                            contact_email=self.contact_email.text().strip(),
                            contact_phone=self.contact_phone.text().strip())
            if not strict and not booker.contact_name and not (
                    booker.contact_email or booker.contact_phone):
                return _STAND_IN, False  # outside contacts pay the public rate anyway
            return booker, False
        picker = (self.organisation_picker if self.organisation_choice.isChecked()
                  else self.person_picker)
        chosen = picker.chosen()
        if chosen is None:
            if strict:
                raise ValidationError(
                    _("Choisissez la structure dans la liste (tapez quelques lettres du "
                      "nom).") if self.organisation_choice.isChecked() else
                    _("Choisissez la personne dans la liste (tapez quelques lettres du nom)."),
                    field="booker")
            return _STAND_IN, True
        if self.organisation_choice.isChecked():
            return Booker(organisation_id=chosen[0]), False
        return Booker(person_id=chosen[0]), False

    def draft(self, *, strict: bool = True) -> tuple[BookingDraft, bool]:
        """The draft the form describes (and whether its booker is a stand-in). Not strict
        (the live price): what is not typed yet is stood in for."""
        space_id = self.room.currentData()
        if space_id is None:
            raise ValidationError(_("Aucune salle à réserver : les salles se déclarent dans "
                                    "Administration › Espaces."), field="space_id")
        day = self.day.date(field="day")
        if day is None:
            raise ValidationError(_("Donnez la date de la réservation (jj/mm/aaaa)."),
                                  field="day")
        start = dt.datetime.combine(day, py_time(self.start.time()), tzinfo=PARIS)
        end = dt.datetime.combine(day, py_time(self.end.time()), tzinfo=PARIS)
        booker, stand_in = self.booker(strict=strict)
        title = self.title.text().strip()
        if not strict and not title:
            title = "…"
        option = self.option.isChecked()
        option_until = self.option_until.date(field="status") if option else None
        override = reason = None
        if self.manual.isChecked():
            override = parse_euros(self.amount.text(), field="price")
            reason = self.reason.text().strip()
            if not strict and not reason:
                reason = "…"  # the reason is asked for when saving
        return BookingDraft(
            space_id=space_id, start=start, end=end, title=title, booker=booker,
            attendees=self.attendees.value(),
            status=BookingStatus.OPTION if option else BookingStatus.CONFIRMED,
            option_until=option_until, notes=self.notes.toPlainText().strip(),
            price_override_cents=override, override_reason=reason or ""), stand_in

    def values(self) -> tuple:
        """What was typed, to tell whether closing loses something."""
        return (self.room.currentData(), self.day.text(), self.start.time().toString(),
                self.end.time().toString(), self.title.text(), self.person_picker.chosen(),
                self.organisation_picker.chosen(), self.contact_name.text(),
                self.contact_email.text(), self.contact_phone.text(), self.attendees.value(),
                self.option.isChecked(), self.option_until.text(),
                self.notes.toPlainText(), self.manual.isChecked(), self.amount.text(),
                self.reason.text(), self.repeat.isChecked())

    def is_dirty(self) -> bool:
        return self.values() != self._snapshot

    # --- the live price --------------------------------------------------------------------

    def refresh_quote(self) -> None:
        self._quote_timer.stop()
        try:
            draft, stand_in = self.draft(strict=False)
        except ValidationError as exc:
            self._show_refusal_quietly(exc)
            self._no_price()
            return
        bookings = self.services.bookings
        self.tasks.run(lambda: (draft, stand_in, bookings.quote(draft)),
                       on_success=guarded(self, self._show_quote),
                       on_error=guarded(self, self._quote_failed),
                       key=f"quote-{id(self)}")

    def _show_refusal_quietly(self, exc: ValidationError) -> None:
        slot = FIELD_SLOTS.get(exc.field or "", exc.field or "")
        if self.errors.has(slot):
            self.errors.show_quietly(slot, exc.message)
        else:
            self.errors.show_quietly("", "")
            self.rate_note.setText(exc.message)

    def _no_price(self) -> None:
        self.quote = None
        self.price.setText("—")
        self.explanation.setText(_("Le prix s'affiche dès que la salle, la date et l'horaire "
                                   "sont valables."))
        self.warnings.setVisible(False)
        self.quote_shown.emit()

    def _quote_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self._show_refusal_quietly(exc)
            self._no_price()
            return
        if isinstance(exc, MaisonError):
            self.errors.show_quietly("", "")
            self._no_price()
            self.rate_note.setText(exc.message)
            return
        messages.show_error(self, exc)

    def _show_quote(self, result: tuple[BookingDraft, bool, Quote]) -> None:
        _draft, stand_in, quote = result
        self.quote = quote
        self.errors.show_quietly("", "")
        if quote.basis is PriceBasis.MANUAL:
            self.price.setText(format_money(quote.price_cents))
            self.explanation.setText(_("Prix saisi à la main ; le tarif donnerait {price} "
                                       "({how}).").format(price=format_money(
                                           quote.computed_cents), how=quote.explanation))
        else:
            self.price.setText(format_money(quote.price_cents) if quote.price_cents
                               else _("Gratuit"))
            self.explanation.setText(quote.explanation)
        if stand_in:
            self.rate_note.setText(_("Tarif non adhérent tant que la structure ou la personne "
                                     "n'est pas choisie."))
        elif quote.member_rate:
            self.rate_note.setText(_("Tarif adhérent : adhésion {year} enregistrée.").format(
                year=_draft.start.year))
        else:
            self.rate_note.setText(_("Tarif non adhérent."))
        self.warnings.setText("\n".join("⚠ " + w for w in quote.warnings))
        self.warnings.setVisible(bool(quote.warnings))
        self.quote_shown.emit()

    # --- saving --------------------------------------------------------------------------------

    def _refuse(self, exc: MaisonError) -> None:
        """A refused value under its field; anything else under the form."""
        if isinstance(exc, ValidationError):
            slot = FIELD_SLOTS.get(exc.field or "", exc.field or "")
            if self.errors.has(slot):
                self.errors.show(ValidationError(exc.message, field=slot))
                return
        self.errors.clear()
        self.say(exc.message)

    def say(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def banner_text(self) -> str:
        return self.banner.text() if not self.banner.isHidden() else ""

    def save(self) -> None:
        self._quote_timer.stop()
        self.errors.clear()
        self.say("")
        try:
            draft, _stand_in = self.draft(strict=True)
            if self.record is not None:
                self._update(draft)
            elif self.repeat.isChecked():
                if not self._create_series(draft, self.recurrence()):
                    return
            else:
                booking_id = self.services.bookings.create(draft)
                self.saved_ids = (booking_id,)
                self.done_message = _("Réservation enregistrée : {what}.").format(
                    what=self._what(draft))
        except Conflict as exc:
            self.say(exc.message)
            return
        except MaisonError as exc:
            self._refuse(exc)
            return
        if not self.saved_ids:
            return
        self.saved_day = draft.start.astimezone(PARIS).date()
        self._snapshot = self.values()
        self.accept()

    def _what(self, draft: BookingDraft) -> str:
        """"« Atelier » — Salle Sèvre, jeudi 26 novembre 2026, 14:00–16:00"."""
        room = self.current_room()
        return _("« {title} », {room}, {day}, {hours}").format(
            title=draft.title, room=room.name if room else "",
            day=long_day(draft.start.date()), hours=hours_text(draft.start, draft.end))

    def _update(self, draft: BookingDraft) -> None:
        scope = SeriesScope.ONE
        if self.record.series_id is not None:
            ask = ScopeDialog(
                title=_("Modifier une réservation d'une série"),
                question=_("« {title} » fait partie d'une série. À quelles réservations la "
                           "modification s'applique-t-elle ?").format(title=self.record.title),
                ok=_("Enregistrer"), series=True, parent=self)
            accepted = run_dialog(ask)
            scope = ask.scope()
            ask.deleteLater()
            if not accepted:
                return
        self.services.bookings.update(self.record.id, draft, scope=scope)
        self.saved_ids = (self.record.id,)
        self.done_message = (
            _("Réservation modifiée, ainsi que les suivantes de la série : {what}.")
            if scope is SeriesScope.FOLLOWING else _("Réservation modifiée : {what}.")
        ).format(what=self._what(draft))

    def _create_series(self, draft: BookingDraft, recurrence: Recurrence) -> bool:
        bookings = self.services.bookings
        plan = bookings.plan_series(draft, recurrence)
        shown = False
        if plan.conflicts or plan.closed or not plan.free:
            if not self._accept_plan(plan, draft):
                return False
            shown = True
        try:
            result = bookings.create_series(draft, recurrence, skip_conflicts=shown)
        except Conflict as exc:
            later: SeriesPlan | None = getattr(exc, "plan", None)
            if later is None or shown:
                raise
            # someone booked one of the dates meanwhile: show the dates again
            if not self._accept_plan(later, draft):
                return False
            result = bookings.create_series(draft, recurrence, skip_conflicts=True)
        self.saved_ids = tuple(result.created)
        n, skipped = len(result.created), len(result.skipped)
        text = ngettext("{n} réservation enregistrée : {what}.",
                        "Série de {n} réservations enregistrée : {what}, chaque semaine.",
                        n).format(n=n, what=self._what(draft))
        if recurrence.interval_weeks > 1 and n > 1:
            text = _("Série de {n} réservations enregistrée : {what}, toutes les {k} "
                     "semaines.").format(n=n, what=self._what(draft),
                                         k=recurrence.interval_weeks)
        if skipped:
            text += " " + ngettext("{n} date sautée.", "{n} dates sautées.",
                                   skipped).format(n=skipped)
        self.done_message = text
        return True

    def _accept_plan(self, plan: SeriesPlan, draft: BookingDraft) -> bool:
        room = self.current_room()
        dialog = SeriesPlanDialog(plan, title=draft.title, room=room.name if room else "",
                                  parent=self)
        self.plan_dialog = dialog
        accepted = run_dialog(dialog)
        dialog.deleteLater()
        self.plan_dialog = None
        return accepted

    def reject(self) -> None:
        """Fermer, Escape: ask before dropping what was typed."""
        if self.is_dirty() and not messages.confirm(
                self, _("La réservation n'est pas enregistrée. Abandonner la saisie ?"),
                title=_("Réservation non enregistrée"), yes=_("Abandonner la saisie"),
                no=_("Continuer la saisie"), destructive=True):
            return
        super().reject()


# nobody chosen yet: the price of a non-member, for the live quote only
_STAND_IN = Booker(contact_name="—", contact_email="contact@exemple.fr")


def _next_slot_hour(services, opens: dt.time) -> int:
    """The next full hour from now (a booking made today starts later today), at the
    earliest the opening hour."""
    now = services.ctx.now().astimezone(PARIS)
    hour = now.hour + 1
    return max(opens.hour, min(hour, 22))

