"""The booking dialog as the reception fills it: the price shown before saving (member and
non-member rates, a manual price that needs a reason), the room's capacity said next to the
number of attendees, a booking in the way named under the form with what was typed kept, a
weekly series across Christmas and a taken date (the dates listed, the free ones booked),
the change of one booking of a series or of the following ones, Escape asking first.

The clock says Thursday 26 November 2026, 09:00 in Paris."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
)

from maison_app.domain.bookings import Booker, BookingDraft, Recurrence
from maison_app.domain.enums import PriceBasis
from maison_app.ui.tasks import TaskRunner
from maison_app.views.bookings import booking_dialog as dialog_module
from maison_app.views.bookings.booking_dialog import BookingDialog
from maison_app.views.bookings.series_dialog import SeriesPlanDialog
from tests.ui.conftest import find, press, type_text
from tests.ui.test_bookings_screen import TODAY, at, build_house, plain

FRIDAY = dt.date(2026, 11, 27)


@pytest.fixture
def house(services):
    return build_house(services)


@pytest.fixture
def tasks():
    runner = TaskRunner()
    yield runner
    runner.wait()


def open_dialog(qtbot, services, tasks, **kwargs) -> BookingDialog:
    dialog = BookingDialog(services, tasks, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: tasks.idle)
    return dialog


def settle(qtbot, dialog) -> None:
    """The live price (and any search) answered."""
    qtbot.waitUntil(lambda: dialog.tasks.idle and not dialog._quote_timer.isActive())


def text(dialog, name: str) -> str:
    return plain(find(dialog, name, QLabel).text())


def click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.accessibleName()
    assert widget.isVisible(), widget.accessibleName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def choose_organisation(qtbot, dialog, letters: str) -> None:
    dialog.organisation_choice.setChecked(True)
    picker = dialog.organisation_picker
    with qtbot.waitSignal(picker.results_shown, timeout=5000):
        type_text(find(dialog, "Rechercher une structure", QLineEdit), letters)
    settle(qtbot, dialog)


# --- the price ---------------------------------------------------------------------------------


def test_the_price_is_shown_before_saving_and_a_manual_price_needs_a_reason(
        qtbot, services, house, tasks, no_modal):
    dialog = open_dialog(qtbot, services, tasks, space_id=house["Sèvre"],
                         start=at(FRIDAY, 9), end=at(FRIDAY, 12))
    assert find(dialog, "Salle", QComboBox).currentText() == (
        "Salle Sèvre — 14 places, rez-de-chaussée")
    assert text(dialog, "Jour de la semaine") == "Vendredi"
    assert text(dialog, "Durée") == "(3 h)"
    # nobody chosen yet: the non-member price, said so
    assert text(dialog, "Prix de la réservation") == "70,00 €"
    assert text(dialog, "Tarif appliqué") == ("Tarif non adhérent tant que la structure ou la "
                                              "personne n'est pas choisie.")
    type_text(find(dialog, "Objet de la réservation", QLineEdit), "Atelier Circuits courts")

    # a member cooperative: the member half-day
    choose_organisation(qtbot, dialog, "scic")
    results = find(dialog, "Structures trouvées", QListWidget)
    assert [results.item(i).text() for i in range(results.count())] == ["SCIC Maison de l'ESS"]
    assert dialog.organisation_picker.chosen() == (house["SCIC"], "SCIC Maison de l'ESS")
    assert text(dialog, "Prix de la réservation") == "40,00 €"
    assert "demi-journée" in text(dialog, "Calcul du prix").lower()
    assert text(dialog, "Tarif appliqué") == "Tarif adhérent : adhésion 2026 enregistrée."

    # later than closing: a warning, the price stays
    dialog.end.setTime(QTime(20, 0))
    settle(qtbot, dialog)
    assert "heures d'ouverture" in text(dialog, "Avertissements du prix")
    dialog.end.setTime(QTime(12, 0))
    settle(qtbot, dialog)
    assert not find(dialog, "Avertissements du prix", QLabel).isVisible()

    # a manual price: proposed from the rates, the reason asked for
    find(dialog, "Prix manuel").setChecked(True)
    amount = find(dialog, "Montant du prix manuel", QLineEdit)
    assert amount.text() == "40,00"
    amount.selectAll()
    amount.del_()
    type_text(amount, "25")
    settle(qtbot, dialog)
    assert text(dialog, "Prix de la réservation") == "25,00 €"
    assert text(dialog, "Calcul du prix").startswith("Prix saisi à la main ; le tarif "
                                                     "donnerait 40,00 €")
    click(qtbot, find(dialog, "Réserver", QPushButton))
    assert dialog.isVisible()
    assert dialog.errors.message("override_reason") == (
        "Un prix saisi à la main demande un motif (gratuité accordée, forfait négocié…).")
    assert services.bookings.bookings(start=FRIDAY, end=FRIDAY + dt.timedelta(days=1)) == ()

    type_text(find(dialog, "Raison du prix manuel", QLineEdit), "Partenariat Circuits courts")
    click(qtbot, find(dialog, "Réserver", QPushButton))
    assert not dialog.isVisible()
    [b] = services.bookings.bookings(start=FRIDAY, end=FRIDAY + dt.timedelta(days=1))
    assert (b.title, b.price_cents, b.price_basis, b.override_reason, b.booker_name) == (
        "Atelier Circuits courts", 2500, PriceBasis.MANUAL, "Partenariat Circuits courts",
        "SCIC Maison de l'ESS")
    assert dialog.saved_ids == (b.id,) and dialog.saved_day == FRIDAY
    assert no_modal == []


def test_a_person_found_by_typing_a_few_letters(qtbot, services, house, tasks, no_modal):
    dialog = open_dialog(qtbot, services, tasks, space_id=house["Marais"],
                         start=at(FRIDAY, 10), end=at(FRIDAY, 11))
    type_text(find(dialog, "Objet de la réservation", QLineEdit), "Rendez-vous")
    dialog.person_choice.setChecked(True)
    field = find(dialog, "Rechercher une personne", QLineEdit)
    type_text(field, "l")
    settle(qtbot, dialog)
    assert find(dialog, "Personnes trouvées", QListWidget).count() == 0
    with qtbot.waitSignal(dialog.person_picker.results_shown, timeout=5000):
        type_text(field, "efevre")
    settle(qtbot, dialog)
    assert dialog.person_picker.chosen() == (house["Hélène"], "Hélène Lefèvre")
    assert text(dialog, "Rechercher une personne : choix") == "Choisi : Hélène Lefèvre"
    assert text(dialog, "Prix de la réservation") == "18,00 €"  # not a member
    click(qtbot, find(dialog, "Réserver", QPushButton))
    [b] = services.bookings.bookings(start=FRIDAY, end=FRIDAY + dt.timedelta(days=1))
    assert (b.booker.person_id, b.price_cents) == (house["Hélène"], 1800)


def test_nobody_chosen_is_said_next_to_who_books(qtbot, services, house, tasks, no_modal):
    dialog = open_dialog(qtbot, services, tasks, space_id=house["Marais"],
                         start=at(FRIDAY, 10), end=at(FRIDAY, 11))
    type_text(find(dialog, "Objet de la réservation", QLineEdit), "Réunion")
    click(qtbot, find(dialog, "Réserver", QPushButton))
    assert dialog.errors.message("booker") == ("Choisissez la structure dans la liste (tapez "
                                               "quelques lettres du nom).")
    dialog.outside_choice.setChecked(True)
    type_text(find(dialog, "Nom du contact", QLineEdit), "Léa Martin")
    click(qtbot, find(dialog, "Réserver", QPushButton))
    assert dialog.errors.message("contact_email") == (
        "Pour un contact extérieur, indiquez une adresse e-mail ou un numéro de téléphone.")
    assert dialog.isVisible()


# --- the capacity and the conflicts ----------------------------------------------------------------


def test_the_capacity_is_said_next_to_the_attendees(qtbot, services, house, tasks, no_modal):
    dialog = open_dialog(qtbot, services, tasks, space_id=house["Marais"],
                         start=at(FRIDAY, 10), end=at(FRIDAY, 11))
    assert text(dialog, "Capacité de la salle") == "sur 6 places"
    spin = find(dialog, "Nombre de participants", QSpinBox)
    spin.setValue(9)
    assert text(dialog, "Capacité de la salle") == (
        "Trop de monde : Salle Marais accueille 6 personnes au plus.")
    settle(qtbot, dialog)
    # the live price names it too, under the field
    assert dialog.errors.message("attendees") == "« Salle Marais » accueille 6 personnes au plus."
    # a bigger room: the message goes
    rooms = find(dialog, "Salle", QComboBox)
    rooms.setCurrentIndex(rooms.findData(house["Sèvre"]))
    settle(qtbot, dialog)
    assert text(dialog, "Capacité de la salle") == "sur 14 places"
    assert dialog.errors.message("attendees") == ""


def test_a_booking_in_the_way_is_named_and_the_form_kept(qtbot, services, house, tasks,
                                                         no_modal):
    dialog = open_dialog(qtbot, services, tasks, space_id=house["Sèvre"],
                         start=at(TODAY, 15), end=at(TODAY, 17))
    type_text(find(dialog, "Objet de la réservation", QLineEdit), "Assemblée des habitants")
    dialog.outside_choice.setChecked(True)
    type_text(find(dialog, "Nom du contact", QLineEdit), "Amélie Perrin")
    type_text(find(dialog, "Téléphone du contact", QLineEdit), "06 12 34 56 78")
    click(qtbot, find(dialog, "Réserver", QPushButton))
    assert dialog.isVisible()
    message = text(dialog, "Message de la réservation")
    assert "« Conseil d'administration SCIC » (SCIC Maison de l'ESS)" in message
    assert "14:00" in message and "16:00" in message
    assert find(dialog, "Objet de la réservation", QLineEdit).text() == "Assemblée des habitants"
    assert find(dialog, "Nom du contact", QLineEdit).text() == "Amélie Perrin"

    # 16:00–18:00 touches the end of the board meeting: both stand
    dialog.start.setTime(QTime(16, 0))
    assert dialog.end.time() == QTime(18, 0)  # the end follows, the duration is kept
    settle(qtbot, dialog)
    assert not find(dialog, "Message de la réservation", QLabel).isVisible()
    click(qtbot, find(dialog, "Réserver", QPushButton))
    assert not dialog.isVisible()
    titles = [b.title for b in services.bookings.day(day=TODAY) if b.space_id == house["Sèvre"]]
    assert titles == ["Conseil d'administration SCIC", "Assemblée des habitants"]


def test_a_closed_day_is_refused_under_the_date(qtbot, services, house, tasks, no_modal):
    dialog = open_dialog(qtbot, services, tasks, space_id=house["Sèvre"],
                         start=at(dt.date(2026, 12, 25), 10), end=at(dt.date(2026, 12, 25), 11))
    settle(qtbot, dialog)
    assert "Noël" in dialog.errors.message("day")
    assert text(dialog, "Prix de la réservation") == "—"


# --- series --------------------------------------------------------------------------------------


def test_a_series_across_christmas_and_a_taken_date(qtbot, services, house, tasks, monkeypatch,
                                                    no_modal):
    taken = services.bookings.create(BookingDraft(
        space_id=house["Sèvre"], start=at(dt.date(2026, 12, 11), 15),
        end=at(dt.date(2026, 12, 11), 17), title="Formation comptabilité",
        booker=Booker(organisation_id=house["Circuits"]), attendees=8))
    shown: list = []

    def answer(dialog):
        shown.append(dialog)
        dialog.show()
        rows = dialog.rows()
        shown.append((plain(dialog.summary.text()), rows,
                      dialog.book_button.text(), dialog.book_button.isEnabled()))
        dialog.book_button.click()
        return dialog.result() == 1

    monkeypatch.setattr(dialog_module, "run_dialog", answer)
    dialog = open_dialog(qtbot, services, tasks, space_id=house["Sèvre"],
                         start=at(FRIDAY, 14), end=at(FRIDAY, 16))
    type_text(find(dialog, "Objet de la réservation", QLineEdit), "Atelier Circuits courts")
    choose_organisation(qtbot, dialog, "circuits")
    find(dialog, "Répéter chaque semaine").setChecked(True)
    count = find(dialog, "Nombre de réservations de la série", QSpinBox)
    count.setValue(5)
    assert text(dialog, "Dates de la série") == (
        "5 dates, du 27 novembre 2026 au 25 décembre 2026 (les jours de fermeture seront "
        "sautés).")
    click(qtbot, find(dialog, "Réserver", QPushButton))

    plan_dialog, (summary, rows, button, enabled) = shown
    assert isinstance(plan_dialog, SeriesPlanDialog)
    assert summary == ("5 dates : 3 libres, 1 jour de fermeture (sauté), 1 déjà réservée par "
                       "ailleurs.")
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("Vendredi 27 novembre 2026", "14:00–16:00", "Libre"),
        ("Vendredi 4 décembre 2026", "14:00–16:00", "Libre"),
        ("Vendredi 11 décembre 2026", "14:00–16:00", "Salle déjà réservée"),
        ("Vendredi 18 décembre 2026", "14:00–16:00", "Libre"),
        ("Vendredi 25 décembre 2026", "14:00–16:00", "Maison fermée"),
    ]
    assert "Formation comptabilité" in rows[2][3]
    assert "Noël" in rows[4][3]
    assert (button, enabled) == ("Réserver les 3 libres", True)

    assert not dialog.isVisible()
    assert len(dialog.saved_ids) == 3
    booked = services.bookings.series(
        series_id=services.bookings.booking(booking_id=dialog.saved_ids[0]).series_id)
    assert [b.day for b in booked] == [FRIDAY, dt.date(2026, 12, 4), dt.date(2026, 12, 18)]
    assert services.bookings.booking(booking_id=taken).title == "Formation comptabilité"
    assert dialog.done_message.startswith("Série de 3 réservations enregistrée")
    assert "2 dates sautées" in dialog.done_message


def test_back_from_the_series_plan_keeps_the_form(qtbot, services, house, tasks, monkeypatch,
                                                  no_modal):
    monkeypatch.setattr(dialog_module, "run_dialog", lambda d: False)  # « Retour »
    dialog = open_dialog(qtbot, services, tasks, space_id=house["Sèvre"],
                         start=at(dt.date(2026, 12, 18), 14), end=at(dt.date(2026, 12, 18), 16))
    type_text(find(dialog, "Objet de la réservation", QLineEdit), "Permanence")
    choose_organisation(qtbot, dialog, "scic")
    find(dialog, "Répéter chaque semaine").setChecked(True)
    find(dialog, "Nombre de réservations de la série", QSpinBox).setValue(2)  # 18 and 25/12
    click(qtbot, find(dialog, "Réserver", QPushButton))
    assert dialog.isVisible()
    assert services.bookings.bookings(start=dt.date(2026, 12, 14),
                                      end=dt.date(2026, 12, 28)) == ()


def weekly(services, house) -> list[int]:
    return list(services.bookings.create_series(BookingDraft(
        space_id=house["Marais"], start=at(TODAY, 17), end=at(TODAY, 18), title="Chorale",
        booker=Booker(person_id=house["Hélène"]), attendees=5), Recurrence(count=4)).created)


def answer_scope(monkeypatch, following: bool, seen: list) -> None:
    def answer(dialog):
        dialog.show()
        seen.append(dialog.windowTitle())
        if following:
            dialog.following.setChecked(True)
        dialog.ok_button.click()
        return True

    monkeypatch.setattr(dialog_module, "run_dialog", answer)


def test_one_booking_of_a_series_changed_then_the_following(qtbot, services, house, tasks,
                                                            monkeypatch, no_modal):
    ids = weekly(services, house)
    seen: list = []
    answer_scope(monkeypatch, False, seen)
    dialog = open_dialog(qtbot, services, tasks, booking_id=ids[1])
    assert not dialog.repeat_box.isVisible()
    assert find(dialog, "Série de la réservation", QLabel).isVisible()
    title = find(dialog, "Objet de la réservation", QLineEdit)
    title.selectAll()
    type_text(title, "Chorale (répétition générale)")
    click(qtbot, find(dialog, "Enregistrer", QPushButton))
    assert seen == ["Modifier une réservation d'une série"]
    titles = [services.bookings.booking(booking_id=i).title for i in ids]
    assert titles == ["Chorale", "Chorale (répétition générale)", "Chorale", "Chorale"]

    answer_scope(monkeypatch, True, seen)
    dialog = open_dialog(qtbot, services, tasks, booking_id=ids[2])
    dialog.start.setTime(QTime(18, 0))  # 18:00–19:00 from the third one on
    title = find(dialog, "Objet de la réservation", QLineEdit)
    title.selectAll()
    type_text(title, "Chorale d'hiver")
    click(qtbot, find(dialog, "Enregistrer", QPushButton))
    rows = [services.bookings.booking(booking_id=i) for i in ids]
    assert [(b.title, b.start.hour) for b in rows] == [
        ("Chorale", 17), ("Chorale (répétition générale)", 17), ("Chorale d'hiver", 18),
        ("Chorale d'hiver", 18)]
    assert dialog.done_message.startswith("Réservation modifiée, ainsi que les suivantes")


# --- keyboard and closing -----------------------------------------------------------------------


def test_quarter_hours_and_escape_asks_before_dropping(qtbot, services, house, tasks, no_modal):
    dialog = open_dialog(qtbot, services, tasks, space_id=house["Sèvre"],
                         start=at(FRIDAY, 14, 10), end=at(FRIDAY, 15, 10))
    dialog.start.setFocus()
    dialog.start.setCurrentSection(dialog.start.Section.MinuteSection)
    press(dialog.start, Qt.Key.Key_Up)
    assert dialog.start.time() == QTime(14, 15)
    press(dialog.start, Qt.Key.Key_Up)
    assert dialog.start.time() == QTime(14, 30)
    assert dialog.end.time() == QTime(15, 30)
    press(dialog.start, Qt.Key.Key_Down)
    assert dialog.start.time() == QTime(14, 15)

    # the option's date only with an option
    until = find(dialog, "Option valable jusqu'au", QLineEdit)
    assert not until.isEnabled()
    dialog.option.setChecked(True)
    assert until.isEnabled() and until.text() == "27/11/2026"  # not past the booking's day

    press(find(dialog, "Objet de la réservation", QLineEdit), Qt.Key.Key_Escape)
    assert dialog.isVisible()  # something was changed: the question, answered « Continuer »
    assert no_modal.texts("confirm") == [
        "La réservation n'est pas enregistrée. Abandonner la saisie ?"]
    no_modal.answers.append(True)
    press(find(dialog, "Objet de la réservation", QLineEdit), Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_an_untouched_dialog_closes_at_once(qtbot, services, house, tasks, no_modal):
    dialog = open_dialog(qtbot, services, tasks, day=FRIDAY)
    assert find(dialog, "Date", QLineEdit).text() == "27/11/2026"
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and no_modal == []
