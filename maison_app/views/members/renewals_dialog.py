"""The renewals to chase for a year: members who owe all or part of their fee, and those
who were members the year before and have not renewed; exported to CSV for a mail merge
(publipostage), or their e-mail addresses copied for a quick message."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.members import RenewalRow
from maison_app.domain.permissions import Access, Area
from maison_app.domain.text import search_key
from maison_app.i18n import _, format_money, format_number, ngettext
from maison_app.services.permissions import can
from maison_app.ui import messages
from maison_app.ui.table_model import (
    RECORD_ROLE,
    Column,
    RecordTableModel,
    record_table,
)
from maison_app.views.members.list_model import StatusBadgeDelegate
from maison_app.views.members.screen import export_folder, exported_text

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
STATUS_COLUMN = 4
YEAR_DELAY_MS = 250


def _ask_csv_path(parent: QWidget, suggested: Path) -> str:
    """Where to write the CSV ("" if cancelled). Tests replace it."""
    from PySide6.QtWidgets import QFileDialog

    path, _filter = QFileDialog.getSaveFileName(
        parent, _("Exporter pour publipostage"), str(suggested),
        _("Fichier CSV pour Excel (*.csv)"))
    if path and Path(path).suffix.lower() != ".csv":
        path += ".csv"
    return path


def _status_of(index):
    record = index.data(RECORD_ROLE)
    return record.status if isinstance(record, RenewalRow) else None


class RenewalsDialog(QDialog):
    loaded = Signal()  # tests listen to it

    def __init__(self, services, tasks, *, year: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.can_export = can(services.ctx.actor, Area.MEMBERSHIP, Access.READ)
        title = _("Cotisations à relancer")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(1180, 640)

        this_year = services.memberships.this_year()
        self.year = QSpinBox()
        self.year.setAccessibleName(_("Année"))
        self.year.setRange(2000, this_year + 5)
        self.year.setValue(year or this_year)
        self._year_timer = QTimer(self, singleShot=True, interval=YEAR_DELAY_MS)
        self._year_timer.timeout.connect(self.load)
        self.year.valueChanged.connect(lambda _v: self._year_timer.start())
        year_label = QLabel(_("Année :"))
        year_label.setBuddy(self.year)
        explanation = QLabel(_("Les adhérents qui doivent tout ou partie de leur cotisation "
                               "de l'année, et ceux de l'année précédente qui n'ont pas "
                               "renouvelé."))
        explanation.setWordWrap(True)
        explanation.setStyleSheet("color: #555;")
        top = QHBoxLayout()
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addSpacing(12)
        top.addWidget(explanation, 1)

        self.summary = QLabel()
        self.summary.setAccessibleName(_("Résumé des relances"))
        self.summary.setStyleSheet("font-weight: 600;")

        self.model: RecordTableModel[RenewalRow] = RecordTableModel([
            Column(_("Nom"), lambda r: r.name, sort_key=lambda r: search_key(r.name)),
            Column(_("E-mail"), lambda r: r.email or ""),
            Column(_("Téléphone"), lambda r: r.phone or ""),
            Column(_("Collège"), lambda r: r.college),
            Column(_("Statut"), lambda r: r.status.label),
            Column(_("Cotisation"), lambda r: format_money(r.fee_cents),
                   sort_key=lambda r: r.fee_cents, align=RIGHT),
            Column(_("Payé"), lambda r: format_money(r.paid_cents),
                   sort_key=lambda r: r.paid_cents, align=RIGHT),
            Column(_("Reste dû"), lambda r: format_money(max(r.fee_cents - r.paid_cents, 0)),
                   sort_key=lambda r: r.fee_cents - r.paid_cents, align=RIGHT),
        ])
        self.view, self.proxy = record_table(_("Adhérents à relancer"), self.model,
                                             widths=(200, 220, 115, 170, 140, 95, 95))
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setItemDelegateForColumn(STATUS_COLUMN,
                                           StatusBadgeDelegate(_status_of, parent=self.view))

        self.export_button = QPushButton(_("Exporter pour publipostage…"))
        self.export_button.setAccessibleName(_("Exporter pour publipostage"))
        self.export_button.setToolTip(_("Un fichier CSV (nom, e-mail, téléphone, collège, "
                                        "montants) qui s'ouvre dans Excel ou LibreOffice"))
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(self.export)
        self.export_button.setVisible(self.can_export)
        self.copy_button = QPushButton(_("Copier les adresses e-mail"))
        self.copy_button.setAccessibleName(_("Copier les adresses e-mail"))
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_emails)
        self.result = QLabel()
        self.result.setAccessibleName(_("Message"))
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setStyleSheet("color: #1e6b34;")
        actions = QHBoxLayout()
        actions.addWidget(self.export_button)
        actions.addWidget(self.copy_button)
        actions.addWidget(self.result, 1)

        buttons = QDialogButtonBox()
        close = buttons.addButton(_("Fermer"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName(_("Fermer"))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addLayout(actions)
        layout.addWidget(buttons)
        self._update_buttons()
        self.load()

    # --- loading --------------------------------------------------------------------------

    def load(self) -> None:
        self._year_timer.stop()
        memberships, year = self.services.memberships, self.year.value()
        self.summary.setText(_("Chargement…"))
        self.tasks.run(lambda: memberships.renewals_due(year=year),
                       on_success=lambda rows: self._show(year, rows),
                       on_error=lambda exc: messages.show_error(self, exc),
                       key=f"renewals-{id(self)}")

    def _show(self, year: int, rows: tuple[RenewalRow, ...]) -> None:
        if year != self.year.value():
            return  # a newer year is on its way
        self.model.set_records(rows)
        n = len(rows)
        if n:
            due = sum(max(r.fee_cents - r.paid_cents, 0) for r in rows)
            self.summary.setText(_("{members} · {due} restant dus").format(
                members=ngettext("{n} adhérent à relancer pour {year}",
                                 "{n} adhérents à relancer pour {year}", n).format(
                                     n=format_number(n), year=year),
                due=format_money(due)))
        else:
            self.summary.setText(_("Personne à relancer pour {year} : toutes les cotisations "
                                   "sont réglées.").format(year=year))
        self._update_buttons()
        self.loaded.emit()

    def rows(self) -> list[RenewalRow]:
        """The rows in the order shown (the person may have sorted a column)."""
        return [self.proxy.index(r, 0).data(RECORD_ROLE) for r in range(self.proxy.rowCount())]

    def _update_buttons(self) -> None:
        has_rows = bool(self.model.rowCount())
        self.export_button.setEnabled(has_rows)
        self.copy_button.setEnabled(any(r.email for r in self.model.records()))

    # --- actions ----------------------------------------------------------------------------

    def export(self) -> None:
        year = self.year.value()
        chosen = _ask_csv_path(self, export_folder()
                               / _("relances-cotisations-{year}.csv").format(year=year))
        if not chosen:
            return
        path = Path(chosen)
        member_io = self.services.member_io
        self.export_button.setEnabled(False)

        def done(result) -> None:
            self._update_buttons()
            self.result.setText(exported_text(result, path))

        def failed(exc: BaseException) -> None:
            self._update_buttons()
            messages.show_error(self, exc)

        self.tasks.run(lambda: member_io.export_renewals(year=year, path=path), on_success=done,
                       on_error=failed)

    def copy_emails(self) -> None:
        emails = list(dict.fromkeys(r.email for r in self.rows() if r.email))
        if not emails:
            return
        QApplication.clipboard().setText("; ".join(emails))
        self.result.setText(ngettext("{n} adresse e-mail copiée : collez-la dans votre "
                                     "messagerie (en copie cachée).",
                                     "{n} adresses e-mail copiées : collez-les dans votre "
                                     "messagerie (en copie cachée).", len(emails)).format(
                                         n=len(emails)))
