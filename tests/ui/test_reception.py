"""The reception screen as a receptionist uses it: type, press keys, click, read."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableView

from maison_app.domain.enums import VisitPurpose
from tests.ui.conftest import find, press, type_text


@pytest.fixture
def people(services):
    elan = services.people.create_organisation(name="Elan Coopératif Niortais")
    maif = services.people.create_organisation(name="MAIF")
    return {
        "helene": services.people.create_person(first_name="Hélène", last_name="Lefèvre",
                                                email="helene.lefevre@exemple.fr",
                                                organisation_ids=(elan,)),
        "francois": services.people.create_person(first_name="François", last_name="Ménard",
                                                  organisation_ids=(maif,)),
        "eloise": services.people.create_person(first_name="Éloïse", last_name="Cœur"),
    }


@pytest.fixture
def screen(qtbot, services, people):
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.reception import ReceptionScreen

    tasks = TaskRunner()
    widget = ReceptionScreen(services, tasks)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: tasks.idle)
    yield widget
    tasks.wait()


def rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def names_in(view: QTableView) -> list[str]:
    return [row[0] for row in rows(view)]


def search_and_wait(qtbot, screen, text: str) -> None:
    field = find(screen, "Rechercher une personne", QLineEdit)
    field.setFocus()
    type_text(field, text)
    qtbot.waitUntil(lambda: screen._pending_query is None and screen.tasks.idle
                    and not screen._search_timer.isActive())


def test_search_field_has_focus_and_explains_short_queries(qtbot, screen):
    field = find(screen, "Rechercher une personne", QLineEdit)
    qtbot.waitUntil(field.hasFocus)
    hint = find(screen, "Aide de la recherche", QLabel)
    type_text(field, "l")
    assert "deux lettres" in hint.text()
    assert rows(find(screen, "Résultats de la recherche", QTableView)) == []


def test_type_without_accents_enter_and_the_person_is_present(qtbot, screen):
    search_and_wait(qtbot, screen, "lefevre")
    results = find(screen, "Résultats de la recherche", QTableView)
    assert names_in(results) == ["Hélène Lefèvre"]
    assert rows(results)[0][1] == "Elan Coopératif Niortais"

    press(find(screen, "Rechercher une personne", QLineEdit), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.tasks.idle)
    present = find(screen, "Présents", QTableView)
    qtbot.waitUntil(lambda: names_in(present) == ["Hélène Lefèvre"])
    assert "arrivée pointée" in find(screen, "Message", QLabel).text()
    # the field is cleared and ready for the next person
    assert find(screen, "Rechercher une personne", QLineEdit).text() == ""
    assert "1 arrivée" in find(screen, "Compteurs du jour", QLabel).text()


def test_arrow_keys_choose_among_results(qtbot, screen, services):
    search_and_wait(qtbot, screen, "e")  # one letter: nothing
    search_and_wait(qtbot, screen, "n")  # "en" matches Hélène, Ménard (François)…
    results = find(screen, "Résultats de la recherche", QTableView)
    listed = names_in(results)
    assert len(listed) >= 2
    field = find(screen, "Rechercher une personne", QLineEdit)
    press(field, Qt.Key.Key_Down)
    press(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.tasks.idle)
    present = services.reception.present()
    assert [v.name for v in present] == [listed[1]]


def test_escape_clears_the_search(qtbot, screen):
    search_and_wait(qtbot, screen, "menard")
    assert names_in(find(screen, "Résultats de la recherche", QTableView)) == ["François Ménard"]
    press(find(screen, "Rechercher une personne", QLineEdit), Qt.Key.Key_Escape)
    assert find(screen, "Rechercher une personne", QLineEdit).text() == ""
    assert rows(find(screen, "Résultats de la recherche", QTableView)) == []


def test_typed_accents_and_ligature_find_the_person(qtbot, screen):
    search_and_wait(qtbot, screen, "cœur")
    assert names_in(find(screen, "Résultats de la recherche", QTableView)) == ["Éloïse Cœur"]


def test_nobody_found_says_so(qtbot, screen):
    search_and_wait(qtbot, screen, "zzqx")
    assert "Aucune personne ne correspond" in find(screen, "Aide de la recherche", QLabel).text()


def test_double_check_in_is_refused_and_offers_check_out(qtbot, screen, services, people, no_modal):
    services.reception.check_in(person_id=people["helene"])
    search_and_wait(qtbot, screen, "helene")
    assert rows(find(screen, "Résultats de la recherche", QTableView))[0][3] == "Dans la maison"
    no_modal.answers.append(True)  # "Pointer la sortie"
    press(find(screen, "Rechercher une personne", QLineEdit), Qt.Key.Key_Return)
    assert any("déjà dans la maison" in t for t in no_modal.texts("confirm"))
    qtbot.waitUntil(lambda: screen.tasks.idle)
    assert services.reception.present() == ()
    assert len(services.reception.day().today) == 1


def test_double_check_in_refused_keeps_the_person_in_when_declined(qtbot, screen, services,
                                                                   people, no_modal):
    services.reception.check_in(person_id=people["helene"])
    search_and_wait(qtbot, screen, "helene")
    no_modal.answers.append(False)
    press(find(screen, "Rechercher une personne", QLineEdit), Qt.Key.Key_Return)
    assert no_modal.texts("confirm")
    assert [v.name for v in services.reception.present()] == ["Hélène Lefèvre"]


def test_check_out_by_button_double_click_and_shortcut(qtbot, screen, services, people, clock):
    for key in ("helene", "francois", "eloise"):
        services.reception.check_in(person_id=people[key])
    screen.refresh()
    present = find(screen, "Présents", QTableView)
    qtbot.waitUntil(lambda: len(names_in(present)) == 3)

    # button
    present.selectRow(0)
    first = names_in(present)[0]
    qtbot.mouseClick(find(screen, "Pointer la sortie", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first not in names_in(present))

    # double-click
    second = names_in(present)[0]
    rect = present.visualRect(present.model().index(0, 0))
    qtbot.mouseClick(present.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(present.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: second not in names_in(present))

    # shortcut
    present.setFocus()
    present.selectRow(0)
    qtbot.keyClick(present, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: names_in(present) == [])
    assert services.reception.day().counts.departures == 3


def test_undo_a_mistaken_check_in(qtbot, screen, services, people):
    search_and_wait(qtbot, screen, "menard")
    press(find(screen, "Rechercher une personne", QLineEdit), Qt.Key.Key_Return)
    assert [v.name for v in services.reception.present()] == ["François Ménard"]
    qtbot.mouseClick(find(screen, "Annuler la dernière action", QPushButton),
                     Qt.MouseButton.LeftButton)
    assert services.reception.present() == ()
    assert "Arrivée annulée" in find(screen, "Message", QLabel).text()


def test_everyone_out_after_confirmation(qtbot, screen, services, people, no_modal):
    for key in ("helene", "francois"):
        services.reception.check_in(person_id=people[key])
    screen.refresh()
    present = find(screen, "Présents", QTableView)
    qtbot.waitUntil(lambda: len(names_in(present)) == 2)
    button = find(screen, "Tout pointer en sortie", QPushButton)

    no_modal.answers.append(False)  # changed her mind
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(services.reception.present()) == 2

    no_modal.answers.append(True)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert "2 personnes" in no_modal.texts("confirm")[-1]
    qtbot.waitUntil(lambda: names_in(present) == [])
    assert services.reception.present() == ()


def test_walk_in_visitor(qtbot, screen, services, monkeypatch):
    from maison_app.views.reception import visitor_dialog

    def fill_and_save(dialog):
        dialog.show()
        # a visitor without a name is refused next to the field, and what was typed stays
        type_text(find(dialog, "Structure du visiteur", QLineEdit), "Crédit Coopératif")
        qtbot.mouseClick(find(dialog, "Enregistrer l'arrivée", QPushButton),
                         Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert dialog.errors.message("name") == "Indiquez le nom du visiteur."
        assert find(dialog, "Structure du visiteur", QLineEdit).text() == "Crédit Coopératif"
        assert services.reception.present() == ()

        type_text(find(dialog, "Nom du visiteur", QLineEdit), "Gaëlle Bézier")
        combo = find(dialog, "Motif de la visite")
        combo.setCurrentIndex(combo.findData(VisitPurpose.REUNION))
        type_text(find(dialog, "Personne visitée", QLineEdit), "Hélène Lefèvre")
        assert "trois mois" in find(dialog, "Information sur la protection des données").text()
        qtbot.mouseClick(find(dialog, "Enregistrer l'arrivée", QPushButton),
                         Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(visitor_dialog.VisitorDialog, "exec", fill_and_save)
    qtbot.mouseClick(find(screen, "Nouveau visiteur", QPushButton), Qt.MouseButton.LeftButton)
    present = find(screen, "Présents", QTableView)
    qtbot.waitUntil(lambda: names_in(present) == ["Gaëlle Bézier (visiteur)"])
    row = rows(present)[0]
    assert row[2] == "Réunion"
    assert row[3] == "Hélène Lefèvre"
    assert row[4] == "Crédit Coopératif"
    # a visitor is a visit, not a member
    assert services.people.search(query="bezier").hits == ()


def test_presence_list_pdf_from_the_screen(qtbot, screen, services, people):
    from pypdf import PdfReader
    import io

    services.reception.check_in(person_id=people["helene"])
    qtbot.mouseClick(find(screen, "Liste des présents", QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(screen, "presence_dialog", None) is not None, timeout=10_000)
    dialog = screen.presence_dialog
    assert dialog.isVisible()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(dialog.pdf_bytes)).pages)
    assert "Hélène Lefèvre" in text
    assert "Liste des présents" in text
    dialog.close()


# --- member badges scanned at the desk, and the membership tag in the results (#4) ------------


def _scan(field: QLineEdit, code: str) -> None:
    """As a barcode scanner does: the characters at once, then Enter."""
    from PySide6.QtTest import QTest

    field.setFocus()
    QTest.keyClicks(field, code)
    QTest.keyClick(field, Qt.Key.Key_Return)


def _settled(screen) -> bool:
    return screen.tasks.idle and not screen._search_timer.isActive()


def test_scanning_a_member_badge_checks_the_member_in(qtbot, screen, services, people):
    from maison_app.domain.members import member_code

    field = find(screen, "Rechercher une personne", QLineEdit)
    _scan(field, member_code(people["helene"]))
    assert [v.name for v in services.reception.present()] == ["Hélène Lefèvre"]
    assert "Hélène Lefèvre : arrivée pointée" in find(screen, "Message", QLabel).text()
    assert field.text() == ""  # ready for the next badge
    assert find(screen, "Annuler la dernière action", QPushButton).isVisible()
    present = find(screen, "Présents", QTableView)
    qtbot.waitUntil(lambda: names_in(present) == ["Hélène Lefèvre"])
    # the search the typing started never fires, nor leaves a stale answer behind
    qtbot.waitUntil(lambda: _settled(screen))
    assert rows(find(screen, "Résultats de la recherche", QTableView)) == []
    assert "deux lettres" in find(screen, "Aide de la recherche", QLabel).text()


def test_a_badge_scanned_while_its_search_runs_leaves_no_stale_answer(qtbot, screen, services,
                                                                       people):
    from maison_app.domain.members import member_code

    code = member_code(people["francois"])
    field = find(screen, "Rechercher une personne", QLineEdit)
    field.setFocus()
    qtbot.keyClicks(field, code)
    screen._run_search()  # the debounced search has gone out; its answer is on its way
    assert screen._pending_query == code
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert [v.name for v in services.reception.present()] == ["François Ménard"]
    qtbot.waitUntil(lambda: _settled(screen))
    assert rows(find(screen, "Résultats de la recherche", QTableView)) == []
    assert "Aucune personne" not in find(screen, "Aide de la recherche", QLabel).text()


def test_a_wrong_badge_code_says_so_and_checks_nobody_in(qtbot, screen, services, people,
                                                         no_modal):
    from maison_app.domain.members import member_code

    good = member_code(people["helene"])
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)  # a misread check digit
    field = find(screen, "Rechercher une personne", QLineEdit)
    _scan(field, bad)
    assert no_modal.texts("warn") == [f"« {bad} » n'est pas un code de membre valide."]
    assert services.reception.present() == ()
    assert field.text() == bad and field.selectedText() == bad  # the next scan replaces it
    assert "Code de badge non reconnu" in find(screen, "Aide de la recherche", QLabel).text()
    qtbot.waitUntil(lambda: _settled(screen))
    assert rows(find(screen, "Résultats de la recherche", QTableView)) == []

    _scan(field, member_code(99_999))  # well formed, but nobody's
    assert no_modal.texts("warn")[-1] == f"Aucun membre ne porte le code {member_code(99_999)}."
    assert services.reception.present() == ()


def test_a_badge_of_someone_already_in_offers_the_check_out(qtbot, screen, services, people,
                                                            no_modal):
    from maison_app.domain.members import member_code

    services.reception.check_in(person_id=people["helene"])
    no_modal.answers.append(False)  # she stays
    field = find(screen, "Rechercher une personne", QLineEdit)
    _scan(field, member_code(people["helene"]))
    assert any("déjà dans la maison" in t for t in no_modal.texts("confirm"))
    assert [v.name for v in services.reception.present()] == ["Hélène Lefèvre"]
    assert field.text() == ""

    no_modal.answers.append(True)  # "Pointer la sortie"
    _scan(field, member_code(people["helene"]))
    assert services.reception.present() == ()


def test_text_that_is_not_a_code_is_still_a_search(qtbot, screen, services, people):
    search_and_wait(qtbot, screen, "ess")  # the code's prefix, and a name part
    field = find(screen, "Rechercher une personne", QLineEdit)
    assert field.text() == "ess"
    assert "Aucune personne ne correspond" in find(screen, "Aide de la recherche", QLabel).text()


@pytest.fixture
def helene_owes(services, people):
    """Hélène joined this year and has not paid yet: à relancer."""
    from maison_app.domain.enums import MemberKind

    m = services.memberships
    college = m.colleges()[0].id
    m.save_fee(college_id=college, year=m.this_year(), fee_cents=5000)
    m.create_membership(kind=MemberKind.PERSON, member_id=people["helene"],
                        year=m.this_year(), college_id=college)


def test_a_member_to_remind_shows_a_tag_beside_the_name(qtbot, screen, helene_owes):
    from PySide6.QtGui import QColor

    from maison_app.domain.enums import MembershipStatus
    from maison_app.views.reception.screen import BADGE_COLOURS

    search_and_wait(qtbot, screen, "en")  # Hélène Lefèvre, François Ménard…
    results = find(screen, "Résultats de la recherche", QTableView)
    listed = names_in(results)
    assert "Hélène Lefèvre" in listed  # the name itself is unchanged
    row = listed.index("Hélène Lefèvre")
    cell = results.model().index(row, 0)
    assert cell.data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Hélène Lefèvre, adhésion : À relancer")
    assert "pas encore payée" in cell.data(Qt.ItemDataRole.ToolTipRole)
    other = results.model().index(listed.index("François Ménard"), 0)  # not a member: no tag
    assert other.data(Qt.ItemDataRole.AccessibleTextRole) == "François Ménard"

    # the tag is painted in its colour in her row, and in no other
    image = results.viewport().grab().toImage()
    red = QColor(BADGE_COLOURS[MembershipStatus.A_RELANCER]).rgb()

    def has_red(r: int) -> bool:
        rect = results.visualRect(results.model().index(r, 0))
        return any(image.pixel(x, rect.center().y()) == red
                   for x in range(rect.left(), rect.right()))

    assert has_red(row)
    assert not any(has_red(r) for r in range(len(listed)) if r != row)


def test_checking_in_a_member_to_remind_says_so(qtbot, screen, services, helene_owes):
    search_and_wait(qtbot, screen, "lefevre")
    press(find(screen, "Rechercher une personne", QLineEdit), Qt.Key.Key_Return)
    message = find(screen, "Message", QLabel).text()
    assert message.startswith("Hélène Lefèvre : arrivée pointée")
    assert "pas encore payée : pensez à la rappeler" in message
