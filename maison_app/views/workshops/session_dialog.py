"""The form of a workshop's session, and the registration of someone to a session.

SessionDialog: the workshop (fixed, with its places), the room — one of the house's rooms
that can be booked (with its places), or « Hors de la maison » and where — then the
half-days, one row each: the date (jj/mm/aaaa, or the calendar with Alt+Bas), the morning or
the afternoon, the start and the end (the usual times: 09:00–12:30, 13:30–17:00).
« Ajouter une demi-journée » adds the half-day after the last one (the afternoon after a
morning, the next working day's morning after an afternoon); « Journée entière » adds a
whole day (or completes a lone morning); « Retirer » takes a row out. Saving books the
room for every half-day: a room taken at that time is named under the form, and what was
typed stays. Enter saves, Escape closes (asking first when something was typed).

RegistrationDialog: a person of the house (found by a few letters of the name or the
e-mail) or an outsider with a name and an e-mail; beyond the places, the registration goes
on the waiting list, and the dialog says so before and after.

The text helpers (hours « 3 h 30 », the days of a session, its half-days) are shared with
the screen."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import HalfDayPart, RegistrationStatus
from maison_app.domain.errors import Conflict, MaisonError, ValidationError
from maison_app.domain.spaces import SpaceRecord
from maison_app.domain.workshops import (
    DEFAULT_TIMES,
    MAX_HALF_DAYS,
    HalfDay,
    RegistrationRecord,
    SessionRecord,
    WorkshopRecord,
)
from maison_app.i18n import PARIS, _, format_date, ngettext
from maison_app.ui import messages
from maison_app.ui.common import DateInput, QuarterTimeEdit, room_text, today
from maison_app.ui.forms import PlacedFormErrors, dialog_buttons
from maison_app.views.workshops.workshop_dialog import people_picker

NOTE_STYLE = "color: #555;"
WARN_STYLE = "color: #8a5a00;"
REFUSAL_STYLE = ("#sessionBanner { background: #fdecea; border: 1px solid #e0a19b; "
                 "border-radius: 4px; padding: 6px 8px; color: #5c1610; }")
INFO_STYLE = ("#registrationPlaces { background: #eef4fb; border: 1px solid #b5cde6; "
              "border-radius: 4px; padding: 6px 8px; }")
FULL_STYLE = ("#registrationPlaces { background: #fff6e5; border: 1px solid #e6c27a; "
              "border-radius: 4px; padding: 6px 8px; }")
OUTSIDE = -1  # the room combo's « Hors de la maison »

SESSION_FIELD_SLOTS = {
    "space_id": "room", "space": "room", "room": "room",
    "place": "place",
    "half_days": "half_days", "day": "half_days", "date": "half_days",
    "part": "half_days", "start": "half_days", "end": "half_days", "times": "half_days",
    "notes": "notes",
}
REGISTRATION_FIELD_SLOTS = {
    "person_id": "person", "person": "person",
    "name": "name", "email": "email", "notes": "notes",
}


# --- texts shared with the screen -------------------------------------------------------------


def minutes_text(minutes: int) -> str:
    """« 3 h 30 », « 7 h », « 45 min »."""
    hours, rest = divmod(max(0, minutes), 60)
    if hours == 0:
        return _("{m} min").format(m=rest)
    if rest == 0:
        return _("{h} h").format(h=hours)
    return _("{h} h {m:02d}").format(h=hours, m=rest)


def time_text(value: dt.time) -> str:
    return value.strftime("%H:%M")


def long_day(day: dt.date) -> str:
    """« jeudi 3 décembre 2026 »."""
    return format_date(day, "EEEE d MMMM y")


def days_text(days, *, short: bool = False) -> str:
    """The days of a session: « jeudi 3 décembre 2026 », « jeudi 3 et vendredi 4 décembre
    2026 », « 3 jours, du lundi 7 au mercredi 16 décembre 2026 »; `short` for the lists:
    « jeu. 3 déc. 2026 », « lun. 7 et mar. 8 déc. 2026 »."""
    days = sorted(set(days))
    if not days:
        return ""
    weekday, month = ("EEE", "MMM") if short else ("EEEE", "MMMM")
    first, last = days[0], days[-1]
    whole = f"{weekday} d {month} y"
    if len(days) == 1:
        return format_date(first, whole)
    if first.year != last.year:
        head, tail = format_date(first, whole), format_date(last, whole)
    elif first.month != last.month:
        head, tail = format_date(first, f"{weekday} d {month}"), format_date(last, whole)
    else:
        head, tail = format_date(first, f"{weekday} d"), format_date(last, whole)
    if len(days) == 2:
        return _("{first} et {last}").format(first=head, last=tail)
    return ngettext("{n} jour, du {first} au {last}", "{n} jours, du {first} au {last}",
                    len(days)).format(n=len(days), first=head, last=tail)


def half_days_text(half_days) -> str:
    """« Matin, 09:00–12:30 », « Journée entière · 7 h », « 4 demi-journées · 14 h »."""
    half_days = list(half_days)
    if not half_days:
        return ""
    if len(half_days) == 1:
        h = half_days[0]
        return _("{part}, {start}–{end}").format(part=h.part.label, start=time_text(h.start),
                                                 end=time_text(h.end))
    hours = minutes_text(sum(h.minutes for h in half_days))
    if len(half_days) == 2 and half_days[0].day == half_days[1].day:
        return _("Journée entière · {hours}").format(hours=hours)
    return ngettext("{n} demi-journée · {hours}", "{n} demi-journées · {hours}",
                    len(half_days)).format(n=len(half_days), hours=hours)


def half_day_line(h: HalfDay) -> str:
    """« jeudi 3 décembre 2026, matin, 09:00–12:30 »."""
    return _("{day}, {part}, {start}–{end}").format(
        day=long_day(h.day), part=h.part.label.lower(), start=time_text(h.start),
        end=time_text(h.end))


def session_moments(session: SessionRecord) -> tuple[dt.datetime, dt.datetime]:
    """When a session starts and ends (Paris)."""
    first, last = session.half_days[0], session.half_days[-1]
    return (dt.datetime.combine(first.day, first.start, tzinfo=PARIS),
            dt.datetime.combine(last.day, last.end, tzinfo=PARIS))


def session_over(session: SessionRecord, now: dt.datetime) -> bool:
    """Its last half-day has ended."""
    return bool(session.half_days) and session_moments(session)[1] <= now


def session_started(session: SessionRecord, now: dt.datetime) -> bool:
    return bool(session.half_days) and session_moments(session)[0] <= now


def place_text(session: SessionRecord) -> str:
    if session.space_id is not None:
        return session.space_name
    return session.place or _("Hors de la maison")


def session_title(session: SessionRecord) -> str:
    """« « Circuits courts », jeudi 3 décembre 2026 »."""
    return _("« {title} », {days}").format(title=session.workshop_title,
                                           days=days_text(h.day for h in session.half_days))


def places_text(session: SessionRecord) -> str:
    """« 8 inscrits sur 12 places · 4 libres · 2 en liste d'attente »."""
    parts = [ngettext("{n} inscrit·e sur {capacity} places",
                      "{n} inscrit·es sur {capacity} places", session.registered).format(
        n=session.registered, capacity=session.capacity)]
    free = session.free_places
    parts.append(_("complet") if free == 0 else
                 ngettext("{n} place libre", "{n} places libres", free).format(n=free))
    if session.waiting:
        parts.append(ngettext("{n} en liste d'attente", "{n} en liste d'attente",
                              session.waiting).format(n=session.waiting))
    return " · ".join(parts)


