"""The widgets beside the floor plan: the organisations to install (search, drag data), the
history of a desk, the occupancy figures."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListView, QTableView

from maison_app.domain.enums import Role, SpaceKind
from maison_app.domain.spaces import OccupancyFigure, OccupancyFigures, SpaceRecord
from maison_app.services.context import Actor
from maison_app.views.spaces.figures_chart import FiguresPanel
from maison_app.views.spaces.history_dialog import CURRENT_BACKGROUND, HistoryDialog
from maison_app.views.spaces.holders_list import MIME_TYPE, HoldersList, parse_holder
from tests.ui.conftest import find, type_text

D = dt.date  # the clock says Thursday 26 November 2026


def plain(text: str) -> str:
    """babel's French spaces (no-break, narrow no-break) as plain spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def new_space(services, name: str, kind: SpaceKind, *, floor: int = 0, capacity: int = 1,
              parent: int | None = None) -> int:
    return services.spaces.save_space(SpaceRecord(id=None, kind=kind, name=name, floor=floor,
                                                  capacity=capacity, parent_id=parent))


@pytest.fixture
def house(services):
    ids = {name: services.people.create_organisation(name=name) for name in (
        "AMAP des Paniers", "Graines de Cœur", "Récup'Sèvre Ressourcerie", "Élan Numérique",
        "Zéro Déchet Niort")}
    ids["open"] = new_space(services, "Espace partagé", SpaceKind.OPEN_SPACE, capacity=8)
    ids["a1"] = new_space(services, "Poste A1", SpaceKind.DESK, parent=ids["open"])
    ids["b12"] = new_space(services, "Bureau 12", SpaceKind.OFFICE, floor=1, capacity=3)
    return ids


@pytest.fixture
def tasks():
    from maison_app.ui.tasks import TaskRunner

    runner = TaskRunner()
    yield runner
    runner.wait()


# --- the organisations to install -------------------------------------------------------------


@pytest.fixture
def holders(qtbot, services, tasks, house):
    services.spaces.assign(space_id=house["b12"], organisation_id=house["Zéro Déchet Niort"],
                           start=D(2026, 3, 1), seats=2)
    services.spaces.assign(space_id=house["a1"], organisation_id=house["Élan Numérique"],
                           start=D(2027, 1, 4))
    panel = HoldersList(services, tasks)
    qtbot.addWidget(panel)
    panel.resize(300, 500)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: tasks.idle and panel.model.rowCount() > 0)
    return panel


def names(panel) -> list[str]:
    model = find(panel, "Structures", QListView).model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def search(qtbot, panel, tasks, text: str) -> list[str]:
    field = find(panel, "Rechercher une structure", QLineEdit)
    field.clear()
    with qtbot.waitSignal(panel.results_shown, timeout=5000):
        type_text(field, text)
    qtbot.waitUntil(lambda: tasks.idle)
    return names(panel)


def test_installed_organisations_come_first_with_their_place(holders):
    assert names(holders) == ["Élan Numérique", "Zéro Déchet Niort", "AMAP des Paniers",
                              "Graines de Cœur", "Récup'Sèvre Ressourcerie"]
    model = holders.model
    assert model.holder(0).places == ("Poste A1 (à partir du 4 janvier 2027)",)
    assert model.holder(1).places == ("Bureau 12 (jusqu'à nouvel ordre)",)
    assert model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole) == (
        "Zéro Déchet Niort\nInstallée : Bureau 12 (jusqu'à nouvel ordre)")
    assert model.index(2, 0).data(Qt.ItemDataRole.AccessibleTextRole) == "AMAP des Paniers"
    assert find(holders, "Résultat de la recherche de structures", QLabel).text() == (
        "5 structures")
    assert find(holders, "Aide de l'attribution", QLabel).text() == (
        "Glissez une structure sur un bureau ou un poste libre du plan")


def test_search_ignores_accents_and_case(qtbot, holders, tasks):
    assert search(qtbot, holders, tasks, "COEUR") == ["Graines de Cœur"]
    assert search(qtbot, holders, tasks, "recup sevre") == ["Récup'Sèvre Ressourcerie"]
    assert search(qtbot, holders, tasks, "elan") == ["Élan Numérique"]
    assert search(qtbot, holders, tasks, "zzz") == []
    assert find(holders, "Résultat de la recherche de structures", QLabel).text() == (
        "Aucune structure ne correspond à « zzz ».")


