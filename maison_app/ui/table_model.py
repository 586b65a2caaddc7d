"""One generic table model over a list of frozen records, described by columns.

Big tables page lazily: give a `fetch_page(offset, limit)` callable and Qt asks for more
rows as the view scrolls (canFetchMore/fetchMore). Sorting and filtering go through a
QSortFilterProxyModel; each column may give a sort key distinct from its display text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

R = TypeVar("R")
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    text: Callable[[R], str]
    sort_key: Callable[[R], Any] | None = None
    tooltip: Callable[[R], str] | None = None
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class RecordTableModel(QAbstractTableModel, Generic[R]):
    def __init__(
        self,
        columns: Sequence[Column[R]],
        records: Sequence[R] = (),
        *,
        fetch_page: Callable[[int, int], Sequence[R]] | None = None,
        page_size: int = 200,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._records: list[R] = list(records)
        self._fetch_page = fetch_page
        self._page_size = page_size
        self._exhausted = fetch_page is None

    # --- content ----------------------------------------------------------------------

    def set_records(self, records: Sequence[R]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self._exhausted = self._fetch_page is None
        self.endResetModel()

    def records(self) -> list[R]:
        return list(self._records)

    def record(self, row: int) -> R:
        return self._records[row]

    # --- Qt model API -----------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._records[index.row()]
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text, for cells cut short
            return column.tooltip(record) if column.tooltip else column.text(record) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == SORT_ROLE:
            key = column.sort_key(record) if column.sort_key else column.text(record)
            return key
        if role == RECORD_ROLE:
            return record
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def canFetchMore(self, parent: _Index) -> bool:  # noqa: N802
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: _Index) -> None:  # noqa: N802
        if parent.isValid() or self._fetch_page is None:
            return
        page = list(self._fetch_page(len(self._records), self._page_size))
        if len(page) < self._page_size:
            self._exhausted = True
        if page:
            first = len(self._records)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._records.extend(page)
            self.endInsertRows()


def record_table(name: str, model: RecordTableModel, *, sortable: bool = True, proxy: bool = True,
                 widths: tuple[int, ...] = ()):
    """The read-only list every screen uses: whole-row single selection, alternating rows,
    columns the user may widen, the last one stretched. Returns (view, proxy); with
    `proxy=False` the view shows `model` itself (for paged lists in a fixed order) and the
    proxy is None."""
    from PySide6.QtCore import QSortFilterProxyModel
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

    sorter = None
    if proxy:
        sorter = QSortFilterProxyModel()
        sorter.setSourceModel(model)
        sorter.setSortRole(SORT_ROLE)
        sorter.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    view = QTableView()
    view.setModel(sorter if sorter is not None else model)
    if sorter is not None:
        sorter.setParent(view)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setSortingEnabled(sortable and sorter is not None)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view, sorter


def enter_table(view) -> None:
    """Down in a screen's search field: into its list, on the first row unless one is
    already selected."""
    view.setFocus(Qt.FocusReason.TabFocusReason)
    if not view.selectionModel().hasSelection():
        view.selectRow(0)


def select_record(view, model: RecordTableModel, matches: Callable[[Any], bool]) -> bool:
    """Select (and scroll to) the first record of `model` that `matches`, through the view's
    sorting proxy if it has one. False when no record matches."""
    proxy = view.model() if view.model() is not model else None
    for row, record in enumerate(model.records()):
        if matches(record):
            index = model.index(row, 0)
            if proxy is not None:
                index = proxy.mapFromSource(index)
            view.selectRow(index.row())
            view.scrollTo(index)
            return True
    return False


def selected_record(view, model: RecordTableModel):
    """The record of the first selected row, or None."""
    rows = view.selectionModel().selectedRows()
    if not rows:
        return None
    index = rows[0]
    if view.model() is not model:
        index = view.model().mapToSource(index)
    return model.record(index.row())