def next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def qtime(value: dt.time) -> QTime:
    return QTime(value.hour, value.minute)


def py_time(value: QTime) -> dt.time:
    return dt.time(value.hour(), value.minute())


# --- a half-day row ------------------------------------------------------------------------------


class HalfDayRow(QWidget):
    """One half-day: the date and its weekday, the morning or the afternoon, the times, the
    hours, « Retirer ». `half_day_id` is the saved half-day's (None for a new one)."""

    def __init__(self, day: dt.date, part: HalfDayPart, start: dt.time, end: dt.time, *,
                 half_day_id: int | None = None, on_change=None, on_remove=None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.half_day_id = half_day_id
        self._on_change = on_change or (lambda: None)
        self.date = DateInput(_("Date"), day)
        self.date.setMinimumWidth(140)
        self.weekday = QLabel()
        self.weekday.setStyleSheet(NOTE_STYLE)
        self.weekday.setMinimumWidth(70)
        self.part = QComboBox()
        for p in HalfDayPart:
            self.part.addItem(p.label, p.value)
        self.part.setCurrentIndex(self.part.findData(part.value))
        self._part = part
        self.start = QuarterTimeEdit(qtime(start))
        self.end = QuarterTimeEdit(qtime(end))
        self.hours = QLabel()
        self.hours.setStyleSheet(NOTE_STYLE)
        self.hours.setMinimumWidth(56)
        self.remove = QPushButton(_("Retirer"))
        self.remove.setAutoDefault(False)
        self.remove.clicked.connect(lambda _c=False: on_remove and on_remove(self))
        h = QHBoxLayout(self)
        h.setContentsMargins(0, 0, 0, 0)
        h.setSpacing(6)
        self.number = QLabel()
        self.number.setMinimumWidth(18)
        self.number.setStyleSheet("color: #777;")
        h.addWidget(self.number)
        h.addWidget(self.date)
        h.addWidget(self.weekday)
        h.addWidget(self.part)
        h.addWidget(QLabel(_("de")))
        h.addWidget(self.start)
        h.addWidget(QLabel(_("à")))
        h.addWidget(self.end)
        h.addWidget(self.hours)
        h.addStretch(1)
        h.addWidget(self.remove)
        self.date.textChanged.connect(self._changed)
        self.part.currentIndexChanged.connect(self._part_changed)
        self.start.timeChanged.connect(self._changed)
        self.end.timeChanged.connect(self._changed)
        self._show()

    def set_number(self, n: int) -> None:
        self.number.setText(f"{n}.")
        self.date.setAccessibleName(_("Date de la demi-journée {n}").format(n=n))
        self.part.setAccessibleName(_("Matin ou après-midi, demi-journée {n}").format(n=n))
        self.start.setAccessibleName(_("Début de la demi-journée {n}").format(n=n))
        self.end.setAccessibleName(_("Fin de la demi-journée {n}").format(n=n))
        self.hours.setAccessibleName(_("Durée de la demi-journée {n}").format(n=n))
        self.remove.setAccessibleName(_("Retirer la demi-journée {n}").format(n=n))

    def _part_changed(self) -> None:
        """The usual times of the other half follow, unless they were typed by hand."""
        new = self.current_part()
        if (py_time(self.start.time()), py_time(self.end.time())) == DEFAULT_TIMES[self._part]:
            start, end = DEFAULT_TIMES[new]
            self.start.setTime(qtime(start))
            self.end.setTime(qtime(end))
        self._part = new
        self._changed()

    def _changed(self) -> None:
        self._show()
        self._on_change()

    def _show(self) -> None:
        day = self.date.value()
        self.weekday.setText(format_date(day, "EEEE") if day is not None else "")
        minutes = (self.end.time().hour() * 60 + self.end.time().minute()
                   - self.start.time().hour() * 60 - self.start.time().minute())
        self.hours.setText(minutes_text(minutes) if minutes > 0 else "—")

    def current_part(self) -> HalfDayPart:
        return HalfDayPart(self.part.currentData())

    def day(self) -> dt.date | None:
        return self.date.value()

    def half_day(self, n: int) -> HalfDay:
        """The row as a HalfDay; an unreadable date is refused, naming the row."""
        try:
            day = self.date.date(field="half_days")
        except ValidationError as exc:
            raise ValidationError(_("Demi-journée {n} : {message}").format(
                n=n, message=exc.message), field="half_days") from None
        if day is None:
            raise ValidationError(_("Demi-journée {n} : indiquez la date.").format(n=n),
                                  field="half_days")
        return HalfDay(self.half_day_id, day, self.current_part(),
                       py_time(self.start.time()), py_time(self.end.time()))

    def values(self) -> tuple:
        return (self.date.text(), self.part.currentIndex(), self.start.time().toString(),
                self.end.time().toString())


# --- the session dialog ------------------------------------------------------------------------


class SessionDialog(QDialog):
    """A new session of `workshop_id` (`session_id` None; `day` the first date proposed) or
    the change of one."""

    def __init__(self, services, tasks, *, workshop_id: int | None = None,
                 session_id: int | None = None, day: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.today = today(services)
        self.record: SessionRecord | None = (
            services.workshops.session(session_id=session_id) if session_id is not None
            else None)
        if self.record is not None:
            workshop_id = self.record.workshop_id
        if workshop_id is None:
            raise ValueError("a session belongs to a workshop")
        self.workshop: WorkshopRecord = services.workshops.workshop(workshop_id=workshop_id)
        self.rooms: list[SpaceRecord] = list(services.bookings.rooms())
        if (self.record is not None and self.record.space_id is not None
                and self.record.space_id not in {r.id for r in self.rooms}):
            try:
                self.rooms.append(services.spaces.space(space_id=self.record.space_id))
            except MaisonError:
                pass
        self.rows: list[HalfDayRow] = []
        self.saved_id: int | None = None
        self.done_message = ""
        self.setWindowTitle(_("Nouvelle séance — {title}").format(title=self.workshop.title)
                            if self.record is None else
                            _("Séance — {title}").format(title=self.workshop.title))
        self.setAccessibleName(_("Séance"))
        self._build()
        self._fill(day)
        self._snapshot = self.values()
        self.room.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.errors = PlacedFormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        w = self.workshop
        self.workshop_label = QLabel(_("<b>{title}</b> — {axis}, {places}").format(
            title=_html(w.title), axis=_html(w.axis.label),
            places=ngettext("{n} place", "{n} places", w.capacity).format(n=w.capacity)))
        self.workshop_label.setAccessibleName(_("Atelier de la séance"))
        self.workshop_label.setWordWrap(True)
        form.addRow(_("Atelier :"), self.workshop_label)

        self.room = QComboBox()
        for room in self.rooms:
            self.room.addItem(room_text(room), room.id)
        self.room.addItem(_("Hors de la maison"), OUTSIDE)
        self.room_note = QLabel()
        self.room_note.setAccessibleName(_("Places de la salle"))
        self.room_note.setWordWrap(True)
        room_box = QWidget()
        v = QVBoxLayout(room_box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(self.room)
        v.addWidget(self.room_note)
        slot = self.errors.slot("room", room_box, focus=self.room)
        self.room.setAccessibleName(_("Salle"))
        form.addRow(_("&Salle :"), slot)
        form.labelForField(slot).setBuddy(self.room)

        self.place = QLineEdit()
        self.place.setMaxLength(300)
        self.place.setPlaceholderText(_("Le lieu et son adresse, par exemple : Tiers-lieu "
                                        "Le Moulin, 2 rue du Port, Niort"))
        self.place_slot = self.errors.slot("place", self.place, _("Lieu"))
        self.place_label = QLabel(_("&Lieu :"))
        self.place_label.setBuddy(self.place)
        form.addRow(self.place_label, self.place_slot)

        # the half-days
        self.rows_box = QWidget()
        self.rows_layout = QVBoxLayout(self.rows_box)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(4)
        self.rows_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.rows_box)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rows_scroll = scroll
        self.add_button = QPushButton(_("Ajouter une demi-journée"))
        self.add_button.setAccessibleName(_("Ajouter une demi-journée"))
        self.add_button.setToolTip(_("La demi-journée qui suit la dernière : l'après-midi "
                                     "après un matin, le matin du jour ouvré suivant après "
                                     "un après-midi"))
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(lambda _c=False: self.add_half_day())
        self.day_button = QPushButton(_("Journée entière"))
        self.day_button.setAccessibleName(_("Ajouter une journée entière"))
        self.day_button.setToolTip(_("Le matin et l'après-midi du jour ouvré suivant (ou "
                                     "l'après-midi d'un matin seul)"))
        self.day_button.setAutoDefault(False)
        self.day_button.clicked.connect(lambda _c=False: self.add_whole_day())
        self.total = QLabel()
        self.total.setAccessibleName(_("Durée de la séance"))
        self.total.setStyleSheet("font-weight: 600;")
        adders = QHBoxLayout()
        adders.addWidget(self.add_button)
        adders.addWidget(self.day_button)
        adders.addStretch(1)
        adders.addWidget(self.total)
        half_days = QWidget()
        v = QVBoxLayout(half_days)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(4)
        v.addWidget(scroll)
        v.addLayout(adders)
        slot = self.errors.slot("half_days", half_days, focus=self.add_button)
        half_days.setAccessibleName(_("Demi-journées"))
        form.addRow(_("Demi-journées :"), slot)

        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(54)
        self.notes.setPlaceholderText(_("Installation de la salle, matériel, repas…"))
        slot = self.errors.slot("notes", self.notes, _("Notes de la séance"))
        form.addRow(_("&Notes :"), slot)
        form.labelForField(slot).setBuddy(self.notes)

        self.booking_note = QLabel(_("Enregistrer réserve la salle pour chaque demi-journée "
                                     "(réservation confirmée « Atelier : {title} »).").format(
            title=self.workshop.title))
        self.booking_note.setWordWrap(True)
        self.booking_note.setStyleSheet(NOTE_STYLE)
        self.booking_note.setAccessibleName(_("Réservation de la salle"))

        self.banner = QLabel()
        self.banner.setObjectName("sessionBanner")
        self.banner.setStyleSheet(REFUSAL_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(_("Message de la séance"))
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setVisible(False)

        buttons, self.ok_button = dialog_buttons(self, _("Enregistrer"), self.save)

        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.booking_note)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)
        self.room.currentIndexChanged.connect(lambda _i: self._room_changed())

    def _fill(self, day: dt.date | None) -> None:
        r = self.record
        if r is None:
            first = day if day is not None and day >= self.today else next_working_day(
                self.today)
            start, end = DEFAULT_TIMES[HalfDayPart.MORNING]
            self._add_row(HalfDay(None, first, HalfDayPart.MORNING, start, end))
            self.room.setCurrentIndex(0 if self.rooms else self.room.count() - 1)
        else:
            for h in r.half_days:
                self._add_row(h)
            index = self.room.findData(r.space_id if r.space_id is not None else OUTSIDE)
            self.room.setCurrentIndex(max(0, index))
            self.place.setText(r.place)
            self.notes.setPlainText(r.notes)
        self._room_changed()
        self._rows_changed()

    # --- the room ----------------------------------------------------------------------------

    def current_room(self) -> SpaceRecord | None:
        space_id = self.room.currentData()
        return next((r for r in self.rooms if r.id == space_id), None)

    def _room_changed(self) -> None:
        outside = self.room.currentData() == OUTSIDE
        self.room_note.setVisible(True)
        self.place_label.setVisible(outside)
        self.place_slot.setVisible(outside)
        self.booking_note.setVisible(not outside)
        room = self.current_room()
        capacity = self.workshop.capacity
        if room is None:
            self.room_note.setText(_("Aucune salle de la maison n'est réservée ; dites où "
                                     "l'atelier a lieu."))
            self.room_note.setStyleSheet(NOTE_STYLE)
        elif room.capacity < capacity:
            self.room_note.setText(_("« {room} » n'accueille que {n} personnes ; "
                                     "l'atelier en prévoit {m}.").format(
                room=room.name, n=room.capacity, m=capacity))
            self.room_note.setStyleSheet(WARN_STYLE)
        else:
            self.room_note.setText(_("{n} places dans la salle ; l'atelier en prévoit "
                                     "{m}.").format(n=room.capacity, m=capacity))
            self.room_note.setStyleSheet(NOTE_STYLE)

    # --- the half-days -----------------------------------------------------------------------

    def _add_row(self, h: HalfDay) -> HalfDayRow:
        row = HalfDayRow(h.day, h.part, h.start, h.end, half_day_id=h.id,
                         on_change=self._rows_changed, on_remove=self.remove_row)
        self.rows.append(row)
        self.rows_layout.insertWidget(self.rows_layout.count() - 1, row)
        row.show()  # at once, not when the layout next settles
        self._rows_changed()
        return row

    def remove_row(self, row: HalfDayRow) -> None:
        if row not in self.rows:
            return
        self.rows.remove(row)
        self.rows_layout.removeWidget(row)
        row.setParent(None)
        row.deleteLater()
        self._rows_changed()
        (self.rows[-1].date if self.rows else self.add_button).setFocus(
            Qt.FocusReason.OtherFocusReason)

    def _last(self) -> tuple[dt.date, HalfDayPart] | None:
        """The last half-day typed (by date and part), None when none is readable."""
        known = [(r.day(), r.current_part()) for r in self.rows if r.day() is not None]
        if not known:
            return None
        order = {HalfDayPart.MORNING: 0, HalfDayPart.AFTERNOON: 1}
        return max(known, key=lambda k: (k[0], order[k[1]]))

    def _first_day(self) -> dt.date:
        return next_working_day(self.today)

    def add_half_day(self) -> HalfDayRow | None:
        """The half-day after the last one."""
        if len(self.rows) >= MAX_HALF_DAYS:
            return None
        last = self._last()
        if last is None:
            day, part = self._first_day(), HalfDayPart.MORNING
        elif last[1] is HalfDayPart.MORNING:
            day, part = last[0], HalfDayPart.AFTERNOON
        else:
            day, part = next_working_day(last[0]), HalfDayPart.MORNING
        start, end = DEFAULT_TIMES[part]
        row = self._add_row(HalfDay(None, day, part, start, end))
        row.date.setFocus(Qt.FocusReason.OtherFocusReason)
        self.rows_scroll.ensureWidgetVisible(row)
        return row

    def add_whole_day(self) -> None:
        """The afternoon of a lone morning, else the morning and the afternoon of the next
        working day."""
        last = self._last()
        if last is not None and last[1] is HalfDayPart.MORNING:
            self.add_half_day()
            return
        if len(self.rows) + 2 > MAX_HALF_DAYS:
            return
        day = self._first_day() if last is None else next_working_day(last[0])
        for part in (HalfDayPart.MORNING, HalfDayPart.AFTERNOON):
            start, end = DEFAULT_TIMES[part]
            row = self._add_row(HalfDay(None, day, part, start, end))
        self.rows_scroll.ensureWidgetVisible(row)
        self.rows[-2].date.setFocus(Qt.FocusReason.OtherFocusReason)

    def _rows_changed(self) -> None:
        for n, row in enumerate(self.rows, start=1):
            row.set_number(n)
        full = len(self.rows) >= MAX_HALF_DAYS
        self.add_button.setEnabled(not full)
        self.day_button.setEnabled(len(self.rows) + 1 < MAX_HALF_DAYS or (
            not full and (self._last() or (None, None))[1] is HalfDayPart.MORNING))
        minutes = 0
        for row in self.rows:
            span = (row.end.time().hour() * 60 + row.end.time().minute()
                    - row.start.time().hour() * 60 - row.start.time().minute())
            minutes += max(0, span)
        n = len(self.rows)
        self.total.setText(_("{count} · {hours}").format(
            count=ngettext("{n} demi-journée", "{n} demi-journées", n).format(n=n),
            hours=minutes_text(minutes)) if n else _("Aucune demi-journée"))
        if hasattr(self, "rows_scroll"):
            visible = min(max(n, 1), 5)
            height = self.rows[0].sizeHint().height() if self.rows else 28
            self.rows_scroll.setMinimumHeight(visible * (height + 4) + 6)
            if self.rows:
                self.rows_scroll.setMinimumWidth(self.rows[0].sizeHint().width() + 20)

    def half_days(self) -> tuple[HalfDay, ...]:
        """The rows, in date and part order (an unreadable date refused)."""
        if not self.rows:
            raise ValidationError(_("Ajoutez au moins une demi-journée."), field="half_days")
        days = [row.half_day(n) for n, row in enumerate(self.rows, start=1)]
        order = {HalfDayPart.MORNING: 0, HalfDayPart.AFTERNOON: 1}
        return tuple(sorted(days, key=lambda h: (h.day, order[h.part], h.start)))

    # --- values ------------------------------------------------------------------------------

    def values(self) -> tuple:
        return (self.room.currentIndex(), self.place.text(), self.notes.toPlainText(),
                tuple(r.values() for r in self.rows))

    def is_dirty(self) -> bool:
        return self.values() != self._snapshot

    def session(self) -> SessionRecord:
        outside = self.room.currentData() == OUTSIDE
        if outside and not self.place.text().strip():
            raise ValidationError(_("Dites où l'atelier a lieu, hors de la maison (le lieu "
                                    "est imprimé sur la feuille d'émargement)."), field="place")
        return SessionRecord(
            id=self.record.id if self.record is not None else None,
            workshop_id=self.workshop.id,
            space_id=None if outside else self.room.currentData(),
            half_days=self.half_days(),
            place=self.place.text().strip() if outside else "",
            notes=self.notes.toPlainText().strip())

    # --- saving ------------------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def banner_text(self) -> str:
        return self.banner.text() if not self.banner.isHidden() else ""

    def error_text(self, slot: str) -> str:
        found = self.errors._slots.get(slot)
        return found.error.text() if found is not None and not found.error.isHidden() else ""

    def _refuse(self, exc: MaisonError) -> None:
        if isinstance(exc, ValidationError):
            slot = SESSION_FIELD_SLOTS.get(exc.field or "", exc.field or "")
            if self.errors.has(slot):
                self.say("")
                self.errors.show(ValidationError(exc.message, field=slot))
                self.room_note.setVisible(slot != "room")  # the message says it
                return
        self.errors.clear()
        self.say(exc.message)

    def save(self) -> None:
        self.errors.clear()
        self.room_note.setVisible(True)
        self.say("")
        try:
            record = self.session()
            self.saved_id = self.services.workshops.save_session(record)
        except Conflict as exc:
            self.errors.clear()
            self.say(exc.message)
            return
        except MaisonError as exc:
            self._refuse(exc)
            return
        days = days_text(h.day for h in record.half_days)
        room = self.current_room()
        n = len(record.half_days)
        what = ngettext("{n} demi-journée", "{n} demi-journées", n).format(n=n)
        if room is not None:
            text = _("Séance de « {title} » enregistrée : {days} ({what}) ; réservation "
                     "confirmée : {room}.")
        else:
            text = _("Séance de « {title} » enregistrée : {days} ({what}), {room}.")
        self.done_message = text.format(title=self.workshop.title, days=days, what=what,
                                        room=room.name if room is not None else record.place)
        self._snapshot = self.values()
        self.accept()

    def reject(self) -> None:
        """Annuler, Escape: ask before dropping what was typed."""
        if self.is_dirty() and not messages.confirm(
                self, _("La séance n'est pas enregistrée. Abandonner la saisie ?"),
                title=_("Séance non enregistrée"), yes=_("Abandonner la saisie"),
                no=_("Continuer la saisie"), destructive=True):
            return
        super().reject()


def _html(text: str) -> str:
    import html

    return html.escape(text, quote=False)


# --- registering someone -------------------------------------------------------------------------


class RegistrationDialog(QDialog):
    """Register a person of the house or an outsider to `session`. After an accepted dialog:
    `registration` (REGISTERED, or WAITING with its position) and `done_message`."""

    def __init__(self, services, tasks, *, session: SessionRecord,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.session = session
        self.registration: RegistrationRecord | None = None
        self.done_message = ""
        self.setWindowTitle(_("Inscrire à « {title} »").format(title=session.workshop_title))
        self.setAccessibleName(_("Inscription"))
        self.setMinimumWidth(560)
        self._build()
        self.person_choice.setChecked(True)
        self._snapshot = self.values()
        self.picker.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build(self) -> None:
        s = self.session
        self.errors = PlacedFormErrors()
        heading = QLabel(_("<b>{title}</b><br>{days} — {place}").format(
            title=_html(s.workshop_title), days=_html(days_text(h.day for h in s.half_days)),
            place=_html(place_text(s))))
        heading.setWordWrap(True)
        heading.setAccessibleName(_("Séance"))
        self.places = QLabel()
        self.places.setObjectName("registrationPlaces")
        self.places.setWordWrap(True)
        self.places.setAccessibleName(_("Places de la séance"))
        if s.free_places > 0:
            self.places.setText(places_text(s))
            self.places.setStyleSheet(INFO_STYLE)
        else:
            self.places.setText(_("{places}. La personne sera inscrite en liste d'attente "
                                  "(n° {n}) et prendra la première place libérée.").format(
                places=places_text(s), n=s.waiting + 1))
            self.places.setStyleSheet(FULL_STYLE)

        self.person_choice = QRadioButton(_("Une personne de la maison"))
        self.person_choice.setAccessibleName(_("Une personne de la maison"))
        self.outside_choice = QRadioButton(_("Une personne extérieure"))
        self.outside_choice.setAccessibleName(_("Une personne extérieure"))
        group = QButtonGroup(self)
        choices = QHBoxLayout()
        for b in (self.person_choice, self.outside_choice):
            group.addButton(b)
            choices.addWidget(b)
        choices.addStretch(1)

        self.picker = people_picker(self.services, self.tasks)
        person_page = self.errors.slot("person", self.picker, focus=self.picker)
        self.picker.field.setAccessibleName(_("Rechercher une personne"))

        outside = QWidget()
        form = QFormLayout(outside)
        form.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.name.setPlaceholderText(_("Prénom et nom"))
        self.email = QLineEdit()
        self.email.setMaxLength(200)
        self.email.setPlaceholderText(_("prenom.nom@exemple.fr"))
        form.addRow(_("&Nom :"), self.errors.slot("name", self.name, _("Nom du participant")))
        form.addRow(_("&E-mail :"), self.errors.slot("email", self.email,
                                                      _("E-mail du participant")))
        hint = QLabel(_("Le nom est imprimé sur la feuille d'émargement et l'attestation ; "
                        "l'e-mail sert à prévenir la personne."))
        hint.setWordWrap(True)
        hint.setStyleSheet(NOTE_STYLE)
        form.addRow("", hint)

        self.pages = QStackedWidget()
        self.pages.addWidget(person_page)
        self.pages.addWidget(outside)
        self.person_choice.toggled.connect(lambda on: self._page(0 if on else 1))

        self.notes = QLineEdit()
        self.notes.setMaxLength(500)
        self.notes.setAccessibleName(_("Note de l'inscription"))
        self.notes.setPlaceholderText(_("Facultatif : régime alimentaire, accessibilité…"))
        notes_row = QFormLayout()
        notes_row.addRow(_("No&te :"), self.errors.slot("notes", self.notes))

        self.banner = QLabel()
        self.banner.setObjectName("sessionBanner")
        self.banner.setStyleSheet(REFUSAL_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(_("Message de l'inscription"))
        self.banner.setVisible(False)

        buttons, self.ok_button = dialog_buttons(self, _("Inscrire"), self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.places)
        layout.addLayout(choices)
        layout.addWidget(self.pages)
        layout.addLayout(notes_row)
        layout.addWidget(self.banner)
        layout.addWidget(buttons)

    def _page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        (self.picker if index == 0 else self.name).setFocus(Qt.FocusReason.OtherFocusReason)

    def values(self) -> tuple:
        return (self.person_choice.isChecked(), self.picker.chosen(), self.name.text(),
                self.email.text(), self.notes.text())

    def is_dirty(self) -> bool:
        return self.values() != self._snapshot

    def record(self) -> RegistrationRecord:
        notes = self.notes.text().strip()
        if self.person_choice.isChecked():
            chosen = self.picker.chosen()
            if chosen is None:
                raise ValidationError(_("Choisissez la personne dans la liste (tapez quelques "
                                        "lettres de son nom), ou inscrivez une personne "
                                        "extérieure."), field="person")
            return RegistrationRecord(None, self.session.id, person_id=chosen[0],
                                      name=chosen[1], notes=notes)
        return RegistrationRecord(None, self.session.id, name=self.name.text().strip(),
                                  email=self.email.text().strip(), notes=notes)

    def say(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def banner_text(self) -> str:
        return self.banner.text() if not self.banner.isHidden() else ""

    def error_text(self, slot: str) -> str:
        found = self.errors._slots.get(slot)
        return found.error.text() if found is not None and not found.error.isHidden() else ""

    def save(self) -> None:
        self.errors.clear()
        self.say("")
        try:
            record = self.record()
            self.registration = self.services.workshops.register(record)
        except MaisonError as exc:
            if isinstance(exc, ValidationError):
                slot = REGISTRATION_FIELD_SLOTS.get(exc.field or "", exc.field or "")
                if self.person_choice.isChecked() and slot in ("name", "email"):
                    slot = "person"
                if self.errors.has(slot):
                    self.errors.show(ValidationError(exc.message, field=slot))
                    return
            self.errors.clear()
            self.say(exc.message)
            return
        self.done_message = registration_text(self.registration, record.name, self.session)
        self._snapshot = self.values()
        self.accept()

    def reject(self) -> None:
        if self.is_dirty() and not messages.confirm(
                self, _("L'inscription n'est pas enregistrée. Abandonner la saisie ?"),
                title=_("Inscription non enregistrée"), yes=_("Abandonner la saisie"),
                no=_("Continuer la saisie"), destructive=True):
            return
        super().reject()


def registration_text(r: RegistrationRecord, name: str, session: SessionRecord) -> str:
    """What the screen says after a registration."""
    who = r.name or name
    if r.status is RegistrationStatus.WAITING:
        return _("{name} est en liste d'attente de « {title} » (n° {n}) : la séance est "
                 "complète.").format(name=who, title=session.workshop_title,
                                     n=r.position or session.waiting + 1)
    return _("{name} est inscrit·e à « {title} », {days}.").format(
        name=who, title=session.workshop_title,
        days=days_text(h.day for h in session.half_days))

