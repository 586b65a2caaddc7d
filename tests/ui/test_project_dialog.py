"""The project dialog of the Hébergement screen, as the incubator manager uses it: a project
typed in (accents and all), its holders found and added, saved; a refused value named under
its field with what was typed kept and nothing written; the organisation chosen; the exit and
the jobs typed « 1,5 »; the follow-up meetings added, changed and deleted; Escape asking
before dropping what was typed."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QTextBrowser,
)

from maison_app.domain.enums import ProjectOutcome, ProjectStage, Role
from maison_app.domain.hosting import FollowUpRecord, Holder, ProjectRecord
from maison_app.services.context import Actor
from maison_app.ui.tasks import TaskRunner
from maison_app.views.hosting import project_dialog as dialog_view
from maison_app.views.hosting.project_dialog import ProjectDialog, fte_text, parse_fte
from tests.ui.conftest import find, press, type_text

D = dt.date  # the clock says Thursday 26 November 2026


@pytest.fixture
def desk(services):
    """The services as the incubator manager who logged in."""
    return services.for_actor(Actor(login="claire", role=Role.INCUBATION))


@pytest.fixture
def house(services):
    ids = {p.name: p.id for p in services.projects.programmes()}
    people = services.people
    ids["Hélène"] = people.create_person(first_name="Hélène", last_name="Lefèvre",
                                         email="helene@exemple.fr")
    ids["Noël"] = people.create_person(first_name="Noël", last_name="Ménard")
    ids["Brûlerie"] = people.create_organisation(name="Brûlerie Équitable")
    ids["Compost"] = people.create_organisation(name="Compost'Âge")
    return ids


@pytest.fixture
def tasks():
    runner = TaskRunner()
    yield runner
    runner.wait()


def open_dialog(qtbot, desk, tasks, project_id=None) -> ProjectDialog:
    dialog = ProjectDialog(desk, tasks, project_id=project_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: tasks.idle)
    return dialog


def click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.accessibleName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def holders(dialog) -> list[str]:
    widget = find(dialog, "Porteur·ses du projet", QListWidget)
    return [widget.item(i).text() for i in range(widget.count())]


def add_holder(qtbot, dialog, tasks, query: str) -> None:
    search = find(dialog, "Rechercher une personne", QLineEdit)
    search.setFocus()
    type_text(search, query)
    press(search, Qt.Key.Key_Return)  # adds the person found, once the search is back
    qtbot.waitUntil(lambda: tasks.idle and not search.text())


def rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def existing(services, house, name="Recyclerie du Marais", **kw) -> int:
    values = {"programme_id": house["Pépinière"], "entry_date": D(2025, 1, 6),
              "referent": "Claire Dupuis", "holders": (Holder(house["Noël"], "Noël Ménard"),)}
    values.update(kw)
    return services.projects.save_project(ProjectRecord(id=None, name=name, **values))


# --- a new project -------------------------------------------------------------------------------


def test_a_project_typed_in_with_its_holder_is_saved(qtbot, desk, house, tasks, no_modal):
    dialog = open_dialog(qtbot, desk, tasks)
    assert dialog.windowTitle() == "Nouveau projet"
    tabs = find(dialog, "Onglets du projet", QTabWidget)
    assert not tabs.isTabEnabled(1)  # « Suivi » opens once saved
    assert find(dialog, "Date d'entrée", QLineEdit).text() == "26/11/2026"
    assert find(dialog, "Durée maximale", QLabel).text() == (
        "Durée maximale : selon le programme choisi.")

    type_text(find(dialog, "Nom du projet", QLineEdit), "Ébénisterie Cœur d'Œuvre")
    choose(find(dialog, "Programme", QComboBox), "Pépinière")
    assert find(dialog, "Durée maximale", QLabel).text() == (
        "Durée maximale : 23 mois — jusqu'au 25 octobre 2028")
    choose(find(dialog, "Étape", QComboBox), "Amorçage")
    type_text(find(dialog, "Référent·e", QComboBox).lineEdit(), "Élodie Fèvre")
    entry = find(dialog, "Date d'entrée", QLineEdit)
    entry.clear()
    type_text(entry, "01/12/2026")
    assert find(dialog, "Durée maximale", QLabel).text() == (
        "Durée maximale : 23 mois — jusqu'au 31 octobre 2028")
    type_text(find(dialog, "Description", QPlainTextEdit), "Mobilier en bois de réemploi")
    add_holder(qtbot, dialog, tasks, "hélène")
    assert holders(dialog) == ["Hélène Lefèvre"]
    assert dialog.isVisible()  # Enter in the search added the person, it did not save

    click(qtbot, find(dialog, "Enregistrer le projet", QPushButton))
    assert dialog.isVisible()  # saved, and kept open for the follow-up
    [saved] = desk.projects.projects()
    assert (saved.name, saved.programme_name, saved.stage, saved.referent, saved.entry_date,
            saved.description) == ("Ébénisterie Cœur d'Œuvre", "Pépinière",
                                   ProjectStage.AMORCAGE, "Élodie Fèvre", D(2026, 12, 1),
                                   "Mobilier en bois de réemploi")
    assert saved.holders == (Holder(house["Hélène"], "Hélène Lefèvre"),)
    assert dialog.saved_id == saved.id
    assert dialog.windowTitle() == "Projet « Ébénisterie Cœur d'Œuvre »"
    assert tabs.isTabEnabled(1)
    assert find(dialog, "Message", QLabel).text().startswith("Projet créé.")
    assert find(dialog, "Résumé du projet", QLabel).text() == (
        "Pépinière · Amorçage · entré le 1 décembre 2026 · aucun rendez-vous de suivi")
    click(qtbot, find(dialog, "Fermer le projet", QPushButton))
    assert dialog.result() == ProjectDialog.DialogCode.Accepted
    assert no_modal == []


def test_a_refused_value_is_named_under_its_field_and_nothing_is_written(
        qtbot, desk, house, tasks, no_modal):
    dialog = open_dialog(qtbot, desk, tasks)
    save = find(dialog, "Enregistrer le projet", QPushButton)
    choose(find(dialog, "Programme", QComboBox), "Incubation")
    click(qtbot, save)
    assert dialog.errors.message("name") == "Le nom du projet est obligatoire."
    assert find(dialog, "Le nom du projet est obligatoire.", QLabel).isVisible()

    name = find(dialog, "Nom du projet", QLineEdit)
    type_text(name, "Épicerie solidaire")
    exit_day = find(dialog, "Date de sortie", QLineEdit)
    type_text(exit_day, "15/11/2026")
    entry = find(dialog, "Date d'entrée", QLineEdit)
    entry.clear()
    type_text(entry, "01/02/2026")
    exit_day.clear()
    type_text(exit_day, "31/01/2026")
    click(qtbot, save)
    assert dialog.errors.message("exit_date") == (
        "La date de sortie (31 janvier 2026) précède la date d'entrée (1 février 2026).")
    assert dialog.errors.message("name") == ""  # the previous error has gone
    assert exit_day.text() == "31/01/2026" and name.text() == "Épicerie solidaire"

    exit_day.clear()
    jobs = find(dialog, "Emplois créés", QLineEdit)
    type_text(jobs, "un et demi")
    click(qtbot, save)
    assert dialog.errors.message("jobs_fte_hundredths") == (
        "Nombre d'emplois illisible : écrivez-le en équivalents temps plein, par exemple 2 "
        "ou 1,5.")
    assert jobs.text() == "un et demi"

    jobs.clear()
    type_text(jobs, "1,5")
    click(qtbot, save)  # jobs are counted at the exit
    assert dialog.errors.message("jobs_fte_hundredths") == (
        "Les emplois créés se comptent à la sortie : indiquez d'abord la date de sortie.")

    assert desk.projects.projects(active_only=False) == ()  # nothing was written
    assert dialog.isVisible() and dialog.saved_id is None
    assert no_modal == []


def test_a_programme_must_be_chosen(qtbot, desk, house, tasks, no_modal):
    dialog = open_dialog(qtbot, desk, tasks)
    type_text(find(dialog, "Nom du projet", QLineEdit), "Atelier")
    click(qtbot, find(dialog, "Enregistrer le projet", QPushButton))
    assert dialog.errors.message("programme_id") == (
        "Choisissez le programme qui accompagne le projet.")
    assert desk.projects.projects() == ()


# --- an existing project -------------------------------------------------------------------------


def test_the_exit_the_outcome_and_the_jobs_typed_the_french_way(qtbot, desk, house, tasks,
                                                                no_modal):
    pid = existing(desk, house)
    dialog = open_dialog(qtbot, desk, tasks, pid)
    assert find(dialog, "Nom du projet", QLineEdit).text() == "Recyclerie du Marais"
    assert find(dialog, "Référent·e", QComboBox).currentText() == "Claire Dupuis"
    assert holders(dialog) == ["Noël Ménard"]
    stay = find(dialog, "Durée maximale", QLabel)
    assert stay.text() == ("Durée maximale : 23 mois — jusqu'au 5 décembre 2026 "
                           "(dans 9 jours)")
    type_text(find(dialog, "Date de sortie", QLineEdit), "20/11/2026")
    choose(find(dialog, "Issue du projet", QComboBox), "Entreprise créée")
    type_text(find(dialog, "Emplois créés", QLineEdit), "1,5")
    click(qtbot, find(dialog, "Enregistrer le projet", QPushButton))
    saved = desk.projects.project(project_id=pid)
    assert (saved.exit_date, saved.outcome, saved.jobs_fte_hundredths, saved.stage) == (
        D(2026, 11, 20), ProjectOutcome.COMPANY_CREATED, 150, ProjectStage.SORTIE)
    assert find(dialog, "Message", QLabel).text() == "Projet enregistré."
    assert find(dialog, "Emplois créés", QLineEdit).text() == "1,5"
    assert find(dialog, "Étape", QComboBox).currentText() == "Sortie"
    assert not dialog.is_dirty()
    assert no_modal == []


def test_a_holder_is_removed_and_an_organisation_chosen(qtbot, desk, house, tasks, no_modal,
                                                       monkeypatch):
    pid = existing(desk, house)
    dialog = open_dialog(qtbot, desk, tasks, pid)
    add_holder(qtbot, dialog, tasks, "lefevre")  # accents need not be typed
    assert holders(dialog) == ["Noël Ménard", "Hélène Lefèvre"]
    listed = find(dialog, "Porteur·ses du projet", QListWidget)
    listed.setCurrentRow(0)
    click(qtbot, find(dialog, "Retirer la personne", QPushButton))
    assert holders(dialog) == ["Hélène Lefèvre"]

    def pick(picker):
        picker.show()
        search = find(picker, "Rechercher une structure", QLineEdit)
        type_text(search, "brulerie")
        qtbot.waitUntil(lambda: tasks.idle and picker.search.chosen() is not None)
        click(qtbot, find(picker, "Choisir", QPushButton))
        return picker.result()

    monkeypatch.setattr(dialog_view.OrganisationPicker, "exec", pick)
    organisation = find(dialog, "Structure du projet", QLabel)
    assert organisation.text() == "— pas encore créée —"
    click(qtbot, find(dialog, "Choisir la structure", QPushButton))
    assert organisation.text() == "Brûlerie Équitable"
    click(qtbot, find(dialog, "Enregistrer le projet", QPushButton))
    saved = desk.projects.project(project_id=pid)
    assert saved.holders == (Holder(house["Hélène"], "Hélène Lefèvre"),)
    assert (saved.organisation_id, saved.organisation_name) == (house["Brûlerie"],
                                                                "Brûlerie Équitable")
    click(qtbot, find(dialog, "Retirer la structure", QPushButton))
    assert organisation.text() == "— pas encore créée —"
    click(qtbot, find(dialog, "Enregistrer le projet", QPushButton))
    assert desk.projects.project(project_id=pid).organisation_id is None
    assert no_modal == []


def test_escape_asks_before_dropping_what_was_typed(qtbot, desk, house, tasks, no_modal):
    pid = existing(desk, house)
    dialog = open_dialog(qtbot, desk, tasks, pid)
    press(dialog, Qt.Key.Key_Escape)  # nothing typed: closes at once
    assert not dialog.isVisible() and no_modal == []
    assert dialog.result() == ProjectDialog.DialogCode.Rejected

    dialog = open_dialog(qtbot, desk, tasks, pid)
    name = find(dialog, "Nom du projet", QLineEdit)
    name.selectAll()
    type_text(name, "Ressourcerie")
    no_modal.answers.append(False)  # « Continuer la saisie »
    press(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and name.text() == "Ressourcerie"
    assert no_modal.texts("confirm") == [
        "Les modifications du projet ne sont pas enregistrées. Les abandonner ?"]
    no_modal.answers.append(True)
    press(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert desk.projects.project(project_id=pid).name == "Recyclerie du Marais"


def test_referents_are_offered_from_the_projects_already_followed(qtbot, desk, house, tasks):
    existing(desk, house, "A", referent="Marc Roux")
    existing(desk, house, "B", referent="Claire Dupuis")
    dialog = open_dialog(qtbot, desk, tasks)
    referent = find(dialog, "Référent·e", QComboBox)
    assert [referent.itemText(i) for i in range(referent.count())] == ["Claire Dupuis",
                                                                       "Marc Roux"]
    assert referent.currentText() == ""  # a suggestion, not a choice made for the user


# --- follow-up meetings --------------------------------------------------------------------------


def test_follow_up_meetings_are_added_changed_and_deleted(qtbot, desk, house, tasks, no_modal,
                                                         monkeypatch):
    pid = existing(desk, house)
    desk.projects.save_follow_up(FollowUpRecord(id=None, project_id=pid, date=D(2026, 9, 15),
                                                topic="Recherche de local"))
    dialog = open_dialog(qtbot, desk, tasks, pid)
    tabs = find(dialog, "Onglets du projet", QTabWidget)
    tabs.setCurrentIndex(1)
    meetings = find(dialog, "Rendez-vous de suivi", QTableView)
    assert [r[:2] for r in rows(meetings)] == [["15/09/2026", "Recherche de local"]]
    seen = {}

    def fill(sub):
        sub.show()
        assert find(sub, "Date du rendez-vous", QLineEdit).text() == "26/11/2026"  # today
        click(qtbot, find(sub, "Ajouter le rendez-vous", QPushButton))
        seen["empty"] = sub.errors.message("topic")
        type_text(find(sub, "Sujet", QLineEdit), "Prévisionnel à réviser")
        type_text(find(sub, "Notes du rendez-vous", QPlainTextEdit), "CA prévu : 48 000 €")
        type_text(find(sub, "Prochaines étapes", QPlainTextEdit), "Envoyer à France Active")
        click(qtbot, find(sub, "Ajouter le rendez-vous", QPushButton))
        return sub.result()

    monkeypatch.setattr(dialog_view.FollowUpDialog, "exec", fill)
    click(qtbot, find(dialog, "Nouveau rendez-vous", QPushButton))
    assert seen == {"empty": "Indiquez le sujet du rendez-vous."}
    qtbot.waitUntil(lambda: tasks.idle and len(rows(meetings)) == 2)
    assert rows(meetings) == [
        ["26/11/2026", "Prévisionnel à réviser", "CA prévu : 48 000 €",
         "Envoyer à France Active"],
        ["15/09/2026", "Recherche de local", "", ""]]
    assert dialog.follow_ups.selected().topic == "Prévisionnel à réviser"
    detail = find(dialog, "Détail du rendez-vous", QTextBrowser).toPlainText()
    assert "CA prévu : 48 000 €" in detail and "noté par claire" in detail
    assert find(dialog, "Résumé du projet", QLabel).text().endswith(
        "dernier suivi le 26 novembre 2026")

    def change(sub):
        sub.show()
        topic = find(sub, "Sujet", QLineEdit)
        topic.selectAll()
        type_text(topic, "Prévisionnel révisé")
        click(qtbot, find(sub, "Enregistrer", QPushButton))
        return sub.result()

    monkeypatch.setattr(dialog_view.FollowUpDialog, "exec", change)
    meetings.setFocus()
    press(meetings, Qt.Key.Key_Return)  # Enter opens the selected meeting
    qtbot.waitUntil(lambda: tasks.idle and rows(meetings)[0][1] == "Prévisionnel révisé")

    no_modal.answers.append(False)
    click(qtbot, find(dialog, "Supprimer le rendez-vous", QPushButton))
    assert len(desk.projects.follow_ups(project_id=pid)) == 2
    no_modal.answers.append(True)
    click(qtbot, find(dialog, "Supprimer le rendez-vous", QPushButton))
    qtbot.waitUntil(lambda: tasks.idle and len(rows(meetings)) == 1)
    assert no_modal.texts("confirm")[-1] == (
        "Supprimer le rendez-vous du 26 novembre 2026 « Prévisionnel révisé » ?\n\n"
        "Ses notes et ses prochaines étapes sont perdues.")
    assert [f.topic for f in desk.projects.follow_ups(project_id=pid)] == [
        "Recherche de local"]
    click(qtbot, find(dialog, "Fermer le projet", QPushButton))
    assert dialog.result() == ProjectDialog.DialogCode.Accepted  # something was written


# --- jobs typed the French way -------------------------------------------------------------------


@pytest.mark.parametrize(("text", "hundredths"), [
    ("1,5", 150), ("2", 200), ("0,25", 25), (" 3 ", 300), ("1.5", 150), ("2 ETP", 200),
    ("", None)])
def test_jobs_are_read_in_hundredths_of_a_full_time_equivalent(text, hundredths):
    assert parse_fte(text, field="jobs") == hundredths
    if hundredths is not None:
        assert parse_fte(fte_text(hundredths), field="jobs") == hundredths


def test_jobs_text_is_what_one_types():
    assert [fte_text(n) for n in (150, 200, 25, None)] == ["1,5", "2", "0,25", ""]
