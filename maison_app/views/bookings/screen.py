"""The « Réservations » screen: the rooms' calendar, a day (the rooms side by side) or a week
(all the rooms, or one), the selected booking's details beside it, and what to do with it.

- Book: drag over free time in the calendar (the dialog opens with that room and those
  times), double-click a free slot, or « Nouvelle réservation… » (Ctrl+N).
- Change: double-click or Enter on a booking (the form), drag it to move it (in the day
  view also to another room), drag its bottom edge to change its end; Delete cancels it
  (after a confirmation; for a series: this one or the following ones too, with a reason).
- Options (provisional, until a date) are hatched, confirmed bookings solid; the line of
  the current time moves every minute.
- Papers: the confirmation PDF (archived), the .ics of a booking, the .ics of a room's
  bookings over the week shown (the month of the day shown in the day view).
- The search box finds a booking by its title or who booked (accents do not matter);
  choosing a result shows its day and selects it.

Keyboard: Ctrl+D day view, Ctrl+W week view; Alt+Left / Alt+Right the previous / next day
or week, Alt+Home today, Ctrl+G the date field; Ctrl+F the search; Ctrl+N a new booking;
Enter changes the selected booking, Delete cancels it; Ctrl+P its confirmation, Ctrl+E its
.ics; F5 reloads.

The calendar loads through the task runner (one call for the rooms, the bookings and the
closed days of the period shown); the writes call the service on the GUI thread, as the
other screens do."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, QRectF, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.bookings import BookingRecord, week_start
from maison_app.domain.enums import BookingStatus, PriceBasis, SeriesScope
from maison_app.domain.errors import MaisonError
from maison_app.domain.permissions import Access, Area
from maison_app.domain.spaces import SpaceRecord
from maison_app.domain.text import MIN_QUERY_LENGTH
from maison_app.i18n import PARIS, _, format_date, format_money, ngettext
from maison_app.services.permissions import can
from maison_app.ui import messages
from maison_app.ui.common import guarded, pydate, qdate, today
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.views.bookings.series_dialog import ScopeDialog, hours_text, long_day

NOW_INTERVAL_MS = 60_000
SEARCH_DELAY_MS = 200
NOTE_STYLE = "color: #555;"
BANNER_STYLE = ("#bookingsNotice { background: #e3f1e8; border: 1px solid #9cc8ab; "
                "border-radius: 4px; padding: 5px 8px; }")
TOGGLE_STYLE = ("QPushButton { padding: 5px 14px; } "
                "QPushButton:checked { background: #24473d; color: white; font-weight: 600; "
                "border: 1px solid #173028; border-radius: 3px; }")
STATUS_COLOURS = {
    BookingStatus.CONFIRMED: "#1e6b3a",
    BookingStatus.OPTION: "#8a5a00",
    BookingStatus.CANCELLED: "#6b6b6b",
}
DAY, WEEK = "day", "week"


# --- what tests replace ------------------------------------------------------------------


def run_dialog(dialog: QDialog) -> bool:
    """A confirmation dialog of the screen (the cancellation); tests replace exec."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_save_path(parent: QWidget, title: str, suggested: str) -> str:
    """Where to save an .ics file ("" if cancelled). Tests replace it."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    start = Path(folder or Path.home()) / suggested
    path, _filter = QFileDialog.getSaveFileName(parent, title, str(start),
                                                _("Calendrier iCalendar (*.ics)"))
    if path and not path.lower().endswith(".ics"):
        path += ".ics"
    return path


def show_pdf(parent: QWidget, record, content: bytes) -> QDialog:
    """The confirmation in the PDF preview (print, save, open)."""
    from maison_app.ui.pdf_preview import PdfPreviewDialog

    dialog = PdfPreviewDialog(content, title=_("Confirmation de réservation — {number}").format(
        number=record.number), suggested_filename=record.filename, parent=parent)
    dialog.open()
    return dialog


# --- texts --------------------------------------------------------------------------------


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def status_text(b: BookingRecord, day: dt.date) -> str:
    """"Confirmée", "Option jusqu'au 3 décembre 2026", "Option expirée le …", "Annulée"."""
    if b.status is BookingStatus.OPTION and b.option_until is not None:
        if b.expired(day):
            return _("Option expirée le {day} : ne tient plus la salle").format(
                day=format_date(b.option_until))
        return _("Option jusqu'au {day}").format(day=format_date(b.option_until))
    if b.status is BookingStatus.CANCELLED and b.cancel_reason:
        return _("Annulée ({reason})").format(reason=b.cancel_reason)
    return b.status.label


def price_text(b: BookingRecord) -> str:
    """"40,00 € — tarif demi-journée adhérent", "30,00 € — prix saisi à la main (partenariat)"."""
    if b.price_basis is PriceBasis.MANUAL:
        return _("{price} — prix saisi à la main ({reason})").format(
            price=format_money(b.price_cents), reason=b.override_reason)
    if b.price_basis is PriceBasis.FREE:
        return _("Gratuit (la salle n'a pas de tarif)")
    audience = _("adhérent") if b.member_rate else _("non adhérent")
    return _("{price} — {basis}, {audience}").format(
        price=format_money(b.price_cents), basis=b.price_basis.label.lower(), audience=audience)


def booking_line(b: BookingRecord) -> str:
    """One line of the search results: "jeu. 26 nov. 2026 · 14:00–16:00 · Salle Sèvre ·
    « Atelier » — Coopérative Alpha"."""
    return _("{day} · {hours} · {room} · « {title} » — {who}").format(
        day=format_date(b.day, "EEE d MMM y"), hours=hours_text(b.start, b.end),
        room=b.space_name, title=b.title, who=b.booker_name)


