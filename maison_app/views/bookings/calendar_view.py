"""The room bookings calendar: a day with the rooms side by side, or a week (seven day
columns) for one room or for all of them (one lane per room inside each day column).

The widget only draws and reports; the screen loads the data through the services and calls
`set_day` / `set_week`, and acts on the signals:

- `rangeSelected(space_id, start, end)`: a drag over free time (or a double click on a free
  slot: one hour from it), snapped to SLOT_MINUTES — the screen opens the booking dialog;
- `bookingMoved(booking_id, space_id, start, end)`: a block dragged (to another time, to
  another room's column in the day view, to another day in the week view) or resized by its
  bottom edge, snapped;
- `bookingActivated(booking_id)`: a double click or Enter on a booking;
- `cancelRequested(booking_id)`: Delete on the selected booking (only when editable);
- `selectionChanged(booking_id | None)`.

Times are aware datetimes shown at their Europe/Paris wall-clock time: a day is laid out by
minutes from midnight, so a 14:00 booking sits at the same height on the Saturday before and
the Monday after a daylight-saving change. The time range shown runs from one hour before
opening to one hour after closing, extended to any booking outside it; it scrolls when the
widget is short. Hours outside the opening hours and the days the house does not open are
shaded, closed days (closures, public holidays) more strongly, with their reason.

Confirmed bookings are solid; options are lighter, hatched, with a dashed border and
"Option" before their title; an option past its date is greyed. The selected booking has a
thick border. A red line marks the current time on today.

Keyboard: the arrows, Tab and Shift+Tab move the selection between the bookings in time
order (Home, End: the first, the last), Enter opens, Delete asks to cancel, Page Up / Page
Down scroll, Escape abandons a drag."""

from __future__ import annotations

import datetime as dt
import enum
import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import QScrollBar, QToolTip, QWidget

from maison_app.domain.bookings import SLOT_MINUTES, BookingRecord
from maison_app.domain.enums import BookingStatus, PriceBasis
from maison_app.domain.spaces import SpaceRecord
from maison_app.i18n import PARIS, _, format_date, format_money, ngettext

DAY_MINUTES = 24 * 60
GUTTER = 58  # the hours, on the left
MIN_SLOT_PX = 12  # the height of SLOT_MINUTES at least (48 px an hour)
EDGE_PX = 6  # a block's bottom edge: drag it to resize
DRAG_PX = 4  # a press that moves less than this is a click
ROW_PX = 21  # a row of the header
LANE_ROW_PX = 18  # the room lanes' row of the all-rooms week view
CLOSED_DAY_WEIGHT = 0.45  # width of a day the house does not open (nothing booked), vs 1
NARROW_PX = 64  # a block narrower than this shows its title, start and booker, cut short


class BlockKind(enum.StrEnum):
    """How a booking is drawn."""

    CONFIRMED = "confirmed"  # solid
    OPTION = "option"  # lighter, hatched, dashed border
    EXPIRED = "expired"  # an option past its date: it no longer holds the room; greyed


@dataclass(frozen=True, slots=True)
class Look:
    fill: str  # a confirmed booking
    light: str  # an option
    border: str  # border, hatching, accent bar
    text: str


# calm colours, one per room in the all-rooms week view (the first one everywhere else)
PALETTE: tuple[Look, ...] = (
    Look("#c4d9f3", "#eaf2fc", "#2f66a6", "#0b2545"),  # blue
    Look("#c6e5cf", "#ecf7ef", "#327a48", "#0d3519"),  # green
    Look("#dbd0f0", "#f3eefb", "#6548a3", "#26154d"),  # violet
    Look("#f2dbb0", "#fcf3e2", "#9c6a14", "#402905"),  # ochre
    Look("#c2e3e1", "#eaf6f5", "#24766f", "#0a3431"),  # teal
    Look("#f0ccd7", "#fbedf1", "#a03d5c", "#461021"),  # rose
    Look("#d7dce3", "#f1f3f6", "#4f5b6b", "#1c232c"),  # slate
)
EXPIRED_LOOK = Look("#e4e4e1", "#eeeeec", "#9b9b95", "#66665f")

BACKGROUND = QColor("#ffffff")
HEADER_BG = QColor("#f5f4f0")
HEADER_LINE = QColor("#c4c1b8")
HEADER_TEXT = QColor("#26251f")
MUTED_TEXT = QColor("#6b6960")
OUTSIDE_HOURS = QColor("#efeee9")  # before opening, after closing
NOT_OPEN_DAY = QColor("#e9e8e2")  # a weekday the house does not open
CLOSED_DAY = QColor("#d9d6cc")  # a closure or a public holiday
CLOSED_TEXT = QColor("#7a3f16")
HOUR_LINE = QColor("#d8d6cf")
HALF_LINE = QColor("#eeece7")
LANE_LINE = QColor("#e4e2db")
COLUMN_LINE = QColor("#b8b5ab")
TODAY_HEADER = QColor("#dde9f8")
TODAY_ACCENT = QColor("#1d5fb0")
TODAY_TINT = QColor(29, 95, 176, 12)
NOW_LINE = QColor("#d32f2f")
SELECTED_BORDER = QColor("#111827")
RANGE_FILL = QColor(29, 95, 176, 55)
RANGE_BORDER = QColor("#1d5fb0")
CONFLICT_BORDER = QColor("#c62828")
FOCUS_FRAME = QColor("#1d5fb0")


# --- small helpers --------------------------------------------------------------------------


def wall_minutes(moment: dt.datetime, day: dt.date) -> float:
    """Minutes from midnight of `day` at the Paris wall-clock time of `moment` (0 before the
    day, 1440 after it: a booking ending at midnight ends at 1440)."""
    local = moment.astimezone(PARIS)
    if local.date() < day:
        return 0.0
    if local.date() > day:
        return float(DAY_MINUTES)
    return local.hour * 60 + local.minute + local.second / 60


def at_minutes(day: dt.date, minutes: float) -> dt.datetime:
    """The aware Paris datetime `minutes` after midnight of `day` (wall clock)."""
    minutes = max(0, round(minutes))
    if minutes >= DAY_MINUTES:
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=PARIS)
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=PARIS)


def snap(minutes: float) -> int:
    """To the nearest SLOT_MINUTES."""
    return math.floor(minutes / SLOT_MINUTES + 0.5) * SLOT_MINUTES


def side_by_side(spans: Sequence[tuple[float, float]]) -> list[tuple[int, int]]:
    """(sub-column, sub-columns) of each of `spans` (sorted by start): overlapping ones are
    drawn side by side (an expired option under a new booking, say)."""
    out: list[tuple[int, int]] = []
    cluster: list[int] = []  # indexes of `out` in the current group of overlapping spans
    ends: list[float] = []  # the end of each sub-column of the group
    group_end = -1.0
    for start, end in spans:
        if cluster and start >= group_end:
            for i in cluster:
                out[i] = (out[i][0], len(ends))
            cluster, ends = [], []
        for sub, sub_end in enumerate(ends):
            if sub_end <= start:
                ends[sub] = end
                break
        else:
            sub = len(ends)
            ends.append(end)
        out.append((sub, 1))
        cluster.append(len(out) - 1)
        group_end = end if len(cluster) == 1 else max(group_end, end)
    for i in cluster:
        out[i] = (out[i][0], len(ends))
    return out


