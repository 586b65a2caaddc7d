"""The « Projets » tab of the Hébergement screen, as the incubator manager uses it: the
alerts on top (stay limit near or past, no follow-up for 60 days) opening their project; the
list with its tinted rows; the filters; a project created by typing; a follow-up meeting that
clears its alert; the deletion after a confirmation, refused when an agreement names the
project; the request for a new agreement. The accueil has no access to the projects: the
screen does not build the tab for that role."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QTabWidget,
)

from maison_app.domain.enums import Role
from maison_app.domain.errors import PermissionDenied
from maison_app.domain.hosting import FollowUpRecord, Holder, ProjectRecord
from maison_app.services.context import Actor
from maison_app.ui.tasks import TaskRunner
from maison_app.views.hosting import project_dialog as dialog_view
from maison_app.views.hosting import projects_tab as tab_view
from tests.ui.conftest import find, press, type_text

D = dt.date  # the clock says Thursday 26 November 2026

HEADERS = ["Projet", "Porteur·ses", "Programme", "Étape", "Référent·e", "Entrée",
           "Fin de parcours max", "Dernier suivi", "Structure"]


@pytest.fixture
def desk(services):
    """The services as the incubator manager who logged in."""
    return services.for_actor(Actor(login="claire", role=Role.INCUBATION))


@pytest.fixture
def house(services):
    """Five projects: one near the end of its stay, one past it, one without follow-up for
    months, one quiet, one already out."""
    ids = {p.name: p.id for p in services.projects.programmes()}
    people = services.people
    helene = people.create_person(first_name="Hélène", last_name="Lefèvre")
    noel = people.create_person(first_name="Noël", last_name="Ménard")
    zoe = people.create_person(first_name="Zoé", last_name="Aubry")
    ids["Hélène"] = helene
    ids["Brûlerie"] = people.create_organisation(name="Brûlerie Équitable")

    def project(name, programme, entry, holders=(), last=None, **kw) -> int:
        pid = services.projects.save_project(ProjectRecord(
            id=None, name=name, programme_id=ids[programme], entry_date=entry,
            referent="Claire Dupuis", holders=tuple(Holder(p, n) for p, n in holders), **kw))
        if last is not None:
            services.projects.save_follow_up(FollowUpRecord(id=None, project_id=pid, date=last,
                                                            topic="Point d'étape"))
        ids[name] = pid
        return pid

    # Pépinière, 23 months: ends on 5 December 2026 (in 9 days)
    project("Recyclerie du Marais", "Pépinière", D(2025, 1, 6), [(noel, "Noël Ménard")],
            last=D(2026, 11, 10), organisation_id=ids["Brûlerie"])
    # ended on 2 May 2026
    project("Torréfaction", "Pépinière", D(2024, 6, 3), [(zoe, "Zoé Aubry")],
            last=D(2026, 11, 2))
    # Incubation, 12 months: no meeting since July
    project("Épicerie solidaire", "Incubation", D(2026, 2, 2), [(helene, "Hélène Lefèvre")],
            last=D(2026, 7, 1))
    project("Coop'Vélo", "Hôtel d'entreprises", D(2026, 6, 1), last=D(2026, 11, 2))
    project("Tiers-lieu Sèvre", "Pépinière", D(2024, 3, 1), exit_date=D(2026, 1, 31))
    return ids


def open_tab(qtbot, services):
    tasks = TaskRunner()
    widget = tab_view.ProjectsTab(services, tasks)
    qtbot.addWidget(widget)
    widget.resize(1280, 640)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: tasks.idle and widget.model.rowCount() > 0)
    return widget, tasks


@pytest.fixture
def tab(qtbot, desk, house):
    widget, tasks = open_tab(qtbot, desk)
    yield widget
    tasks.wait()


def rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def names(tab) -> list[str]:
    return [r[0] for r in rows(find(tab, "Projets", QTableView))]


def row_of(tab, name: str) -> list[str]:
    return next(r for r in rows(find(tab, "Projets", QTableView)) if r[0] == name)


def tint(tab, name: str):
    view = find(tab, "Projets", QTableView)
    row = names(tab).index(name)
    brush = view.model().index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
    return brush.color() if brush is not None else None


def alerts(tab) -> list[str]:
    widget = find(tab, "Alertes des projets", QListWidget)
    return [widget.item(i).text() for i in range(widget.count())]


def click_alert(qtbot, tab, project: str) -> None:
    lines = find(tab, "Alertes des projets", QListWidget)
    row = next(i for i, text in enumerate(alerts(tab)) if text.startswith(project))
    rect = lines.visualItemRect(lines.item(row))
    qtbot.mouseClick(lines.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.accessibleName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def wait_refreshed(qtbot, tab) -> None:
    qtbot.waitUntil(lambda: tab.tasks.idle and tab._select_id is None)


def banner(tab) -> str:
    label = find(tab, "Message des projets", QLabel)
    return label.text() if label.isVisible() else ""


# --- the list and the alerts ---------------------------------------------------------------------


def test_the_list_and_what_needs_attention(qtbot, tab, house):
    view = find(tab, "Projets", QTableView)
    model = view.model()
    assert [model.headerData(c, Qt.Orientation.Horizontal)
            for c in range(model.columnCount())] == HEADERS
    # by name, accents ignored; the project already out is not listed
    assert names(tab) == ["Coop'Vélo", "Épicerie solidaire", "Recyclerie du Marais",
                          "Torréfaction"]
    assert row_of(tab, "Recyclerie du Marais") == [
        "Recyclerie du Marais", "Noël Ménard", "Pépinière", "Idée", "Claire Dupuis",
        "06/01/2025", "05/12/2026", "10/11/2026", "Brûlerie Équitable"]
    assert find(tab, "Nombre de projets", QLabel).text() == "4 projets"

    assert find(tab, "Alertes des projets", QListWidget).isVisible()
    assert find(tab, "Titre des alertes", QLabel).text() == "À surveiller : 3 alertes"
    assert alerts(tab) == [
        # the stays first, then the follow-ups
        ("Torréfaction : la durée maximale en Pépinière (23 mois) est dépassée depuis le "
         "3 mai 2026"),
        ("Recyclerie du Marais : la durée maximale en Pépinière (23 mois) se termine le "
         "5 décembre 2026"),
        "Épicerie solidaire : aucun rendez-vous de suivi depuis le 1 juillet 2026"]
    # the rows with an alert are tinted, each its way; the others are not
    assert tint(tab, "Torréfaction") == QColor(tab_view.PAST_TINT)
    assert tint(tab, "Recyclerie du Marais") == QColor(tab_view.NEAR_TINT)
    assert tint(tab, "Épicerie solidaire") == QColor(tab_view.FOLLOW_UP_TINT)
    assert tint(tab, "Coop'Vélo") is None
    row = names(tab).index("Épicerie solidaire")
    assert model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole) == (
        "Épicerie solidaire : aucun rendez-vous de suivi depuis le 1 juillet 2026")
    # nothing selected: only the creation
    assert find(tab, "Nouveau projet…", QPushButton).isEnabled()
    for name in ("Ouvrir le projet", "Convention d'hébergement…", "Supprimer le projet"):
        assert not find(tab, name, QPushButton).isEnabled()


def test_without_alerts_the_panel_is_hidden(qtbot, desk):
    tasks = TaskRunner()
    widget = tab_view.ProjectsTab(desk, tasks)
    qtbot.addWidget(widget)
    widget.show()
    with qtbot.waitSignal(widget.projects_loaded):
        pass
    qtbot.waitUntil(lambda: tasks.idle)
    assert not find(widget, "Alertes des projets", QListWidget).isVisible()
    assert find(widget, "Aucun projet", QLabel).text() == (
        "Aucun projet en cours. « Nouveau projet… » (Ctrl+N) enregistre le premier.")
    assert find(widget, "Nombre de projets", QLabel).text() == "0 projet"


def test_an_alert_line_opens_its_project(qtbot, tab, house, monkeypatch):
    opened = []

    def look(dialog):
        opened.append((dialog.project_id, dialog.windowTitle()))
        return dialog.result()

    monkeypatch.setattr(tab_view.ProjectDialog, "exec", look)
    click_alert(qtbot, tab, "Épicerie solidaire")
    assert opened == [(house["Épicerie solidaire"], "Projet « Épicerie solidaire »")]
    lines = find(tab, "Alertes des projets", QListWidget)
    lines.setFocus()
    lines.setCurrentRow(0)
    press(lines, Qt.Key.Key_Return)
    assert opened[-1] == (house["Torréfaction"], "Projet « Torréfaction »")


def test_a_follow_up_meeting_clears_the_follow_up_alert(qtbot, tab, desk, house, monkeypatch):
    def meeting(sub):
        sub.show()
        type_text(find(sub, "Sujet", QLineEdit), "Relance : étude de marché")
        click(qtbot, find(sub, "Ajouter le rendez-vous", QPushButton))
        return sub.result()

    def follow(dialog):
        dialog.show()
        find(dialog, "Onglets du projet", QTabWidget).setCurrentIndex(1)
        click(qtbot, find(dialog, "Nouveau rendez-vous", QPushButton))
        qtbot.waitUntil(lambda: tab.tasks.idle and len(dialog.follow_ups.records()) == 2)
        click(qtbot, find(dialog, "Fermer le projet", QPushButton))
        return dialog.result()

    monkeypatch.setattr(dialog_view.FollowUpDialog, "exec", meeting)
    monkeypatch.setattr(tab_view.ProjectDialog, "exec", follow)
    click_alert(qtbot, tab, "Épicerie solidaire")
    wait_refreshed(qtbot, tab)
    qtbot.waitUntil(lambda: len(alerts(tab)) == 2)
    assert not any(a.startswith("Épicerie solidaire") for a in alerts(tab))
    assert tint(tab, "Épicerie solidaire") is None
    assert row_of(tab, "Épicerie solidaire")[7] == "26/11/2026"
    assert tab.selected_project().name == "Épicerie solidaire"
    assert banner(tab) == "Projet « Épicerie solidaire » enregistré."


# --- a new project -------------------------------------------------------------------------------


def test_a_project_created_by_typing_appears_in_the_list(qtbot, tab, desk, house, no_modal,
                                                        monkeypatch):
    def create(dialog):
        dialog.show()
        type_text(find(dialog, "Nom du projet", QLineEdit), "Ébénisterie Cœur")
        choose(find(dialog, "Programme", QComboBox), "CAE")
        type_text(find(dialog, "Référent·e", QComboBox).lineEdit(), "Éloïse")
        search = find(dialog, "Rechercher une personne", QLineEdit)
        type_text(search, "zoé")
        press(search, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: tab.tasks.idle and not search.text())
        click(qtbot, find(dialog, "Enregistrer le projet", QPushButton))
        click(qtbot, find(dialog, "Fermer le projet", QPushButton))
        return dialog.result()

    monkeypatch.setattr(tab_view.ProjectDialog, "exec", create)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Ctrl+N
    wait_refreshed(qtbot, tab)
    qtbot.waitUntil(lambda: "Ébénisterie Cœur" in names(tab))
    assert names(tab)[1] == "Ébénisterie Cœur"  # É sorts with the E
    assert row_of(tab, "Ébénisterie Cœur")[:8] == [
        "Ébénisterie Cœur", "Zoé Aubry", "CAE", "Idée", "Éloïse", "26/11/2026", "sans limite",
        "aucun"]
    assert tab.selected_project().name == "Ébénisterie Cœur"
    assert banner(tab) == "Projet « Ébénisterie Cœur » créé."
    assert no_modal == []


# --- filters -------------------------------------------------------------------------------------


def test_filters(qtbot, tab, house):
    search = find(tab, "Rechercher un projet", QLineEdit)
    type_text(search, "epicerie")  # accents need not be typed
    qtbot.waitUntil(lambda: tab.tasks.idle and names(tab) == ["Épicerie solidaire"])
    search.clear()
    type_text(search, "menard")  # a holder
    qtbot.waitUntil(lambda: tab.tasks.idle and names(tab) == ["Recyclerie du Marais"])
    search.clear()
    type_text(search, "brûlerie")  # the organisation
    qtbot.waitUntil(lambda: tab.tasks.idle and names(tab) == ["Recyclerie du Marais"])
    search.clear()
    type_text(search, "zzz")
    qtbot.waitUntil(lambda: tab.tasks.idle and names(tab) == [])
    assert find(tab, "Aucun projet", QLabel).text() == "Aucun projet ne correspond à ces filtres."
    search.clear()
    qtbot.waitUntil(lambda: tab.tasks.idle and len(names(tab)) == 4)

    programme = find(tab, "Filtrer par programme", QComboBox)
    choose(programme, "Pépinière")
    qtbot.waitUntil(lambda: tab.tasks.idle and names(tab) == ["Recyclerie du Marais",
                                                              "Torréfaction"])
    exited = find(tab, "Projets sortis aussi", QCheckBox)
    exited.setChecked(True)
    qtbot.waitUntil(lambda: tab.tasks.idle and len(names(tab)) == 3)
    assert row_of(tab, "Tiers-lieu Sèvre")[3] == "Sorti le 31/01/2026"
    view = find(tab, "Projets", QTableView)
    row = names(tab).index("Tiers-lieu Sèvre")
    assert view.model().index(row, 0).data(Qt.ItemDataRole.ForegroundRole).color() == QColor(
        tab_view.EXITED_TEXT)
    exited.setChecked(False)
    choose(programme, "Tous les programmes")
    stage = find(tab, "Filtrer par étape", QComboBox)
    choose(stage, "Sortie")
    qtbot.waitUntil(lambda: tab.tasks.idle and names(tab) == [])
    choose(stage, "Idée")
    qtbot.waitUntil(lambda: tab.tasks.idle and len(names(tab)) == 4)
    assert find(tab, "Nombre de projets", QLabel).text() == "4 projets"


# --- deletion and agreements ---------------------------------------------------------------------


def test_delete_after_a_confirmation(qtbot, tab, desk, house, no_modal):
    assert tab.select_project(house["Coop'Vélo"])
    delete = find(tab, "Supprimer le projet", QPushButton)
    no_modal.answers.append(False)
    click(qtbot, delete)
    assert no_modal.texts("confirm")[0].startswith("Supprimer le projet « Coop'Vélo » ?")
    assert "Coop'Vélo" in [p.name for p in desk.projects.projects()]
    no_modal.answers.append(True)
    click(qtbot, delete)
    wait_refreshed(qtbot, tab)
    qtbot.waitUntil(lambda: "Coop'Vélo" not in names(tab))
    assert banner(tab) == "Projet « Coop'Vélo » supprimé."
    assert "Coop'Vélo" not in [p.name for p in desk.projects.projects()]


def test_a_project_named_by_an_agreement_is_not_deleted(qtbot, tab, desk, house, no_modal):
    draft = desk.agreements.new_draft(organisation_id=house["Brûlerie"],
                                      project_id=house["Recyclerie du Marais"])
    desk.agreements.save_draft(draft)
    number = desk.agreements.agreements(project_id=house["Recyclerie du Marais"])[0].number
    assert tab.select_project(house["Recyclerie du Marais"])
    no_modal.answers.append(True)
    click(qtbot, find(tab, "Supprimer le projet", QPushButton))
    assert no_modal.texts("warn") == [
        (f"Ce projet figure sur la convention d'hébergement {number} : il ne peut pas être "
         "supprimé. Enregistrez plutôt sa sortie.")]
    assert "Recyclerie du Marais" in names(tab)
    assert desk.projects.project(project_id=house["Recyclerie du Marais"]).name


def test_a_new_agreement_is_asked_for_the_selected_project(qtbot, tab, house):
    button = find(tab, "Convention d'hébergement…", QPushButton)
    assert not button.isEnabled()
    tab.select_project(house["Épicerie solidaire"])
    with qtbot.waitSignal(tab.new_agreement_requested) as signal:
        click(qtbot, button)
    assert signal.args == [house["Épicerie solidaire"]]


def test_enter_opens_the_selected_project(qtbot, tab, house, monkeypatch):
    opened = []
    monkeypatch.setattr(tab_view.ProjectDialog, "exec",
                        lambda dialog: opened.append(dialog.project_id) or 0)
    view = find(tab, "Projets", QTableView)
    tab.select_project(house["Coop'Vélo"])
    view.setFocus()
    press(view, Qt.Key.Key_Return)
    assert opened == [house["Coop'Vélo"]]
    click(qtbot, find(tab, "Ouvrir le projet", QPushButton))
    assert opened == [house["Coop'Vélo"]] * 2


def test_the_accueil_has_no_access_to_the_projects(services):
    """The screen does not build the tab for the accueil: the service refuses it."""
    accueil = services.for_actor(Actor(login="lea", role=Role.ACCUEIL))
    with pytest.raises(PermissionDenied):
        accueil.projects.projects()
    with pytest.raises(PermissionDenied):
        accueil.projects.alerts()
