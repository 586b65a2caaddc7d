"""The reception screen: search and check in, walk-in visitors, who is in now, today's
comings and goings, today's room bookings and workshops, and the evacuation list.

A person checked in who is registered to a workshop taking place now (this morning or this
afternoon) is marked present for that half-day, and the message says so. Undoing the
check-in does not undo that attendance (it is corrected in the workshop's attendance).
A double-click on one of today's workshops opens its attendance.

Keyboard: the search field has the focus; typing lists people, Up/Down moves, Enter checks
the selected person in, Escape clears. A member code (the QR code of a badge, typed or
scanned: a scanner types it like a keyboard, then Enter) checks its member in directly.
Ctrl+N: new visitor. Ctrl+D: check the selected present person out. Ctrl+P: the
evacuation list. F5: refresh.

Members found show their membership status of the year as a coloured tag beside their
name, so that the receptionist can remind those who have not paid."""

from __future__ import annotations

import datetime as dt
import logging
import re

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QObject,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.bookings import BookingRecord
from maison_app.domain.enums import BookingStatus, MembershipStatus, VisitPurpose
from maison_app.domain.errors import Conflict, MaisonError
from maison_app.domain.members import MEMBER_CODE_PREFIX
from maison_app.domain.records import PersonHit, ReceptionDay, SearchResult, VisitRecord
from maison_app.domain.text import MIN_QUERY_LENGTH
from maison_app.domain.workshops import SessionRecord
from maison_app.i18n import _, format_date, format_time, ngettext, pgettext, to_paris
from maison_app.ui import messages
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import Column, RecordTableModel, record_table
from maison_app.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 120
WORKSHOP_ROWS_SHOWN = 3  # today's workshops shown without scrolling
REFRESH_INTERVAL_MS = 30_000

BANNER_DONE = ("#banner { background: #e3f1e8; border: 1px solid #9cc8ab; "
               "border-radius: 4px; }")
BANNER_REMIND = ("#banner { background: #fdf0dc; border: 1px solid #e0b070; "
                 "border-radius: 4px; }")

# the membership tag beside a member's name in the results (white text on these colours)
BADGE_ROLE = Qt.ItemDataRole.UserRole + 10
BADGE_COLOURS = {
    MembershipStatus.A_JOUR: "#2e7d32",
    MembershipStatus.PARTIEL: "#a35200",
    MembershipStatus.A_RELANCER: "#b3261e",
    MembershipStatus.NON_RENOUVELE: "#6b6b6b",
}
TO_REMIND = (MembershipStatus.A_RELANCER, MembershipStatus.PARTIEL,
             MembershipStatus.NON_RENOUVELE)
_CODE_SHAPE = re.compile(re.escape(MEMBER_CODE_PREFIX) + r"\d{7,10}")


def looks_like_member_code(text: str) -> bool:
    """"ESS" and seven digits (spaces and case aside): a badge's code, right or mistyped.
    The service tells a wrong one (its check digit) from a member's."""
    return _CODE_SHAPE.fullmatch(re.sub(r"\s", "", text or "").upper()) is not None


def membership_note(status: MembershipStatus) -> str:
    """What the tag means, for its tooltip and for the check-in message."""
    return {
        MembershipStatus.A_JOUR: _("Adhésion de l'année à jour."),
        MembershipStatus.PARTIEL: _("Cotisation de l'année payée en partie : pensez à "
                                    "rappeler le reste dû."),
        MembershipStatus.A_RELANCER: _("Cotisation de l'année pas encore payée : pensez à "
                                       "la rappeler."),
        MembershipStatus.NON_RENOUVELE: _("Adhérent·e l'an dernier, pas encore renouvelé·e "
                                          "cette année : pensez à le rappeler."),
    }[status]


def _arrival_text(v: VisitRecord, today: dt.date) -> str:
    local = to_paris(v.arrived_at)
    if local.date() == today:
        return format_time(v.arrived_at)
    return f"{format_date(local.date(), 'short')} {format_time(v.arrived_at)}"


def _capitalised(text: str) -> str:
    """"jeudi 26 novembre" → "Jeudi 26 novembre" (str.capitalize would lower "November")."""
    return text[:1].upper() + text[1:]


def _make_table(name: str, model, *, sortable: bool = True):
    return record_table(name, model, sortable=sortable)


class _ResultsModel(RecordTableModel[PersonHit]):
    """The search results; a member's name carries their membership status (painted as a
    tag by _BadgeDelegate, read aloud with the name, explained in the tooltip)."""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.column() == 0:
            status = self.record(index.row()).membership
            if role == BADGE_ROLE:  # the value: Qt hands an enum back as a plain str
                return None if status is None else status.value
            if status is not None and role == Qt.ItemDataRole.AccessibleTextRole:
                return _("{name}, adhésion : {status}").format(
                    name=self.record(index.row()).name, status=status.label)
            if status is not None and role == Qt.ItemDataRole.ToolTipRole:
                return membership_note(status)
        return super().data(index, role)


