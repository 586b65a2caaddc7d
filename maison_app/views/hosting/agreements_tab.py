"""The « Conventions » tab of the Hébergement screen: the hosting agreements (conventions
d'hébergement), their attestations and the half-yearly list of domiciliations.

On top, the agreements whose last day falls within the next 60 days and that nothing
follows yet (hidden when there are none): each line names the agreement, the occupant and
the last day, with « Renouveler… » (a renewal prefilled) — the number opens the agreement.
Then the filters (a search on the number, the occupant or the project, accents ignored; the
state today), the list (sortable; the state in colour: a draft grey, to come blue, running
green, over dim), and the actions: « Nouvelle convention… » (Ctrl+N: asks who is hosted, then
opens the draft), « Ouvrir » (Enter, double-click), « Imprimer… » (Ctrl+P: the archived PDF,
or a draft marked PROJET), « Attestation… » (d'hébergement or de domiciliation, issued and
archived), « Liste des domiciliations… » (a half-year, as a PDF or a CSV file).

`new_agreement(project_id=…)` is what the projects tab's « Convention d'hébergement… » calls.
Lists and PDFs are loaded through the task runner; writes happen in the agreement's dialog.
The accueil reads: the buttons that write are hidden."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import AgreementLink, AgreementState, AgreementStatus
from maison_app.domain.errors import MaisonError
from maison_app.domain.hosting import ENDING_AGREEMENTS_DAYS, AgreementRecord
from maison_app.domain.permissions import Access, Area, allowed
from maison_app.domain.text import search_key
from maison_app.i18n import _, format_date, format_money, ngettext
from maison_app.ui import messages
from maison_app.ui.alert_panel import WHEN_STYLE, AlertPanel, link_label, text_label
from maison_app.ui.common import BANNER_STYLE, NOTE_STYLE, guarded, today
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import (
    Column,
    RecordTableModel,
    enter_table,
    record_table,
    select_record,
    selected_record,
)
from maison_app.views.hosting.agreement_dialog import (
    STATE_COLOURS,
    AgreementDialog,
    OccupantPicker,
    dispose,
    link_text,
    services_short,
    show_pdf,
)

SEARCH_DELAY_MS = 250
PAST_TEXT = "#8a8a8a"
STATE_COLUMN = 2
ENDING_MAX_HEIGHT = 118  # about four lines; more scroll
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_OVER = (AgreementState.ENDED, AgreementState.TERMINATED, AgreementState.REPLACED)


def _short(day: dt.date | None) -> str:
    return format_date(day, "short") if day is not None else ""


def spaces_text(a: AgreementRecord) -> str:
    return ", ".join(g.space_name for g in a.spaces)


def ending_text(a: AgreementRecord, day: dt.date) -> str:
    """« dernier jour le 14 décembre 2026 (dans 18 jours) », « résiliée : dernier jour… »."""
    left = (a.last_day - day).days
    when = (_("aujourd'hui") if left == 0 else
            ngettext("dans {n} jour", "dans {n} jours", left).format(n=left))
    if a.status is AgreementStatus.TERMINATED:
        return _("résiliée : dernier jour le {day} ({when})").format(
            day=format_date(a.last_day), when=when)
    return _("dernier jour le {day} ({when})").format(day=format_date(a.last_day), when=when)


class _AgreementsModel(RecordTableModel[AgreementRecord]):
    """The state in colour; the agreements that are over in grey."""

    def __init__(self, columns, parent=None) -> None:
        super().__init__(columns, parent=parent)
        self.today = dt.date.today()

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.ForegroundRole,
                                        Qt.ItemDataRole.FontRole):
            state = self.record(index.row()).state(self.today)
            if role == Qt.ItemDataRole.ForegroundRole:
                if index.column() == STATE_COLUMN:
                    return QBrush(QColor(STATE_COLOURS[state]))
                if state in _OVER:
                    return QBrush(QColor(PAST_TEXT))
                return None
            if index.column() == STATE_COLUMN and state is AgreementState.ACTIVE:
                font = QFont()
                font.setBold(True)
                return font
            if state is AgreementState.DRAFT:
                font = QFont()
                font.setItalic(True)
                return font
            return None
        return super().data(index, role)


# --- the half-yearly list of domiciliations ----------------------------------------------------


class DomiciliationListDialog(QDialog):
    """Choose the half-year; see how many are listed; preview the PDF (issued and archived)
    or save the CSV file."""

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.last_preview = None
        self.saved_path: Path | None = None
        title = _("Liste des domiciliations")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(500)
        day = today(services)
        intro = QLabel(_("Les structures domiciliées à la Maison pendant un semestre, avec le "
                         "début et la fin de leur domiciliation : la liste que le domiciliataire "
                         "tient à la disposition du greffe et des impôts (article R.123-168 du "
                         "Code de commerce)."))
        intro.setWordWrap(True)
        intro.setStyleSheet(NOTE_STYLE)
        form = QFormLayout()
        self.year = QSpinBox()
        self.year.setRange(2000, day.year + 1)
        self.year.setValue(day.year)
        self.year.setAccessibleName(_("Année"))
        self.year.setMaximumWidth(100)
        form.addRow(_("Année"), self.year)
        self.half = QComboBox()
        self.half.setAccessibleName(_("Semestre"))
        self.half.addItem(_("1er semestre (janvier à juin)"), 1)
        self.half.addItem(_("2e semestre (juillet à décembre)"), 2)
        self.half.setCurrentIndex(0 if day.month <= 6 else 1)
        form.addRow(_("Semestre"), self.half)
        self.count = QLabel()
        self.count.setAccessibleName(_("Structures listées"))
        form.addRow("", self.count)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName(_("Résultat de la liste"))
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setVisible(False)

        self.pdf_button = QPushButton(_("Aperçu PDF…"))
        self.pdf_button.setAccessibleName(_("Aperçu PDF"))
        self.pdf_button.setToolTip(_("La liste est numérotée et archivée, puis montrée pour "
                                     "l'imprimer ou l'enregistrer"))
        self.pdf_button.setDefault(True)
        self.pdf_button.clicked.connect(self.preview_pdf)
        self.csv_button = QPushButton(_("Enregistrer en CSV…"))
        self.csv_button.setAccessibleName(_("Enregistrer en CSV"))
        self.csv_button.setToolTip(_("Un fichier pour un tableur (Excel, LibreOffice)"))
        self.csv_button.setAutoDefault(False)
        self.csv_button.clicked.connect(self.save_csv)
        close = QPushButton(_("Fermer"))
        close.setAccessibleName(_("Fermer"))
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.csv_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        self.pdf_button.setVisible(allowed(services.ctx.actor.role, Area.AGREEMENTS,
                                           Access.WRITE))

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)
        self.year.valueChanged.connect(lambda _v: self.count_lines())
        self.half.currentIndexChanged.connect(lambda _i: self.count_lines())
        self.count_lines()

    def period(self) -> tuple[int, int]:
        return self.year.value(), int(self.half.currentData())

    def count_lines(self) -> None:
        year, half = self.period()
        agreements = self.services.agreements

        def shown(data) -> None:
            if (data.year, data.half) != self.period():
                return
            n = len(data.lines)
            self.count.setText(ngettext("{n} structure domiciliée du {first} au {last}",
                                        "{n} structures domiciliées du {first} au {last}",
                                        n).format(n=n, first=format_date(data.first),
                                                  last=format_date(data.last)))

        self.tasks.run(lambda: agreements.domiciliation_list(year=year, half=half),
                       on_success=guarded(self, shown),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"domiciliations-{id(self)}")

    def _say(self, text: str) -> None:
        self.result_label.setText(text)
        self.result_label.setVisible(bool(text))

    def preview_pdf(self) -> None:
        year, half = self.period()
        agreements = self.services.agreements
        self.pdf_button.setEnabled(False)

        def shown(result) -> None:
            self.pdf_button.setEnabled(True)
            document, content = result
            self.last_preview = show_pdf(self, content, title=document.subject,
                                         filename=document.filename)
            self._say(_("Liste {number} archivée.").format(number=document.number))

        def failed(exc: BaseException) -> None:
            self.pdf_button.setEnabled(True)
            messages.show_error(self, exc)

        self.tasks.run(lambda: agreements.domiciliation_list_pdf(year=year, half=half),
                       on_success=guarded(self, shown), on_error=guarded(self, failed))

    def save_csv(self) -> Path | None:
        year, half = self.period()
        try:
            content = self.services.agreements.domiciliation_list_csv(year=year, half=half)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return None
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        suggested = Path(folder) / _("domiciliations-{year}-S{half}.csv").format(year=year,
                                                                                 half=half)
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Enregistrer la liste des domiciliations"), str(suggested),
            _("Fichiers CSV (*.csv)"))
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        try:
            path.write_bytes(content)
        except OSError as exc:
            messages.warn(self, _("La liste n'a pas pu être enregistrée dans {path} : "
                                  "{reason}").format(path=path, reason=exc.strerror or exc))
            return None
        self.saved_path = path
        self._say(_("Liste enregistrée dans {path}").format(path=path))
        return path


# --- the tab -------------------------------------------------------------------------------------


class AgreementsTab(QWidget):
    """Needs the app's `Services` and the shared `TaskRunner`."""

    agreements_loaded = Signal()  # tests listen to it

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self._select_id: int | None = None
        self.last_preview = None  # the last PDF shown (tests)
        self._ending: tuple[AgreementRecord, ...] = ()
        self._build()
        self.refresh()

    @property
    def may_write(self) -> bool:
        return allowed(self.services.ctx.actor.role, Area.AGREEMENTS, Access.WRITE)

    # --- layout -------------------------------------------------------------------------

    def _build(self) -> None:
        self.banner = QLabel()
        self.banner.setObjectName("memberBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(_("Message des conventions"))
        self.banner.setVisible(False)

        # the agreements that end soon
        self.ending_panel = AlertPanel(title_name=_("Conventions qui se terminent bientôt"),
                                       max_height=ENDING_MAX_HEIGHT, stretch_column=3)
        self.ending_buttons: dict[int, QPushButton] = {}

        # filters
        self.search = QLineEdit()
        self.search.setAccessibleName(_("Rechercher une convention"))
        self.search.setPlaceholderText(_("Rechercher un numéro, un occupant, un projet…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.installEventFilter(self)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.load_agreements)
        self.state_filter = QComboBox()
        self.state_filter.setAccessibleName(_("Filtrer par état"))
        self.state_filter.addItem(_("Toutes"), None)
        for state in AgreementState:
            self.state_filter.addItem(state.label, state)
        self.state_filter.currentIndexChanged.connect(lambda _i: self.load_agreements())
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        caption = QLabel(_("État :"))
        caption.setBuddy(self.state_filter)
        filters.addSpacing(8)
        filters.addWidget(caption)
        filters.addWidget(self.state_filter)
        filters.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(_("Nombre de conventions"))
        self.count_label.setStyleSheet("color: #555;")
        filters.addWidget(self.count_label)

        # the list
        self.model = _AgreementsModel([
            Column(_("N°"), lambda a: a.number, sort_key=lambda a: a.number),
            Column(_("Occupant"), lambda a: a.occupant_name,
                   sort_key=lambda a: search_key(a.occupant_name)),
            Column(_("État"), self._state_text,
                   sort_key=lambda a: list(AgreementState).index(a.state(self.model.today)),
                   tooltip=self._state_tooltip),
            Column(_("Projet"), lambda a: a.project_name,
                   sort_key=lambda a: search_key(a.project_name),
                   tooltip=lambda a: (_("{name} ({programme})").format(
                       name=a.project_name, programme=a.programme_name)
                       if a.programme_name else a.project_name)),
            Column(_("Locaux"), spaces_text, sort_key=lambda a: search_key(spaces_text(a))),
            Column(_("Du"), lambda a: _short(a.start), sort_key=lambda a: a.start,
                   tooltip=lambda a: format_date(a.start)),
            Column(_("Au"), lambda a: _short(a.last_day), sort_key=lambda a: a.last_day,
                   tooltip=self._end_tooltip),
            Column(_("Redevance HT/mois"), lambda a: format_money(a.monthly_fee_cents),
                   sort_key=lambda a: a.monthly_fee_cents, align=_RIGHT,
                   tooltip=lambda a: _("{total} TTC par mois").format(
                       total=format_money(a.fee_incl_cents))),
            Column(_("Services"), lambda a: services_short(a.services),
                   tooltip=lambda a: "\n".join(s.label for s in a.services)),
        ])
        self.table, self.proxy = record_table(
            _("Conventions"), self.model, widths=(112, 215, 150, 165, 140, 88, 88, 130, 225))
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.installEventFilter(self)

        self.empty = QLabel()
        self.empty.setAccessibleName(_("Aucune convention"))
        self.empty.setStyleSheet("color: #555;")
        self.empty.setWordWrap(True)
        self.empty.setVisible(False)

        # actions
        def button(text: str, name: str, slot, tip: str = "") -> QPushButton:
            b = QPushButton(text)
            b.setAccessibleName(name)
            if tip:
                b.setToolTip(tip)
            b.clicked.connect(slot)
            return b

        self.new_button = button(_("Nouvelle convention…"), _("Nouvelle convention"),
                                 lambda: self.new_agreement(), _("Ctrl+N"))
        self.open_button = button(_("Ouvrir"), _("Ouvrir la convention"), self.open_selected)
        self.print_button = button(_("Imprimer…"), _("Imprimer la convention"),
                                   self.print_selected)
        self.attestation_button = QPushButton(_("Attestation…"))
        self.attestation_button.setAccessibleName(_("Attestation"))
        self.attestation_menu = QMenu(self.attestation_button)
        self.hosting_action = QAction(_("Attestation d'hébergement…"), self.attestation_menu)
        self.hosting_action.triggered.connect(lambda: self.issue_attestation(False))
        self.domiciliation_action = QAction(_("Attestation de domiciliation…"),
                                            self.attestation_menu)
        self.domiciliation_action.triggered.connect(lambda: self.issue_attestation(True))
        self.attestation_menu.addAction(self.hosting_action)
        self.attestation_menu.addAction(self.domiciliation_action)
        self.attestation_button.setMenu(self.attestation_menu)
        self.list_button = button(_("Liste des domiciliations…"),
                                  _("Liste des domiciliations"), self.domiciliation_list,
                                  _("Les structures domiciliées pendant un semestre (PDF ou "
                                    "CSV)"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.attestation_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.list_button)
        self.new_button.setVisible(self.may_write)
        self.attestation_button.setVisible(self.may_write)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.ending_panel)
        layout.addLayout(filters)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        add_shortcuts(self, [(QKeySequence.StandardKey.Refresh, self.refresh),
                             ("Ctrl+N", lambda: self.new_agreement()),
                             ("Ctrl+P", self.print_selected),
                             (QKeySequence.StandardKey.Find, self._focus_search)])
        self._update_buttons()

    def _state_text(self, a: AgreementRecord) -> str:
        return a.state(self.model.today).label

    def _state_tooltip(self, a: AgreementRecord) -> str:
        state = a.state(self.model.today)
        if a.link is not None:
            text = link_text(a)
        else:
            text = ""
        if state is AgreementState.TERMINATED and a.terminated_on is not None:
            more = _("Résiliée, dernier jour le {day} : {reason}").format(
                day=format_date(a.terminated_on), reason=a.termination_reason)
        elif state is AgreementState.REPLACED and a.replaced_from is not None:
            more = _("Remplacée par un avenant à partir du {day}").format(
                day=format_date(a.replaced_from))
        elif a.signed_on is not None:
            more = _("Signée le {day}").format(day=format_date(a.signed_on))
        else:
            more = _("Brouillon : à signer")
        return "\n".join(t for t in (state.label, more, text) if t)

    @staticmethod
    def _end_tooltip(a: AgreementRecord) -> str:
        if a.last_day != a.end:
            return _("Dernier jour le {day} (fin prévue le {end})").format(
                day=format_date(a.last_day), end=format_date(a.end))
        return format_date(a.end)

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
            if watched is self.search and enter:
                self._search_timer.stop()
                self.load_agreements()
                return True
            if watched is self.search and key == Qt.Key.Key_Down and self.model.rowCount():
                enter_table(self.table)
                return True
        return super().eventFilter(watched, event)

    # --- loading ------------------------------------------------------------------------

    def _filters(self) -> dict:
        state = self.state_filter.currentData()
        return {"query": self.search.text(),
                "state": AgreementState(state) if state is not None else None}

    def refresh(self) -> None:
        """The agreements ending soon and the list again."""
        agreements = self.services.agreements
        filters = self._filters()
        day = today(self.services)

        def load():
            return day, agreements.ending_soon(), filters, agreements.agreements(**filters)

        self.tasks.run(load, on_success=guarded(self, self._show_all),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"agreements-all-{id(self)}")

    def load_agreements(self) -> None:
        """The list again, after a filter changed."""
        self._search_timer.stop()
        agreements = self.services.agreements
        filters = self._filters()
        self.tasks.run(lambda: (filters, agreements.agreements(**filters)),
                       on_success=guarded(self, self._show_filtered),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"agreements-list-{id(self)}")

    def _show_all(self, result) -> None:
        day, ending, filters, records = result
        self.model.today = day
        self._show_ending(ending)
        if filters == self._filters():
            self._show_agreements(records)
        else:
            self.load_agreements()

    def _show_filtered(self, result) -> None:
        filters, records = result
        if filters == self._filters():
            self._show_agreements(records)

    def _show_ending(self, ending: tuple[AgreementRecord, ...]) -> None:
        self._ending = tuple(ending)
        self.ending_buttons = {}
        rows = []
        for a in self._ending:
            opens = _("Ouvrir la convention {number}").format(number=a.number)
            row = [link_label(a.number, str(a.id), lambda link: self.open_agreement(int(link)),
                              tooltip=opens, accessible_name=opens),
                   text_label(a.occupant_name),
                   text_label(ending_text(a, self.model.today), WHEN_STYLE), None]
            if self.may_write and a.status is not AgreementStatus.TERMINATED:
                renew = QPushButton(_("Renouveler…"))
                renew.setAccessibleName(_("Renouveler {number}").format(number=a.number))
                renew.setToolTip(_("Préparer le renouvellement de {number} (un nouveau "
                                   "brouillon, à partir du {day})").format(
                    number=a.number, day=format_date(a.last_day + dt.timedelta(days=1))))
                renew.clicked.connect(lambda _c=False, i=a.id: self.renew(i))
                row.append(renew)
                self.ending_buttons[a.id] = renew
            rows.append(row)
        n = len(self._ending)
        self.ending_panel.set_rows(ngettext(
            "Conventions qui se terminent dans les {days} jours : {n}",
            "Conventions qui se terminent dans les {days} jours : {n}", n).format(
            days=ENDING_AGREEMENTS_DAYS, n=n), rows)

    def ending_lines(self) -> list[str]:
        """The lines of the panel as read: « CH-2026-0001 — occupant — dernier jour … »."""
        return [_("{number} — {occupant} — {when}").format(
            number=a.number, occupant=a.occupant_name, when=ending_text(a, self.model.today))
            for a in self._ending]

    def _show_agreements(self, records) -> None:
        keep = self._select_id
        if keep is None:
            current = self.selected_agreement()
            keep = current.id if current is not None else None
        self._select_id = None
        self.model.set_records(records)
        if keep is not None:
            self.select_agreement(keep)
        n = len(records)
        self.count_label.setText(ngettext("{n} convention", "{n} conventions", n).format(n=n))
        if n:
            self.empty.setVisible(False)
        else:
            filtered = bool(self.search.text().strip()) or self.state_filter.currentIndex() > 0
            self.empty.setText(
                _("Aucune convention ne correspond à ces filtres.") if filtered else
                _("Aucune convention. « Nouvelle convention… » (Ctrl+N) prépare la première.")
                if self.may_write else _("Aucune convention."))
            self.empty.setVisible(True)
        self._update_buttons()
        self.agreements_loaded.emit()

    # --- selection ----------------------------------------------------------------------

    def select_agreement(self, agreement_id: int) -> bool:
        return select_record(self.table, self.model, lambda r: r.id == agreement_id)

    def selected_agreement(self) -> AgreementRecord | None:
        return selected_record(self.table, self.model)

    def _update_buttons(self) -> None:
        a = self.selected_agreement()
        chosen = a is not None
        self.open_button.setEnabled(chosen)
        self.print_button.setEnabled(chosen)
        hint = "" if chosen else _("Choisissez d'abord une convention dans la liste.")
        self.open_button.setToolTip(hint or _("Entrée ou double-clic"))
        self.print_button.setToolTip(hint or (
            _("Le PDF archivé à la signature (Ctrl+P)") if a.document_id is not None
            else _("Le brouillon, marqué PROJET (Ctrl+P)")))
        running = chosen and a.state(self.model.today) in (AgreementState.SIGNED,
                                                           AgreementState.ACTIVE)
        self.hosting_action.setEnabled(running and bool(a.spaces))
        self.domiciliation_action.setEnabled(running and a.domiciled)
        self.attestation_button.setEnabled(running and self.may_write)
        self.attestation_button.setToolTip(
            hint or (_("Attestation d'hébergement ou de domiciliation, délivrée et archivée")
                     if running else _("Une attestation se délivre pour une convention "
                                       "signée, en cours ou à venir.")))

    # --- actions ------------------------------------------------------------------------

    def _changed(self, agreement_id: int | None, text: str) -> None:
        self._select_id = agreement_id
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.refresh()

    def _run_dialog(self, dialog: AgreementDialog) -> None:
        dialog.exec()
        written, saved_id, text = dialog.written, dialog.saved_id, dialog.done_message
        dispose(dialog)
        if written:
            self._changed(saved_id, text)
        else:
            self.refresh()

    def open_agreement(self, agreement_id: int) -> None:
        try:
            dialog = AgreementDialog(self.services, self.tasks, agreement_id=agreement_id,
                                     parent=self)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.refresh()
            return
        self._run_dialog(dialog)

    def open_selected(self) -> None:
        a = self.selected_agreement()
        if a is not None:
            self.open_agreement(a.id)

    def new_agreement(self, *, project_id: int | None = None,
                      organisation_id: int | None = None) -> None:
        """A new draft: for a project (its organisation, else its holder), an organisation,
        or, with neither, the occupant asked first."""
        if not self.may_write:
            return
        person_id = None
        if project_id is None and organisation_id is None:
            picker = OccupantPicker(self.services, self.tasks, parent=self)
            chosen = picker.chosen if picker.exec() else None
            dispose(picker)
            if chosen is None:
                return
            organisation_id, person_id, _name = chosen
        try:
            draft = self.services.agreements.new_draft(
                organisation_id=organisation_id, person_id=person_id, project_id=project_id)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        self._run_dialog(AgreementDialog(self.services, self.tasks, draft=draft, parent=self))

    def renew(self, agreement_id: int) -> None:
        try:
            draft = self.services.agreements.follow_up_draft(agreement_id=agreement_id,
                                                             link=AgreementLink.RENEWAL)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        self._run_dialog(AgreementDialog(self.services, self.tasks, draft=draft, parent=self))

    def print_selected(self) -> None:
        a = self.selected_agreement()
        if a is None:
            return
        agreements = self.services.agreements
        self.print_button.setEnabled(False)

        def shown(result) -> None:
            self._update_buttons()
            filename, content = result
            title = (_("Convention {number}") if a.document_id is not None
                     else _("Convention {number} (projet)")).format(number=a.number)
            self.last_preview = show_pdf(self, content, title=title, filename=filename)

        def failed(exc: BaseException) -> None:
            self._update_buttons()
            messages.show_error(self, exc)

        self.tasks.run(lambda: agreements.pdf(agreement_id=a.id),
                       on_success=guarded(self, shown), on_error=guarded(self, failed))

    def issue_attestation(self, domiciliation: bool) -> None:
        a = self.selected_agreement()
        if a is None or not self.may_write:
            return
        agreements = self.services.agreements

        def shown(result) -> None:
            document, content = result
            self.last_preview = show_pdf(self, content, title=_("{kind} — {number}").format(
                kind=document.kind.label, number=document.number), filename=document.filename)
            self.banner.setText(_("{kind} {number} délivrée à {occupant} et archivée.").format(
                kind=document.kind.label, number=document.number, occupant=a.occupant_name))
            self.banner.setVisible(True)

        self.tasks.run(lambda: agreements.attestation(agreement_id=a.id,
                                                      domiciliation=domiciliation),
                       on_success=guarded(self, shown),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)))

    def domiciliation_list(self) -> None:
        dialog = DomiciliationListDialog(self.services, self.tasks, parent=self)
        dialog.exec()
        dispose(dialog)
