"""The « Réservations » screen as the reception uses it: a booking made by dragging over free
time in the calendar (the dialog opens with that room and those times), a booking moved by
dragging it, cancelled after a confirmation (one of a series, or the following ones too),
an option confirmed, the day and week views and the dates by keyboard, the search that
jumps to a booking, the papers (confirmation PDF, .ics), and a refused move explained.

The clock says Thursday 26 November 2026, 09:00 in Paris."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QPushButton, QWidget

from maison_app.domain.bookings import Booker, BookingDraft, Recurrence
from maison_app.domain.enums import BookingStatus, MemberKind, Role, SpaceKind
from maison_app.domain.spaces import Rates, SpaceRecord
from maison_app.i18n import PARIS
from maison_app.services.context import Actor
from maison_app.ui.pdf_preview import PdfPreviewDialog
from maison_app.ui.tasks import TaskRunner
from maison_app.views.bookings import screen as screen_module
from maison_app.views.bookings.booking_dialog import BookingDialog
from tests.ui.conftest import find, press, type_text

TODAY = dt.date(2026, 11, 26)  # a Thursday
SEVRE_RATES = Rates(hour_member=1500, hour_public=2500, half_day_member=4000,
                    half_day_public=7000, day_member=7000, day_public=12000)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def build_house(services) -> dict[str, int]:
    """Three rooms; a member cooperative, an association, a person; three bookings on the
    test's Thursday (one an option of an outside contact) and one on the Tuesday."""
    spaces = services.spaces
    ids = {
        "Sèvre": spaces.save_space(SpaceRecord(None, SpaceKind.MEETING_ROOM, "Salle Sèvre",
                                               capacity=14, rates=SEVRE_RATES)),
        "Marais": spaces.save_space(SpaceRecord(None, SpaceKind.MEETING_ROOM, "Salle Marais",
                                                capacity=6, rates=Rates(
                                                    hour_member=1000, hour_public=1800))),
        "Pilori": spaces.save_space(SpaceRecord(None, SpaceKind.WORKSHOP_ROOM,
                                                "Atelier du Pilori", capacity=24, rates=Rates(
                                                    half_day_member=6000,
                                                    half_day_public=10000))),
    }
    people = services.people
    ids["SCIC"] = people.create_organisation(name="SCIC Maison de l'ESS")
    ids["Circuits"] = people.create_organisation(name="Association Circuits Courts 79")
    ids["Hélène"] = people.create_person(first_name="Hélène", last_name="Lefèvre",
                                         email="helene.lefevre@exemple.fr")
    college = services.memberships.colleges()[0].id
    services.memberships.create_membership(kind=MemberKind.ORGANISATION, member_id=ids["SCIC"],
                                           year=2026, college_id=college, fee_cents=10_000)
    book = services.bookings.create
    ids["CA"] = book(BookingDraft(
        space_id=ids["Sèvre"], start=at(TODAY, 14), end=at(TODAY, 16),
        title="Conseil d'administration SCIC", booker=Booker(organisation_id=ids["SCIC"]),
        attendees=10))
    ids["Juridique"] = book(BookingDraft(
        space_id=ids["Marais"], start=at(TODAY, 10), end=at(TODAY, 12),
        title="Permanence juridique", attendees=3, status=BookingStatus.OPTION,
        option_until=dt.date(2026, 11, 30),
        booker=Booker(contact_name="Maître Durand", contact_phone="05 49 00 00 00")))
    ids["Atelier"] = book(BookingDraft(
        space_id=ids["Pilori"], start=at(TODAY, 9, 30), end=at(TODAY, 12, 30),
        title="Atelier Circuits courts", booker=Booker(organisation_id=ids["Circuits"]),
        attendees=18, notes="Tables en U, vidéoprojecteur."))
    ids["Équipe"] = book(BookingDraft(
        space_id=ids["Sèvre"], start=at(TODAY - dt.timedelta(days=2), 9),
        end=at(TODAY - dt.timedelta(days=2), 10, 30), title="Réunion d'équipe",
        booker=Booker(person_id=ids["Hélène"]), attendees=5))
    return ids


@pytest.fixture
def house(services):
    return build_house(services)


@pytest.fixture
def tasks():
    runner = TaskRunner()
    yield runner
    runner.wait()


@pytest.fixture
def previews(monkeypatch) -> list[bytes]:
    shown: list[bytes] = []
    monkeypatch.setattr(PdfPreviewDialog, "open", lambda self: shown.append(self.pdf_bytes))
    return shown


