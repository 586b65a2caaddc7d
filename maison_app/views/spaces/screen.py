"""The "Bureaux & postes" screen: the house floor by floor, drawn to scale, each office and
desk coloured by its state on the chosen day (free, occupied, full, ending within 30 days,
reserved from a later date), with a legend; the organisations to install at the side and
the occupancy figures under them.

- Everyone reads the plan: hovering a space shows who holds it and until when; the line
  under the plan says the same for the selected space (a screen reader reads it).
- Incubation and administration allocate: drag an organisation from the side list onto an
  office or a desk, or double-click / Enter on it (assign, manage the assignment), or its
  context menu (assign, manage, history).
- Administration edits the plan ("Modifier le plan"): drag a space to move it, its
  bottom-right corner to resize it (10 cm steps), double-click or Enter to rename it, add a
  space; Escape leaves the edit mode.

Keyboard: Tab goes through the floor, the date, the plan and the list of organisations; on
the plan the arrows move the selection, Enter opens the selected space's action, the menu
key its other actions; + / - zoom; F5 reloads; Ctrl+E switches the edit mode.

The plan and the figures load through the task runner; the writes call the service on the
GUI thread, as the other screens do."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import Occupancy, SpaceKind
from maison_app.domain.errors import MaisonError
from maison_app.domain.permissions import Access, Area
from maison_app.domain.spaces import (
    FloorPlan,
    Geometry,
    SpaceRecord,
    SpaceState,
    floor_label,
)
from maison_app.i18n import _, format_date, ngettext
from maison_app.services.permissions import can
from maison_app.ui import messages
from maison_app.ui.common import guarded, qdate, today
from maison_app.ui.forms import FormErrors, dialog_buttons, show_error
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.views.spaces.floor_view import (
    DEFAULT_SIZES,
    FloorView,
    describe,
    free_spot,
    legend_entries,
)

BANNER_STYLE = ("#spacesNotice { background: #e3f1e8; border: 1px solid #9cc8ab; "
                "border-radius: 4px; padding: 5px 8px; }")
EDIT_STYLE = ("#spacesEditBanner { background: #fff4d6; border: 1px solid #e0c067; "
              "border-radius: 4px; padding: 5px 8px; color: #4d3b00; }")
NOTE_STYLE = "color: #555;"
TOGGLE_STYLE = ("QPushButton { padding: 5px 14px; } "
                "QPushButton:checked { background: #8a5a00; color: white; font-weight: 600; "
                "border: 1px solid #5c3c00; border-radius: 3px; }")


# the capacity a new space of each kind proposes (a desk: always 1)
DEFAULT_CAPACITY = {SpaceKind.OFFICE: 2, SpaceKind.MEETING_ROOM: 8, SpaceKind.WORKSHOP_ROOM: 20,
                    SpaceKind.OPEN_SPACE: 8, SpaceKind.OTHER: 4}


# --- what tests replace ----------------------------------------------------------------------


def run_dialog(dialog: QDialog) -> bool:
    """Show a dialog of the allocation and wait for it; True when it wrote something."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def popup_menu(menu: QMenu, where: QPoint) -> None:
    menu.exec(where)


# --- texts ---------------------------------------------------------------------------------


def plan_summary(plan: FloorPlan) -> str:
    """"Rez-de-chaussée, le 26 novembre 2026 : 4 postes libres sur 8 · 1 se libère dans
    les 30 jours"."""
    desks = [s for s in plan.spaces if s.space.kind is SpaceKind.DESK]
    offices = [s for s in plan.spaces if s.space.kind is SpaceKind.OFFICE]
    parts = []
    if desks:
        free = sum(1 for s in desks if not s.current)
        parts.append(ngettext("{free} poste libre sur {n}", "{free} postes libres sur {n}",
                              free).format(free=free, n=len(desks)))
    if offices:
        seats = sum(s.space.capacity for s in offices)
        free = sum(max(s.space.capacity - s.seats_taken, 0) for s in offices)
        parts.append(ngettext("{free} place libre sur {n} dans les bureaux",
                              "{free} places libres sur {n} dans les bureaux", free).format(
            free=free, n=seats))
    ending = sum(1 for s in plan.spaces if s.occupancy is Occupancy.ENDING)
    if ending:
        parts.append(ngettext("{n} se libère dans les 30 jours",
                              "{n} se libèrent dans les 30 jours", ending).format(n=ending))
    reserved = sum(1 for s in plan.spaces if s.occupancy is Occupancy.RESERVED)
    if reserved:
        parts.append(ngettext("{n} réservé pour une arrivée", "{n} réservés pour des arrivées",
                              reserved).format(n=reserved))
    where = _("{floor}, le {day}").format(floor=floor_label(plan.floor),
                                          day=format_date(plan.day))
    if not plan.spaces:
        return _("{where} : aucun espace à cet étage.").format(where=where)
    if not parts:
        return _("{where} : aucun bureau ni poste à attribuer à cet étage.").format(where=where)
    return _("{where} : {figures}").format(where=where, figures=" · ".join(parts))


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- the small dialogs of the edit mode -----------------------------------------------------------


