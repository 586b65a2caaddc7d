"""The generic table model: columns, roles, and lazy paging for big tables."""

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt

from maison_app.ui.table_model import RECORD_ROLE, SORT_ROLE, Column, RecordTableModel


@dataclass(frozen=True)
class Row:
    name: str
    n: int


COLUMNS = [Column("Nom", lambda r: r.name), Column("N", lambda r: str(r.n), sort_key=lambda r: r.n)]


def test_display_tooltip_sort_and_record_roles(qtbot):
    model = RecordTableModel(COLUMNS, [Row("Hélène", 10), Row("Éloïse", 9)])
    assert model.rowCount() == 2 and model.columnCount() == 2
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Nom"
    index = model.index(0, 1)
    assert model.data(index) == "10"
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) == "10"
    assert model.data(index, SORT_ROLE) == 10
    assert model.data(index, RECORD_ROLE) == Row("Hélène", 10)

    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)  # numeric, not "10" < "9"
    assert proxy.index(0, 0).data() == "Éloïse"


def test_lazy_paging_asks_for_pages_as_needed(qtbot):
    calls = []

    def fetch(offset, limit):
        calls.append((offset, limit))
        return [Row(f"p{i}", i) for i in range(offset, min(offset + limit, 250))]

    model = RecordTableModel(COLUMNS, fetch_page=fetch, page_size=100)
    assert model.rowCount() == 0 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 200 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 250
    assert not model.canFetchMore(QModelIndex())
    assert calls == [(0, 100), (100, 100), (200, 100)]
