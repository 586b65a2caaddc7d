"""Today's workshops on the reception screen: when, which workshop, which room, how many
registered; a registered participant checked in during a half-day of their workshop is
marked present for it, and the message says so."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableView

from maison_app.domain.enums import HalfDayPart, Role
from maison_app.services.context import Actor
from maison_app.ui.tasks import TaskRunner
from maison_app.views.reception import ReceptionScreen
from tests.ui.conftest import find, press
from tests.ui.test_attendance_dialog import TITLE, build_workshop
from tests.ui.test_reception import search_and_wait


@pytest.fixture
def desk(services):
    """The reception's account."""
    return services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))


@pytest.fixture
def house(services):
    return build_workshop(services)


@pytest.fixture
def screen(qtbot, desk, house):
    tasks = TaskRunner()
    widget = ReceptionScreen(desk, tasks)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: tasks.idle and widget.workshops_model.rowCount() > 0)
    yield widget
    tasks.wait()


def rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def check_in(qtbot, screen, name: str) -> str:
    search_and_wait(qtbot, screen, name)
    press(find(screen, "Rechercher une personne", QLineEdit), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.tasks.idle)
    return find(screen, "Message", QLabel).text()


def test_todays_workshops_are_listed(qtbot, screen, services):
    view = find(screen, "Ateliers du jour", QTableView)
    assert [view.model().headerData(c, Qt.Orientation.Horizontal)
            for c in range(view.model().columnCount())] == [
        "Heure", "Atelier", "Salle", "Inscrits"]
    assert rows(view) == [["09:00–12:30, 13:30–17:00", TITLE, "Salle Sèvre", "3 / 12"]]
    assert find(screen, "Ateliers du jour : titre", QLabel).text() == "1 atelier aujourd'hui"
    tooltip = view.model().index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "Formation" in tooltip and "3 inscrit·es pour 12 places" in tooltip
    # 09:00: the morning is under way, on a blue ground
    assert view.model().index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    # the session's room bookings are among today's bookings too
    bookings = rows(find(screen, "Réservations du jour", QTableView))
    assert [b[2] for b in bookings] == [f"Atelier : {TITLE}"] * 2


def test_a_day_without_workshops_says_so(qtbot, screen, clock):
    clock.advance(days=1)
    with qtbot.waitSignal(screen.workshops_loaded, timeout=5000):
        screen.refresh()
    assert rows(find(screen, "Ateliers du jour", QTableView)) == []
    assert find(screen, "Ateliers du jour : titre", QLabel).text() == (
        "Aucun atelier aujourd'hui")
    assert find(screen, "Ateliers du jour", QTableView).isHidden()


def test_checking_in_a_registered_person_notes_the_morning(qtbot, screen, services, house):
    message = check_in(qtbot, screen, "benali")
    assert message.startswith("Karim Benali : arrivée pointée à 09:00.")
    assert message.endswith(
        f"Présence notée à l'atelier « {TITLE} » (matin).")
    sheet = services.workshops.attendance(session_id=house["session"])
    assert sheet.is_present(house["reg Karim"], house[HalfDayPart.MORNING])
    assert not sheet.is_present(house["reg Karim"], house[HalfDayPart.AFTERNOON])
    assert not sheet.is_present(house["reg Hélène"], house[HalfDayPart.MORNING])
    # undoing the check-in (a mistake) takes back the presence it noted
    qtbot.mouseClick(find(screen, "Annuler la dernière action", QPushButton),
                     Qt.MouseButton.LeftButton)
    assert services.reception.present() == ()
    assert not services.workshops.attendance(session_id=house["session"]).is_present(
        house["reg Karim"], house[HalfDayPart.MORNING])
    assert find(screen, "Message", QLabel).text() == (
        "Arrivée annulée, et la présence notée à l'atelier aussi.")


def test_in_the_afternoon_the_afternoon_is_noted(qtbot, screen, services, house, clock):
    clock.advance(hours=5)  # 14:00
    message = check_in(qtbot, screen, "lefevre")
    assert message.endswith(f"Présence notée à l'atelier « {TITLE} » (après-midi).")
    sheet = services.workshops.attendance(session_id=house["session"])
    assert sheet.is_present(house["reg Hélène"], house[HalfDayPart.AFTERNOON])
    assert not sheet.is_present(house["reg Hélène"], house[HalfDayPart.MORNING])


def test_someone_not_registered_is_just_checked_in(qtbot, screen, services, house):
    services.people.create_person(first_name="Maël", last_name="Texier")
    message = check_in(qtbot, screen, "texier")
    assert message == "Maël Texier : arrivée pointée à 09:00."
    sheet = services.workshops.attendance(session_id=house["session"])
    assert not any(sheet.present.values())


def test_a_double_click_opens_the_attendance(qtbot, screen, monkeypatch):
    from maison_app.views.workshops.attendance_dialog import AttendanceDialog

    opened = []
    monkeypatch.setattr(AttendanceDialog, "exec", lambda self: opened.append(
        (self.session_id, self.model.rowCount())) or 0)
    view = find(screen, "Ateliers du jour", QTableView)
    view.doubleClicked.emit(view.model().index(0, 1))
    assert opened == [(screen.workshops_model.record(0).id, 3)]