def open_screen(qtbot, services, tasks):
    widget = screen_module.BookingsScreen(services, tasks)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: tasks.idle and widget.rooms != [])
    return widget


@pytest.fixture
def screen(qtbot, services, house, tasks):
    return open_screen(qtbot, services, tasks)


def wait_loaded(qtbot, screen) -> None:
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        pass


def settle(qtbot, screen) -> None:
    qtbot.waitUntil(lambda: screen.tasks.idle)


def click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.accessibleName()
    assert widget.isVisible(), widget.accessibleName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def drag(qtbot, widget, start: QPoint, end: QPoint) -> None:
    """Press, move in a few steps, release: as a hand does."""
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    steps = 4
    for i in range(1, steps + 1):
        point = QPoint(start.x() + (end.x() - start.x()) * i // steps,
                       start.y() + (end.y() - start.y()) * i // steps)
        QTest.mouseMove(widget, point)
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def drawn(screen) -> dict[int, object]:
    return {b.booking_id: b for b in screen.calendar.blocks()}


def detail(screen, name: str) -> str:
    return plain(find(screen, name, QLabel).text())


def room_index(screen, space_id: int) -> int:
    return [r.id for r in screen.rooms].index(space_id)


def dialog_of(qtbot, screen) -> BookingDialog:
    qtbot.waitUntil(lambda: screen.dialog is not None)
    dialog = screen.dialog
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: screen.tasks.idle)
    return dialog


# --- creating ------------------------------------------------------------------------------------


def test_a_booking_made_by_dragging_over_free_time(qtbot, screen, services, house, no_modal):
    assert detail(screen, "Période affichée") == "Jeudi 26 novembre 2026 · 3 réservations"
    assert set(drawn(screen)) == {house["CA"], house["Juridique"], house["Atelier"]}
    calendar = screen.calendar
    column = room_index(screen, house["Sèvre"])
    drag(qtbot, calendar, calendar.point_at(column, at(TODAY, 10, 5)),
         calendar.point_at(column, at(TODAY, 11, 55)))
    dialog = dialog_of(qtbot, screen)
    assert find(dialog, "Salle", QComboBox).currentData() == house["Sèvre"]
    assert find(dialog, "Date", QLineEdit).text() == "26/11/2026"
    assert dialog.start.time().toString("HH:mm") == "10:00"
    assert dialog.end.time().toString("HH:mm") == "12:00"

    title = find(dialog, "Objet de la réservation", QLineEdit)
    type_text(title, "Réunion de l'équipe d'animation")
    dialog.outside_choice.setChecked(True)
    type_text(find(dialog, "Nom du contact", QLineEdit), "Amélie Perrin")
    type_text(find(dialog, "E-mail du contact", QLineEdit), "amelie@exemple.fr")
    find(dialog, "Nombre de participants").setValue(6)
    qtbot.waitUntil(lambda: screen.tasks.idle and "Tarif non adhérent" in plain(
        find(dialog, "Tarif appliqué", QLabel).text()))
    # 2 h for a non-member: the hour rate (2 × 25 €) beats the half-day (70 €)
    assert plain(find(dialog, "Prix de la réservation", QLabel).text()) == "50,00 €"
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        click(qtbot, find(dialog, "Réserver", QPushButton))
    assert screen.dialog is None
    saved = [b for b in services.bookings.day(day=TODAY)
             if b.title == "Réunion de l'équipe d'animation"]
    assert len(saved) == 1
    b = saved[0]
    assert (b.space_id, b.start, b.end, b.booker_name, b.attendees, b.price_cents) == (
        house["Sèvre"], at(TODAY, 10), at(TODAY, 12), "Amélie Perrin", 6, 5000)
    assert b.id in drawn(screen)
    assert screen.calendar.selected_booking() == b.id
    assert detail(screen, "Objet de la réservation choisie") == "Réunion de l'équipe d'animation"
    assert detail(screen, "Message").startswith("Réservation enregistrée : « Réunion de "
                                                "l'équipe d'animation », Salle Sèvre")
    assert no_modal == []