def test_a_dragged_organisation_carries_its_id_and_name(holders, house):
    model = holders.model
    row = names(holders).index("Graines de Cœur")
    index = model.index(row, 0)
    assert model.flags(index) & Qt.ItemFlag.ItemIsDragEnabled
    assert holders.view.dragEnabled()
    mime = model.mimeData([index])
    assert mime.hasFormat(MIME_TYPE)
    assert bytes(mime.data(MIME_TYPE).data()) == f"organisation:{house['Graines de Cœur']}".encode()
    assert mime.text() == "Graines de Cœur"
    assert parse_holder(mime.data(MIME_TYPE)) == ("organisation", house["Graines de Cœur"])
    assert parse_holder(b"garbage") is None
    assert model.mimeTypes() == [MIME_TYPE, "text/plain"]
    assert model.supportedDragActions() == Qt.DropAction.CopyAction


def test_enter_on_an_organisation_asks_for_its_desk(qtbot, holders):
    holders.view.setFocus()
    holders.view.setCurrentIndex(holders.model.index(2, 0))
    with qtbot.waitSignal(holders.holder_activated) as signal:
        qtbot.keyClick(holders.view, Qt.Key.Key_Return)
    assert signal.args[1] == "AMAP des Paniers"


def test_the_reception_cannot_drag(qtbot, services, tasks, house):
    panel = HoldersList(services.for_actor(Actor(login="accueil", role=Role.ACCUEIL)), tasks)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: tasks.idle and panel.model.rowCount() > 0)
    assert not panel.view.dragEnabled()
    assert not panel.model.flags(panel.model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert find(panel, "Aide de l'attribution", QLabel).text().startswith("Consultation seule")


# --- the history of a desk ---------------------------------------------------------------------


def test_history_latest_first_with_today_highlighted(qtbot, services, house):
    sp = services.spaces
    sp.assign(space_id=house["b12"], organisation_id=house["AMAP des Paniers"],
              start=D(2025, 1, 1), end=D(2025, 12, 31), seats=3, notes="Partie à Coulon")
    sp.assign(space_id=house["b12"], organisation_id=house["Graines de Cœur"],
              start=D(2026, 1, 1), end=D(2026, 12, 31), seats=2)
    sp.assign(space_id=house["b12"], organisation_id=house["Élan Numérique"],
              start=D(2026, 6, 1), seats=1)
    sp.assign(space_id=house["b12"], organisation_id=house["Zéro Déchet Niort"],
              start=D(2027, 1, 1), seats=2)
    dialog = HistoryDialog(services, space_id=house["b12"])
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Historique de « Bureau 12 »"
    assert dialog.rows() == [
        ["Zéro Déchet Niort", "1 janvier 2027", "jusqu'à nouvel ordre", "À venir", "2", ""],
        ["Élan Numérique", "1 juin 2026", "jusqu'à nouvel ordre", "En cours", "1", ""],
        ["Graines de Cœur", "1 janvier 2026", "31 décembre 2026", "En cours", "2", ""],
        ["AMAP des Paniers", "1 janvier 2025", "31 décembre 2025", "Terminée", "3",
         "Partie à Coulon"],
    ]
    table = find(dialog, "Historique des attributions", QTableView)
    header = [table.model().headerData(c, Qt.Orientation.Horizontal)
              for c in range(table.model().columnCount())]
    assert header == ["Structure", "Du", "Au", "Statut", "Places", "Notes"]

    def background(row: int):
        value = dialog.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
        return value.color().name() if isinstance(value, QBrush) else None

    assert [background(r) for r in range(4)] == [None, CURRENT_BACKGROUND, CURRENT_BACKGROUND,
                                                 None]
    assert find(dialog, "Résumé de l'historique", QLabel).text() == (
        "4 attributions — aujourd'hui : Élan Numérique, Graines de Cœur (surligné).")


def test_history_of_a_desk_never_given(qtbot, services, house):
    dialog = HistoryDialog(services, space_id=house["a1"])
    qtbot.addWidget(dialog)
    assert dialog.rows() == []
    assert "Places" not in [dialog.model.headerData(c, Qt.Orientation.Horizontal)
                            for c in range(dialog.model.columnCount())]  # a desk seats one
    assert find(dialog, "Résumé de l'historique", QLabel).text() == (
        "« Poste A1 » n'a jamais été attribué.")


# --- the figures -----------------------------------------------------------------------------


def known_figures() -> OccupancyFigures:
    """12 months from December 2025 to November 2026; the ground floor (10 seat-days a
    month) half full, the first floor (30) filling up month after month."""
    months = []
    for i in range(12):
        year, month = (2025, 12) if i == 0 else (2026, i)
        ground = OccupancyFigure(year, month, 0, 10, 5)
        first = OccupancyFigure(year, month, 1, 30, 2 * (i + 1))
        house = OccupancyFigure(year, month, None, 40, 5 + 2 * (i + 1))
        months += [ground, first, house]
    return OccupancyFigures(months=tuple(months), free_now=4, free_next_month=6, seats=12)


@pytest.fixture
def figures(qtbot):
    panel = FiguresPanel()
    qtbot.addWidget(panel)
    panel.resize(560, 300)
    panel.set_figures(known_figures())
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_the_figures_of_the_house(figures):
    scope = find(figures, "Étage des chiffres", QComboBox)
    assert [scope.itemText(i) for i in range(scope.count())] == [
        "Toute la maison", "Rez-de-chaussée", "1er étage"]
    assert plain(find(figures, "Taux d'occupation du mois", QLabel).text()) == "73 %"  # 29/40
    assert find(figures, "Mois du taux", QLabel).text().startswith(
        "des places occupées en novembre 2026")
    assert find(figures, "Places libres", QLabel).text() == (
        "Places libres : 4 aujourd'hui, 6 le 1er du mois prochain")
    bars = figures.chart.bars
    assert [b.label for b in bars] == ["déc.", "janv.", "févr.", "mars", "avr.", "mai", "juin",
                                       "juil.", "août", "sept.", "oct.", "nov."]
    assert [round(b.rate, 3) for b in bars][:2] == [0.175, 0.225]
    assert plain(bars[-1].detail) == "novembre 2026 : 73 % (29 jours-places occupés sur 40)"
    described = plain(figures.description())
    assert described.startswith("Taux d'occupation, toute la maison, des 12 derniers mois : "
                                "décembre 2025 : 18 %")
    assert "novembre 2026 : 73 % (29 jours-places occupés sur 40)" in described
    assert described.endswith("Places libres : 4 aujourd'hui, 6 le 1er du mois prochain.")
    assert plain(figures.chart.toolTip()).splitlines()[1] == (
        "décembre 2025 : 18 % (7 jours-places occupés sur 40)")


def test_the_figures_of_one_floor(figures):
    scope = find(figures, "Étage des chiffres", QComboBox)
    scope.setCurrentIndex(scope.findText("1er étage"))
    assert plain(find(figures, "Taux d'occupation du mois", QLabel).text()) == "80 %"  # 24/30
    assert [round(b.rate, 2) for b in figures.chart.bars][:3] == [0.07, 0.13, 0.2]
    assert find(figures, "Places libres", QLabel).text() == (
        "Places libres : 4 aujourd'hui, 6 le 1er du mois prochain (toute la maison)")
    assert "1er étage" in figures.description()
    figures.set_figures(known_figures())  # new figures keep the floor chosen
    assert scope.currentText() == "1er étage"


def test_the_chart_paints_wide_and_narrow(qtbot, figures):
    assert not figures.chart.grab().isNull()
    figures.resize(260, 260)
    assert not figures.grab().isNull()
    chart = figures.chart
    bar = chart.bar_rect(11)
    assert chart.bar_at(bar.center().x()) == 11
    assert chart.bar_at(QPoint(2, 2).x()) is None  # on the axis


def test_no_figures_yet(qtbot):
    panel = FiguresPanel()
    qtbot.addWidget(panel)
    panel.set_figures(OccupancyFigures(months=(), free_now=0, free_next_month=0, seats=0))
    assert find(panel, "Taux d'occupation du mois", QLabel).text() == "—"
    assert panel.description() == "Pas encore de chiffres d'occupation."
    assert not panel.grab().isNull()


def test_the_figures_of_the_service(qtbot, services, house):
    services.spaces.assign(space_id=house["b12"], organisation_id=house["AMAP des Paniers"],
                           start=D(2026, 11, 1), seats=3)
    panel = FiguresPanel()
    qtbot.addWidget(panel)
    panel.set_figures(services.spaces.figures())
    # office of 3 full all November, the desk free: 90 seat-days of 120
    assert plain(find(panel, "Taux d'occupation du mois", QLabel).text()) == "75 %"
    assert find(panel, "Places libres", QLabel).text() == (
        "Places libres : 1 aujourd'hui, 1 le 1er du mois prochain")