class RenameDialog(QDialog):
    """A new name for a space; the service's refusal goes under the field, what was typed
    stays."""

    def __init__(self, services, space: SpaceRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.space_id = space.id
        title = _("Renommer « {name} »").format(name=space.name)
        self.setWindowTitle(title)
        self.setAccessibleName(_("Renommer un espace"))
        self.errors = FormErrors()
        self.name = QLineEdit(space.name)
        self.name.setMaxLength(100)
        self.name.selectAll()
        form = QFormLayout()
        self.errors.add_row(form, _("Nouveau nom :"), "name", self.name, _("Nouveau nom"))
        buttons, self.ok_button = dialog_buttons(self, _("Renommer"), self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(space.kind.label + " · " + floor_label(space.floor)))
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def save(self) -> None:
        try:
            record = self.services.spaces.space(space_id=self.space_id)
            self.services.spaces.save_space(dataclasses.replace(record, name=self.name.text()))
        except MaisonError as exc:
            show_error(self, self.errors, exc)
            return
        self.accept()


class AddSpaceDialog(QDialog):
    """A new space on the floor shown: its kind, name, capacity (a desk: 1) and, for a desk,
    the open space or office it sits in. It lands on a free spot of the floor (inside its
    open space for a desk), from where it is dragged into place."""

    def __init__(self, services, plan: FloorPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.plan = plan
        self.new_id: int | None = None
        self.setWindowTitle(_("Ajouter un espace — {floor}").format(floor=floor_label(plan.floor)))
        self.setAccessibleName(_("Ajouter un espace"))
        self.errors = FormErrors()
        containers = [s.space for s in plan.spaces
                      if s.space.kind in (SpaceKind.OPEN_SPACE, SpaceKind.OFFICE)]

        self.kind = QComboBox()
        for kind in SpaceKind:
            self.kind.addItem(kind.label, kind)
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.name.setPlaceholderText(_("Poste C1, Bureau 108, Salle Venise…"))
        self.capacity = QSpinBox()
        self.capacity.setRange(1, 500)
        self.capacity.setSuffix(_(" pers."))
        self.inside = QComboBox()
        self.inside.addItem(_("Nulle part (posé sur l'étage)"), None)
        for space in containers:
            self.inside.addItem(space.name, space.id)

        form = QFormLayout()
        self.errors.add_row(form, _("Type :"), "kind", self.kind, _("Type d'espace"))
        self.errors.add_row(form, _("Nom :"), "name", self.name, _("Nom de l'espace"))
        self.errors.add_row(form, _("Capacité :"), "capacity", self.capacity, _("Capacité"))
        self.errors.add_row(form, _("Dans :"), "parent", self.inside,
                            _("Espace qui contient le poste"))
        note = QLabel(_("L'espace est posé à une place libre de l'étage : faites-le glisser "
                        "ensuite à sa place, et tirez son coin en bas à droite pour sa taille."))
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)
        buttons, self.ok_button = dialog_buttons(self, _("Ajouter"), self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        open_spaces = [s for s in containers if s.kind is SpaceKind.OPEN_SPACE]
        start = SpaceKind.DESK if open_spaces else SpaceKind.OFFICE
        self.kind.setCurrentIndex(self.kind.findData(start))
        if open_spaces:
            self.inside.setCurrentIndex(self.inside.findData(open_spaces[0].id))
        self._kind_changed()

    def chosen_kind(self) -> SpaceKind:
        return SpaceKind(self.kind.currentData())  # the combo gives the value back as str

    def _kind_changed(self) -> None:
        desk = self.chosen_kind() is SpaceKind.DESK
        if desk:
            self.capacity.setValue(1)
        else:
            self.capacity.setValue(DEFAULT_CAPACITY.get(self.chosen_kind(), 2))
        self.capacity.setEnabled(not desk)
        self.inside.setEnabled(desk)
        if not desk:
            self.inside.setCurrentIndex(0)

    def placement(self) -> Geometry:
        kind = self.chosen_kind()
        width, height = DEFAULT_SIZES[kind]
        parent_id = self.inside.currentData() if kind is SpaceKind.DESK else None
        within = next((s.space.geometry for s in self.plan.spaces if s.space.id == parent_id),
                      None)
        taken = [s.space.geometry for s in self.plan.spaces
                 if parent_id is None or s.space.id != parent_id]
        floor = (self.plan.width, self.plan.height) if self.plan.spaces else (20.0, 12.0)
        return free_spot(width, height, taken, floor=floor, within=within)

    def save(self) -> None:
        kind = self.chosen_kind()
        record = SpaceRecord(
            id=None, kind=kind, name=self.name.text(), floor=self.plan.floor,
            capacity=self.capacity.value(),
            parent_id=self.inside.currentData() if kind is SpaceKind.DESK else None,
            geometry=self.placement())
        try:
            self.new_id = self.services.spaces.save_space(record)
        except MaisonError as exc:
            show_error(self, self.errors, exc)
            return
        self.accept()


# --- the screen ---------------------------------------------------------------------------------


class SpacesScreen(QWidget):
    """Needs the app's `Services` and the shared `TaskRunner`."""

    plan_loaded = Signal()  # after each plan shown (tests listen to it)
    figures_loaded = Signal()

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        actor = services.ctx.actor
        self.can_edit_plan = can(actor, Area.SPACES, Access.WRITE)
        self.can_assign = can(actor, Area.DESKS, Access.WRITE)
        self.floors: list[int] = []
        self.floor: int | None = None
        self.editing = False
        self.dialog: QDialog | None = None  # the rename / add dialog open, if any
        self._select_after: int | None = None
        self.setAccessibleName(_("Bureaux & postes"))
        self._build()
        self._load_floors()
        self.reload_figures()

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        from maison_app.views.spaces.figures_chart import FiguresPanel
        from maison_app.views.spaces.holders_list import MIME_TYPE, HoldersList

        heading = QLabel(_("Bureaux & postes"))
        heading.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.floor_tabs = QTabBar()
        self.floor_tabs.setAccessibleName(_("Étage"))
        self.floor_tabs.setToolTip(_("L'étage montré sur le plan"))
        self.floor_tabs.setExpanding(False)
        self.floor_tabs.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.floor_tabs.setStyleSheet("QTabBar::tab { padding: 6px 16px; font-size: 14px; }"
                                      "QTabBar::tab:selected { font-weight: 600; }")
        self.floor_tabs.currentChanged.connect(self._floor_chosen)

        day_label = QLabel(_("&Plan du :"))
        self.date = QDateEdit(qdate(today(self.services)))
        self.date.setAccessibleName(_("Date du plan"))
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setCalendarPopup(True)
        self.date.setMinimumDate(QDate(2000, 1, 1))
        self.date.setMaximumDate(QDate(2100, 12, 31))
        self.date.setMinimumWidth(130)
        day_label.setBuddy(self.date)
        self.date.setToolTip(_("Le jour montré : les couleurs disent qui occupe quoi ce "
                               "jour-là. Tapez une date ou choisissez-la dans le calendrier."))
        self.date.dateChanged.connect(lambda _d: self.reload())
        self.prev_month = self._button(_("− 1 mois"), _("Mois précédent"),
                                       lambda: self._shift_months(-1))
        self.today_button = self._button(_("Aujourd'hui"), _("Aujourd'hui"), self.show_today)
        self.next_month = self._button(_("+ 1 mois"), _("Mois suivant"),
                                       lambda: self._shift_months(1))

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(16)
        top.addWidget(self.floor_tabs)
        top.addStretch(1)
        top.addWidget(day_label)
        top.addWidget(self.date)
        top.addWidget(self.prev_month)
        top.addWidget(self.today_button)
        top.addWidget(self.next_month)

        self.summary = QLabel(_("Chargement du plan…"))
        self.summary.setAccessibleName(_("Résumé de l'étage"))
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: 600; font-size: 14px;")
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.zoom_out_button = self._button("−", _("Zoom arrière"), lambda: self.view.zoom_out(),
                                            tip=_("Zoom arrière (Ctrl + molette, ou -)"))
        self.zoom_in_button = self._button("+", _("Zoom avant"), lambda: self.view.zoom_in(),
                                           tip=_("Zoom avant (Ctrl + molette, ou +)"))
        self.fit_button = self._button(_("Ajuster"), _("Ajuster le plan à la fenêtre"),
                                       lambda: self.view.set_zoom(1.0),
                                       tip=_("Tout l'étage dans la fenêtre (0)"))
        for b in (self.zoom_out_button, self.zoom_in_button):
            b.setFixedWidth(34)
        self.add_button = self._button(_("Ajouter un espace…"), _("Ajouter un espace"),
                                       self.add_space)
        self.add_button.setVisible(False)
        self.edit_button = self._button(_("Modifier le plan"), _("Modifier le plan"), None,
                                        tip=_("Déplacer, agrandir, renommer et ajouter des "
                                              "espaces (Ctrl+E ; Échap pour terminer)"))
        self.edit_button.setCheckable(True)
        self.edit_button.setStyleSheet(TOGGLE_STYLE)
        bold = self.edit_button.font()
        bold.setBold(True)
        self.edit_button.setMinimumWidth(
            QFontMetrics(bold).horizontalAdvance(self.edit_button.text()) + 40)
        self.edit_button.toggled.connect(self.set_editing)
        self.edit_button.setVisible(self.can_edit_plan)

        tools = QHBoxLayout()
        tools.addWidget(self.summary, 1)
        tools.addWidget(self.zoom_out_button)
        tools.addWidget(self.zoom_in_button)
        tools.addWidget(self.fit_button)
        tools.addSpacing(12)
        tools.addWidget(self.add_button)
        tools.addWidget(self.edit_button)

        self.notice = QLabel()
        self.notice.setObjectName("spacesNotice")
        self.notice.setStyleSheet(BANNER_STYLE)
        self.notice.setAccessibleName(_("Message"))
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self.edit_banner = QLabel(_(
            "Mode modification : faites glisser un espace pour le déplacer, son coin en bas à "
            "droite pour l'agrandir (pas de 10 cm) ; double-clic ou Entrée pour le renommer ; "
            "Ctrl+flèches le déplacent, Ctrl+Maj+flèches l'agrandissent. Échap pour terminer."))
        self.edit_banner.setObjectName("spacesEditBanner")
        self.edit_banner.setStyleSheet(EDIT_STYLE)
        self.edit_banner.setAccessibleName(_("Aide du mode modification"))
        self.edit_banner.setWordWrap(True)
        self.edit_banner.setVisible(False)

        self.view = FloorView()
        self.view.setAccessibleName(_("Plan de l'étage"))
        self.view.drop_mime = MIME_TYPE if self.can_assign else None
        self.view.activated.connect(self.open_space)
        self.view.rename_requested.connect(self.rename_space)
        self.view.geometry_edited.connect(self._geometry_edited)
        self.view.holder_dropped.connect(
            lambda space_id, data: QTimer.singleShot(0, lambda: self.drop_holder(space_id, data)))
        self.view.menu_requested.connect(self._show_menu)
        self.view.selection_changed.connect(self._selection_changed)

        self.legend = self._legend()
        self.selection_info = QLabel()
        self.selection_info.setAccessibleName(_("Espace sélectionné"))
        self.selection_info.setWordWrap(True)
        self.selection_info.setStyleSheet(NOTE_STYLE)
        self.selection_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.selection_info.setSizePolicy(QSizePolicy.Policy.Ignored,
                                          QSizePolicy.Policy.Preferred)

        plan_column = QWidget()
        plan_layout = QVBoxLayout(plan_column)
        plan_layout.setContentsMargins(0, 0, 0, 0)
        plan_layout.addWidget(self.view, 1)
        plan_layout.addWidget(self.legend)
        plan_layout.addWidget(self.selection_info)

        self.holders = HoldersList(self.services, self.tasks)
        self.holders.holder_activated.connect(self._holder_activated)
        self.figures = FiguresPanel()
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.holders)
        side.addWidget(self.figures)
        side.setStretchFactor(0, 3)
        side.setStretchFactor(1, 2)
        side.setChildrenCollapsible(False)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(plan_column)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([880, 310])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(tools)
        layout.addWidget(self.notice)
        layout.addWidget(self.edit_banner)
        layout.addWidget(self.splitter, 1)

        for first, second in ((self.floor_tabs, self.date), (self.date, self.prev_month),
                              (self.prev_month, self.today_button),
                              (self.today_button, self.next_month),
                              (self.next_month, self.view), (self.view, self.holders.search),
                              (self.holders.search, self.holders.view)):
            QWidget.setTabOrder(first, second)

        self.escape, _refresh = add_shortcuts(self, [
            (Qt.Key.Key_Escape, lambda: self.set_editing(False)),
            (QKeySequence.StandardKey.Refresh, self.refresh)])
        self.escape.setEnabled(False)
        if self.can_edit_plan:
            add_shortcuts(self, [("Ctrl+E", self.edit_button.toggle)])
        self.setFocusProxy(self.view)
        self._selection_changed(None)

    def _button(self, text: str, name: str, slot: Callable | None, *,
                tip: str | None = None) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        if tip:
            button.setToolTip(tip)
        if slot is not None:
            button.clicked.connect(lambda _c=False: slot())
        return button

    def _legend(self) -> QFrame:
        legend = QFrame()
        legend.setAccessibleName(_("Légende"))
        row = QHBoxLayout(legend)
        row.setContentsMargins(0, 2, 0, 2)
        row.setSpacing(6)
        words = []
        for label, look, meaning in legend_entries():
            swatch = QLabel()
            swatch.setFixedSize(18, 14)
            swatch.setStyleSheet(f"background: {look.fill}; border: 1px solid {look.border};")
            text = QLabel(label)
            text.setToolTip(meaning)
            swatch.setToolTip(meaning)
            row.addWidget(swatch)
            row.addWidget(text)
            row.addSpacing(10)
            words.append(f"{label} : {meaning}")
        row.addStretch(1)
        legend.setAccessibleDescription(" ; ".join(words))
        return legend

    # --- loading ---------------------------------------------------------------------------

    def day(self) -> dt.date:
        d = self.date.date()
        return dt.date(d.year(), d.month(), d.day())

    def set_day(self, day: dt.date) -> None:
        self.date.setDate(qdate(day))

    def show_today(self) -> None:
        self.set_day(today(self.services))

    def _shift_months(self, months: int) -> None:
        self.set_day(add_months(self.day(), months))

    def _failed(self, exc: BaseException) -> None:
        messages.show_error(self, exc)

    def _load_floors(self) -> None:
        services = self.services
        self.tasks.run(services.spaces.floors, on_success=guarded(self, self._show_floors),
                       on_error=guarded(self, self._failed), key=f"floors-{id(self)}")

    def _show_floors(self, floors) -> None:
        floors = list(floors) or [0]
        if self.floor is not None and self.floor not in floors:
            floors = sorted({*floors, self.floor})
        keep = self.floor if self.floor is not None else (0 if 0 in floors else floors[0])
        self.floors = floors
        self.floor_tabs.blockSignals(True)
        while self.floor_tabs.count():
            self.floor_tabs.removeTab(0)
        for f in floors:
            self.floor_tabs.addTab(floor_label(f))
        self.floor_tabs.setCurrentIndex(floors.index(keep))
        self.floor_tabs.blockSignals(False)
        self.floor = keep
        self.reload()

    def _floor_chosen(self, index: int) -> None:
        if 0 <= index < len(self.floors):
            self.floor = self.floors[index]
            self.reload()

    def show_floor(self, floor: int) -> None:
        """Show a floor (tests, the keyboard); nothing when the house has no such floor."""
        if floor in self.floors:
            self.floor_tabs.setCurrentIndex(self.floors.index(floor))

    def reload(self) -> None:
        """The plan of the floor and day shown, through the task runner."""
        if self.floor is None:
            return
        services, floor, day = self.services, self.floor, self.day()
        self.tasks.run(lambda: services.spaces.floor_plan(floor=floor, day=day),
                       on_success=guarded(self, self._show_plan),
                       on_error=guarded(self, self._failed), key=f"plan-{id(self)}")

    def _show_plan(self, plan: FloorPlan) -> None:
        self.view.set_plan(plan)
        if self._select_after is not None:
            self.view.select(self._select_after)
            self._select_after = None
        self.summary.setText(plan_summary(plan))
        self.plan_loaded.emit()

    def reload_figures(self) -> None:
        services = self.services
        self.tasks.run(lambda: services.spaces.figures(),
                       on_success=guarded(self, self._show_figures),
                       on_error=guarded(self, self._failed), key=f"figures-{id(self)}")

    def _show_figures(self, figures) -> None:
        self.figures.set_figures(figures)
        self.figures_loaded.emit()

    def refresh(self) -> None:
        """Everything again (F5, after an assignment): the plan, the figures, the list."""
        self._load_floors()
        self.reload_figures()
        self.holders.refresh()

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # --- the selected space ------------------------------------------------------------------------

    def _selection_changed(self, state: SpaceState | None) -> None:
        if state is None:
            self.selection_info.setText(_("Survolez un espace pour voir qui l'occupe ; "
                                          "cliquez dessus ou utilisez les flèches pour le "
                                          "choisir."))
            return
        text = describe(state, self.view.plan.day) if self.view.plan else state.space.name
        hint = self._hint(state)
        self.selection_info.setText(f"{text} {hint}".strip())

    def _hint(self, state: SpaceState) -> str:
        if self.editing:
            return _("Entrée : renommer.")
        if not state.space.kind.allocatable:
            return ""
        if not self.can_assign:
            return _("Entrée : historique.")
        return _("Entrée ou double-clic : attribuer ou gérer ; clic droit : toutes les "
                 "actions.")

    # --- allocation ----------------------------------------------------------------------------

    def actions_for(self, space_id: int) -> list[tuple[str, Callable[[], None]]]:
        """The actions of a space's menu: (label, what it does)."""
        state = self.view.state(space_id)
        if state is None:
            return []
        actions: list[tuple[str, Callable[[], None]]] = []
        if self.editing and self.can_edit_plan:
            actions.append((_("Renommer…"), lambda: self.rename_space(space_id)))
        if not state.space.kind.allocatable:
            return actions
        if self.can_assign:
            actions.append((_("Attribuer…"), lambda: self.assign(space_id)))
            pending = [*state.current, *([state.next] if state.next else [])]
            for a in pending:
                label = (_("Gérer l'attribution…") if len(pending) == 1 else
                         _("Gérer l'attribution de {holder}…").format(holder=a.holder))
                actions.append((label, lambda a_id=a.id: self.manage(space_id, a_id)))
        actions.append((_("Historique…"), lambda: self.show_history(space_id)))
        return actions

    def _show_menu(self, space_id: int, where: QPoint) -> None:
        actions = self.actions_for(space_id)
        if not actions:
            return
        menu = QMenu(self)
        menu.setAccessibleName(_("Actions de l'espace"))
        for label, slot in actions:
            menu.addAction(label).triggered.connect(lambda _c=False, s=slot: s())
        popup_menu(menu, where)
        menu.deleteLater()

    def open_space(self, space_id: int) -> None:
        """Enter or a double click on a space: its one obvious action, else its menu."""
        state = self.view.state(space_id)
        if state is None:
            return
        if self.editing:
            self.rename_space(space_id)
            return
        kind = state.space.kind
        if not kind.allocatable:
            self._say(_("« {name} » ne s'attribue pas : seuls les bureaux et les postes de "
                        "travail s'attribuent.").format(name=state.space.name))
            return
        if not self.can_assign:
            self.show_history(space_id)
            return
        pending = [*state.current, *([state.next] if state.next else [])]
        if not pending:
            self.assign(space_id)
            return
        full = kind is SpaceKind.DESK or state.seats_taken >= state.space.capacity
        if len(pending) == 1 and state.current and full:
            self.manage(space_id, pending[0].id)
            return
        item = self.view.items_by_id[space_id]
        where = self.view.viewport().mapToGlobal(
            self.view.mapFromScene(item.sceneBoundingRect().center()))
        self._show_menu(space_id, where)

    def assign(self, space_id: int, organisation_id: int | None = None) -> None:
        """The assignment dialog for a space (and an organisation, when dropped), starting on
        the day shown."""
        if not self.can_assign:
            return
        from maison_app.views.spaces import assignment_dialog

        try:
            dialog = assignment_dialog.AssignmentDialog(
                self.services, self.tasks, space_id=space_id, organisation_id=organisation_id,
                start=self.day(), parent=self)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.refresh()
            return
        self._after(dialog)

    def manage(self, space_id: int, assignment_id: int) -> None:
        from maison_app.views.spaces import assignment_dialog

        try:
            dialog = assignment_dialog.AssignmentDialog(
                self.services, self.tasks, space_id=space_id, assignment_id=assignment_id,
                parent=self)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.refresh()
            return
        self._after(dialog)

    def _after(self, dialog: QDialog) -> None:
        written = run_dialog(dialog)
        text = getattr(dialog, "done_message", "") if written else ""
        dialog.deleteLater()
        if written:
            self._say(text)
            self._select_after = self.view.selected_id()
            self.refresh()

    def show_history(self, space_id: int) -> None:
        from maison_app.views.spaces import history_dialog

        try:
            dialog = history_dialog.HistoryDialog(self.services, space_id=space_id, parent=self)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        run_dialog(dialog)
        dialog.deleteLater()

    def drop_holder(self, space_id: int, data: bytes) -> None:
        """An organisation of the side list dropped on an office or a desk."""
        from maison_app.views.spaces.holders_list import parse_holder

        holder = parse_holder(data)
        state = self.view.state(space_id)
        if holder is None or holder[0] != "organisation" or state is None:
            return
        if not state.space.kind.allocatable:
            return
        self.view.select(space_id)
        self.assign(space_id, organisation_id=holder[1])

    def _holder_activated(self, organisation_id: int, name: str) -> None:
        """Enter on an organisation of the list: install it on the space selected on the
        plan."""
        if not self.can_assign:
            return
        state = self.view.selected_state()
        if state is None or not state.space.kind.allocatable:
            self._say(_("Choisissez d'abord sur le plan le bureau ou le poste de « {name} » "
                        "(cliquez dessus ou utilisez les flèches), puis recommencez, ou faites "
                        "glisser la structure sur le plan.").format(name=name))
            return
        self.assign(state.space.id, organisation_id=organisation_id)

    # --- the edit mode ------------------------------------------------------------------------------

    def set_editing(self, editing: bool) -> None:
        editing = editing and self.can_edit_plan
        self.editing = editing
        if self.edit_button.isChecked() != editing:
            self.edit_button.blockSignals(True)
            self.edit_button.setChecked(editing)
            self.edit_button.blockSignals(False)
        self.view.set_editing(editing)
        self.add_button.setVisible(editing)
        self.edit_banner.setVisible(editing)
        self.escape.setEnabled(editing)
        self._selection_changed(self.view.selected_state())
        if not editing:
            self._say("")
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _geometry_edited(self, space_id: int, geometry: Geometry, previous: Geometry) -> None:
        try:
            self.services.spaces.move_space(space_id=space_id, geometry=geometry)
        except MaisonError as exc:
            self.view.restore(space_id, previous)
            messages.show_error(self, exc)
            return
        item = self.view.items_by_id.get(space_id)
        if item is not None:  # the tooltip and the line under the plan give the new size
            space = dataclasses.replace(item.state.space, geometry=geometry)
            item.set_state(dataclasses.replace(item.state, space=space))
            if item.isSelected():
                self._selection_changed(item.state)

    def rename_space(self, space_id: int) -> None:
        if not (self.editing and self.can_edit_plan):
            return
        state = self.view.state(space_id)
        if state is None:
            return
        self._open(RenameDialog(self.services, state.space, parent=self), select=space_id)

    def add_space(self) -> None:
        if not (self.editing and self.can_edit_plan) or self.view.plan is None:
            return
        self._open(AddSpaceDialog(self.services, self.view.plan, parent=self))

    def _open(self, dialog: QDialog, select: int | None = None) -> None:
        """A dialog of the edit mode, window-modal; the plan reloads when it saved."""
        self.dialog = dialog

        def saved() -> None:
            self._select_after = getattr(dialog, "new_id", None) or select
            self.reload()

        dialog.accepted.connect(saved)
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