def test_ctrl_n_opens_the_dialog_on_the_day_shown(qtbot, screen, house, no_modal):
    screen.set_day(dt.date(2026, 12, 3))
    settle(qtbot, screen)
    screen.calendar.setFocus()
    QTest.keyClick(screen.calendar, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = dialog_of(qtbot, screen)
    assert dialog.windowTitle() == "Nouvelle réservation"
    assert find(dialog, "Date", QLineEdit).text() == "03/12/2026"
    dialog.done(0)


# --- changing ------------------------------------------------------------------------------------


def test_a_booking_moved_by_dragging_it(qtbot, screen, services, house, no_modal):
    calendar = screen.calendar
    rect = calendar.block_rect(house["CA"])
    start = rect.center().toPoint()
    # one hour earlier, to the Salle Marais' column: the grip point moves with the block
    column = room_index(screen, house["Marais"])
    shift = calendar.point_at(column, at(TODAY, 13)) - calendar.point_at(column, at(TODAY, 14))
    target = QPoint(calendar.point_at(column, at(TODAY, 14)).x(), start.y() + shift.y())
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        drag(qtbot, calendar, start, target)
    b = services.bookings.booking(booking_id=house["CA"])
    # the Salle Marais seats 6: ten attendees do not fit, the move is refused
    assert (b.space_id, b.start) == (house["Sèvre"], at(TODAY, 14))
    assert no_modal.texts("warn") == ["« Salle Marais » accueille 6 personnes au plus."]
    no_modal.clear()

    # in its own column, one hour earlier
    column = room_index(screen, house["Sèvre"])
    start = calendar.block_rect(house["CA"]).center().toPoint()
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        drag(qtbot, calendar, start, QPoint(start.x(), start.y() + shift.y()))
    b = services.bookings.booking(booking_id=house["CA"])
    assert (b.space_id, b.start, b.end) == (house["Sèvre"], at(TODAY, 13), at(TODAY, 15))
    assert detail(screen, "Message") == ("« Conseil d'administration SCIC » : Salle Sèvre, "
                                         "jeudi 26 novembre 2026, 13:00–15:00.")
    assert detail(screen, "Horaire de la réservation") == "13:00–15:00"
    assert no_modal == []


def test_a_move_onto_another_booking_is_refused_and_named(qtbot, screen, services, house,
                                                          no_modal):
    calendar = screen.calendar
    column = room_index(screen, house["Marais"])
    start = calendar.block_rect(house["Juridique"]).center().toPoint()
    # the permanence dragged onto the Sèvre's afternoon: the board meeting is in the way
    sevre = room_index(screen, house["Sèvre"])
    shift = (calendar.point_at(column, at(TODAY, 14)).y()
             - calendar.point_at(column, at(TODAY, 10)).y())
    target = QPoint(calendar.point_at(sevre, at(TODAY, 14)).x(), start.y() + shift)
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        drag(qtbot, calendar, start, target)
    [warning] = no_modal.texts("warn")
    assert "« Conseil d'administration SCIC » (SCIC Maison de l'ESS)" in warning
    b = services.bookings.booking(booking_id=house["Juridique"])
    assert (b.space_id, b.start) == (house["Marais"], at(TODAY, 10))
    assert calendar.block_rect(house["Juridique"]) is not None


def test_enter_on_a_booking_opens_it_and_the_change_is_saved(qtbot, screen, services, house,
                                                             no_modal):
    screen.calendar.select_booking(house["Atelier"])
    screen.calendar.setFocus()
    press(screen.calendar, Qt.Key.Key_Return)
    dialog = dialog_of(qtbot, screen)
    assert dialog.windowTitle() == "Réservation « Atelier Circuits courts »"
    assert find(dialog, "Objet de la réservation", QLineEdit).text() == "Atelier Circuits courts"
    assert dialog.organisation_picker.chosen() == (house["Circuits"],
                                                   "Association Circuits Courts 79")
    spin = find(dialog, "Nombre de participants")
    assert spin.value() == 18
    spin.setValue(20)
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        click(qtbot, find(dialog, "Enregistrer", QPushButton))
    assert services.bookings.booking(booking_id=house["Atelier"]).attendees == 20
    assert detail(screen, "Participants") == "20"


def test_an_option_confirmed(qtbot, screen, services, house, no_modal):
    screen.calendar.select_booking(house["Juridique"])
    assert detail(screen, "Statut de la réservation") == "Option jusqu'au 30 novembre 2026"
    assert detail(screen, "Réservé par") == ("Maître Durand (contact extérieur)\n"
                                             "05 49 00 00 00")
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        click(qtbot, find(screen, "Confirmer l'option", QPushButton))
    assert services.bookings.booking(booking_id=house["Juridique"]).status is (
        BookingStatus.CONFIRMED)
    assert detail(screen, "Statut de la réservation") == "Confirmée"
    assert not find(screen, "Confirmer l'option", QPushButton).isEnabled()


# --- cancelling ----------------------------------------------------------------------------------


def answer_cancel(monkeypatch, *, accept: bool, following: bool = False, reason: str = "",
                  seen: list | None = None) -> None:
    def run(dialog):
        dialog.show()
        if seen is not None:
            seen.append((find(dialog, "Question", QLabel).text(), dialog.one.isVisible()))
        if following:
            dialog.following.setChecked(True)
        if reason:
            type_text(dialog.reason, reason)
        if accept:
            dialog.ok_button.click()
        else:
            dialog.reject()
        return dialog.result() == 1

    monkeypatch.setattr(screen_module, "run_dialog", run)


def test_delete_asks_then_cancels(qtbot, screen, services, house, monkeypatch, no_modal):
    seen: list = []
    answer_cancel(monkeypatch, accept=False, seen=seen)
    screen.calendar.select_booking(house["CA"])
    screen.calendar.setFocus()
    press(screen.calendar, Qt.Key.Key_Delete)
    question, series = seen[0]
    assert question == ("Annuler la réservation « Conseil d'administration SCIC » (SCIC Maison "
                        "de l'ESS), jeudi 26 novembre 2026, 14:00–16:00, Salle Sèvre ?\n"
                        "La salle redevient libre ; la réservation reste dans l'historique.")
    assert not series  # not a series: no choice of scope
    assert services.bookings.booking(booking_id=house["CA"]).status is BookingStatus.CONFIRMED

    answer_cancel(monkeypatch, accept=True, reason="Report en janvier")
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        press(screen.calendar, Qt.Key.Key_Delete)
    b = services.bookings.booking(booking_id=house["CA"])
    assert (b.status, b.cancel_reason) == (BookingStatus.CANCELLED, "Report en janvier")
    assert house["CA"] not in drawn(screen)
    assert detail(screen, "Message").startswith("Réservation annulée : « Conseil "
                                                "d'administration SCIC »")
    assert no_modal == []


def weekly_series(services, house, *, count: int = 4) -> list[int]:
    result = services.bookings.create_series(BookingDraft(
        space_id=house["Marais"], start=at(TODAY, 17), end=at(TODAY, 18, 30),
        title="Permanence Habitat partagé", booker=Booker(person_id=house["Hélène"]),
        attendees=4), Recurrence(count=count))
    return list(result.created)


def test_cancel_one_of_a_series_then_the_following(qtbot, screen, services, house, monkeypatch,
                                                   no_modal):
    ids = weekly_series(services, house)
    screen.refresh()
    settle(qtbot, screen)
    screen.calendar.select_booking(ids[0])
    qtbot.waitUntil(lambda: detail(screen, "Série").startswith("1 sur 4"))
    assert detail(screen, "Série") == "1 sur 4, du 26 novembre 2026 au 17 décembre 2026"

    seen: list = []
    answer_cancel(monkeypatch, accept=True, seen=seen)  # this one only
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        click(qtbot, find(screen, "Annuler la réservation", QPushButton))
    assert seen[0][1]  # the scope is asked
    states = [b.status for b in services.bookings.series(
        series_id=services.bookings.booking(booking_id=ids[1]).series_id)]
    assert states == [BookingStatus.CANCELLED] + [BookingStatus.CONFIRMED] * 3

    # the second one and the following
    screen.set_day(TODAY + dt.timedelta(days=7))
    settle(qtbot, screen)
    screen.calendar.select_booking(ids[1])
    answer_cancel(monkeypatch, accept=True, following=True)
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        click(qtbot, find(screen, "Annuler la réservation", QPushButton))
    assert detail(screen, "Message") == ("3 réservations de la série annulées, à partir du "
                                         "3 décembre 2026.")
    assert all(b.status is BookingStatus.CANCELLED for b in services.bookings.series(
        series_id=services.bookings.booking(booking_id=ids[1]).series_id))


# --- views and keyboard ------------------------------------------------------------------------


def test_day_and_week_views_and_dates_by_keyboard(qtbot, screen, house, no_modal):
    calendar = screen.calendar
    calendar.setFocus()
    assert not calendar.is_week()
    QTest.keyClick(calendar, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, screen)
    assert calendar.is_week() and calendar.days()[0] == dt.date(2026, 11, 23)
    assert detail(screen, "Période affichée") == ("Semaine du 23 au 29 novembre 2026 · "
                                                  "4 réservations")
    assert set(drawn(screen)) == {house["CA"], house["Juridique"], house["Atelier"],
                                  house["Équipe"]}
    # all the rooms: a legend says which colour is which room
    colours = find(screen, "Couleurs des salles", QWidget)
    assert colours.isVisibleTo(screen)
    assert "Salle Sèvre" in colours.accessibleDescription()
    # the weekend (the house does not open, nothing booked) is narrower than a working day
    widths = {c.day: c.width for c in calendar._cells if c.lane == 0}
    assert widths[dt.date(2026, 11, 28)] < widths[dt.date(2026, 11, 27)] / 2

    # one room only
    rooms = find(screen, "Salle montrée", QComboBox)
    rooms.setCurrentIndex(rooms.findText("Salle Sèvre"))
    settle(qtbot, screen)
    assert set(drawn(screen)) == {house["CA"], house["Équipe"]}
    assert not colours.isVisibleTo(screen)

    QTest.keyClick(calendar, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, screen)
    assert calendar.days()[0] == dt.date(2026, 11, 30) and drawn(screen) == {}
    QTest.keyClick(calendar, Qt.Key.Key_Home, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, screen)
    assert calendar.days()[0] == dt.date(2026, 11, 23)

    QTest.keyClick(calendar, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, screen)
    assert not calendar.is_week() and calendar.days() == (TODAY,)
    assert not rooms.isEnabled()
    QTest.keyClick(calendar, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, screen)
    assert calendar.days() == (dt.date(2026, 11, 25),)
    assert detail(screen, "Période affichée") == "Mercredi 25 novembre 2026 · 0 réservation"

    # the date field (Ctrl+G), typed
    QTest.keyClick(calendar, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    date = screen.date
    assert date.hasFocus()
    date.setDate(QDate(2026, 11, 24))
    settle(qtbot, screen)
    assert calendar.days() == (dt.date(2026, 11, 24),)
    assert set(drawn(screen)) == {house["Équipe"]}


def test_the_search_jumps_to_the_booking(qtbot, screen, house, no_modal):
    QTest.keyClick(screen.calendar, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    field = find(screen, "Rechercher une réservation", QLineEdit)
    assert field.hasFocus()
    with qtbot.waitSignal(screen.found, timeout=5000):
        type_text(field, "equipe")
    results = find(screen, "Réservations trouvées", QListWidget)
    assert results.count() == 1
    assert plain(results.item(0).text()) == ("mar. 24 nov. 2026 · 09:00–10:30 · Salle Sèvre · "
                                             "« Réunion d'équipe » — Hélène Lefèvre")
    with qtbot.waitSignal(screen.loaded, timeout=5000):
        press(field, Qt.Key.Key_Return)
    assert screen.calendar.days() == (dt.date(2026, 11, 24),)
    assert screen.calendar.selected_booking() == house["Équipe"]
    assert detail(screen, "Objet de la réservation choisie") == "Réunion d'équipe"


# --- papers --------------------------------------------------------------------------------------


def test_the_confirmation_and_the_calendars(qtbot, screen, services, house, previews,
                                            monkeypatch, tmp_path, no_modal):
    screen.calendar.select_booking(house["CA"])
    screen.calendar.setFocus()
    QTest.keyClick(screen.calendar, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(previews) == 1 and screen.tasks.idle)
    assert previews[0].startswith(b"%PDF")
    assert services.bookings.booking(booking_id=house["CA"]).document_id is not None

    asked: list = []

    def save_to(parent, title, suggested):
        asked.append((title, suggested))
        return str(tmp_path / suggested)

    monkeypatch.setattr(screen_module, "ask_save_path", save_to)
    click(qtbot, find(screen, "Exporter la réservation", QPushButton))
    title, name = asked[-1]
    assert name.endswith(".ics")
    content = (tmp_path / name).read_bytes()
    assert b"BEGIN:VEVENT" in content and b"Conseil d'administration SCIC" in content

    click(qtbot, find(screen, "Calendrier de la salle", QPushButton))
    title, name = asked[-1]
    assert title == "Calendrier de Salle Sèvre"
    content = (tmp_path / name).read_bytes()
    assert content.count(b"BEGIN:VEVENT") == 2  # the month of November: Tuesday and today
    assert detail(screen, "Message").startswith("Calendrier enregistré")
    assert no_modal == []


# --- the clock and the roles --------------------------------------------------------------------


def test_the_current_time_line_follows_the_clock(qtbot, screen, clock):
    first = screen.calendar.now_line()
    assert first is not None
    clock.advance(hours=2)
    screen._now_timer.timeout.emit()
    assert screen.calendar.now_line() > first
    screen.hide()
    assert not screen._now_timer.isActive()
    screen.show()
    assert screen._now_timer.isActive()


def test_the_reception_books_too(qtbot, services, house, tasks, no_modal):
    desk = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    widget = open_screen(qtbot, desk, tasks)
    assert widget.editable and widget.calendar.editable()
    assert find(widget, "Nouvelle réservation", QPushButton).isVisible()
