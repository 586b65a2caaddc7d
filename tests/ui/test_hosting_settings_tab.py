"""The "Hébergement" tab of the settings: the programmes of the incubator and the texts and
defaults of the hosting agreements, written by "Enregistrer" only, refusals next to the
field, read-only without the right to change the settings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
)

from maison_app.domain.enums import Role
from maison_app.domain.hosting import HostingTexts
from maison_app.services import hosting_texts as hosting_module
from maison_app.services.context import Actor
from maison_app.services.local_config import LocalConfig
from maison_app.ui.hosting_tab import HostingSettingsTab, ProgrammeDialog
from maison_app.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import find, press, type_text

SEEDED = ["Pépinière", "Hôtel d'entreprises", "CAE", "Incubation"]


def open_dialog(qtbot, services) -> SettingsDialog:
    dialog = SettingsDialog(services.settings, LocalConfig(), memberships=services.memberships,
                            hosting=services.hosting_texts, projects=services.projects)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.tabs.setCurrentWidget(dialog.hosting_tab)
    return dialog


@pytest.fixture
def dialog(qtbot, services, no_modal):
    return open_dialog(qtbot, services)


def click(qtbot, root, name: str) -> None:
    qtbot.mouseClick(find(root, name, QPushButton), Qt.MouseButton.LeftButton)


def replace_text(field, text: str) -> None:
    field.setFocus()
    field.selectAll()
    if isinstance(field, QPlainTextEdit):
        field.clear()
    else:
        field.del_()
    for number, line in enumerate(text.split("\n")):
        if number:
            press(field, Qt.Key.Key_Return)
        type_text(field, line)


def programme(services, name: str):
    return next(p for p in services.projects.programmes() if p.name == name)


def answer_programme(monkeypatch, qtbot, *answers: dict[str, str]) -> list[list[str]]:
    """The programme dialogs are filled with these answers one after the other ({"name":…,
    "months":…, "description":…}); each dialog sees the errors it got."""
    queue = list(answers)
    seen: list[list[str]] = []

    def fake_exec(dialog: ProgrammeDialog) -> int:
        dialog.show()
        errors = []
        while queue:
            answer = queue.pop(0)
            for key, name in (("name", "Nom du programme"),
                              ("months", "Durée maximale en mois")):
                if key in answer:
                    replace_text(find(dialog, name, QLineEdit), answer[key])
            if "description" in answer:
                replace_text(find(dialog, "Description du programme", QPlainTextEdit),
                             answer["description"])
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
            if dialog.result():
                break
            errors.append(dialog.errors.message("name") or dialog.errors.message("max_months"))
        seen.append(errors)
        return dialog.result()

    monkeypatch.setattr(ProgrammeDialog, "exec", fake_exec)
    return seen


# --- the texts and defaults ----------------------------------------------------------------


def test_shows_the_defaults(dialog):
    assert find(dialog, "Taux de TVA des redevances", QComboBox).currentText() == "20\u00a0%"
    assert find(dialog, "Préavis par défaut", QSpinBox).value() == 1
    rules = find(dialog, "Règlement intérieur", QPlainTextEdit).toPlainText()
    assert rules.startswith("1. Objet.") and "8 h à 19 h" in rules
    assert find(dialog, "Préambule des conventions", QPlainTextEdit).toPlainText() == ""
    combo = find(dialog, "Taux de TVA des redevances", QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "20\u00a0%", "10\u00a0%", "5,5\u00a0%", "0\u00a0%"]
    for name in ("Préambule des conventions", "Article sur les assurances",
                 "Clauses particulières", "Règlement intérieur"):  # where each is printed
        assert find(dialog, f"Où s'imprime : {name}").text()


def test_change_vat_and_rules_save_and_read_back(qtbot, services, dialog):
    vat = find(dialog, "Taux de TVA des redevances", QComboBox)
    vat.setCurrentIndex(vat.findText("5,5\u00a0%"))
    find(dialog, "Préavis par défaut", QSpinBox).setValue(3)
    replace_text(find(dialog, "Signataire pour la maison", QLineEdit),
                 "Mme Hélène Lefèvre, présidente")
    dialog.hosting_tab.text_tabs.setCurrentIndex(3)
    replace_text(find(dialog, "Règlement intérieur", QPlainTextEdit),
                 "Accès de 8 h à 19 h.\nCuisine : chacun lave sa vaisselle.")
    replace_text(find(dialog, "Clauses particulières", QPlainTextEdit), "Parking réservé.")
    click(qtbot, dialog, "Enregistrer")
    assert not dialog.isVisible()
    assert services.hosting_texts.texts() == HostingTexts(
        preamble="", special_clauses="Parking réservé.",
        internal_rules="Accès de 8 h à 19 h.\nCuisine : chacun lave sa vaisselle.",
        host_signatory="Mme Hélène Lefèvre, présidente", vat_bp=550,
        default_notice_months=3, insurance_text="")
    again = open_dialog(qtbot, services)
    assert find(again, "Taux de TVA des redevances", QComboBox).currentText() == "5,5\u00a0%"
    assert find(again, "Préavis par défaut", QSpinBox).value() == 3


def test_nothing_changed_writes_nothing(qtbot, services, dialog):
    from maison_app.domain.audit import AuditFilter

    click(qtbot, dialog, "Enregistrer")
    assert not dialog.isVisible()
    assert services.audit.entries(where=AuditFilter(entity="setting",
                                                    entity_id="hosting.vat_bp")) == ()


def test_a_refused_notice_is_said_next_to_the_field_and_nothing_is_saved(
        qtbot, services, dialog, monkeypatch):
    spin = find(dialog, "Préavis par défaut", QSpinBox)
    spin.setValue(13)  # the field itself stops at 12
    assert spin.value() == 12
    # the rule changes (say, 6 months at most): the service refuses what the field holds
    monkeypatch.setattr(hosting_module, "MAX_NOTICE_MONTHS", 6)
    find(dialog, "Nom de la maison", QLineEdit).setText("Maison de l'ESS modifiée")
    vat = find(dialog, "Taux de TVA des redevances", QComboBox)
    vat.setCurrentIndex(vat.findText("10\u00a0%"))
    click(qtbot, dialog, "Enregistrer")
    assert dialog.isVisible()
    assert dialog.tabs.currentWidget() is dialog.hosting_tab
    assert dialog.hosting_tab.errors.message("default_notice_months") == (
        "Le préavis se compte en mois, de 1 à 6.")
    assert spin.hasFocus()
    assert services.hosting_texts.texts().vat_bp == 2000  # nothing saved…
    assert services.settings.identity().name != "Maison de l'ESS modifiée"  # …not even that
    spin.setValue(6)
    click(qtbot, dialog, "Enregistrer")
    assert not dialog.isVisible()
    assert services.hosting_texts.texts().default_notice_months == 6


def test_a_text_too_long_is_said_under_it_on_its_page(qtbot, services, dialog):
    clauses = find(dialog, "Clauses particulières", QPlainTextEdit)
    clauses.setPlainText("x" * 20_001)
    click(qtbot, dialog, "Enregistrer")
    assert dialog.isVisible()
    tabs = find(dialog, "Textes des conventions", QTabWidget)
    assert tabs.tabText(tabs.currentIndex()) == "Clauses particulières"
    assert "20\u202f000 caractères au plus" in dialog.hosting_tab.errors.message(
        "special_clauses")
    assert services.hosting_texts.texts().special_clauses == ""


def test_the_model_rules_come_back_after_a_confirmation(qtbot, dialog, no_modal):
    rules = find(dialog, "Règlement intérieur", QPlainTextEdit)
    rules.setPlainText("Notre règlement.")
    click(qtbot, dialog, "Reprendre le règlement type")  # "Annuler" answered
    assert rules.toPlainText() == "Notre règlement."
    no_modal.answers.append(True)
    click(qtbot, dialog, "Reprendre le règlement type")
    assert rules.toPlainText().startswith("1. Objet.")
    assert len(no_modal.texts("confirm")) == 2


# --- the programmes ----------------------------------------------------------------------------


def test_lists_the_programmes(dialog):
    assert dialog.hosting_tab.programme_names() == SEEDED
    table = find(dialog, "Programmes d'accompagnement", QTableView)
    model = table.model()
    assert [model.index(0, c).data() for c in range(3)] == ["Pépinière", "23 mois", "actif"]
    assert model.index(2, 1).data() == "sans limite"


def test_add_a_programme(qtbot, services, dialog, monkeypatch):
    seen = answer_programme(
        monkeypatch, qtbot,
        {"name": "  ", "months": ""},
        {"name": "pepiniere"},  # the same name, accents aside
        {"name": "Couveuse", "months": "200"},
        {"months": "18", "description": "Test d'activité en couveuse d'entreprises"})
    click(qtbot, dialog, "Ajouter un programme")
    assert seen == [["Le nom du programme est obligatoire.",
                     "Un programme porte déjà ce nom.",
                     "Indiquez un nombre de mois de 1 à 120, ou laissez vide : sans limite."]]
    assert dialog.hosting_tab.programme_names() == [*SEEDED, "Couveuse"]
    assert "Couveuse" not in [p.name for p in services.projects.programmes()]  # not yet
    click(qtbot, dialog, "Enregistrer")
    assert not dialog.isVisible()
    added = programme(services, "Couveuse")
    assert (added.max_months, added.description, added.active) == (
        18, "Test d'activité en couveuse d'entreprises", True)


def test_edit_and_deactivate_a_programme(qtbot, services, dialog, monkeypatch):
    table = find(dialog, "Programmes d'accompagnement", QTableView)
    table.setFocus()
    table.selectRow(2)  # CAE
    answer_programme(monkeypatch, qtbot, {"name": "CAE Niort", "months": "24"})
    press(table, Qt.Key.Key_Return)  # Enter opens the programme, not "Enregistrer"
    assert dialog.isVisible()
    assert find(dialog, "Désactiver ou réactiver le programme", QPushButton).text() == (
        "Désactiver")
    click(qtbot, dialog, "Désactiver ou réactiver le programme")
    assert dialog.hosting_tab.programme_names()[2] == "CAE Niort (désactivé)"
    assert find(dialog, "Désactiver ou réactiver le programme", QPushButton).text() == (
        "Réactiver")
    click(qtbot, dialog, "Enregistrer")
    assert not dialog.isVisible()
    changed = programme(services, "CAE Niort")
    assert (changed.max_months, changed.active) == (24, False)


def test_cancel_forgets_the_programmes_changed(qtbot, services, dialog, monkeypatch):
    answer_programme(monkeypatch, qtbot, {"name": "Couveuse"})
    click(qtbot, dialog, "Ajouter un programme")
    click(qtbot, dialog, "Annuler")
    assert [p.name for p in services.projects.programmes()] == SEEDED


def test_a_name_another_desk_took_meanwhile_is_said(qtbot, services, dialog, monkeypatch,
                                                    no_modal):
    from maison_app.domain.hosting import ProgrammeRecord

    answer_programme(monkeypatch, qtbot, {"name": "Couveuse"})
    click(qtbot, dialog, "Ajouter un programme")
    services.projects.save_programme(ProgrammeRecord(id=None, name="Couveuse"))  # another desk
    click(qtbot, dialog, "Enregistrer")
    assert dialog.isVisible()
    assert no_modal.texts("warn") == [
        "Programme « Couveuse » : Un programme porte déjà ce nom."]


# --- who may change it ------------------------------------------------------------------------


def test_incubation_reads_but_cannot_change(qtbot, services, no_modal):
    services.hosting_texts.save_texts(HostingTexts(vat_bp=1000, preamble="Préambule."))
    desk = services.for_actor(Actor(login="incubation", role=Role.INCUBATION))
    dialog = open_dialog(qtbot, desk)
    tab = dialog.hosting_tab
    assert not tab.editable
    assert find(dialog, "Taux de TVA des redevances", QComboBox).currentText() == "10\u00a0%"
    assert not find(dialog, "Taux de TVA des redevances", QComboBox).isEnabled()
    assert find(dialog, "Préambule des conventions", QPlainTextEdit).isReadOnly()
    assert find(dialog, "Signataire pour la maison", QLineEdit).isReadOnly()
    for name in ("Ajouter un programme", "Modifier le programme",
                 "Désactiver ou réactiver le programme", "Reprendre le règlement type"):
        assert not find(dialog, name, QPushButton).isEnabled()
    assert tab.programme_names() == SEEDED  # the programmes are shown
    dialog.accept()  # the desk's own settings are saved; the hosting settings left alone
    assert dialog.saved_config is not None
    assert services.hosting_texts.texts().preamble == "Préambule."


def test_accueil_sees_the_texts_without_the_programmes(qtbot, services, no_modal):
    desk = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    dialog = open_dialog(qtbot, desk)
    assert isinstance(dialog.hosting_tab, HostingSettingsTab)
    assert not dialog.hosting_tab.editable
    assert not [w for w in dialog.findChildren(QTableView)
                if w.accessibleName() == "Programmes d'accompagnement"]
    assert find(dialog, "Règlement intérieur", QPlainTextEdit).toPlainText()


def test_no_tab_without_the_service(qtbot, services):
    dialog = SettingsDialog(services.settings, LocalConfig())
    qtbot.addWidget(dialog)
    assert dialog.hosting_tab is None
    assert "Hébergement" not in [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
