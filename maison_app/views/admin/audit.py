"""The audit trail tab of the Administration screen: who changed what, and when.

Read only: the table offers no editing and nothing deletes an entry. Filters (person,
kind of element, a word of the detail, a period in Paris dates) reload the list, newest
first; entries are read page by page as the list scrolls, so a trail of years opens
at once. F5 reloads."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.audit import AuditFilter, AuditRecord
from maison_app.domain.errors import MaisonError
from maison_app.i18n import N_, _, format_datetime, ngettext, paris, to_paris
from maison_app.ui import messages
from maison_app.ui.common import pydate, qdate
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import Column, RecordTableModel, record_table

TEXT_DELAY_MS = 250
PAGE_SIZE = 200
DEFAULT_DAYS = 7  # the period offered when "all dates" is unticked

ENTITY_LABELS = {
    "person": N_("Personne"),
    "organisation": N_("Structure"),
    "affiliation": N_("Rattachement"),
    "visit": N_("Passage"),
    "setting": N_("Paramètre"),
    "document": N_("Document"),
    "app_user": N_("Compte"),
    "demo": N_("Démonstration"),
    "database": N_("Base de données"),
}


def entity_label(entity: str) -> str:
    """The French name of a table of the trail; an unknown one as it is."""
    label = ENTITY_LABELS.get(entity)
    return _(label) if label else entity


def paris_day_start(day: dt.date) -> dt.datetime:
    """Midnight of `day` in Paris, as an aware UTC datetime."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=paris()).astimezone(dt.UTC)


def _detail_tooltip(record: AuditRecord) -> str:
    # one change per line: "a: x → y; b: …" is hard to read on one long line
    return record.summary.replace("; ", "\n") if record.summary else ""


