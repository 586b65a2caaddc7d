"""The figures funders ask for, on the workshops screen: hours by person, by axis and by
workshop over a period, participants, sessions, attendance rate, a total line; the CSV
export written where the person chose."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableView

from maison_app.domain.enums import HalfDayPart
from maison_app.ui.tasks import TaskRunner
from maison_app.views.workshops import figures_tab as view
from maison_app.views.workshops.figures_tab import FiguresTab
from tests.ui.conftest import find, type_text
from tests.ui.test_attendance_dialog import build_workshop

SESSION_DAY = dt.date(2026, 11, 5)


def plain(text: str) -> str:
    """babel's no-break spaces ("50 %") as plain ones."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture
def dataset(services, clock):
    """A session of « École de l'entrepreneur collectif » on Thursday 5 November (morning
    and afternoon), registered for on 2 November; attendance taken on the 26th: Karim all
    day (7 h), Hélène the morning (3 h 30), Zoé absent."""
    clock.now = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    ids = build_workshop(services, day=SESSION_DAY)
    clock.now = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
    morning, afternoon = ids[HalfDayPart.MORNING], ids[HalfDayPart.AFTERNOON]
    services.workshops.record_attendance(session_id=ids["session"], present={
        (ids["reg Karim"], morning): True, (ids["reg Karim"], afternoon): True,
        (ids["reg Hélène"], morning): True, (ids["reg Hélène"], afternoon): False,
        (ids["reg Zoé"], morning): False, (ids["reg Zoé"], afternoon): False,
    })
    return ids


@pytest.fixture
def tab(qtbot, services, dataset):
    tasks = TaskRunner()
    widget = FiguresTab(services, tasks)
    qtbot.addWidget(widget)
    widget.resize(1180, 700)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: tasks.idle and widget.figures is not None, timeout=10_000)
    yield widget
    tasks.wait()


def rows(view: QTableView) -> list[list[str]]:
    model = view.model()
    return [[plain(model.index(r, c).data()) for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def test_the_figures_of_the_year(qtbot, tab):
    assert find(tab, "Début de la période", QLineEdit).text() == "01/01/2026"
    assert find(tab, "Fin de la période", QLineEdit).text() == "31/12/2026"
    workshops = find(tab, "Chiffres par atelier", QTableView)
    assert [workshops.model().headerData(c, Qt.Orientation.Horizontal)
            for c in range(workshops.model().columnCount())] == [
        "Atelier", "Participants", "Séances", "Heures", "Taux de présence"]
    # 3 participants, 1 session, 10,5 hours, 3 half-days present out of 6
    assert rows(workshops) == [["École de l'entrepreneur collectif", "3", "1", "10,5", "50 %"]]
    # the four axes of the PTCE, in their order, even those without a session
    assert rows(find(tab, "Chiffres par axe", QTableView)) == [
        ["Coopération entre les acteurs", "0", "0", "0", "—"],
        ["Création d'activités et d'emplois", "0", "0", "0", "—"],
        ["Formation", "3", "1", "10,5", "50 %"],
        ["Économie vivante et durable", "0", "0", "0", "—"]]
    people = find(tab, "Chiffres par personne", QTableView)
    assert [people.model().headerData(c, Qt.Orientation.Horizontal)
            for c in range(people.model().columnCount())] == [
        "Personne", "Séances", "Heures", "Taux de présence"]
    assert sorted(rows(people)) == [
        ["Hélène Lefèvre", "1", "3,5", "50 %"],
        ["Karim Benali", "1", "7", "100 %"],
        ["Zoé Martin", "1", "0", "0 %"],
    ]
    total = plain(find(tab, "Total de la période", QLabel).text())
    assert total == ("Total : 3 participant·es · 1 séance · 10,5 h de présence · "
                     "taux de présence 50 %")


def test_the_presets_change_the_period(qtbot, tab):
    with qtbot.waitSignal(tab.figures_loaded, timeout=5000):
        qtbot.mouseClick(find(tab, "L'an dernier", QPushButton), Qt.MouseButton.LeftButton)
    assert find(tab, "Début de la période", QLineEdit).text() == "01/01/2025"
    assert rows(find(tab, "Chiffres par atelier", QTableView)) == []
    assert "aucune séance" in find(tab, "Période affichée", QLabel).text()
    assert find(tab, "Total de la période", QLabel).text().startswith("Total : 0 participant·e")
    with qtbot.waitSignal(tab.figures_loaded, timeout=5000):
        qtbot.mouseClick(find(tab, "Ce mois-ci", QPushButton), Qt.MouseButton.LeftButton)
    assert (tab.start.text(), tab.end.text()) == ("01/11/2026", "30/11/2026")
    assert len(rows(find(tab, "Chiffres par personne", QTableView))) == 3


def test_a_period_typed_by_hand(qtbot, tab):
    start = find(tab, "Début de la période", QLineEdit)
    end = find(tab, "Fin de la période", QLineEdit)
    start.clear()
    type_text(start, "06/11/2026")
    with qtbot.waitSignal(tab.figures_loaded, timeout=5000):
        tab.refresh()
    assert rows(find(tab, "Chiffres par atelier", QTableView)) == []  # the 5th is left out
    end.clear()
    type_text(end, "01/11/2026")
    tab.refresh()
    error = find(tab, "Erreur de la période", QLabel)
    assert not error.isHidden()
    assert error.text() == "La fin de la période est avant son début."


def test_the_csv_export(qtbot, tab, tmp_path, monkeypatch):
    target = tmp_path / "chiffres"
    asked = []
    monkeypatch.setattr(view, "ask_csv_path",
                        lambda parent, suggested: (asked.append(suggested), str(target))[1])
    qtbot.mouseClick(find(tab, "Exporter les chiffres", QPushButton), Qt.MouseButton.LeftButton)
    assert asked[0].name == "ateliers-chiffres-2026-01-01-2026-12-31.csv"
    written = tmp_path / "chiffres.csv"
    assert tab.exported_path == written
    content = written.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    text = content.decode("utf-8-sig")
    assert "École de l'entrepreneur collectif" in text
    assert "Karim Benali" in text and ";" in text
    assert "10,5" in text
    assert f"Chiffres enregistrés dans {written}" == find(tab, "Période affichée",
                                                          QLabel).text()
