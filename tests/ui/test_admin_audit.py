"""The audit trail tab of the Administration screen, as an administrator uses it: read the
latest changes, filter them by person, element, word and period, scroll back in time."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
)

from maison_app.domain.enums import VisitPurpose
from maison_app.services.context import Actor
from maison_app.services.registry import Services
from tests.ui.conftest import find, press, type_text

DATE, USER, ACTION, ELEMENT, NUMBER, DETAIL = range(6)


@pytest.fixture
def desk(services):
    """The services as Claire, the administrator."""
    admin = services.accounts.create_first_admin(login="admin", display_name="Claire",
                                                 password="admin-2026")
    return services.for_actor(services.accounts.actor_for(admin))


@pytest.fixture
def history(desk, database, clock):
    """A morning at the desk: Claire records a structure and a person, checks her in and
    out; a colleague (incubation) records another structure the next day."""
    elan = desk.people.create_organisation(name="Elan Coopératif Niortais")
    clock.advance(minutes=5)
    helene = desk.people.create_person(first_name="Hélène", last_name="Lefèvre",
                                       organisation_ids=(elan,))
    clock.advance(minutes=5)
    visit = desk.reception.check_in(person_id=helene, purpose=VisitPurpose.COWORKING)
    clock.advance(hours=2)
    desk.reception.check_out(visit_id=visit.id)
    clock.advance(days=1)
    colleague = Services.build(database, actor=Actor(login="incubation"), clock=clock)
    colleague.people.create_organisation(name="SCOP Matapeste")
    return {"helene": helene, "visit": visit.id}


def make_tab(qtbot, desk, *, height: int = 600):
    from maison_app.ui.tasks import TaskRunner
    from maison_app.views.admin.audit import AuditTab

    tasks = TaskRunner()
    tab = AuditTab(desk, tasks)
    qtbot.addWidget(tab)
    tab.resize(1100, height)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


@pytest.fixture
def tab(qtbot, desk, history):
    return make_tab(qtbot, desk)


def rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def column(view: QTableView, index: int) -> list[str]:
    return [row[index] for row in rows(view)]


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(index)


def test_the_latest_changes_come_first_with_french_labels(tab):
    journal = find(tab, "Journal", QTableView)
    header = [journal.model().headerData(c, Qt.Orientation.Horizontal)
              for c in range(journal.model().columnCount())]
    assert header == ["Date", "Utilisateur", "Action", "Élément", "N°", "Détail"]
    table = rows(journal)
    # newest first: the colleague's structure the next day, then the check-out, …
    assert table[0][USER] == "incubation"
    assert table[0][ELEMENT] == "Structure" and table[0][ACTION] == "Création"
    assert table[0][DATE] == "27 novembre 2026 à 11:10"
    assert "SCOP Matapeste" in table[0][DETAIL]
    assert table[1][:5] == ["26 novembre 2026 à 11:10", "admin", "Modification", "Passage", "1"]
    assert "left_at" in table[1][DETAIL]
    elements = column(journal, ELEMENT)
    assert elements[:6] == ["Structure", "Passage", "Passage", "Rattachement", "Personne",
                            "Structure"]
    assert elements[-1] == "Compte"  # the administrator's account, created first
    count = find(tab, "Nombre d'entrées", QLabel)
    assert count.text() == f"{len(table)} entrées affichées."


def test_the_whole_detail_is_in_the_tooltip(tab):
    journal = find(tab, "Journal", QTableView)
    person_row = column(journal, ELEMENT).index("Personne")
    tip = journal.model().index(person_row, DETAIL).data(Qt.ItemDataRole.ToolTipRole)
    assert "first_name: Hélène" in tip and "last_name: Lefèvre" in tip
    assert "\n" in tip  # one change per line


def test_filter_by_user(qtbot, tab):
    users = find(tab, "Utilisateur", QComboBox)
    assert [users.itemText(i) for i in range(users.count())] == [
        "Tous", "accueil-test", "admin", "incubation"]
    choose(users, "incubation")
    journal = find(tab, "Journal", QTableView)
    assert column(journal, USER) == ["incubation"]
    choose(users, "admin")
    assert set(column(journal, USER)) == {"admin"}
    assert len(rows(journal)) == 5
    choose(users, "Tous")
    assert set(column(journal, USER)) == {"admin", "incubation", "accueil-test"}


def test_filter_by_element_with_french_names(qtbot, tab):
    elements = find(tab, "Élément", QComboBox)
    names = [elements.itemText(i) for i in range(elements.count())]
    assert names[0] == "Tous"
    assert set(names[1:]) == {"Compte", "Passage", "Personne", "Rattachement", "Structure"}
    choose(elements, "Passage")
    journal = find(tab, "Journal", QTableView)
    assert column(journal, ACTION) == ["Modification", "Création"]
    assert set(column(journal, ELEMENT)) == {"Passage"}
    # combined with the user
    choose(find(tab, "Utilisateur", QComboBox), "incubation")
    assert rows(journal) == []
    assert find(tab, "Nombre d'entrées", QLabel).text() == \
        "Aucune entrée ne correspond à ces filtres."


def test_unknown_elements_are_shown_as_they_are():
    from maison_app.views.admin.audit import entity_label

    assert entity_label("visit") == "Passage"
    assert entity_label("app_user") == "Compte"
    assert entity_label("database") == "Base de données"
    assert entity_label("booking") == "booking"


def test_filter_by_a_word_of_the_detail(qtbot, tab):
    field = find(tab, "Texte", QLineEdit)
    journal = find(tab, "Journal", QTableView)
    field.setFocus()
    type_text(field, "Lefèvre")
    qtbot.waitUntil(lambda: not tab._text_timer.isActive())
    assert column(journal, ELEMENT) == ["Personne"]
    field.clear()
    type_text(field, "Matapeste")
    qtbot.waitUntil(lambda: not tab._text_timer.isActive())
    assert column(journal, USER) == ["incubation"]
    field.clear()
    qtbot.waitUntil(lambda: not tab._text_timer.isActive())
    assert len(rows(journal)) == 7


def test_the_text_is_debounced(qtbot, tab):
    calls = []
    original = tab.services.audit.entries
    tab.services.audit.entries = lambda **kw: calls.append(kw) or original(**kw)
    field = find(tab, "Texte", QLineEdit)
    type_text(field, "Elan")
    assert calls == []  # nothing read while typing
    qtbot.waitUntil(lambda: bool(calls))
    qtbot.wait(50)
    assert [c["where"].text for c in calls] == ["Elan"]


def test_filter_by_period_in_paris_days(qtbot, tab, desk, clock):
    # 23:30 UTC on 27 November is already 28 November in Paris
    clock.now = dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.UTC)
    desk.people.create_organisation(name="Nuit du 28")
    press(tab, Qt.Key.Key_F5)

    journal = find(tab, "Journal", QTableView)
    since, until = find(tab, "Du", QDateEdit), find(tab, "Au", QDateEdit)
    all_dates = find(tab, "Toutes les dates", QCheckBox)
    assert all_dates.isChecked() and not since.isEnabled() and not until.isEnabled()
    assert since.calendarPopup() and until.calendarPopup()
    assert len(rows(journal)) == 8

    all_dates.setChecked(False)
    assert since.isEnabled() and until.isEnabled()
    since.setDate(QDate(2026, 11, 26))
    until.setDate(QDate(2026, 11, 26))
    assert len(rows(journal)) == 6
    assert {r[DATE].split(" à ")[0] for r in rows(journal)} == {"26 novembre 2026"}

    since.setDate(QDate(2026, 11, 28))  # the end follows the start
    assert until.date() == QDate(2026, 11, 28)
    assert column(journal, DETAIL)[0].startswith("name: Nuit du 28")
    assert len(rows(journal)) == 1

    since.setDate(QDate(2026, 11, 27))
    assert column(journal, DATE) == ["28 novembre 2026 à 00:30", "27 novembre 2026 à 11:10"]

    all_dates.setChecked(True)
    assert len(rows(journal)) == 8


def test_scrolling_loads_the_older_pages(qtbot, desk, history, monkeypatch):
    from maison_app.views.admin import audit as audit_view

    monkeypatch.setattr(audit_view, "PAGE_SIZE", 3)
    for i in range(10):
        desk.people.create_organisation(name=f"Structure {i:02d}")
    total = len(desk.audit.entries(limit=1000))
    assert total == 17
    tab = make_tab(qtbot, desk, height=260)
    journal = find(tab, "Journal", QTableView)
    model = journal.model()
    qtbot.wait(20)  # let the view lay itself out (it may fill its viewport)
    shown = model.rowCount()
    assert shown < total and shown % 3 == 0
    count = find(tab, "Nombre d'entrées", QLabel)
    assert "faites défiler" in count.text()
    assert column(journal, DETAIL)[0].startswith("name: Structure 09")

    while model.canFetchMore(QModelIndex()):
        before = model.rowCount()
        journal.scrollToBottom()
        qtbot.waitUntil(lambda: model.rowCount() > before
                        or not model.canFetchMore(QModelIndex()))
    assert model.rowCount() == total
    assert column(journal, ELEMENT)[-1] == "Compte"
    ids = [r.id for r in model.records()]  # no page read twice, none skipped
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == total
    qtbot.waitUntil(lambda: count.text() == f"{total} entrées affichées.")


def test_nothing_can_be_edited_or_deleted(qtbot, tab):
    journal = find(tab, "Journal", QTableView)
    assert journal.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    model = journal.model()
    for c in range(model.columnCount()):
        assert not model.flags(model.index(0, c)) & Qt.ItemFlag.ItemIsEditable
    index = model.index(0, DETAIL)
    before = index.data()
    qtbot.mouseDClick(journal.viewport(), Qt.MouseButton.LeftButton,
                      pos=journal.visualRect(index).center())
    press(journal, Qt.Key.Key_F2)
    press(journal, Qt.Key.Key_Delete)
    assert journal.state() != QAbstractItemView.State.EditingState
    assert model.index(0, DETAIL).data() == before
    buttons = [b.text() for b in tab.findChildren(QPushButton)]
    assert buttons == ["Actualiser (F5)"]


def test_f5_shows_new_changes_and_new_people(qtbot, tab, database, clock):
    journal = find(tab, "Journal", QTableView)
    before = len(rows(journal))
    clock.advance(minutes=1)
    other = Services.build(database, actor=Actor(login="accueil"), clock=clock)
    other.people.create_person(first_name="François", last_name="Ménard")
    assert len(rows(journal)) == before
    press(journal, Qt.Key.Key_F5)
    assert len(rows(journal)) == before + 1
    assert rows(journal)[0][USER] == "accueil"
    users = find(tab, "Utilisateur", QComboBox)
    assert users.findText("accueil") > 0
    # the chosen filter survives a refresh
    choose(users, "incubation")
    find(tab, "Actualiser", QPushButton).click()
    assert users.currentText() == "incubation"
    assert column(journal, USER) == ["incubation"]