class AuditTab(QWidget):
    """Needs the app's `Services` (acting as someone allowed to read the trail) and the
    shared `TaskRunner` (unused: pages are small, indexed reads)."""

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.page_size = PAGE_SIZE
        self._where = AuditFilter()
        self.setAccessibleName(_("Journal des modifications"))
        self._text_timer = QTimer(self, singleShot=True, interval=TEXT_DELAY_MS)
        self._text_timer.timeout.connect(self.apply_filters)
        self._build()
        self.text.textChanged.connect(lambda _t: self._text_timer.start())
        self.refresh()

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        intro = QLabel(_("Chaque modification faite dans l'application est enregistrée ici : "
                         "qui, quand, sur quel élément et quoi. Le journal ne peut être ni "
                         "modifié ni effacé."))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #444;")

        self.actor = QComboBox()
        self.actor.setAccessibleName(_("Utilisateur"))
        self.actor.setMinimumContentsLength(14)
        self.entity = QComboBox()
        self.entity.setAccessibleName(_("Élément"))
        self.entity.setMinimumContentsLength(14)
        self.text = QLineEdit()
        self.text.setAccessibleName(_("Texte"))
        self.text.setPlaceholderText(_("Un mot du détail (nom, valeur…)"))
        self.text.setClearButtonEnabled(True)

        today = self._today()
        self.all_dates = QCheckBox(_("Toutes les dates"))
        self.all_dates.setAccessibleName(_("Toutes les dates"))
        self.all_dates.setChecked(True)
        self.since = self._date_edit(_("Du"), today - dt.timedelta(days=DEFAULT_DAYS))
        self.until = self._date_edit(_("Au"), today)

        self.refresh_button = QPushButton(_("Actualiser (F5)"))
        self.refresh_button.setAccessibleName(_("Actualiser"))
        self.refresh_button.clicked.connect(self.refresh)

        filters = QGridLayout()
        filters.setHorizontalSpacing(8)
        for column, (label, field) in enumerate((
            (_("Utilisateur :"), self.actor),
            (_("Élément :"), self.entity),
            (_("Texte :"), self.text),
        )):
            caption = QLabel(label)
            caption.setBuddy(field)
            filters.addWidget(caption, 0, column)
            filters.addWidget(field, 1, column)
        filters.setColumnStretch(2, 1)
        period = QHBoxLayout()
        period.setSpacing(6)
        period.addWidget(self.all_dates)
        period.addSpacing(6)
        for label, field in ((_("du"), self.since), (_("au"), self.until)):
            caption = QLabel(label)
            caption.setBuddy(field)
            period.addWidget(caption)
            period.addWidget(field)
        period_caption = QLabel(_("Période :"))
        filters.addWidget(period_caption, 0, 3)
        filters.addLayout(period, 1, 3)
        filters.addWidget(self.refresh_button, 1, 4)

        self.model: RecordTableModel[AuditRecord] = RecordTableModel(
            [
                Column(_("Date"), lambda r: format_datetime(r.at)),
                Column(_("Utilisateur"), lambda r: r.actor),
                Column(_("Action"), lambda r: r.action_label),
                Column(_("Élément"), lambda r: entity_label(r.entity)),
                Column(_("N°"), lambda r: r.entity_id or "",
                       align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                Column(_("Détail"), lambda r: r.summary, tooltip=_detail_tooltip),
            ],
            fetch_page=self._fetch_page,
            page_size=self.page_size,
        )
        # always newest first: the pages come that way, so no sorting
        self.table, _proxy = record_table(_("Journal"), self.model, sortable=False, proxy=False,
                                          widths=(175, 130, 150, 115, 55))

        self.count = QLabel()
        self.count.setAccessibleName(_("Nombre d'entrées"))
        self.count.setStyleSheet("color: #444;")
        self.model.rowsInserted.connect(lambda *_a: self._update_count())
        self.model.modelReset.connect(self._update_count)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        self.actor.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.entity.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.all_dates.toggled.connect(self._all_dates_toggled)
        self.since.dateChanged.connect(self._since_changed)
        self.until.dateChanged.connect(self._until_changed)
        self.since.setEnabled(False)  # "all dates" is ticked
        self.until.setEnabled(False)

        add_shortcuts(self, [(QKeySequence.StandardKey.Refresh, self.refresh)])

    def _date_edit(self, name: str, day: dt.date) -> QDateEdit:
        edit = QDateEdit(qdate(day))
        edit.setAccessibleName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setMinimumWidth(120)
        return edit

    def _today(self) -> dt.date:
        return to_paris(self.services.ctx.now()).date()

    # --- filters ----------------------------------------------------------------------

    def _all_dates_toggled(self, checked: bool) -> None:
        self.since.setEnabled(not checked)
        self.until.setEnabled(not checked)
        self.apply_filters()

    def _since_changed(self, value: QDate) -> None:
        if value > self.until.date():  # a period that ends before it starts: follow
            self.until.setDate(value)  # (applies the filters through _until_changed)
            return
        self.apply_filters()

    def _until_changed(self, value: QDate) -> None:
        if value < self.since.date():
            self.since.setDate(value)
            return
        self.apply_filters()

    def current_filter(self) -> AuditFilter:
        """What the filter fields ask for, Paris dates as UTC bounds (the end day whole)."""
        since = until = None
        if not self.all_dates.isChecked():
            since = paris_day_start(pydate(self.since.date()))
            until = paris_day_start(pydate(self.until.date()) + dt.timedelta(days=1))
        return AuditFilter(
            actor=self.actor.currentData() or None,
            entity=self.entity.currentData() or None,
            text=self.text.text().strip() or None,
            since=since,
            until=until,
        )

    def apply_filters(self) -> None:
        """Reload the list from its first page with the filters as they are now."""
        self._text_timer.stop()
        self._where = self.current_filter()
        self.model.set_records([])
        self._load_more()
        self.table.scrollToTop()

    def refresh(self) -> None:
        """New people and kinds of elements in the lists, then the entries again."""
        try:
            actors = self.services.audit.actors()
            entities = self.services.audit.entities()
        except MaisonError as exc:
            messages.warn(self, exc.message)
            return
        self._fill_combo(self.actor, [(a, a) for a in actors])
        self._fill_combo(self.entity, sorted(((entity_label(e), e) for e in entities),
                                             key=lambda pair: pair[0].casefold()))
        self.apply_filters()

    @staticmethod
    def _fill_combo(combo: QComboBox, items: list[tuple[str, str]]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("Tous"), None)
        for label, value in items:
            combo.addItem(label, value)
        index = combo.findData(chosen) if chosen else 0
        if index < 0:  # the chosen value is gone: keep it, so the filter stays as shown
            combo.addItem(chosen, chosen)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
        combo.blockSignals(False)

    # --- pages ------------------------------------------------------------------------

    def _fetch_page(self, offset: int, limit: int) -> tuple[AuditRecord, ...]:
        # the count says whether more may come: a last, empty page inserts no row
        QTimer.singleShot(0, self, self._update_count)
        try:
            return self.services.audit.entries(where=self._where, offset=offset, limit=limit)
        except MaisonError as exc:
            message = exc.message  # `exc` is gone once the except block ends
            QTimer.singleShot(0, self, lambda: messages.warn(self, message))
            return ()

    def _load_more(self) -> None:
        if self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())

    def _update_count(self) -> None:
        n = self.model.rowCount()
        if n == 0:
            filtered = self._where != AuditFilter()
            self.count.setText(_("Aucune entrée ne correspond à ces filtres.") if filtered
                               else _("Le journal est vide."))
            return
        shown = ngettext("{n} entrée affichée", "{n} entrées affichées", n).format(n=n)
        if self.model.canFetchMore(QModelIndex()):
            shown += _(" — faites défiler pour voir les plus anciennes.")
        else:
            shown += "."
        self.count.setText(shown)
