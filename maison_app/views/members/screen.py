"""The "Adhérents" screen: every person and organisation the Maison knows, with their
membership of the chosen year, and from there the detail forms, duplicates, renewals,
imports, exports and badges.

The list reads the database page by page through the task runner (list_model.py), so it
opens at once with 100,000 people and typing in the search field never freezes the screen.

Keyboard: Ctrl+F (or the screen's first focus) goes to the search field; typing filters
after a short pause; Down or Enter moves into the list; Enter or a double click opens the
selected record; Delete removes a record entered by mistake (after a confirmation);
Ctrl+N creates a person or an organisation; F5 reloads; Escape in the search clears it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QObject,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import LegalForm, MemberKind, MembershipStatus
from maison_app.domain.errors import MaisonError
from maison_app.domain.members import MemberFilter, MemberRow
from maison_app.domain.permissions import Access, Area
from maison_app.i18n import _, format_number, ngettext
from maison_app.services.permissions import can
from maison_app.ui import messages
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import record_table
from maison_app.ui.tasks import TaskRunner
from maison_app.views.members.list_model import MemberListModel, StatusBadgeDelegate

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 250
STATUS_COLUMN = 6
# Nom, Structure(s), E-mail, Téléphone, Ville, Collège, Statut: the second and third
# share what the window leaves, so the status stays in sight on a laptop screen.
COLUMN_WIDTHS = (200, 0, 0, 118, 165, 170, 150)
STRETCHED = (1, 2)

BANNER_STYLE = ("#membersBanner { background: #e3f1e8; border: 1px solid #9cc8ab; "
                "border-radius: 4px; }")
TOGGLE_STYLE = (
    "QPushButton { padding: 5px 16px; border: 1px solid #7a9c91; background: white; }"
    "QPushButton:checked { background: #24473d; color: white; }"
)


# --- what tests replace ----------------------------------------------------------------------


def export_folder() -> Path:
    """Where exports are proposed: the user's documents folder."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


def _ask_export_path(parent: QWidget, suggested: Path, *, xlsx: bool = True) -> str:
    """Where to write an export ("" if cancelled), with its extension. Tests replace it."""
    csv_filter = _("Fichier CSV pour Excel (*.csv)")
    xlsx_filter = _("Classeur Excel (*.xlsx)")
    filters = ";;".join((xlsx_filter, csv_filter) if xlsx else (csv_filter,))
    path, chosen = QFileDialog.getSaveFileName(parent, _("Exporter la liste"), str(suggested),
                                               filters)
    if path and Path(path).suffix.lower() not in (".csv", ".xlsx"):
        path += ".xlsx" if chosen == xlsx_filter else ".csv"
    return path


def exported_text(result, path: Path) -> str:
    """What an export says it wrote (a number of rows, or a report with `rows`)."""
    rows = result if isinstance(result, int) else getattr(result, "rows", None)
    if isinstance(rows, int):
        return ngettext("{n} ligne exportée dans {path}.", "{n} lignes exportées dans {path}.",
                        rows).format(n=format_number(rows), path=path)
    return _("Liste exportée dans {path}.").format(path=path)