def hhmm(minutes: float) -> str:
    m = round(minutes)
    return f"{m // 60:02d}:{m % 60:02d}"


def short_names(rooms: Sequence[SpaceRecord]) -> dict[int | None, str]:
    """The rooms' names for the narrow lanes: without a first word several rooms share
    ("Salle Sèvre", "Salle Marais" → "Sèvre", "Marais")."""
    firsts: dict[str, int] = {}
    for room in rooms:
        words = room.name.split(maxsplit=1)
        if len(words) == 2:
            firsts[words[0].casefold()] = firsts.get(words[0].casefold(), 0) + 1
    out: dict[int | None, str] = {}
    for room in rooms:
        words = room.name.split(maxsplit=1)
        shared = len(words) == 2 and firsts.get(words[0].casefold(), 0) > 1
        out[room.id] = words[1] if shared else room.name
    return out


def kind_of(booking: BookingRecord, today: dt.date) -> BlockKind:
    if booking.status is BookingStatus.OPTION:
        return BlockKind.EXPIRED if booking.expired(today) else BlockKind.OPTION
    return BlockKind.CONFIRMED


def booking_lines(booking: BookingRecord, kind: BlockKind, *, with_room: bool) -> tuple[str, ...]:
    """What a block says: the title (after "Option" for an option), the times and attendees,
    who booked, and the room in the all-rooms week view."""
    title = booking.title
    if kind is BlockKind.OPTION:
        title = _("Option · {title}").format(title=title)
    elif kind is BlockKind.EXPIRED:
        title = _("Option expirée · {title}").format(title=title)
    day = booking.day
    times = f"{hhmm(wall_minutes(booking.start, day))}–{hhmm(wall_minutes(booking.end, day))}"
    people = ngettext("{n} pers.", "{n} pers.", booking.attendees).format(n=booking.attendees)
    lines = [title, f"{times} · {people}", booking.booker_name]
    if with_room:
        lines.append(booking.space_name)
    return tuple(line for line in lines if line)


def booking_details(booking: BookingRecord, today: dt.date) -> str:
    """The tooltip of a block (rich text): everything about the booking."""
    def e(text: str) -> str:
        return html.escape(text, quote=False)

    day = booking.day
    start = hhmm(wall_minutes(booking.start, day))
    end = hhmm(wall_minutes(booking.end, day))
    rows = [f"<b>{e(booking.title)}</b>",
            e(_("{date}, de {start} à {end}").format(date=format_date(day, "EEEE d MMMM y"),
                                                       start=start, end=end)),
            e(_("Salle : {room}").format(room=booking.space_name))]
    who = booking.booker_name or _("(inconnu)")
    if booking.booker.outside:
        contact = " · ".join(x for x in (booking.booker.contact_email,
                                         booking.booker.contact_phone) if x)
        who = _("{name} (extérieur)").format(name=who) + (f" — {contact}" if contact else "")
    rows.append(e(_("Réservé par : {who}").format(who=who)))
    rows.append(e(ngettext("{n} participant", "{n} participants", booking.attendees)
                  .format(n=booking.attendees)))
    kind = kind_of(booking, today)
    if kind is BlockKind.CONFIRMED:
        status = booking.status.label
    elif booking.option_until is None:
        status = _("Option")
    elif kind is BlockKind.EXPIRED:
        status = _("Option expirée le {date} : la salle n'est plus retenue").format(
            date=format_date(booking.option_until))
    else:
        status = _("Option jusqu'au {date}").format(date=format_date(booking.option_until))
    rows.append(e(_("Statut : {status}").format(status=status)))
    if booking.price_basis is PriceBasis.MANUAL:
        price = _("Prix : {price} (saisi à la main : {reason})").format(
            price=format_money(booking.price_cents), reason=booking.override_reason)
    else:
        rate = _("tarif adhérent") if booking.member_rate else _("tarif non adhérent")
        price = _("Prix : {price} ({basis}, {rate})").format(
            price=format_money(booking.price_cents), basis=booking.price_basis.label.lower(),
            rate=rate)
        if booking.price_basis is PriceBasis.FREE:
            price = _("Prix : {price} ({basis})").format(
                price=format_money(booking.price_cents), basis=booking.price_basis.label.lower())
    rows.append(e(price))
    if booking.series_id is not None:
        rows.append(e(_("Fait partie d'une série")))
    if booking.notes:
        notes = booking.notes if len(booking.notes) <= 300 else booking.notes[:299] + "…"
        rows.append("<i>" + e(notes).replace("\n", "<br>") + "</i>")
    return "<br>".join(rows)


