"""The bookings calendar widget on its own, with rooms and bookings built by hand (no
database): selecting a range with the mouse, double clicks, moving and resizing blocks (to
another room, another day), the read-only mode, the keyboard, the day and week views, how
options, confirmed and expired bookings are drawn, closed days, the current-time line,
scrolling, and the layout across a daylight-saving change."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QToolTip, QVBoxLayout, QWidget

from maison_app.domain.bookings import Booker, BookingRecord
from maison_app.domain.enums import BookingStatus, PriceBasis, SpaceKind
from maison_app.domain.spaces import SpaceRecord
from maison_app.i18n import PARIS, format_money
from maison_app.views.bookings.calendar_view import (
    CLOSED_DAY,
    NOT_OPEN_DAY,
    BlockKind,
    CalendarView,
    short_names,
    side_by_side,
)

DAY = dt.date(2026, 11, 26)  # a Thursday
MONDAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 26, 10, 40, tzinfo=PARIS)
LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier

SEVRE = SpaceRecord(11, SpaceKind.MEETING_ROOM, "Salle Sèvre", capacity=12, equipment="Écran")
MARAIS = SpaceRecord(12, SpaceKind.MEETING_ROOM, "Salle Marais", capacity=8)
PORT = SpaceRecord(13, SpaceKind.WORKSHOP_ROOM, "Atelier du Port", capacity=25)
ROOMS = (SEVRE, MARAIS, PORT)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def booking(id_: int, room: SpaceRecord, start: dt.datetime, end: dt.datetime, title: str, *,
            status: BookingStatus = BookingStatus.CONFIRMED, until: dt.date | None = None,
            booker: str = "Coopérative Alpha", attendees: int = 6) -> BookingRecord:
    return BookingRecord(
        id=id_, space_id=room.id, space_name=room.name, start=start, end=end, title=title,
        booker=Booker(organisation_id=1), booker_name=booker, attendees=attendees,
        status=status, option_until=until, notes="", price_cents=4000,
        price_basis=PriceBasis.HALF_DAY, member_rate=True, override_reason="", series_id=None)


CONSEIL = booking(101, SEVRE, at(9), at(11), "Conseil d'administration")
ATELIER = booking(102, SEVRE, at(14), at(16), "Atelier compta", status=BookingStatus.OPTION,
                  until=DAY + dt.timedelta(days=3), booker="Graines de Cœur")
RESEAU = booking(103, MARAIS, at(10), at(12), "Réunion réseau ESS", booker="Réseau ESS 79")
ENTRETIEN = booking(104, PORT, at(9, 30), at(10, 30), "Entretien", status=BookingStatus.OPTION,
                    until=DAY - dt.timedelta(days=1), booker="M. Dupont", attendees=2)
BOOKINGS = (CONSEIL, ATELIER, RESEAU, ENTRETIEN)


@pytest.fixture
def view(qtbot) -> CalendarView:
    widget = CalendarView()
    qtbot.addWidget(widget)
    widget.set_hours(dt.time(8), dt.time(19), (0, 1, 2, 3, 4))
    widget.set_now(NOW)
    widget.set_day(DAY, ROOMS, BOOKINGS, {})
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


class Recorder(list):
    def __call__(self, *args) -> None:
        self.append(args)


def record(signal) -> Recorder:
    got = Recorder()
    signal.connect(got)
    return got


def move_to(view: QWidget, pos: QPoint) -> None:
    """A mouse move with the left button held, as a real mouse sends it (QTest.mouseMove
    does not carry the buttons on every Qt version)."""
    event = QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(view.mapToGlobal(pos)),
                        Qt.MouseButton.NoButton, LEFT, NONE)
    QApplication.sendEvent(view, event)


def drag(view: CalendarView, start: QPoint, end: QPoint, *, release: bool = True) -> None:
    QTest.mousePress(view, LEFT, NONE, start)
    for step in (1, 2, 3):
        move_to(view, start + (end - start) * (step / 3))
    if release:
        QTest.mouseRelease(view, LEFT, NONE, end)


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


# --- selecting a range ---------------------------------------------------------------------


def test_the_widget_names_itself_and_summarises_the_day(view):
    assert view.accessibleName() == "Calendrier des réservations"
    assert view.accessibleDescription().startswith("Jeudi 26 novembre 2026 : 4 réservations")
    assert view.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert view.visible_range() == (7 * 60, 20 * 60)  # an hour around the opening hours


def test_dragging_over_free_time_selects_a_snapped_range_in_that_room(view):
    ranges = record(view.rangeSelected)
    start = view.point_at(1, at(14))
    end = view.point_at(1, at(15, 30)) + QPoint(0, 3)  # a little past: snapped back
    drag(view, start, end, release=False)
    assert view.preview() == (MARAIS.id, at(14), at(15, 30))  # drawn while dragging
    assert ranges == []
    QTest.mouseRelease(view, LEFT, NONE, end)
    assert len(ranges) == 1
    space_id, first, last = ranges[0]
    assert space_id == MARAIS.id
    assert (utc(first), utc(last)) == (utc(at(14)), utc(at(15, 30)))
    assert str(first.tzinfo) == "Europe/Paris" and first.hour == 14
    assert view.preview() is None


def test_dragging_upwards_gives_the_same_range(view):
    ranges = record(view.rangeSelected)
    drag(view, view.point_at(2, at(17, 15)), view.point_at(2, at(15, 45)))
    assert ranges == [(PORT.id, at(15, 45), at(17, 15))]


def test_a_range_stops_at_the_next_booking_of_the_room(view):
    ranges = record(view.rangeSelected)
    drag(view, view.point_at(0, at(12)), view.point_at(0, at(15)))  # the option at 14:00
    assert ranges == [(SEVRE.id, at(12), at(14))]


def test_an_expired_option_does_not_hold_the_room(view):
    ranges = record(view.rangeSelected)
    drag(view, view.point_at(2, at(8)), view.point_at(2, at(9, 15)))  # stops before nothing
    assert ranges == [(PORT.id, at(8), at(9, 15))]


def test_a_click_without_drag_on_free_space_only_clears_the_selection(view):
    view.select_booking(CONSEIL.id)
    ranges = record(view.rangeSelected)
    changes = record(view.selectionChanged)
    QTest.mouseClick(view, LEFT, NONE, view.point_at(1, at(16)))
    assert ranges == []
    assert changes == [(None,)]
    assert view.selected_booking() is None


def test_double_click_on_a_free_slot_selects_one_hour_from_it(view):
    ranges = record(view.rangeSelected)
    QTest.mouseDClick(view, LEFT, NONE, view.point_at(1, at(15, 7)))
    assert ranges == [(MARAIS.id, at(15), at(16))]


def test_double_click_late_is_clamped_to_the_end_shown_and_to_the_next_booking(view):
    ranges = record(view.rangeSelected)
    QTest.mouseDClick(view, LEFT, NONE, view.point_at(1, at(19, 35)))
    QTest.mouseDClick(view, LEFT, NONE, view.point_at(0, at(13, 30)))
    assert ranges == [(MARAIS.id, at(19, 30), at(20)), (SEVRE.id, at(13, 30), at(14))]


# --- blocks: select, move, resize, open ------------------------------------------------------


def test_pressing_a_block_selects_it_and_a_double_click_opens_it(view):
    changes = record(view.selectionChanged)
    opened = record(view.bookingActivated)
    QTest.mouseClick(view, LEFT, NONE, view.point_at(0, at(10)))
    assert changes == [(CONSEIL.id,)]
    assert view.selected_booking() == CONSEIL.id
    assert "Conseil d'administration" in view.accessibleDescription()
    QTest.mouseDClick(view, LEFT, NONE, view.point_at(1, at(11)))
    assert opened == [(RESEAU.id,)]
    assert view.selected_booking() == RESEAU.id


def test_dragging_a_block_to_another_room_and_a_later_time_moves_it(view):
    moved = record(view.bookingMoved)
    drag(view, view.point_at(0, at(10)), view.point_at(2, at(11, 30)), release=False)
    assert view.preview() == (PORT.id, at(10, 30), at(12, 30))
    QTest.mouseRelease(view, LEFT, NONE, view.point_at(2, at(11, 30)))
    assert len(moved) == 1
    booking_id, space_id, start, end = moved[0]
    assert (booking_id, space_id) == (CONSEIL.id, PORT.id)
    assert (start, end) == (at(10, 30), at(12, 30))
    assert start.hour == 10 and start.minute == 30  # in Paris time
    assert view.selected_booking() == CONSEIL.id


def test_moving_sideways_keeps_the_times(view):
    moved = record(view.bookingMoved)
    drag(view, view.point_at(1, at(11)), view.point_at(0, at(11)) + QPoint(0, 4))
    assert moved == [(RESEAU.id, SEVRE.id, at(10), at(12))]


def test_a_block_dropped_where_it_was_reports_nothing(view):
    moved = record(view.bookingMoved)
    start = view.point_at(0, at(10))
    drag(view, start, start + QPoint(0, 30), release=False)
    move_to(view, start + QPoint(2, 2))
    QTest.mouseRelease(view, LEFT, NONE, start + QPoint(2, 2))
    assert moved == []


def test_escape_abandons_a_drag(view):
    moved = record(view.bookingMoved)
    drag(view, view.point_at(0, at(10)), view.point_at(1, at(15)), release=False)
    assert view.preview() is not None
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert view.preview() is None
    QTest.mouseRelease(view, LEFT, NONE, view.point_at(1, at(15)))
    assert moved == []


def test_the_bottom_edge_resizes_a_block(view):
    moved = record(view.bookingMoved)
    edge = view.point_at(0, at(11)) - QPoint(0, 2)
    QTest.mouseMove(view, edge)  # hovering the edge
    assert view.cursor().shape() == Qt.CursorShape.SizeVerCursor
    QTest.mouseMove(view, view.point_at(0, at(10)))  # the body: not the edge
    assert view.cursor().shape() != Qt.CursorShape.SizeVerCursor
    drag(view, edge, view.point_at(0, at(12, 30)) - QPoint(0, 2))
    assert moved == [(CONSEIL.id, SEVRE.id, at(9), at(12, 30))]


def test_a_block_cannot_be_resized_below_a_quarter_of_an_hour(view):
    moved = record(view.bookingMoved)
    edge = view.point_at(0, at(11)) - QPoint(0, 2)
    drag(view, edge, view.point_at(0, at(7)))
    assert moved == [(CONSEIL.id, SEVRE.id, at(9), at(9, 15))]


def test_a_move_onto_another_booking_is_drawn_as_a_conflict_and_still_reported(view):
    moved = record(view.bookingMoved)
    drag(view, view.point_at(0, at(10)), view.point_at(1, at(11)), release=False)
    assert view.preview() == (MARAIS.id, at(10), at(12))
    assert view._span.conflict  # the service will refuse it, naming the booking in the way
    QTest.mouseRelease(view, LEFT, NONE, view.point_at(1, at(11)))
    assert moved == [(CONSEIL.id, MARAIS.id, at(10), at(12))]


def test_not_editable_no_creating_moving_or_resizing_but_selecting_and_opening(view):
    view.set_editable(False)
    ranges = record(view.rangeSelected)
    moved = record(view.bookingMoved)
    opened = record(view.bookingActivated)
    cancels = record(view.cancelRequested)
    drag(view, view.point_at(1, at(14)), view.point_at(1, at(16)))
    QTest.mouseDClick(view, LEFT, NONE, view.point_at(1, at(17)))
    drag(view, view.point_at(0, at(10)), view.point_at(2, at(15)))
    edge = view.point_at(0, at(11)) - QPoint(0, 2)
    QTest.mouseMove(view, edge)
    assert view.cursor().shape() != Qt.CursorShape.SizeVerCursor
    drag(view, edge, view.point_at(0, at(13)))
    assert ranges == [] and moved == []
    assert view.selected_booking() == CONSEIL.id
    QTest.mouseDClick(view, LEFT, NONE, view.point_at(0, at(10)))
    QTest.keyClick(view, Qt.Key.Key_Return)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert opened == [(CONSEIL.id,), (CONSEIL.id,)]
    assert cancels == []


# --- keyboard --------------------------------------------------------------------------------


def test_the_keyboard_walks_the_bookings_in_time_order_opens_and_asks_to_cancel(view):
    view.setFocus()
    opened = record(view.bookingActivated)
    cancels = record(view.cancelRequested)
    seen = []
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Tab):
        QTest.keyClick(view, key)
        seen.append(view.selected_booking())
    # 09:00 Conseil, 09:30 Entretien, 10:00 Réseau, 14:00 Atelier
    assert seen == [CONSEIL.id, ENTRETIEN.id, RESEAU.id, ATELIER.id]
    QTest.keyClick(view, Qt.Key.Key_Backtab)
    assert view.selected_booking() == RESEAU.id
    QTest.keyClick(view, Qt.Key.Key_Up)
    QTest.keyClick(view, Qt.Key.Key_Left)
    assert view.selected_booking() == CONSEIL.id
    QTest.keyClick(view, Qt.Key.Key_Up)  # the first stays selected
    assert view.selected_booking() == CONSEIL.id
    QTest.keyClick(view, Qt.Key.Key_End)
    assert view.selected_booking() == ATELIER.id
    QTest.keyClick(view, Qt.Key.Key_Return)
    QTest.keyClick(view, Qt.Key.Key_Enter)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert opened == [(ATELIER.id,), (ATELIER.id,)]
    assert cancels == [(ATELIER.id,)]


def test_tab_after_the_last_booking_leaves_the_calendar(qtbot):
    root = QWidget()
    qtbot.addWidget(root)
    calendar = CalendarView()
    after = QLineEdit()
    after.setAccessibleName("Recherche")
    layout = QVBoxLayout(root)
    layout.addWidget(calendar)
    layout.addWidget(after)
    calendar.set_now(NOW)
    calendar.set_day(DAY, ROOMS, (CONSEIL, RESEAU), {})
    root.resize(900, 800)
    root.show()
    root.activateWindow()
    qtbot.waitActive(root)
    calendar.setFocus()
    qtbot.waitUntil(calendar.hasFocus)
    QTest.keyClick(calendar, Qt.Key.Key_Tab)
    QTest.keyClick(calendar, Qt.Key.Key_Tab)
    assert calendar.selected_booking() == RESEAU.id and calendar.hasFocus()
    QTest.keyClick(calendar, Qt.Key.Key_Tab)
    assert after.hasFocus()


def test_select_booking_reports_changes_only_and_ignores_what_is_not_shown(view):
    changes = record(view.selectionChanged)
    view.select_booking(RESEAU.id)
    view.select_booking(RESEAU.id)
    view.select_booking(999)
    assert changes == [(RESEAU.id,), (None,)]


def test_a_reload_keeps_the_selection_while_the_booking_is_shown(view):
    view.select_booking(RESEAU.id)
    changes = record(view.selectionChanged)
    view.set_day(DAY, ROOMS, BOOKINGS, {})
    assert view.selected_booking() == RESEAU.id and changes == []
    view.set_day(DAY, ROOMS, (CONSEIL,), {})  # cancelled elsewhere
    assert view.selected_booking() is None and changes == [(None,)]


# --- drawing ---------------------------------------------------------------------------------


def _colours(image, rect) -> set[int]:
    """The distinct colours inside a rectangle of an image (its lower right part, where no
    text is written)."""
    r = rect.toRect()
    out = set()
    for x in range(r.right() - 24, r.right() - 4):
        for y in range(r.bottom() - 14, r.bottom() - 4):
            out.add(image.pixel(x, y))
    return out


def test_options_confirmed_and_expired_bookings_are_drawn_differently(view):
    kinds = {b.booking_id: b.kind for b in view.blocks()}
    assert kinds == {CONSEIL.id: BlockKind.CONFIRMED, ATELIER.id: BlockKind.OPTION,
                     RESEAU.id: BlockKind.CONFIRMED, ENTRETIEN.id: BlockKind.EXPIRED}
    lines = {b.booking_id: b.lines for b in view.blocks()}
    assert lines[ATELIER.id][0] == "Option · Atelier compta"
    assert lines[ENTRETIEN.id][0].startswith("Option expirée")
    assert lines[CONSEIL.id] == ("Conseil d'administration", "09:00–11:00 · 6 pers.",
                                 "Coopérative Alpha")
    fills = {b.booking_id: b.fill for b in view.blocks()}
    assert len({fills[CONSEIL.id], fills[ATELIER.id], fills[ENTRETIEN.id]}) == 3
    image = view.grab().toImage()
    assert not image.isNull()
    solid = _colours(image, view.block_rect(CONSEIL.id))
    hatched = _colours(image, view.block_rect(ATELIER.id))
    assert solid == {QColor(fills[CONSEIL.id]).rgb()}  # one flat fill
    assert len(hatched) >= 2  # lines over a lighter fill
    assert QColor(fills[ATELIER.id]).rgb() in hatched


def test_blocks_sit_at_their_times_in_their_room_column(view):
    rect = view.block_rect(RESEAU.id)
    top = view.point_at(1, at(10))
    bottom = view.point_at(1, at(12))
    assert rect.top() == pytest.approx(top.y(), abs=1)
    assert rect.bottom() == pytest.approx(bottom.y(), abs=1)
    assert rect.left() < top.x() < rect.right()


def test_the_tooltip_tells_everything_about_a_booking(view):
    text = view.tooltip_at(view.point_at(0, at(15)))
    for part in ("Atelier compta", "de 14:00 à 16:00", "Salle Sèvre", "Graines de Cœur",
                 "6 participants", "Option jusqu'au 29 novembre 2026", format_money(4000)):
        assert part in text
    assert "n'est plus retenue" in view.tooltip_at(view.point_at(2, at(10)))
    assert view.tooltip_at(view.point_at(1, at(17))) == ""
    header = view.tooltip_at(QPoint(view.point_at(0, at(10)).x(), 10))
    assert "Salle Sèvre · 12 pl." in header and "Écran" in header


def test_bookings_side_by_side_when_they_overlap(view):
    under = booking(105, PORT, at(10), at(11), "Nouvelle réunion")  # over the expired option
    view.set_day(DAY, ROOMS, (*BOOKINGS, under), {})
    a, b = view.block_rect(ENTRETIEN.id), view.block_rect(105)
    assert not a.intersects(b)
    assert side_by_side([(0, 60), (30, 90), (90, 120), (100, 110)]) == [
        (0, 2), (1, 2), (0, 2), (1, 2)]


def test_the_range_grows_to_a_booking_outside_the_opening_hours(view):
    late = booking(106, MARAIS, at(19, 30), at(21, 30), "Assemblée générale")
    early = booking(107, PORT, at(6, 15), at(7, 30), "Petit-déjeuner")
    view.set_day(DAY, ROOMS, (*BOOKINGS, late, early), {})
    assert view.visible_range() == (6 * 60, 22 * 60)
    assert view.block_rect(106) is not None


def test_the_current_time_line_only_on_today(view):
    assert view.now_line() == view.point_at(0, NOW).y()
    view.set_day(DAY + dt.timedelta(days=1), ROOMS, (), {})
    assert view.now_line() is None
    view.set_week(MONDAY, ROOMS, BOOKINGS, {})
    assert view.now_line() == view.point_at(3, NOW).y()
    image = view.grab().toImage()
    red = QColor(image.pixel(view.point_at(3, NOW, lane=1)))
    assert red.red() > 180 and red.green() < 90


def test_a_short_widget_scrolls_and_point_at_follows(view):
    view.resize(900, 300)
    before = view.point_at(1, at(17))
    view.scroll_to(dt.time(16))
    after = view.point_at(1, at(17))
    assert after.y() < before.y()
    assert view._header_h < after.y() < view.height()
    ranges = record(view.rangeSelected)
    drag(view, view.point_at(1, at(16, 30)), view.point_at(1, at(17, 30)))
    assert ranges == [(MARAIS.id, at(16, 30), at(17, 30))]
    view.scroll_to(dt.time(7))
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_End)  # 14:00, below the visible part: scrolled to
    rect = view.block_rect(ATELIER.id)
    assert rect.top() >= view._header_h and rect.top() < view.height()


# --- week views ------------------------------------------------------------------------------


def week_bookings() -> tuple[BookingRecord, ...]:
    tuesday = MONDAY + dt.timedelta(days=1)
    return (
        booking(201, SEVRE, at(9, day=MONDAY), at(11, day=MONDAY), "Bureau"),
        booking(202, MARAIS, at(14, day=tuesday), at(15, day=tuesday), "Comité"),
        CONSEIL, ATELIER, RESEAU,
    )


def test_week_view_of_one_room(view):
    closed = {dt.date(2026, 11, 27): "Journée de fermeture"}
    view.set_week(MONDAY, (SEVRE,), week_bookings(), closed)
    assert view.is_week() and view.days()[0] == MONDAY and len(view.days()) == 7
    assert view.accessibleDescription().startswith(
        "Semaine du 23 au 29 novembre 2026 — Salle Sèvre : 3 réservations")
    shown = {b.booking_id: b for b in view.blocks()}
    assert set(shown) == {201, CONSEIL.id, ATELIER.id}  # only this room
    assert shown[CONSEIL.id].day == DAY
    assert shown[CONSEIL.id].rect.contains(QPointF(view.point_at(3, at(10))))
    ranges = record(view.rangeSelected)
    tuesday = MONDAY + dt.timedelta(days=1)
    drag(view, view.point_at(1, at(10, day=tuesday)), view.point_at(1, at(12, day=tuesday)))
    assert ranges == [(SEVRE.id, at(10, day=tuesday), at(12, day=tuesday))]
    moved = record(view.bookingMoved)  # Thursday to Wednesday, an hour later
    drag(view, view.point_at(3, at(10)), view.point_at(2, at(11)))
    wednesday = DAY - dt.timedelta(days=1)
    assert moved == [(CONSEIL.id, SEVRE.id, at(10, day=wednesday), at(12, day=wednesday))]
    # closed days: shaded more strongly than the weekend, the reason in the header's tooltip
    image = view.grab().toImage()
    noon = view.point_at(4, at(12, 7)).y()  # between the lines
    friday = QColor(image.pixel(view.point_at(4, at(12)).x() - 30, noon))
    saturday = QColor(image.pixel(view.point_at(5, at(12)).x() - 30, noon))
    wednesday_px = QColor(image.pixel(view.point_at(2, at(12)).x() - 30, noon))
    assert friday == CLOSED_DAY and saturday == NOT_OPEN_DAY
    assert wednesday_px.lightness() > saturday.lightness() > friday.lightness()
    assert "Journée de fermeture" in view.tooltip_at(QPoint(view.point_at(4, at(12)).x(), 10))


def test_week_view_of_all_rooms_has_a_lane_per_room(view):
    view.set_week(MONDAY, ROOMS, week_bookings(), {})
    shown = {b.booking_id: b for b in view.blocks()}
    assert set(shown) == {201, 202, CONSEIL.id, ATELIER.id, RESEAU.id}
    assert "Salle Marais" in shown[RESEAU.id].lines  # the room's name in the block
    assert shown[CONSEIL.id].fill != shown[RESEAU.id].fill  # a colour per room
    assert shown[RESEAU.id].rect.contains(QPointF(view.point_at(3, at(11), lane=1)))
    assert not shown[RESEAU.id].rect.contains(QPointF(view.point_at(3, at(11), lane=0)))
    ranges = record(view.rangeSelected)
    drag(view, view.point_at(0, at(14, day=MONDAY), lane=2),
         view.point_at(0, at(15, day=MONDAY), lane=2))
    assert ranges == [(PORT.id, at(14, day=MONDAY), at(15, day=MONDAY))]
    moved = record(view.bookingMoved)  # Thursday to Friday: the same room, the next day
    friday = DAY + dt.timedelta(days=1)
    drag(view, view.point_at(3, at(11), lane=1), view.point_at(4, at(11), lane=0))
    assert moved == [(RESEAU.id, MARAIS.id, at(10, day=friday), at(12, day=friday))]
    assert short_names(ROOMS) == {SEVRE.id: "Sèvre", MARAIS.id: "Marais",
                                  PORT.id: "Atelier du Port"}


def test_a_daylight_saving_week_lays_out_by_wall_clock_time(view):
    saturday, sunday, monday = dt.date(2026, 3, 28), dt.date(2026, 3, 29), dt.date(2026, 3, 30)
    before = booking(301, SEVRE, at(14, day=saturday), at(15, day=saturday), "Samedi")
    change = booking(302, SEVRE, at(14, day=sunday), at(15, day=sunday), "Dimanche")
    after = booking(303, SEVRE, at(14, day=monday), at(15, day=monday), "Lundi")
    assert utc(before.start).hour == 13 and utc(after.start).hour == 12
    view.set_week(dt.date(2026, 3, 23), (SEVRE,), (before, change, after), {})
    sat_rect, sun_rect = view.block_rect(301), view.block_rect(302)
    assert view.block_rect(303) is None  # the next week
    view.set_week(monday, (SEVRE,), (before, change, after), {})
    mon_rect = view.block_rect(303)
    assert sat_rect.top() == mon_rect.top() == sun_rect.top()
    assert sat_rect.height() == mon_rect.height()
    # a drag on the day of the change gives Paris summer time
    view.set_week(dt.date(2026, 3, 23), (SEVRE,), (before, change), {})
    ranges = record(view.rangeSelected)
    drag(view, view.point_at(6, at(10, day=sunday)), view.point_at(6, at(11, day=sunday)))
    (space_id, start, end), = ranges
    assert space_id == SEVRE.id
    assert start.utcoffset() == end.utcoffset() == dt.timedelta(hours=2)
    assert utc(start) == dt.datetime(2026, 3, 29, 8, 0, tzinfo=dt.UTC)
    # Saturday's booking moved to Sunday stays at 14:00 on the wall clock
    moved = record(view.bookingMoved)
    drag(view, view.point_at(5, at(14, 30, day=saturday)),
         view.point_at(6, at(16, 30, day=sunday)))
    assert moved == [(301, SEVRE.id, at(16, day=sunday), at(17, day=sunday))]
    assert utc(moved[0][2]) == dt.datetime(2026, 3, 29, 14, 0, tzinfo=dt.UTC)


def test_day_view_on_a_closed_day_says_why(view):
    christmas = dt.date(2026, 12, 25)
    view.set_day(christmas, ROOMS, (), {christmas: "Noël"})
    assert "Maison fermée : Noël" in view.accessibleDescription()
    image = view.grab().toImage()
    assert QColor(image.pixel(view.point_at(1, at(12, 7, day=christmas)))) == CLOSED_DAY


def test_no_rooms_draws_an_empty_calendar(view):
    view.set_day(DAY, (), BOOKINGS, {})
    assert view.blocks() == ()
    assert not view.grab().isNull()
    view.set_week(MONDAY, (), (), {})
    assert not view.grab().isNull()


def test_the_wheel_scrolls_a_short_calendar_and_tooltips_show_on_hover(view):
    view.resize(900, 300)
    before = view.point_at(0, at(12)).y()
    wheel = QWheelEvent(QPointF(400, 200), QPointF(view.mapToGlobal(QPoint(400, 200))),
                        QPoint(0, 0), QPoint(0, -120), Qt.MouseButton.NoButton, NONE,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view, wheel)
    assert view.point_at(0, at(12)).y() < before
    view.scroll_to(dt.time(10))
    where = view.point_at(1, at(11))
    help_event = QHelpEvent(QEvent.Type.ToolTip, where, view.mapToGlobal(where))
    QApplication.sendEvent(view, help_event)
    assert "Réunion réseau ESS" in QToolTip.text()
    QToolTip.hideText()
