"""The floor plan widget on its own: a plan built by hand (no database), drawn to scale and
coloured by state, its tooltips, zoom, keyboard selection, the edit mode's drag and resize
with snapping, and a holder dropped on a desk."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QDropEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from maison_app.domain.enums import Occupancy, SpaceKind
from maison_app.domain.spaces import (
    AssignmentRecord,
    FloorPlan,
    Geometry,
    SpaceRecord,
    SpaceState,
)
from maison_app.views.spaces.floor_view import (
    COMMON,
    LOOKS,
    NEUTRAL,
    FloorView,
    free_spot,
    legend_entries,
    space_lines,
)
from tests.ui.conftest import drag_and_drop

DAY = dt.date(2026, 11, 26)
MIME = "application/x-maison-holder"


def space(id_, kind, name, x, y, w, h, capacity=1, parent_id=None) -> SpaceRecord:
    return SpaceRecord(id=id_, kind=kind, name=name, floor=0, capacity=capacity,
                       parent_id=parent_id, geometry=Geometry(x, y, w, h),
                       equipment="Écran" if kind is SpaceKind.MEETING_ROOM else "")


def held(id_, space_id, holder, start, end=None, seats=1) -> AssignmentRecord:
    return AssignmentRecord(id=id_, space_id=space_id, space_name="", holder=holder,
                            organisation_id=id_, person_id=None, seats=seats, start=start,
                            end=end, agreement_id=None, notes=None)


@pytest.fixture
def plan() -> FloorPlan:
    room = space(1, SpaceKind.MEETING_ROOM, "Salle Sèvre", 0, 0, 6, 5, capacity=12)
    open_space = space(2, SpaceKind.OPEN_SPACE, "Plateau", 6, 0, 12, 5, capacity=4)
    free = space(3, SpaceKind.DESK, "Poste 1", 7, 1, 2.4, 1.6, parent_id=2)
    busy = space(4, SpaceKind.DESK, "Poste 2", 10, 1, 2.4, 1.6, parent_id=2)
    ending = space(5, SpaceKind.DESK, "Poste 3", 13, 1, 2.4, 1.6, parent_id=2)
    reserved = space(6, SpaceKind.DESK, "Poste 4", 7, 3, 2.4, 1.6, parent_id=2)
    office = space(7, SpaceKind.OFFICE, "Bureau 1", 0, 6, 5, 4, capacity=4)
    kitchen = space(8, SpaceKind.OTHER, "Cuisine", 6, 6, 3, 4, capacity=6)
    states = (
        SpaceState(room, None, (), None),
        SpaceState(open_space, None, (), None),
        SpaceState(free, Occupancy.FREE, (), None),
        SpaceState(busy, Occupancy.OCCUPIED,
                   (held(1, 4, "Brûlerie des Halles", dt.date(2026, 1, 1)),), None, 1),
        SpaceState(ending, Occupancy.ENDING,
                   (held(2, 5, "Graines de Cœur", dt.date(2026, 2, 1), dt.date(2026, 12, 10)),),
                   None, 1),
        SpaceState(reserved, Occupancy.RESERVED, (),
                   held(3, 6, "Habitat Partagé 79", dt.date(2027, 1, 1)), 0),
        SpaceState(office, Occupancy.FULL,
                   (held(4, 7, "Ressourcerie", dt.date(2025, 6, 1), seats=2),
                    held(5, 7, "Numérique & Partage", dt.date(2026, 3, 1), seats=2)), None, 4),
        SpaceState(kitchen, None, (), None),
    )
    return FloorPlan(floor=0, day=DAY, width=18, height=10, spaces=states)


@pytest.fixture
def view(qtbot, plan) -> FloorView:
    v = FloorView()
    qtbot.addWidget(v)
    v.resize(900, 560)
    v.show()
    qtbot.waitExposed(v)
    v.set_plan(plan)
    return v


def centre(view: FloorView, name: str) -> QPoint:
    return view.mapFromScene(view.item_for(name).sceneBoundingRect().center())


def test_each_space_is_drawn_and_coloured_by_its_state(view):
    assert set(view.items_by_name) == {"Salle Sèvre", "Plateau", "Poste 1", "Poste 2",
                                       "Poste 3", "Poste 4", "Bureau 1", "Cuisine"}
    colour = {name: item.fill_colour() for name, item in view.items_by_name.items()}
    assert colour["Poste 1"] == QColor(LOOKS[Occupancy.FREE].fill)
    assert colour["Poste 2"] == QColor(LOOKS[Occupancy.OCCUPIED].fill)
    assert colour["Poste 3"] == QColor(LOOKS[Occupancy.ENDING].fill)
    assert colour["Poste 4"] == QColor(LOOKS[Occupancy.RESERVED].fill)
    assert colour["Bureau 1"] == QColor(LOOKS[Occupancy.FULL].fill)
    assert colour["Salle Sèvre"] == QColor(NEUTRAL.fill)
    assert colour["Cuisine"] == colour["Plateau"] == QColor(COMMON.fill)
    # five different colours for the five states, none of them the rooms' grey
    fills = {look.fill for look in LOOKS.values()}
    assert len(fills) == 5 and NEUTRAL.fill not in fills and COMMON.fill not in fills
    # the legend shows each of them
    assert {look.fill for _label, look, _meaning in legend_entries()} >= fills | {NEUTRAL.fill}


def test_desks_are_drawn_over_their_open_space(view):
    desk, open_space = view.item_for("Poste 2"), view.item_for("Plateau")
    assert desk.zValue() > open_space.zValue()
    assert view.item_at(centre(view, "Poste 2")) is desk
    assert view.item_at(view.mapFromScene(open_space.sceneBoundingRect().bottomRight()
                                          - QPointF(10, 10))) is open_space


def test_the_floor_is_drawn_to_scale_and_fits_the_view(view):
    t = view.transform()
    assert t.m11() == pytest.approx(t.m22())  # proportions kept
    office = view.item_for("Bureau 1").sceneBoundingRect()
    room = view.item_for("Salle Sèvre").sceneBoundingRect()
    assert room.width() / office.width() == pytest.approx((6 + 0.12) / (5 + 0.12), rel=0.01)
    floor = view.mapFromScene(view.sceneRect()).boundingRect()
    assert floor.width() <= view.viewport().width() + 2
    assert floor.height() <= view.viewport().height() + 2
    assert max(floor.width() / view.viewport().width(),
               floor.height() / view.viewport().height()) > 0.95


def test_labels_and_tooltips_say_who_holds_what(view):
    assert [t for t, _b in space_lines(view.item_for("Bureau 1").state, DAY)][:2] == [
        "Bureau 1", "4/4 places"]
    tip = view.item_for("Poste 2").toolTip()
    assert "Brûlerie des Halles" in tip and "1 janvier 2026" in tip
    ending = view.item_for("Poste 3").toolTip()
    assert "Graines de Cœur" in ending and "10 décembre 2026" in ending
    assert "Se libère dans les 30 jours" in ending
    reserved = view.item_for("Poste 4").toolTip()
    assert "Habitat Partagé 79" in reserved and "1 janvier 2027" in reserved
    office = view.item_for("Bureau 1").toolTip()
    assert "Ressourcerie" in office and "Numérique &amp; Partage" in office
    assert "4/4 places prises" in office
    assert "Écran" in view.item_for("Salle Sèvre").toolTip()


def test_zoom_with_keys_buttons_and_ctrl_wheel(view):
    fitted = view.pixels_per_metre()
    view.zoom_in()
    assert view.pixels_per_metre() == pytest.approx(fitted * 1.25)
    view.set_zoom(1.0)
    assert view.pixels_per_metre() == pytest.approx(fitted)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Minus)
    assert view.pixels_per_metre() < fitted
    QTest.keyClick(view, Qt.Key.Key_0)
    assert view.pixels_per_metre() == pytest.approx(fitted)
    pos = QPointF(centre(view, "Poste 2"))
    wheel = QWheelEvent(pos, QPointF(view.viewport().mapToGlobal(pos.toPoint())), QPoint(0, 0),
                        QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.pixels_per_metre() == pytest.approx(fitted * 1.25)


def test_arrows_move_the_selection_and_enter_activates(qtbot, view):
    view.setFocus()
    view.select(view.item_for("Poste 1").space_id)
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert view.selected_item().name == "Poste 2"
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert view.selected_item().name == "Poste 3"
    QTest.keyClick(view, Qt.Key.Key_Left)
    QTest.keyClick(view, Qt.Key.Key_Left)
    QTest.keyClick(view, Qt.Key.Key_Down)
    assert view.selected_item().name == "Poste 4"
    with qtbot.waitSignal(view.activated) as got:
        QTest.keyClick(view, Qt.Key.Key_Return)
    assert got.args == [view.item_for("Poste 4").space_id]
    assert "Habitat Partagé 79" in view.accessibleDescription()


def test_outside_the_edit_mode_nothing_moves(qtbot, view):
    item = view.item_for("Bureau 1")
    before = item.geometry()
    start = centre(view, "Bureau 1")
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     start)
    QTest.mouseMove(view.viewport(), start + QPoint(80, 40))
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier, start + QPoint(80, 40))
    assert item.geometry() == before
    assert item.isSelected()


def drag(view: FloorView, start: QPoint, end: QPoint) -> None:
    vp = view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    middle = start + (end - start) / 2
    QTest.mouseMove(vp, middle)
    QTest.mouseMove(vp, end)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def test_edit_mode_drags_a_space_by_steps_of_ten_centimetres(qtbot, view):
    view.set_editing(True)
    edits = []
    view.geometry_edited.connect(lambda *args: edits.append(args))
    per_metre = view.pixels_per_metre()
    start = centre(view, "Bureau 1")
    drag(view, start, start + QPoint(round(2.03 * per_metre), round(1.52 * per_metre)))
    assert len(edits) == 1
    space_id, new, old = edits[0]
    assert space_id == view.item_for("Bureau 1").space_id
    assert old == Geometry(0, 6, 5, 4)
    assert new.width == 5 and new.height == 4
    assert new.x == pytest.approx(2.0, abs=0.11) and new.y == pytest.approx(7.5, abs=0.11)
    assert round(new.x * 10) == pytest.approx(new.x * 10) and round(new.y * 10) == pytest.approx(
        new.y * 10)  # on the 10 cm grid


def test_edit_mode_resizes_from_the_bottom_right_corner(qtbot, view):
    view.set_editing(True)
    edits = []
    view.geometry_edited.connect(lambda *args: edits.append(args))
    item = view.item_for("Salle Sèvre")
    per_metre = view.pixels_per_metre()
    corner = view.mapFromScene(item.mapToScene(item.rect().bottomRight())) - QPoint(3, 3)
    drag(view, corner, corner + QPoint(round(1.0 * per_metre), round(-1.0 * per_metre)))
    assert len(edits) == 1
    _id, new, old = edits[0]
    assert (new.x, new.y) == (old.x, old.y) == (0, 0)
    assert new.width == pytest.approx(7.0, abs=0.11)
    assert new.height == pytest.approx(4.0, abs=0.11)


def test_a_refused_move_goes_back(view):
    view.set_editing(True)
    item = view.item_for("Cuisine")
    item.setSelected(True)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert item.geometry().x == pytest.approx(6.1)
    view.restore(item.space_id, Geometry(6, 6, 3, 4))
    assert item.geometry() == Geometry(6, 6, 3, 4)


def send_drag(view: FloorView, pos: QPoint, data: bytes) -> QDropEvent:
    mime = QMimeData()
    mime.setData(MIME, data)
    return drag_and_drop(view.viewport(), pos, mime)


def test_a_holder_dropped_on_a_desk_is_reported(view):
    view.drop_mime = MIME
    dropped = []
    view.holder_dropped.connect(lambda space_id, data: dropped.append((space_id, data)))
    event = send_drag(view, centre(view, "Poste 1"), b"organisation:12")
    assert event.isAccepted()
    assert dropped == [(view.item_for("Poste 1").space_id, b"organisation:12")]
    # not on a meeting room, nor in the edit mode, nor when the role may not assign
    send_drag(view, centre(view, "Salle Sèvre"), b"organisation:12")
    view.set_editing(True)
    send_drag(view, centre(view, "Poste 1"), b"organisation:12")
    view.set_editing(False)
    view.drop_mime = None
    send_drag(view, centre(view, "Poste 1"), b"organisation:12")
    assert len(dropped) == 1


def test_free_spot_inside_an_open_space_then_on_the_floor_then_beside_it():
    open_space = Geometry(0, 0, 6, 4)
    desks = [Geometry(0.3, 0.3, 2.4, 1.6)]
    spot = free_spot(2.4, 1.6, desks, floor=(10, 8), within=open_space)
    assert spot.x >= 0.3 and spot.x + 2.4 <= 5.7 + 1e-9 and spot.y + 1.6 <= 3.7 + 1e-9
    assert spot.x >= 2.7 or spot.y >= 1.9  # not on the first desk
    everything = [Geometry(0, 0, 10, 4), Geometry(0, 4, 6, 4)]
    on_floor = free_spot(3, 3, everything, floor=(10, 8))
    assert on_floor.x >= 6 and on_floor.y >= 4
    full = [Geometry(0, 0, 10, 8)]
    beside = free_spot(3, 3, full, floor=(10, 8))
    assert beside.x >= 10


def test_page_keys_reach_every_space_in_reading_order(view):
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Home)
    seen = [view.selected_item().name]
    for _i in range(len(view.items_by_name) - 1):
        QTest.keyClick(view, Qt.Key.Key_PageDown)
        seen.append(view.selected_item().name)
    assert seen[:2] == ["Salle Sèvre", "Plateau"]  # from the top, then from the left
    assert set(seen) == set(view.items_by_name)
    QTest.keyClick(view, Qt.Key.Key_PageDown)
    assert view.selected_item().name == seen[0]
