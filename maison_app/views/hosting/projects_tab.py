"""The « Projets » tab of the Hébergement screen: the accompanied projects, as the incubator
manager follows them.

On top, what needs attention (hidden when nothing does): projects near or past the longest
stay their programme allows, and projects without a follow-up meeting for 60 days; a click
or Enter on a line opens the project. Then the filters (a search on the name, the holders or
the organisation, accents ignored; the programme; the stage; the projects already out), the
list (sortable; a row with an alert is tinted), and the actions: « Nouveau projet… » (Ctrl+N),
« Ouvrir » (Enter, double-click), « Convention d'hébergement… » (asks the screen to open a new
agreement for the project: `new_agreement_requested(project_id)`), « Supprimer ».

Lists are loaded through the task runner; writes happen in the project's dialog."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import ProjectStage
from maison_app.domain.errors import MaisonError
from maison_app.domain.hosting import ProjectAlert, ProjectRecord
from maison_app.domain.permissions import Access, Area, allowed
from maison_app.domain.text import search_key
from maison_app.i18n import _, format_date, ngettext
from maison_app.ui import messages
from maison_app.ui.common import BANNER_STYLE, guarded, today
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import (
    Column,
    RecordTableModel,
    enter_table,
    record_table,
    select_record,
    selected_record,
)
from maison_app.views.hosting.project_dialog import ProjectDialog

SEARCH_DELAY_MS = 250
ALERTS_STYLE = ("#projectAlerts { background: #fff6e5; border: 1px solid #e6c27a; "
                "border-radius: 4px; }")
# row tints, and the colour of the cell that says why: the stay is over, the stay ends
# soon, no follow-up meeting for too long
PAST_TINT, PAST_TEXT = "#f8d7d3", "#b3261e"
NEAR_TINT, NEAR_TEXT = "#ffe6ad", "#7a4f00"
FOLLOW_UP_TINT, FOLLOW_UP_TEXT = "#dce8f7", "#1f4e8c"
EXITED_TEXT = "#8a8a8a"
STAY_COLUMN, FOLLOW_UP_COLUMN = 6, 7


def _short(day: dt.date | None) -> str:
    return format_date(day, "short") if day is not None else ""


def _date_key(day: dt.date | None) -> dt.date:
    return day if day is not None else dt.date.max


def holders_text(p: ProjectRecord) -> str:
    return ", ".join(h.name for h in p.holders)


def stage_text(p: ProjectRecord) -> str:
    if p.exit_date is not None:
        return _("Sorti le {day}").format(day=_short(p.exit_date))
    return p.stage.label


def stay_limit_text(p: ProjectRecord) -> str:
    if p.max_months is None:
        return _("sans limite")
    return _short(p.stay_limit)


def alert_text(alert: ProjectAlert) -> str:
    """One line of the alerts panel: the project and what is the matter."""
    message = alert.message.strip()
    if alert.project_name and alert.project_name not in message:
        return _("{project} — {message}").format(project=alert.project_name, message=message)
    return message


class _ProjectsModel(RecordTableModel[ProjectRecord]):
    """The projects; a row with an alert is tinted, a project already out is greyed."""

    def __init__(self, columns, parent=None) -> None:
        super().__init__(columns, parent=parent)
        self.alerts: dict[int, list[ProjectAlert]] = {}
        self.today = dt.date.today()

    def kinds(self, p: ProjectRecord) -> set[str]:
        return {a.kind for a in self.alerts.get(p.id, ())}

    def stay_over(self, p: ProjectRecord) -> bool:
        return p.stay_limit is not None and p.stay_limit < self.today

    def tint(self, p: ProjectRecord) -> str | None:
        kinds = self.kinds(p)
        if "stay" in kinds:
            return PAST_TINT if self.stay_over(p) else NEAR_TINT
        if kinds:
            return FOLLOW_UP_TINT
        return None

    def cell_colour(self, p: ProjectRecord, column: int) -> str | None:
        """The cell that says why the row is tinted: the stay limit, the last follow-up."""
        kinds = self.kinds(p)
        if column == STAY_COLUMN and "stay" in kinds:
            return PAST_TEXT if self.stay_over(p) else NEAR_TEXT
        if column == FOLLOW_UP_COLUMN and "follow_up" in kinds:
            return FOLLOW_UP_TEXT
        return None

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            tint = self.tint(self.record(index.row()))
            return QBrush(QColor(tint)) if tint else None
        if role == Qt.ItemDataRole.ForegroundRole:
            p = self.record(index.row())
            if not p.active:
                return QBrush(QColor(EXITED_TEXT))
            colour = self.cell_colour(p, index.column())
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.FontRole:
            p = self.record(index.row())
            if self.cell_colour(p, index.column()) is None:
                return None
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            p = self.record(index.row())
            alerts = self.alerts.get(p.id)
            if alerts:
                return "\n".join(a.message for a in alerts)
        return super().data(index, role)


class ProjectsTab(QWidget):
    """Needs the app's `Services` and the shared `TaskRunner`. Not built for a role without
    access to the projects (the accueil)."""

    new_agreement_requested = Signal(int)  # a project id
    projects_loaded = Signal()  # tests listen to it

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self._select_id: int | None = None  # the project to select once the list is back
        self._alerts: tuple[ProjectAlert, ...] = ()
        self._build()
        self.refresh()

    @property
    def may_write(self) -> bool:
        return allowed(self.services.ctx.actor.role, Area.PROJECTS, Access.WRITE)

    @property
    def may_prepare_agreements(self) -> bool:
        return allowed(self.services.ctx.actor.role, Area.AGREEMENTS, Access.WRITE)

    # --- layout -------------------------------------------------------------------------

    def _build(self) -> None:
        self.banner = QLabel()
        self.banner.setObjectName("memberBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(_("Message des projets"))
        self.banner.setVisible(False)

        # what needs attention
        self.alerts_panel = QFrame()
        self.alerts_panel.setObjectName("projectAlerts")
        self.alerts_panel.setStyleSheet(ALERTS_STYLE)
        self.alerts_title = QLabel()
        self.alerts_title.setAccessibleName(_("Titre des alertes"))
        self.alerts_title.setStyleSheet("font-weight: 600; color: #5c3d00; border: none;")
        alerts_help = QLabel(_("Cliquez sur une ligne (ou Entrée) pour ouvrir le projet."))
        alerts_help.setStyleSheet("color: #6b5320; font-size: 90%; border: none;")
        self.alerts = QListWidget()
        self.alerts.setAccessibleName(_("Alertes des projets"))
        self.alerts.setMaximumHeight(112)
        self.alerts.setStyleSheet("QListWidget { background: #fffdf7; border: 1px solid "
                                  "#ecd9ad; }")
        self.alerts.setCursor(Qt.CursorShape.PointingHandCursor)
        self.alerts.itemClicked.connect(self._alert_chosen)
        self.alerts.installEventFilter(self)
        head = QHBoxLayout()
        head.addWidget(self.alerts_title)
        head.addStretch(1)
        head.addWidget(alerts_help)
        panel = QVBoxLayout(self.alerts_panel)
        panel.setContentsMargins(8, 6, 8, 8)
        panel.setSpacing(4)
        panel.addLayout(head)
        panel.addWidget(self.alerts)
        self.alerts_panel.setVisible(False)

        # filters
        self.search = QLineEdit()
        self.search.setAccessibleName(_("Rechercher un projet"))
        self.search.setPlaceholderText(_("Rechercher un projet, un·e porteur·se, une "
                                         "structure…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.installEventFilter(self)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.load_projects)
        self.programme_filter = QComboBox()
        self.programme_filter.setAccessibleName(_("Filtrer par programme"))
        self.programme_filter.addItem(_("Tous les programmes"), None)
        self.programme_filter.currentIndexChanged.connect(lambda _i: self.load_projects())
        self.stage_filter = QComboBox()
        self.stage_filter.setAccessibleName(_("Filtrer par étape"))
        self.stage_filter.addItem(_("Toutes les étapes"), None)
        for stage in ProjectStage:
            self.stage_filter.addItem(stage.label, stage)
        self.stage_filter.currentIndexChanged.connect(lambda _i: self.load_projects())
        self.exited = QCheckBox(_("Projets sortis aussi"))
        self.exited.setAccessibleName(_("Projets sortis aussi"))
        self.exited.setToolTip(_("Montrer aussi les projets qui ont quitté leur programme "
                                 "(en gris)"))
        self.exited.toggled.connect(lambda _c: self.load_projects())
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for label, combo in ((_("Programme :"), self.programme_filter),
                             (_("Étape :"), self.stage_filter)):
            caption = QLabel(label)
            caption.setBuddy(combo)
            filters.addSpacing(8)
            filters.addWidget(caption)
            filters.addWidget(combo)
        filters.addSpacing(8)
        filters.addWidget(self.exited)
        filters.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(_("Nombre de projets"))
        self.count_label.setStyleSheet("color: #555;")
        filters.addWidget(self.count_label)

        # the list
        self.model = _ProjectsModel([
            Column(_("Projet"), lambda p: p.name, sort_key=lambda p: search_key(p.name)),
            Column(_("Porteur·ses"), holders_text, sort_key=lambda p: search_key(holders_text(p))),
            Column(_("Programme"), lambda p: p.programme_name,
                   sort_key=lambda p: search_key(p.programme_name)),
            Column(_("Étape"), stage_text,
                   sort_key=lambda p: list(ProjectStage).index(p.stage)),
            Column(_("Référent·e"), lambda p: p.referent, sort_key=lambda p: search_key(p.referent)),
            Column(_("Entrée"), lambda p: _short(p.entry_date),
                   sort_key=lambda p: _date_key(p.entry_date),
                   tooltip=lambda p: format_date(p.entry_date) if p.entry_date else ""),
            Column(_("Fin de parcours max"), stay_limit_text,
                   sort_key=lambda p: _date_key(p.stay_limit), tooltip=self._stay_tooltip),
            Column(_("Dernier suivi"),
                   lambda p: _short(p.last_follow_up) if p.last_follow_up else _("aucun"),
                   sort_key=lambda p: p.last_follow_up or dt.date.min,
                   tooltip=self._follow_up_tooltip),
            Column(_("Structure"), lambda p: p.organisation_name,
                   sort_key=lambda p: search_key(p.organisation_name)),
        ])
        self.table, self.proxy = record_table(
            _("Projets"), self.model, widths=(190, 180, 130, 105, 120, 90, 135, 100))
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.installEventFilter(self)

        self.empty = QLabel()
        self.empty.setAccessibleName(_("Aucun projet"))
        self.empty.setStyleSheet("color: #555;")
        self.empty.setWordWrap(True)
        self.empty.setVisible(False)

        swatch = "<span style='color:{colour}; font-size:15px'>■</span>"
        legend = QLabel("&nbsp;&nbsp;&nbsp;".join(
            f"{swatch.format(colour=colour)} {text}" for colour, text in (
                ("#e8a9a1", _("durée maximale dépassée")),
                ("#f2c25b", _("fin de parcours dans moins de 60 jours")),
                ("#9dbbe3", _("pas de rendez-vous de suivi depuis 60 jours")))))
        legend.setAccessibleName(_("Légende des couleurs"))
        legend.setStyleSheet("color: #555; font-size: 90%;")

        # actions
        self.new_button = QPushButton(_("Nouveau projet…"))
        self.new_button.setAccessibleName(_("Nouveau projet…"))
        self.new_button.setToolTip(_("Ctrl+N"))
        self.new_button.clicked.connect(self.new_project)
        self.open_button = QPushButton(_("Ouvrir"))
        self.open_button.setAccessibleName(_("Ouvrir le projet"))
        self.open_button.clicked.connect(self.open_selected)
        self.agreement_button = QPushButton(_("Convention d'hébergement…"))
        self.agreement_button.setAccessibleName(_("Convention d'hébergement…"))
        self.agreement_button.clicked.connect(self.request_agreement)
        self.delete_button = QPushButton(_("Supprimer"))
        self.delete_button.setAccessibleName(_("Supprimer le projet"))
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.agreement_button)
        buttons.addWidget(self.delete_button)
        self.new_button.setVisible(self.may_write)
        self.delete_button.setVisible(self.may_write)
        self.agreement_button.setVisible(self.may_prepare_agreements)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.alerts_panel)
        layout.addLayout(filters)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)
        layout.addLayout(buttons)

        add_shortcuts(self, [(QKeySequence.StandardKey.Refresh, self.refresh),
                             ("Ctrl+N", self.new_project),
                             (QKeySequence.StandardKey.Find, self._focus_search)])
        self._update_buttons()

    def _stay_tooltip(self, p: ProjectRecord) -> str:
        if p.max_months is None:
            return _("Le programme « {programme} » ne limite pas la durée.").format(
                programme=p.programme_name)
        if p.stay_limit is None:
            return _("Durée maximale : {n} mois à compter de l'entrée (date d'entrée à "
                     "indiquer).").format(n=p.max_months)
        return _("{programme} : {n} mois au plus, jusqu'au {day}").format(
            programme=p.programme_name, n=p.max_months, day=format_date(p.stay_limit))

    @staticmethod
    def _follow_up_tooltip(p: ProjectRecord) -> str:
        if p.last_follow_up is None:
            return _("Aucun rendez-vous de suivi noté")
        return _("Dernier rendez-vous de suivi le {day}").format(
            day=format_date(p.last_follow_up))

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if watched is self.table and enter:
                self.open_selected()
                return True
            if watched is self.table and key == Qt.Key.Key_Delete and self.may_write:
                self.delete_selected()
                return True
            if watched is self.alerts and enter:
                item = self.alerts.currentItem() or self.alerts.item(0)
                if item is not None:
                    self._alert_chosen(item)
                return True
            if watched is self.search and enter:
                self._search_timer.stop()
                self.load_projects()
                return True
            if watched is self.search and key == Qt.Key.Key_Down and self.model.rowCount():
                enter_table(self.table)
                return True
        return super().eventFilter(watched, event)

    # --- loading ------------------------------------------------------------------------

    def _filters(self) -> dict:
        stage = self.stage_filter.currentData()
        return {"query": self.search.text(), "programme_id": self.programme_filter.currentData(),
                "stage": ProjectStage(stage) if stage is not None else None,
                "active_only": not self.exited.isChecked()}

    def refresh(self) -> None:
        """Load the programmes, the alerts and the projects again."""
        projects = self.services.projects
        filters = self._filters()
        day = today(self.services)

        def load():
            return (projects.programmes(), projects.alerts(), filters,
                    projects.projects(**filters), day)

        self.tasks.run(load, on_success=guarded(self, self._show_all),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"projects-all-{id(self)}")

    def load_projects(self) -> None:
        """The list again, after a filter changed (the alerts stay)."""
        self._search_timer.stop()
        projects = self.services.projects
        filters = self._filters()
        self.tasks.run(lambda: (filters, projects.projects(**filters)),
                       on_success=guarded(self, self._show_filtered),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"projects-list-{id(self)}")

    def _show_all(self, result) -> None:
        programmes, alerts, filters, records, day = result
        self.model.today = day
        self._fill_programmes(programmes)
        self._show_alerts(alerts)
        if filters == self._filters():
            self._show_projects(records)
        else:  # a filter changed meanwhile (or the programme chosen was closed)
            self.load_projects()

    def _show_filtered(self, result) -> None:
        filters, records = result
        if filters != self._filters():
            return  # a filter changed meanwhile: its list is on its way
        self._show_projects(records)

    def _fill_programmes(self, programmes) -> None:
        chosen = self.programme_filter.currentData()
        self.programme_filter.blockSignals(True)
        self.programme_filter.clear()
        self.programme_filter.addItem(_("Tous les programmes"), None)
        for p in programmes:
            label = p.name if p.active else _("{name} (fermé)").format(name=p.name)
            self.programme_filter.addItem(label, p.id)
        index = self.programme_filter.findData(chosen) if chosen is not None else 0
        self.programme_filter.setCurrentIndex(max(index, 0))
        self.programme_filter.blockSignals(False)

    def _show_alerts(self, alerts) -> None:
        # the stays first (the service orders each kind by date), then the follow-ups
        self._alerts = tuple(sorted(alerts, key=lambda a: a.kind != "stay"))
        by_project: dict[int, list[ProjectAlert]] = {}
        self.alerts.clear()
        for a in self._alerts:
            by_project.setdefault(a.project_id, []).append(a)
            item = QListWidgetItem(alert_text(a))
            item.setData(Qt.ItemDataRole.UserRole, a.project_id)
            past = a.kind == "stay" and a.day is not None and a.day < self.model.today
            item.setForeground(QBrush(QColor(
                PAST_TEXT if past else NEAR_TEXT if a.kind == "stay" else FOLLOW_UP_TEXT)))
            item.setToolTip(_("Ouvrir le projet « {name} »").format(name=a.project_name))
            self.alerts.addItem(item)
        self.model.alerts = by_project
        n = len(self._alerts)
        self.alerts_title.setText(ngettext("À surveiller : {n} alerte",
                                           "À surveiller : {n} alertes", n).format(n=n))
        self.alerts_panel.setVisible(n > 0)

    def _show_projects(self, records) -> None:
        keep = self._select_id
        if keep is None:
            current = self.selected_project()
            keep = current.id if current is not None else None
        self._select_id = None
        self.model.set_records(records)
        if keep is not None:
            self.select_project(keep)
        n = len(records)
        self.count_label.setText(ngettext("{n} projet", "{n} projets", n).format(n=n))
        filtered = (self.search.text().strip() or self.programme_filter.currentData() is not None
                    or self.stage_filter.currentData() is not None)
        if n:
            self.empty.setVisible(False)
        else:
            self.empty.setText(
                _("Aucun projet ne correspond à ces filtres.") if filtered else
                _("Aucun projet en cours. « Nouveau projet… » (Ctrl+N) enregistre le premier.")
                if self.may_write else _("Aucun projet en cours."))
            self.empty.setVisible(True)
        self._update_buttons()
        self.projects_loaded.emit()

    # --- selection ----------------------------------------------------------------------

    def select_project(self, project_id: int) -> bool:
        return select_record(self.table, self.model, lambda r: r.id == project_id)

    def selected_project(self) -> ProjectRecord | None:
        return selected_record(self.table, self.model)

    def _update_buttons(self) -> None:
        chosen = self.selected_project() is not None
        self.new_button.setEnabled(self.may_write)
        self.open_button.setEnabled(chosen)
        self.agreement_button.setEnabled(chosen and self.may_prepare_agreements)
        self.delete_button.setEnabled(chosen and self.may_write)
        hint = "" if chosen else _("Choisissez d'abord un projet dans la liste.")
        self.open_button.setToolTip(hint or _("Entrée ou double-clic"))
        self.agreement_button.setToolTip(hint or _("Préparer une convention d'hébergement "
                                                   "pour ce projet"))
        self.delete_button.setToolTip(hint or _("Pour un projet saisi par erreur ; un projet "
                                                "qui s'arrête reçoit une date de sortie."))

    # --- actions ------------------------------------------------------------------------

    def _changed(self, project_id: int | None, text: str) -> None:
        self._select_id = project_id
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.refresh()

    def _alert_chosen(self, item: QListWidgetItem) -> None:
        self.open_project(item.data(Qt.ItemDataRole.UserRole))

    def open_project(self, project_id: int) -> None:
        try:
            dialog = ProjectDialog(self.services, self.tasks, project_id=project_id,
                                   parent=self)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.refresh()
            return
        saved = dialog.exec()
        name = dialog.current.name if dialog.current else ""
        dialog.deleteLater()
        if saved:
            self._changed(project_id, _("Projet « {name} » enregistré.").format(name=name))

    def open_selected(self) -> None:
        p = self.selected_project()
        if p is not None:
            self.open_project(p.id)

    def new_project(self) -> None:
        if not self.may_write:
            return
        dialog = ProjectDialog(self.services, self.tasks, parent=self)
        saved = dialog.exec() and dialog.saved_id is not None
        saved_id, name = dialog.saved_id, dialog.current.name if dialog.current else ""
        dialog.deleteLater()
        if saved:
            self._changed(saved_id, _("Projet « {name} » créé.").format(name=name))

    def request_agreement(self) -> None:
        p = self.selected_project()
        if p is not None and self.may_prepare_agreements:
            self.new_agreement_requested.emit(p.id)

    def delete_selected(self) -> None:
        p = self.selected_project()
        if p is None or not self.may_write:
            return
        if not messages.confirm(
                self, _("Supprimer le projet « {name} » ?\n\nSes porteur·ses restent dans la "
                        "base, mais ses rendez-vous de suivi sont supprimés avec lui. Pour un "
                        "projet qui quitte le programme, indiquez plutôt sa date de "
                        "sortie.").format(name=p.name),
                title=_("Supprimer un projet"), yes=_("Supprimer"), destructive=True):
            return
        try:
            self.services.projects.delete_project(project_id=p.id)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        self._changed(None, _("Projet « {name} » supprimé.").format(name=p.name))
