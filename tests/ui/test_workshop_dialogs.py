"""The workshop, session and registration dialogs as the incubator and the reception fill
them: validation messages next to their fields, the facilitator found among the people of
the house, the half-days added one after the other (the afternoon after a morning, the
next working day after an afternoon) or as a whole day, a room taken refused with the
booking in the way named and the form kept, a room too small, a session outside the house,
a change that frees the half-day removed, an outsider without e-mail, someone registered
twice, Escape asking before dropping what was typed.

The clock says Thursday 26 November 2026, 09:00 in Paris."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QPushButton

from maison_app.domain.bookings import Booker, BookingDraft
from maison_app.domain.enums import (
    BookingStatus,
    RegistrationStatus,
)
from maison_app.domain.workshops import Facilitator
from maison_app.i18n import PARIS
from maison_app.ui.tasks import TaskRunner
from maison_app.views.workshops.session_dialog import RegistrationDialog, SessionDialog
from maison_app.views.workshops.workshop_dialog import WorkshopDialog
from tests.ui.conftest import find, press, type_text
from tests.ui.test_workshops_screen import build_house, click, fill, plain

DECEMBER_10 = dt.date(2026, 12, 10)  # a Thursday
DECEMBER_11 = dt.date(2026, 12, 11)  # a Friday


@pytest.fixture
def house(services, clock):
    return build_house(services, clock)


@pytest.fixture
def tasks():
    runner = TaskRunner()
    yield runner
    runner.wait()


def open_dialog(qtbot, cls, *args, **kwargs):
    dialog = cls(*args, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.tasks.idle)
    return dialog


def rows(dialog: SessionDialog) -> list[tuple[str, str, str, str]]:
    return [(r.date.text(), r.part.currentText(), r.start.time().toString("HH:mm"),
             r.end.time().toString("HH:mm")) for r in dialog.rows]


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


# --- the workshop --------------------------------------------------------------------------------


def test_the_facilitator_is_found_among_the_people_of_the_house(qtbot, services, house, tasks,
                                                                no_modal):
    dialog = open_dialog(qtbot, WorkshopDialog, services, tasks)
    type_text(find(dialog, "Titre de l'atelier", QLineEdit), "Monnaie complémentaire")
    find(dialog, "Animé par une personne de la maison").setChecked(True)
    with qtbot.waitSignal(dialog.person_picker.results_shown, timeout=5000):
        type_text(find(dialog, "Rechercher l'animateur·rice", QLineEdit), "helene")
    qtbot.waitUntil(lambda: tasks.idle)
    assert [find(dialog, "Personnes trouvées", QListWidget).item(0).text()] == [
        "Hélène Lefèvre — helene.lefevre@exemple.fr"]
    assert dialog.person_picker.chosen() == (house["Hélène"], "Hélène Lefèvre")
    find(dialog, "Nature de l'action", QComboBox).setCurrentText("Action de sensibilisation")
    click(qtbot, find(dialog, "Enregistrer", QPushButton))
    assert dialog.result() == 1
    saved = services.workshops.workshop(workshop_id=dialog.saved_id)
    assert saved.facilitator == Facilitator(person_id=house["Hélène"], name="Hélène Lefèvre")
    assert (saved.price_cents, saved.nature, saved.active) == (0, "Action de sensibilisation",
                                                               True)


def test_a_person_to_choose_is_asked_for_and_escape_asks_first(qtbot, services, house, tasks,
                                                               no_modal):
    dialog = open_dialog(qtbot, WorkshopDialog, services, tasks,
                         workshop_id=house["Financer"])
    assert find(dialog, "Nom de l'intervenant·e", QLineEdit).text() == (
        "Sophie Garnier (France Active)")
    assert find(dialog, "Prix par participant", QLineEdit).text() == "15,00"
    find(dialog, "Animé par une personne de la maison").setChecked(True)
    click(qtbot, find(dialog, "Enregistrer", QPushButton))
    assert dialog.error_text("facilitator") == (
        "Choisissez la personne qui anime l'atelier dans la liste, ou un·e intervenant·e "
        "extérieur·e.")
    assert dialog.isVisible()
    # Escape: something was changed, asked first; « continue » keeps the dialog
    press(find(dialog, "Titre de l'atelier", QLineEdit), Qt.Key.Key_Escape)
    assert no_modal.texts("confirm") == [
        "L'atelier n'est pas enregistré. Abandonner la saisie ?"]
    assert dialog.isVisible()
    find(dialog, "Animé par un·e intervenant·e extérieur·e").setChecked(True)
    find(dialog, "Atelier proposé").setChecked(False)
    click(qtbot, find(dialog, "Enregistrer", QPushButton))
    assert dialog.result() == 1
    assert services.workshops.workshop(workshop_id=house["Financer"]).active is False
    assert dialog.done_message == "Atelier « Financer son entreprise de l'ESS » enregistré."


# --- the half-days -------------------------------------------------------------------------------


def test_the_half_days_follow_one_another(qtbot, services, house, tasks, no_modal):
    dialog = open_dialog(qtbot, SessionDialog, services, tasks, workshop_id=house["École"],
                         day=DECEMBER_10)
    assert find(dialog, "Atelier de la séance", QLabel).text() == (
        "<b>École de l'entrepreneur collectif</b> — Création d'activités et d'emplois, "
        "12 places")
    assert rows(dialog) == [("10/12/2026", "Matin", "09:00", "12:30")]
    add = find(dialog, "Ajouter une demi-journée", QPushButton)
    click(qtbot, add)  # the afternoon after the morning
    click(qtbot, add)  # Friday's morning
    assert rows(dialog)[1:] == [("10/12/2026", "Après-midi", "13:30", "17:00"),
                                ("11/12/2026", "Matin", "09:00", "12:30")]
    click(qtbot, find(dialog, "Ajouter une journée entière", QPushButton))  # completes Friday
    click(qtbot, find(dialog, "Ajouter une journée entière", QPushButton))  # Monday
    assert rows(dialog)[3:] == [("11/12/2026", "Après-midi", "13:30", "17:00"),
                                ("14/12/2026", "Matin", "09:00", "12:30"),
                                ("14/12/2026", "Après-midi", "13:30", "17:00")]
    assert find(dialog, "Durée de la séance", QLabel).text() == "6 demi-journées · 21 h"
    assert dialog.rows[4].weekday.text() == "lundi"
    # taking a row out numbers the others again
    click(qtbot, find(dialog, "Retirer la demi-journée 2", QPushButton))
    assert [r[0] for r in rows(dialog)] == ["10/12/2026", "11/12/2026", "11/12/2026",
                                            "14/12/2026", "14/12/2026"]
    assert find(dialog, "Date de la demi-journée 2", QLineEdit) is dialog.rows[1].date
    # the morning becomes an afternoon: its usual times follow; times typed by hand stay
    part = find(dialog, "Matin ou après-midi, demi-journée 1", QComboBox)
    part.setCurrentIndex(part.findText("Après-midi"))
    assert rows(dialog)[0] == ("10/12/2026", "Après-midi", "13:30", "17:00")
    dialog.rows[0].end.setTime(QTime(16, 0))
    assert find(dialog, "Durée de la demi-journée 1", QLabel).text() == "2 h 30"
    part.setCurrentIndex(part.findText("Matin"))
    assert rows(dialog)[0] == ("10/12/2026", "Matin", "13:30", "16:00")
    # an unreadable date is named with its row
    fill(find(dialog, "Date de la demi-journée 3", QLineEdit), "31/11/2026")
    click(qtbot, find(dialog, "Enregistrer", QPushButton))
    assert dialog.error_text("half_days") == (
        "Demi-journée 3 : Cette date n'existe pas : vérifiez le jour et le mois.")
    assert dialog.isVisible()


# --- the room ------------------------------------------------------------------------------------


def test_a_room_taken_is_refused_naming_the_booking_and_the_form_is_kept(qtbot, services, house,
                                                                         tasks, no_modal):
    services.bookings.create(BookingDraft(
        space_id=house["Sèvre"], start=at(DECEMBER_10, 14), end=at(DECEMBER_10, 16),
        title="Conseil d'administration SCIC", booker=Booker(organisation_id=house["Elan"]),
        attendees=10))
    dialog = open_dialog(qtbot, SessionDialog, services, tasks, workshop_id=house["École"],
                         day=DECEMBER_10)
    room = find(dialog, "Salle", QComboBox)
    room.setCurrentIndex(room.findData(house["Sèvre"]))
    assert find(dialog, "Places de la salle", QLabel).text() == (
        "14 places dans la salle ; l'atelier en prévoit 12.")
    click(qtbot, find(dialog, "Ajouter une journée entière", QPushButton))
    type_text(find(dialog, "Notes de la séance"), "Tables en îlots")
    before = rows(dialog)
    click(qtbot, find(dialog, "Enregistrer", QPushButton))
    assert dialog.isVisible()
    refusal = dialog.banner_text()
    assert "Conseil d'administration SCIC" in refusal
    assert rows(dialog) == before == [("10/12/2026", "Matin", "09:00", "12:30"),
                                      ("10/12/2026", "Après-midi", "13:30", "17:00")]
    assert room.currentData() == house["Sèvre"]
    assert find(dialog, "Notes de la séance").toPlainText() == "Tables en îlots"
    assert services.workshops.sessions(workshop_id=house["École"], start=DECEMBER_10) == ()
    # another room: booked
    room.setCurrentIndex(room.findData(house["Pilori"]))
    click(qtbot, find(dialog, "Enregistrer", QPushButton))
    assert dialog.result() == 1
    booked = sorted((b.start.astimezone(PARIS).strftime("%H:%M"), b.title, b.status)
                    for b in services.bookings.day(day=DECEMBER_10)
                    if b.space_id == house["Pilori"])
    assert booked == [("09:00", "Atelier : École de l'entrepreneur collectif",
                       BookingStatus.CONFIRMED),
                      ("13:30", "Atelier : École de l'entrepreneur collectif",
                       BookingStatus.CONFIRMED)]
    session = services.workshops.session(session_id=dialog.saved_id)
    assert (session.space_id, session.notes) == (house["Pilori"], "Tables en îlots")


def test_a_room_too_small_and_a_session_outside_the_house(qtbot, services, house, tasks,
                                                          no_modal):
    dialog = open_dialog(qtbot, SessionDialog, services, tasks, workshop_id=house["École"],
                         day=DECEMBER_11)
    room = find(dialog, "Salle", QComboBox)
    room.setCurrentIndex(room.findData(house["Marais"]))
    assert find(dialog, "Places de la salle", QLabel).text() == (
        "« Salle Marais » n'accueille que 6 personnes ; l'atelier en prévoit 12.")
    click(qtbot, find(dialog, "Enregistrer", QPushButton))
    assert "n'accueille que 6 personnes" in dialog.error_text("room")
    # outside the house: the place is asked for, nothing is booked
    room.setCurrentIndex(room.findText("Hors de la maison"))
    place = find(dialog, "Lieu", QLineEdit)
    assert place.isVisible()
    click(qtbot, find(dialog, "Enregistrer", QPushButton))
    assert dialog.error_text("place").startswith("Dites où l'atelier a lieu")
    type_text(place, "Le Camji, 3 rue de l'Ancien Musée, Niort")
    click(qtbot, find(dialog, "Enregistrer", QPushButton))
    assert dialog.result() == 1
    assert dialog.done_message == (
        "Séance de « École de l'entrepreneur collectif » enregistrée : vendredi 11 décembre "
        "2026 (1 demi-journée), Le Camji, 3 rue de l'Ancien Musée, Niort.")
    session = services.workshops.session(session_id=dialog.saved_id)
    assert (session.space_id, session.place) == (None, ("Le Camji, 3 rue de l'Ancien Musée, "
                                                       "Niort"))
    assert services.bookings.day(day=DECEMBER_11) == ()


def test_a_change_frees_the_half_day_removed(qtbot, services, house, tasks, no_modal):
    dialog = open_dialog(qtbot, SessionDialog, services, tasks, session_id=house["full"])
    assert rows(dialog) == [("03/12/2026", "Matin", "09:00", "12:30"),
                            ("03/12/2026", "Après-midi", "13:30", "17:00")]
    assert find(dialog, "Salle", QComboBox).currentData() == house["Sèvre"]
    click(qtbot, find(dialog, "Retirer la demi-journée 2", QPushButton))
    click(qtbot, find(dialog, "Enregistrer", QPushButton))
    assert dialog.result() == 1
    booked = [b.start.astimezone(PARIS).hour
              for b in services.bookings.day(day=dt.date(2026, 12, 3))]
    assert booked == [9]
    assert services.workshops.session(session_id=house["full"]).minutes == 210


# --- registering ---------------------------------------------------------------------------------


def test_an_outsider_needs_an_email_and_nobody_is_registered_twice(qtbot, services, house, tasks,
                                                                   no_modal):
    session = services.workshops.session(session_id=house["École 1"])
    dialog = open_dialog(qtbot, RegistrationDialog, services, tasks, session=session)
    assert plain(find(dialog, "Places de la séance", QLabel).text()) == (
        "3 inscrit·es sur 12 places · 9 places libres")
    click(qtbot, find(dialog, "Inscrire", QPushButton))  # nobody chosen
    assert dialog.error_text("person").startswith("Choisissez la personne dans la liste")
    find(dialog, "Une personne extérieure").setChecked(True)
    type_text(find(dialog, "Nom du participant", QLineEdit), "Lucie Bernard")
    click(qtbot, find(dialog, "Inscrire", QPushButton))
    assert dialog.error_text("email") == "Pour une personne extérieure, indiquez son adresse e-mail."
    type_text(find(dialog, "E-mail du participant", QLineEdit), "lucie.bernard@exemple.fr")
    click(qtbot, find(dialog, "Inscrire", QPushButton))
    assert dialog.result() == 1
    assert dialog.registration.status is RegistrationStatus.REGISTERED
    assert dialog.done_message == ("Lucie Bernard est inscrit·e à « École de l'entrepreneur "
                                   "collectif », lundi 7 et mardi 8 décembre 2026.")

    # Léa Moreau is already registered: said under the form
    again = open_dialog(qtbot, RegistrationDialog, services, tasks, session=session)
    with qtbot.waitSignal(again.picker.results_shown, timeout=5000):
        type_text(find(again, "Rechercher une personne", QLineEdit), "moreau")
    qtbot.waitUntil(lambda: tasks.idle)
    click(qtbot, find(again, "Inscrire", QPushButton))
    assert again.banner_text() == "Léa Moreau est déjà inscrit·e à cette séance."
    assert again.isVisible()


def test_a_session_that_is_full_says_the_waiting_list_before(qtbot, services, house, tasks,
                                                             no_modal):
    session = services.workshops.session(session_id=house["full"])
    dialog = open_dialog(qtbot, RegistrationDialog, services, tasks, session=session)
    assert plain(find(dialog, "Places de la séance", QLabel).text()) == (
        "4 inscrit·es sur 4 places · complet · 2 en liste d'attente. La personne sera inscrite "
        "en liste d'attente (n° 3) et prendra la première place libérée.")
    with qtbot.waitSignal(dialog.picker.results_shown, timeout=5000):
        type_text(find(dialog, "Rechercher une personne", QLineEdit), "garnier")
    qtbot.waitUntil(lambda: tasks.idle)
    click(qtbot, find(dialog, "Inscrire", QPushButton))
    assert dialog.registration.status is RegistrationStatus.WAITING
    assert dialog.registration.position == 3
    assert dialog.done_message == ("Noé Garnier est en liste d'attente de « Circuits courts : "
                                   "monter un groupement d'achat » (n° 3) : la séance est "
                                   "complète.")


def test_a_session_of_an_inactive_workshop_is_refused_under_the_form(qtbot, services, house,
                                                                     tasks, no_modal):
    dialog = open_dialog(qtbot, SessionDialog, services, tasks, workshop_id=house["Mona"],
                         day=DECEMBER_10)
    click(qtbot, find(dialog, "Enregistrer", QPushButton))
    assert dialog.banner_text().startswith("« Monnaie complémentaire : lancer la Mona » n'est "
                                           "plus proposé")
    assert dialog.isVisible()

