"""The "Bureaux & postes" screen on a known house: the colours of the desks and offices on a
day and on another, the tooltips, the edit mode (move, resize, rename, add) for the
administration only, the allocation by drop, by Enter and by the menu (the assignment and
history dialogs are replaced), the keyboard, and the demo's plan rendered offscreen."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import pytest
from PySide6.QtCore import QDate, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QTabBar,
)

from maison_app.domain.enums import LegalForm, Occupancy, Role, SpaceKind
from maison_app.domain.errors import ValidationError
from maison_app.domain.members import OrganisationDetail
from maison_app.domain.spaces import Geometry, SpaceRecord
from maison_app.services.context import Actor
from maison_app.views.spaces.floor_view import LOOKS, NEUTRAL
from tests.ui.conftest import drag_and_drop, find, type_text

TODAY = dt.date(2026, 11, 26)  # the test clock's day
MIME = "application/x-maison-holder"


def org(services, name: str) -> int:
    return services.members.save_organisation(OrganisationDetail(
        name=name, legal_form=LegalForm.ASSOCIATION))


def add(services, kind, name, x, y, w, h, *, floor=0, capacity=1, parent_id=None) -> int:
    return services.spaces.save_space(SpaceRecord(
        id=None, kind=kind, name=name, floor=floor, capacity=capacity, parent_id=parent_id,
        geometry=Geometry(x, y, w, h)))


@pytest.fixture
def house(services):
    """A desk free, one occupied, one ending within 30 days, one reserved from January, an
    office full, a meeting room; an empty office upstairs."""
    ids = {name: org(services, name) for name in (
        "Brûlerie des Halles", "Graines de Cœur", "Habitat Partagé 79",
        "Ressourcerie du Marais", "Compost'Âge")}
    plateau = add(services, SpaceKind.OPEN_SPACE, "Plateau", 0, 0, 12, 6, capacity=4)
    for n, (x, y) in enumerate(((1, 1), (4.5, 1), (8, 1), (1, 3.8)), start=1):
        ids[f"Poste {n}"] = add(services, SpaceKind.DESK, f"Poste {n}", x, y, 2.4, 1.6,
                                parent_id=plateau)
    ids["Plateau"] = plateau
    ids["Bureau 1"] = add(services, SpaceKind.OFFICE, "Bureau 1", 12, 0, 4, 6, capacity=2)
    ids["Salle Niort"] = add(services, SpaceKind.MEETING_ROOM, "Salle Niort", 0, 6, 6, 4,
                             capacity=10)
    ids["Bureau 2"] = add(services, SpaceKind.OFFICE, "Bureau 2", 0, 0, 5, 4, floor=1,
                          capacity=3)
    a = services.spaces.assign
    ids["a-brulerie"] = a(space_id=ids["Poste 2"], organisation_id=ids["Brûlerie des Halles"],
                          start=dt.date(2026, 1, 5))
    a(space_id=ids["Poste 3"], organisation_id=ids["Graines de Cœur"],
      start=dt.date(2026, 3, 1), end=dt.date(2026, 12, 15))
    ids["a-habitat"] = a(space_id=ids["Poste 4"], organisation_id=ids["Habitat Partagé 79"],
                         start=dt.date(2027, 1, 4))
    a(space_id=ids["Bureau 1"], organisation_id=ids["Ressourcerie du Marais"], seats=2,
      start=dt.date(2025, 9, 1))
    return ids


def loaded(screen) -> bool:
    return screen.tasks.idle and screen.view.plan is not None


def open_screen(qtbot, services):
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.spaces import SpacesScreen

    widget = SpacesScreen(services, TaskRunner())
    qtbot.addWidget(widget)
    widget.resize(1250, 760)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: loaded(widget) and widget.figures.figures is not None)
    return widget


@pytest.fixture
def admin(services):
    return services.for_actor(Actor(login="admin", role=Role.ADMINISTRATION))


@pytest.fixture
def screen(qtbot, admin, house):
    widget = open_screen(qtbot, admin)
    yield widget
    widget.tasks.wait()


def reload_and_wait(qtbot, screen, action) -> None:
    with qtbot.waitSignal(screen.plan_loaded, timeout=5000):
        action()
    qtbot.waitUntil(lambda: screen.tasks.idle)


def colour(screen, name: str) -> QColor:
    return screen.view.item_for(name).fill_colour()


def centre(screen, name: str) -> QPoint:
    view = screen.view
    return view.mapFromScene(view.item_for(name).sceneBoundingRect().center())


# --- what the plan shows ---------------------------------------------------------------------


def test_the_plan_colours_each_desk_and_office_by_its_state(screen):
    assert find(screen, "Étage", QTabBar).tabText(0) == "Rez-de-chaussée"
    assert set(screen.view.items_by_name) == {"Plateau", "Poste 1", "Poste 2", "Poste 3",
                                              "Poste 4", "Bureau 1", "Salle Niort"}
    assert colour(screen, "Poste 1") == QColor(LOOKS[Occupancy.FREE].fill)
    assert colour(screen, "Poste 2") == QColor(LOOKS[Occupancy.OCCUPIED].fill)
    assert colour(screen, "Poste 3") == QColor(LOOKS[Occupancy.ENDING].fill)
    assert colour(screen, "Poste 4") == QColor(LOOKS[Occupancy.RESERVED].fill)
    assert colour(screen, "Bureau 1") == QColor(LOOKS[Occupancy.FULL].fill)
    assert colour(screen, "Salle Niort") == QColor(NEUTRAL.fill)
    summary = find(screen, "Résumé de l'étage", QLabel).text()
    assert summary.startswith("Rez-de-chaussée, le 26 novembre 2026")
    assert "2 postes libres sur 4" in summary  # Poste 1, and Poste 4 until January
    assert "0 place libre sur 2 dans les bureaux" in summary
    assert "1 se libère dans les 30 jours" in summary
    legend = find(screen, "Légende")
    texts = [w.text() for w in legend.findChildren(QLabel) if w.text()]
    assert texts[:5] == ["Libre", "Occupé", "Bureau complet", "Se libère sous 30 jours",
                         "Réservé (arrivée prévue)"]


def test_another_day_changes_the_colours(qtbot, screen):
    date = find(screen, "Date du plan", QDateEdit)
    assert date.date() == QDate(2026, 11, 26)
    reload_and_wait(qtbot, screen, lambda: date.setDate(QDate(2027, 1, 15)))
    assert colour(screen, "Poste 3") == QColor(LOOKS[Occupancy.FREE].fill)  # Graines left
    assert colour(screen, "Poste 4") == QColor(LOOKS[Occupancy.OCCUPIED].fill)  # Habitat came
    assert "15 janvier 2027" in find(screen, "Résumé de l'étage", QLabel).text()
    reload_and_wait(qtbot, screen, find(screen, "Aujourd'hui", QPushButton).click)
    assert colour(screen, "Poste 3") == QColor(LOOKS[Occupancy.ENDING].fill)
    reload_and_wait(qtbot, screen, find(screen, "Mois suivant", QPushButton).click)
    assert date.date() == QDate(2026, 12, 26)
    assert colour(screen, "Poste 3") == QColor(LOOKS[Occupancy.FREE].fill)
    assert colour(screen, "Poste 4") == QColor(LOOKS[Occupancy.RESERVED].fill)
    reload_and_wait(qtbot, screen, find(screen, "Mois précédent", QPushButton).click)
    assert date.date() == QDate(2026, 11, 26)


def test_the_tooltip_and_the_selected_line_name_the_holder(qtbot, screen):
    tip = screen.view.item_for("Poste 2").toolTip()
    assert "Brûlerie des Halles" in tip and "5 janvier 2026" in tip
    reserved = screen.view.item_for("Poste 4").toolTip()
    assert "Habitat Partagé 79" in reserved and "4 janvier 2027" in reserved
    office = screen.view.item_for("Bureau 1").toolTip()
    assert "Ressourcerie du Marais" in office and "2/2 places prises" in office
    screen.view.select(screen.view.item_for("Poste 3").space_id)
    line = find(screen, "Espace sélectionné", QLabel).text()
    assert "Graines de Cœur" in line and "15 décembre 2026" in line


def test_the_floor_tabs_show_the_other_floor(qtbot, screen):
    tabs = find(screen, "Étage", QTabBar)
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Rez-de-chaussée", "1er étage"]
    reload_and_wait(qtbot, screen, lambda: tabs.setCurrentIndex(1))
    assert set(screen.view.items_by_name) == {"Bureau 2"}
    assert colour(screen, "Bureau 2") == QColor(LOOKS[Occupancy.FREE].fill)
    assert find(screen, "Résumé de l'étage", QLabel).text().startswith("1er étage")


def test_the_figures_are_shown_beside_the_plan(screen):
    figures = screen.figures.figures
    assert figures.seats == 9  # four desks, an office of two, one of three
    assert figures.free_now == 5  # Poste 1, Poste 4 and the three seats of Bureau 2
    assert "5 aujourd'hui" in find(screen, "Places libres", QLabel).text()


# --- the edit mode ------------------------------------------------------------------------------


def drag(screen, start: QPoint, end: QPoint) -> None:
    vp = screen.view.viewport()
    QTest.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(vp, start + (end - start) / 2)
    QTest.mouseMove(vp, end)
    QTest.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def test_edit_mode_moves_a_space_and_saves_it(qtbot, screen, admin, house):
    edit = find(screen, "Modifier le plan", QPushButton)
    assert edit.isVisible() and not find(screen, "Ajouter un espace", QPushButton).isVisible()
    edit.click()
    assert screen.editing and find(screen, "Ajouter un espace", QPushButton).isVisible()
    per_metre = screen.view.pixels_per_metre()
    start = centre(screen, "Salle Niort")
    drag(screen, start, start + QPoint(round(3 * per_metre), round(0.5 * per_metre)))
    g = admin.spaces.space(space_id=house["Salle Niort"]).geometry
    assert g.x == pytest.approx(3.0, abs=0.11) and g.y == pytest.approx(6.5, abs=0.11)
    assert (g.width, g.height) == (6, 4)
    assert round(g.x, 1) == g.x and round(g.y, 1) == g.y  # snapped to 10 cm
    assert screen.view.item_for("Salle Niort").geometry() == g


def test_edit_mode_resizes_a_space_by_its_corner(qtbot, screen, admin, house):
    screen.edit_button.click()
    item = screen.view.item_for("Bureau 1")
    per_metre = screen.view.pixels_per_metre()
    corner = screen.view.mapFromScene(item.mapToScene(item.rect().bottomRight())) - QPoint(3, 3)
    drag(screen, corner, corner + QPoint(round(1.5 * per_metre), round(-2 * per_metre)))
    g = admin.spaces.space(space_id=house["Bureau 1"]).geometry
    assert (g.x, g.y) == (12, 0)
    assert g.width == pytest.approx(5.5, abs=0.11) and g.height == pytest.approx(4.0, abs=0.11)


def test_a_refused_move_goes_back_and_says_why(qtbot, screen, admin, house, no_modal,
                                               monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("Les dimensions se donnent en mètres.", field="geometry")

    monkeypatch.setattr(admin.spaces, "move_space", refuse)
    screen.edit_button.click()
    before = screen.view.item_for("Salle Niort").geometry()
    start = centre(screen, "Salle Niort")
    drag(screen, start, start + QPoint(60, 30))
    assert screen.view.item_for("Salle Niort").geometry() == before
    assert no_modal.texts("warn") == ["Les dimensions se donnent en mètres."]


def test_double_click_renames_in_edit_mode(qtbot, screen, admin, house):
    screen.edit_button.click()
    QTest.mouseDClick(screen.view.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, centre(screen, "Salle Niort"))
    dialog = screen.dialog
    assert dialog is not None and dialog.isVisible()
    field = find(dialog, "Nouveau nom", QLineEdit)
    assert field.text() == "Salle Niort"
    field.clear()
    type_text(field, "Salle Sèvre")
    reload_and_wait(qtbot, screen, find(dialog, "Renommer", QPushButton).click)
    assert admin.spaces.space(space_id=house["Salle Niort"]).name == "Salle Sèvre"
    assert "Salle Sèvre" in screen.view.items_by_name
    assert screen.view.selected_item().name == "Salle Sèvre"
    # the geometry and the rest of the record are kept
    assert admin.spaces.space(space_id=house["Salle Niort"]).geometry == Geometry(0, 6, 6, 4)


def test_a_name_already_taken_is_refused_under_the_field(qtbot, screen):
    screen.edit_button.click()
    screen.view.select(screen.view.item_for("Poste 1").space_id)
    screen.view.setFocus()
    QTest.keyClick(screen.view, Qt.Key.Key_Return)
    dialog = screen.dialog
    field = find(dialog, "Nouveau nom", QLineEdit)
    field.setText("Poste 2")
    find(dialog, "Renommer", QPushButton).click()
    assert dialog.isVisible()
    assert dialog.errors.message("name") == "Un espace porte déjà ce nom."
    assert field.text() == "Poste 2"
    dialog.reject()


def test_add_a_desk_at_a_free_spot_of_its_open_space(qtbot, screen, admin, house):
    screen.edit_button.click()
    find(screen, "Ajouter un espace", QPushButton).click()
    dialog = screen.dialog
    assert dialog.chosen_kind() is SpaceKind.DESK
    assert find(dialog, "Espace qui contient le poste").currentText() == "Plateau"
    type_text(find(dialog, "Nom de l'espace", QLineEdit), "Poste 5")
    reload_and_wait(qtbot, screen, find(dialog, "Ajouter", QPushButton).click)
    new = next(s for s in admin.spaces.spaces() if s.name == "Poste 5")
    assert new.kind is SpaceKind.DESK and new.floor == 0 and new.parent_id == house["Plateau"]
    g = new.geometry
    assert 0 <= g.x and g.x + g.width <= 12 and 0 <= g.y and g.y + g.height <= 6
    for other in ("Poste 1", "Poste 2", "Poste 3", "Poste 4"):
        o = admin.spaces.space(space_id=house[other]).geometry
        assert (g.x + g.width <= o.x or o.x + o.width <= g.x
                or g.y + g.height <= o.y or o.y + o.height <= g.y), other
    assert screen.view.selected_item().name == "Poste 5"
    assert colour(screen, "Poste 5") == QColor(LOOKS[Occupancy.FREE].fill)


def test_add_an_office_with_its_capacity(qtbot, screen, admin):
    screen.edit_button.click()
    screen.add_space()
    dialog = screen.dialog
    kind = find(dialog, "Type d'espace")
    kind.setCurrentIndex(kind.findData(SpaceKind.OFFICE))
    assert not find(dialog, "Espace qui contient le poste").isEnabled()
    type_text(find(dialog, "Nom de l'espace", QLineEdit), "Bureau 3")
    find(dialog, "Capacité").setValue(4)
    reload_and_wait(qtbot, screen, find(dialog, "Ajouter", QPushButton).click)
    new = next(s for s in admin.spaces.spaces() if s.name == "Bureau 3")
    assert (new.kind, new.capacity, new.parent_id) == (SpaceKind.OFFICE, 4, None)
    assert screen.view.item_for("Bureau 3").fill_colour() == QColor(LOOKS[Occupancy.FREE].fill)


def test_escape_leaves_the_edit_mode(qtbot, screen):
    screen.edit_button.click()
    assert screen.view.item_for("Poste 1").editable
    screen.view.setFocus()
    QTest.keyClick(screen.view, Qt.Key.Key_Escape)
    assert not screen.editing and not screen.edit_button.isChecked()
    assert not screen.view.item_for("Poste 1").editable
    assert not find(screen, "Aide du mode modification", QLabel).isVisible()


def test_the_receptionist_reads_the_plan_only(qtbot, services, house, monkeypatch):
    from maison_app.views.spaces import history_dialog

    desk = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    screen = open_screen(qtbot, desk)
    assert not screen.edit_button.isVisibleTo(screen)
    screen.set_editing(True)
    assert not screen.editing
    assert screen.view.drop_mime is None
    opened = []

    class History:
        def __init__(self, services, *, space_id, parent=None):
            opened.append(space_id)

        def exec(self):
            return QDialog.DialogCode.Rejected

        def deleteLater(self):
            pass

    monkeypatch.setattr(history_dialog, "HistoryDialog", History)
    screen.view.select(house["Poste 2"])
    screen.view.setFocus()
    QTest.keyClick(screen.view, Qt.Key.Key_Return)
    assert opened == [house["Poste 2"]]
    assert [label for label, _do in screen.actions_for(house["Poste 2"])] == ["Historique…"]
    # the colours are the same as for everyone
    assert colour(screen, "Poste 3") == QColor(LOOKS[Occupancy.ENDING].fill)
    screen.tasks.wait()


# --- allocation ---------------------------------------------------------------------------------


class FakeAssignmentDialog:
    """Records how the screen opens the dialog; `write` does what the user would save."""

    opened: ClassVar[list[dict]] = []
    write = None

    def __init__(self, services, tasks, **kwargs):
        self.services = services
        self.kwargs = kwargs
        self.done_message = "C'est fait."
        FakeAssignmentDialog.opened.append(kwargs)

    def exec(self):
        if FakeAssignmentDialog.write is None:
            return QDialog.DialogCode.Rejected
        FakeAssignmentDialog.write(self.services, **self.kwargs)
        return QDialog.DialogCode.Accepted

    def deleteLater(self):
        pass


@pytest.fixture
def fake_assignment(monkeypatch):
    from maison_app.views.spaces import assignment_dialog

    FakeAssignmentDialog.opened = []
    FakeAssignmentDialog.write = None
    monkeypatch.setattr(assignment_dialog, "AssignmentDialog", FakeAssignmentDialog)
    return FakeAssignmentDialog


def drop(screen, name: str, data: bytes) -> QDropEvent:
    mime = QMimeData()
    mime.setData(MIME, data)
    mime.setText("Compost'Âge")
    return drag_and_drop(screen.view.viewport(), QPointF(centre(screen, name)), mime)


def test_a_holder_dropped_on_a_free_desk_opens_the_dialog_for_it(qtbot, screen, house,
                                                                 fake_assignment):
    def write(services, *, space_id, organisation_id, start, parent):
        services.spaces.assign(space_id=space_id, organisation_id=organisation_id, start=start)

    fake_assignment.write = write
    compost = house["Compost'Âge"]
    with qtbot.waitSignal(screen.plan_loaded, timeout=5000):
        event = drop(screen, "Poste 1", f"organisation:{compost}".encode())
        assert event.isAccepted()
    assert fake_assignment.opened == [{"space_id": house["Poste 1"], "organisation_id": compost,
                                       "start": TODAY, "parent": screen}]
    qtbot.waitUntil(lambda: screen.tasks.idle)
    assert colour(screen, "Poste 1") == QColor(LOOKS[Occupancy.OCCUPIED].fill)
    assert "Compost'Âge" in screen.view.item_for("Poste 1").toolTip()
    assert find(screen, "Message", QLabel).text() == "C'est fait."


def test_the_drop_handler_uses_the_day_shown(qtbot, screen, house, fake_assignment):
    reload_and_wait(qtbot, screen, lambda: screen.set_day(dt.date(2027, 2, 1)))
    screen.drop_holder(house["Bureau 1"], f"organisation:{house['Compost' + chr(39) + 'Âge']}"
                       .encode())
    assert fake_assignment.opened[-1]["space_id"] == house["Bureau 1"]
    assert fake_assignment.opened[-1]["start"] == dt.date(2027, 2, 1)
    # nothing for a meeting room, nor for what is not an organisation
    screen.drop_holder(house["Salle Niort"], b"organisation:1")
    screen.drop_holder(house["Poste 1"], b"nimporte quoi")
    assert len(fake_assignment.opened) == 1


def test_enter_assigns_a_free_desk_and_manages_an_occupied_one(qtbot, screen, house,
                                                               fake_assignment):
    view = screen.view
    view.setFocus()
    view.select(house["Poste 1"])
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert fake_assignment.opened[-1] == {"space_id": house["Poste 1"], "organisation_id": None,
                                          "start": TODAY, "parent": screen}
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert view.selected_item().name == "Poste 2"
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert fake_assignment.opened[-1] == {"space_id": house["Poste 2"],
                                          "assignment_id": house["a-brulerie"],
                                          "parent": screen}
    # a double click does the same
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier, centre(screen, "Poste 1"))
    assert fake_assignment.opened[-1]["space_id"] == house["Poste 1"]
    assert len(fake_assignment.opened) == 3


def test_the_menu_of_a_reserved_desk(qtbot, screen, house, fake_assignment, monkeypatch):
    from maison_app.views.spaces import history_dialog
    from maison_app.views.spaces import screen as screen_module

    labels = [label for label, _do in screen.actions_for(house["Poste 4"])]
    assert labels == ["Attribuer…", "Gérer l'attribution…", "Historique…"]
    shown = []
    monkeypatch.setattr(screen_module, "popup_menu",
                        lambda menu, where: shown.append([a.text() for a in menu.actions()]))
    screen.view.select(house["Poste 4"])
    screen.view.setFocus()
    QTest.keyClick(screen.view, Qt.Key.Key_Return)  # two things to do: the menu
    assert shown == [labels]
    dict(screen.actions_for(house["Poste 4"]))["Gérer l'attribution…"]()
    assert fake_assignment.opened[-1]["assignment_id"] == house["a-habitat"]
    histories = []
    monkeypatch.setattr(history_dialog, "HistoryDialog",
                        lambda services, *, space_id, parent=None: histories.append(space_id)
                        or FakeAssignmentDialog(services, None))
    dict(screen.actions_for(house["Poste 4"]))["Historique…"]()
    assert histories == [house["Poste 4"]]
    # a meeting room has nothing to allocate
    assert screen.actions_for(house["Salle Niort"]) == []


def test_enter_on_an_organisation_installs_it_on_the_selected_desk(qtbot, screen, house,
                                                                    fake_assignment):
    screen.view.select(house["Poste 1"])
    screen.holders.holder_activated.emit(house["Graines de Cœur"], "Graines de Cœur")
    assert fake_assignment.opened[-1]["space_id"] == house["Poste 1"]
    assert fake_assignment.opened[-1]["organisation_id"] == house["Graines de Cœur"]
    screen.view.select(house["Salle Niort"])
    screen.holders.holder_activated.emit(house["Graines de Cœur"], "Graines de Cœur")
    assert len(fake_assignment.opened) == 1
    assert "Choisissez d'abord" in find(screen, "Message", QLabel).text()


def test_tab_goes_through_the_floor_the_date_the_plan_and_the_list(qtbot, screen):
    tabs = find(screen, "Étage", QTabBar)
    tabs.setFocus()
    order = [tabs]
    for _i in range(12):  # the date takes three: day, month, year
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    names = [w.accessibleName() for w in order]
    date = find(screen, "Date du plan", QDateEdit)
    assert any(w is date or w.parent() is date for w in order)
    assert "Plan de l'étage" in names
    assert "Rechercher une structure" in names
    assert names.index("Plan de l'étage") < names.index("Rechercher une structure")
    assert any(isinstance(w, QListView) and w.accessibleName() == "Structures" for w in order)


# --- the demo ------------------------------------------------------------------------------------


def test_the_demo_plan_on_both_floors_and_in_edit_mode(qtbot, services, tmp_path):
    from maison_app.services import demo

    demo.fill(services.ctx, people=30, visit_days=2, seed=5)
    screen = open_screen(qtbot, services.for_actor(Actor(login="admin",
                                                         role=Role.ADMINISTRATION)))
    by_floor = {0: set(), 1: set()}
    for name, _kind, floor, *_rest in demo.DEMO_PLAN:
        by_floor[floor].add(name)
    assert by_floor[0] <= set(screen.view.items_by_name)
    assert {"Poste A1", "Poste B4"} <= set(screen.view.items_by_name)
    screen.grab().save(str(tmp_path / "rez-de-chaussee.png"))
    reload_and_wait(qtbot, screen, lambda: screen.show_floor(1))
    assert set(screen.view.items_by_name) == by_floor[1]
    states = {item.state.occupancy for item in screen.view.items_by_name.values()}
    assert {Occupancy.FULL, Occupancy.RESERVED, Occupancy.FREE} <= states
    screen.grab().save(str(tmp_path / "etage.png"))
    screen.edit_button.click()
    screen.grab().save(str(tmp_path / "modification.png"))
    for png in ("rez-de-chaussee.png", "etage.png", "modification.png"):
        assert (tmp_path / png).stat().st_size > 10_000
    screen.tasks.wait()