# --- layout records --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """Where one room's day is drawn: a room's column (day view), a day's column (week view,
    one room) or a room's lane in a day's column (week view, several rooms)."""

    column: int  # day view: the room's index; week view: the day's index 0..6
    lane: int  # week view with several rooms: the room's index; else 0
    day: dt.date
    space: SpaceRecord
    x: float
    width: float
    look: Look


@dataclass(frozen=True, slots=True)
class _Block:
    booking: BookingRecord
    kind: BlockKind
    cell: Cell
    start: float  # wall-clock minutes of the day
    end: float
    x: float
    width: float
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ShownBlock:
    """A booking as drawn now (for tests and tools): its kind and its rectangle in widget
    coordinates (scroll included)."""

    booking_id: int
    space_id: int
    day: dt.date
    kind: BlockKind
    rect: QRectF
    fill: str
    lines: tuple[str, ...]


@dataclass(slots=True)
class _Press:
    mode: str  # "range" (free space), "move", "resize"
    origin: QPointF
    cell: Cell
    anchor: float = 0.0  # range: the minute pressed
    block: _Block | None = None
    dragging: bool = False


@dataclass(frozen=True, slots=True)
class _Span:
    """A range being selected, or where a dragged block would land."""

    cell: Cell
    start: int
    end: int
    conflict: bool = False


# --- the widget ------------------------------------------------------------------------------


class CalendarView(QWidget):
    """See the module's docstring."""

    rangeSelected = Signal(int, object, object)  # space_id, start, end (aware, Paris)
    bookingActivated = Signal(int)
    bookingMoved = Signal(int, int, object, object)  # booking_id, space_id, start, end
    cancelRequested = Signal(int)
    selectionChanged = Signal(object)  # booking id or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Calendrier des réservations"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._bar = QScrollBar(Qt.Orientation.Vertical, self)
        self._bar.setAccessibleName(_("Faire défiler les heures"))
        self._bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._bar.valueChanged.connect(self._scrolled)
        self._bar.hide()
        # what is shown
        self._week = False
        self._days: list[dt.date] = [dt.date.today()]
        self._rooms: list[SpaceRecord] = []
        self._bookings: list[BookingRecord] = []
        self._closed: dict[dt.date, str] = {}
        self._opens, self._closes = dt.time(8, 0), dt.time(19, 0)
        self._weekdays: frozenset[int] = frozenset(range(5))
        self._now: dt.datetime | None = None
        self._editable = True
        self._selected: int | None = None
        # the layout
        self._range = (7 * 60, 20 * 60)
        self._slot_px = MIN_SLOT_PX
        self._header_h = 2 * ROW_PX + 4
        self._cells: list[Cell] = []
        self._blocks: list[_Block] = []
        # a drag
        self._press: _Press | None = None
        self._span: _Span | None = None
        self._relayout()

    # --- the contract ------------------------------------------------------------------------

    def set_hours(self, opens: dt.time, closes: dt.time, weekdays: Sequence[int]) -> None:
        self._opens, self._closes = opens, closes
        self._weekdays = frozenset(weekdays)
        self._relayout()

    def set_day(self, day: dt.date, rooms: Sequence[SpaceRecord],
                bookings: Sequence[BookingRecord], closed: Mapping[dt.date, str]) -> None:
        """One column per room."""
        self._show(False, [day], rooms, bookings, closed)

    def set_week(self, monday: dt.date, rooms: Sequence[SpaceRecord],
                 bookings: Sequence[BookingRecord], closed: Mapping[dt.date, str]) -> None:
        """Seven day columns; with several rooms, one lane per room inside each day."""
        self._show(True, [monday + dt.timedelta(days=i) for i in range(7)], rooms, bookings,
                   closed)

    def set_now(self, now: dt.datetime) -> None:
        """The current time: the red line on today, and "today" for expired options."""
        self._now = now
        self._relayout()

    def set_editable(self, editable: bool) -> None:
        """False: no creating, moving or resizing (selecting and opening still work)."""
        self._editable = bool(editable)
        if not self._editable:
            self._cancel_drag()
        self.unsetCursor()

    def editable(self) -> bool:
        return self._editable

    def selected_booking(self) -> int | None:
        return self._selected

    def select_booking(self, booking_id: int | None) -> None:
        """Select a shown booking (None, or one not shown: nothing selected);
        selectionChanged is emitted when the selection changes."""
        if booking_id is not None and self._block_of(booking_id) is None:
            booking_id = None
        if booking_id == self._selected:
            return
        self._selected = booking_id
        if booking_id is not None:
            self._ensure_visible(self._block_of(booking_id))
        self._describe()
        self.update()
        self.selectionChanged.emit(booking_id)

    def point_at(self, column: int, when: dt.datetime, lane: int = 0) -> QPoint:
        """Widget coordinates of `when` (its Paris wall-clock time; the column gives the day)
        in the middle of a column (day view: the room's index; week view: the day's index,
        `lane` the room's index when several rooms are shown), at the current scroll
        position."""
        cell = self._cell(column, lane)
        if cell is None:
            raise IndexError(f"no column {column} (lane {lane})")
        local = when.astimezone(PARIS)
        minutes = local.hour * 60 + local.minute + local.second / 60
        if minutes == 0 and local.date() > cell.day:  # midnight ending the column's day
            minutes = DAY_MINUTES
        return QPoint(int(cell.x + cell.width / 2), round(self._y_of(minutes)))

    # --- more, for the screen and the tests --------------------------------------------------

    def is_week(self) -> bool:
        return self._week

    def days(self) -> tuple[dt.date, ...]:
        return tuple(self._days)

    def today(self) -> dt.date:
        now = self._now if self._now is not None else dt.datetime.now(PARIS)
        return now.astimezone(PARIS).date()

    def visible_range(self) -> tuple[int, int]:
        """The minutes from midnight the grid runs from and to."""
        return self._range

    def blocks(self) -> tuple[ShownBlock, ...]:
        """The bookings drawn, in time order."""
        return tuple(ShownBlock(b.booking.id, b.booking.space_id, b.cell.day, b.kind,
                                self._rect_of(b), self._fill_of(b), b.lines)
                     for b in self._blocks)

    def block_rect(self, booking_id: int) -> QRectF | None:
        block = self._block_of(booking_id)
        return self._rect_of(block) if block is not None else None

    def preview(self) -> tuple[int, dt.datetime, dt.datetime] | None:
        """What the drag in progress would report now: (space_id, start, end) of the range
        being selected or of where the dragged block would land; None without a drag."""
        span = self._span
        if span is None:
            return None
        return (span.cell.space.id, at_minutes(span.cell.day, span.start),
                at_minutes(span.cell.day, span.end))

    def now_line(self) -> int | None:
        """The height (widget coordinates) of the current-time line, None when not drawn."""
        if self._now is None or not self._cells:
            return None
        local = self._now.astimezone(PARIS)
        minutes = local.hour * 60 + local.minute + local.second / 60
        if local.date() not in self._days or not self._range[0] <= minutes <= self._range[1]:
            return None
        return round(self._y_of(minutes))

    def scroll_to(self, when: dt.time) -> None:
        """Scroll so that `when` is near the top."""
        minutes = when.hour * 60 + when.minute
        self._bar.setValue(round((minutes - self._range[0]) * self._ppm()) - self._slot_px)

    def tooltip_at(self, pos: QPoint | QPointF) -> str:
        """The tooltip shown at a point: a booking's details, or a lane's room."""
        pos = QPointF(pos)
        block = self._block_at(pos)
        if block is not None:
            return booking_details(block.booking, self.today())
        if pos.y() < self._header_h and pos.x() >= GUTTER:
            cell = self._cell_at(pos.x())
            if cell is not None:
                if self._week:
                    text = format_date(cell.day, "EEEE d MMMM y")
                    reason = self._closed.get(cell.day)
                    if reason:
                        text += " — " + _("Maison fermée : {reason}").format(reason=reason)
                    if len(self._rooms) > 1:
                        text += "\n" + self._room_label(cell.space)
                    return text
                return self._room_label(cell.space) + (
                    f"\n{cell.space.equipment}" if cell.space.equipment else "")
        return ""

    # --- data and layout ---------------------------------------------------------------------

    def _show(self, week: bool, days: list[dt.date], rooms: Sequence[SpaceRecord],
              bookings: Sequence[BookingRecord], closed: Mapping[dt.date, str]) -> None:
        self._cancel_drag()
        self._week = week
        self._days = days
        self._rooms = list(rooms)
        ids = {r.id for r in self._rooms}
        shown = set(days)
        self._bookings = sorted(
            (b for b in bookings if b.space_id in ids and b.day in shown
             and b.status is not BookingStatus.CANCELLED),
            key=lambda b: (b.start, b.space_id, b.id))
        self._closed = {d: r for d, r in closed.items() if d in shown}
        self._relayout()
        if self._selected is not None and self._block_of(self._selected) is None:
            self._selected = None
            self._describe()
            self.selectionChanged.emit(None)

    def _several_rooms(self) -> bool:
        return self._week and len(self._rooms) > 1

    def _compute_range(self) -> tuple[int, int]:
        start = self._opens.hour * 60 + self._opens.minute - 60
        end = self._closes.hour * 60 + self._closes.minute + 60
        for b in self._bookings:
            start = min(start, int(wall_minutes(b.start, b.day)))
            end = max(end, math.ceil(wall_minutes(b.end, b.day)))
        start = max(0, (start // 60) * 60)
        end = min(DAY_MINUTES, -(-end // 60) * 60)
        if end - start < 60:
            end = min(DAY_MINUTES, start + 60)
        return start, end

    def _relayout(self) -> None:
        self._range = self._compute_range()
        self._header_h = 2 * ROW_PX + 4 + (LANE_ROW_PX if self._several_rooms() else 0)
        slots = (self._range[1] - self._range[0]) // SLOT_MINUTES
        available = max(1, self.height() - self._header_h)
        self._slot_px = max(MIN_SLOT_PX, available // max(1, slots))
        content = slots * self._slot_px
        overflow = max(0, content - available)
        self._bar.blockSignals(True)
        self._bar.setRange(0, overflow)
        self._bar.setPageStep(available)
        self._bar.setSingleStep(self._slot_px * 2)
        self._bar.blockSignals(False)
        bar_w = self._bar.sizeHint().width() if overflow else 0
        self._bar.setGeometry(self.width() - bar_w, self._header_h, bar_w,
                              max(0, self.height() - self._header_h))
        self._bar.setVisible(bool(overflow))
        self._cells = self._layout_cells(max(0.0, float(self.width() - GUTTER - bar_w)))
        self._blocks = self._layout_blocks()
        self._describe()
        self.update()

    def _layout_cells(self, width: float) -> list[Cell]:
        cells: list[Cell] = []
        if not self._rooms:
            return cells
        if not self._week:
            w = width / len(self._rooms)
            return [Cell(i, 0, self._days[0], room, GUTTER + i * w, w, PALETTE[0])
                    for i, room in enumerate(self._rooms)]
        # the days the house does not open, with nothing booked, take less room: the
        # working days' lanes stay readable
        busy = {b.start.astimezone(PARIS).date() for b in self._bookings}
        weights = [1.0 if day.weekday() in self._weekdays or day in busy else CLOSED_DAY_WEIGHT
                   for day in self._days]
        unit = width / sum(weights)
        x = float(GUTTER)
        for i, day in enumerate(self._days):
            w = unit * weights[i]
            if len(self._rooms) == 1:
                cells.append(Cell(i, 0, day, self._rooms[0], x, w, PALETTE[0]))
            else:
                lane = w / len(self._rooms)
                for j, room in enumerate(self._rooms):
                    cells.append(Cell(i, j, day, room, x + j * lane, lane,
                                      PALETTE[j % len(PALETTE)]))
            x += w
        return cells

    def _layout_blocks(self) -> list[_Block]:
        today = self.today()
        by_cell: dict[tuple[dt.date, int | None], Cell] = {
            (c.day, c.space.id): c for c in self._cells}
        blocks: list[_Block] = []
        groups: dict[tuple[dt.date, int | None], list[BookingRecord]] = {}
        for b in self._bookings:
            groups.setdefault((b.day, b.space_id), []).append(b)
        for key, bookings in groups.items():
            cell = by_cell.get(key)
            if cell is None:
                continue
            spans = [(wall_minutes(b.start, cell.day),
                      max(wall_minutes(b.start, cell.day) + 1, wall_minutes(b.end, cell.day)))
                     for b in bookings]
            inner = cell.width - (2 if cell.width < 60 else 5)
            left = cell.x + (1 if cell.width < 60 else 2)
            for booking, (start, end), (sub, n) in zip(bookings, spans, side_by_side(spans),
                                                       strict=True):
                kind = kind_of(booking, today)
                blocks.append(_Block(booking, kind, cell, start, end,
                                     left + sub * inner / n, inner / n,
                                     booking_lines(booking, kind,
                                                   with_room=self._several_rooms())))
        blocks.sort(key=lambda b: (b.booking.start, b.cell.column, b.cell.lane, b.x,
                                   b.booking.id))
        return blocks

    def _describe(self) -> None:
        count = len(self._bookings)
        n = ngettext("{n} réservation", "{n} réservations", count).format(n=count)
        if self._week:
            first, last = self._days[0], self._days[-1]
            if (first.year, first.month) == (last.year, last.month):
                since = format_date(first, "d")
            elif first.year == last.year:
                since = format_date(first, "d MMMM")
            else:
                since = format_date(first)
            what = _("Semaine du {first} au {last}").format(first=since, last=format_date(last))
            if len(self._rooms) == 1:
                what += " — " + self._rooms[0].name
        else:
            what = format_date(self._days[0], "EEEE d MMMM y")
            what = what[:1].upper() + what[1:]
            reason = self._closed.get(self._days[0])
            if reason:
                what += " (" + _("Maison fermée : {reason}").format(reason=reason) + ")"
        text = _("{what} : {bookings}").format(what=what, bookings=n)
        block = self._block_of(self._selected) if self._selected is not None else None
        if block is not None:
            b = block.booking
            text += ". " + _("Sélection : {title}, {room}, {day} {start}–{end}").format(
                title=b.title, room=b.space_name, day=format_date(b.day, "EEEE d MMMM"),
                start=hhmm(block.start), end=hhmm(block.end))
        self.setAccessibleDescription(text)

    # --- geometry ----------------------------------------------------------------------------

    def _ppm(self) -> float:
        return self._slot_px / SLOT_MINUTES

    def _y_of(self, minutes: float) -> float:
        return self._header_h + (minutes - self._range[0]) * self._ppm() - self._bar.value()

    def _minutes_at(self, y: float) -> float:
        return self._range[0] + (y - self._header_h + self._bar.value()) / self._ppm()

    def _body_rect(self) -> QRectF:
        right = self._cells[-1].x + self._cells[-1].width if self._cells else self.width()
        return QRectF(GUTTER, self._header_h, right - GUTTER, self.height() - self._header_h)

    def _cell(self, column: int, lane: int = 0) -> Cell | None:
        for cell in self._cells:
            if cell.column == column and cell.lane == lane:
                return cell
        return None

    def _cell_at(self, x: float, *, clamp: bool = False) -> Cell | None:
        if not self._cells:
            return None
        for cell in self._cells:
            if cell.x <= x < cell.x + cell.width:
                return cell
        if clamp:
            return self._cells[0] if x < self._cells[0].x else self._cells[-1]
        return None

    def _day_columns(self) -> list[tuple[dt.date, float, float]]:
        """(day, x, width) of each day column."""
        if not self._cells:
            return []
        if not self._week:
            body = self._body_rect()
            return [(self._days[0], body.x(), body.width())]
        columns: dict[int, tuple[dt.date, float, float]] = {}
        for c in self._cells:
            day, x, w = columns.get(c.column, (c.day, c.x, 0.0))
            columns[c.column] = (day, x, w + c.width)
        return [columns[i] for i in sorted(columns)]

    def _rect_of(self, block: _Block) -> QRectF:
        top = self._y_of(block.start)
        return QRectF(block.x, top, block.width, (block.end - block.start) * self._ppm())

    def _block_of(self, booking_id: int | None) -> _Block | None:
        for block in self._blocks:
            if block.booking.id == booking_id:
                return block
        return None

    def _block_at(self, pos: QPointF) -> _Block | None:
        if pos.y() < self._header_h or pos.x() < GUTTER:
            return None
        for block in reversed(self._blocks):  # the last drawn is on top
            r = self._rect_of(block)
            if r.left() <= pos.x() < r.right() and r.top() <= pos.y() < r.bottom():
                return block
        return None

    def _on_bottom_edge(self, block: _Block, pos: QPointF) -> bool:
        r = self._rect_of(block)
        return pos.y() >= r.bottom() - EDGE_PX and r.height() >= 2 * EDGE_PX

    def _holding(self, cell: Cell, ignore: int | None = None) -> list[tuple[float, float]]:
        """(start, end) minutes of the bookings holding the room on the cell's day."""
        today = self.today()
        return [(wall_minutes(b.start, cell.day), wall_minutes(b.end, cell.day))
                for b in self._bookings
                if b.space_id == cell.space.id and b.day == cell.day and b.id != ignore
                and b.holds_room(today)]

    def _ensure_visible(self, block: _Block | None) -> None:
        if block is None:
            return
        top = (block.start - self._range[0]) * self._ppm()
        bottom = (block.end - self._range[0]) * self._ppm()
        available = self.height() - self._header_h
        value = self._bar.value()
        if top < value:
            self._bar.setValue(int(top) - self._slot_px)
        elif bottom > value + available:
            self._bar.setValue(int(min(top - self._slot_px, bottom - available + self._slot_px)))

    def _scrolled(self, _value: int) -> None:
        self.update()

    # --- Qt ----------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        columns = 7 if self._week else max(1, len(self._rooms))
        slots = (self._range[1] - self._range[0]) // SLOT_MINUTES
        return QSize(GUTTER + columns * 150, self._header_h + min(slots * MIN_SLOT_PX, 640))

    def minimumSizeHint(self) -> QSize:
        return QSize(GUTTER + 280, self._header_h + 8 * MIN_SLOT_PX)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._relayout()

    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120
        if steps and self._bar.maximum() > 0:
            self._bar.setValue(self._bar.value() - round(steps * 4 * self._slot_px))
            event.accept()
            return
        super().wheelEvent(event)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        if (event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
                and not event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                             | Qt.KeyboardModifier.AltModifier)):
            backwards = (event.key() == Qt.Key.Key_Backtab
                         or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            if self._step(-1 if backwards else 1):
                event.accept()
                return True
            # past the first or the last booking: Tab leaves the calendar
        return super().event(event)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.update()

    # --- keyboard ----------------------------------------------------------------------------

    def _step(self, direction: int) -> bool:
        """Select the next (1) or previous (-1) booking in time order; False at the end."""
        if not self._blocks:
            return False
        ids = [b.booking.id for b in self._blocks]
        if self._selected not in ids:
            target = 0 if direction > 0 else len(ids) - 1
        else:
            target = ids.index(self._selected) + direction
            if not 0 <= target < len(ids):
                return False
        self.select_booking(ids[target])
        return True

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self._press is not None:
            self._cancel_drag()
            event.accept()
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Right):
            self._step(1)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Left):
            self._step(-1)
        elif key == Qt.Key.Key_Home and self._blocks:
            self.select_booking(self._blocks[0].booking.id)
        elif key == Qt.Key.Key_End and self._blocks:
            self.select_booking(self._blocks[-1].booking.id)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._selected is not None:
            self.bookingActivated.emit(self._selected)
        elif key == Qt.Key.Key_Delete and self._selected is not None and self._editable:
            self.cancelRequested.emit(self._selected)
        elif key == Qt.Key.Key_PageDown:
            self._bar.setValue(self._bar.value() + self._bar.pageStep())
        elif key == Qt.Key.Key_PageUp:
            self._bar.setValue(self._bar.value() - self._bar.pageStep())
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # --- mouse -------------------------------------------------------------------------------

    def _cancel_drag(self) -> None:
        if self._press is not None or self._span is not None:
            self._press = None
            self._span = None
            self.unsetCursor()
            self.update()

    def mousePressEvent(self, event) -> None:
        pos = event.position()
        block = self._block_at(pos)
        if event.button() == Qt.MouseButton.RightButton:
            if block is not None:
                self.select_booking(block.booking.id)
            event.accept()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self._cancel_drag()
        event.accept()
        if block is not None:
            self.select_booking(block.booking.id)
            if self._editable:
                mode = "resize" if self._on_bottom_edge(block, pos) else "move"
                self._press = _Press(mode, pos, block.cell, block=block)
            return
        if pos.y() < self._header_h or pos.x() < GUTTER or pos.x() >= self._body_rect().right():
            return
        cell = self._cell_at(pos.x())
        if cell is None:
            return
        self.select_booking(None)  # a click on free space clears the selection
        minutes = self._minutes_at(pos.y())
        if self._editable and self._range[0] <= minutes < self._range[1]:
            self._press = _Press("range", pos, cell, anchor=minutes)

    def mouseMoveEvent(self, event) -> None:
        pos = event.position()
        press = self._press
        if press is None:
            self._hover(pos)
            return
        event.accept()
        if not press.dragging:
            if (pos - press.origin).manhattanLength() < DRAG_PX:
                return
            press.dragging = True
        self._autoscroll(pos)
        if press.mode == "range":
            self._span = self._range_span(press, pos)
        elif press.mode == "move":
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            self._span = self._move_span(press, pos)
        else:
            self.setCursor(Qt.CursorShape.SizeVerCursor)
            self._span = self._resize_span(press, pos)
        self.update()

    def mouseReleaseEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        event.accept()
        press, span = self._press, self._span
        self._press = None
        self._span = None
        self.unsetCursor()
        self.update()
        if press is None or not press.dragging or span is None:
            return
        cell = span.cell
        if press.mode == "range":
            self.rangeSelected.emit(cell.space.id, at_minutes(cell.day, span.start),
                                    at_minutes(cell.day, span.end))
            return
        block = press.block
        assert block is not None
        booking = block.booking
        start = booking.start if span.start == block.start else at_minutes(cell.day, span.start)
        end = booking.end if span.end == block.end else at_minutes(cell.day, span.end)
        if cell.day != block.cell.day:  # another day: the same wall-clock times on it
            start, end = at_minutes(cell.day, span.start), at_minutes(cell.day, span.end)
        if (cell.space.id, start, end) == (booking.space_id, booking.start, booking.end):
            return
        self.bookingMoved.emit(booking.id, cell.space.id, start.astimezone(PARIS),
                               end.astimezone(PARIS))

    def mouseDoubleClickEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        event.accept()
        self._cancel_drag()
        pos = event.position()
        block = self._block_at(pos)
        if block is not None:
            self.select_booking(block.booking.id)
            self.bookingActivated.emit(block.booking.id)
            return
        if (not self._editable or pos.y() < self._header_h or pos.x() < GUTTER
                or pos.x() >= self._body_rect().right()):
            return
        cell = self._cell_at(pos.x())
        minutes = self._minutes_at(pos.y())
        if cell is None or not self._range[0] <= minutes < self._range[1]:
            return
        start = int(minutes // SLOT_MINUTES) * SLOT_MINUTES
        end = min(start + 60, self._range[1])
        for b_start, b_end in self._holding(cell):
            if b_start <= start < b_end:
                return  # inside a booking drawn beside another one
            if start < b_start < end:
                end = snap(b_start) if snap(b_start) > start else int(b_start)
        if end > start:
            self.rangeSelected.emit(cell.space.id, at_minutes(cell.day, start),
                                    at_minutes(cell.day, end))

    def leaveEvent(self, event) -> None:
        if self._press is None:
            self.unsetCursor()
        super().leaveEvent(event)

    def _hover(self, pos: QPointF) -> None:
        block = self._block_at(pos) if self._editable else None
        if block is not None and self._on_bottom_edge(block, pos):
            self.setCursor(Qt.CursorShape.SizeVerCursor)
        elif block is not None:
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.unsetCursor()

    def _autoscroll(self, pos: QPointF) -> None:
        if self._bar.maximum() <= 0:
            return
        if pos.y() < self._header_h + self._slot_px:
            self._bar.setValue(self._bar.value() - self._slot_px)
        elif pos.y() > self.height() - self._slot_px:
            self._bar.setValue(self._bar.value() + self._slot_px)

    def _clamp(self, minutes: int) -> int:
        return max(self._range[0], min(self._range[1], minutes))

    def _range_span(self, press: _Press, pos: QPointF) -> _Span | None:
        anchor = self._clamp(snap(press.anchor))
        here = self._clamp(snap(self._minutes_at(pos.y())))
        low, high = min(anchor, here), max(anchor, here)
        for b_start, b_end in self._holding(press.cell):  # stop at the bookings around
            if b_start <= press.anchor < b_end:
                return None
            if b_start >= press.anchor:  # the next booking: the range ends before it
                high = min(high, int(b_start // SLOT_MINUTES) * SLOT_MINUTES)
            elif b_end <= press.anchor:  # the previous one: the range starts after it
                low = max(low, int(-(-b_end // SLOT_MINUTES)) * SLOT_MINUTES)
        if high - low < SLOT_MINUTES:
            return None
        return _Span(press.cell, low, high)

    def _move_span(self, press: _Press, pos: QPointF) -> _Span:
        block = press.block
        assert block is not None
        under = self._cell_at(pos.x(), clamp=True) or block.cell
        if self._several_rooms():  # another day, the same room
            target = self._cell(under.column, block.cell.lane) or block.cell
        else:
            target = under
        duration = block.end - block.start
        delta = (pos.y() - press.origin.y()) / self._ppm()
        if snap(delta) == 0:
            start = block.start
        else:
            start = snap(block.start + delta)
            start = max(self._range[0], min(start, self._range[1] - duration))
        end = start + duration
        conflict = any(b_start < end and start < b_end
                       for b_start, b_end in self._holding(target, ignore=block.booking.id))
        return _Span(target, start, end, conflict)

    def _resize_span(self, press: _Press, pos: QPointF) -> _Span:
        block = press.block
        assert block is not None
        delta = (pos.y() - press.origin.y()) / self._ppm()
        end = block.end if snap(delta) == 0 else snap(block.end + delta)
        end = min(self._range[1], max(end, block.start + SLOT_MINUTES))
        conflict = any(b_start < end and block.start < b_end
                       for b_start, b_end in self._holding(block.cell,
                                                           ignore=block.booking.id))
        return _Span(block.cell, block.start, end, conflict)

    # --- painting ----------------------------------------------------------------------------

    def _fill_of(self, block: _Block) -> str:
        if block.kind is BlockKind.EXPIRED:
            return EXPIRED_LOOK.light
        return block.cell.look.light if block.kind is BlockKind.OPTION else block.cell.look.fill

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.fillRect(self.rect(), BACKGROUND)
        body = self._body_rect()
        p.save()
        p.setClipRect(QRectF(0, self._header_h, self.width(), self.height() - self._header_h))
        self._paint_grid(p)
        p.setClipRect(body)
        dragged = self._press.block.booking.id if (
            self._press is not None and self._press.block is not None
            and self._press.dragging) else None
        for block in self._blocks:
            self._paint_block(p, block, self._rect_of(block),
                              selected=block.booking.id == self._selected,
                              faded=block.booking.id == dragged)
        self._paint_span(p)
        self._paint_now(p)
        self._paint_closed_reasons(p)
        p.restore()
        self._paint_header(p)
        if not self._cells:
            p.setPen(MUTED_TEXT)
            p.drawText(body, Qt.AlignmentFlag.AlignCenter, _("Aucune salle à afficher"))
        if self.hasFocus():
            p.setPen(QPen(FOCUS_FRAME, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        p.end()

    def _paint_grid(self, p: QPainter) -> None:
        start, end = self._range
        opens = self._opens.hour * 60 + self._opens.minute
        closes = self._closes.hour * 60 + self._closes.minute
        top, bottom = self._y_of(start), self._y_of(end)
        today = self.today()
        for day, x, w in self._day_columns():
            if day in self._closed:
                p.fillRect(QRectF(x, top, w, bottom - top), CLOSED_DAY)
            elif day.weekday() not in self._weekdays:
                p.fillRect(QRectF(x, top, w, bottom - top), NOT_OPEN_DAY)
            else:
                if opens > start:
                    p.fillRect(QRectF(x, top, w, self._y_of(opens) - top), OUTSIDE_HOURS)
                if closes < end:
                    y = self._y_of(closes)
                    p.fillRect(QRectF(x, y, w, bottom - y), OUTSIDE_HOURS)
            if day == today and self._week:
                p.fillRect(QRectF(x, top, w, bottom - top), TODAY_TINT)
        # hour and half-hour lines, across the gutter's edge and the columns
        right = self._body_rect().right()
        for minutes in range(start, end + 1, 30):
            y = round(self._y_of(minutes)) + 0.5
            hour = minutes % 60 == 0
            p.setPen(QPen(HOUR_LINE if hour else HALF_LINE, 1))
            p.drawLine(QPointF(GUTTER - (6 if hour else 0), y), QPointF(right, y))
        # vertical lines: lanes, then columns
        p.setPen(QPen(LANE_LINE, 1))
        for cell in self._cells:
            if cell.lane > 0:
                x = round(cell.x) + 0.5
                p.drawLine(QPointF(x, top), QPointF(x, bottom))
        p.setPen(QPen(COLUMN_LINE if self._week else HOUR_LINE, 1))
        columns = self._day_columns() if self._week else [
            (c.day, c.x, c.width) for c in self._cells]
        for _day, x, w in columns:
            p.drawLine(QPointF(round(x) + 0.5, top), QPointF(round(x) + 0.5, bottom))
        if columns:
            x = round(columns[-1][1] + columns[-1][2]) - 0.5
            p.drawLine(QPointF(x, top), QPointF(x, bottom))
        # the gutter: the hours
        p.setFont(self.font())
        p.setPen(MUTED_TEXT)
        fm = QFontMetricsF(self.font())
        for minutes in range(start, end, 60):
            y = self._y_of(minutes)
            p.drawText(QRectF(0, y + 1, GUTTER - 9, fm.height()),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), hhmm(minutes))

    def _paint_closed_reasons(self, p: QPainter) -> None:
        """"Maison fermée — Noël" at the top of each closed day, whatever the scroll."""
        bold = QFont(self.font())
        bold.setBold(True)
        fm = QFontMetricsF(bold)
        for day, x, w in self._day_columns():
            reason = self._closed.get(day)
            if not reason:
                continue
            text = _("Maison fermée — {reason}").format(reason=reason)
            flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
            bound = fm.boundingRect(QRectF(0, 0, w - 16, 1000), flags, text)
            box = QRectF(x + 4, self._header_h + 4, w - 8, bound.height() + 8)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(255, 255, 255, 215))
            p.drawRoundedRect(box, 4, 4)
            p.setFont(bold)
            p.setPen(CLOSED_TEXT)
            p.drawText(box.adjusted(4, 4, -4, -4), flags, text)

    def _paint_block(self, p: QPainter, block: _Block, rect: QRectF, *, selected: bool,
                     faded: bool = False) -> None:
        kind = block.kind
        look = EXPIRED_LOOK if kind is BlockKind.EXPIRED else block.cell.look
        r = rect.adjusted(0.5, 0.5, -1.0, -1.0)
        if r.height() < 3:
            r.setHeight(3)
        p.save()
        if faded:
            p.setOpacity(0.35)
        path = QPainterPath()
        path.addRoundedRect(r, 3, 3)
        border = QColor(look.border)
        if kind is BlockKind.CONFIRMED:
            p.fillPath(path, QColor(look.fill))
            bar = QPainterPath()
            bar.addRect(QRectF(r.left(), r.top(), 4 if r.width() >= NARROW_PX else 3, r.height()))
            p.fillPath(path.intersected(bar), border)
            pen = QPen(border, 1)
        else:
            p.fillPath(path, QColor(look.light))
            hatch = QColor(border)
            hatch.setAlpha(70 if kind is BlockKind.OPTION else 60)
            p.fillPath(path, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            pen = QPen(border, 1.5, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        if selected:
            p.setPen(QPen(SELECTED_BORDER, 3))
            p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 3, 3)
        lines = block.lines
        if r.width() < NARROW_PX:  # a lane of the all-rooms week: what fits, cut, not elided
            b = block.booking
            lines = (b.title, hhmm(block.start), b.booker_name)
        text_rect = QRectF(r)
        if text_rect.top() < self._header_h < text_rect.bottom() - 4:  # scrolled: keep the text
            text_rect.setTop(self._header_h)
        self._paint_lines(p, lines, text_rect, QColor(look.text),
                          indent=6 if kind is BlockKind.CONFIRMED else 4,
                          elide=r.width() >= NARROW_PX)
        p.restore()

    def _paint_lines(self, p: QPainter, lines: Sequence[str], r: QRectF, colour: QColor, *,
                     indent: float, elide: bool = True) -> None:
        title_font = QFont(self.font())
        title_font.setBold(True)
        small = QFont(self.font())
        if small.pointSizeF() > 8:
            small.setPointSizeF(small.pointSizeF() - 1)
        if not elide:  # a narrow lane: the small size for the title too
            title_font = QFont(small)
            title_font.setBold(True)
        tfm, sfm = QFontMetricsF(title_font), QFontMetricsF(small)
        if not elide:
            indent = min(indent, 5)
        width = r.width() - indent - (3 if elide else 1)
        if width < 8 or not lines:
            return
        mode = Qt.TextElideMode.ElideRight if elide else Qt.TextElideMode.ElideNone
        p.save()
        p.setClipRect(r.adjusted(1, 1, -1, -1), Qt.ClipOperation.IntersectClip)
        p.setPen(colour)
        y = r.top() + 1
        if r.height() < tfm.height() + sfm.height() + 2:
            # a short booking: one line, the start time and the title
            text = f"{lines[1].split('–')[0]} {lines[0]}" if len(lines) > 1 else lines[0]
            font, fm = (title_font, tfm) if r.height() >= tfm.height() else (small, sfm)
            if r.height() < fm.height():  # a quarter of an hour: smaller still, may spill over
                font = QFont(small)
                font.setPointSizeF(max(6.5, small.pointSizeF() - 1))
                fm = QFontMetricsF(font)
                p.setClipRect(QRectF(r.left() + 1, r.top() - 3, r.width() - 2, r.height() + 6))
            p.setFont(font)
            box = QRectF(r.left() + indent, r.top() - 3, width, r.height() + 6)
            p.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       fm.elidedText(text, mode, width))
            p.restore()
            return
        for i, line in enumerate(lines):
            fm = tfm if i == 0 else sfm
            if y + fm.height() > r.bottom() + 1:
                break
            p.setFont(title_font if i == 0 else small)
            p.drawText(QPointF(r.left() + indent, y + fm.ascent()),
                       fm.elidedText(line, mode, width))
            y += fm.height()
        p.restore()

    def _paint_span(self, p: QPainter) -> None:
        span = self._span
        if span is None:
            return
        top, bottom = self._y_of(span.start), self._y_of(span.end)
        press = self._press
        bold = QFont(self.font())
        bold.setBold(True)
        label = f"{hhmm(span.start)}–{hhmm(span.end)}"
        if press is not None and press.block is not None:
            block = press.block
            inner = span.cell.width - (2 if span.cell.width < 60 else 5)
            rect = QRectF(span.cell.x + (1 if span.cell.width < 60 else 2), top, inner,
                          bottom - top)
            p.save()
            p.setOpacity(0.8)  # what it would cover stays visible
            self._paint_block(p, block, rect, selected=True)
            p.restore()
            if span.conflict:
                p.setPen(QPen(CONFLICT_BORDER, 3))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(rect.adjusted(1.5, 1.5, -2, -2), 3, 3)
                label = _("{times} — déjà réservé").format(times=label)
            fm = QFontMetricsF(bold)
            badge = QRectF(rect.left(), rect.bottom() + 2, fm.horizontalAdvance(label) + 10,
                           fm.height() + 4)
            if badge.bottom() > self.height():
                badge.moveBottom(rect.top() - 2)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(CONFLICT_BORDER if span.conflict else RANGE_BORDER)
            p.drawRoundedRect(badge, 3, 3)
            p.setFont(bold)
            p.setPen(QColor("#ffffff"))
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
            return
        rect = QRectF(span.cell.x + 1, top, span.cell.width - 3, bottom - top)
        p.setPen(QPen(RANGE_BORDER, 1.5))
        p.setBrush(RANGE_FILL)
        p.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        p.setFont(bold)
        p.setPen(RANGE_BORDER.darker(130))
        fm = QFontMetricsF(bold)
        p.drawText(QRectF(rect.left() + 5, rect.top() + 1, rect.width() - 8, fm.height()),
                   int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                   fm.elidedText(label, Qt.TextElideMode.ElideRight, rect.width() - 8))

    def _paint_now(self, p: QPainter) -> None:
        if self._now is None:
            return
        local = self._now.astimezone(PARIS)
        today = local.date()
        minutes = local.hour * 60 + local.minute + local.second / 60
        if not self._range[0] <= minutes <= self._range[1]:
            return
        y = self._y_of(minutes)
        columns = [(d, x, w) for d, x, w in self._day_columns() if d == today]
        if not columns:
            return
        p.save()
        p.setClipping(False)
        if y < self._header_h:
            p.restore()
            return
        for _day, x, w in columns:
            p.setPen(QPen(NOW_LINE, 2))
            p.drawLine(QPointF(x, y), QPointF(x + w, y))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(NOW_LINE)
            p.drawEllipse(QPointF(x + 1, y), 4, 4)
        # the time, in the gutter
        fm = QFontMetricsF(self.font())
        label = hhmm(minutes)
        badge = QRectF(GUTTER - fm.horizontalAdvance(label) - 12, y - fm.height() / 2 - 1,
                       fm.horizontalAdvance(label) + 8, fm.height() + 2)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(NOW_LINE)
        p.drawRoundedRect(badge, 3, 3)
        p.setPen(QColor("#ffffff"))
        p.setFont(self.font())
        p.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
        p.restore()

    def _room_label(self, room: SpaceRecord) -> str:
        return _("{name} · {n} pl.").format(name=room.name, n=room.capacity)

    def _paint_header(self, p: QPainter) -> None:
        h = self._header_h
        p.fillRect(QRectF(0, 0, self.width(), h), HEADER_BG)
        bold = QFont(self.font())
        bold.setBold(True)
        small = QFont(self.font())
        if small.pointSizeF() > 8:
            small.setPointSizeF(small.pointSizeF() - 1)
        bfm, sfm = QFontMetricsF(bold), QFontMetricsF(small)
        today = self.today()
        centre = int(Qt.AlignmentFlag.AlignCenter)
        # the corner: the day, or the week's number
        first = self._days[0]
        corner = (_("sem. {n}").format(n=first.isocalendar()[1]) if self._week
                  else format_date(first, "EEE d"))
        p.setFont(small)
        p.setPen(MUTED_TEXT)
        p.drawText(QRectF(2, 2, GUTTER - 4, ROW_PX), centre,
                   sfm.elidedText(corner, Qt.TextElideMode.ElideRight, GUTTER - 4))
        if self._week:
            for day, x, w in self._day_columns():
                reason = self._closed.get(day)
                if day == today:
                    p.fillRect(QRectF(x, 0, w, h), TODAY_HEADER)
                    p.fillRect(QRectF(x, 2 * ROW_PX + 1, w, 3), TODAY_ACCENT)
                p.setFont(bold)
                p.setPen(TODAY_ACCENT if day == today else HEADER_TEXT)
                label = format_date(day, "EEE dd/MM")
                if bfm.horizontalAdvance(label) > w - 4:  # a narrow day: "sam. 28"
                    label = format_date(day, "EEE d")
                p.drawText(QRectF(x + 2, 3, w - 4, ROW_PX), centre,
                           bfm.elidedText(label, Qt.TextElideMode.ElideRight, w - 4))
                second = reason or (_("aujourd'hui") if day == today else "")
                if second:
                    p.setFont(small)
                    p.setPen(CLOSED_TEXT if reason else TODAY_ACCENT)
                    p.drawText(QRectF(x + 2, ROW_PX + 1, w - 4, ROW_PX), centre,
                               sfm.elidedText(second, Qt.TextElideMode.ElideRight, w - 4))
            if self._several_rooms():
                top = 2 * ROW_PX + 4
                p.setFont(small)
                names = short_names(self._rooms)
                for cell in self._cells:
                    look = cell.look
                    box = QRectF(cell.x + 1, top + 1, cell.width - 2, LANE_ROW_PX - 3)
                    p.fillRect(box, QColor(look.fill))
                    p.fillRect(QRectF(box.left(), box.bottom() - 2, box.width(), 2),
                               QColor(look.border))
                    p.setPen(QColor(look.text))
                    name = sfm.elidedText(names.get(cell.space.id, cell.space.name),
                                          Qt.TextElideMode.ElideRight, box.width() - 2)
                    p.drawText(box.adjusted(1, 0, -1, -2), centre, name)
        else:
            day = self._days[0]
            for cell in self._cells:
                x, w = cell.x, cell.width
                room = cell.space
                suffix = _(" · {n} pl.").format(n=room.capacity)
                name = bfm.elidedText(room.name, Qt.TextElideMode.ElideRight,
                                      max(10.0, w - 8 - bfm.horizontalAdvance(suffix)))
                p.setFont(bold)
                p.setPen(HEADER_TEXT)
                p.drawText(QRectF(x + 2, 3, w - 4, ROW_PX), centre, name + suffix)
                second = self._closed.get(day) or room.equipment
                if second:
                    p.setFont(small)
                    p.setPen(CLOSED_TEXT if day in self._closed else MUTED_TEXT)
                    p.drawText(QRectF(x + 4, ROW_PX + 1, w - 8, ROW_PX), centre,
                               sfm.elidedText(second, Qt.TextElideMode.ElideRight, w - 8))
        p.setPen(QPen(HEADER_LINE, 1))
        p.drawLine(QPointF(0, h - 0.5), QPointF(self.width(), h - 0.5))
        # column separators in the header
        for _day, x, _w in (self._day_columns() if self._week
                            else [(c.day, c.x, c.width) for c in self._cells]):
            p.drawLine(QPointF(round(x) + 0.5, 0), QPointF(round(x) + 0.5, h))
