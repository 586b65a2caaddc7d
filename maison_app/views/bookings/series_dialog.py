"""The small dialogs of recurring series.

- `SeriesPlanDialog`: before booking a series where some dates are taken or the house is
  closed, every date with its state (« Libre », « Maison fermée », « Salle déjà réservée »)
  and why (the closure or holiday, the booking in the way); « Réserver les N libres » or
  « Retour » to change the form.
- `ScopeDialog`: a change or a cancellation of a booking that belongs to a series applies to
  « cette réservation seulement » or to « celle-ci et les suivantes »; with `reason=True` it
  also asks why (a cancellation), and it is then the confirmation of the cancellation.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.bookings import Occurrence, SeriesPlan
from maison_app.domain.enums import OccurrenceState, SeriesScope
from maison_app.i18n import PARIS, _, format_date, ngettext
from maison_app.ui.table_model import Column, RecordTableModel, record_table

NOTE_STYLE = "color: #555;"
STATE_COLOURS = {
    OccurrenceState.FREE: "#1e6b3a",
    OccurrenceState.CLOSED: "#6b6b6b",
    OccurrenceState.CONFLICT: "#b3261e",
}


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def long_day(day: dt.date) -> str:
    """"jeudi 26 novembre 2026"."""
    return format_date(day, "EEEE d MMMM y")


def hours_text(start: dt.datetime, end: dt.datetime) -> str:
    """"14:00–16:00" in Paris."""
    return "{}–{}".format(start.astimezone(PARIS).strftime("%H:%M"),
                          end.astimezone(PARIS).strftime("%H:%M"))


def plan_summary(plan: SeriesPlan) -> str:
    """"10 dates : 8 libres, 1 jour de fermeture (sauté), 1 déjà réservée.\""""
    n = len(plan.occurrences)
    parts = [ngettext("{n} libre", "{n} libres", len(plan.free)).format(n=len(plan.free))]
    if plan.closed:
        parts.append(ngettext("{n} jour de fermeture (sauté)", "{n} jours de fermeture (sautés)",
                              len(plan.closed)).format(n=len(plan.closed)))
    if plan.conflicts:
        parts.append(ngettext("{n} déjà réservée par ailleurs",
                              "{n} déjà réservées par ailleurs",
                              len(plan.conflicts)).format(n=len(plan.conflicts)))
    return _("{dates} : {parts}.").format(
        dates=ngettext("{n} date", "{n} dates", n).format(n=n), parts=", ".join(parts))


class _PlanModel(RecordTableModel[Occurrence]):
    """The occurrences; the state column in its colour, dates not booked in grey."""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role == Qt.ItemDataRole.ForegroundRole:
            state = self.record(index.row()).state
            if index.column() == 2:
                return QBrush(QColor(STATE_COLOURS[state]))
            if state is not OccurrenceState.FREE:
                return QBrush(QColor("#6b6b6b"))
        if index.isValid() and role == Qt.ItemDataRole.FontRole and index.column() == 2:
            font = QFont()
            font.setBold(self.record(index.row()).state is not OccurrenceState.FREE)
            return font
        return super().data(index, role)


