"""A person or an organisation of the house, found as one types: a search field, the short
list of what it finds and the name chosen. Used by the booking form, the order form and the
workshops' dialogs; `organisations_picker` is the one that finds an organisation of the
house (the workshop's facilitator, the producer's organisation)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from maison_app.i18n import _
from maison_app.ui import messages
from maison_app.ui.common import guarded

SEARCH_DELAY_MS = 200
HINT_STYLE = "color: #555;"  # the line under the list until a name is chosen


class BookerPicker(QWidget):
    """A search field and what it finds (a short list): choose a person or an organisation
    of the house. `search(query)` runs in the task runner and returns (id, name, detail)
    rows. `chosen()` is (id, name) or None; `chosen_changed` fires when it changes."""

    chosen_changed = Signal()
    results_shown = Signal()  # tests wait for it

    def __init__(self, tasks, search: Callable[[str], list[tuple[int, str, str]]], *,
                 name: str, placeholder: str, list_name: str, min_length: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self._search = search
        self._min_length = min_length
        self._chosen: tuple[int, str] | None = None
        self.field = QLineEdit()
        self.field.setAccessibleName(name)
        self.field.setPlaceholderText(placeholder)
        self.field.setClearButtonEnabled(True)
        self.field.textEdited.connect(lambda _t: self._timer.start())
        self.field.installEventFilter(self)
        self.results = QListWidget()
        self.results.setAccessibleName(list_name)
        self.results.setMaximumHeight(96)
        self.results.currentItemChanged.connect(self._current_changed)
        self.results.itemActivated.connect(lambda _i: self.field.setFocus())
        self.chosen_label = QLabel()
        self.chosen_label.setAccessibleName(_("{name} : choix").format(name=name))
        self.chosen_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.field)
        layout.addWidget(self.results)
        layout.addWidget(self.chosen_label)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.setFocusProxy(self.field)
        self._show_chosen()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up/Down in the field move in the list; Enter there chooses, not saves."""
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._timer.isActive():
                self._timer.stop()
                self.run_search()
                return True
        return super().eventFilter(watched, event)

    def run_search(self) -> None:
        self._timer.stop()
        query = self.field.text()
        if len(query.strip()) < self._min_length:
            self._show((query, []))
            return
        search = self._search
        self.tasks.run(lambda: (query, search(query)), on_success=guarded(self, self._show),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"booker-{id(self)}")

    def _show(self, result: tuple[str, list[tuple[int, str, str]]]) -> None:
        query, rows = result
        if query != self.field.text():
            return  # typed on since: a newer search is coming
        self.results.blockSignals(True)
        self.results.clear()
        keep = None
        for row_id, name, detail in rows:
            item = QListWidgetItem(f"{name} — {detail}" if detail else name)
            item.setData(Qt.ItemDataRole.UserRole, (row_id, name))
            self.results.addItem(item)
            if self._chosen is not None and row_id == self._chosen[0]:
                keep = item
        self.results.blockSignals(False)
        if keep is not None:
            self.results.setCurrentItem(keep)
        elif len(rows) == 1 and query.strip():
            self.results.setCurrentRow(0)
        if not rows:
            self.chosen_label.setText(
                _("Personne ne correspond à « {q} ».").format(q=query.strip())
                if len(query.strip()) >= self._min_length else self._chosen_text())
        self.results_shown.emit()

    def _current_changed(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is None:
            return
        row_id, name = item.data(Qt.ItemDataRole.UserRole)
        self.set_chosen(row_id, name)

    def _chosen_text(self) -> str:
        if self._chosen is None:
            return _("Tapez quelques lettres du nom, puis choisissez dans la liste.")
        return _("Choisi : {name}").format(name=self._chosen[1])

    def _show_chosen(self) -> None:
        self.chosen_label.setText(self._chosen_text())
        self.chosen_label.setStyleSheet("font-weight: 600;" if self._chosen else HINT_STYLE)

    def set_chosen(self, row_id: int | None, name: str = "") -> None:
        new = (row_id, name) if row_id is not None else None
        if new == self._chosen:
            return
        self._chosen = new
        self._show_chosen()
        self.chosen_changed.emit()

    def choose(self, row_id: int, name: str) -> None:
        """Show `name` in the field and choose it (an existing booking's booker)."""
        self.field.setText(name)
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, (row_id, name))
        self.results.blockSignals(True)
        self.results.clear()
        self.results.addItem(item)
        self.results.setCurrentItem(item)
        self.results.blockSignals(False)
        self.set_chosen(row_id, name)

    def chosen(self) -> tuple[int, str] | None:
        return self._chosen


def _picker_organisations(services):
    def find_organisations(query: str) -> list[tuple[int, str, str]]:
        return [(oid, name, "") for oid, name in
                services.members.find_organisations(query=query, limit=30)]
    return find_organisations


def organisations_picker(services, tasks) -> BookerPicker:
    """An organisation of the house, found by a few letters of its name."""
    return BookerPicker(tasks, _picker_organisations(services),
                        name=_("Rechercher une structure"),
                        placeholder=_("Nom de la structure…"),
                        list_name=_("Structures trouvées"), min_length=0)
