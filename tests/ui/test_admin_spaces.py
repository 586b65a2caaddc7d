"""The "Espaces" tab of the Administration screen: the registry of rooms, offices, open
spaces and desks, as the administrator uses it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
)

from maison_app.domain.enums import Role, SpaceKind
from maison_app.domain.spaces import Geometry, Rates, SpaceRecord
from maison_app.i18n import format_money
from maison_app.services.context import Actor
from maison_app.views.admin import spaces as spaces_view
from tests.ui.conftest import find, type_text

HEADERS = ["Nom", "Type", "Étage", "Capacité", "Situé dans", "Équipement", "État",
           "Journée adhérent", "Journée non-adhérent"]


def new_space(services, name, kind, **kw) -> int:
    return services.spaces.save_space(SpaceRecord(id=None, kind=kind, name=name, **kw))


@pytest.fixture
def plan(services):
    ids = {}
    ids["open"] = new_space(services, "Espace partagé", SpaceKind.OPEN_SPACE, capacity=8,
                            equipment="Imprimante, casiers", geometry=Geometry(0, 6, 14, 8))
    ids["a1"] = new_space(services, "Poste A1", SpaceKind.DESK, parent_id=ids["open"],
                          equipment="Bureau, écran", geometry=Geometry(1, 7, 2.4, 1.6))
    ids["room"] = new_space(services, "Salle Sèvre", SpaceKind.MEETING_ROOM, capacity=14,
                            equipment="Écran, visioconférence", geometry=Geometry(6, 0, 7, 5),
                            rates=Rates(hour_member=1800, hour_public=3000, half_day_member=5400,
                                        half_day_public=9000, day_member=9000,
                                        day_public=15000))
    ids["kitchen"] = new_space(services, "Cuisine", SpaceKind.OTHER, capacity=10)
    ids["b101"] = new_space(services, "Bureau 101", SpaceKind.OFFICE, floor=1, capacity=2,
                            geometry=Geometry(7, 0, 4, 5))
    ids["b102"] = new_space(services, "Bureau 102", SpaceKind.OFFICE, floor=1, capacity=2,
                            active=False)
    return ids


@pytest.fixture
def desk(services):
    """The services as an administrator who logged in."""
    return services.for_actor(Actor(login="admin", role=Role.ADMINISTRATION))


def open_tab(qtbot, services):
    from maison_app.ui.tasks import TaskRunner

    tasks = TaskRunner()
    widget = spaces_view.SpacesTab(services, tasks)
    qtbot.addWidget(widget)
    widget.resize(1200, 560)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: tasks.idle and widget.model.rowCount() > 0)
    return widget, tasks


@pytest.fixture
def tab(qtbot, desk, plan):
    widget, tasks = open_tab(qtbot, desk)
    yield widget
    tasks.wait()


def rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def row_of(tab, name: str) -> list[str]:
    return next(r for r in rows(find(tab, "Espaces", QTableView)) if r[0] == name)


def names(tab) -> list[str]:
    return [r[0] for r in rows(find(tab, "Espaces", QTableView))]


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def items(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def wait_refreshed(qtbot, tab) -> None:
    qtbot.waitUntil(lambda: tab.tasks.idle and tab._select_id is None)


def banner(tab) -> str:
    label = find(tab, "Message des espaces", QLabel)
    return label.text() if label.isVisible() else ""


def test_the_registry_lists_every_space(qtbot, tab):
    table = find(tab, "Espaces", QTableView)
    model = table.model()
    assert [model.headerData(c, Qt.Orientation.Horizontal)
            for c in range(model.columnCount())] == HEADERS
    # by floor, then by name
    assert names(tab) == ["Cuisine", "Espace partagé", "Poste A1", "Salle Sèvre",
                          "Bureau 101", "Bureau 102"]
    assert row_of(tab, "Salle Sèvre") == [
        "Salle Sèvre", "Salle de réunion", "Rez-de-chaussée", "14", "",
        "Écran, visioconférence", "En service", format_money(9000), format_money(15000)]
    assert row_of(tab, "Poste A1")[:5] == ["Poste A1", "Poste de travail", "Rez-de-chaussée",
                                           "1", "Espace partagé"]
    assert row_of(tab, "Poste A1")[7:] == ["", ""]  # not rented: no rate at all
    assert row_of(tab, "Bureau 102")[2] == "1er étage"
    assert row_of(tab, "Bureau 102")[6] == "Hors service"
    # out of service: greyed
    row = names(tab).index("Bureau 102")
    assert model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole).color() == QColor("#8a8a8a")
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    # the day rates, in full in the tooltip
    tip = model.index(names(tab).index("Salle Sèvre"), 7).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(f"Adhérent : {format_money(1800)} l'heure, {format_money(5400)} "
                          "la demi-journée")
    assert find(tab, "Nombre d'espaces", QLabel).text() == "6 espaces, dont 1 hors service"
    # nothing selected: only the creation
    assert find(tab, "Nouvel espace…", QPushButton).isEnabled()
    assert not find(tab, "Modifier…", QPushButton).isEnabled()
    assert not find(tab, "Mettre hors service", QPushButton).isEnabled()


def test_filter_by_floor_and_kind(qtbot, tab):
    floors = find(tab, "Filtrer par étage", QComboBox)
    kinds = find(tab, "Filtrer par type", QComboBox)
    assert items(floors) == ["Tous les étages", "Rez-de-chaussée", "1er étage"]
    assert items(kinds)[0] == "Tous les types" and "Poste de travail" in items(kinds)
    choose(floors, "1er étage")
    assert names(tab) == ["Bureau 101", "Bureau 102"]
    assert find(tab, "Nombre d'espaces", QLabel).text() == "2 espaces, dont 1 hors service"
    choose(kinds, "Poste de travail")
    assert names(tab) == []
    assert find(tab, "Nombre d'espaces", QLabel).text() == "0 espace"
    choose(floors, "Tous les étages")
    assert names(tab) == ["Poste A1"]
    assert find(tab, "Nombre d'espaces", QLabel).text() == "1 espace"
    # a refresh keeps the filters
    choose(floors, "Rez-de-chaussée")
    choose(kinds, "Tous les types")
    tab.refresh()
    qtbot.waitUntil(lambda: tab.tasks.idle)
    assert floors.currentText() == "Rez-de-chaussée"
    assert names(tab) == ["Cuisine", "Espace partagé", "Poste A1", "Salle Sèvre"]


def test_a_new_room_with_its_rates_typed_the_french_way(qtbot, tab, desk, no_modal,
                                                        monkeypatch):
    seen = {}

    def fill(dialog):
        dialog.show()
        choose(find(dialog, "Type d'espace", QComboBox), "Salle d'atelier")
        type_text(find(dialog, "Nom de l'espace", QLineEdit), "Atelier du Pilori")
        capacity = find(dialog, "Capacité", QSpinBox)
        capacity.setValue(24)
        type_text(find(dialog, "Équipement", QLineEdit), "Vidéoprojecteur, évier")
        assert find(dialog, "Tarifs de location", QGroupBox).isVisible()
        type_text(find(dialog, "Tarif à l'heure, adhérent", QLineEdit), "12,50")
        type_text(find(dialog, "Tarif à la journée, adhérent", QLineEdit), "1 200")
        public = find(dialog, "Tarif à la journée, non-adhérent", QLineEdit)
        type_text(public, "deux cents")
        click(qtbot, find(dialog, "Créer l'espace", QPushButton))
        seen["visible"] = dialog.isVisible()
        seen["error"] = dialog.errors.message("rate_day_public")
        seen["kept"] = public.text()
        public.clear()
        type_text(public, "-5")
        click(qtbot, find(dialog, "Créer l'espace", QPushButton))
        seen["negative"] = dialog.errors.message("rate_day_public")
        public.clear()
        type_text(public, "1 500,00 €")
        click(qtbot, find(dialog, "Créer l'espace", QPushButton))
        return dialog.result()

    monkeypatch.setattr(spaces_view.SpaceDialog, "exec", fill)
    click(qtbot, find(tab, "Nouvel espace…", QPushButton))
    assert seen == {"visible": True,
                    "error": "Montant illisible : écrivez par exemple 25 ou 12,50.",
                    "kept": "deux cents", "negative": "Le montant doit être positif."}
    wait_refreshed(qtbot, tab)
    assert banner(tab) == "Espace « Atelier du Pilori » créé (salle d'atelier, rez-de-chaussée)."
    assert tab.selected_space().name == "Atelier du Pilori"
    assert row_of(tab, "Atelier du Pilori")[7:] == [format_money(120000), format_money(150000)]
    saved = tab.selected_space()
    assert (saved.kind, saved.capacity, saved.floor, saved.equipment) == (
        SpaceKind.WORKSHOP_ROOM, 24, 0, "Vidéoprojecteur, évier")
    assert saved.rates == Rates(hour_member=1250, day_member=120000, day_public=150000)
    assert saved.geometry == Geometry()  # a default size; the plan places it
    assert no_modal == []


def test_errors_are_said_next_to_their_field_and_the_text_stays(qtbot, tab, desk, no_modal,
                                                                monkeypatch):
    seen = {}

    def fill(dialog):
        dialog.show()
        click(qtbot, find(dialog, "Créer l'espace", QPushButton))
        seen["empty"] = dialog.errors.message("name")
        type_text(find(dialog, "Nom de l'espace", QLineEdit), "Salle Sèvre")
        click(qtbot, find(dialog, "Créer l'espace", QPushButton))
        seen["taken"] = dialog.errors.message("name")
        seen["typed"] = find(dialog, "Nom de l'espace", QLineEdit).text()
        seen["visible"] = dialog.isVisible()
        click(qtbot, find(dialog, "Annuler", QPushButton))
        return dialog.result()

    monkeypatch.setattr(spaces_view.SpaceDialog, "exec", fill)
    click(qtbot, find(tab, "Nouvel espace…", QPushButton))
    assert seen == {"empty": "Le nom de l'espace est obligatoire.",
                    "taken": "Un espace porte déjà ce nom.", "typed": "Salle Sèvre",
                    "visible": True}
    assert banner(tab) == "" and no_modal == []
    assert len(desk.spaces.spaces()) == 6


def test_a_new_desk_sits_in_an_office_or_an_open_space_of_its_floor(qtbot, tab, desk, plan,
                                                                    monkeypatch):
    seen = {}

    def fill(dialog):
        dialog.show()
        parent = find(dialog, "Situé dans", QComboBox)
        capacity = find(dialog, "Capacité", QSpinBox)
        seen["parent shown for a room"] = parent.isVisible()
        choose(find(dialog, "Type d'espace", QComboBox), "Poste de travail")
        seen["parent shown for a desk"] = parent.isVisible()
        seen["capacity"] = (capacity.value(), capacity.isEnabled())
        seen["rates shown"] = find(dialog, "Tarifs de location", QGroupBox).isVisible()
        seen["ground floor"] = items(parent)
        choose(find(dialog, "Étage", QComboBox), "1er étage")
        seen["first floor"] = items(parent)
        choose(parent, "Bureau 101")
        type_text(find(dialog, "Nom de l'espace", QLineEdit), "Poste 101-1")
        click(qtbot, find(dialog, "Créer l'espace", QPushButton))
        return dialog.result()

    monkeypatch.setattr(spaces_view.SpaceDialog, "exec", fill)
    click(qtbot, find(tab, "Nouvel espace…", QPushButton))
    assert seen == {
        "parent shown for a room": False, "parent shown for a desk": True,
        "capacity": (1, False), "rates shown": False,
        "ground floor": ["— aucun (poste indépendant) —", "Espace partagé"],
        "first floor": ["— aucun (poste indépendant) —", "Bureau 101",
                        "Bureau 102 (hors service)"],
    }
    wait_refreshed(qtbot, tab)
    saved = tab.selected_space()
    assert (saved.name, saved.kind, saved.floor, saved.capacity, saved.parent_id) == (
        "Poste 101-1", SpaceKind.DESK, 1, 1, plan["b101"])
    # drawn in the corner of its office, at the size of a desk
    assert saved.geometry == Geometry(7.5, 0.5, 2.4, 1.6)
    assert row_of(tab, "Poste 101-1")[4] == "Bureau 101"


def test_modify_with_enter_keeps_the_place_on_the_plan(qtbot, tab, desk, plan, monkeypatch):
    seen = {}

    def fill(dialog):
        dialog.show()
        seen["name"] = find(dialog, "Nom de l'espace", QLineEdit).text()
        seen["hour"] = find(dialog, "Tarif à l'heure, adhérent", QLineEdit).text()
        seen["day"] = find(dialog, "Tarif à la journée, non-adhérent", QLineEdit).text()
        equipment = find(dialog, "Équipement", QLineEdit)
        equipment.clear()
        type_text(equipment, "Écran, paperboard")
        half_day = find(dialog, "Tarif à la demi-journée, adhérent", QLineEdit)
        half_day.clear()  # no longer offered
        click(qtbot, find(dialog, "Enregistrer", QPushButton))
        return dialog.result()

    monkeypatch.setattr(spaces_view.SpaceDialog, "exec", fill)
    tab.select_space(plan["room"])
    table = find(tab, "Espaces", QTableView)
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert seen == {"name": "Salle Sèvre", "hour": "18,00", "day": "150,00"}
    wait_refreshed(qtbot, tab)
    assert banner(tab) == "Espace « Salle Sèvre » enregistré."
    room = desk.spaces.space(space_id=plan["room"])
    assert room.equipment == "Écran, paperboard"
    assert room.rates == Rates(hour_member=1800, hour_public=3000, half_day_public=9000,
                               day_member=9000, day_public=15000)
    assert room.geometry == Geometry(6, 0, 7, 5)


def test_modify_by_double_click_an_office_without_rates(qtbot, tab, desk, plan, monkeypatch):
    seen = {}

    def fill(dialog):
        dialog.show()
        seen["rates shown"] = find(dialog, "Tarifs de location", QGroupBox).isVisible()
        seen["parent shown"] = find(dialog, "Situé dans", QComboBox).isVisible()
        capacity = find(dialog, "Capacité", QSpinBox)
        seen["capacity"] = capacity.value()
        capacity.setValue(3)
        notes = find(dialog, "Notes")
        notes.setFocus()
        type_text(notes, "Fenêtre sur cour")
        click(qtbot, find(dialog, "Enregistrer", QPushButton))
        return dialog.result()

    monkeypatch.setattr(spaces_view.SpaceDialog, "exec", fill)
    table = find(tab, "Espaces", QTableView)
    row = names(tab).index("Bureau 101")
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen == {"rates shown": False, "parent shown": False, "capacity": 2}
    wait_refreshed(qtbot, tab)
    office = desk.spaces.space(space_id=plan["b101"])
    assert (office.capacity, office.notes) == (3, "Fenêtre sur cour")
    assert office.geometry == Geometry(7, 0, 4, 5)
    assert row_of(tab, "Bureau 101")[3] == "3"


def test_out_of_service_after_a_confirmation_and_back(qtbot, tab, desk, services, plan,
                                                      no_modal):
    org = services.people.create_organisation(name="Ébène Traduction")
    services.spaces.assign(space_id=plan["a1"], organisation_id=org,
                           start=services.ctx.now().date().replace(day=1))
    tab.select_space(plan["a1"])
    button = find(tab, "Mettre hors service", QPushButton)
    assert button.isEnabled()

    no_modal.answers.append(False)  # « Annuler »: nothing changes
    click(qtbot, button)
    (question,) = no_modal.texts("confirm")
    assert question.startswith("Mettre « Poste A1 » hors service ?")
    assert "Attention : il est attribué à\n• Ébène Traduction (depuis le 1 novembre 2026)" \
        in question
    assert desk.spaces.space(space_id=plan["a1"]).active

    no_modal.answers.append(True)
    click(qtbot, button)
    wait_refreshed(qtbot, tab)
    assert not desk.spaces.space(space_id=plan["a1"]).active
    assert banner(tab) == "« Poste A1 » est hors service."
    assert row_of(tab, "Poste A1")[6] == "Hors service"
    back = find(tab, "Remettre en service", QPushButton)
    assert tab.selected_space().id == plan["a1"]

    no_modal.answers.append(True)
    click(qtbot, back)
    wait_refreshed(qtbot, tab)
    assert no_modal.texts("confirm")[-1].startswith("Remettre « Poste A1 » en service ?")
    assert desk.spaces.space(space_id=plan["a1"]).active
    assert banner(tab) == "« Poste A1 » est de nouveau en service."
    assert find(tab, "Mettre hors service", QPushButton).isEnabled()


def test_the_tab_is_for_those_who_may_change_the_registry(qtbot, services, desk, plan):
    from maison_app.domain.permissions import Area
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.admin import AdminScreen, admin_allowed

    tasks = TaskRunner()
    screen = AdminScreen(desk, tasks)
    qtbot.addWidget(screen)
    assert isinstance(screen.pages[Area.SPACES], spaces_view.SpacesTab)
    labels = [screen.tabs.tabText(i) for i in range(screen.tabs.count())]
    assert labels[:2] == ["Comptes", "Espaces"]
    qtbot.waitUntil(lambda: tasks.idle)
    tasks.wait()

    # reception and incubation read the spaces on the plan: no Administration for them
    for role in (Role.ACCUEIL, Role.INCUBATION):
        assert not admin_allowed(Actor(login=role.value, role=role))
    assert admin_allowed(Actor(login="admin", role=Role.ADMINISTRATION))

    # shown anyway to a reader, the tab changes nothing
    reader = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    widget, reader_tasks = open_tab(qtbot, reader)
    widget.select_space(plan["room"])
    assert not find(widget, "Nouvel espace…", QPushButton).isEnabled()
    assert not find(widget, "Modifier…", QPushButton).isEnabled()
    assert not find(widget, "Mettre hors service", QPushButton).isEnabled()
    QTest.keyClick(find(widget, "Espaces", QTableView), Qt.Key.Key_Return)  # no dialog
    reader_tasks.wait()


def test_the_active_box_and_the_record_of_the_dialog(qtbot, desk, plan):
    """The dialog gives back what the form says; a room turned into an office loses its
    rates (only rooms are rented)."""
    room = desk.spaces.space(space_id=plan["room"])
    dialog = spaces_view.SpaceDialog(desk, spaces=desk.spaces.spaces(), space=room)
    qtbot.addWidget(dialog)
    assert find(dialog, "En service", QCheckBox).isChecked()
    assert dialog.record() == replace(room, notes="")
    find(dialog, "En service", QCheckBox).setChecked(False)
    choose(find(dialog, "Type d'espace", QComboBox), "Bureau")
    record = dialog.record()
    assert (record.kind, record.active, record.rates) == (SpaceKind.OFFICE, False, Rates())
