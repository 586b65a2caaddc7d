"""The side panel of the floor plan: the organisations to install, dragged onto a free desk
or office of the plan.

`HolderSearch` is the search itself (a field and a list), also the holder picker of the
assignment dialog; `HoldersList` is the panel around it. The search is accent-insensitive
(services.members.find_organisations), debounced, and runs through the task runner. The
organisations already installed (now or from a later date) come first, with where they sit.

A dragged item carries MIME_TYPE with b"organisation:<id>" (and its name as text/plain);
`parse_holder` reads it back on the plan's side."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QEvent,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.permissions import Access, Area, allowed
from maison_app.domain.spaces import AssignmentRecord
from maison_app.domain.text import search_key
from maison_app.i18n import _, format_date, ngettext
from maison_app.ui import messages
from maison_app.ui.common import guarded, today

MIME_TYPE = "application/x-maison-holder"
SEARCH_DELAY_MS = 200
LIMIT = 100  # organisations listed at once: more means "type a few letters"
HOLDER_ROLE = Qt.ItemDataRole.UserRole + 1
NOTE_STYLE = "color: #555; font-size: 90%;"

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Holder:
    """An organisation of the list, and the places it holds now or from a later date."""

    organisation_id: int
    name: str
    places: tuple[str, ...] = ()  # "Bureau 104 (jusqu'à nouvel ordre)"

    @property
    def hosted(self) -> bool:
        return bool(self.places)


def holder_mime(organisation_id: int) -> bytes:
    return f"organisation:{organisation_id}".encode("ascii")


def parse_holder(data: bytes | QByteArray) -> tuple[str, int] | None:
    """("organisation", id) from the MIME data of a dragged holder; None if unreadable."""
    raw = bytes(data.data() if isinstance(data, QByteArray) else data)
    kind, sep, number = raw.decode("ascii", "replace").partition(":")
    if not sep or kind not in ("organisation", "person") or not number.isdigit():
        return None
    return kind, int(number)


def place_text(a: AssignmentRecord, today) -> str:
    """Where an organisation sits and until when: "Bureau 104 (jusqu'à nouvel ordre)"."""
    if a.start > today:
        when = _("à partir du {day}").format(day=format_date(a.start))
    elif a.end is None:
        when = _("jusqu'à nouvel ordre")
    else:
        when = _("jusqu'au {day}").format(day=format_date(a.end))
    return _("{space} ({when})").format(space=a.space_name, when=when)


def find_holders(services, query: str, today) -> tuple[list[Holder], bool]:
    """The organisations matching `query` (all of them when empty), those installed first;
    and whether there were more than LIMIT. Runs in a worker thread."""
    found = services.members.find_organisations(query=query, limit=LIMIT + 1)
    truncated = len(found) > LIMIT
    found = found[:LIMIT]
    places: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    for a in services.spaces.assignments():
        if a.organisation_id is not None:
            places.setdefault(a.organisation_id, []).append(place_text(a, today))
            names[a.organisation_id] = a.holder
    holders = [Holder(oid, name, tuple(places.get(oid, ()))) for oid, name in found]
    if not query.strip():  # every installed organisation, even past the first LIMIT
        listed = {oid for oid, _name in found}
        holders += [Holder(oid, names[oid], tuple(p)) for oid, p in places.items()
                    if oid not in listed]
    holders.sort(key=lambda h: (not h.hosted, search_key(h.name)))
    return holders, truncated


class HoldersModel(QAbstractListModel):
    """The organisations of the list; each item drags as MIME_TYPE + text/plain."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._holders: list[Holder] = []
        self.draggable = True

    def set_holders(self, holders: Sequence[Holder]) -> None:
        self.beginResetModel()
        self._holders = list(holders)
        self.endResetModel()

    def holders(self) -> list[Holder]:
        return list(self._holders)

    def holder(self, row: int) -> Holder:
        return self._holders[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._holders)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        h = self._holders[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return h.name
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if h.hosted:
                return _("{name}, installée : {places}").format(name=h.name,
                                                               places=", ".join(h.places))
            return h.name
        if role == Qt.ItemDataRole.ToolTipRole:
            if h.hosted:
                return _("{name}\nInstallée : {places}").format(name=h.name,
                                                               places=", ".join(h.places))
            return h.name
        if role == HOLDER_ROLE:
            return h
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.draggable:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE, "text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        rows = [i.row() for i in indexes if i.isValid()]
        if rows:
            h = self._holders[rows[0]]
            mime.setData(MIME_TYPE, QByteArray(holder_mime(h.organisation_id)))
            mime.setText(h.name)
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction


class _HolderDelegate(QStyledItemDelegate):
    """The name, and under it, in grey, where an installed organisation sits."""

    PAD = 4

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        small = QFont(option.font)
        small.setPointSizeF(max(option.font.pointSizeF() * 0.88, 6.0))
        return option.font, small

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        h: Holder = index.data(HOLDER_ROLE)
        font, small = self._fonts(option)
        height = QFontMetrics(font).height() + 2 * self.PAD
        if h is not None and h.hosted:
            height += QFontMetrics(small).height()
        return QSize(200, height)

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        h: Holder = index.data(HOLDER_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active
                 else QPalette.ColorGroup.Inactive)
        main = opt.palette.color(group, QPalette.ColorRole.HighlightedText if selected
                                 else QPalette.ColorRole.Text)
        font, small = self._fonts(opt)
        rect = opt.rect.adjusted(self.PAD + 2, self.PAD, -self.PAD, -self.PAD)
        fm = QFontMetrics(font)
        painter.save()
        painter.setFont(font)
        painter.setPen(main)
        line = QRect(rect.left(), rect.top(), rect.width(), fm.height())
        painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         fm.elidedText(h.name, Qt.TextElideMode.ElideRight, rect.width()))
        if h.hosted:
            sm = QFontMetrics(small)
            painter.setFont(small)
            painter.setPen(main if selected else opt.palette.color(
                group, QPalette.ColorRole.PlaceholderText))
            sub = QRect(rect.left(), line.bottom() + 1, rect.width(), sm.height())
            painter.drawText(sub, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             sm.elidedText(" · ".join(h.places), Qt.TextElideMode.ElideRight,
                                           rect.width()))
        painter.restore()


