"""The history of a desk or an office: who held it, from when to when, the latest first;
the assignment of today highlighted (and those to come marked)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from maison_app.domain.enums import SpaceKind
from maison_app.domain.spaces import AssignmentRecord
from maison_app.i18n import _, format_date, ngettext
from maison_app.ui.common import NOTE_STYLE, today
from maison_app.ui.table_model import Column, RecordTableModel, record_table
from maison_app.views.spaces.assignment_dialog import space_summary, status_of

CURRENT_BACKGROUND = "#e3f1e8"
CURRENT_FOREGROUND = "#1e4d2b"
FUTURE_FOREGROUND = "#2b4a7a"
PAST_FOREGROUND = "#555555"


class _HistoryModel(RecordTableModel[AssignmentRecord]):
    """Today's assignment on a green background and in bold; those to come in blue; those
    over in grey."""

    def __init__(self, columns, records, day: dt.date) -> None:
        super().__init__(columns, records)
        self.day = day

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid():
            a = self.record(index.row())
            current = a.covers(self.day)
            if role == Qt.ItemDataRole.BackgroundRole and current:
                return QBrush(QColor(CURRENT_BACKGROUND))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(CURRENT_FOREGROUND if current else FUTURE_FOREGROUND
                                     if a.start > self.day else PAST_FOREGROUND))
            if role == Qt.ItemDataRole.FontRole and current:
                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


class HistoryDialog(QDialog):
    def __init__(self, services, *, space_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        space = services.spaces.space(space_id=space_id)
        parent_space = (services.spaces.space(space_id=space.parent_id)
                        if space.parent_id is not None else None)
        self.day = today(services)
        records = services.spaces.history(space_id=space_id)
        office = space.kind is SpaceKind.OFFICE

        title = _("Historique de « {space} »").format(space=space.name)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(760, 380)

        name = QLabel(space.name)
        font = name.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        name.setFont(font)
        summary = QLabel(space_summary(space, parent_space))
        summary.setStyleSheet(NOTE_STYLE)

        columns = [
            Column(_("Structure"), lambda a: a.holder),
            Column(_("Du"), lambda a: format_date(a.start), sort_key=lambda a: a.start),
            Column(_("Au"), lambda a: format_date(a.end) if a.end else _("jusqu'à nouvel ordre"),
                   sort_key=lambda a: a.end or dt.date.max),
            Column(_("Statut"), lambda a: status_of(a, self.day)),
        ]
        if office:
            columns.append(Column(_("Places"), lambda a: str(a.seats), sort_key=lambda a: a.seats,
                                  align=Qt.AlignmentFlag.AlignRight
                                  | Qt.AlignmentFlag.AlignVCenter))
        columns.append(Column(_("Notes"), lambda a: a.notes or ""))
        self.model = _HistoryModel(columns, records, self.day)
        self.table, _proxy = record_table(_("Historique des attributions"), self.model,
                                          sortable=False, proxy=False,
                                          widths=(220, 140, 140, 80, 50)[:len(columns) - 1])

        current = [a for a in records if a.covers(self.day)]
        self.summary = QLabel()
        self.summary.setAccessibleName(_("Résumé de l'historique"))
        self.summary.setWordWrap(True)
        if not records:
            self.summary.setText(_("« {space} » n'a jamais été attribué.").format(
                space=space.name))
        else:
            text = ngettext("{n} attribution", "{n} attributions", len(records)).format(
                n=len(records))
            if current:
                text += " — " + _("aujourd'hui : {holders} (surligné)").format(
                    holders=", ".join(a.holder for a in current))
            else:
                text += " — " + _("libre aujourd'hui")
            self.summary.setText(text + ".")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Fermer"))
        close.setAccessibleName(_("Fermer"))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(name)
        layout.addWidget(summary)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def rows(self) -> list[list[str]]:
        """The texts of the table, row by row (tests, screen readers)."""
        m = self.model
        return [[m.index(r, c).data() for c in range(m.columnCount())]
                for r in range(m.rowCount())]
