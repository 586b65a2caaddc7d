"""Today's room bookings on the reception screen: when, which room, what, who, how many; an
option marked; a booking cancelled or made elsewhere shows at the next refresh."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QTableView

from maison_app.domain.bookings import Booker, BookingDraft
from maison_app.domain.enums import Role
from maison_app.services.context import Actor
from maison_app.ui.tasks import TaskRunner
from maison_app.views.reception import ReceptionScreen
from tests.ui.conftest import find
from tests.ui.test_bookings_screen import TODAY, at, build_house


@pytest.fixture
def desk(services):
    """The reception's account."""
    return services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))


@pytest.fixture
def screen(qtbot, services, desk):
    house = build_house(services)
    tasks = TaskRunner()
    widget = ReceptionScreen(desk, tasks)
    widget.house = house
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: tasks.idle and widget.bookings_model.rowCount() > 0)
    yield widget
    tasks.wait()


def rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def test_todays_bookings_are_listed_by_time(qtbot, screen):
    view = find(screen, "Réservations du jour", QTableView)
    assert [view.model().headerData(c, Qt.Orientation.Horizontal)
            for c in range(view.model().columnCount())] == [
        "Heure", "Salle", "Objet", "Réservé par", "Pers."]
    assert rows(view) == [
        ["09:30–12:30", "Atelier du Pilori", "Atelier Circuits courts",
         "Association Circuits Courts 79", "18"],
        ["10:00–12:00", "Salle Marais", "Option · Permanence juridique", "Maître Durand", "3"],
        ["14:00–16:00", "Salle Sèvre", "Conseil d'administration SCIC", "SCIC Maison de l'ESS",
         "10"],
    ]
    assert find(screen, "Réservations de salles du jour", QLabel).text() == (
        "3 réservations de salles aujourd'hui")
    # the option in italics, its date in the tooltip; the Tuesday's meeting is not listed
    option = view.model().index(1, 2)
    assert isinstance(option.data(Qt.ItemDataRole.FontRole), QFont)
    assert option.data(Qt.ItemDataRole.FontRole).italic()
    assert "Option jusqu'au 30 novembre 2026" in option.data(Qt.ItemDataRole.ToolTipRole)
    assert view.model().index(0, 2).data(Qt.ItemDataRole.FontRole) is None
    # 09:00: the workshop has not started, nothing under way yet
    assert all(view.model().index(r, 0).data(Qt.ItemDataRole.BackgroundRole) is None
               for r in range(3))


def test_the_list_follows_the_bookings_at_each_refresh(qtbot, screen, services, clock):
    house = screen.house
    services.bookings.cancel(booking_id=house["CA"])
    services.bookings.create(BookingDraft(
        space_id=house["Sèvre"], start=at(TODAY, 17), end=at(TODAY, 18, 30),
        title="Permanence Habitat partagé", booker=Booker(person_id=house["Hélène"]),
        attendees=4))
    clock.advance(hours=2)  # 11:00: the workshop and the permanence are under way
    with qtbot.waitSignal(screen.bookings_loaded, timeout=5000):
        screen.refresh()
    view = find(screen, "Réservations du jour", QTableView)
    assert [r[2] for r in rows(view)] == [
        "Atelier Circuits courts", "Option · Permanence juridique", "Permanence Habitat partagé"]
    model = view.model()
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(2, 0).data(Qt.ItemDataRole.BackgroundRole) is None


def test_a_day_without_bookings_says_so(qtbot, screen, clock):
    clock.advance(days=1)
    with qtbot.waitSignal(screen.bookings_loaded, timeout=5000):
        screen.refresh()
    assert rows(find(screen, "Réservations du jour", QTableView)) == []
    assert find(screen, "Réservations de salles du jour", QLabel).text() == (
        "Aucune réservation de salle aujourd'hui")


def test_the_day_after(qtbot, screen, services, clock):
    """Tomorrow's bookings appear once the day has changed."""
    house = screen.house
    tomorrow = TODAY + dt.timedelta(days=1)
    services.bookings.create(BookingDraft(
        space_id=house["Marais"], start=at(tomorrow, 9), end=at(tomorrow, 10),
        title="Petit-déjeuner des adhérents", booker=Booker(organisation_id=house["SCIC"]),
        attendees=6))
    clock.advance(days=1)
    with qtbot.waitSignal(screen.bookings_loaded, timeout=5000):
        screen.refresh()
    assert [r[2] for r in rows(find(screen, "Réservations du jour", QTableView))] == [
        "Petit-déjeuner des adhérents"]
