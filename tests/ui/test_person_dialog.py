"""A person's record as the front desk uses it: type the fields, press Enter, read the
messages next to the fields, answer the duplicate question, link the person to an
organisation and see the link from the organisation's side."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
)

from maison_app.domain.enums import AffiliationRole, LegalForm, Role
from maison_app.domain.members import MemberFilter, OrganisationDetail, PersonDetail
from maison_app.domain.permissions import MATRIX, Access, Area
from maison_app.services.context import Actor
from tests.ui.conftest import find, press, type_text


@pytest.fixture
def tasks():
    from maison_app.ui.tasks import TaskRunner

    runner = TaskRunner()
    yield runner
    runner.wait()


def open_person(qtbot, services, tasks, person_id=None):
    from maison_app.views.members.person_dialog import PersonDialog

    dialog = PersonDialog(services, tasks, person_id=person_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: tasks.idle)
    return dialog


def rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def retype(field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    press(field, Qt.Key.Key_Backspace)
    type_text(field, text)


def people_count(services) -> int:
    return services.members.count(filter=MemberFilter())


def test_create_a_person_by_typing_with_messages_next_to_the_fields(qtbot, services, tasks,
                                                                   no_modal):
    dialog = open_person(qtbot, services, tasks)
    tabs = find(dialog, "Onglets de la fiche", QTabWidget)
    assert dialog.windowTitle() == "Nouvelle personne"
    assert not tabs.isTabEnabled(1) and not tabs.isTabEnabled(2)  # only the Fiche, at first

    type_text(find(dialog, "Prénom", QLineEdit), "Hélène")
    type_text(find(dialog, "Nom", QLineEdit), "Lefèvre")
    email = find(dialog, "E-mail", QLineEdit)
    type_text(email, "helene.lefevre@exemple")
    phone = find(dialog, "Téléphone", QLineEdit)
    type_text(phone, "05 49 12")
    type_text(find(dialog, "Code postal", QLineEdit), "79000")
    type_text(find(dialog, "Ville", QLineEdit), "Niort")
    type_text(find(dialog, "Date de consentement", QLineEdit), "14/01/2026")
    type_text(find(dialog, "Notes", QPlainTextEdit), "Référente du collège « entreprises ».")

    # Enter in a field saves: the bad e-mail is named under its field, what was typed stays
    press(find(dialog, "Ville", QLineEdit), Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.errors.message("email") == (
        "Cette adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr).")
    assert email.text() == "helene.lefevre@exemple"
    assert find(dialog, "Nom", QLineEdit).text() == "Lefèvre"
    assert people_count(services) == 0

    retype(email, "helene.lefevre@exemple.fr")
    press(email, Qt.Key.Key_Return)
    assert dialog.errors.message("email") == ""
    assert "numéro de téléphone n'est pas valide" in dialog.errors.message("phone")
    assert phone.text() == "05 49 12"
    assert people_count(services) == 0

    # a date that does not exist, next to its field too
    consent = find(dialog, "Date de consentement", QLineEdit)
    retype(phone, "0549123456")
    retype(consent, "31/02/2026")
    press(phone, Qt.Key.Key_Return)
    assert "n'existe pas" in dialog.errors.message("consent_date")
    retype(consent, "14/01/2026")
    press(phone, Qt.Key.Key_Return)

    # saved: the dialog stays open on its other tabs, with the member code
    assert dialog.isVisible()
    assert dialog.saved_id is not None
    assert tabs.isTabEnabled(1) and tabs.isTabEnabled(2)
    stored = services.members.person(person_id=dialog.saved_id)
    assert (stored.first_name, stored.last_name, stored.email, stored.phone, stored.city) == (
        "Hélène", "Lefèvre", "helene.lefevre@exemple.fr", "05 49 12 34 56", "Niort")
    assert stored.consent_date == dt.date(2026, 1, 14)
    assert stored.notes == "Référente du collège « entreprises »."
    assert phone.text() == "05 49 12 34 56"  # as stored
    assert find(dialog, "Code adhérent", QLabel).text() == f"Code adhérent : {stored.member_code}"
    assert dialog.windowTitle() == "Hélène Lefèvre"
    assert "Fiche créée" in find(dialog, "Message", QLabel).text()

    # Escape closes without a question (nothing unsaved), and tells the caller it saved
    press(find(dialog, "Ville", QLineEdit), Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert no_modal.texts("confirm") == []


def test_escape_asks_before_dropping_unsaved_changes(qtbot, services, tasks, no_modal):
    pid = services.members.save_person(PersonDetail(first_name="Noël", last_name="Martin",
                                                    city="Chauray"))
    dialog = open_person(qtbot, services, tasks, pid)
    city = find(dialog, "Ville", QLineEdit)
    assert city.text() == "Chauray"
    type_text(city, "-sur-Sèvre")

    no_modal.answers.append(False)  # "Continuer la saisie"
    press(city, Qt.Key.Key_Escape)
    assert "ne sont pas enregistrées" in no_modal.texts("confirm")[-1]
    assert dialog.isVisible()
    assert city.text() == "Chauray-sur-Sèvre"

    no_modal.answers.append(True)  # "Abandonner les modifications"
    qtbot.mouseClick(find(dialog, "Fermer la fiche", QPushButton), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected  # nothing was saved
    assert services.members.person(person_id=pid).city == "Chauray"


def test_a_likely_duplicate_is_shown_and_created_only_when_asked(qtbot, services, tasks,
                                                                no_modal):
    elan = services.members.save_organisation(OrganisationDetail(name="Élan Coopératif Niortais"))
    first = services.members.save_person(PersonDetail(
        first_name="Hélène", last_name="Lefèvre", email="h.lefevre@elan.fr", city="Niort"))
    services.members.add_affiliation(person_id=first, organisation_id=elan,
                                     role=AffiliationRole.DIRIGEANT)
    dialog = open_person(qtbot, services, tasks)
    type_text(find(dialog, "Prénom", QLineEdit), "helene")
    type_text(find(dialog, "Nom", QLineEdit), "LEFEVRE")
    email = find(dialog, "E-mail", QLineEdit)
    type_text(email, "H.Lefevre@elan.fr")

    no_modal.answers.append(False)  # Annuler
    press(email, Qt.Key.Key_Return)
    question = no_modal.texts("confirm")[-1]
    assert "Une personne du même nom avec la même adresse e-mail existe déjà." in question
    assert ("Hélène Lefèvre — h.lefevre@elan.fr — Niort — Élan Coopératif Niortais"
            in question)
    assert question.endswith("Créer quand même ?")
    assert dialog.isVisible() and dialog.saved_id is None
    assert email.text() == "H.Lefevre@elan.fr"
    assert people_count(services) == 1

    no_modal.answers.append(True)  # Créer quand même
    press(email, Qt.Key.Key_Return)
    assert dialog.saved_id is not None and dialog.saved_id != first
    assert people_count(services) == 2


def test_link_to_an_organisation_and_see_it_from_the_other_side(qtbot, services, tasks,
                                                               no_modal, monkeypatch):
    m = services.members
    ress = m.save_organisation(OrganisationDetail(name="La Ressourcerie du Marais",
                                                  legal_form=LegalForm.ASSOCIATION))
    m.save_organisation(OrganisationDetail(name="Élan Coopératif Niortais"))
    pid = m.save_person(PersonDetail(first_name="Gaëlle", last_name="Ménard"))
    dialog = open_person(qtbot, services, tasks, pid)
    tabs = find(dialog, "Onglets de la fiche", QTabWidget)
    tabs.setCurrentIndex(1)
    assert tabs.tabText(1) == "Structures"
    links = find(dialog, "Structures de la personne", QTableView)
    assert rows(links) == []

    search = find(dialog, "Rechercher une structure", QLineEdit)
    search.setFocus()
    type_text(search, "ressou")
    found = find(dialog, "Structures trouvées", QListWidget)
    qtbot.waitUntil(lambda: found.count() == 1 and tasks.idle)
    assert found.item(0).text() == "La Ressourcerie du Marais"
    role = find(dialog, "Rôle", QComboBox)
    role.setCurrentIndex(role.findData(AffiliationRole.BENEVOLE))

    # an end before the start is refused next to the field
    type_text(find(dialog, "Rattachement depuis", QLineEdit), "01/09/2024")
    until = find(dialog, "Rattachement jusqu'au", QLineEdit)
    type_text(until, "01/01/2024")
    press(until, Qt.Key.Key_Return)  # Enter attaches, on this tab
    assert dialog.links.errors.message("until") == "La fin du rattachement précède son début."
    assert m.person(person_id=pid).affiliations == ()

    retype(until, "")
    qtbot.mouseClick(find(dialog, "Rattacher", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(rows(links)) == 1 and tasks.idle)
    assert rows(links) == [["La Ressourcerie du Marais", "Bénévole", "01/09/2024", ""]]

    # from the organisation's side, in its own record
    from maison_app.views.members.organisation_dialog import OrganisationDialog

    org = OrganisationDialog(services, tasks, organisation_id=ress)
    qtbot.addWidget(org)
    org.show()
    qtbot.waitUntil(lambda: tasks.idle)
    people = find(org, "Personnes de la structure", QTableView)
    qtbot.waitUntil(lambda: len(rows(people)) == 1)
    assert rows(people) == [["Gaëlle Ménard", "Bénévole", "01/09/2024", ""]]
    org.close()

    # removed after a confirmation
    links.selectRow(0)
    no_modal.answers.append(False)
    qtbot.mouseClick(find(dialog, "Retirer le rattachement", QPushButton),
                     Qt.MouseButton.LeftButton)
    question = no_modal.texts("confirm")[-1]
    assert "Gaëlle Ménard à La Ressourcerie du Marais (Bénévole)" in question
    assert len(m.person(person_id=pid).affiliations) == 1
    no_modal.answers.append(True)
    qtbot.mouseClick(find(dialog, "Retirer le rattachement", QPushButton),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: rows(links) == [] and tasks.idle)
    assert m.organisation(organisation_id=ress).affiliations == ()

    dialog.reject()
    assert dialog.result() == QDialog.DialogCode.Accepted  # a link was saved


def test_enter_right_after_typing_attaches_what_was_typed(qtbot, services, tasks, no_modal):
    m = services.members
    m.save_organisation(OrganisationDetail(name="Élan Coopératif Niortais"))  # first, A-Z
    m.save_organisation(OrganisationDetail(name="La Ressourcerie du Marais"))
    pid = m.save_person(PersonDetail(first_name="Gaëlle", last_name="Ménard"))
    dialog = open_person(qtbot, services, tasks, pid)
    find(dialog, "Onglets de la fiche", QTabWidget).setCurrentIndex(1)
    found = find(dialog, "Structures trouvées", QListWidget)
    assert found.count() == 2  # the organisations to pick from, before any typing
    search = find(dialog, "Rechercher une structure", QLineEdit)
    search.setFocus()
    type_text(search, "marais")
    press(search, Qt.Key.Key_Return)  # before the answer: attached when it comes
    links = find(dialog, "Structures de la personne", QTableView)
    qtbot.waitUntil(lambda: len(rows(links)) == 1 and tasks.idle)
    assert rows(links)[0][:2] == ["La Ressourcerie du Marais", "Salarié·e"]
    assert [a.organisation_name for a in m.person(person_id=pid).affiliations] == [
        "La Ressourcerie du Marais"]


def test_read_only_without_the_right_to_write_people(qtbot, services, tasks, monkeypatch):
    pid = services.members.save_person(PersonDetail(first_name="Zoé", last_name="Abadie"))
    monkeypatch.setitem(MATRIX[Role.ACCUEIL], Area.PEOPLE, Access.READ)
    reader = services.for_actor(Actor(login="lina", role=Role.ACCUEIL))
    dialog = open_person(qtbot, reader, tasks, pid)
    assert find(dialog, "Nom", QLineEdit).isReadOnly()
    assert find(dialog, "Notes", QPlainTextEdit).isReadOnly()
    assert find(dialog, "Enregistrer la fiche", QPushButton).isHidden()
    assert find(dialog, "Retirer le rattachement", QPushButton).isHidden()
    assert not find(dialog, "Rattacher", QPushButton).isVisibleTo(dialog)
    # reception reads memberships but does not record them
    assert find(dialog, "Nouvelle adhésion", QPushButton).isHidden()
    assert "Consultation seulement" in find(dialog, "Note sur les adhésions", QLabel).text()
