"""An organisation's record: legal form, SIRET checked by its key, NAF code, the
duplicate question on the same SIRET, and its people linked from its side."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QTabWidget,
)

from maison_app.domain.enums import AffiliationRole, LegalForm, MemberKind
from maison_app.domain.members import MemberFilter, OrganisationDetail, PersonDetail
from tests.ui.conftest import find, press, type_text

ELAN_SIRET = "73282932000074"  # a SIRET with a valid key


@pytest.fixture
def tasks():
    from maison_app.ui.tasks import TaskRunner

    runner = TaskRunner()
    yield runner
    runner.wait()


def open_organisation(qtbot, services, tasks, organisation_id=None):
    from maison_app.views.members.organisation_dialog import OrganisationDialog

    dialog = OrganisationDialog(services, tasks, organisation_id=organisation_id)
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


def organisations(services) -> int:
    return services.members.count(filter=MemberFilter(kind=MemberKind.ORGANISATION))


def test_create_an_organisation_with_messages_next_to_the_fields(qtbot, services, tasks,
                                                                 no_modal):
    dialog = open_organisation(qtbot, services, tasks)
    assert dialog.windowTitle() == "Nouvelle structure"
    name = find(dialog, "Nom de la structure", QLineEdit)
    type_text(name, "Élan Coopératif Niortais")
    legal = find(dialog, "Forme juridique", QComboBox)
    assert legal.currentText() == "— non précisée —"
    legal.setCurrentIndex(legal.findText("SCIC"))
    siret = find(dialog, "SIRET", QLineEdit)
    type_text(siret, "732 829 320 00075")  # one digit wrong: the key says so
    naf = find(dialog, "Code NAF", QLineEdit)
    type_text(naf, "88.99")
    find(dialog, "Agrément ESUS", QCheckBox).setChecked(True)
    email = find(dialog, "E-mail", QLineEdit)
    type_text(email, "contact@élan")
    phone = find(dialog, "Téléphone", QLineEdit)
    type_text(phone, "549 12 34 56")
    type_text(find(dialog, "Code postal", QLineEdit), "79000")
    type_text(find(dialog, "Ville", QLineEdit), "Niort")

    press(name, Qt.Key.Key_Return)
    assert dialog.errors.message("siret") == (
        "Ce SIRET n'est pas valide (clé de contrôle incorrecte) : vérifiez les chiffres.")
    assert siret.text() == "732 829 320 00075"
    assert organisations(services) == 0

    retype(siret, "732 829 320")
    press(siret, Qt.Key.Key_Return)
    assert dialog.errors.message("siret") == "Le SIRET doit compter 14 chiffres."

    retype(siret, "732 829 320 00074")
    press(siret, Qt.Key.Key_Return)
    assert dialog.errors.message("siret") == ""
    assert dialog.errors.message("naf_code").startswith("Le code NAF s'écrit 2 chiffres")
    assert naf.text() == "88.99"

    retype(naf, "8899b")
    press(naf, Qt.Key.Key_Return)
    assert "adresse e-mail n'est pas valide" in dialog.errors.message("email")
    assert email.text() == "contact@élan"

    retype(email, "contact@elan-niort.fr")
    press(email, Qt.Key.Key_Return)
    assert "téléphone n'est pas valide" in dialog.errors.message("phone")
    assert organisations(services) == 0

    retype(phone, "05 49 12 34 56")
    press(phone, Qt.Key.Key_Return)
    assert dialog.saved_id is not None
    stored = services.members.organisation(organisation_id=dialog.saved_id)
    assert (stored.name, stored.legal_form, stored.siret, stored.naf_code, stored.esus_agrement,
            stored.email, stored.city) == (
        "Élan Coopératif Niortais", LegalForm.SCIC, ELAN_SIRET, "88.99B", True,
        "contact@elan-niort.fr", "Niort")
    assert naf.text() == "88.99B"
    assert find(dialog, "Identification de la structure", QLabel).text() == (
        "SCIC · SIRET 732 829 320 00074")
    tabs = find(dialog, "Onglets de la fiche", QTabWidget)
    assert tabs.isTabEnabled(1) and tabs.tabText(1) == "Personnes"

    press(name, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_same_siret_asks_before_creating(qtbot, services, tasks, no_modal):
    services.members.save_organisation(OrganisationDetail(
        name="Élan Coopératif Niortais", siret=ELAN_SIRET, legal_form=LegalForm.SCIC,
        city="Niort"))
    dialog = open_organisation(qtbot, services, tasks)
    name = find(dialog, "Nom de la structure", QLineEdit)
    type_text(name, "ELAN coop")
    type_text(find(dialog, "SIRET", QLineEdit), "73282932000074")

    no_modal.answers.append(False)
    press(name, Qt.Key.Key_Return)
    question = no_modal.texts("confirm")[-1]
    assert "Une structure avec le même SIRET" in question
    assert "Élan Coopératif Niortais — SCIC — SIRET 73282932000074 — Niort" in question
    assert question.endswith("Créer quand même ?")
    assert organisations(services) == 1 and dialog.saved_id is None
    assert name.text() == "ELAN coop"

    no_modal.answers.append(True)
    press(name, Qt.Key.Key_Return)
    assert organisations(services) == 2


def test_people_linked_from_the_organisation_side(qtbot, services, tasks, no_modal):
    m = services.members
    org = m.save_organisation(OrganisationDetail(name="La Ressourcerie du Marais"))
    helene = m.save_person(PersonDetail(first_name="Hélène", last_name="Lefèvre",
                                        email="h.lefevre@exemple.fr"))
    dialog = open_organisation(qtbot, services, tasks, org)
    find(dialog, "Onglets de la fiche", QTabWidget).setCurrentIndex(1)
    people = find(dialog, "Personnes de la structure", QTableView)
    assert rows(people) == []

    search = find(dialog, "Rechercher une personne", QLineEdit)
    search.setFocus()
    type_text(search, "l")
    hint = find(dialog, "Aide de la recherche", QLabel)
    qtbot.waitUntil(lambda: "deux lettres" in hint.text())
    type_text(search, "efev")  # no accent typed: still found
    found = find(dialog, "Personnes trouvées", QListWidget)
    qtbot.waitUntil(lambda: found.count() == 1 and tasks.idle)
    assert found.item(0).text() == "Hélène Lefèvre — h.lefevre@exemple.fr"
    role = find(dialog, "Rôle", QComboBox)
    role.setCurrentIndex(role.findData(AffiliationRole.SALARIE))
    qtbot.mouseClick(find(dialog, "Rattacher", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(rows(people)) == 1 and tasks.idle)
    assert rows(people) == [["Hélène Lefèvre", "Salarié·e", "", ""]]

    # the person's side says the same
    links = m.person(person_id=helene).affiliations
    assert [(a.organisation_name, a.role) for a in links] == [
        ("La Ressourcerie du Marais", AffiliationRole.SALARIE)]

    # the same link twice is refused in words
    qtbot.mouseClick(find(dialog, "Rattacher", QPushButton), Qt.MouseButton.LeftButton)
    assert no_modal.texts("warn")[-1] == "Ce rattachement existe déjà."

    people.selectRow(0)
    no_modal.answers.append(True)
    qtbot.mouseClick(find(dialog, "Retirer le rattachement", QPushButton),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: rows(people) == [] and tasks.idle)
    assert m.person(person_id=helene).affiliations == ()
