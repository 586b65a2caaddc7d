"""The assignment dialog: give a desk or an office (holder searched or dropped, dates typed,
seats of an office), the service's refusals shown in the dialog with what was typed kept;
and an assignment managed: extend, end, move, delete after a confirmation."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSpinBox,
)

from maison_app.domain.enums import Role, SpaceKind
from maison_app.domain.spaces import SpaceRecord
from maison_app.services.context import Actor
from maison_app.ui.common import DateInput
from maison_app.views.spaces.assignment_dialog import AssignmentDialog
from tests.ui.conftest import find, type_text

D = dt.date  # the clock says Thursday 26 November 2026


def new_space(services, name: str, kind: SpaceKind, *, floor: int = 0, capacity: int = 1,
              parent: int | None = None) -> int:
    return services.spaces.save_space(SpaceRecord(id=None, kind=kind, name=name, floor=floor,
                                                  capacity=capacity, parent_id=parent))


@pytest.fixture
def house(services):
    """An open space with two desks, an office of 3 upstairs, three organisations."""
    ids = {name: services.people.create_organisation(name=name) for name in (
        "Graines de Cœur", "Récup'Sèvre Ressourcerie", "Élan Numérique")}
    ids["open"] = new_space(services, "Espace partagé", SpaceKind.OPEN_SPACE, capacity=8)
    ids["a1"] = new_space(services, "Poste A1", SpaceKind.DESK, parent=ids["open"])
    ids["a2"] = new_space(services, "Poste A2", SpaceKind.DESK, parent=ids["open"])
    ids["b12"] = new_space(services, "Bureau 12", SpaceKind.OFFICE, floor=1, capacity=3)
    return ids


@pytest.fixture
def tasks():
    from maison_app.ui.tasks import TaskRunner

    runner = TaskRunner()
    yield runner
    runner.wait()


@pytest.fixture
def open_dialog(qtbot, services, tasks):
    def open_(**kwargs) -> AssignmentDialog:
        dialog = AssignmentDialog(services, tasks, **kwargs)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        if dialog.findChildren(QListView):  # the holder picker's first list
            qtbot.waitUntil(lambda: tasks.idle)
        return dialog
    return open_


def set_date(qtbot, dialog, name: str, text: str) -> None:
    field = find(dialog, name, DateInput)
    assert field.isEnabled(), f"{name} is disabled"
    field.clear()
    qtbot.keyClicks(field, text)


def click(qtbot, dialog, name: str) -> None:
    button = find(dialog, name, QPushButton)
    assert button.isEnabled(), f"{name} is disabled"
    assert button.isVisible(), f"{name} is hidden"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose_holder(qtbot, dialog, tasks, query: str) -> list[str]:
    search = find(dialog, "Rechercher une structure", QLineEdit)
    with qtbot.waitSignal(dialog.picker.results_shown, timeout=5000):
        type_text(search, query)
    qtbot.waitUntil(lambda: tasks.idle)
    return [h.name for h in dialog.picker.model.holders()]


def history(services, space_id: int):
    return services.spaces.history(space_id=space_id)


# --- create ----------------------------------------------------------------------------------


def test_a_desk_given_to_a_holder_found_by_search(qtbot, open_dialog, services, tasks, house):
    dialog = open_dialog(space_id=house["a1"])
    assert dialog.windowTitle() == "Attribuer « Poste A1 »"
    assert "Poste de travail" in dialog.header.summary.text()
    assert "dans « Espace partagé »" in dialog.header.summary.text()
    assert find(dialog, "État de l'espace", QLabel).text() == "Libre le 26 novembre 2026."
    assert not [w for w in dialog.findChildren(QSpinBox)
                if w.accessibleName() == "Places occupées"]  # a desk seats one

    assert choose_holder(qtbot, dialog, tasks, "graines coeur") == ["Graines de Cœur"]
    assert dialog.picker.chosen().name == "Graines de Cœur"  # the only match is chosen
    set_date(qtbot, dialog, "Date de début", "01/12/2026")
    find(dialog, "Sans date de fin", QCheckBox).setChecked(False)
    assert find(dialog, "Date de fin", DateInput).text() == "30/11/2027"  # a year, proposed
    set_date(qtbot, dialog, "Date de fin", "31/5/2027")
    type_text(find(dialog, "Notes de l'attribution", QLineEdit), "Convention signée")
    click(qtbot, dialog, "Attribuer")

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.outcome == "assigned"
    [a] = history(services, house["a1"])
    assert (a.holder, a.start, a.end, a.seats, a.notes) == (
        "Graines de Cœur", D(2026, 12, 1), D(2027, 5, 31), 1, "Convention signée")
    assert dialog.assignment_id == a.id
    assert dialog.done_message == ("« Poste A1 » attribué à Graines de Cœur du "
                                   "1 décembre 2026 au 31 mai 2027.")


def test_an_office_given_from_a_drop_with_its_seats(qtbot, open_dialog, services, house):
    dialog = open_dialog(space_id=house["b12"], organisation_id=house["Élan Numérique"],
                         start=D(2027, 1, 4))
    assert find(dialog, "Structure à installer", QLabel).text() == "Élan Numérique"
    assert not dialog.findChildren(QListView)  # the holder is fixed: no search
    assert find(dialog, "Date de début", DateInput).text() == "04/01/2027"
    seats = find(dialog, "Places occupées", QSpinBox)
    assert (seats.minimum(), seats.maximum(), seats.value()) == (1, 3, 3)  # all free
    seats.setFocus()
    seats.selectAll()
    qtbot.keyClicks(seats, "2")
    click(qtbot, dialog, "Attribuer")

    assert dialog.result() == QDialog.DialogCode.Accepted
    [a] = history(services, house["b12"])
    assert (a.holder, a.seats, a.start, a.end) == ("Élan Numérique", 2, D(2027, 1, 4), None)


def test_a_date_from_the_calendar(qtbot, open_dialog, house):
    dialog = open_dialog(space_id=house["a1"], organisation_id=house["Élan Numérique"])
    start = find(dialog, "Date de début", DateInput)
    start.show_calendar()
    assert start.popup.isVisible()
    start.calendar.clicked.emit(QDate(2026, 12, 7))
    assert start.text() == "07/12/2026"
    assert not start.popup.isVisible()
    qtbot.keyClick(start, Qt.Key.Key_Up)  # a day later
    assert start.text() == "08/12/2026"


def test_a_taken_desk_is_refused_naming_its_holder_and_nothing_is_written(
        qtbot, open_dialog, services, house):
    services.spaces.assign(space_id=house["a1"], organisation_id=house["Graines de Cœur"],
                           start=D(2026, 11, 1))
    dialog = open_dialog(space_id=house["a1"], organisation_id=house["Élan Numérique"])
    assert dialog.header.state.text().startswith("Occupé le 26 novembre 2026 par Graines de Cœur")
    set_date(qtbot, dialog, "Date de début", "15/01/2027")
    type_text(find(dialog, "Notes de l'attribution", QLineEdit), "à l'essai")
    click(qtbot, dialog, "Attribuer")

    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    refusal = find(dialog, "Message de l'attribution", QLabel)
    assert refusal.isVisible()
    assert refusal.text() == ("« Poste A1 » est déjà attribué à Graines de Cœur à partir du "
                              "1 novembre 2026.")
    assert [a.holder for a in history(services, house["a1"])] == ["Graines de Cœur"]
    # what was typed stays
    assert find(dialog, "Date de début", DateInput).text() == "15/01/2027"
    assert find(dialog, "Notes de l'attribution", QLineEdit).text() == "à l'essai"


def test_a_full_office_is_refused(qtbot, open_dialog, services, house):
    services.spaces.assign(space_id=house["b12"], organisation_id=house["Graines de Cœur"],
                           start=D(2026, 1, 1), seats=3)
    dialog = open_dialog(space_id=house["b12"], organisation_id=house["Élan Numérique"])
    assert dialog.header.state.text().startswith("Complet le 26 novembre 2026 : Graines de Cœur")
    click(qtbot, dialog, "Attribuer")
    assert dialog.refusal() == ("« Bureau 12 » accueille 3 personnes au plus : le "
                                "26 novembre 2026, 3 places y sont déjà prises.")
    assert len(history(services, house["b12"])) == 1


def test_an_end_before_the_start_is_said_under_the_end(qtbot, open_dialog, services, house):
    dialog = open_dialog(space_id=house["a2"], organisation_id=house["Élan Numérique"])
    set_date(qtbot, dialog, "Date de début", "01/12/2026")
    find(dialog, "Sans date de fin", QCheckBox).setChecked(False)
    set_date(qtbot, dialog, "Date de fin", "30/11/2026")
    click(qtbot, dialog, "Attribuer")
    assert dialog.errors.message("end") == "La date de fin précède la date de début."
    assert dialog.refusal() == ""
    assert history(services, house["a2"]) == ()
    assert find(dialog, "Date de fin", DateInput).text() == "30/11/2026"

    set_date(qtbot, dialog, "Date de début", "31/11/2026")  # no such day
    click(qtbot, dialog, "Attribuer")
    assert dialog.errors.message("start") == ("Cette date n'existe pas : vérifiez le jour et "
                                              "le mois.")
    assert dialog.errors.message("end") == ""


def test_a_holder_must_be_chosen(qtbot, open_dialog, services, house):
    dialog = open_dialog(space_id=house["a2"])
    click(qtbot, dialog, "Attribuer")
    assert dialog.errors.message("holder") == ("Choisissez la structure (ou la personne) à "
                                               "installer.")
    assert history(services, house["a2"]) == ()


def test_enter_in_the_search_searches_and_does_not_assign(qtbot, open_dialog, services, tasks,
                                                         house):
    dialog = open_dialog(space_id=house["a2"])
    search = find(dialog, "Rechercher une structure", QLineEdit)
    type_text(search, "recup")
    with qtbot.waitSignal(dialog.picker.results_shown, timeout=5000):
        qtbot.keyClick(search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tasks.idle)
    assert dialog.isVisible()
    assert history(services, house["a2"]) == ()
    assert dialog.picker.chosen().name == "Récup'Sèvre Ressourcerie"
    qtbot.keyClick(dialog.picker.view, Qt.Key.Key_Return)  # Enter on the holder: assign
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [a.holder for a in history(services, house["a2"])] == ["Récup'Sèvre Ressourcerie"]


# --- manage ----------------------------------------------------------------------------------


@pytest.fixture
def held(services, house):
    """Graines de Cœur on desk A1 for 2026."""
    return services.spaces.assign(space_id=house["a1"], organisation_id=house["Graines de Cœur"],
                                  start=D(2026, 1, 1), end=D(2026, 12, 31))


def test_manage_shows_the_assignment(qtbot, open_dialog, house, held):
    dialog = open_dialog(space_id=house["a1"], assignment_id=held)
    assert dialog.windowTitle() == "Attribution de « Poste A1 »"
    assert find(dialog, "Titulaire", QLabel).text() == "Graines de Cœur"
    assert find(dialog, "Période", QLabel).text() == "du 1 janvier 2026 au 31 décembre 2026"
    assert find(dialog, "Statut", QLabel).text() == "En cours"
    assert dialog.current_page() == "overview"
    assert not find(dialog, "Retour", QPushButton).isVisible()


def test_extend(qtbot, open_dialog, services, house, held):
    dialog = open_dialog(space_id=house["a1"], assignment_id=held)
    click(qtbot, dialog, "Modifier les dates…")
    assert dialog.current_page() == "dates"
    assert find(dialog, "Date de début", DateInput).text() == "01/01/2026"
    assert find(dialog, "Date de fin", DateInput).text() == "31/12/2026"
    set_date(qtbot, dialog, "Date de fin", "30/06/2027")
    click(qtbot, dialog, "Enregistrer les dates")
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.outcome == "updated"
    [a] = history(services, house["a1"])
    assert (a.start, a.end) == (D(2026, 1, 1), D(2027, 6, 30))


def test_extend_until_further_notice(qtbot, open_dialog, services, house, held):
    dialog = open_dialog(space_id=house["a1"], assignment_id=held)
    click(qtbot, dialog, "Modifier les dates…")
    find(dialog, "Sans date de fin", QCheckBox).setChecked(True)
    click(qtbot, dialog, "Enregistrer les dates")
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert history(services, house["a1"])[0].end is None


def test_extend_into_the_next_holder_is_refused(qtbot, open_dialog, services, house, held):
    services.spaces.assign(space_id=house["a1"], organisation_id=house["Élan Numérique"],
                           start=D(2027, 1, 1))
    dialog = open_dialog(space_id=house["a1"], assignment_id=held)
    click(qtbot, dialog, "Modifier les dates…")
    set_date(qtbot, dialog, "Date de fin", "31/03/2027")
    click(qtbot, dialog, "Enregistrer les dates")
    assert dialog.isVisible()
    assert dialog.refusal() == ("« Poste A1 » est déjà attribué à Élan Numérique à partir du "
                                "1 janvier 2027.")
    assert dialog.current_page() == "dates"  # still there, with what was typed
    assert find(dialog, "Date de fin", DateInput).text() == "31/03/2027"
    assert history(services, house["a1"])[-1].end == D(2026, 12, 31)


def test_end(qtbot, open_dialog, services, house, held):
    dialog = open_dialog(space_id=house["a1"], assignment_id=held)
    click(qtbot, dialog, "Terminer…")
    assert find(dialog, "Dernier jour", DateInput).text() == "26/11/2026"  # today
    set_date(qtbot, dialog, "Dernier jour", "15/12/2026")
    click(qtbot, dialog, "Terminer l'attribution")
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.outcome == "ended"
    assert history(services, house["a1"])[0].end == D(2026, 12, 15)
    assert dialog.done_message == ("Graines de Cœur quitte « Poste A1 » le 15 décembre 2026 "
                                   "au soir.")


def test_end_before_the_start_is_said_under_the_field(qtbot, open_dialog, services, house,
                                                      held):
    dialog = open_dialog(space_id=house["a1"], assignment_id=held)
    click(qtbot, dialog, "Terminer…")
    set_date(qtbot, dialog, "Dernier jour", "15/12/2025")
    click(qtbot, dialog, "Terminer l'attribution")
    assert dialog.isVisible()
    assert dialog.page_errors["end"].message("end") == (
        "La fin ne peut pas précéder le début (1 janvier 2026).")
    assert history(services, house["a1"])[0].end == D(2026, 12, 31)


def test_move(qtbot, open_dialog, services, house, held):
    dialog = open_dialog(space_id=house["a1"], assignment_id=held)
    click(qtbot, dialog, "Déménager…")
    target = find(dialog, "Nouvel espace", QComboBox)
    labels = [target.itemText(i) for i in range(target.count())]
    assert labels == ["Poste A2 — Rez-de-chaussée", "Bureau 12 — 1er étage, 3 places"]
    target.setCurrentIndex(target.findData(house["a2"]))
    set_date(qtbot, dialog, "Date du déménagement", "01/12/2026")
    click(qtbot, dialog, "Confirmer le déménagement")

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.outcome == "moved"
    [old] = history(services, house["a1"])
    [new] = history(services, house["a2"])
    assert (old.start, old.end) == (D(2026, 1, 1), D(2026, 11, 30))
    assert (new.holder, new.start, new.end) == ("Graines de Cœur", D(2026, 12, 1),
                                                D(2026, 12, 31))
    assert dialog.assignment_id == new.id
    assert dialog.done_message == ("Graines de Cœur s'installe dans « Poste A2 » à partir du "
                                   "1 décembre 2026.")


def test_move_needs_a_place_and_a_free_one(qtbot, open_dialog, services, house, held):
    services.spaces.assign(space_id=house["a2"], organisation_id=house["Élan Numérique"],
                           start=D(2026, 6, 1))
    dialog = open_dialog(space_id=house["a1"], assignment_id=held)
    click(qtbot, dialog, "Déménager…")
    click(qtbot, dialog, "Confirmer le déménagement")
    assert dialog.page_errors["move"].message("space") == (
        "Choisissez le bureau ou le poste où la structure s'installe.")
    target = find(dialog, "Nouvel espace", QComboBox)
    target.setCurrentIndex(target.findData(house["a2"]))
    click(qtbot, dialog, "Confirmer le déménagement")
    assert dialog.refusal() == ("« Poste A2 » est déjà attribué à Élan Numérique à partir du "
                                "1 juin 2026.")
    assert len(history(services, house["a1"])) == 1
    assert history(services, house["a1"])[0].end == D(2026, 12, 31)


def test_delete_after_a_confirmation(qtbot, open_dialog, services, house, held, no_modal):
    dialog = open_dialog(space_id=house["a1"], assignment_id=held)
    no_modal.answers.append(False)
    click(qtbot, dialog, "Supprimer l'attribution")
    [question] = no_modal.texts("confirm")
    assert question.startswith("Supprimer l'attribution de « Poste A1 » à Graines de Cœur "
                               "(du 1 janvier 2026 au 31 décembre 2026) ?")
    assert "Terminer…" in question  # a departure is ended, not deleted
    assert dialog.isVisible() and len(history(services, house["a1"])) == 1

    no_modal.answers.append(True)
    click(qtbot, dialog, "Supprimer l'attribution")
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.outcome == "deleted" and dialog.assignment_id is None
    assert history(services, house["a1"]) == ()


def test_escape_comes_back_then_closes(qtbot, open_dialog, services, house, held):
    dialog = open_dialog(space_id=house["a1"], assignment_id=held)
    click(qtbot, dialog, "Terminer…")
    set_date(qtbot, dialog, "Dernier jour", "01/12/2026")
    qtbot.keyClick(find(dialog, "Dernier jour", DateInput), Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.current_page() == "overview"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert history(services, house["a1"])[0].end == D(2026, 12, 31)  # nothing written


def test_enter_validates_the_page(qtbot, open_dialog, services, house, held):
    dialog = open_dialog(space_id=house["a1"], assignment_id=held)
    click(qtbot, dialog, "Terminer…")
    field = find(dialog, "Dernier jour", DateInput)
    set_date(qtbot, dialog, "Dernier jour", "10/12/2026")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert history(services, house["a1"])[0].end == D(2026, 12, 10)


def test_the_reception_only_reads(qtbot, services, tasks, house, held):
    reception = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    dialog = AssignmentDialog(reception, tasks, space_id=house["a1"], assignment_id=held)
    qtbot.addWidget(dialog)
    for name in ("Modifier les dates…", "Terminer…", "Déménager…", "Supprimer l'attribution"):
        assert not find(dialog, name, QPushButton).isEnabled()
    assert find(dialog, "Historique de l'espace", QPushButton).isEnabled()
    create = AssignmentDialog(reception, tasks, space_id=house["a2"],
                              organisation_id=house["Élan Numérique"])
    qtbot.addWidget(create)
    assert not find(create, "Attribuer", QPushButton).isEnabled()
    assert create.refusal().startswith("Consultation seule")
