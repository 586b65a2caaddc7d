"""The "Espaces" tab of the Administration screen: the registry of the house's spaces.

Meeting and workshop rooms, offices, open spaces, desks (a desk may sit inside an office or
an open space) and the rest of the house (reception, kitchen…): their kind, floor, capacity,
equipment, whether they are in service, and for the rooms the booking rates (hour, half-day,
day; member and public). The place and size of a space on the plan are edited on the floor
plan screen: this tab keeps them as they are (a new space gets a default size).

A space is never deleted (its assignments and bookings name it): it is taken out of service,
and may be put back. The list is small: it is loaded through the task runner and filtered
here; the writes call the service on the GUI thread."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import SpaceKind
from maison_app.domain.errors import MaisonError
from maison_app.domain.members import parse_euros
from maison_app.domain.permissions import Access, Area, allowed
from maison_app.domain.spaces import Geometry, Rates, SpaceRecord, floor_label
from maison_app.i18n import _, format_date, format_money, ngettext, to_paris
from maison_app.ui import messages
from maison_app.ui.common import amount_text
from maison_app.ui.forms import FormErrors, dialog_buttons, show_error
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import (
    Column,
    RecordTableModel,
    record_table,
    select_record,
    selected_record,
)

BANNER_STYLE = ("#spacesBanner { background: #e3f1e8; border: 1px solid #9cc8ab; "
                "border-radius: 4px; padding: 6px 8px; }")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
# the floors the dialog offers, besides those already in use
FLOORS = range(-1, 5)
DESK_SIZE = (2.4, 1.6)  # metres: a desk and its chair (the demo plan's)
# the rates of a room: (field of Rates, row label, column label)
RATE_ROWS = (("hour", lambda: _("À l'heure")), ("half_day", lambda: _("À la demi-journée")),
             ("day", lambda: _("À la journée")))
RATE_COLUMNS = (("member", lambda: _("Adhérent")), ("public", lambda: _("Non-adhérent")))


def _rate_name(row: str, column: str) -> str:
    """The accessible name of a rate field: what a screen reader says."""
    what = {"hour": _("Tarif à l'heure"), "half_day": _("Tarif à la demi-journée"),
            "day": _("Tarif à la journée")}[row]
    who = _("adhérent") if column == "member" else _("non-adhérent")
    return f"{what}, {who}"


def _money(cents: int | None) -> str:
    return format_money(cents) if cents is not None else "—"


def _day_rate(space: SpaceRecord, cents: int | None) -> str:
    """A room's rate ("—": not offered); nothing for what is not rented."""
    if cents is None and not space.kind.bookable:
        return ""
    return _money(cents)


def _parent_text(space: SpaceRecord) -> str:
    """"Bureau 104", "Espace partagé"; the kind when the name does not say it."""
    text = space.name
    if not space.name.lower().startswith(space.kind.label.lower()):
        text = f"{text} — {space.kind.label}"
    if not space.active:
        text = _("{name} (hors service)").format(name=text)
    return text


def _parents(spaces, *, floor: int, exclude: int | None) -> list[SpaceRecord]:
    """Where a desk may sit: the offices and open spaces of its floor."""
    return sorted((s for s in spaces if s.kind in (SpaceKind.OFFICE, SpaceKind.OPEN_SPACE)
                   and s.floor == floor and s.id != exclude),
                  key=lambda s: s.name.lower())


class _SpacesModel(RecordTableModel[SpaceRecord]):
    """The spaces; one out of service is greyed, so that it stands out."""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            return None if self.record(index.row()).active else QBrush(QColor("#8a8a8a"))
        return super().data(index, role)