def contact_text(b: BookingRecord) -> str:
    parts = [p for p in (b.booker.contact_email, b.booker.contact_phone) if p]
    if b.booker.outside:
        who = _("{name} (contact extérieur)").format(name=b.booker_name)
        return who + ("\n" + " · ".join(parts) if parts else "")
    return b.booker_name


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


# --- the legend ------------------------------------------------------------------------------


class Swatch(QWidget):
    """A small sample of how the calendar draws a kind of booking or time."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setFixedSize(26, 14)

    def paintEvent(self, event) -> None:
        from maison_app.views.bookings.calendar_view import (
            CLOSED_DAY,
            EXPIRED_LOOK,
            OUTSIDE_HOURS,
            PALETTE,
        )

        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -1, -1)
        if self.kind in ("closed", "outside"):
            p.fillRect(r, CLOSED_DAY if self.kind == "closed" else OUTSIDE_HOURS)
            p.setPen(QPen(QColor("#b8b5ab"), 1))
            p.drawRect(r)
            return
        look = EXPIRED_LOOK if self.kind == "expired" else PALETTE[0]
        path = QPainterPath()
        path.addRoundedRect(r, 3, 3)
        border = QColor(look.border)
        if self.kind == "confirmed":
            p.fillPath(path, QColor(look.fill))
            p.setPen(QPen(border, 1))
        else:
            p.fillPath(path, QColor(look.light))
            hatch = QColor(border)
            hatch.setAlpha(70)
            p.fillPath(path, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            p.setPen(QPen(border, 1.5, Qt.PenStyle.DashLine))
        p.drawPath(path)


class RoomLegend(QWidget):
    """The colour of each room's lane in the week view of all the rooms."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Couleurs des salles"))
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(5)
        self.hide()

    def show_rooms(self, rooms) -> None:
        from maison_app.views.bookings.calendar_view import PALETTE

        while self._row.count():
            item = self._row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        for j, room in enumerate(rooms):
            look = PALETTE[j % len(PALETTE)]
            chip = QLabel()
            chip.setFixedSize(26, 14)
            chip.setStyleSheet(f"background: {look.fill}; border: 1px solid {look.border};"
                               " border-radius: 3px;")
            self._row.addWidget(chip)
            name = QLabel(room.name)
            name.setStyleSheet(NOTE_STYLE)
            self._row.addWidget(name)
            self._row.addSpacing(10)
        self._row.addStretch(1)
        self.setAccessibleDescription(", ".join(r.name for r in rooms))
        self.setVisible(bool(rooms))


def legend() -> QWidget:
    box = QWidget()
    box.setAccessibleName(_("Légende du calendrier"))
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(5)
    words = []
    for kind, label in (("confirmed", _("Confirmée")), ("option", _("Option")),
                        ("expired", _("Option expirée (salle libre)")),
                        ("outside", _("Hors horaires d'ouverture")),
                        ("closed", _("Maison fermée"))):
        row.addWidget(Swatch(kind))
        text = QLabel(label)
        text.setStyleSheet(NOTE_STYLE)
        row.addWidget(text)
        row.addSpacing(10)
        words.append(label)
    row.addStretch(1)
    box.setAccessibleDescription(", ".join(words))
    return box


# --- the screen ------------------------------------------------------------------------------


