"""The figures funders ask for (« Chiffres »): over a period, the hours attended by each
person, by axis of the PTCE and by workshop, the participants, the sessions and the
attendance rate; a total line; the same figures as a CSV file for a spreadsheet.

The period is typed (jj/mm/aaaa) or chosen with « Ce mois-ci », « Cette année », « L'an
dernier »; Enter in a date, or « Afficher », loads it (in the task runner)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import WorkshopAxis
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.domain.text import search_key
from maison_app.domain.workshops import FigureRow, WorkshopFigures
from maison_app.i18n import PARIS, _, babel_locale, format_date, ngettext
from maison_app.ui import messages
from maison_app.ui.common import DateField, guarded
from maison_app.ui.table_model import Column, RecordTableModel, record_table
from maison_app.ui.tasks import TaskRunner

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
NOTE_STYLE = "color: #555;"
ERROR_STYLE = "color: #b3261e;"
TOTAL_STYLE = ("#figuresTotal { background: #eef3f0; border: 1px solid #c5d6cc; "
               "border-radius: 4px; padding: 6px 10px; font-weight: 600; }")


def hours_figure(minutes: int) -> str:
    """Minutes as decimal hours, the French way: "12,5", "3", "0"."""
    from babel.numbers import format_decimal

    return format_decimal(round(minutes / 60, 1), format="#,##0.#", locale=babel_locale())


def rate_figure(rate: float | None) -> str:
    """"87 %" (babel's narrow no-break space); "—" when nothing was expected."""
    from babel.numbers import format_percent

    return "—" if rate is None else format_percent(rate, locale=babel_locale())


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def ask_csv_path(parent: QWidget, suggested: Path) -> str:
    """Where to write the CSV ("" when cancelled). Tests replace it."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, _("Exporter les chiffres des ateliers"), str(suggested),
        _("Fichier CSV pour Excel (*.csv)"))
    return path


def _axis_order(label: str) -> str:
    """The axes in the PTCE's order (coopération, création, formation, économie vivante)."""
    order = {axis.label: i for i, axis in enumerate(WorkshopAxis)}
    return f"{order.get(label, len(order)):02d} {search_key(label)}"


def _columns(key_title: str, *, participants: bool, axis: bool = False
             ) -> list[Column[FigureRow]]:
    columns = [Column(key_title, lambda r: r.key,
                      sort_key=(lambda r: _axis_order(r.key)) if axis else
                      (lambda r: search_key(r.key)))]
    if participants:
        columns.append(Column(_("Participants"), lambda r: str(r.participants),
                              sort_key=lambda r: r.participants, align=_RIGHT))
    columns += [
        Column(_("Séances"), lambda r: str(r.sessions), sort_key=lambda r: r.sessions,
               align=_RIGHT),
        Column(_("Heures"), lambda r: hours_figure(r.minutes_attended),
               sort_key=lambda r: r.minutes_attended, align=_RIGHT,
               tooltip=lambda r: _("{hours} heures de présence").format(
                   hours=hours_figure(r.minutes_attended))),
        Column(_("Taux de présence"), lambda r: rate_figure(r.attendance_rate),
               sort_key=lambda r: -1.0 if r.attendance_rate is None else r.attendance_rate,
               align=_RIGHT,
               tooltip=lambda r: _("Demi-journées présentes sur demi-journées prévues, pour "
                                   "les séances dont les présences sont enregistrées.")),
    ]
    return columns


class FiguresTab(QWidget):
    """Needs the app's `Services` and the shared `TaskRunner`; `refresh()` reloads."""

    figures_loaded = Signal()  # tests listen to it

    def __init__(self, services, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.figures: WorkshopFigures | None = None
        self.exported_path: Path | None = None
        self.setAccessibleName(_("Chiffres des ateliers"))
        self._build()
        self.set_period(*year_bounds(self.today().year), load=False)
        self.refresh()

    def today(self) -> dt.date:
        return self.services.ctx.now().astimezone(PARIS).date()

    # --- layout ---

    def _build(self) -> None:
        self.start = DateField()
        self.start.setAccessibleName(_("Début de la période"))
        self.end = DateField()
        self.end.setAccessibleName(_("Fin de la période"))
        for field in (self.start, self.end):
            field.returnPressed.connect(self.refresh)
        self.show_button = self._button(_("Afficher"), _("Afficher les chiffres"), self.refresh)
        self.month_button = self._button(_("Ce mois-ci"), _("Ce mois-ci"), self.this_month)
        self.year_button = self._button(_("Cette année"), _("Cette année"), self.this_year)
        self.last_year_button = self._button(_("L'an dernier"), _("L'an dernier"),
                                             self.last_year)
        self.export_button = self._button(_("Exporter (CSV)…"), _("Exporter les chiffres"),
                                          self.export_csv)
        period = QHBoxLayout()
        period.addWidget(QLabel(_("Du")))
        period.addWidget(self.start)
        period.addWidget(QLabel(_("au")))
        period.addWidget(self.end)
        period.addWidget(self.show_button)
        separator = QFrame()
        separator.setFrameShape(QFrame.Shape.VLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)
        period.addWidget(separator)
        for b in (self.month_button, self.year_button, self.last_year_button):
            period.addWidget(b)
        period.addStretch(1)
        period.addWidget(self.export_button)

        self.error = QLabel()
        self.error.setAccessibleName(_("Erreur de la période"))
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setVisible(False)
        self.note = QLabel()
        self.note.setAccessibleName(_("Période affichée"))
        self.note.setStyleSheet(NOTE_STYLE)
        self.note.setWordWrap(True)
        self.total = QLabel()
        self.total.setObjectName("figuresTotal")
        self.total.setStyleSheet(TOTAL_STYLE)
        self.total.setAccessibleName(_("Total de la période"))
        self.total.setWordWrap(True)

        self.workshop_model: RecordTableModel[FigureRow] = RecordTableModel(
            _columns(_("Atelier"), participants=True))
        self.axis_model: RecordTableModel[FigureRow] = RecordTableModel(
            _columns(_("Axe"), participants=True, axis=True))
        self.person_model: RecordTableModel[FigureRow] = RecordTableModel(
            _columns(_("Personne"), participants=False))
        self.workshop_view, _p1 = record_table(_("Chiffres par atelier"), self.workshop_model)
        self.axis_view, _p2 = record_table(_("Chiffres par axe"), self.axis_model)
        self.person_view, _p3 = record_table(_("Chiffres par personne"), self.person_model)
        for view in (self.workshop_view, self.axis_view, self.person_view):
            header = view.horizontalHeader()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            for column in range(1, view.model().columnCount()):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            view.sortByColumn(0, Qt.SortOrder.AscendingOrder)

        self.workshop_box = self._box(_("Par atelier"), self.workshop_view)
        self.axis_box = self._box(_("Par axe"), self.axis_view)
        self.person_box = self._box(_("Par personne"), self.person_view)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.workshop_box)
        left.addWidget(self.axis_box)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        left.setChildrenCollapsible(False)
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(left)
        main.addWidget(self.person_box)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        main.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(period)
        layout.addWidget(self.error)
        layout.addWidget(self.note)
        layout.addWidget(self.total)
        layout.addWidget(main, 1)

    @staticmethod
    def _button(text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    @staticmethod
    def _box(title: str, view) -> QGroupBox:
        box = QGroupBox(title)
        v = QVBoxLayout(box)
        v.addWidget(view)
        return box

    # --- the period ---

    def set_period(self, start: dt.date, end: dt.date, *, load: bool = True) -> None:
        self.start.set_date(start)
        self.end.set_date(end)
        if load:
            self.refresh()

    def this_month(self) -> None:
        self.set_period(*month_bounds(self.today()))

    def this_year(self) -> None:
        self.set_period(*year_bounds(self.today().year))

    def last_year(self) -> None:
        self.set_period(*year_bounds(self.today().year - 1))

    def period(self) -> tuple[dt.date, dt.date]:
        """The period typed; a ValidationError names what is wrong."""
        start = self.start.date(field="start")
        end = self.end.date(field="end")
        if start is None or end is None:
            raise ValidationError(_("Indiquez le début et la fin de la période "
                                    "(jj/mm/aaaa)."), field="start" if start is None else "end")
        if end < start:
            raise ValidationError(_("La fin de la période est avant son début."), field="end")
        return start, end

    def _period_or_say(self) -> tuple[dt.date, dt.date] | None:
        try:
            period = self.period()
        except ValidationError as exc:
            self.error.setText(exc.message)
            self.error.setVisible(True)
            (self.end if exc.field == "end" else self.start).setFocus()
            return None
        self.error.setVisible(False)
        return period

    # --- loading ---

    def refresh(self) -> None:
        period = self._period_or_say()
        if period is None:
            return
        start, end = period
        workshops = self.services.workshops
        self.tasks.run(lambda: workshops.figures(start=start, end=end),
                       on_success=guarded(self, self._show), on_error=guarded(self, self._failed),
                       key=f"workshop-figures-{id(self)}")

    def _failed(self, exc: BaseException) -> None:
        messages.show_error(self, exc)

    def _show(self, figures: WorkshopFigures) -> None:
        self.figures = figures
        self.workshop_model.set_records(figures.by_workshop)
        self.axis_model.set_records(figures.by_axis)
        self.person_model.set_records(figures.by_person)
        self.workshop_box.setTitle(_("Par atelier ({n})").format(n=len(figures.by_workshop)))
        self.axis_box.setTitle(_("Par axe ({n})").format(n=len(figures.by_axis)))
        self.person_box.setTitle(_("Par personne ({n})").format(n=len(figures.by_person)))
        period = _("Du {start} au {end}").format(start=format_date(figures.start),
                                                 end=format_date(figures.end))
        if not figures.by_workshop:
            self.note.setText(_("{period} : aucune séance d'atelier sur cette période.").format(
                period=period))
        else:
            self.note.setText(_("{period}. Les heures et le taux de présence ne comptent que les "
                                "séances dont les présences sont enregistrées.").format(
                period=period))
        t = figures.total
        self.total.setText(_("Total : {participants} · {sessions} · {hours} h de présence · "
                             "taux de présence {rate}").format(
            participants=ngettext("{n} participant·e", "{n} participant·es",
                                  t.participants).format(n=t.participants),
            sessions=ngettext("{n} séance", "{n} séances", t.sessions).format(n=t.sessions),
            hours=hours_figure(t.minutes_attended), rate=rate_figure(t.attendance_rate)))
        self.figures_loaded.emit()

    # --- export ---

    def export_csv(self) -> Path | None:
        period = self._period_or_say()
        if period is None:
            return None
        start, end = period
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        suggested = Path(folder) / _("ateliers-chiffres-{start}-{end}.csv").format(
            start=start.isoformat(), end=end.isoformat())
        chosen = ask_csv_path(self, suggested)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        try:
            content = self.services.workshops.figures_csv(start=start, end=end)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return None
        try:
            path.write_bytes(content)
        except OSError as exc:
            messages.warn(self, _("Les chiffres n'ont pas pu être enregistrés dans {path} : "
                                  "{reason}").format(path=path, reason=exc.strerror or exc))
            return None
        self.exported_path = path
        self.note.setText(_("Chiffres enregistrés dans {path}").format(path=path))
        return path