class SpaceDialog(QDialog):
    """A new space (`space` None) or the changes to one. `spaces` is the registry, for the
    offices and open spaces a desk may sit in. `saved_id` is set after a save."""

    def __init__(self, services, *, spaces, space: SpaceRecord | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.space = space
        self.all_spaces = tuple(spaces)
        self.saved_id: int | None = None
        title = _("Nouvel espace") if space is None else _("Modifier « {name} »").format(
            name=space.name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(560)

        self.errors = FormErrors()
        self._form = form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind = QComboBox()
        for kind in SpaceKind:
            self.kind.addItem(kind.label, kind)
        self.errors.add_row(form, _("Type"), "kind", self.kind, _("Type d'espace"))
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.name.setPlaceholderText(_("par exemple : Salle Sèvre, Bureau 104, Poste A3"))
        self.errors.add_row(form, _("Nom"), "name", self.name, _("Nom de l'espace"))
        self.floor = QComboBox()
        used = {s.floor for s in self.all_spaces} | set(FLOORS)
        if space is not None:
            used.add(space.floor)
        for floor in sorted(used):
            self.floor.addItem(floor_label(floor), floor)
        self.errors.add_row(form, _("Étage"), "floor", self.floor)
        self.capacity = QSpinBox()
        self.capacity.setRange(1, 500)
        self.capacity.setSuffix(_(" pers."))
        self.capacity.setToolTip(_("Le nombre de personnes que l'espace accueille à la fois"))
        self.errors.add_row(form, _("Capacité"), "capacity", self.capacity)
        self.parent_space = QComboBox()
        self.parent_space.setToolTip(_("Le bureau ou l'espace partagé où se trouve ce poste : "
                                       "un poste dans un bureau compte dans sa capacité."))
        self.parent_slot = self.errors.add_row(form, _("Situé dans"), "parent",
                                               self.parent_space, _("Situé dans"))
        self.equipment = QLineEdit()
        self.equipment.setPlaceholderText(_("par exemple : écran, visioconférence, paperboard"))
        self.errors.add_row(form, _("Équipement"), "equipment", self.equipment)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(60)
        self.errors.add_row(form, _("Notes"), "notes", self.notes)
        self.active = QCheckBox(_("En service (peut être attribué ou réservé)"))
        self.errors.add_row(form, "", "active", self.active, _("En service"))

        # the rates of a room, in euros as one types them ("12,50"); empty: not offered
        self.rates_box = QGroupBox(_("Tarifs de location (salles)"))
        self.rates_box.setAccessibleName(_("Tarifs de location"))
        rates_layout = QVBoxLayout(self.rates_box)
        hint = QLabel(_("En euros, par exemple 12,50. Laissez vide un tarif que la salle ne "
                        "propose pas."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555; font-size: 90%;")
        columns = QHBoxLayout()
        self.rate_fields: dict[str, QLineEdit] = {}
        for column, column_label in RATE_COLUMNS:
            box = QVBoxLayout()
            heading = QLabel(column_label())
            heading.setStyleSheet("font-weight: 600;")
            box.addWidget(heading)
            column_form = QFormLayout()
            column_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for row, row_label in RATE_ROWS:
                field = QLineEdit()
                field.setAlignment(RIGHT)
                field.setPlaceholderText(_("non proposé"))
                name = f"{row}_{column}"
                self.errors.add_row(column_form, row_label(), f"rate_{name}", field,
                                    _rate_name(row, column))
                self.rate_fields[name] = field
            box.addLayout(column_form)
            box.addStretch(1)  # an error under a field of one column leaves the other be
            columns.addLayout(box, 1)
        rates_layout.addWidget(hint)
        rates_layout.addLayout(columns)
        rates_layout.addStretch(1)

        buttons, self.ok_button = dialog_buttons(
            self, _("Créer l'espace") if space is None else _("Enregistrer"), self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.rates_box)
        layout.addWidget(buttons)

        self._fill(space)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.floor.currentIndexChanged.connect(lambda _i: self._fill_parents())
        self._kind_changed()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- content ----------------------------------------------------------------------

    def _fill(self, space: SpaceRecord | None) -> None:
        if space is None:
            self.kind.setCurrentIndex(self.kind.findData(SpaceKind.MEETING_ROOM))
            self.floor.setCurrentIndex(self.floor.findData(0))
            self.active.setChecked(True)
            self._fill_parents()
            return
        self.kind.setCurrentIndex(self.kind.findData(space.kind))
        self.name.setText(space.name)
        self.floor.setCurrentIndex(self.floor.findData(space.floor))
        self.capacity.setValue(space.capacity)
        self._fill_parents(space.parent_id)
        self.equipment.setText(space.equipment)
        self.notes.setPlainText(space.notes or "")
        self.active.setChecked(space.active)
        for name, field in self.rate_fields.items():
            cents = getattr(space.rates, name)
            field.setText(amount_text(cents) if cents is not None else "")

    def _fill_parents(self, keep: int | None = None) -> None:
        """The offices and open spaces of the chosen floor; keeps the choice if still there."""
        if keep is None:
            keep = self.parent_space.currentData()
        self.parent_space.clear()
        self.parent_space.addItem(_("— aucun (poste indépendant) —"), None)
        floor = self.floor.currentData()
        for sp in _parents(self.all_spaces, floor=floor,
                           exclude=self.space.id if self.space else None):
            self.parent_space.addItem(_parent_text(sp), sp.id)
        index = self.parent_space.findData(keep) if keep is not None else 0
        self.parent_space.setCurrentIndex(max(index, 0))

    def _kind(self) -> SpaceKind:
        return SpaceKind(self.kind.currentData())  # Qt hands a StrEnum back as a str

    def _kind_changed(self) -> None:
        kind = self._kind()
        desk = kind is SpaceKind.DESK
        if desk:
            self.capacity.setValue(1)
        self.capacity.setEnabled(not desk)
        self.capacity.setToolTip(
            _("Un poste de travail accueille une personne.") if desk else
            _("Le nombre de personnes que l'espace accueille à la fois"))
        self._form.setRowVisible(self.parent_slot, desk)
        self.rates_box.setVisible(kind.bookable)
        if self.isVisible():
            self.layout().activate()
            self.adjustSize()

    # --- saving -----------------------------------------------------------------------

    def _rates(self) -> Rates:
        values = {}
        for name, field in self.rate_fields.items():
            text = field.text().strip()
            values[name] = parse_euros(text, field=f"rate_{name}") if text else None
        return Rates(**values)

    def _geometry(self, kind: SpaceKind, parent_id: int | None) -> Geometry:
        """What is on the plan stays; a new space gets a default size (a desk, in the
        corner of the office or open space it sits in)."""
        if self.space is not None:
            return self.space.geometry
        if kind is not SpaceKind.DESK:
            return Geometry()
        width, height = DESK_SIZE
        parent = next((s for s in self.all_spaces if s.id == parent_id), None)
        if parent is None:
            return Geometry(width=width, height=height)
        return Geometry(x=parent.geometry.x + 0.5, y=parent.geometry.y + 0.5, width=width,
                        height=height)

    def record(self) -> SpaceRecord:
        """The space as the form says (raises ValidationError for an unreadable rate)."""
        kind = self._kind()
        parent_id = self.parent_space.currentData() if kind is SpaceKind.DESK else None
        rates = self._rates() if kind.bookable else Rates()
        return SpaceRecord(
            id=self.space.id if self.space else None, kind=kind, name=self.name.text(),
            floor=self.floor.currentData(), capacity=self.capacity.value(), parent_id=parent_id,
            equipment=self.equipment.text(), active=self.active.isChecked(),
            geometry=self._geometry(kind, parent_id), rates=rates,
            notes=self.notes.toPlainText())

    def save(self) -> None:
        self.errors.clear()
        try:
            self.saved_id = self.services.spaces.save_space(self.record())
        except MaisonError as exc:
            show_error(self, self.errors, exc)
            return
        self.accept()


class SpacesTab(QWidget):
    """Needs the app's `Services` and the shared `TaskRunner`."""

    spaces_loaded = Signal()  # tests listen to it

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self._all: tuple[SpaceRecord, ...] = ()
        self._select_id: int | None = None  # the space to select once the list is back
        self._build()
        self.refresh()

    @property
    def may_write(self) -> bool:
        return allowed(self.services.ctx.actor.role, Area.SPACES, Access.WRITE)

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        intro = QLabel(_("Les salles, bureaux, espaces partagés et postes de travail de la "
                         "Maison : leur étage, leur capacité, leur équipement et, pour les "
                         "salles, les tarifs de location. Leur place sur le plan se modifie "
                         "dans l'écran « Bureaux & postes ». Un espace n'est jamais supprimé : "
                         "il est mis hors service."))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #444;")

        self.banner = QLabel()
        self.banner.setObjectName("spacesBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(_("Message des espaces"))
        self.banner.setVisible(False)

        self.floor_filter = QComboBox()
        self.floor_filter.setAccessibleName(_("Filtrer par étage"))
        self.floor_filter.addItem(_("Tous les étages"), None)
        self.floor_filter.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName(_("Filtrer par type"))
        self.kind_filter.addItem(_("Tous les types"), None)
        for kind in SpaceKind:
            self.kind_filter.addItem(kind.label, kind)
        self.kind_filter.currentIndexChanged.connect(lambda _i: self.apply_filters())
        filters = QHBoxLayout()
        for label, combo in ((_("Étage :"), self.floor_filter), (_("Type :"), self.kind_filter)):
            caption = QLabel(label)
            caption.setBuddy(combo)
            filters.addWidget(caption)
            filters.addWidget(combo)
            filters.addSpacing(8)
        filters.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(_("Nombre d'espaces"))
        self.count_label.setStyleSheet("color: #555;")
        filters.addWidget(self.count_label)

        self.model = _SpacesModel([
            Column(_("Nom"), lambda s: s.name, sort_key=lambda s: s.name.lower()),
            Column(_("Type"), lambda s: s.kind.label),
            Column(_("Étage"), lambda s: floor_label(s.floor), sort_key=lambda s: s.floor),
            Column(_("Capacité"), lambda s: str(s.capacity), sort_key=lambda s: s.capacity,
                   align=RIGHT),
            Column(_("Situé dans"), self._parent_name),
            Column(_("Équipement"), lambda s: s.equipment),
            Column(_("État"), lambda s: _("En service") if s.active else _("Hors service")),
            Column(_("Journée adhérent"), lambda s: _day_rate(s, s.rates.day_member),
                   sort_key=lambda s: s.rates.day_member or 0, align=RIGHT,
                   tooltip=self._rates_tooltip),
            Column(_("Journée non-adhérent"), lambda s: _day_rate(s, s.rates.day_public),
                   sort_key=lambda s: s.rates.day_public or 0, align=RIGHT,
                   tooltip=self._rates_tooltip),
        ])
        self.table, self.proxy = record_table(_("Espaces"), self.model,
                                              widths=(150, 185, 115, 75, 120, 210, 90, 125))
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.installEventFilter(self)

        self.new_button = QPushButton(_("Nouvel espace…"))
        self.new_button.setAccessibleName(_("Nouvel espace…"))
        self.new_button.setToolTip(_("Ctrl+N"))
        self.new_button.clicked.connect(self.new_space)
        self.edit_button = QPushButton(_("Modifier…"))
        self.edit_button.setAccessibleName(_("Modifier…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.toggle_button = QPushButton(_("Mettre hors service"))
        self.toggle_button.clicked.connect(self.toggle_active)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.toggle_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        add_shortcuts(self, [(QKeySequence.StandardKey.Refresh, self.refresh),
                             ("Ctrl+N", self.new_space)])
        self._update_buttons()

    def _parent_name(self, space: SpaceRecord) -> str:
        if space.parent_id is None:
            return ""
        parent = next((s for s in self._all if s.id == space.parent_id), None)
        return parent.name if parent is not None else ""

    @staticmethod
    def _rates_tooltip(space: SpaceRecord) -> str:
        r = space.rates
        if not space.kind.bookable and all(v is None for v in dataclasses.astuple(r)):
            return _("Pas de tarif : seules les salles se louent.")
        return _("Adhérent : {hm} l'heure, {dm} la demi-journée, {jm} la journée\n"
                 "Non-adhérent : {hp} l'heure, {dp} la demi-journée, {jp} la journée").format(
            hm=_money(r.hour_member), dm=_money(r.half_day_member), jm=_money(r.day_member),
            hp=_money(r.hour_public), dp=_money(r.half_day_public), jp=_money(r.day_public))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                          Qt.KeyboardModifier.KeypadModifier)):
            self.edit_selected()
            return True
        return super().eventFilter(watched, event)

    # --- the list ---------------------------------------------------------------------

    def refresh(self) -> None:
        self.tasks.run(self.services.spaces.spaces, on_success=self._show_spaces,
                       on_error=lambda exc: messages.show_error(self, exc), key="admin-spaces")

    def _show_spaces(self, spaces) -> None:
        self._all = tuple(spaces)
        floors = sorted({s.floor for s in self._all})
        chosen = self.floor_filter.currentData()
        self.floor_filter.blockSignals(True)
        self.floor_filter.clear()
        self.floor_filter.addItem(_("Tous les étages"), None)
        for floor in floors:
            self.floor_filter.addItem(floor_label(floor), floor)
        self.floor_filter.setCurrentIndex(max(self.floor_filter.findData(chosen), 0)
                                          if chosen is not None else 0)
        self.floor_filter.blockSignals(False)
        self.apply_filters()
        self.spaces_loaded.emit()

    def apply_filters(self) -> None:
        keep = self._select_id
        if keep is None:
            current = self.selected_space()
            keep = current.id if current is not None else None
        self._select_id = None
        floor = self.floor_filter.currentData()
        kind = self.kind_filter.currentData()
        kind = SpaceKind(kind) if kind is not None else None
        shown = [s for s in self._all if (floor is None or s.floor == floor)
                 and (kind is None or s.kind is kind)]
        self.model.set_records(shown)
        if keep is not None:
            self.select_space(keep)
        off = sum(1 for s in shown if not s.active)
        text = ngettext("{n} espace", "{n} espaces", len(shown)).format(n=len(shown))
        if off:
            text += ngettext(", dont {n} hors service", ", dont {n} hors service",
                             off).format(n=off)
        self.count_label.setText(text)
        self._update_buttons()

    def select_space(self, space_id: int) -> bool:
        return select_record(self.table, self.model, lambda r: r.id == space_id)

    def selected_space(self) -> SpaceRecord | None:
        return selected_record(self.table, self.model)

    def _update_buttons(self) -> None:
        space = self.selected_space()
        label = (_("Remettre en service") if space is not None and not space.active
                 else _("Mettre hors service"))
        self.toggle_button.setText(label)
        self.toggle_button.setAccessibleName(label)
        self.new_button.setEnabled(self.may_write)
        self.edit_button.setEnabled(self.may_write and space is not None)
        self.toggle_button.setEnabled(self.may_write and space is not None)
        choose_first = _("Choisissez d'abord un espace dans la liste.") if space is None else ""
        self.edit_button.setToolTip(choose_first or _("Entrée ou double-clic"))
        self.toggle_button.setToolTip(choose_first)

    def _changed(self, space_id: int, text: str) -> None:
        self._select_id = space_id
        self.banner.setText(text)
        self.banner.setVisible(True)
        self.refresh()

    # --- actions ----------------------------------------------------------------------

    def _dialog(self, space: SpaceRecord | None) -> SpaceDialog:
        return SpaceDialog(self.services, spaces=self._all, space=space, parent=self)

    def new_space(self) -> None:
        if not self.may_write:
            return
        dialog = self._dialog(None)
        if dialog.exec() and dialog.saved_id is not None:
            record = dialog.record()
            self._changed(dialog.saved_id, _("Espace « {name} » créé ({kind}, {floor}).").format(
                name=record.name.strip(), kind=record.kind.label.lower(),
                floor=floor_label(record.floor).lower()))

    def edit_selected(self) -> None:
        space = self.selected_space()
        if space is None or not self.may_write:
            return
        dialog = self._dialog(space)
        if dialog.exec() and dialog.saved_id is not None:
            self._changed(dialog.saved_id, _("Espace « {name} » enregistré.").format(
                name=dialog.record().name.strip()))

    def _holders_now(self, space: SpaceRecord) -> str:
        """Who holds the space today or later (a sentence, or "")."""
        if not space.kind.allocatable or not allowed(self.services.ctx.actor.role, Area.DESKS,
                                                     Access.READ):
            return ""
        today = to_paris(self.services.ctx.now()).date()
        try:
            held = [a for a in self.services.spaces.history(space_id=space.id)
                    if a.end is None or a.end >= today]
        except MaisonError:
            return ""
        if not held:
            return ""
        lines = []
        for a in reversed(held):
            if a.start <= today:
                period = (_("depuis le {start}").format(start=format_date(a.start))
                          if a.end is None else
                          _("jusqu'au {end}").format(end=format_date(a.end)))
            else:
                period = (_("à partir du {start}").format(start=format_date(a.start))
                          if a.end is None else
                          _("du {start} au {end}").format(start=format_date(a.start),
                                                          end=format_date(a.end)))
            lines.append(f"• {a.holder} ({period})")
        return _("Attention : il est attribué à\n{lines}\nCes attributions restent ; "
                 "pensez à les terminer ou à les déplacer dans « Bureaux & postes ».").format(
            lines="\n".join(lines))

    def toggle_active(self) -> None:
        space = self.selected_space()
        if space is None or not self.may_write:
            return
        if space.active:
            question = _("Mettre « {name} » hors service ?\n\nIl n'apparaîtra plus sur le plan "
                         "et ne pourra plus être attribué ni réservé. Il pourra être remis en "
                         "service.").format(name=space.name)
            holders = self._holders_now(space)
            if holders:
                question += "\n\n" + holders
            if not messages.confirm(self, question, title=_("Mettre un espace hors service"),
                                    yes=_("Mettre hors service"), destructive=True):
                return
        else:
            question = _("Remettre « {name} » en service ?\n\nIl apparaîtra de nouveau sur le "
                         "plan et pourra être attribué ou réservé.").format(name=space.name)
            if not messages.confirm(self, question, title=_("Remettre un espace en service"),
                                    yes=_("Remettre en service")):
                return
        try:
            saved = self.services.spaces.save_space(dataclasses.replace(space,
                                                                        active=not space.active))
        except MaisonError as exc:
            messages.warn(self, exc.message)
            self.refresh()
            return
        if space.active:
            text = _("« {name} » est hors service.").format(name=space.name)
        else:
            text = _("« {name} » est de nouveau en service.").format(name=space.name)
        self._changed(saved, text)

