"""The "Adhésions" tab of the settings: colleges of the SCIC and the fee schedule, typed the
French way, checked next to each field, written by "Enregistrer" only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QPushButton, QSpinBox

from maison_app.domain.enums import Role
from maison_app.services.context import Actor
from maison_app.services.local_config import LocalConfig
from maison_app.ui.colleges_tab import CollegeNameDialog, amount_text
from maison_app.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import find, type_text

YEAR = 2026  # the test clock's year
DEFAULTS = ["Entreprises adhérentes", "Réseaux de l'ESS", "Collectivités", "Partenaires",
            "Bénévoles", "Salarié·es"]


def open_dialog(qtbot, services):
    dialog = SettingsDialog(services.settings, LocalConfig(), memberships=services.memberships)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.tabs.setCurrentWidget(dialog.colleges_tab)
    return dialog


@pytest.fixture
def dialog(qtbot, services, no_modal):
    return open_dialog(qtbot, services)


def college(services, name: str) -> int:
    return next(c.id for c in services.memberships.colleges() if c.name == name)


def fees(services, year: int = YEAR) -> dict[str, int | None]:
    return {f.college: f.fee_cents for f in services.memberships.fees(year=year)}


def fee_field(dialog, name: str) -> QLineEdit:
    return find(dialog, f"Cotisation {name}", QLineEdit)


def listed(dialog) -> list[str]:
    view = find(dialog, "Collèges de la SCIC", QListWidget)
    return [view.item(i).text() for i in range(view.count())]


def click(qtbot, dialog, name: str) -> None:
    qtbot.mouseClick(find(dialog, name, QPushButton), Qt.MouseButton.LeftButton)


def replace_text(field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    field.del_()
    type_text(field, text)


def error_under(field: QLineEdit) -> str:
    label = field.parentWidget().error  # the FieldWithError holding the field
    return "" if label.isHidden() else label.text()


def answer_names(monkeypatch, qtbot, *names: str) -> list[list[str]]:
    """The name dialogs type these names one after the other; each sees the errors it got."""
    queue = list(names)
    seen: list[list[str]] = []

    def fake_exec(dialog: CollegeNameDialog) -> int:
        dialog.show()
        errors = []
        field = find(dialog, "Nom du collège", QLineEdit)
        while queue:
            replace_text(field, queue.pop(0))
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
            if dialog.result():
                break
            errors.append(dialog.errors.message("name"))
        seen.append(errors)
        return dialog.result()

    monkeypatch.setattr(CollegeNameDialog, "exec", fake_exec)
    return seen


def test_amounts_are_shown_as_they_are_typed():
    assert [amount_text(c) for c in (None, 2500, 1250, 5, 123456)] == [
        "", "25", "12,50", "0,05", "1234,56"]


def test_the_tab_shows_the_colleges_and_this_years_fees(qtbot, services, no_modal):
    services.memberships.save_fee(college_id=college(services, "Bénévoles"), year=YEAR,
                                  fee_cents=1250)
    dialog = open_dialog(qtbot, services)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Adhésions"
    assert listed(dialog) == DEFAULTS
    assert find(dialog, "Année du barème", QSpinBox).value() == YEAR
    assert fee_field(dialog, "Bénévoles").text() == "12,50"
    assert fee_field(dialog, "Partenaires").text() == ""
    assert fee_field(dialog, "Partenaires").placeholderText() == "non fixée"
    copy = find(dialog, "Reprendre les montants de l'année précédente", QPushButton)
    assert copy.text() == "Reprendre les montants de 2025"


def test_fees_typed_the_french_way_are_saved_by_enregistrer(qtbot, services, dialog):
    services.memberships.save_fee(college_id=college(services, "Partenaires"), year=YEAR,
                                  fee_cents=3000)
    dialog = open_dialog(qtbot, services)  # again, to show the fee just set
    replace_text(fee_field(dialog, "Entreprises adhérentes"), "25")
    replace_text(fee_field(dialog, "Bénévoles"), "12,50")
    replace_text(fee_field(dialog, "Collectivités"), "1 200 €")
    replace_text(fee_field(dialog, "Partenaires"), "")  # no longer set
    assert fees(services)["Entreprises adhérentes"] is None  # nothing written yet
    click(qtbot, dialog, "Enregistrer")
    assert not dialog.isVisible()
    saved = fees(services)
    assert saved["Entreprises adhérentes"] == 2500
    assert saved["Bénévoles"] == 1250
    assert saved["Collectivités"] == 120000
    assert saved["Partenaires"] is None
    assert saved["Réseaux de l'ESS"] is None


def test_a_wrong_amount_is_named_under_its_field_and_nothing_is_saved(qtbot, services,
                                                                      dialog):
    name_before = services.settings.identity().name
    find(dialog, "Nom de la maison", QLineEdit).setText("Maison de l'ESS — test")
    replace_text(fee_field(dialog, "Entreprises adhérentes"), "30")
    field = fee_field(dialog, "Bénévoles")
    replace_text(field, "douze")
    fee_field(dialog, "Partenaires").setFocus()  # leaving the field says it at once
    assert error_under(field) == "Montant illisible : écrivez par exemple 25 ou 12,50."
    replace_text(field, "12,345")
    dialog.tabs.setCurrentIndex(0)
    click(qtbot, dialog, "Enregistrer")
    assert dialog.isVisible()
    assert dialog.tabs.currentWidget() is dialog.colleges_tab
    assert error_under(field) == "Un montant se donne au centime près."
    assert field.text() == "12,345"  # what was typed stays
    assert fees(services)["Entreprises adhérentes"] is None
    assert services.settings.identity().name == name_before  # not half saved

    replace_text(field, "12,34")
    click(qtbot, dialog, "Enregistrer")
    assert not dialog.isVisible()
    assert fees(services)["Bénévoles"] == 1234
    assert fees(services)["Entreprises adhérentes"] == 3000


def test_last_years_fees_are_taken_up_then_saved(qtbot, services, no_modal):
    m = services.memberships
    m.save_fee(college_id=college(services, "Entreprises adhérentes"), year=YEAR - 1,
               fee_cents=5000)
    m.save_fee(college_id=college(services, "Bénévoles"), year=YEAR - 1, fee_cents=1050)
    m.save_fee(college_id=college(services, "Collectivités"), year=YEAR, fee_cents=20000)
    dialog = open_dialog(qtbot, services)
    click(qtbot, dialog, "Reprendre les montants de l'année précédente")
    assert fee_field(dialog, "Entreprises adhérentes").text() == "50"
    assert fee_field(dialog, "Bénévoles").text() == "10,50"
    assert fee_field(dialog, "Collectivités").text() == "200"  # none last year: kept
    assert "Montants de 2025 repris pour 2 collèges" in find(
        dialog, "Information sur le barème", QLabel).text()
    assert fees(services)["Bénévoles"] is None
    click(qtbot, dialog, "Enregistrer")
    assert fees(services) == {**{name: None for name in DEFAULTS},
                              "Entreprises adhérentes": 5000, "Bénévoles": 1050,
                              "Collectivités": 20000}


def test_nothing_to_take_up_says_so(qtbot, services, dialog):
    click(qtbot, dialog, "Reprendre les montants de l'année précédente")
    assert find(dialog, "Information sur le barème", QLabel).text() == (
        "Aucune cotisation n'est fixée pour 2025.")


def test_fees_of_another_year(qtbot, services, dialog):
    year = find(dialog, "Année du barème", QSpinBox)
    replace_text(fee_field(dialog, "Partenaires"), "40")
    year.setValue(YEAR + 1)
    assert fee_field(dialog, "Partenaires").text() == ""
    assert find(dialog, "Reprendre les montants de l'année précédente",
                QPushButton).text() == "Reprendre les montants de 2026"
    click(qtbot, dialog, "Reprendre les montants de l'année précédente")  # what was typed
    assert fee_field(dialog, "Partenaires").text() == "40"
    replace_text(fee_field(dialog, "Partenaires"), "45")
    year.setValue(YEAR)
    assert fee_field(dialog, "Partenaires").text() == "40"  # kept while looking elsewhere
    click(qtbot, dialog, "Enregistrer")
    assert fees(services, YEAR)["Partenaires"] == 4000
    assert fees(services, YEAR + 1)["Partenaires"] == 4500


def test_a_wrong_amount_of_another_year_brings_that_year_back(qtbot, services, dialog):
    year = find(dialog, "Année du barème", QSpinBox)
    year.setValue(YEAR + 1)
    replace_text(fee_field(dialog, "Partenaires"), "-5")
    year.setValue(YEAR)
    click(qtbot, dialog, "Enregistrer")
    assert dialog.isVisible()
    assert year.value() == YEAR + 1
    assert error_under(fee_field(dialog, "Partenaires")) == "Le montant doit être positif."


def test_colleges_added_renamed_deactivated_and_moved(qtbot, services, dialog, monkeypatch):
    seen = answer_names(monkeypatch, qtbot, "  ", "bénévoles", "Fondateurs",
                        "Sociétaires fondateurs")
    click(qtbot, dialog, "Ajouter un collège")
    assert seen[0] == ["Le nom du collège est obligatoire.", "Un collège porte déjà ce nom."]
    assert listed(dialog)[-1] == "Fondateurs"
    assert fee_field(dialog, "Fondateurs").hasFocus()  # its fee comes next
    type_text(fee_field(dialog, "Fondateurs"), "15")

    click(qtbot, dialog, "Renommer le collège")  # the new one is selected
    assert listed(dialog)[-1] == "Sociétaires fondateurs"
    click(qtbot, dialog, "Monter le collège")
    click(qtbot, dialog, "Monter le collège")
    view = find(dialog, "Collèges de la SCIC", QListWidget)
    view.setCurrentRow(listed(dialog).index("Salarié·es"))
    toggle = find(dialog, "Désactiver ou réactiver le collège", QPushButton)
    assert toggle.text() == "Désactiver"
    click(qtbot, dialog, "Désactiver ou réactiver le collège")
    assert toggle.text() == "Réactiver"
    assert "Salarié·es — désactivé" in listed(dialog)
    assert services.memberships.colleges()[-1].name == "Salarié·es"  # not yet written

    click(qtbot, dialog, "Enregistrer")
    assert not dialog.isVisible()
    colleges = services.memberships.colleges()
    assert [c.name for c in colleges] == [
        "Entreprises adhérentes", "Réseaux de l'ESS", "Collectivités", "Partenaires",
        "Sociétaires fondateurs", "Bénévoles", "Salarié·es"]
    assert [c.name for c in services.memberships.colleges(include_inactive=False)][-1] == (
        "Bénévoles")
    assert fees(services)["Sociétaires fondateurs"] == 1500


def test_cancel_writes_nothing(qtbot, services, dialog, monkeypatch):
    answer_names(monkeypatch, qtbot, "Fondateurs")
    click(qtbot, dialog, "Ajouter un collège")
    type_text(fee_field(dialog, "Fondateurs"), "15")
    replace_text(fee_field(dialog, "Bénévoles"), "10")
    click(qtbot, dialog, "Annuler")
    assert [c.name for c in services.memberships.colleges()] == DEFAULTS
    assert set(fees(services).values()) == {None}


def test_the_first_and_last_colleges_do_not_move_out(qtbot, dialog):
    view = find(dialog, "Collèges de la SCIC", QListWidget)
    view.setCurrentRow(0)
    assert not find(dialog, "Monter le collège", QPushButton).isEnabled()
    assert find(dialog, "Descendre le collège", QPushButton).isEnabled()
    view.setCurrentRow(view.count() - 1)
    assert not find(dialog, "Descendre le collège", QPushButton).isEnabled()


def test_a_name_another_desk_took_meanwhile_is_said(qtbot, services, dialog, monkeypatch,
                                                    no_modal):
    answer_names(monkeypatch, qtbot, "Fondateurs")
    click(qtbot, dialog, "Ajouter un collège")
    services.memberships.save_college(college_id=None, name="Fondateurs")  # another desk
    click(qtbot, dialog, "Enregistrer")
    assert dialog.isVisible()
    assert no_modal.texts("warn") == ["Collège « Fondateurs » : Un collège porte déjà ce nom."]


def test_read_only_without_the_right_to_change_settings(qtbot, services, no_modal):
    desk = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    services.memberships.save_fee(college_id=college(services, "Bénévoles"), year=YEAR,
                                  fee_cents=1000)
    dialog = SettingsDialog(desk.settings, LocalConfig(), memberships=desk.memberships)
    qtbot.addWidget(dialog)
    assert not dialog.colleges_tab.editable
    field = fee_field(dialog, "Bénévoles")
    assert field.text() == "10" and field.isReadOnly()
    for name in ("Ajouter un collège", "Renommer le collège", "Monter le collège",
                 "Reprendre les montants de l'année précédente"):
        assert not find(dialog, name, QPushButton).isEnabled()
    assert find(dialog, "Année du barème", QSpinBox).isEnabled()  # other years can be seen
    dialog.accept()  # the desk's own settings are saved; the schedule is left alone
    assert dialog.saved_config is not None
    assert fees(services)["Bénévoles"] == 1000


def test_keyboard_moves_a_college(qtbot, dialog):
    from PySide6.QtTest import QTest

    view = find(dialog, "Collèges de la SCIC", QListWidget)
    view.setFocus()
    view.setCurrentRow(1)
    QTest.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert listed(dialog)[:2] == ["Réseaux de l'ESS", "Entreprises adhérentes"]
    assert view.currentItem().text() == "Réseaux de l'ESS"  # still the one moved