class SeriesPlanDialog(QDialog):
    """What a series would book. Accepted: book the free dates."""

    def __init__(self, plan: SeriesPlan, *, title: str, room: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        heading = _("Répétition de « {title} »").format(title=title)
        self.setWindowTitle(heading)
        self.setAccessibleName(_("Dates de la série"))
        first = plan.occurrences[0] if plan.occurrences else None
        where = QLabel(_("{room}, {hours}").format(
            room=room, hours=hours_text(first.start, first.end)) if first else room)
        where.setAccessibleName(_("Salle et horaire de la série"))
        title_label = QLabel(heading)
        title_label.setStyleSheet("font-size: 15px; font-weight: 600;")
        title_label.setWordWrap(True)
        self.summary = QLabel(plan_summary(plan))
        self.summary.setAccessibleName(_("Résumé de la série"))
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: 600;")
        explain = QLabel(_("Les jours de fermeture sont toujours sautés. Les dates déjà "
                           "réservées ne seront pas réservées : vous pouvez réserver les "
                           "dates libres, ou revenir au formulaire pour changer de salle "
                           "ou d'horaire."))
        explain.setWordWrap(True)
        explain.setStyleSheet(NOTE_STYLE)

        self.model = _PlanModel([
            Column(_("Date"), lambda o: _capitalised(long_day(o.day)),
                   sort_key=lambda o: o.start),
            Column(_("Horaire"), lambda o: hours_text(o.start, o.end)),
            Column(_("État"), lambda o: o.state.label),
            Column(_("Raison"), lambda o: o.reason),
        ], plan.occurrences)
        self.table, _proxy = record_table(_("Dates de la répétition"), self.model,
                                          sortable=False, proxy=False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        free = len(plan.free)
        buttons = QDialogButtonBox()
        self.book_button = buttons.addButton(
            ngettext("Réserver la date libre", "Réserver les {n} libres", free).format(n=free)
            if free else _("Aucune date libre"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.book_button.setAccessibleName(_("Réserver les dates libres"))
        self.book_button.setEnabled(free > 0)
        self.book_button.setDefault(free > 0)
        back = buttons.addButton(_("Retour"), QDialogButtonBox.ButtonRole.RejectRole)
        back.setAccessibleName(_("Retour"))
        if not free:
            back.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title_label)
        layout.addWidget(where)
        layout.addWidget(self.summary)
        layout.addWidget(explain)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(900, min(640, 250 + 30 * len(plan.occurrences)))

    def rows(self) -> list[tuple[str, str, str, str]]:
        """What the table shows (tests, screen readers)."""
        return [tuple(self.model.columns[c].text(o) for c in range(4))
                for o in self.model.records()]


class ScopeDialog(QDialog):
    """Which bookings of a series a change or a cancellation applies to; with `reason`,
    the reason of a cancellation too (for a booking outside a series, only the reason: the
    dialog then is the confirmation)."""

    def __init__(self, *, title: str, question: str, ok: str, series: bool,
                 reason: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        text = QLabel(question)
        text.setWordWrap(True)
        text.setAccessibleName(_("Question"))
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        self.one = QRadioButton(_("Cette réservation seulement"))
        self.one.setAccessibleName(_("Cette réservation seulement"))
        self.following = QRadioButton(_("Celle-ci et les suivantes de la série"))
        self.following.setAccessibleName(_("Celle-ci et les suivantes"))
        group = QButtonGroup(self)
        group.addButton(self.one)
        group.addButton(self.following)
        self.one.setChecked(True)
        self.one.setVisible(series)
        self.following.setVisible(series)
        if series:
            layout.addWidget(self.one)
            layout.addWidget(self.following)
        self.reason = QLineEdit()
        self.reason.setAccessibleName(_("Motif de l'annulation"))
        self.reason.setPlaceholderText(_("Facultatif : demandé par la structure, salle "
                                         "indisponible…"))
        self.reason.setMaxLength(500)
        if reason:
            form = QFormLayout()
            form.addRow(_("Motif :"), self.reason)
            layout.addLayout(form)
        # plain buttons, not a QDialogButtonBox (which makes its accept button the
        # default): a destructive answer is never the default, Enter keeps the booking
        self.ok_button = QPushButton(ok)
        self.ok_button.setAccessibleName(ok.rstrip("…"))
        back = QPushButton(_("Ne rien changer") if reason else _("Retour"))
        back.setAccessibleName(back.text())
        self.ok_button.clicked.connect(self.accept)
        back.clicked.connect(self.reject)
        for b in (self.ok_button, back):
            b.setAutoDefault(False)
        (back if reason else self.ok_button).setDefault(True)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.ok_button)
        row.addWidget(back)
        layout.addLayout(row)
        self.setMinimumWidth(460)

    def scope(self) -> SeriesScope:
        return SeriesScope.FOLLOWING if self.following.isChecked() else SeriesScope.ONE