class MembersScreen(QWidget):
    """Needs the app's `Services` and the shared `TaskRunner`."""

    list_loaded = Signal()  # after each reload of the list (tests listen to it)

    def __init__(self, services, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        actor = services.ctx.actor
        self.can_edit = can(actor, Area.PEOPLE, Access.WRITE)
        self.can_read_memberships = can(actor, Area.MEMBERSHIP, Access.READ)
        self.can_write_memberships = can(actor, Area.MEMBERSHIP, Access.WRITE)
        self._select_ids: set[int] = set()  # reselected after the next reload
        self._focus_list_when_loaded = False
        self.setAccessibleName(_("Adhérents"))
        self.model = MemberListModel(services.members, tasks, parent=self)
        self.model.loaded.connect(self._list_reloaded)
        self.model.page_loaded.connect(self._update_buttons)
        self.model.failed.connect(lambda exc: messages.show_error(self, exc))
        self._build()
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self._kind_changed()
        self._load_colleges()
        self.apply_filters()

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        heading = QLabel(_("Adhérents"))
        heading.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.people_toggle = QPushButton(_("&Personnes"))
        self.people_toggle.setAccessibleName(_("Personnes"))
        self.orgs_toggle = QPushButton(_("&Structures"))
        self.orgs_toggle.setAccessibleName(_("Structures"))
        self.kind_group = QButtonGroup(self)
        self.kind_group.setExclusive(True)
        toggles = QHBoxLayout()
        toggles.setSpacing(0)
        for button, kind in ((self.people_toggle, MemberKind.PERSON),
                             (self.orgs_toggle, MemberKind.ORGANISATION)):
            button.setCheckable(True)
            button.setStyleSheet(TOGGLE_STYLE)
            button.setProperty("kind", kind.value)
            self.kind_group.addButton(button)
            toggles.addWidget(button)
        self.people_toggle.setChecked(True)
        self.kind_group.buttonToggled.connect(
            lambda _b, checked: checked and self._kind_changed(reload=True))
        self.new_button = QPushButton()
        self.new_button.setStyleSheet("font-weight: 600; padding: 5px 14px;")
        self.new_button.clicked.connect(self.new_record)
        self.new_button.setVisible(self.can_edit)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(18)
        top.addLayout(toggles)
        top.addStretch(1)
        top.addWidget(self.new_button)

        self.banner = QFrame()
        self.banner.setObjectName("membersBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner_text = QLabel()
        self.banner_text.setAccessibleName(_("Message"))
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(8, 4, 8, 4)
        banner_layout.addWidget(self.banner_text, 1)
        self.banner.setVisible(False)

        # --- search and filters ---
        self.search = QLineEdit()
        self.search.setAccessibleName(_("Rechercher"))
        self.search.setClearButtonEnabled(True)
        self.search.setStyleSheet("font-size: 15px; padding: 5px;")
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.installEventFilter(self)

        this_year = self.services.memberships.this_year()
        self.year = QSpinBox()
        self.year.setAccessibleName(_("Année"))
        self.year.setRange(2000, this_year + 5)
        self.year.setValue(this_year)
        self.year.setToolTip(_("L'année des adhésions : les colonnes Collège et Statut, et "
                               "leurs filtres, s'y rapportent."))
        self.year.valueChanged.connect(lambda _v: self._search_timer.start())
        self.college = QComboBox()
        self.college.setAccessibleName(_("Collège"))
        self.college.addItem(_("Tous les collèges"), None)
        self.college.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.status = QComboBox()
        self.status.setAccessibleName(_("Statut"))
        self.status.addItem(_("Tous les statuts"), None)
        for status in MembershipStatus:
            self.status.addItem(status.label, status)
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.legal_form = QComboBox()
        self.legal_form.setAccessibleName(_("Forme juridique"))
        self.legal_form.addItem(_("Toutes les formes juridiques"), None)
        for form in LegalForm:
            self.legal_form.addItem(form.label, form)
        self.legal_form.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.members_only = QCheckBox(_("Adhérents seulement"))
        self.members_only.setAccessibleName(_("Adhérents seulement"))
        self.members_only.setToolTip(_("Seulement ceux qui ont une adhésion l'année choisie"))
        self.members_only.toggled.connect(lambda _c: self.apply_filters())
        self.clear_filters_button = QPushButton(_("Effacer les filtres"))
        self.clear_filters_button.setAccessibleName(_("Effacer les filtres"))
        self.clear_filters_button.clicked.connect(self.clear_filters)

        filters = QHBoxLayout()
        year_label = QLabel(_("Année :"))
        year_label.setBuddy(self.year)
        filters.addWidget(year_label)
        filters.addWidget(self.year)
        filters.addSpacing(8)
        filters.addWidget(self.college)
        filters.addWidget(self.status)
        filters.addWidget(self.legal_form)
        filters.addSpacing(8)
        filters.addWidget(self.members_only)
        filters.addStretch(1)
        filters.addWidget(self.clear_filters_button)

        # --- the list ---
        self.count_label = QLabel()
        self.count_label.setAccessibleName(_("Nombre de fiches"))
        self.count_label.setStyleSheet("font-weight: 600;")
        self.count_label.setText(_("Chargement de la liste…"))
        self.view, _proxy = record_table(_("Liste des adhérents"), self.model, proxy=False)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setItemDelegateForColumn(STATUS_COLUMN, StatusBadgeDelegate(parent=self.view))
        header = self.view.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.setMinimumSectionSize(80)
        header.setStretchLastSection(False)
        self._widths = list(COLUMN_WIDTHS)
        self._restore_widths()
        self.view.setSortingEnabled(True)  # the model sorts through the service
        header.sortIndicatorChanged.connect(self._sort_clicked)
        self.model.modelAboutToBeReset.connect(self._remember_widths)
        self.model.modelReset.connect(self._restore_widths)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.installEventFilter(self)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        # --- actions ---
        self.open_button = self._button(_("Ouvrir la fiche (Entrée)"), _("Ouvrir la fiche"),
                                        self.open_selected)
        self.delete_button = self._button(_("Supprimer…"), _("Supprimer la fiche"),
                                          self.delete_selected)
        self.delete_button.setToolTip(_("Pour une fiche saisie par erreur, sans passage ni "
                                        "adhésion. Une fiche en double se fusionne (Doublons…)."))
        self.delete_button.setVisible(self.can_edit)
        self.badges_button = self._button(_("Badges…"), _("Imprimer les badges"),
                                          self.print_badges)
        self.badges_button.setToolTip(_("Les badges des personnes choisies dans la liste "
                                        "(Ctrl+clic ou Maj+clic pour en choisir plusieurs)"))
        self.duplicates_button = self._button(_("Doublons…"), _("Doublons"),
                                              self.open_duplicates)
        self.renewals_button = self._button(_("Relances…"), _("Relances"), self.open_renewals)
        self.renewals_button.setToolTip(_("Les cotisations à relancer de l'année, à exporter "
                                          "pour un publipostage"))
        self.renewals_button.setVisible(self.can_read_memberships)
        self.import_button = self._button(_("Importer…"), _("Importer"), self.open_import)
        self.import_button.setToolTip(_("Importer des personnes ou des structures depuis un "
                                        "tableur (CSV ou XLSX)"))
        self.import_button.setVisible(self.can_write_memberships)
        self.export_button = self._button(_("Exporter…"), _("Exporter la liste"),
                                          self.export_list)
        self.export_button.setToolTip(_("La liste affichée, avec ses filtres, en CSV ou XLSX"))
        self.export_button.setVisible(self.can_read_memberships)
        actions = QHBoxLayout()
        actions.addWidget(self.open_button)
        actions.addWidget(self.delete_button)
        actions.addWidget(self.badges_button)
        actions.addStretch(1)
        for button in (self.duplicates_button, self.renewals_button, self.import_button,
                       self.export_button):
            actions.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.count_label)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)

        add_shortcuts(self, [
            ("Ctrl+N", self.new_record),
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence.StandardKey.Refresh, self.refresh),
        ])

    def _remember_widths(self) -> None:
        """The widths the person gave the columns survive each reload of the list."""
        header = self.view.horizontalHeader()
        if header.count() == len(self._widths):
            self._widths = [0 if i in STRETCHED else header.sectionSize(i)
                            for i in range(header.count())]

    def _restore_widths(self) -> None:
        header = self.view.horizontalHeader()
        for column, width in enumerate(self._widths[:self.model.columnCount()]):
            if column in STRETCHED:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(column, width)

    def _button(self, label: str, name: str, slot) -> QPushButton:
        button = QPushButton(label)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.model.ever_loaded and not event.spontaneous():
            self.refresh()  # back on the screen: another desk may have changed the list
        QTimer.singleShot(0, self.focus_search)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- the kind and the filters -----------------------------------------------------

    @property
    def kind(self) -> MemberKind:
        return MemberKind.PERSON if self.people_toggle.isChecked() else MemberKind.ORGANISATION

    def set_kind(self, kind: MemberKind) -> None:
        (self.people_toggle if kind is MemberKind.PERSON else self.orgs_toggle).setChecked(True)

    def _kind_changed(self, reload: bool = False) -> None:
        person = self.kind is MemberKind.PERSON
        self.new_button.setText(_("Nouvelle personne… (Ctrl+N)") if person
                                else _("Nouvelle structure… (Ctrl+N)"))
        self.new_button.setAccessibleName(_("Nouvelle personne") if person
                                          else _("Nouvelle structure"))
        self.search.setPlaceholderText(
            _("Rechercher une personne : nom, prénom, structure ou e-mail…") if person
            else _("Rechercher une structure par son nom…"))
        self.legal_form.setVisible(not person)
        self.badges_button.setVisible(person and self.can_read_memberships)
        self._select_ids = set()
        if reload:
            self.apply_filters()

    def current_filter(self) -> MemberFilter:
        kind = self.kind
        # Qt hands a str enum back as a plain str: the enums are rebuilt from the values
        status, form = self.status.currentData(), self.legal_form.currentData()
        return MemberFilter(
            kind=kind,
            query=self.search.text().strip(),
            year=self.year.value(),
            college_id=self.college.currentData(),
            status=MembershipStatus(status) if status else None,
            legal_form=LegalForm(form) if form and kind is MemberKind.ORGANISATION else None,
            members_only=self.members_only.isChecked(),
        )

    @staticmethod
    def _narrowed(f: MemberFilter) -> bool:
        return bool(f.query or f.college_id is not None or f.status is not None
                    or f.legal_form is not None or f.members_only)

    def apply_filters(self) -> None:
        """Reload the list for what the search field and the filters say now."""
        self._search_timer.stop()
        f = self.current_filter()
        self.clear_filters_button.setVisible(self._narrowed(f))
        self.model.set_filter(f)
        self._update_buttons()

    def clear_filters(self) -> None:
        for widget in (self.search, self.college, self.status, self.legal_form,
                       self.members_only):
            widget.blockSignals(True)
        self.search.clear()
        self.college.setCurrentIndex(0)
        self.status.setCurrentIndex(0)
        self.legal_form.setCurrentIndex(0)
        self.members_only.setChecked(False)
        for widget in (self.search, self.college, self.status, self.legal_form,
                       self.members_only):
            widget.blockSignals(False)
        self.apply_filters()
        self.focus_search()

    def refresh(self) -> None:
        """Reload the list, keeping the selected records selected."""
        self._select_ids = {r.id for r in self.selected_records()}
        self.apply_filters()

    def _load_colleges(self) -> None:
        memberships = self.services.memberships
        self.tasks.run(lambda: memberships.colleges(), on_success=self._show_colleges,
                       on_error=lambda exc: messages.show_error(self, exc),
                       key=f"members-colleges-{id(self)}")

    def _show_colleges(self, colleges) -> None:
        chosen = self.college.currentData()
        self.college.blockSignals(True)
        while self.college.count() > 1:
            self.college.removeItem(1)
        for c in colleges:
            self.college.addItem(c.name if c.active else _("{name} (ancien)").format(name=c.name),
                                 c.id)
        index = self.college.findData(chosen)
        self.college.setCurrentIndex(max(index, 0))
        self.college.blockSignals(False)

    def _sort_clicked(self, column: int, order: Qt.SortOrder) -> None:
        """A click on a column that cannot be sorted: the arrow stays where the order is."""
        if not self.model.sortable(column):
            _sort, descending = self.model.sort_key
            header = self.view.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.column_of_sort(),
                                    Qt.SortOrder.DescendingOrder if descending
                                    else Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
            header.viewport().update()

    # --- after a reload -----------------------------------------------------------------

    def _list_reloaded(self) -> None:
        f = self.model.filter
        n = self.model.total
        person = f.kind is MemberKind.PERSON
        if n:
            text = (ngettext("{n} personne", "{n} personnes", n) if person
                    else ngettext("{n} structure", "{n} structures", n)).format(
                        n=format_number(n))
        elif self._narrowed(f):
            text = (_("Aucune personne ne correspond à la recherche et aux filtres.") if person
                    else _("Aucune structure ne correspond à la recherche et aux filtres."))
        elif self.can_write_memberships:
            text = (_("Aucune personne enregistrée : « Nouvelle personne » (Ctrl+N) ou "
                      "« Importer… » pour commencer.") if person
                    else _("Aucune structure enregistrée : « Nouvelle structure » (Ctrl+N) ou "
                           "« Importer… » pour commencer."))
        else:
            text = (_("Aucune personne enregistrée pour l'instant.") if person
                    else _("Aucune structure enregistrée pour l'instant."))
        self.count_label.setText(text)
        self._reselect()
        if self._focus_list_when_loaded:
            self._focus_list_when_loaded = False
            self._enter_list()
        self._update_buttons()
        self.list_loaded.emit()

    def _reselect(self) -> None:
        wanted, self._select_ids = self._select_ids, set()
        selection = self.view.selectionModel()
        first = None
        for record_id in wanted:
            row = self.model.row_of(record_id)
            if row is None:
                continue
            selection.select(self.model.index(row, 0),
                             QItemSelectionModel.SelectionFlag.Select
                             | QItemSelectionModel.SelectionFlag.Rows)
            first = row if first is None else min(first, row)
        if first is not None:
            selection.setCurrentIndex(self.model.index(first, 0),
                                      QItemSelectionModel.SelectionFlag.NoUpdate)
            self.view.scrollTo(self.model.index(first, 0))

    # --- keyboard -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if watched is self.search:
                if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    if self._search_timer.isActive() or self.model.busy:
                        self._focus_list_when_loaded = True
                        if self._search_timer.isActive():
                            self.apply_filters()
                    else:
                        self._enter_list()
                    return True
                if key == Qt.Key.Key_Escape and self.search.text():
                    self.search.clear()
                    return True
            elif watched is self.view and event.modifiers() in (
                    Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
                if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    self.open_selected()
                    return True
                if key == Qt.Key.Key_Delete and self.can_edit:
                    self.delete_selected()
                    return True
        return super().eventFilter(watched, event)

    def _enter_list(self) -> None:
        """From the search field into the list, on the first row (or the selected one)."""
        if not self.model.rowCount():
            return
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.view.selectionModel().hasSelection():
            self.view.selectRow(0)

    # --- selection ----------------------------------------------------------------------

    def selected_records(self) -> list[MemberRow]:
        rows = sorted(index.row() for index in self.view.selectionModel().selectedRows())
        return [self.model.record(r) for r in rows if r < self.model.rowCount()]

    def current_record(self) -> MemberRow | None:
        """The record Enter opens: the current row if selected, else the first selected."""
        index = self.view.currentIndex()
        selection = self.view.selectionModel()
        if index.isValid() and selection.isRowSelected(index.row()):
            return self.model.record(index.row())
        chosen = self.selected_records()
        return chosen[0] if chosen else None

    def _update_buttons(self) -> None:
        chosen = self.selected_records()
        self.open_button.setEnabled(len(chosen) >= 1)
        self.delete_button.setEnabled(len(chosen) == 1)
        self.badges_button.setEnabled(bool(chosen))
        self.export_button.setEnabled(self.model.total > 0)

    def _announce(self, text: str) -> None:
        self.banner_text.setText(text)
        self.banner.setVisible(True)

    # --- records --------------------------------------------------------------------------

    def _detail_dialog(self, kind: MemberKind, record_id: int | None):
        if kind is MemberKind.PERSON:
            from maison_app.views.members.person_dialog import PersonDialog

            return PersonDialog(self.services, self.tasks, person_id=record_id, parent=self)
        from maison_app.views.members.organisation_dialog import OrganisationDialog

        return OrganisationDialog(self.services, self.tasks, organisation_id=record_id,
                                  parent=self)

    def _run_detail(self, kind: MemberKind, record_id: int | None) -> None:
        dialog = self._detail_dialog(kind, record_id)
        if dialog.exec():
            saved = getattr(dialog, "saved_id", None) or record_id
            self._select_ids = {saved} if saved is not None and kind is self.kind else set()
            self.apply_filters()

    def new_record(self) -> None:
        if not self.can_edit:
            return
        self._run_detail(self.kind, None)

    def open_selected(self) -> None:
        record = self.current_record()
        if record is None:
            return
        self._run_detail(record.kind, record.id)

    def _double_clicked(self, index) -> None:
        if index.isValid() and index.row() < self.model.rowCount():
            record = self.model.record(index.row())
            self._run_detail(record.kind, record.id)

    def delete_selected(self) -> None:
        chosen = self.selected_records()
        if len(chosen) != 1:
            if chosen:
                messages.info(self, _("Choisissez une seule fiche à supprimer."))
            return
        record = chosen[0]
        person = record.kind is MemberKind.PERSON
        question = (_("Supprimer la fiche de {name} ?") if person
                    else _("Supprimer la fiche de la structure {name} ?")).format(name=record.name)
        question += "\n\n" + _("Seule une fiche saisie par erreur, sans historique (passages, "
                               "adhésions…), peut être supprimée. C'est définitif.")
        if not messages.confirm(self, question, title=_("Supprimer la fiche"),
                                yes=_("Supprimer"), destructive=True):
            return
        try:
            if person:
                self.services.members.delete_person(person_id=record.id)
            else:
                self.services.members.delete_organisation(organisation_id=record.id)
        except MaisonError as exc:
            messages.warn(self, exc.message, title=_("Fiche conservée"))
            return
        self._announce(_("Fiche de {name} supprimée.").format(name=record.name))
        self.apply_filters()

    # --- the other windows ----------------------------------------------------------------

    def open_duplicates(self) -> None:
        from maison_app.views.members.duplicates_dialog import DuplicatesDialog

        dialog = DuplicatesDialog(self.services, self.tasks, kind=self.kind, parent=self)
        self.duplicates_dialog = dialog
        dialog.exec()
        if dialog.merged:
            self._announce(ngettext("{n} fusion faite.", "{n} fusions faites.",
                                    len(dialog.merged)).format(n=len(dialog.merged)))
            self.refresh()

    def open_renewals(self) -> None:
        from maison_app.views.members.renewals_dialog import RenewalsDialog

        dialog = RenewalsDialog(self.services, self.tasks, year=self.year.value(), parent=self)
        self.renewals_dialog = dialog
        dialog.exec()

    def open_import(self) -> None:
        from maison_app.views.members.import_dialog import ImportDialog

        dialog = ImportDialog(self.services, self.tasks, parent=self)
        if dialog.exec():
            self.refresh()

    def export_list(self) -> None:
        f = self.model.filter
        name = (_("adherents-personnes-{year}") if f.kind is MemberKind.PERSON
                else _("adherents-structures-{year}")).format(year=f.year)
        chosen = _ask_export_path(self, export_folder() / f"{name}.xlsx")
        if not chosen:
            return
        path = Path(chosen)
        member_io = self.services.member_io
        self.export_button.setEnabled(False)

        def done(result) -> None:
            self._update_buttons()
            self._announce(exported_text(result, path))

        def failed(exc: BaseException) -> None:
            self._update_buttons()
            messages.show_error(self, exc)

        self.tasks.run(lambda: member_io.export(filter=f, path=path), on_success=done,
                       on_error=failed)

    def print_badges(self) -> None:
        people = [r for r in self.selected_records() if r.kind is MemberKind.PERSON]
        if not people:
            messages.info(self, _("Choisissez d'abord les personnes dans la liste (Ctrl+clic "
                                  "ou Maj+clic pour en choisir plusieurs)."))
            return
        ids = [r.id for r in people]
        year = self.model.filter.year
        memberships = self.services.memberships
        self.badges_button.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self._update_buttons()
            messages.show_error(self, exc)

        self.tasks.run(lambda: memberships.badges(person_ids=ids, year=year),
                       on_success=lambda content: self._show_badges(content, len(ids), year),
                       on_error=failed)

    def _show_badges(self, content: bytes, n: int, year: int) -> None:
        from maison_app.ui.pdf_preview import PdfPreviewDialog

        self._update_buttons()
        title = ngettext("Badge d'adhérent ({n} personne)", "Badges d'adhérent ({n} personnes)",
                         n).format(n=n)
        dialog = PdfPreviewDialog(content, title=title,
                                  suggested_filename=_("badges-{year}.pdf").format(year=year),
                                  parent=self)
        dialog.open()
        self.badges_dialog = dialog  # kept for tests and so it is not collected