class _BadgeDelegate(QStyledItemDelegate):
    """Paints the name, then the membership tag right after it (the name is shortened
    with "…" when both do not fit; in a very narrow column the tag becomes a dot of its
    colour, explained by the tooltip)."""

    PAD_X, GAP, MIN_NAME, DOT = 6, 8, 80, 10

    def _badge_font(self, font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
        small.setBold(True)
        return small

    def _badge_size(self, font: QFont, label: str) -> QSize:
        metrics = QFontMetrics(self._badge_font(font))
        return QSize(metrics.horizontalAdvance(label) + 2 * self.PAD_X, metrics.height() + 2)

    @staticmethod
    def _status(index) -> MembershipStatus | None:
        value = index.data(BADGE_ROLE)
        return MembershipStatus(value) if value else None

    def paint(self, painter: QPainter, option, index) -> None:  # noqa: D102
        status = self._status(index)
        if status is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        text_rect.adjust(margin, 0, -margin, 0)  # as the style draws a plain cell's text
        name = opt.text
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        label = status.label
        badge = self._badge_size(opt.font, label)
        compact = (text_rect.width() - badge.width() - self.GAP
                   < min(self.MIN_NAME, opt.fontMetrics.horizontalAdvance(name)))
        if compact:
            label, badge = "", QSize(self.DOT, self.DOT)
        room = max(text_rect.width() - badge.width() - self.GAP, 0)
        shown = opt.fontMetrics.elidedText(name, Qt.TextElideMode.ElideRight, room)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (QPalette.ColorGroup.Normal if opt.state & QStyle.StateFlag.State_Enabled
                 else QPalette.ColorGroup.Disabled)
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(group, QPalette.ColorRole.HighlightedText if selected
                                         else QPalette.ColorRole.Text))
        painter.drawText(text_rect.adjusted(0, 0, -(badge.width() + self.GAP), 0),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)
        x = text_rect.left() + opt.fontMetrics.horizontalAdvance(shown) + self.GAP
        box = QRectF(x, text_rect.center().y() - badge.height() / 2 + 0.5,
                     badge.width(), badge.height())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(BADGE_COLOURS[status]))
        painter.drawRoundedRect(box, badge.height() / 2, badge.height() / 2)
        if label:
            painter.setPen(QColor("white"))
            painter.setFont(self._badge_font(opt.font))
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), label)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        status = self._status(index)
        if status is not None:
            size.setWidth(size.width() + self.GAP + self._badge_size(option.font,
                                                                     status.label).width())
        return size


def _booking_tooltip(b: BookingRecord) -> str:
    lines = [b.title, _("{room}, {start}–{end}").format(
        room=b.space_name, start=format_time(b.start), end=format_time(b.end)),
        _("Réservé par {who}, {n} pers.").format(who=b.booker_name, n=b.attendees)]
    if b.status is BookingStatus.OPTION and b.option_until is not None:
        lines.append(_("Option jusqu'au {day}").format(day=format_date(b.option_until)))
    if b.notes:
        lines.append(b.notes)
    return "\n".join(lines)


class _BookingsModel(RecordTableModel[BookingRecord]):
    """Today's bookings: those over in grey, the ones under way on a blue ground (as today
    in the calendar), options in italics."""

    def __init__(self, columns, *, now) -> None:
        super().__init__(columns)
        self._now = now

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.ForegroundRole,
                                        Qt.ItemDataRole.BackgroundRole,
                                        Qt.ItemDataRole.FontRole):
            b = self.record(index.row())
            now = self._now()
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#8a8a8a") if b.end <= now else None
            if role == Qt.ItemDataRole.BackgroundRole:
                return QColor("#dde9f8") if b.start <= now < b.end else None
            if b.status is not BookingStatus.OPTION:
                return None
            font = QFont()
            font.setItalic(True)
            return font
        return super().data(index, role)


def _todays_half_days(session: SessionRecord, day: dt.date):
    return [h for h in session.half_days if h.day == day]


def _workshop_hours(session: SessionRecord, day: dt.date) -> str:
    """"09:00–12:30", "09:00–12:30, 13:30–17:00" (today's half-days)."""
    return ", ".join(f"{h.start.strftime('%H:%M')}–{h.end.strftime('%H:%M')}"
                     for h in _todays_half_days(session, day))


def _workshop_places(session: SessionRecord) -> str:
    """"8 / 12", "12 / 12 +3" (three waiting)."""
    text = f"{session.registered} / {session.capacity}"
    return text + f" +{session.waiting}" if session.waiting else text


