"""The attendance of one workshop session (« Présences »): one row per participant, one box
per half-day, ticked when the person was there; the hours of each participant follow the
ticks as they change.

A half-day not yet started cannot be ticked (its column is greyed, « à venir »). « Tous
présents » ticks a whole half-day (or clicking its header), or the whole session; a person
who came without registering is added on the spot (« Ajouter une personne arrivée sur
place… »: a person of the house found by name, or just a name and an optional e-mail), with
the half-day under way ticked. Nothing is recorded before « Enregistrer » (Ctrl+S); closing
with unsaved ticks asks first.

The feuille d'émargement (to sign on paper) and the attestations de présence (everyone who
attended, or the participants chosen in the table) are archived by the service and shown in
the PDF preview.

Keyboard: arrows move from box to box, Space ticks or unticks, Ctrl+A-like « Tous présents »
buttons, Ctrl+S saves, Escape closes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import HalfDayPart
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.domain.permissions import Access, Area
from maison_app.domain.text import MIN_QUERY_LENGTH
from maison_app.domain.workshops import (
    AttendanceSheet,
    HalfDay,
    RegistrationRecord,
    SessionRecord,
    attended_minutes,
    current_part,
)
from maison_app.i18n import (
    PARIS,
    _,
    current_language,
    format_date,
    format_time,
    ngettext,
)
from maison_app.services.permissions import can
from maison_app.ui import messages
from maison_app.ui.booker_picker import BookerPicker
from maison_app.ui.common import guarded, preview_pdf
from maison_app.ui.forms import FieldWithError, FormErrors
from maison_app.ui.tasks import TaskRunner

NBSP = "\u00a0"
NOTE_STYLE = "color: #555;"
WALK_IN_COLOUR = "#a35200"
UPCOMING_BACKGROUND = "#f0f0f0"
PRESENT_BACKGROUND = "#e3f1e8"
BANNER_DONE = ("#attendanceBanner { background: #e3f1e8; border: 1px solid #9cc8ab; "
               "border-radius: 4px; padding: 6px 8px; }")
BANNER_NOTE = ("#attendanceBanner { background: #fdf0dc; border: 1px solid #e0b070; "
               "border-radius: 4px; padding: 6px 8px; }")
MAX_COLUMN_BUTTONS = 6  # more half-days: one button for the current column
HALF_DAY_WIDTH = 150

# --- texts shared with the other workshop views ----------------------------------------------


def clock_text(moment: dt.time) -> str:
    """"9 h 00" in French typography ("09:00" in English)."""
    if current_language() == "fr":
        return f"{moment.hour}{NBSP}h{NBSP}{moment.minute:02d}"
    return moment.strftime("%H:%M")


def hours_text(minutes: int) -> str:
    """Minutes as a duration: "3 h 30", "7 h", "45 min", "0 h"."""
    hours, rest = divmod(max(minutes, 0), 60)
    if hours and rest:
        text = _("{hours} h {minutes:02d}").format(hours=hours, minutes=rest)
    elif rest:
        text = _("{minutes} min").format(minutes=rest)
    else:
        text = _("{hours} h").format(hours=hours)
    return text.replace(" ", NBSP)


def part_text(part: HalfDayPart) -> str:
    """"matin", "après-midi" (in a sentence)."""
    return part.label.lower()


def half_day_label(h: HalfDay) -> str:
    """"jeu. 26/11 matin"."""
    return _("{day} {part}").format(day=format_date(h.day, "EEE dd/MM"), part=part_text(h.part))


def half_day_times(h: HalfDay) -> str:
    """"9 h 00–12 h 30"."""
    return f"{clock_text(h.start)}–{clock_text(h.end)}"


def half_day_text(h: HalfDay) -> str:
    """"jeu. 26/11 matin 9 h 00–12 h 30"."""
    return f"{half_day_label(h)} {half_day_times(h)}"


def session_dates_text(half_days: Iterable[HalfDay]) -> str:
    """"jeudi 26 novembre 2026, 9 h 00–12 h 30 et 13 h 30–17 h 00"; several days are
    separated by « ; »."""
    by_day: dict[dt.date, list[HalfDay]] = {}
    for h in half_days:
        by_day.setdefault(h.day, []).append(h)
    parts = []
    for day, halves in by_day.items():
        times = [half_day_times(h) for h in halves]
        joined = times[0] if len(times) == 1 else _("{first} et {second}").format(
            first=", ".join(times[:-1]), second=times[-1])
        parts.append(_("{day}, {times}").format(day=format_date(day, "full"), times=joined))
    return " ; ".join(parts)


def place_text(session: SessionRecord) -> str:
    return session.space_name or session.place or _("lieu à préciser")


def starts_at(h: HalfDay) -> dt.datetime:
    return dt.datetime.combine(h.day, h.start, tzinfo=PARIS)


def run_dialog(dialog: QDialog) -> bool:
    """A dialog opened from this one (the walk-in form); tests replace it."""
    return dialog.exec() == QDialog.DialogCode.Accepted


# --- the table --------------------------------------------------------------------------------

FIXED_COLUMNS = 2  # name, organisation / e-mail; then one column per half-day, then the hours


class SheetModel(QAbstractTableModel):
    """The participants × half-days of a session, the ticks being edited, and the hours."""

    ticks_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.session: SessionRecord | None = None
        self.participants: list[RegistrationRecord] = []
        self.details: dict[int, str] = {}
        self.present: dict[tuple[int, int], bool] = {}
        self.saved: dict[tuple[int, int], bool] = {}
        self.started: set[int] = set()
        self.editable = True

    # --- content ---

    @property
    def half_days(self) -> tuple[HalfDay, ...]:
        return self.session.half_days if self.session is not None else ()

    def load(self, sheet: AttendanceSheet, *, now: dt.datetime, details: dict[int, str],
             keep: dict[tuple[int, int], bool] | None = None) -> None:
        """Show `sheet`; `keep`: ticks typed but not saved yet, kept over a reload."""
        self.beginResetModel()
        self.session = sheet.session
        self.participants = list(sheet.participants)
        self.details = dict(details)
        self.started = {h.id for h in sheet.session.half_days
                        if h.id is not None and starts_at(h) <= now}
        self.saved = {(r.id, h.id): sheet.is_present(r.id, h.id)
                      for r in self.participants for h in self.half_days
                      if r.id is not None and h.id is not None}
        self.present = dict(self.saved)
        for key, value in (keep or {}).items():
            if key in self.present and key[1] in self.started:
                self.present[key] = value
        self.endResetModel()

    def half_day_of(self, column: int) -> HalfDay | None:
        k = column - FIXED_COLUMNS
        return self.half_days[k] if 0 <= k < len(self.half_days) else None

    def column_of(self, half_day_id: int) -> int:
        for k, h in enumerate(self.half_days):
            if h.id == half_day_id:
                return FIXED_COLUMNS + k
        raise KeyError(half_day_id)

    @property
    def hours_column(self) -> int:
        return FIXED_COLUMNS + len(self.half_days)

    def is_started(self, h: HalfDay) -> bool:
        return h.id in self.started

    def minutes_of(self, registration_id: int) -> int:
        return attended_minutes(self.half_days, registration_id, self.present)

    def changes(self) -> dict[tuple[int, int], bool]:
        return {k: v for k, v in self.present.items() if self.saved.get(k) != v}

    def is_dirty(self) -> bool:
        return bool(self.changes())

    def to_record(self) -> dict[tuple[int, int], bool]:
        """Every box of the half-days started (what « Enregistrer » sends)."""
        return {k: v for k, v in self.present.items() if k[1] in self.started}

    def count_present(self, h: HalfDay) -> int:
        return sum(1 for r in self.participants if self.present.get((r.id, h.id), False))

    def set_present(self, pairs: Iterable[tuple[int, int]], value: bool) -> int:
        """Tick (or untick) these boxes, the half-days started only; how many changed."""
        changed = 0
        for key in pairs:
            if key in self.present and key[1] in self.started and self.present[key] != value:
                self.present[key] = value
                changed += 1
        if changed:
            self._refresh_all()
        return changed

    def tick_all(self, half_day: HalfDay | None = None) -> int:
        halves = [half_day] if half_day is not None else list(self.half_days)
        return self.set_present(((r.id, h.id) for r in self.participants for h in halves
                                 if r.id is not None and h.id is not None), True)

    def _refresh_all(self) -> None:
        if self.rowCount():
            self.dataChanged.emit(self.index(0, FIXED_COLUMNS),
                                  self.index(self.rowCount() - 1, self.hours_column))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        self.ticks_changed.emit()

    # --- Qt model API ---

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.participants)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else FIXED_COLUMNS + len(self.half_days) + 1

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        h = self.half_day_of(index.column())
        if h is None:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_started(h) and self.editable:
            return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable)
        return Qt.ItemFlag.ItemIsSelectable  # to come (or read-only): greyed

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self.participants[index.row()]
        column = index.column()
        h = self.half_day_of(column)
        if h is not None:
            key = (r.id, h.id)
            started = self.is_started(h)
            if role == Qt.ItemDataRole.CheckStateRole:
                return (Qt.CheckState.Checked if self.present.get(key) else
                        Qt.CheckState.Unchecked)
            if role == Qt.ItemDataRole.AccessibleTextRole:
                if not started:
                    return _("{half_day} : à venir").format(half_day=half_day_label(h))
                return _("{name}, {half_day} : {state}").format(
                    name=r.name, half_day=half_day_label(h),
                    state=_("présent·e") if self.present.get(key) else _("absent·e"))
            if role == Qt.ItemDataRole.ToolTipRole:
                if not started:
                    return _("Cette demi-journée n'a pas encore commencé : sa présence se "
                             "coche à partir de {time}.").format(time=clock_text(h.start))
                return _("Espace : présent·e / absent·e")
            if role == Qt.ItemDataRole.BackgroundRole:
                if not started:
                    return QBrush(QColor(UPCOMING_BACKGROUND))
                if self.present.get(key):
                    return QBrush(QColor(PRESENT_BACKGROUND))
            return None
        if column == self.hours_column:
            minutes = self.minutes_of(r.id)
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return hours_text(minutes)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == Qt.ItemDataRole.ToolTipRole and self.session is not None:
                return _("{done} sur {planned} prévues").format(
                    done=hours_text(minutes), planned=hours_text(self.session.minutes))
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if column == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return r.name
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return (_("{name}, arrivé·e sur place").format(name=r.name) if r.walk_in
                        else r.name)
            if role == Qt.ItemDataRole.ToolTipRole:
                return (_("{name} : arrivé·e sur place, sans inscription préalable.").format(
                    name=r.name) if r.walk_in else r.name)
            if role == WALK_IN_ROLE:
                return r.walk_in
            return None
        if column == 1 and role in (Qt.ItemDataRole.DisplayRole,
                                    Qt.ItemDataRole.AccessibleTextRole,
                                    Qt.ItemDataRole.ToolTipRole):
            return self.details.get(r.id, r.email) or ""
        return None

    def setData(self, index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        h = self.half_day_of(index.column())
        if h is None or not self.is_started(h) or not self.editable:
            return False
        r = self.participants[index.row()]
        checked = _check_state(value) == Qt.CheckState.Checked
        key = (r.id, h.id)
        if self.present.get(key) == checked:
            return True
        self.present[key] = checked
        self.dataChanged.emit(index, index)
        hours = self.index(index.row(), self.hours_column)
        self.dataChanged.emit(hours, hours)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, index.column(), index.column())
        self.ticks_changed.emit()
        return True

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        h = self.half_day_of(section)
        if h is not None:
            if role == Qt.ItemDataRole.DisplayRole:
                state = (_("{n} / {total} présents").format(
                    n=self.count_present(h), total=len(self.participants))
                    if self.is_started(h) else _("à venir"))
                return f"{half_day_label(h)}\n{half_day_times(h)}\n{state}"
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return half_day_text(h)
            if role == Qt.ItemDataRole.ToolTipRole:
                return (_("Cliquez pour cocher tout le monde présent à cette demi-journée.")
                        if self.is_started(h) and self.editable else
                        _("Cette demi-journée n'a pas encore commencé."))
            if role == Qt.ItemDataRole.ForegroundRole and not self.is_started(h):
                return QBrush(QColor("#777777"))
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if section == 0:
                return _("Participant·e")
            if section == 1:
                return _("Structure / e-mail")
            if section == self.hours_column:
                return _("Heures")
        return None


WALK_IN_ROLE = Qt.ItemDataRole.UserRole + 20


def _check_state(value) -> Qt.CheckState:
    if isinstance(value, Qt.CheckState):
        return value
    try:
        return Qt.CheckState(int(value))
    except (TypeError, ValueError):
        return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked


class _CheckDelegate(QStyledItemDelegate):
    """A box in the middle of its cell; a click anywhere in the cell, or Space, ticks it."""

    def paint(self, painter, option, index) -> None:  # noqa: D102
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        checked = opt.checkState == Qt.CheckState.Checked
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        box = QStyleOptionButton()
        size = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, widget) + 2
        box.rect = QRect(0, 0, size, size)
        box.rect.moveCenter(option.rect.center())
        enabled = bool(index.flags() & Qt.ItemFlag.ItemIsEnabled)
        box.state = (QStyle.StateFlag.State_On if checked else QStyle.StateFlag.State_Off)
        if enabled:
            box.state |= QStyle.StateFlag.State_Enabled
        box.palette = opt.palette
        style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorCheckBox, box, painter, widget)

    def editorEvent(self, event, model, option, index) -> bool:  # noqa: N802
        if not (index.flags() & Qt.ItemFlag.ItemIsUserCheckable
                and index.flags() & Qt.ItemFlag.ItemIsEnabled):
            return False
        toggle = False
        if event.type() == QEvent.Type.MouseButtonRelease:
            toggle = (event.button() == Qt.MouseButton.LeftButton
                      and option.rect.contains(event.position().toPoint()))
        elif event.type() == QEvent.Type.MouseButtonDblClick:
            return True  # a double-click is two clicks: no third toggle
        elif event.type() == QEvent.Type.KeyPress:
            toggle = event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select)
        if not toggle:
            return False
        state = _check_state(index.data(Qt.ItemDataRole.CheckStateRole))
        new = (Qt.CheckState.Unchecked if state == Qt.CheckState.Checked
               else Qt.CheckState.Checked)
        return model.setData(index, new, Qt.ItemDataRole.CheckStateRole)

    def sizeHint(self, option, index) -> QSize:  # noqa: N802
        return QSize(40, 30)


class _NameDelegate(QStyledItemDelegate):
    """The participant's name; a walk-in's followed by « sur place » in orange."""

    GAP = 8

    def paint(self, painter, option, index) -> None:  # noqa: D102
        if not index.data(WALK_IN_ROLE):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        name = opt.text
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        rect.adjust(3, 0, -3, 0)
        tag = _("sur place")
        small = QFont(opt.font)
        small.setItalic(True)
        tag_width = QFontMetrics(small).horizontalAdvance(tag) + self.GAP + 6
        shown = opt.fontMetrics.elidedText(name, Qt.TextElideMode.ElideRight,
                                           max(rect.width() - tag_width, 20))
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setPen(opt.palette.color(
            opt.palette.ColorRole.HighlightedText if selected else opt.palette.ColorRole.Text))
        painter.setFont(opt.font)
        align = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.drawText(rect, align, shown)
        x = rect.left() + opt.fontMetrics.horizontalAdvance(shown) + self.GAP
        painter.setFont(small)
        if not selected:
            painter.setPen(QColor(WALK_IN_COLOUR))
        painter.drawText(QRect(x, rect.top(), rect.right() - x, rect.height()), align, tag)
        painter.restore()


class SheetView(QTableView):
    """Arrows move from box to box; Space ticks; a click on a half-day's header ticks
    everyone present at it."""

    header_tick = Signal(int)  # the column whose header was clicked

    def __init__(self, model: SheetModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setAccessibleName(_("Présences par demi-journée"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(30)
        self.check_delegate = _CheckDelegate(self)
        self.name_delegate = _NameDelegate(self)
        self.setItemDelegateForColumn(0, self.name_delegate)
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setSectionsClickable(True)
        header.sectionClicked.connect(self.header_tick.emit)
        model.modelReset.connect(self._layout_columns)

    def _layout_columns(self) -> None:
        model: SheetModel = self.model()
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(60)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(0, 230)
        for k in range(len(model.half_days)):
            column = FIXED_COLUMNS + k
            self.setItemDelegateForColumn(column, self.check_delegate)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(column, HALF_DAY_WIDTH)
        header.setSectionResizeMode(model.hours_column, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(model.hours_column, 80)

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.selectionModel().selectedIndexes()})


# --- the walk-in form -------------------------------------------------------------------------


class WalkInDialog(QDialog):
    """Someone who came without registering: a person of the house (found by name), or
    a name and an optional e-mail. « Ajouter » registers them (walk-in) to the session;
    `registration` is the result."""

    def __init__(self, services, tasks, *, session: SessionRecord,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.session = session
        self.registration: RegistrationRecord | None = None
        title = _("Personne arrivée sur place")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(460, 320)

        intro = QLabel(_("Ajouter à « {title} » une personne venue sans inscription. Elle "
                         "est ajoutée même si la séance est complète.").format(
            title=session.workshop_title))
        intro.setWordWrap(True)
        intro.setStyleSheet(NOTE_STYLE)

        self.house_choice = QRadioButton(_("Une personne de la maison"))
        self.house_choice.setAccessibleName(_("Une personne de la maison"))
        self.other_choice = QRadioButton(_("Une autre personne"))
        self.other_choice.setAccessibleName(_("Une autre personne"))
        group = QButtonGroup(self)
        group.addButton(self.house_choice)
        group.addButton(self.other_choice)
        choices = QHBoxLayout()
        choices.addWidget(self.house_choice)
        choices.addWidget(self.other_choice)
        choices.addStretch(1)

        def find_people(query: str) -> list[tuple[int, str, str]]:
            result = services.people.search(query=query, limit=30)
            return [(h.id, h.name, h.organisations or h.email or "") for h in result.hits]

        self.errors = FormErrors()
        self.picker = BookerPicker(
            tasks, find_people, name=_("Rechercher une personne"),
            placeholder=_("Nom, prénom ou e-mail…"), list_name=_("Personnes trouvées"),
            min_length=MIN_QUERY_LENGTH)
        self.picker_slot = FieldWithError(self.picker)
        self.errors._slots["person_id"] = self.picker_slot

        other = QWidget()
        form = QFormLayout(other)
        form.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.email = QLineEdit()
        self.email.setMaxLength(254)
        self.email.setPlaceholderText(_("facultatif"))
        self.errors.add_row(form, _("Nom et prénom :"), "name", self.name,
                            _("Nom de la personne"))
        self.errors.add_row(form, _("E-mail :"), "email", self.email,
                            _("E-mail de la personne"))

        self.pages = QStackedWidget()
        self.pages.addWidget(self.picker_slot)
        self.pages.addWidget(other)
        self.house_choice.toggled.connect(self._choice_changed)
        self.house_choice.setChecked(True)

        self.ok_button = QPushButton(_("Ajouter"))
        self.ok_button.setAccessibleName(_("Ajouter la personne"))
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.add)
        cancel = QPushButton(_("Annuler"))
        cancel.setAccessibleName(_("Annuler"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(choices)
        layout.addWidget(self.pages)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def _choice_changed(self) -> None:
        house = self.house_choice.isChecked()
        self.pages.setCurrentIndex(0 if house else 1)
        self.errors.clear()
        (self.picker if house else self.name).setFocus()

    def add(self) -> None:
        self.errors.clear()
        try:
            if self.house_choice.isChecked():
                chosen = self.picker.chosen()
                if chosen is None:
                    raise ValidationError(_("Choisissez la personne dans la liste (tapez "
                                            "quelques lettres de son nom)."),
                                          field="person_id")
                self.registration = self.services.workshops.add_walk_in(
                    session_id=self.session.id, person_id=chosen[0])
            else:
                if not self.name.text().strip():
                    raise ValidationError(_("Indiquez le nom de la personne (l'e-mail est "
                                            "facultatif)."), field="name")
                self.registration = self.services.workshops.add_walk_in(
                    session_id=self.session.id, name=self.name.text().strip(),
                    email=self.email.text().strip())
        except ValidationError as exc:
            field = exc.field if exc.field in ("name", "email", "person_id") else None
            if field == "person_id" and not self.house_choice.isChecked():
                field = None
            if field is not None and self.errors.show(exc):
                return
            messages.warn(self, exc.message)
            return
        except MaisonError as exc:
            messages.warn(self, exc.message)
            return
        self.accept()


# --- the dialog -------------------------------------------------------------------------------


class AttendanceDialog(QDialog):
    """The attendance of session `session_id`. `saved` (and an accepted dialog) when
    attendance or a walk-in was written, so that the screen refreshes its lists."""

    attendance_saved = Signal()

    def __init__(self, services, session_id: int, parent: QWidget | None = None, *,
                 tasks: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.session_id = session_id
        self.tasks = tasks if tasks is not None else TaskRunner(self)
        self.saved = False
        self.pdf_dialog: QDialog | None = None
        self.can_write = can(services.ctx.actor, Area.WORKSHOPS, Access.WRITE)
        self.model = SheetModel(self)
        self.model.editable = self.can_write
        self._build()
        self.reload()
        self.resize(min(1240, 600 + HALF_DAY_WIDTH * len(self.model.half_days)),
                    max(540, min(820, 320 + 30 * self.model.rowCount())))
        self._go_to_first_box()

    # --- layout ---

    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setAccessibleName(_("Atelier"))
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.when_label = QLabel()
        self.when_label.setAccessibleName(_("Dates de la séance"))
        self.when_label.setWordWrap(True)
        self.where_label = QLabel()
        self.where_label.setAccessibleName(_("Lieu de la séance"))
        self.where_label.setStyleSheet(NOTE_STYLE)
        self.where_label.setWordWrap(True)

        self.banner = QFrame()
        self.banner.setObjectName("attendanceBanner")
        self.banner_text = QLabel()
        self.banner_text.setAccessibleName(_("Message"))
        self.banner_text.setWordWrap(True)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(8, 4, 8, 4)
        banner_layout.addWidget(self.banner_text, 1)
        self.banner.setVisible(False)

        self.table = SheetView(self.model)
        self.table.header_tick.connect(self._header_clicked)
        self.model.ticks_changed.connect(self._ticks_changed)
        self.summary = QLabel()
        self.summary.setAccessibleName(_("Résumé des présences"))
        self.summary.setStyleSheet("font-weight: 600;")

        self.all_row = QHBoxLayout()
        self.all_row.setSpacing(6)
        self.all_label = QLabel(_("Tous présents :"))
        self.all_row.addWidget(self.all_label)
        self.column_buttons: list[QPushButton] = []
        self.column_button_box = QHBoxLayout()
        self.column_button_box.setSpacing(6)
        self.all_row.addLayout(self.column_button_box)
        self.all_button = self._button(_("Toute la séance"), _("Tous présents pour toute la "
                                                               "séance"), self.tick_all)
        self.all_row.addWidget(self.all_button)
        self.all_row.addStretch(1)
        self.walk_in_button = self._button(_("Ajouter une personne arrivée sur place…"),
                                           _("Ajouter une personne arrivée sur place"),
                                           self.add_walk_in)
        self.all_row.addWidget(self.walk_in_button)

        self.sheet_button = self._button(_("Feuille d'émargement…"),
                                         _("Feuille d'émargement"), self.sign_in_sheet)
        self.certificates_button = QToolButton()
        self.certificates_button.setText(_("Attestations…"))
        self.certificates_button.setAccessibleName(_("Attestations"))
        self.certificates_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.certificates_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.certificates_menu = QMenu(self.certificates_button)
        self.certificates_menu.setAccessibleName(_("Attestations de présence"))
        self.certificates_all = self.certificates_menu.addAction(
            _("Pour tous les participants présents"))
        self.certificates_all.triggered.connect(lambda: self.certificates(selected=False))
        self.certificates_selected = self.certificates_menu.addAction(
            _("Pour les participants choisis"))
        self.certificates_selected.triggered.connect(lambda: self.certificates(selected=True))
        self.certificates_menu.aboutToShow.connect(self._update_certificates_menu)
        self.certificates_button.setMenu(self.certificates_menu)

        self.save_button = QPushButton(_("Enregistrer"))
        self.save_button.setAccessibleName(_("Enregistrer les présences"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.close_button = self._button(_("Fermer"), _("Fermer"), self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.sheet_button)
        bottom.addWidget(self.certificates_button)
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.when_label)
        layout.addWidget(self.where_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.all_row)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addLayout(bottom)

        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        shortcut.activated.connect(self.save)
        for w in (self.save_button, self.walk_in_button, self.all_button):
            w.setVisible(self.can_write)
        self.all_label.setVisible(self.can_write)

    @staticmethod
    def _button(text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # --- loading ---

    def now(self) -> dt.datetime:
        return self.services.ctx.now()

    def reload(self) -> None:
        """Read the sheet again (after a save or a walk-in); ticks not saved are kept."""
        keep = self.model.changes() if self.model.session is not None else {}
        sheet = self.services.workshops.attendance(session_id=self.session_id)
        self.model.load(sheet, now=self.now(), details=sheet.details, keep=keep)
        self._show_session(sheet.session)
        self._build_column_buttons()
        self._ticks_changed()

    def _show_session(self, session: SessionRecord) -> None:
        title = _("Présences — {title}").format(title=session.workshop_title)
        self.setWindowTitle(title)
        self.setAccessibleName(_("Présences"))
        self.heading.setText(session.workshop_title)
        self.when_label.setText(session_dates_text(session.half_days))
        where = [place_text(session)]
        if session.axis is not None:
            where.append(session.axis.label)
        facilitator = self._facilitator(session)
        if facilitator:
            where.append(_("animé par {name}").format(name=facilitator))
        self.where_label.setText(" · ".join(where))
        if not self.model.started:
            self._say(_("La séance n'a pas encore commencé : les présences se cochent à partir "
                        "du début de chaque demi-journée."), note=True)
        elif session.attendance_recorded and not self.banner.isVisible():
            self._say(_("Présences déjà enregistrées : vous pouvez les corriger."), note=False)

    def _go_to_first_box(self) -> None:
        """The keyboard starts on the first box of the half-day under way (or the last one
        started): Space ticks at once."""
        if not self.model.rowCount():
            return
        column = FIXED_COLUMNS
        for k, h in enumerate(self.model.half_days):
            if self.model.is_started(h):
                column = FIXED_COLUMNS + k
        self.table.setCurrentIndex(self.model.index(0, column))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _facilitator(self, session: SessionRecord) -> str:
        try:
            return self.services.workshops.workshop(
                workshop_id=session.workshop_id).facilitator.name
        except MaisonError:
            return ""

    def _build_column_buttons(self) -> None:
        for b in self.column_buttons:
            self.column_button_box.removeWidget(b)
            b.deleteLater()
        self.column_buttons = []
        halves = self.model.half_days
        if len(halves) > MAX_COLUMN_BUTTONS:
            button = self._button(_("Demi-journée choisie"),
                                  _("Tous présents pour la demi-journée choisie"),
                                  self.tick_current_column)
            self.column_buttons.append(button)
            self.column_button_box.addWidget(button)
        elif len(halves) > 1:
            for h in halves:
                button = self._button(half_day_label(h), _("Tous présents : {half_day}").format(
                    half_day=half_day_label(h)), lambda _c=False, h=h: self.tick_all(h))
                button.setEnabled(self.model.is_started(h))
                self.column_buttons.append(button)
                self.column_button_box.addWidget(button)
        for b in self.column_buttons:
            b.setVisible(self.can_write)

    # --- ticking ---

    def tick_all(self, half_day: HalfDay | None = None) -> None:
        if isinstance(half_day, bool):  # from a button's clicked(bool)
            half_day = None
        self.model.tick_all(half_day)

    def tick_current_column(self) -> None:
        h = self.model.half_day_of(self.table.currentIndex().column())
        if h is None:
            self._say(_("Placez-vous d'abord dans la colonne d'une demi-journée."), note=True)
            return
        self.model.tick_all(h)

    def _header_clicked(self, column: int) -> None:
        h = self.model.half_day_of(column)
        if h is None or not self.model.is_started(h) or not self.can_write:
            return
        everyone = self.model.count_present(h) == len(self.model.participants)
        pairs = [(r.id, h.id) for r in self.model.participants]
        self.model.set_present(pairs, not everyone)  # a second click unticks the column

    def _ticks_changed(self) -> None:
        model = self.model
        n = len(model.participants)
        parts = [ngettext("{n} participant·e", "{n} participant·es", n).format(n=n)]
        started = [h for h in model.half_days if model.is_started(h)]
        if started and n:
            present = sum(model.count_present(h) for h in started)
            expected = n * len(started)
            parts.append(_("taux de présence {rate} %").format(
                rate=round(100 * present / expected)))
        if model.is_dirty():
            parts.append(_("modifications non enregistrées"))
        self.summary.setText(" · ".join(parts))
        self.save_button.setEnabled(self.can_write and bool(model.started) and bool(n))
        self.all_button.setEnabled(bool(model.started) and bool(n))

    # --- actions ---

    def add_walk_in(self) -> None:
        session = self.model.session
        if session is None:
            return
        dialog = WalkInDialog(self.services, self.tasks, session=session, parent=self)
        if not run_dialog(dialog) or dialog.registration is None:
            return
        added = dialog.registration
        self.saved = True
        self.reload()
        now = self.now().astimezone(PARIS)
        under_way = [h for h in self.model.half_days
                     if h.day == now.date() and h.part is current_part(now.time())
                     and self.model.is_started(h)]
        if added.id is not None:
            self.model.set_present(((added.id, h.id) for h in under_way), True)
            self._select_registration(added.id)
        self._say(_("{name} est ajouté·e à la séance ; pensez à enregistrer les "
                    "présences.").format(name=added.name or _("La personne")), note=False)
        self.attendance_saved.emit()

    def _select_registration(self, registration_id: int) -> None:
        for row, r in enumerate(self.model.participants):
            if r.id == registration_id:
                column = FIXED_COLUMNS
                for k, h in enumerate(self.model.half_days):
                    if self.model.is_started(h):
                        column = FIXED_COLUMNS + k
                index = self.model.index(row, column)
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                return

    def save(self) -> bool:
        if not self.can_write or not self.model.started:
            return False
        try:
            self.services.workshops.record_attendance(session_id=self.session_id,
                                                      present=self.model.to_record())
        except MaisonError as exc:
            messages.warn(self, exc.message)
            return False
        self.saved = True
        self.banner.setVisible(False)
        self.reload()
        self._say(_("Présences enregistrées à {time}.").format(time=format_time(self.now())),
                  note=False)
        self.attendance_saved.emit()
        return True

    def _say(self, text: str, *, note: bool) -> None:
        self.banner.setStyleSheet(BANNER_NOTE if note else BANNER_DONE)
        self.banner_text.setText(text)
        self.banner.setVisible(True)

    def banner_message(self) -> str:
        return self.banner_text.text() if self.banner.isVisible() else ""

    def _saved_first(self) -> bool:
        """Documents are made from what is recorded: unsaved ticks are saved first."""
        if not self.model.is_dirty():
            return True
        if not messages.confirm(self, _("Des présences cochées ne sont pas encore "
                                        "enregistrées. Les enregistrer d'abord ?"),
                                title=_("Présences non enregistrées"),
                                yes=_("Enregistrer et continuer")):
            return False
        return self.save()

    def sign_in_sheet(self) -> None:
        workshops, session_id = self.services.workshops, self.session_id
        self.sheet_button.setEnabled(False)

        def done(result) -> None:
            self.sheet_button.setEnabled(True)
            self._preview(result)

        def failed(exc: BaseException) -> None:
            self.sheet_button.setEnabled(True)
            messages.show_error(self, exc)

        self.tasks.run(lambda: workshops.sign_in_sheet(session_id=session_id),
                       on_success=guarded(self, done), on_error=guarded(self, failed))

    def selected_registrations(self) -> list[RegistrationRecord]:
        return [self.model.participants[row] for row in self.table.selected_rows()
                if row < len(self.model.participants)]

    def _update_certificates_menu(self) -> None:
        chosen = self.selected_registrations()
        if len(chosen) == 1:
            text = _("Pour {name} seulement").format(name=chosen[0].name)
        else:
            text = ngettext("Pour le participant choisi ({n})",
                            "Pour les {n} participants choisis", len(chosen)).format(
                n=len(chosen))
        self.certificates_selected.setText(text)
        self.certificates_selected.setEnabled(bool(chosen))

    def certificates(self, *, selected: bool = False) -> None:
        if not self._saved_first():
            return
        ids = None
        if selected:
            ids = [r.id for r in self.selected_registrations() if r.id is not None]
            if not ids:
                self._say(_("Choisissez d'abord une ou plusieurs lignes du tableau."),
                          note=True)
                return
        workshops, session_id = self.services.workshops, self.session_id
        self.certificates_button.setEnabled(False)

        def done(result) -> None:
            self.certificates_button.setEnabled(True)
            self._preview(result)

        def failed(exc: BaseException) -> None:
            self.certificates_button.setEnabled(True)
            messages.show_error(self, exc)

        self.tasks.run(lambda: workshops.certificates(session_id=session_id,
                                                      registration_ids=ids),
                       on_success=guarded(self, done), on_error=guarded(self, failed))

    def _preview(self, result) -> None:
        record, content = result
        self.pdf_dialog = preview_pdf(self, record, content)

    # --- closing ---

    def reject(self) -> None:
        if self.model.is_dirty() and self.can_write and not messages.confirm(
                self, _("Les présences cochées ne sont pas enregistrées. Fermer sans "
                        "enregistrer ?"), title=_("Présences non enregistrées"),
                yes=_("Fermer sans enregistrer"), no=_("Revenir"), destructive=True):
            return
        if self.saved:
            super().accept()
        else:
            super().reject()
