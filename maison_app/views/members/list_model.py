"""The members list's model: people or organisations read page by page from
`services.members.page`, sorted by the database, so that the list opens at once and stays
smooth with 100,000 people (only the pages scrolled to are ever read).

Unlike `ui.table_model.RecordTableModel`, whose `fetch_page` runs on the GUI thread and
whose sorting goes through a proxy over the rows already loaded, this model fetches every
page through the task runner (the view never waits for the database) and sorts with the
service (`MemberSort`), over the whole filtered list. It reuses that module's `Column`
and roles.

Also here: the coloured badge of a membership status, shared by the list and the renewals
dialog."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from maison_app.domain.enums import MemberKind, MembershipStatus
from maison_app.domain.members import MemberFilter, MemberRow, MemberSort
from maison_app.i18n import _
from maison_app.ui.table_model import RECORD_ROLE, Column

PAGE_SIZE = 200
STATUS_ROLE = Qt.ItemDataRole.UserRole + 10  # a status cell's MembershipStatus value (str)

_Index = QModelIndex | QPersistentModelIndex

# (text, background) of each status: green, orange, red, grey
STATUS_COLOURS: dict[MembershipStatus, tuple[str, str]] = {
    MembershipStatus.A_JOUR: ("#1e6b34", "#dcefe1"),
    MembershipStatus.PARTIEL: ("#8a4700", "#fde4c2"),
    MembershipStatus.A_RELANCER: ("#a1251b", "#f9dcd8"),
    MembershipStatus.NON_RENOUVELE: ("#555555", "#e4e4e4"),
}


@dataclass(frozen=True)
class ListColumn(Column[MemberRow]):
    """A column of the members list; `sort` is the `MemberSort` the service orders it by
    (None: the column cannot be sorted)."""

    sort: str | None = None
    status: bool = False  # painted as a coloured badge


def _status_text(row: MemberRow) -> str:
    return row.status.label if row.status is not None else ""


def _place(row: MemberRow) -> str:
    """"Niort (79000)": the city first, as the column sorts by it."""
    if row.city and row.postcode:
        return _("{city} ({postcode})").format(city=row.city, postcode=row.postcode)
    return row.city or row.postcode or ""


def member_columns(kind: MemberKind, year: int | None = None) -> list[ListColumn]:
    """The columns of the list; the college and status are those of `year` (in their title)."""
    person = kind is MemberKind.PERSON
    of_year = (lambda title: f"{title} {year}") if year else (lambda title: title)
    return [
        ListColumn(_("Nom"), lambda r: r.name, sort=MemberSort.NAME),
        ListColumn(_("Structure(s)") if person else _("Forme juridique · SIRET"),
                   lambda r: r.detail),
        ListColumn(_("E-mail"), lambda r: r.email or "", sort=MemberSort.EMAIL),
        ListColumn(_("Téléphone"), lambda r: r.phone or ""),
        ListColumn(_("Ville"), _place, sort=MemberSort.CITY),
        ListColumn(of_year(_("Collège")), lambda r: r.college or "", sort=MemberSort.COLLEGE),
        ListColumn(of_year(_("Statut")), _status_text, status=True),
    ]


class MemberListModel(QAbstractTableModel):
    """The rows of `filter`, in the order of (`sort`, `descending`), fetched by pages.

    `reload()` re-reads the count and the first page (the rows shown stay until the answer
    comes, so the list does not flicker); `fetchMore` reads the next page when the view
    scrolls to the end. Answers to an older filter or sort are dropped. Signals: `loaded`
    after a reload, `page_loaded` after a further page, `failed(exception)`."""

    loaded = Signal()
    page_loaded = Signal()
    failed = Signal(object)

    def __init__(self, members, tasks, *, filter: MemberFilter | None = None,
                 page_size: int = PAGE_SIZE, parent=None) -> None:
        super().__init__(parent)
        self._members = members
        self._tasks = tasks
        self._page_size = page_size
        self._filter = filter or MemberFilter()
        self._columns = member_columns(self._filter.kind, self._filter.year)
        self._rows: list[MemberRow] = []
        self._total = 0
        self._sort = MemberSort.NAME
        self._descending = False
        self._generation = 0
        self._reloading = False
        self._fetching = False
        self._ever_loaded = False

    # --- state ------------------------------------------------------------------------

    @property
    def filter(self) -> MemberFilter:
        return self._filter

    @property
    def total(self) -> int:
        """How many rows the filter gives (all pages), as of the last reload."""
        return self._total

    @property
    def sort_key(self) -> tuple[str, bool]:
        return self._sort, self._descending

    @property
    def busy(self) -> bool:
        return self._reloading or self._fetching

    @property
    def ever_loaded(self) -> bool:
        return self._ever_loaded

    @property
    def columns(self) -> list[ListColumn]:
        return list(self._columns)

    def record(self, row: int) -> MemberRow:
        return self._rows[row]

    def row_of(self, record_id: int) -> int | None:
        """The row of a record among those loaded, or None."""
        for row, r in enumerate(self._rows):
            if r.id == record_id:
                return row
        return None

    def sortable(self, column: int) -> bool:
        return 0 <= column < len(self._columns) and self._columns[column].sort is not None

    def column_of_sort(self) -> int:
        for i, c in enumerate(self._columns):
            if c.sort == self._sort:
                return i
        return 0

    # --- loading ----------------------------------------------------------------------

    def set_filter(self, filter: MemberFilter) -> None:
        self._filter = filter
        self.reload()

    def reload(self, *, recount: bool = True) -> None:
        self._generation += 1
        generation = self._generation
        self._reloading = True
        self._fetching = False
        members, f = self._members, self._filter
        sort, descending, size = self._sort, self._descending, self._page_size
        known_total = self._total

        def work() -> tuple[int, tuple[MemberRow, ...]]:
            total = members.count(filter=f) if recount else known_total
            rows = members.page(filter=f, sort=sort, descending=descending, offset=0, limit=size)
            return total, rows

        self._tasks.run(work, on_success=lambda result: self._reloaded(generation, f, result),
                        on_error=lambda exc: self._failed(generation, exc),
                        key=f"members-list-{id(self)}")

    def _reloaded(self, generation: int, f: MemberFilter,
                  result: tuple[int, Sequence[MemberRow]]) -> None:
        if generation != self._generation:
            return
        total, rows = result
        self.beginResetModel()
        self._columns = member_columns(f.kind, f.year)
        self._rows = list(rows)
        # a page shorter than asked: the list ends there, whatever the count said
        self._total = max(total, len(self._rows)) if len(rows) == self._page_size else len(rows)
        self._reloading = False
        self._ever_loaded = True
        self.endResetModel()
        self.loaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._reloading = False
            self._fetching = False
        self.failed.emit(exc)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: N802, B008
        if parent.isValid() or self._reloading or self._fetching:
            return False
        return len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: N802, B008
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation = self._generation
        offset = len(self._rows)
        members, f = self._members, self._filter
        sort, descending, size = self._sort, self._descending, self._page_size
        self._tasks.run(
            lambda: members.page(filter=f, sort=sort, descending=descending, offset=offset,
                                 limit=size),
            on_success=lambda rows: self._more(generation, offset, rows),
            on_error=lambda exc: self._failed(generation, exc))

    def _more(self, generation: int, offset: int, rows: Sequence[MemberRow]) -> None:
        if generation != self._generation or offset != len(self._rows):
            return
        self._fetching = False
        if len(rows) < self._page_size:
            self._total = offset + len(rows)  # somebody deleted rows meanwhile
        if rows:
            self.beginInsertRows(QModelIndex(), offset, offset + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.page_loaded.emit()

    # --- sorting by the database ------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Clicking a header: the service sorts the whole list. A column that cannot be
        sorted keeps the current order."""
        if not self.sortable(column):
            return
        sort = self._columns[column].sort
        descending = order == Qt.SortOrder.DescendingOrder
        if (sort, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = sort, descending
        if self._ever_loaded or self._reloading:
            self.reload(recount=False)

    # --- Qt model API -----------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        record = self._rows[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.text(record) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align)
        if role == RECORD_ROLE:
            return record
        if column.status:
            if role == STATUS_ROLE:  # Qt turns a str enum into a plain str: give the value
                return record.status.value if record.status is not None else None
            if role == Qt.ItemDataRole.ForegroundRole and record.status is not None:
                return QBrush(QColor(STATUS_COLOURS[record.status][0]))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return (_("Cliquez pour trier par cette colonne") if self.sortable(section)
                    else _("Cette colonne ne se trie pas"))
        return None


def next_filter(current: MemberFilter, **changes) -> MemberFilter:
    """The filter with some fields changed (the legal form only applies to organisations)."""
    f = replace(current, **changes)
    if f.kind is MemberKind.PERSON and f.legal_form is not None:
        f = replace(f, legal_form=None)
    return f


# --- the status badge --------------------------------------------------------------------------


def _as_status(value) -> MembershipStatus | None:
    try:
        return MembershipStatus(value) if value else None
    except ValueError:
        return None


class StatusBadgeDelegate(QStyledItemDelegate):
    """Paints a status cell as a small rounded badge in the status's colour (the text stays
    the cell's, for screen readers and copying). `status_of(index)` gives the status."""

    def __init__(self, status_of: Callable[[QModelIndex], MembershipStatus | None] | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self._status_of = status_of or (lambda index: index.data(STATUS_ROLE))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        status = _as_status(self._status_of(index))
        if status is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        fg, bg = STATUS_COLOURS[status]
        metrics = opt.fontMetrics
        height = metrics.height() + 4
        room = max(0, option.rect.width() - 8)
        width = min(metrics.horizontalAdvance(text) + 16, room)
        rect = QRect(option.rect.left() + 4, option.rect.center().y() - height // 2 + 1,
                     width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(bg))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(QColor(fg))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter),
                         metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, width - 10)))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex):  # noqa: N802
        size = super().sizeHint(option, index)
        if _as_status(self._status_of(index)) is not None:
            size.setWidth(size.width() + 20)
        return size