class HolderSearch(QWidget):
    """A search field and the organisations it finds (all of them, installed first, while
    the field is empty). `chosen` is the selected organisation; `activated` fires on a
    double click or Enter in the list."""

    results_shown = Signal()  # tests listen to it
    chosen_changed = Signal()
    activated = Signal(int, str)  # organisation id, name

    def __init__(self, services, tasks, parent: QWidget | None = None, *,
                 draggable: bool = True) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self._shown_query: str | None = None

        self.search = QLineEdit()
        self.search.setAccessibleName(_("Rechercher une structure"))
        self.search.setPlaceholderText(_("Rechercher une structure…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._query_changed)

        self.model = HoldersModel(self)
        self.model.draggable = draggable
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setAccessibleName(_("Structures"))
        self.view.setItemDelegate(_HolderDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(False)
        self.view.setDragEnabled(draggable)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly if draggable
                                  else QAbstractItemView.DragDropMode.NoDragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.chosen_changed.emit())
        self.view.activated.connect(self._activated)

        self.hint = QLabel()
        self.hint.setAccessibleName(_("Résultat de la recherche de structures"))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(NOTE_STYLE)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)

        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.setFocusProxy(self.search)
        self.search.installEventFilter(self)
        self.run_search()

    def eventFilter(self, watched, event) -> bool:
        """Enter in the field searches now (it does not validate the dialog around);
        Down goes to the list."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._search_now()
                return True
            if event.key() == Qt.Key.Key_Down and self.model.rowCount():
                self.view.setFocus(Qt.FocusReason.TabFocusReason)
                if not self.view.selectionModel().hasSelection():
                    self.view.setCurrentIndex(self.model.index(0))
                return True
        return super().eventFilter(watched, event)

    # --- search -------------------------------------------------------------------------

    def _query_changed(self, _text: str) -> None:
        self._timer.start()

    def _search_now(self) -> None:
        self._timer.stop()
        self.run_search()

    def refresh(self) -> None:
        """Search again (after an assignment: who sits where has changed)."""
        self.run_search()

    def run_search(self) -> None:
        query = self.search.text()
        services = self.services
        day = today(services)
        self.tasks.run(lambda: (query, *find_holders(services, query, day)),
                       on_success=guarded(self, self._show),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"holders-{id(self)}")

    def _show(self, result: tuple[str, list[Holder], bool]) -> None:
        query, holders, truncated = result
        if query != self.search.text():
            return  # typed further meanwhile: a newer search is on its way
        keep = self.chosen()
        self.model.set_holders(holders)
        self._shown_query = query
        n = len(holders)
        if n == 0:
            self.hint.setText(_("Aucune structure ne correspond à « {q} ».").format(
                q=query.strip()) if query.strip() else
                _("Aucune structure dans la base : créez-la d'abord dans Adhérents."))
        elif truncated:
            self.hint.setText(_("Plus de {n} structures : tapez quelques lettres du nom.").format(
                n=LIMIT))
        else:
            self.hint.setText(ngettext("{n} structure", "{n} structures", n).format(n=n))
        ids = [h.organisation_id for h in holders]
        if keep is not None and keep.organisation_id in ids:
            self.view.setCurrentIndex(self.model.index(ids.index(keep.organisation_id)))
        elif n == 1 and query.strip():
            self.view.setCurrentIndex(self.model.index(0))
        self.chosen_changed.emit()
        self.results_shown.emit()

    # --- choice ---------------------------------------------------------------------------

    def chosen(self) -> Holder | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.holder(rows[0].row()) if rows else None

    def _activated(self, index: QModelIndex) -> None:
        h = self.model.holder(index.row())
        self.activated.emit(h.organisation_id, h.name)


class HoldersList(QWidget):
    """The "Structures à installer" panel beside the floor plan. `holder_activated(id,
    name)` fires on a double click or Enter on an organisation (the keyboard's way to
    install it: the plan then asks which desk)."""

    holder_activated = Signal(int, str)

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        may_write = allowed(services.ctx.actor.role, Area.DESKS, Access.WRITE)

        title = QLabel(_("Structures à installer"))
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        title.setFont(font)

        self.holders = HolderSearch(services, tasks, self, draggable=may_write)
        self.holders.activated.connect(self.holder_activated)

        self.help = QLabel(
            _("Glissez une structure sur un bureau ou un poste libre du plan") if may_write
            else _("Consultation seule : l'attribution des bureaux revient à l'incubation et "
                   "à l'administration."))
        self.help.setAccessibleName(_("Aide de l'attribution"))
        self.help.setWordWrap(True)
        self.help.setStyleSheet(NOTE_STYLE)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(title)
        layout.addWidget(self.help)
        layout.addWidget(self.holders, 1)
        self.setAccessibleName(_("Structures à installer"))
        self.setFocusProxy(self.holders)

    # what the plan and the tests reach
    @property
    def search(self) -> QLineEdit:
        return self.holders.search

    @property
    def view(self) -> QListView:
        return self.holders.view

    @property
    def model(self) -> HoldersModel:
        return self.holders.model

    @property
    def results_shown(self):
        return self.holders.results_shown

    def refresh(self) -> None:
        self.holders.refresh()