class BookingsScreen(QWidget):
    """Needs the app's `Services` and the shared `TaskRunner`."""

    loaded = Signal()  # after each calendar shown (tests listen to it)
    found = Signal()  # after each search answer shown

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.editable = can(services.ctx.actor, Area.BOOKINGS, Access.WRITE)
        self.mode = DAY
        self.rooms: list[SpaceRecord] = []
        self.shown: dict[int, BookingRecord] = {}
        self.closed: dict[dt.date, str] = {}
        self.dialog: QDialog | None = None  # the booking dialog open, if any
        self.pdf_dialog: QDialog | None = None
        self._select_after: int | None = None
        self._series_text: dict[int, str] = {}
        self.setAccessibleName(_("Réservations"))
        self._build()
        self._now_timer = QTimer(self, interval=NOW_INTERVAL_MS)
        self._now_timer.timeout.connect(self._tick)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self._show_selection(None)

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        from maison_app.views.bookings.calendar_view import CalendarView

        heading = QLabel(_("Réservations"))
        heading.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.period = QLabel()
        self.period.setAccessibleName(_("Période affichée"))
        self.period.setStyleSheet("font-size: 15px; font-weight: 600; color: #24473d;")
        self.period.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.day_button = self._button(_("Jour"), _("Vue jour"), lambda: self.set_mode(DAY),
                                       tip=_("Les salles côte à côte, sur un jour (Ctrl+D)"))
        self.week_button = self._button(_("Semaine"), _("Vue semaine"),
                                        lambda: self.set_mode(WEEK),
                                        tip=_("Les sept jours d'une semaine (Ctrl+W)"))
        modes = QButtonGroup(self)
        for b in (self.day_button, self.week_button):
            b.setCheckable(True)
            b.setStyleSheet(TOGGLE_STYLE)
            bold = b.font()
            bold.setBold(True)
            b.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(b.text()) + 34)
            modes.addButton(b)
        self.day_button.setChecked(True)

        self.room_filter = QComboBox()
        self.room_filter.setAccessibleName(_("Salle montrée"))
        self.room_filter.setToolTip(_("En vue semaine : toutes les salles, ou une seule"))
        self.room_filter.addItem(_("Toutes les salles"), None)
        self.room_filter.setMinimumWidth(170)
        self.room_filter.currentIndexChanged.connect(lambda _i: self._room_chosen())
        self.room_filter.setEnabled(False)  # the day view shows every room

        self.previous_button = self._button("◀", _("Période précédente"),
                                            lambda: self.shift(-1),
                                            tip=_("Jour ou semaine précédente (Alt+Gauche)"))
        self.today_button = self._button(_("Aujourd'hui"), _("Aujourd'hui"), self.show_today,
                                         tip=_("Revenir à aujourd'hui (Alt+Origine)"))
        self.next_button = self._button("▶", _("Période suivante"), lambda: self.shift(1),
                                        tip=_("Jour ou semaine suivante (Alt+Droite)"))
        for b in (self.previous_button, self.next_button):
            b.setFixedWidth(36)
        self.date = QDateEdit(qdate(today(self.services)))
        self.date.setAccessibleName(_("Date affichée"))
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setCalendarPopup(True)
        self.date.setMinimumDate(QDate(2000, 1, 1))
        self.date.setMaximumDate(QDate(2100, 12, 31))
        self.date.setMinimumWidth(120)
        self.date.setToolTip(_("Tapez une date ou choisissez-la dans le calendrier (Ctrl+G)"))
        self.date.dateChanged.connect(lambda _d: self.reload())

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.day_button)
        top.addWidget(self.week_button)
        top.addSpacing(8)
        top.addWidget(self.room_filter)
        top.addSpacing(8)
        top.addWidget(self.previous_button)
        top.addWidget(self.today_button)
        top.addWidget(self.next_button)
        top.addWidget(self.date)

        self.notice = QLabel()
        self.notice.setObjectName("bookingsNotice")
        self.notice.setStyleSheet(BANNER_STYLE)
        self.notice.setAccessibleName(_("Message"))
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)

        self.calendar = CalendarView()
        self.calendar.set_editable(self.editable)
        self.calendar.rangeSelected.connect(self._range_selected)
        self.calendar.bookingActivated.connect(self.edit_booking)
        self.calendar.bookingMoved.connect(self._booking_moved)
        self.calendar.cancelRequested.connect(self.cancel_booking)
        self.calendar.selectionChanged.connect(self._show_selection)

        hint = QLabel(_("Glissez sur un créneau libre pour réserver ; double-clic ou Entrée "
                        "pour modifier ; faites glisser une réservation pour la déplacer, son "
                        "bord du bas pour changer la fin ; Suppr pour l'annuler.")
                      if self.editable else _("Consultation seule."))
        hint.setAccessibleName(_("Aide du calendrier"))
        hint.setWordWrap(True)
        hint.setStyleSheet(NOTE_STYLE)
        calendar_column = QWidget()
        c = QVBoxLayout(calendar_column)
        c.setContentsMargins(0, 0, 0, 0)
        c.addWidget(self.calendar, 1)
        self.room_legend = RoomLegend()
        c.addWidget(self.room_legend)
        c.addWidget(legend())
        c.addWidget(hint)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(calendar_column)
        self.splitter.addWidget(self._side())
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([860, 330])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.period)
        layout.addWidget(self.notice)
        layout.addWidget(self.splitter, 1)
        self.setFocusProxy(self.calendar)

        keys: list[tuple[object, Callable[[], None]]] = [
            ("Ctrl+D", lambda: self.set_mode(DAY)),
            ("Ctrl+W", lambda: self.set_mode(WEEK)),
            ("Alt+Left", lambda: self.shift(-1)),
            ("Alt+Right", lambda: self.shift(1)),
            ("Alt+Home", self.show_today),
            ("Ctrl+G", self.focus_date),
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence.StandardKey.Refresh, self.refresh),
            (QKeySequence.StandardKey.Print, self.print_confirmation),
            ("Ctrl+E", self.export_ics),
        ]
        if self.editable:
            keys.append(("Ctrl+N", lambda: self.new_booking()))
        self.shortcuts: dict[str, QShortcut] = {
            shortcut.key().toString(): shortcut for shortcut in add_shortcuts(self, keys)}

    def _side(self) -> QWidget:
        side = QWidget()
        side.setMinimumWidth(300)
        v = QVBoxLayout(side)
        v.setContentsMargins(4, 0, 0, 0)

        self.new_button = self._button(_("Nouvelle réservation… (Ctrl+N)"),
                                       _("Nouvelle réservation"), lambda: self.new_booking())
        self.new_button.setStyleSheet("font-weight: 600; padding: 6px;")
        self.new_button.setVisible(self.editable)
        v.addWidget(self.new_button)

        self.search = QLineEdit()
        self.search.setAccessibleName(_("Rechercher une réservation"))
        self.search.setPlaceholderText(_("Rechercher : objet, structure, personne… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._query_changed)
        self.search.returnPressed.connect(self._search_entered)
        self.results = QListWidget()
        self.results.setAccessibleName(_("Réservations trouvées"))
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._result_chosen)
        self.results.itemClicked.connect(self._result_chosen)
        self.results.setMaximumHeight(170)
        self.results.setVisible(False)
        self.search_hint = QLabel()
        self.search_hint.setAccessibleName(_("Résultat de la recherche"))
        self.search_hint.setStyleSheet(NOTE_STYLE)
        self.search_hint.setWordWrap(True)
        self.search_hint.setVisible(False)
        v.addWidget(self.search)
        v.addWidget(self.search_hint)
        v.addWidget(self.results)

        box = QGroupBox(_("Réservation choisie"))
        box.setAccessibleName(_("Réservation choisie"))
        b = QVBoxLayout(box)
        self.detail_title = QLabel()
        self.detail_title.setAccessibleName(_("Objet de la réservation choisie"))
        self.detail_title.setWordWrap(True)
        self.detail_title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.detail_status = QLabel()
        self.detail_status.setAccessibleName(_("Statut de la réservation"))
        self.detail_status.setWordWrap(True)
        form = QFormLayout()
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(3)
        self.details: dict[str, QLabel] = {}
        for key, label, name in (
            ("room", _("Salle :"), _("Salle de la réservation")),
            ("date", _("Date :"), _("Date de la réservation")),
            ("hours", _("Horaire :"), _("Horaire de la réservation")),
            ("booker", _("Réservé par :"), _("Réservé par")),
            ("attendees", _("Participants :"), _("Participants")),
            ("price", _("Prix :"), _("Prix")),
            ("series", _("Série :"), _("Série")),
            ("notes", _("Notes :"), _("Notes de la réservation")),
        ):
            value = QLabel()
            value.setAccessibleName(name)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            form.addRow(label, value)
            self.details[key] = value
        self.detail_form = QWidget()
        self.detail_form.setLayout(form)
        self.empty_note = QLabel()
        self.empty_note.setAccessibleName(_("Aucune réservation choisie"))
        self.empty_note.setWordWrap(True)
        self.empty_note.setStyleSheet(NOTE_STYLE)
        b.addWidget(self.detail_title)
        b.addWidget(self.detail_status)
        b.addWidget(self.detail_form)
        b.addWidget(self.empty_note)

        self.edit_button = self._button(_("Modifier… (Entrée)"), _("Modifier"),
                                        self.edit_selected)
        self.confirm_button = self._button(_("Confirmer l'option"), _("Confirmer l'option"),
                                           self.confirm_selected)
        self.cancel_button = self._button(_("Annuler la réservation… (Suppr)"),
                                          _("Annuler la réservation"), self.cancel_selected)
        self.pdf_button = self._button(_("Confirmation PDF… (Ctrl+P)"),
                                       _("Confirmation PDF"), self.print_confirmation)
        self.ics_button = self._button(_("Exporter (.ics)… (Ctrl+E)"), _("Exporter la réservation"),
                                       self.export_ics,
                                       tip=_("Un fichier à importer dans un agenda (Outlook, "
                                             "Thunderbird, Google Agenda…)"))
        for w in (self.edit_button, self.confirm_button, self.cancel_button):
            w.setVisible(self.editable)
        grid = QVBoxLayout()
        grid.setSpacing(4)
        for w in (self.edit_button, self.confirm_button, self.cancel_button, self.pdf_button,
                  self.ics_button):
            grid.addWidget(w)
        b.addLayout(grid)
        b.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidget(box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        v.addWidget(scroll, 1)

        self.room_ics_button = self._button(
            _("Calendrier de la salle (.ics)…"), _("Calendrier de la salle"),
            self.export_room_ics,
            tip=_("Les réservations d'une salle sur la semaine montrée (en vue jour : le mois "
                  "du jour montré), pour un agenda"))
        v.addWidget(self.room_ics_button)
        return side

    def _button(self, text: str, name: str, slot: Callable | None, *,
                tip: str | None = None) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        if tip:
            button.setToolTip(tip)
        if slot is not None:
            button.clicked.connect(lambda _c=False: slot())
        return button

    # --- showing -----------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._now_timer.start()
        self.reload()

    def hideEvent(self, event) -> None:
        self._now_timer.stop()
        super().hideEvent(event)

    def _now(self) -> dt.datetime:
        return self.services.ctx.now().astimezone(PARIS)

    def _tick(self) -> None:
        self.calendar.set_now(self._now())

    def day(self) -> dt.date:
        return pydate(self.date.date())

    def set_day(self, day: dt.date) -> None:
        if day == self.day():
            self.reload()
        else:
            self.date.setDate(qdate(day))  # reloads

    def show_today(self) -> None:
        self.set_day(today(self.services))

    def shift(self, steps: int) -> None:
        self.set_day(self.day() + dt.timedelta(days=steps * (7 if self.mode == WEEK else 1)))

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        (self.day_button if mode == DAY else self.week_button).setChecked(True)
        self.room_filter.setEnabled(mode == WEEK)
        self.reload()
        self.calendar.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_date(self) -> None:
        self.date.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.date.setSelectedSection(QDateEdit.Section.DaySection)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _room_chosen(self) -> None:
        if self.mode == WEEK:
            self.reload()

    def period_bounds(self) -> tuple[dt.date, dt.date]:
        """The days shown: [start, end)."""
        if self.mode == DAY:
            return self.day(), self.day() + dt.timedelta(days=1)
        monday = week_start(self.day())
        return monday, monday + dt.timedelta(days=7)

    def reload(self) -> None:
        """The rooms, the bookings and the closed days of the period shown."""
        start, end = self.period_bounds()
        space_id = self.room_filter.currentData() if self.mode == WEEK else None
        bookings = self.services.bookings

        def load():
            return (bookings.settings(), bookings.rooms(),
                    bookings.bookings(start=start, end=end, space_id=space_id),
                    bookings.closed_days(start=start, end=end))

        self.tasks.run(load, on_success=guarded(self, lambda r: self._show(r, start, space_id)),
                       on_error=guarded(self, self._failed), key=f"bookings-{id(self)}")

    def refresh(self) -> None:
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        messages.show_error(self, exc)

    def _fill_rooms(self, rooms) -> None:
        self.rooms = list(rooms)
        keep = self.room_filter.currentData()
        self.room_filter.blockSignals(True)
        self.room_filter.clear()
        self.room_filter.addItem(_("Toutes les salles"), None)
        for room in self.rooms:
            self.room_filter.addItem(room.name, room.id)
        index = self.room_filter.findData(keep) if keep is not None else 0
        self.room_filter.setCurrentIndex(max(index, 0))
        self.room_filter.blockSignals(False)

    def _show(self, result, start: dt.date, space_id: int | None) -> None:
        settings, rooms, bookings, closed = result
        if (start, space_id) != (self.period_bounds()[0], self.room_filter.currentData()
                                 if self.mode == WEEK else None):
            return  # the period changed meanwhile: its own load is on the way
        self._fill_rooms(rooms)
        keep = self._select_after if self._select_after is not None else \
            self.calendar.selected_booking()
        self._select_after = None
        self.shown = {b.id: b for b in bookings}
        self.closed = dict(closed)
        self.calendar.set_hours(settings.opens, settings.closes, settings.weekdays)
        if self.mode == DAY:
            self.calendar.set_day(start, self.rooms, bookings, closed)
        else:
            shown_rooms = [r for r in self.rooms if space_id is None or r.id == space_id]
            self.calendar.set_week(start, shown_rooms, bookings, closed)
        self.room_legend.show_rooms(self.rooms if self.mode == WEEK and space_id is None
                                    and len(self.rooms) > 1 else [])
        self.calendar.set_now(self._now())
        self.calendar.set_editable(self.editable)
        if keep is not None and keep in self.shown:
            self.calendar.select_booking(keep)
        self._show_selection(self.calendar.selected_booking())
        self._update_period(bookings)
        self.loaded.emit()

    def _update_period(self, bookings) -> None:
        live = [b for b in bookings if b.status is not BookingStatus.CANCELLED]
        n = ngettext("{n} réservation", "{n} réservations", len(live)).format(n=len(live))
        if self.mode == DAY:
            text = _("{day} · {n}").format(day=_capitalised(long_day(self.day())), n=n)
            reason = self.closed.get(self.day())
            if reason:
                text += " · " + _("maison fermée : {reason}").format(reason=reason)
        else:
            monday = week_start(self.day())
            sunday = monday + dt.timedelta(days=6)
            room = self.room_filter.currentText() if self.room_filter.currentData() else ""
            if monday.month == sunday.month:
                first = format_date(monday, "d")
            elif monday.year == sunday.year:
                first = format_date(monday, "d MMMM")
            else:
                first = format_date(monday)
            text = _("Semaine du {first} au {last}").format(first=first,
                                                            last=format_date(sunday))
            text += " · " + (f"{room} · {n}" if room else n)
        if not self.rooms:
            text = _("Aucune salle à réserver : les salles de réunion et d'atelier se "
                     "déclarent dans Administration › Espaces.")
        self.period.setText(text)

    # --- selection ---------------------------------------------------------------------

    def selected(self) -> BookingRecord | None:
        booking_id = self.calendar.selected_booking()
        return self.shown.get(booking_id) if booking_id is not None else None

    def _show_selection(self, booking_id) -> None:
        b = self.shown.get(booking_id) if booking_id is not None else None
        has = b is not None
        self.detail_form.setVisible(has)
        self.detail_title.setVisible(has)
        self.detail_status.setVisible(has)
        self.empty_note.setVisible(not has)
        live = has and b.status is not BookingStatus.CANCELLED
        self.edit_button.setEnabled(live)
        self.cancel_button.setEnabled(live)
        self.confirm_button.setEnabled(live and b.status is BookingStatus.OPTION)
        self.pdf_button.setEnabled(live)
        self.ics_button.setEnabled(live)
        self.room_ics_button.setEnabled(bool(self.rooms))
        if not has:
            self.empty_note.setText(
                _("Cliquez sur une réservation du calendrier pour la voir ici.") if self.shown
                else _("Aucune réservation sur cette période."))
            return
        day = today(self.services)
        self.detail_title.setText(b.title)
        colour = STATUS_COLOURS[BookingStatus.CANCELLED if b.expired(day) else b.status]
        self.detail_status.setText(status_text(b, day))
        self.detail_status.setStyleSheet(f"color: {colour}; font-weight: 600;")
        d = self.details
        room = next((r for r in self.rooms if r.id == b.space_id), None)
        d["room"].setText(_("{name} ({n} places)").format(name=b.space_name, n=room.capacity)
                          if room else b.space_name)
        d["date"].setText(_capitalised(long_day(b.day)))
        d["hours"].setText(hours_text(b.start, b.end))
        d["booker"].setText(contact_text(b))
        over = room is not None and b.attendees > room.capacity
        d["attendees"].setText(str(b.attendees) + (_(" (plus que la capacité)") if over else ""))
        d["price"].setText(price_text(b))
        d["notes"].setText(b.notes or "—")
        if b.series_id is None:
            d["series"].setText(_("Non (réservation unique)"))
        else:
            d["series"].setText(self._series_text.get(b.id, _("Oui")))
            self._load_series(b)

    def _load_series(self, b: BookingRecord) -> None:
        bookings = self.services.bookings
        series_id = b.series_id
        self.tasks.run(lambda: bookings.series(series_id=series_id),
                       on_success=guarded(self, lambda rows: self._show_series(b.id, rows)),
                       on_error=guarded(self, lambda _exc: None),
                       key=f"series-{id(self)}")

    def _show_series(self, booking_id: int, rows) -> None:
        live = [r for r in rows if r.status is not BookingStatus.CANCELLED]
        ids = [r.id for r in live]
        if booking_id not in ids or not live:
            text = ngettext("{n} réservation", "{n} réservations", len(live)).format(n=len(live))
        else:
            text = _("{i} sur {n}, du {first} au {last}").format(
                i=ids.index(booking_id) + 1, n=len(live), first=format_date(live[0].day),
                last=format_date(live[-1].day))
        self._series_text[booking_id] = text
        if self.calendar.selected_booking() == booking_id:
            self.details["series"].setText(text)

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # --- search ------------------------------------------------------------------------

    def _query_changed(self, text: str) -> None:
        if len(text.strip()) < MIN_QUERY_LENGTH:
            self._search_timer.stop()
            self.results.clear()
            self.results.setVisible(False)
            self.search_hint.setText(_("Encore une lettre : la recherche commence à deux "
                                       "lettres.") if text.strip() else "")
            self.search_hint.setVisible(bool(text.strip()))
            return
        self._search_timer.start()

    def _search_entered(self) -> None:
        if self._search_timer.isActive():
            self._search_timer.stop()
            self.run_search()
        elif self.results.count():
            self._result_chosen(self.results.currentItem() or self.results.item(0))

    def run_search(self) -> None:
        query = self.search.text()
        if len(query.strip()) < MIN_QUERY_LENGTH:
            return
        bookings = self.services.bookings
        self.tasks.run(lambda: (query, bookings.find(query=query)),
                       on_success=guarded(self, self._show_found),
                       on_error=guarded(self, self._failed), key=f"find-{id(self)}")

    def _show_found(self, result) -> None:
        query, found = result
        if query != self.search.text():
            return
        self.results.clear()
        for b in found:
            item = QListWidgetItem(booking_line(b)
                                   + (_(" (annulée)") if b.status is BookingStatus.CANCELLED
                                      else ""))
            item.setData(Qt.ItemDataRole.UserRole, (b.id, b.day))
            item.setToolTip(booking_line(b))
            self.results.addItem(item)
        n = len(found)
        self.search_hint.setText(
            ngettext("{n} réservation trouvée : Entrée ou clic pour la montrer.",
                     "{n} réservations trouvées (les prochaines d'abord) : Entrée ou clic "
                     "pour en montrer une.", n).format(n=n) if n
            else _("Aucune réservation ne correspond à « {q} ».").format(q=query.strip()))
        self.search_hint.setVisible(True)
        self.results.setVisible(bool(n))
        if n:
            self.results.setCurrentRow(0)
        self.found.emit()

    def _result_chosen(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        booking_id, day = item.data(Qt.ItemDataRole.UserRole)
        self.show_booking(booking_id, day)

    def show_booking(self, booking_id: int, day: dt.date) -> None:
        """Show the day (or week) of a booking, and select it."""
        self._select_after = booking_id
        self.set_day(day)
        self.calendar.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- writing -----------------------------------------------------------------------

    def _range_selected(self, space_id: int, start: dt.datetime, end: dt.datetime) -> None:
        self.new_booking(space_id=space_id, start=start, end=end)

    def new_booking(self, *, space_id: int | None = None, start: dt.datetime | None = None,
                    end: dt.datetime | None = None) -> None:
        if not self.editable or self.dialog is not None:
            return
        from maison_app.views.bookings.booking_dialog import BookingDialog

        if space_id is None and self.mode == WEEK:
            space_id = self.room_filter.currentData()
        try:
            dialog = BookingDialog(self.services, self.tasks, space_id=space_id, start=start,
                                   end=end, day=self.day(), parent=self)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        self._open(dialog)

    def edit_selected(self) -> None:
        b = self.selected()
        if b is not None:
            self.edit_booking(b.id)

    def edit_booking(self, booking_id: int) -> None:
        if not self.editable or self.dialog is not None:
            return
        b = self.shown.get(booking_id)
        if b is not None and b.status is BookingStatus.CANCELLED:
            self._say(_("« {title} » est annulée : elle ne se modifie plus.").format(
                title=b.title))
            return
        from maison_app.views.bookings.booking_dialog import BookingDialog

        try:
            dialog = BookingDialog(self.services, self.tasks, booking_id=booking_id, parent=self)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.reload()
            return
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        """The booking dialog, window-modal; the calendar reloads when it saved."""
        self.dialog = dialog

        def saved() -> None:
            ids = getattr(dialog, "saved_ids", ())
            self._say(getattr(dialog, "done_message", ""))
            day = getattr(dialog, "saved_day", None)
            if ids:
                self._select_after = ids[0]
            if day is not None and not self._is_shown(day):
                self.set_day(day)
            else:
                self.reload()

        dialog.accepted.connect(saved)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()

    def _is_shown(self, day: dt.date) -> bool:
        start, end = self.period_bounds()
        return start <= day < end

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.calendar.setFocus(Qt.FocusReason.OtherFocusReason)

    def _booking_moved(self, booking_id: int, space_id: int, start: dt.datetime,
                       end: dt.datetime) -> None:
        """A block dragged (moved, or its end pulled): only this booking changes, even in a
        series."""
        if not self.editable:
            self.reload()
            return
        self._select_after = booking_id
        try:
            self.services.bookings.move(booking_id=booking_id, start=start, end=end,
                                        space_id=space_id)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.reload()
            return
        b = self.shown.get(booking_id)
        room = next((r.name for r in self.rooms if r.id == space_id), "")
        self._say(_("« {title} » : {room}, {day}, {hours}.").format(
            title=b.title if b else "", room=room, day=long_day(start.astimezone(PARIS).date()),
            hours=hours_text(start, end)))
        self.reload()

    def confirm_selected(self) -> None:
        b = self.selected()
        if b is None or b.status is not BookingStatus.OPTION:
            return
        try:
            self.services.bookings.confirm(booking_id=b.id)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.reload()
            return
        self._select_after = b.id
        self._say(_("Option confirmée : « {title} », {day}, {hours}.").format(
            title=b.title, day=long_day(b.day), hours=hours_text(b.start, b.end)))
        self.reload()

    def cancel_selected(self) -> None:
        b = self.selected()
        if b is not None:
            self.cancel_booking(b.id)

    def cancel_booking(self, booking_id: int) -> None:
        """Delete on a booking, or « Annuler la réservation… »: a confirmation (for a series:
        this one or the following ones too) with an optional reason."""
        if not self.editable:
            return
        b = self.shown.get(booking_id)
        if b is None or b.status is BookingStatus.CANCELLED:
            return
        what = _("« {title} » ({who}), {day}, {hours}, {room}").format(
            title=b.title, who=b.booker_name, day=long_day(b.day),
            hours=hours_text(b.start, b.end), room=b.space_name)
        series = b.series_id is not None
        ask = ScopeDialog(
            title=_("Annuler la réservation"),
            question=(_("Annuler la réservation {what} ? Elle fait partie d'une série.")
                      if series else _("Annuler la réservation {what} ?")).format(what=what)
            + "\n" + _("La salle redevient libre ; la réservation reste dans l'historique."),
            ok=_("Annuler la réservation"), series=series, reason=True, parent=self)
        self.cancel_dialog = ask
        accepted = run_dialog(ask)
        scope, reason = ask.scope(), ask.reason.text().strip()
        ask.deleteLater()
        self.cancel_dialog = None
        if not accepted:
            return
        try:
            n = self.services.bookings.cancel(booking_id=booking_id, scope=scope, reason=reason)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.reload()
            return
        if scope is SeriesScope.FOLLOWING:
            self._say(ngettext("{n} réservation de la série annulée, à partir du {day}.",
                               "{n} réservations de la série annulées, à partir du {day}.",
                               n).format(n=n, day=format_date(b.day)))
        else:
            self._say(_("Réservation annulée : {what}.").format(what=what))
        self.reload()

    # --- papers ------------------------------------------------------------------------

    def print_confirmation(self) -> None:
        b = self.selected()
        if b is None or b.status is BookingStatus.CANCELLED:
            return
        self.pdf_button.setEnabled(False)
        bookings, booking_id = self.services.bookings, b.id
        self.tasks.run(lambda: bookings.confirmation(booking_id=booking_id),
                       on_success=guarded(self, self._show_pdf),
                       on_error=guarded(self, self._pdf_failed), key=f"pdf-{id(self)}")

    def _show_pdf(self, result) -> None:
        record, content = result
        self._show_selection(self.calendar.selected_booking())
        self.pdf_dialog = show_pdf(self, record, content)
        self.reload()  # the booking now names its archived confirmation

    def _pdf_failed(self, exc: BaseException) -> None:
        self._show_selection(self.calendar.selected_booking())
        messages.show_error(self, exc)

    def export_ics(self) -> None:
        b = self.selected()
        if b is None or b.status is BookingStatus.CANCELLED:
            return
        try:
            name, content = self.services.bookings.ics(booking_id=b.id)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        self._write(name, content, _("Exporter la réservation"))

    def room_for_export(self) -> SpaceRecord | None:
        """The room chosen above the week view, else the selected booking's, else the only
        room."""
        space_id = self.room_filter.currentData() if self.mode == WEEK else None
        if space_id is None and self.selected() is not None:
            space_id = self.selected().space_id
        if space_id is None and len(self.rooms) == 1:
            space_id = self.rooms[0].id
        return next((r for r in self.rooms if r.id == space_id), None)

    def export_room_ics(self) -> None:
        room = self.room_for_export()
        if room is None:
            self._say(_("Choisissez d'abord la salle : dans la liste au-dessus de la vue "
                        "semaine, ou en cliquant sur une de ses réservations."))
            return
        if self.mode == WEEK:
            start, end = self.period_bounds()
        else:
            start = self.day().replace(day=1)
            end = add_months(start, 1)
        try:
            name, content = self.services.bookings.room_ics(space_id=room.id, start=start,
                                                            end=end)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        self._write(name, content, _("Calendrier de {room}").format(room=room.name))

    def _write(self, name: str, content: bytes, title: str) -> None:
        path = ask_save_path(self, title, name)
        if not path:
            return
        try:
            Path(path).write_bytes(content)
        except OSError as exc:
            messages.show_error(self, MaisonError(_(
                "Le fichier n'a pas pu être enregistré ({path}) : {error}").format(
                path=path, error=exc.strerror or exc)))
            return
        self._say(_("Calendrier enregistré : {path}. Importez-le dans votre agenda.").format(
            path=path))