def _workshop_tooltip(session: SessionRecord, day: dt.date) -> str:
    lines = [session.workshop_title]
    if session.axis is not None:
        lines.append(session.axis.label)
    lines.append(_("{room}, {hours}").format(
        room=session.space_name or session.place or _("lieu à préciser"),
        hours=_workshop_hours(session, day)))
    lines.append(ngettext("{n} inscrit·e pour {places} places",
                          "{n} inscrit·es pour {places} places", session.registered).format(
        n=session.registered, places=session.capacity))
    if session.waiting:
        lines.append(ngettext("{n} personne en liste d'attente",
                              "{n} personnes en liste d'attente", session.waiting).format(
            n=session.waiting))
    lines.append(_("Double-clic : les présences."))
    return "\n".join(lines)


class _WorkshopsModel(RecordTableModel[SessionRecord]):
    """Today's workshops: those over in grey, the one under way on a blue ground."""

    def __init__(self, columns, *, now) -> None:
        super().__init__(columns)
        self._now = now

    def _state(self, session: SessionRecord) -> str:
        now = to_paris(self._now())
        halves = _todays_half_days(session, now.date())
        if not halves:
            return ""
        if any(h.start <= now.time() < h.end for h in halves):
            return "now"
        if all(h.end <= now.time() for h in halves):
            return "over"
        return ""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.ForegroundRole,
                                        Qt.ItemDataRole.BackgroundRole):
            state = self._state(self.record(index.row()))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#8a8a8a") if state == "over" else None
            return QColor("#dde9f8") if state == "now" else None
        return super().data(index, role)


