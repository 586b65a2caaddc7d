"""The « Conventions » tab of the Hébergement screen: from an accompanied project to its
printed agreement (the projects tab's « Convention d'hébergement… », the fee typed, a desk
added, saved, signed, printed twice from the list to the same bytes); a new agreement whose
occupant is asked first; the agreements ending within 60 days, renewed from the panel; the
filters and the state's colours; printing in two clicks; the attestations; the half-yearly
list of domiciliations as a PDF and a CSV file; the accueil reading only."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QTableView,
)

from maison_app.domain.enums import HostingService, Role
from maison_app.services.context import Actor
from maison_app.ui.pdf_preview import PdfPreviewDialog
from maison_app.ui.tasks import TaskRunner
from maison_app.views.hosting import agreement_dialog as dialog_view
from maison_app.views.hosting import agreements_tab as tab_view
from maison_app.views.hosting.agreement_dialog import AgreementDialog
from tests.ui.conftest import find, type_text
from tests.ui.test_agreement_dialog import (
    HOST,
    add_space,
    build_house,
    click,
    plain,
    retype,
    sign_with,
    signed_agreement,
    text_of,
)

D = dt.date  # the clock says Thursday 26 November 2026
HEADERS = ["N°", "Occupant", "État", "Projet", "Locaux", "Du", "Au", "Redevance HT/mois",
           "Services"]


@pytest.fixture
def desk(services):
    """The services as the incubator manager who logged in."""
    return services.for_actor(Actor(login="claire", role=Role.INCUBATION))


@pytest.fixture
def house(services):
    return build_house(services)


@pytest.fixture
def previews(monkeypatch) -> list[bytes]:
    shown: list[bytes] = []
    monkeypatch.setattr(PdfPreviewDialog, "open", lambda self: shown.append(self.pdf_bytes))
    return shown


def open_tab(qtbot, services):
    tasks = TaskRunner()
    widget = tab_view.AgreementsTab(services, tasks)
    qtbot.addWidget(widget)
    widget.resize(1300, 640)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: tasks.idle)
    return widget, tasks


@pytest.fixture
def tab(qtbot, desk):
    widget, tasks = open_tab(qtbot, desk)
    yield widget
    tasks.wait()


def rows(tab) -> list[list[str]]:
    model = find(tab, "Conventions", QTableView).model()
    return [[plain(model.index(r, c).data()) for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def numbers(tab) -> list[str]:
    return [r[0] for r in rows(tab)]


def select(tab, number: str) -> None:
    view = find(tab, "Conventions", QTableView)
    view.selectRow(numbers(tab).index(number))


def state_colour(tab, number: str) -> QColor:
    model = find(tab, "Conventions", QTableView).model()
    row = numbers(tab).index(number)
    return model.index(row, 2).data(Qt.ItemDataRole.ForegroundRole).color()


def banner(tab) -> str:
    label = find(tab, "Message des conventions", QLabel)
    return label.text() if not label.isHidden() else ""


def wait_refreshed(qtbot, tab) -> None:
    qtbot.waitUntil(lambda: tab.tasks.idle)


# --- from the project to the printed agreement -------------------------------------------------


def test_from_a_project_to_its_printed_agreement(qtbot, desk, house, previews, monkeypatch,
                                                  no_modal):
    from maison_app.views.hosting.screen import HostingScreen

    tasks = TaskRunner()
    screen = HostingScreen(desk, tasks)
    qtbot.addWidget(screen)
    screen.resize(1300, 700)
    screen.show()
    qtbot.waitUntil(lambda: tasks.idle and screen.projects.model.rowCount() == 1)
    seen = {}

    def prepare(dialog):
        dialog.show()
        seen["occupant"] = find(dialog, "Occupant", QLineEdit).text()
        seen["project"] = find(dialog, "Projet accompagné", QComboBox).currentText()
        retype(find(dialog, "Redevance HT par mois", QLineEdit), "450,00")
        seen["total"] = text_of(dialog, "Montant TTC")
        add_space(monkeypatch, qtbot, dialog, house["Poste A1"])
        click(qtbot, find(dialog, "Enregistrer le brouillon", QPushButton))
        seen["title"] = dialog.windowTitle()
        sign_with(monkeypatch, qtbot, host=HOST)
        click(qtbot, find(dialog, "Signer", QPushButton))
        seen["state"] = text_of(dialog, "État de la convention")
        click(qtbot, find(dialog, "Imprimer la convention", QPushButton))
        qtbot.waitUntil(lambda: len(previews) == 1)
        click(qtbot, find(dialog, "Fermer la convention", QPushButton))
        return dialog.result()

    monkeypatch.setattr(AgreementDialog, "exec", prepare)
    screen.projects.select_project(house["projet"])
    click(qtbot, find(screen.projects, "Convention d'hébergement…", QPushButton))
    tab = screen.agreements
    assert screen.tabs.currentWidget() is tab
    assert seen == {"occupant": "Coop'Lumière", "project": "Lumière solidaire — Pépinière",
                    "total": "soit 90,00 € de TVA, 540,00 € TTC par mois",
                    "title": "Convention CH-2026-0001", "state": "Signée, à venir"}
    qtbot.waitUntil(lambda: tasks.idle and numbers(tab) == ["CH-2026-0001"])
    assert banner(tab) == "Convention CH-2026-0001 signée."
    assert rows(tab) == [["CH-2026-0001", "Coop'Lumière", "Signée, à venir", "Lumière solidaire",
                          "Poste A1", "01/12/2026", "30/11/2027", "450,00 €", ""]]
    assert tab.selected_agreement().number == "CH-2026-0001"

    # printed again from the list: two clicks, the same archived bytes
    click(qtbot, find(tab, "Imprimer la convention", QPushButton))
    qtbot.waitUntil(lambda: len(previews) == 2)
    screen.activateWindow()  # the dialog is closed: the screen's window gets the keys again
    qtbot.waitUntil(screen.isActiveWindow)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # Ctrl+P
    qtbot.waitUntil(lambda: len(previews) == 3)
    assert previews[0].startswith(b"%PDF")
    assert previews[0] == previews[1] == previews[2]
    assert no_modal == []
    tasks.wait()


def test_a_new_agreement_asks_who_is_hosted(qtbot, tab, desk, house, monkeypatch, no_modal):
    seen = {}

    def pick(picker):
        picker.show()
        click(qtbot, find(picker, "Choisir", QPushButton))  # nothing chosen yet
        seen["error"] = find(picker, "Erreur du choix de l'occupant", QLabel).text()
        find(picker, "Une personne", QRadioButton).setChecked(True)
        search = find(picker, "Rechercher une personne", QLineEdit)
        type_text(search, "fournier")
        results = find(picker, "Personnes trouvées", QListWidget)
        qtbot.waitUntil(lambda: results.count() == 1)
        click(qtbot, find(picker, "Choisir", QPushButton))
        return picker.result()

    def look(dialog):
        dialog.show()
        seen["occupant"] = find(dialog, "Occupant", QLineEdit).text()
        seen["representative"] = find(dialog, "Représentant·e de l'occupant", QLineEdit).text()
        seen["title"] = find(dialog, "Qualité du représentant", QLineEdit).text()
        click(qtbot, find(dialog, "Enregistrer le brouillon", QPushButton))
        click(qtbot, find(dialog, "Fermer la convention", QPushButton))
        return dialog.result()

    monkeypatch.setattr(dialog_view.OccupantPicker, "exec", pick)
    monkeypatch.setattr(AgreementDialog, "exec", look)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Ctrl+N
    assert seen == {"error": "Choisissez une structure dans la liste.",
                    "occupant": "Élise Fournier", "representative": "Élise Fournier",
                    "title": "porteur·se du projet"}
    wait_refreshed(qtbot, tab)
    qtbot.waitUntil(lambda: numbers(tab) == ["CH-2026-0001"])
    assert rows(tab)[0][1] == "Élise Fournier" and rows(tab)[0][2] == "Brouillon"
    assert banner(tab) == "Brouillon CH-2026-0001 préparé pour Élise Fournier."
    assert state_colour(tab, "CH-2026-0001") == QColor(dialog_view.STATE_COLOURS[
        dialog_view.AgreementState.DRAFT])


# --- the agreements ending soon ------------------------------------------------------------------


def test_the_agreements_ending_within_60_days_are_listed_and_renewed(qtbot, desk, house,
                                                                      monkeypatch, no_modal):
    signed_agreement(desk, house["Lumière"], spaces=(house["Poste A1"],), end=D(2026, 12, 31))
    signed_agreement(desk, house["Brûlerie"], spaces=(house["Poste A2"],), end=D(2027, 6, 30),
                     representative="Noël Ménard")
    tab, tasks = open_tab(qtbot, desk)
    assert find(tab, "Conventions qui se terminent bientôt", QLabel).isVisible()
    assert find(tab, "Conventions qui se terminent bientôt", QLabel).text() == (
        "Conventions qui se terminent dans les 60 jours : 1")
    assert tab.ending_lines() == [
        "CH-2026-0001 — Coop'Lumière — dernier jour le 31 décembre 2026 (dans 35 jours)"]
    seen = {}

    def renew(dialog):
        dialog.show()
        seen["follows"] = text_of(dialog, "Convention précédente")
        seen["dates"] = (find(dialog, "Date de début", QLineEdit).text(),
                         find(dialog, "Date de fin", QLineEdit).text())
        seen["fee"] = find(dialog, "Redevance HT par mois", QLineEdit).text()
        click(qtbot, find(dialog, "Enregistrer le brouillon", QPushButton))
        click(qtbot, find(dialog, "Fermer la convention", QPushButton))
        return dialog.result()

    monkeypatch.setattr(AgreementDialog, "exec", renew)
    click(qtbot, find(tab, "Renouveler CH-2026-0001", QPushButton))
    assert seen == {"follows": "Renouvellement de CH-2026-0001",
                    "dates": ("01/01/2027", "31/12/2027"), "fee": "450,00"}
    qtbot.waitUntil(lambda: tasks.idle and len(numbers(tab)) == 3)
    # a renewal is prepared: nothing left to watch
    assert not find(tab, "Conventions qui se terminent bientôt", QLabel).isVisible()
    assert tab.ending_lines() == []
    assert tab.selected_agreement().number == "CH-2026-0003"
    tasks.wait()


def test_the_panel_is_hidden_when_nothing_ends_soon(qtbot, tab):
    assert not find(tab, "Conventions qui se terminent bientôt", QLabel).isVisible()
    assert find(tab, "Aucune convention", QLabel).text() == (
        "Aucune convention. « Nouvelle convention… » (Ctrl+N) prépare la première.")
    assert find(tab, "Nombre de conventions", QLabel).text() == "0 convention"


# --- the list ------------------------------------------------------------------------------------


@pytest.fixture
def several(desk, house):
    """A running agreement, one to come with domiciliation, one terminated, a draft."""
    ids = {}
    ids["running"] = signed_agreement(desk, house["Lumière"], spaces=(house["Poste A1"],),
                                      end=D(2027, 6, 30), services_=(HostingService.INTERNET,))
    ids["to come"] = signed_agreement(desk, house["Brûlerie"], spaces=(house["Bureau 104"],),
                                      start=D(2026, 12, 1), end=D(2027, 11, 30),
                                      services_=(HostingService.DOMICILIATION,
                                                 HostingService.MAIL),
                                      representative="Noël Ménard", fee=38_000)
    ids["ended"] = signed_agreement(desk, house["Lumière"], spaces=(house["Poste A2"],),
                                    start=D(2025, 1, 1), end=D(2025, 12, 31),
                                    signed_on=D(2024, 12, 1))
    desk.agreements.terminate(agreement_id=ids["ended"], last_day=D(2025, 6, 30),
                              reason="Départ")
    ids["draft"] = desk.agreements.save_draft(
        desk.agreements.new_draft(organisation_id=house["Brûlerie"]))
    return ids


def test_the_list_its_filters_and_colours(qtbot, desk, several):
    tab, tasks = open_tab(qtbot, desk)
    assert [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(9)] == HEADERS
    assert rows(tab) == [
        ["CH-2026-0004", "Brûlerie Équitable", "Brouillon", "", "", "01/12/2026", "30/11/2027",
         "0,00 €", ""],
        ["CH-2026-0003", "Coop'Lumière", "Résiliée", "", "Poste A2", "01/01/2025", "30/06/2025",
         "450,00 €", ""],
        ["CH-2026-0002", "Brûlerie Équitable", "Signée, à venir", "", "Bureau 104", "01/12/2026",
         "30/11/2027", "380,00 €", "domiciliation, courrier"],
        ["CH-2026-0001", "Coop'Lumière", "En cours", "", "Poste A1", "01/01/2026", "30/06/2027",
         "450,00 €", "internet"]]
    assert find(tab, "Nombre de conventions", QLabel).text() == "4 conventions"
    colours = dialog_view.STATE_COLOURS
    assert state_colour(tab, "CH-2026-0001") == QColor(colours[dialog_view.AgreementState.ACTIVE])
    assert state_colour(tab, "CH-2026-0002") == QColor(colours[dialog_view.AgreementState.SIGNED])
    assert state_colour(tab, "CH-2026-0003") == QColor("#8a8a8a")
    assert state_colour(tab, "CH-2026-0001") != state_colour(tab, "CH-2026-0004")

    search = find(tab, "Rechercher une convention", QLineEdit)
    type_text(search, "brulerie")  # accents need not be typed
    qtbot.waitUntil(lambda: tasks.idle and numbers(tab) == ["CH-2026-0004", "CH-2026-0002"])
    search.clear()
    states = find(tab, "Filtrer par état", QComboBox)
    assert [states.itemText(i) for i in range(states.count())] == [
        "Toutes", "Brouillon", "Signée, à venir", "En cours", "Échue", "Résiliée",
        "Remplacée par un avenant"]
    states.setCurrentIndex(states.findText("En cours"))
    qtbot.waitUntil(lambda: tasks.idle and numbers(tab) == ["CH-2026-0001"])
    states.setCurrentIndex(states.findText("Échue"))
    qtbot.waitUntil(lambda: tasks.idle and numbers(tab) == [])
    assert find(tab, "Aucune convention", QLabel).text() == (
        "Aucune convention ne correspond à ces filtres.")
    tasks.wait()


def test_enter_opens_and_the_buttons_follow_the_selection(qtbot, desk, several, monkeypatch):
    tab, tasks = open_tab(qtbot, desk)
    assert not find(tab, "Ouvrir la convention", QPushButton).isEnabled()
    assert not find(tab, "Imprimer la convention", QPushButton).isEnabled()
    opened = []

    def look(dialog):
        opened.append((dialog.windowTitle(), dialog.editing))
        return dialog.result()

    monkeypatch.setattr(AgreementDialog, "exec", look)
    select(tab, "CH-2026-0004")
    assert not find(tab, "Attestation", QPushButton).isEnabled()  # a draft
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    select(tab, "CH-2026-0001")
    assert find(tab, "Attestation", QPushButton).isEnabled()
    assert tab.hosting_action.isEnabled() and not tab.domiciliation_action.isEnabled()
    tab.table.doubleClicked.emit(tab.table.currentIndex())
    assert opened == [("Convention CH-2026-0004", True), ("Convention CH-2026-0001", False)]
    tasks.wait()


def test_an_attestation_of_domiciliation_from_the_list(qtbot, desk, several, previews,
                                                       no_modal):
    tab, tasks = open_tab(qtbot, desk)
    select(tab, "CH-2026-0002")
    assert tab.domiciliation_action.isEnabled()
    tab.domiciliation_action.trigger()
    qtbot.waitUntil(lambda: len(previews) == 1)
    assert previews[0].startswith(b"%PDF")
    assert banner(tab) == ("Attestation de domiciliation AD-2026-0001 délivrée à Brûlerie "
                           "Équitable et archivée.")
    assert no_modal == []
    tasks.wait()


def test_the_list_of_domiciliations_as_pdf_and_csv(qtbot, desk, several, previews, tmp_path,
                                                   monkeypatch, no_modal):
    tab, tasks = open_tab(qtbot, desk)
    asked = []

    def save_as(parent, title, suggested, filters):
        asked.append((title, suggested.rsplit("/", 1)[-1], filters))
        return str(tmp_path / "liste"), filters

    monkeypatch.setattr(tab_view.QFileDialog, "getSaveFileName", save_as)
    seen = {}

    def produce(dialog):
        dialog.show()
        count = find(dialog, "Structures listées", QLabel)
        qtbot.waitUntil(lambda: tasks.idle and count.text() != "")
        seen["count"] = plain(count.text())
        click(qtbot, find(dialog, "Enregistrer en CSV", QPushButton))
        click(qtbot, find(dialog, "Aperçu PDF", QPushButton))
        qtbot.waitUntil(lambda: len(previews) == 1)
        seen["result"] = find(dialog, "Résultat de la liste", QLabel).text()
        find(dialog, "Semestre", QComboBox).setCurrentIndex(0)
        qtbot.waitUntil(lambda: tasks.idle and "1 janvier" in count.text())
        seen["first half"] = plain(count.text())
        return dialog.result()

    monkeypatch.setattr(tab_view.DomiciliationListDialog, "exec", produce)
    click(qtbot, find(tab, "Liste des domiciliations", QPushButton))
    assert seen == {
        "count": "1 structure domiciliée du 1 juillet 2026 au 31 décembre 2026",
        "result": "Liste LD-2026-0001 archivée.",
        "first half": "0 structure domiciliée du 1 janvier 2026 au 30 juin 2026"}
    assert asked == [("Enregistrer la liste des domiciliations", "domiciliations-2026-S2.csv",
                      "Fichiers CSV (*.csv)")]
    content = (tmp_path / "liste.csv").read_bytes()
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Dénomination;")
    assert lines[1].startswith("Brûlerie Équitable;") and "CH-2026-0002" in lines[1]
    assert previews[0].startswith(b"%PDF")
    assert no_modal == []
    tasks.wait()


def test_the_accueil_reads_only(qtbot, services, several, monkeypatch):
    accueil = services.for_actor(Actor(login="leo", role=Role.ACCUEIL))
    tab, tasks = open_tab(qtbot, accueil)
    assert len(numbers(tab)) == 4
    assert not find(tab, "Nouvelle convention", QPushButton).isVisible()
    assert not find(tab, "Attestation", QPushButton).isVisible()
    assert find(tab, "Liste des domiciliations", QPushButton).isVisible()
    opened = []
    monkeypatch.setattr(dialog_view.OccupantPicker, "exec", lambda d: opened.append(d) or 0)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened == []
    tasks.wait()