class ReceptionScreen(QWidget):
    """Needs the app's `Services` and the shared `TaskRunner`."""

    day_loaded = Signal()  # tests and the status bar listen to it
    bookings_loaded = Signal()  # today's room bookings shown
    workshops_loaded = Signal()  # today's workshops shown

    def __init__(self, services, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self._pending_query: str | None = None  # query sent, answer not back yet
        self._code_query: str | None = None  # a member code handled: its search is not shown
        self._enter_waiting = False  # Enter pressed before the answer came
        self._last_result: SearchResult | None = None
        self._undo: tuple[str, int] | None = None  # ("check_in" | "check_out", visit id)
        self._day: ReceptionDay | None = None
        self.setAccessibleName(_("Accueil"))
        self._build()
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self._refresh_timer = QTimer(self, interval=REFRESH_INTERVAL_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._refresh_timer.start()
        self._show_hint(_("Tapez au moins deux lettres du nom, du prénom, de la structure "
                          "ou de l'e-mail."))
        self.refresh()

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        heading = QLabel(_("Accueil"))
        heading.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.date_label = QLabel()
        self.date_label.setAccessibleName(_("Date du jour"))
        self.date_label.setStyleSheet("color: #555; font-size: 14px;")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.date_label)

        # Feedback banner: what just happened, with an undo.
        self.banner = QFrame()
        self.banner.setObjectName("banner")
        self.banner.setStyleSheet(BANNER_DONE)
        self.banner_text = QLabel()
        self.banner_text.setAccessibleName(_("Message"))
        self.undo_button = QPushButton(pgettext("défaire", "Annuler"))
        self.undo_button.setAccessibleName(_("Annuler la dernière action"))
        self.undo_button.clicked.connect(self.undo_last)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(8, 4, 8, 4)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.undo_button)
        self.banner.setVisible(False)

        # --- left: search and check-in ---
        self.search = QLineEdit()
        self.search.setAccessibleName(_("Rechercher une personne"))
        self.search.setPlaceholderText(_("Nom, prénom, structure, e-mail ou badge scanné…"))
        self.search.setClearButtonEnabled(True)
        self.search.setStyleSheet("font-size: 16px; padding: 6px;")
        self.search.textChanged.connect(self._query_changed)
        self.search.installEventFilter(self)

        self.purpose = QComboBox()
        self.purpose.setAccessibleName(_("Motif de la venue"))
        for p in VisitPurpose:
            self.purpose.addItem(p.label, p)
        self.purpose.setCurrentIndex(self.purpose.findData(VisitPurpose.COWORKING))
        purpose_row = QHBoxLayout()
        purpose_label = QLabel(_("Motif :"))
        purpose_label.setBuddy(self.purpose)
        purpose_row.addWidget(purpose_label)
        purpose_row.addWidget(self.purpose, 1)

        self.hint = QLabel()
        self.hint.setAccessibleName(_("Aide de la recherche"))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")

        self.results_model: RecordTableModel[PersonHit] = _ResultsModel([
            Column(_("Nom"), lambda h: h.name, sort_key=lambda h: (h.last_name.lower(), h.first_name.lower())),
            Column(_("Structure"), lambda h: h.organisations),
            Column(_("E-mail"), lambda h: h.email or ""),
            Column(_("Statut"), lambda h: _("Dans la maison") if h.present_visit_id else "",
                   tooltip=lambda h: _("Déjà pointé·e à l'arrivée : Entrée propose la sortie.")
                   if h.present_visit_id else ""),
        ])
        self.results, self.results_proxy = _make_table(_("Résultats de la recherche"),
                                                        self.results_model, sortable=False)
        self.results.doubleClicked.connect(lambda _i: self.check_in_selected())
        self.badge_delegate = _BadgeDelegate(self.results)
        self.results.setItemDelegateForColumn(0, self.badge_delegate)
        header = self.results.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(70)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.results.setColumnWidth(0, 225)  # the name and its membership tag
        self.results.setColumnWidth(3, 100)

        self.check_in_button = QPushButton(_("Pointer l'arrivée (Entrée)"))
        self.check_in_button.setAccessibleName(_("Pointer l'arrivée"))
        self.check_in_button.clicked.connect(self.check_in_selected)
        self.visitor_button = QPushButton(_("Nouveau visiteur… (Ctrl+N)"))
        self.visitor_button.setAccessibleName(_("Nouveau visiteur"))
        self.visitor_button.clicked.connect(self.new_visitor)
        left_buttons = QHBoxLayout()
        left_buttons.addWidget(self.check_in_button)
        left_buttons.addStretch(1)
        left_buttons.addWidget(self.visitor_button)

        arrive_box = QGroupBox(_("Arrivée"))
        left = QVBoxLayout(arrive_box)
        left.addWidget(self.search)
        left.addLayout(purpose_row)
        left.addWidget(self.hint)
        left.addWidget(self.results, 1)
        left.addLayout(left_buttons)

        # --- right: who is in ---
        self.present_title = QLabel()
        self.present_title.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.present_model: RecordTableModel[VisitRecord] = RecordTableModel([
            Column(_("Nom"), lambda v: v.name + (_(" (visiteur)") if v.is_walk_in else "")),
            Column(_("Arrivée"), lambda v: _arrival_text(v, self._today()),
                   sort_key=lambda v: v.arrived_at.timestamp()),
            Column(_("Motif"), lambda v: v.purpose.label),
            Column(_("Personne visitée"), lambda v: v.host or ""),
            Column(_("Structure"), lambda v: v.organisation or ""),
        ])
        self.present, self.present_proxy = _make_table(_("Présents"), self.present_model)
        self.present.doubleClicked.connect(lambda _i: self.check_out_selected())
        self.present.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # find a name at a glance
        self.present.setColumnWidth(0, 185)
        self.present.setColumnWidth(1, 60)
        self.present.setColumnWidth(2, 100)
        self.present.setColumnWidth(3, 125)

        self.check_out_button = QPushButton(_("Pointer la sortie (Ctrl+D)"))
        self.check_out_button.setAccessibleName(_("Pointer la sortie"))
        self.check_out_button.clicked.connect(self.check_out_selected)
        self.all_out_button = QPushButton(_("Tout pointer en sortie…"))
        self.all_out_button.setAccessibleName(_("Tout pointer en sortie"))
        self.all_out_button.clicked.connect(self.check_out_everyone)
        self.pdf_button = QPushButton(_("Liste des présents (PDF)… (Ctrl+P)"))
        self.pdf_button.setAccessibleName(_("Liste des présents"))
        self.pdf_button.clicked.connect(self.print_presence_list)
        right_buttons = QHBoxLayout()
        right_buttons.addWidget(self.check_out_button)
        right_buttons.addWidget(self.all_out_button)
        right_buttons.addStretch(1)
        right_buttons.addWidget(self.pdf_button)

        present_box = QGroupBox(_("Dans la maison"))
        right = QVBoxLayout(present_box)
        right.addWidget(self.present_title)
        right.addWidget(self.present, 1)
        right.addLayout(right_buttons)

        # --- bottom: today ---
        self.counts = QLabel()
        self.counts.setAccessibleName(_("Compteurs du jour"))
        self.counts.setStyleSheet("font-weight: 600;")
        self.today_model: RecordTableModel[VisitRecord] = RecordTableModel([
            Column(_("Nom"), lambda v: v.name + (_(" (visiteur)") if v.is_walk_in else "")),
            Column(_("Arrivée"), lambda v: _arrival_text(v, self._today()),
                   sort_key=lambda v: v.arrived_at.timestamp()),
            Column(_("Départ"), lambda v: format_time(v.left_at) if v.left_at else _("présent·e"),
                   sort_key=lambda v: v.left_at.timestamp() if v.left_at else float("inf")),
            Column(_("Motif"), lambda v: v.purpose.label),
            Column(_("Personne visitée"), lambda v: v.host or ""),
            Column(_("Structure"), lambda v: v.organisation or ""),
        ])
        self.today_view, self.today_proxy = _make_table(_("Passages du jour"), self.today_model)
        today_header = self.today_view.horizontalHeader()
        today_header.setMinimumSectionSize(50)
        today_header.setStretchLastSection(False)
        today_header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.today_view.setColumnWidth(0, 140)
        for column, width in ((1, 62), (2, 70), (3, 85), (4, 110)):
            self.today_view.setColumnWidth(column, width)
        self.today_view.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # the latest first
        today_box = QGroupBox(_("Aujourd'hui"))
        bottom = QVBoxLayout(today_box)
        bottom.addWidget(self.counts)
        bottom.addWidget(self.today_view, 1)
        bookings_box = self._bookings_box()
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(today_box)
        lower.addWidget(bookings_box)
        lower.setStretchFactor(0, 1)
        lower.setStretchFactor(1, 1)
        lower.setChildrenCollapsible(False)

        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(arrive_box)
        upper.addWidget(present_box)
        upper.setStretchFactor(0, 6)
        upper.setStretchFactor(1, 5)
        upper.setChildrenCollapsible(False)
        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.addWidget(upper)
        vertical.addWidget(lower)
        vertical.setStretchFactor(0, 3)
        vertical.setStretchFactor(1, 2)
        vertical.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(vertical, 1)

        add_shortcuts(self, [
            ("Ctrl+N", self.new_visitor),
            ("Ctrl+D", self.check_out_selected),
            (QKeySequence.StandardKey.Print, self.print_presence_list),
            (QKeySequence.StandardKey.Refresh, self.refresh),
            (QKeySequence.StandardKey.Find, self.focus_search),
        ])
        self._update_buttons()
        self.present.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.results.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

    def _bookings_box(self) -> QGroupBox:
        """Today's room bookings: when, where, what, who, how many; options marked."""
        self.bookings_title = QLabel()
        self.bookings_title.setAccessibleName(_("Réservations de salles du jour"))
        self.bookings_title.setStyleSheet("font-weight: 600;")
        self.bookings_model: RecordTableModel[BookingRecord] = _BookingsModel([
            Column(_("Heure"), lambda b: f"{format_time(b.start)}–{format_time(b.end)}",
                   sort_key=lambda b: b.start.timestamp()),
            Column(_("Salle"), lambda b: b.space_name),
            Column(_("Objet"), lambda b: (_("Option · {title}").format(title=b.title)
                                          if b.status is BookingStatus.OPTION else b.title),
                   tooltip=lambda b: _booking_tooltip(b)),
            Column(_("Réservé par"), lambda b: b.booker_name),
            Column(_("Pers."), lambda b: str(b.attendees), sort_key=lambda b: b.attendees,
                   align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        ], now=lambda: self.services.ctx.now())
        self.bookings_view, self.bookings_proxy = _make_table(_("Réservations du jour"),
                                                              self.bookings_model)
        self.bookings_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.bookings_view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        rooms = QWidget()
        v = QVBoxLayout(rooms)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.bookings_title)
        v.addWidget(self.bookings_view, 1)

        self.workshops_title = QLabel()
        self.workshops_title.setAccessibleName(_("Ateliers du jour : titre"))
        self.workshops_title.setStyleSheet("font-weight: 600;")
        self.workshops_model: RecordTableModel[SessionRecord] = _WorkshopsModel([
            Column(_("Heure"), lambda w: _workshop_hours(w, self._today()),
                   sort_key=lambda w: min((h.start for h in _todays_half_days(w, self._today())),
                                          default=dt.time(0)).isoformat()),
            Column(_("Atelier"), lambda w: w.workshop_title,
                   tooltip=lambda w: _workshop_tooltip(w, self._today())),
            Column(_("Salle"), lambda w: w.space_name or w.place or ""),
            Column(_("Inscrits"), lambda w: _workshop_places(w), sort_key=lambda w: w.registered,
                   tooltip=lambda w: _workshop_tooltip(w, self._today()),
                   align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        ], now=lambda: self.services.ctx.now())
        self.workshops_view, self.workshops_proxy = _make_table(_("Ateliers du jour"),
                                                                self.workshops_model)
        self.workshops_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.workshops_view.doubleClicked.connect(self._open_workshop)
        header = self.workshops_view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        workshops = QWidget()
        w = QVBoxLayout(workshops)
        w.setContentsMargins(0, 0, 0, 0)
        w.addWidget(self.workshops_title)
        w.addWidget(self.workshops_view, 1)
        self.workshops_panel = workshops

        self.day_splitter = QSplitter(Qt.Orientation.Vertical)
        self.day_splitter.addWidget(rooms)
        self.day_splitter.addWidget(workshops)
        self.day_splitter.setChildrenCollapsible(False)
        self.day_splitter.setStretchFactor(0, 1)
        self.day_splitter.setStretchFactor(1, 1)
        box = QGroupBox(_("Réservations du jour"))
        v = QVBoxLayout(box)
        v.addWidget(self.day_splitter, 1)
        return box

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        QTimer.singleShot(0, self.focus_search)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _today(self) -> dt.date:
        return to_paris(self.services.ctx.now()).date()

    # --- search -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self._move_selection(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._enter_pressed()
                return True
            if key == Qt.Key.Key_Escape:
                self.clear_search()
                return True
        return super().eventFilter(watched, event)

    def clear_search(self) -> None:
        self.search.clear()
        self.search.setFocus()

    def _query_changed(self, text: str) -> None:
        self._enter_waiting = False
        self._code_query = None
        if len(text.strip()) < MIN_QUERY_LENGTH:
            self._search_timer.stop()
            self._pending_query = None
            self._last_result = None
            self.results_model.set_records([])
            self._show_hint(_("Tapez au moins deux lettres du nom, du prénom, de la structure "
                              "ou de l'e-mail.") if not text.strip() else
                            _("Encore une lettre : la recherche commence à deux lettres."))
            self._update_buttons()
            return
        self._pending_query = text
        self._search_timer.start()

    def _run_search(self) -> None:
        query = self.search.text()
        self._pending_query = query
        people = self.services.people
        self.tasks.run(
            lambda: people.search(query=query),
            on_success=self._show_results,
            on_error=self._task_failed,
            key="reception-search",
        )

    def _show_results(self, result: SearchResult) -> None:
        if result.query != self.search.text():
            return  # the text changed meanwhile; a newer search is on its way
        if result.query == self._code_query:
            return  # a member code, already handled by Enter
        self._pending_query = None
        self._last_result = result
        self.results_model.set_records(result.hits)
        n = len(result.hits)
        if result.too_short:
            self._show_hint(_("Encore une lettre : la recherche commence à deux lettres."))
        elif n == 0:
            self._show_hint(_("Aucune personne ne correspond à « {q} ». Vérifiez l'orthographe "
                              "ou enregistrez un nouveau visiteur (Ctrl+N).").format(q=result.query.strip()))
        elif result.truncated:
            self._show_hint(_("Plus de {n} personnes correspondent : précisez la recherche.").format(n=n))
        else:
            self._show_hint(ngettext("{n} personne trouvée. Entrée pour pointer l'arrivée.",
                                     "{n} personnes trouvées. Flèches pour choisir, Entrée pour "
                                     "pointer l'arrivée.", n).format(n=n))
        if n:
            self.results.selectRow(0)
        self._update_buttons()
        if self._enter_waiting:
            self._enter_waiting = False
            self.check_in_selected()

    def _show_hint(self, text: str) -> None:
        self.hint.setText(text)

    def _move_selection(self, step: int) -> None:
        rows = self.results_proxy.rowCount()
        if not rows:
            return
        current = self.results.currentIndex().row()
        row = 0 if current < 0 else max(0, min(rows - 1, current + step))
        self.results.selectionModel().setCurrentIndex(
            self.results_proxy.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.results.scrollTo(self.results_proxy.index(row, 0))

    def _enter_pressed(self) -> None:
        if looks_like_member_code(self.search.text()):
            self.check_in_code(self.search.text())
            return
        if self._search_timer.isActive() or self._pending_query is not None:
            # The answer is not there yet: check in as soon as it comes.
            self._enter_waiting = True
            if self._search_timer.isActive():
                self._search_timer.stop()
                self._run_search()
            return
        self.check_in_selected()

    def selected_hit(self) -> PersonHit | None:
        index = self.results.currentIndex()
        if not index.isValid():
            return None
        return self.results_model.record(self.results_proxy.mapToSource(index).row())

    # --- actions ----------------------------------------------------------------------

    def check_in_selected(self) -> None:
        hit = self.selected_hit()
        if hit is None:
            return
        purpose: VisitPurpose = self.purpose.currentData()
        reception = self.services.reception
        self._check_in(lambda: reception.check_in(person_id=hit.id, purpose=purpose),
                       membership=lambda _visit: hit.membership)

    def check_in_code(self, code: str) -> None:
        """A member code typed or scanned, then Enter: that member is checked in. The
        search the typing started is dropped (its answer would be stale)."""
        self._search_timer.stop()
        self._pending_query = None
        self._enter_waiting = False
        self._code_query = code
        self._last_result = None
        self.results_model.set_records([])
        self._update_buttons()
        purpose: VisitPurpose = self.purpose.currentData()
        reception = self.services.reception
        done = self._check_in(lambda: reception.check_in_by_code(code=code, purpose=purpose),
                              membership=self._membership_of, from_code=True)
        if not done and self.search.text() == code:
            # a wrong or unknown code stays in the field, selected: the next scan replaces it
            self._show_hint(_("Code de badge non reconnu : vérifiez-le, ou cherchez la "
                              "personne par son nom."))

    def _membership_of(self, visit: VisitRecord) -> MembershipStatus | None:
        if visit.person_id is None:
            return None
        try:
            return self.services.memberships.statuses(
                person_ids=[visit.person_id]).get(visit.person_id)
        except MaisonError:  # the reminder is a courtesy: the check-in is done anyway
            return None

    def _check_in(self, call, *, membership, from_code: bool = False) -> bool:
        """Check someone in (the writes of this screen are short: on the GUI thread, as
        check-out and undo). "Already in": offer the check-out. True when done."""
        try:
            visit = call()
        except Conflict as exc:
            if exc.existing_id is not None and messages.confirm(
                self, exc.message, title=_("Déjà dans la maison"), yes=_("Pointer la sortie"),
            ):
                self._check_out(exc.existing_id)
            if from_code:
                self.search.clear()  # the badge did its work: ready for the next one
            self.focus_search()
            return True
        except MaisonError as exc:
            messages.warn(self, exc.message)
            if from_code:
                self.focus_search()
            return False
        text = _("{name} : arrivée pointée à {time}.").format(
            name=visit.name, time=format_time(visit.arrived_at))
        workshop = self._workshop_attendance(visit)
        if workshop:
            text += " " + workshop
        status = membership(visit)
        remind = status in TO_REMIND
        if remind:
            text += " " + membership_note(status)
        self._announce(text, ("check_in", visit.id), remind=remind)
        self.search.clear()
        self.focus_search()
        self.refresh()
        return True

    def _workshop_attendance(self, visit: VisitRecord) -> str:
        """A person registered to a workshop under way (this half-day) is marked present
        for it; what to add to the message ("" when nothing was noted)."""
        if visit.person_id is None:
            return ""
        try:
            found = self.services.workshops.check_in_attendance(person_id=visit.person_id)
        except MaisonError as exc:  # the check-in is done anyway: the attendance is a bonus
            log.info("attendance at check-in not noted: %s", exc.message)
            return ""
        if found is None:
            return ""
        session, half_day = found
        return _("Présence notée à l'atelier « {title} » ({part}).").format(
            title=session.workshop_title, part=half_day.part.label.lower())

    def _open_workshop(self, index) -> None:
        from maison_app.views.workshops.attendance_dialog import AttendanceDialog

        if not index.isValid():
            return
        session = self.workshops_model.record(self.workshops_proxy.mapToSource(index).row())
        dialog = AttendanceDialog(self.services, session.id, self, tasks=self.tasks)
        self.attendance_dialog = dialog  # tests
        dialog.exec()
        self.refresh()

    def new_visitor(self) -> None:
        from maison_app.views.reception.visitor_dialog import VisitorDialog

        dialog = VisitorDialog(self.services.reception, self)
        text = self.search.text().strip()
        if text and self._last_result is not None and not self._last_result.hits:
            dialog.name.setText(text)  # nobody found: the typed name is probably the visitor's
        if dialog.exec() and dialog.visit is not None:
            v = dialog.visit
            self._announce(_("Visiteur {name} : arrivée pointée à {time}.").format(
                name=v.name, time=format_time(v.arrived_at)), ("check_in", v.id))
            self.search.clear()
            self.refresh()
        self.focus_search()

    def selected_present(self) -> VisitRecord | None:
        index = self.present.currentIndex()
        if not index.isValid():
            return None
        return self.present_model.record(self.present_proxy.mapToSource(index).row())

    def check_out_selected(self) -> None:
        visit = self.selected_present()
        if visit is None:
            self._announce(_("Choisissez d'abord une personne dans la liste des présents."), None)
            return
        self._check_out(visit.id)

    def _check_out(self, visit_id: int) -> None:
        try:
            visit = self.services.reception.check_out(visit_id=visit_id)
        except MaisonError as exc:
            messages.warn(self, exc.message)
            self.refresh()
            return
        self._announce(_("{name} : sortie pointée à {time}.").format(
            name=visit.name, time=format_time(visit.left_at)), ("check_out", visit.id))
        self.refresh()

    def check_out_everyone(self) -> None:
        n = len(self.present_model.records())
        if n == 0:
            messages.info(self, _("Personne n'est pointé dans la maison."))
            return
        question = ngettext(
            "Pointer la sortie de la personne encore présente ?",
            "Pointer la sortie des {n} personnes encore présentes ?", n).format(n=n)
        if not messages.confirm(self, question + "\n\n" + _("À faire à la fermeture de la maison."),
                                title=_("Tout pointer en sortie"), yes=_("Tout pointer en sortie"),
                                destructive=True):
            return
        try:
            done = self.services.reception.check_out_all()
        except MaisonError as exc:
            messages.warn(self, exc.message)
            return
        self._announce(ngettext("{n} sortie pointée.", "{n} sorties pointées.", done).format(n=done),
                       None)
        self.refresh()

    def undo_last(self) -> None:
        if self._undo is None:
            return
        action, visit_id = self._undo
        self._undo = None
        try:
            if action == "check_in":
                removed = self.services.reception.cancel_check_in(visit_id=visit_id)
                self._announce(_("Arrivée annulée, et la présence notée à l'atelier aussi.")
                               if removed else _("Arrivée annulée."), None)
            else:
                v = self.services.reception.undo_check_out(visit_id=visit_id)
                self._announce(_("{name} est de nouveau dans la maison.").format(name=v.name), None)
        except MaisonError as exc:
            messages.warn(self, exc.message)
        self.refresh()

    def print_presence_list(self) -> None:
        self.pdf_button.setEnabled(False)
        reception = self.services.reception
        self.tasks.run(reception.presence_list, on_success=self._show_pdf,
                       on_error=self._pdf_failed)

    def _pdf_failed(self, exc: BaseException) -> None:
        self.pdf_button.setEnabled(True)
        self._task_failed(exc)

    def _show_pdf(self, result) -> None:
        from maison_app.ui.pdf_preview import PdfPreviewDialog

        self.pdf_button.setEnabled(True)
        record, content = result
        dialog = PdfPreviewDialog(content, title=_("Liste des présents — {number}").format(
            number=record.number), suggested_filename=record.filename, parent=self)
        dialog.open()
        self.presence_dialog = dialog  # kept for tests and so it is not collected

    # --- refresh ----------------------------------------------------------------------

    def refresh(self) -> None:
        reception = self.services.reception
        self.tasks.run(reception.day, on_success=self._show_day, on_error=self._task_failed,
                       key="reception-day")
        bookings, day = self.services.bookings, self._today()
        self.tasks.run(lambda: bookings.day(day=day), on_success=self._show_bookings,
                       on_error=self._task_failed, key="reception-bookings")
        workshops = self.services.workshops
        self.tasks.run(lambda: workshops.today(day=day), on_success=self._show_workshops,
                       on_error=self._task_failed, key="reception-workshops")

    def _show_workshops(self, sessions) -> None:
        self.workshops_model.set_records(sessions)
        n = len(sessions)
        self.workshops_title.setText(
            ngettext("{n} atelier aujourd'hui", "{n} ateliers aujourd'hui", n).format(n=n)
            if n else _("Aucun atelier aujourd'hui"))
        self.workshops_view.setVisible(bool(n))
        # no workshop: one line under the bookings; else as many rows as there are (three
        # at most, then it scrolls): the bookings keep the rest of the panel
        view = self.workshops_view
        rows = min(n, WORKSHOP_ROWS_SHOWN)
        table = (view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
                 + rows * view.verticalHeader().defaultSectionSize())
        if n:
            view.setFixedHeight(table)
        layout = self.workshops_panel.layout()
        self.workshops_panel.setMaximumHeight(
            self.workshops_title.sizeHint().height() + (layout.spacing() + table if n else 0))
        self.workshops_loaded.emit()

    def _show_bookings(self, bookings) -> None:
        self.bookings_model.set_records(bookings)
        n = len(bookings)
        self.bookings_title.setText(
            ngettext("{n} réservation de salle aujourd'hui", "{n} réservations de salles "
                     "aujourd'hui", n).format(n=n) if n
            else _("Aucune réservation de salle aujourd'hui"))
        self.bookings_loaded.emit()

    def _show_day(self, day: ReceptionDay) -> None:
        self._day = day
        selected = self.selected_present()
        self.present_model.set_records(day.present)
        self.today_model.set_records(day.today)
        if selected is not None:
            for row, v in enumerate(self.present_model.records()):
                if v.id == selected.id:
                    self.present.selectRow(self.present_proxy.mapFromSource(
                        self.present_model.index(row, 0)).row())
                    break
        n = day.counts.present
        self.present_title.setText(ngettext("{n} personne dans la maison",
                                            "{n} personnes dans la maison", n).format(n=n)
                                   if n else _("Personne dans la maison"))
        self.counts.setText(_("{a} · {d} · {p}").format(
            a=ngettext("{n} arrivée", "{n} arrivées", day.counts.arrivals).format(n=day.counts.arrivals),
            d=ngettext("{n} départ", "{n} départs", day.counts.departures).format(n=day.counts.departures),
            p=ngettext("{n} présent·e", "{n} présent·es", n).format(n=n),
        ))
        self.date_label.setText(_("{date} · {time}").format(
            date=_capitalised(format_date(self._today(), "full")),
            time=format_time(self.services.ctx.now())))
        self._update_buttons()
        self.day_loaded.emit()

    def _announce(self, text: str, undo: tuple[str, int] | None, *,
                  remind: bool = False) -> None:
        self._undo = undo
        self.banner.setStyleSheet(BANNER_REMIND if remind else BANNER_DONE)
        self.banner_text.setText(text)
        self.undo_button.setVisible(undo is not None)
        self.banner.setVisible(True)

    def _update_buttons(self) -> None:
        self.check_in_button.setEnabled(self.selected_hit() is not None)
        self.check_out_button.setEnabled(self.selected_present() is not None)
        has_present = bool(self.present_model.rowCount())
        self.all_out_button.setEnabled(has_present)

    def _task_failed(self, exc: BaseException) -> None:
        messages.show_error(self, exc)
