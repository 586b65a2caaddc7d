"""The « Ateliers » screen: the PTCE's workshops, their sessions, who registered.

On top, the sessions that are over and whose attendance is not recorded yet (hidden when
there are none): each line names the workshop, the days, the place and the participants;
clicking it shows the session, « Émargement… » opens its attendance.

Tab « Ateliers »: the workshops (a search on the title or the facilitator, accents ignored;
the axis; « Inactifs aussi »), « Nouvel atelier… » (Ctrl+N), Enter or a double-click opens
one. Under the list, the sessions of the chosen workshop (the past ones in grey) with
« Nouvelle séance… » (Ctrl+Maj+N), « Modifier la séance… » (Enter), « Supprimer la
séance… » (Suppr, after a confirmation), « Émargement… » (Ctrl+E), « Feuille d'émargement
(PDF)… » (Ctrl+P) and « Attestations (PDF)… »; beside them, the chosen session's
registrations — the registered ones by name, then the waiting list in order — with
« Inscrire… » (Ctrl+I) and « Désinscrire… » (Suppr in the list, after a confirmation; the
screen says who takes the place freed). A session that is over takes no registration
here: the people who came without registering are added in its attendance.

Tab « Séances à venir »: every session from today on, by date, with the same actions.
Tab « Chiffres »: the figures funders ask for (hours attended, participants, rates).

Lists load through the task runner; writes call the service on the GUI thread, as the
other screens do; the screen loads again when it is shown (another desk may have
registered someone). F5 reloads, Ctrl+F goes to the search."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import RegistrationStatus, WorkshopAxis
from maison_app.domain.errors import MaisonError
from maison_app.domain.permissions import Access, Area
from maison_app.domain.text import search_key
from maison_app.domain.workshops import (
    RegistrationRecord,
    SessionRecord,
    WorkshopRecord,
)
from maison_app.i18n import PARIS, _, ngettext
from maison_app.services.permissions import can
from maison_app.ui import messages
from maison_app.ui.alert_panel import AlertPanel, link_label
from maison_app.ui.common import guarded, today
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import (
    Column,
    RecordTableModel,
    enter_table,
    record_table,
    select_record,
    selected_record,
)
from maison_app.views.workshops.session_dialog import (
    RegistrationDialog,
    SessionDialog,
    days_text,
    half_days_text,
    minutes_text,
    place_text,
    places_text,
    session_over,
    session_started,
)
from maison_app.views.workshops.workshop_dialog import (
    WorkshopDialog,
    facilitator_text,
    price_text,
)

SEARCH_DELAY_MS = 250
NOTE_STYLE = "color: #555;"
NOTICE_STYLE = ("#workshopsNotice { background: #e3f1e8; border: 1px solid #9cc8ab; "
                "border-radius: 4px; padding: 6px 8px; }")
SECTION_STYLE = "font-weight: 600; font-size: 14px;"
PAST_TEXT = "#8a8a8a"
DONE_COLOUR = "#1e6b3a"
TODO_COLOUR = "#a35200"
WAITING_COLOUR = "#8a5a00"
UNRECORDED_MAX_HEIGHT = 96  # about three lines; more scroll
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter


# --- what tests replace ----------------------------------------------------------------------


def run_dialog(dialog: QDialog) -> bool:
    """A dialog of the screen (tests replace it to drive the dialog themselves)."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def show_pdf(parent: QWidget, content: bytes, *, title: str, filename: str) -> QDialog:
    """The PDF preview (print, save, open in the PDF reader)."""
    from maison_app.ui.pdf_preview import PdfPreviewDialog

    dialog = PdfPreviewDialog(content, title=title, suggested_filename=filename, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def dispose(dialog: QDialog) -> None:
    dialog.setParent(None)
    dialog.deleteLater()


def _button(label: str, slot, name: str | None = None, tip: str = "") -> QPushButton:
    button = QPushButton(label)
    button.setAccessibleName(name or label.rstrip("…"))
    button.setAutoDefault(False)
    if tip:
        button.setToolTip(tip)
    button.clicked.connect(lambda _c=False: slot())
    return button


def _section(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(SECTION_STYLE)
    label.setAccessibleName(name)
    label.setWordWrap(True)
    return label


def _note(name: str) -> QLabel:
    label = QLabel()
    label.setStyleSheet(NOTE_STYLE)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    return label


def _now(services) -> dt.datetime:
    return services.ctx.now().astimezone(PARIS)


# --- texts ---------------------------------------------------------------------------------------


def attendance_state(s: SessionRecord, now: dt.datetime) -> str:
    """« ✓ émargée », « à émarger », « en cours », « à venir »."""
    if s.attendance_recorded:
        return _("✓ émargée")
    if session_over(s, now):
        return _("à émarger") if s.registered else _("personne d'inscrit")
    if session_started(s, now):
        return _("en cours")
    return _("à venir")


def registration_status_text(r: RegistrationRecord) -> str:
    if r.status is RegistrationStatus.WAITING:
        return _("En attente (n° {n})").format(n=r.position or "?")
    if r.walk_in:
        return _("Inscrit·e (venu·e sur place)")
    return r.status.label


def unrecorded_line(s: SessionRecord) -> str:
    """« « Circuits courts » — jeudi 19 novembre 2026 — Salle Sèvre — 8 inscrit·es »."""
    return _("« {title} » — {days} — {place} — {people}").format(
        title=s.workshop_title, days=days_text(h.day for h in s.half_days),
        place=place_text(s), people=ngettext("{n} inscrit·e", "{n} inscrit·es",
                                             s.registered).format(n=s.registered))


# --- table models -------------------------------------------------------------------------------


class _WorkshopsModel(RecordTableModel[WorkshopRecord]):
    """The workshops no longer offered in grey italics."""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and not self.record(index.row()).active:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(PAST_TEXT))
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
        return super().data(index, role)


class _SessionsModel(RecordTableModel[SessionRecord]):
    """Past sessions in grey; the attendance column in colour."""

    def __init__(self, columns, attendance_column: int, parent=None) -> None:
        super().__init__(columns, parent=parent)
        self.now = dt.datetime.now(PARIS)
        self.attendance_column = attendance_column

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.ForegroundRole,
                                        Qt.ItemDataRole.FontRole):
            s = self.record(index.row())
            over = session_over(s, self.now)
            if index.column() == self.attendance_column:
                if s.attendance_recorded:
                    colour, bold = DONE_COLOUR, False
                elif over and s.registered:
                    colour, bold = TODO_COLOUR, True
                else:
                    colour, bold = (PAST_TEXT if over else "#555555"), False
                if role == Qt.ItemDataRole.ForegroundRole:
                    return QBrush(QColor(colour))
                if bold:
                    font = QFont()
                    font.setBold(True)
                    return font
                return None
            if role == Qt.ItemDataRole.ForegroundRole and over:
                return QBrush(QColor(PAST_TEXT))
            return None
        return super().data(index, role)


class _RegistrationsModel(RecordTableModel[RegistrationRecord]):
    """The waiting list in brown."""

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if (index.isValid() and role == Qt.ItemDataRole.ForegroundRole
                and self.record(index.row()).status is RegistrationStatus.WAITING):
            return QBrush(QColor(WAITING_COLOUR))
        return super().data(index, role)


# --- the registrations of a session --------------------------------------------------------------


class RegistrationsPanel(QWidget):
    """The chosen session's registrations, with « Inscrire… » and « Désinscrire… ».
    `changed(message)` after a write."""

    changed = Signal(str)
    loaded = Signal()

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.session: SessionRecord | None = None
        self.may_write = can(services.ctx.actor, Area.WORKSHOPS, Access.WRITE)
        self.title = _section(_("Inscriptions"), _("Inscriptions de la séance"))
        self.places = QLabel()
        self.places.setAccessibleName(_("Places de la séance"))
        self.places.setWordWrap(True)
        columns = [
            Column(_("Nom"), lambda r: r.name),
            Column(_("Statut"), registration_status_text),
            Column(_("E-mail"), lambda r: r.email or ""),
        ]
        self.model = _RegistrationsModel(columns)
        self.table, _proxy = record_table(_("Inscriptions"), self.model, sortable=False,
                                          proxy=False, widths=(160, 120))
        self.table.installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.update_buttons())
        self.empty = _note(_("Aucune inscription"))
        self.over_note = _note(_("Séance terminée"))
        self.over_note.setText(_("Séance terminée : les inscriptions sont closes. Les "
                                 "personnes venues sans inscription s'ajoutent dans "
                                 "l'émargement."))
        self.over_note.setVisible(False)
        self.register_button = _button(_("Inscrire…"), self.register, _("Inscrire"),
                                       _("Une personne de la maison ou une personne "
                                         "extérieure (Ctrl+I)"))
        self.unregister_button = _button(_("Désinscrire…"), self.unregister, _("Désinscrire"),
                                         _("Après confirmation ; la première personne en "
                                           "liste d'attente prend la place (Suppr)"))
        for b in (self.register_button, self.unregister_button):
            b.setVisible(self.may_write)
        buttons = QHBoxLayout()
        buttons.addWidget(self.register_button)
        buttons.addWidget(self.unregister_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.places)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.over_note)
        layout.addLayout(buttons)
        self.set_session(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Delete):
            self.unregister()
            return True
        return super().eventFilter(watched, event)

    def over(self) -> bool:
        return self.session is not None and session_over(self.session, _now(self.services))

    def set_session(self, session: SessionRecord | None) -> None:
        """Show `session`'s registrations (loaded), or nothing."""
        same = (session is not None and self.session is not None
                and session.id == self.session.id)
        self.session = session
        if session is None:
            self.title.setText(_("Inscriptions"))
            self.places.setText(_("Choisissez une séance pour voir ses inscriptions."))
            self.places.setStyleSheet(NOTE_STYLE)
            self.model.set_records([])
            self.empty.setVisible(False)
            self.over_note.setVisible(False)
            self.update_buttons()
            return
        self.title.setText(_("Inscriptions — {days}").format(
            days=days_text(h.day for h in session.half_days)))
        self.places.setText(places_text(session))
        self.places.setStyleSheet("font-weight: 600; color: #a35200;"
                                  if session.free_places == 0 else "")
        if not same:
            self.model.set_records([])
        self.over_note.setVisible(self.over())
        self.update_buttons()
        self.load()

    def load(self) -> None:
        if self.session is None:
            return
        session_id = self.session.id
        workshops = self.services.workshops
        self.tasks.run(lambda: (session_id, workshops.registrations(session_id=session_id)),
                       on_success=guarded(self, self._show),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"registrations-{id(self)}")

    def _show(self, result) -> None:
        session_id, records = result
        if self.session is None or self.session.id != session_id:
            return
        keep = self.selected()
        self.model.set_records(records)
        if keep is not None:
            select_record(self.table, self.model, lambda r: r.id == keep.id)
        self.empty.setText(_("Personne n'est encore inscrit."))
        self.empty.setVisible(not records)
        self.update_buttons()
        self.loaded.emit()

    def selected(self) -> RegistrationRecord | None:
        return selected_record(self.table, self.model)

    def select_name(self, name: str) -> bool:
        return select_record(self.table, self.model, lambda r: r.name == name)

    def names(self, status: RegistrationStatus | None = None) -> list[str]:
        return [r.name for r in self.model.records() if status is None or r.status is status]

    def update_buttons(self) -> None:
        has = self.session is not None
        over = self.over()
        self.register_button.setEnabled(has and not over)
        self.unregister_button.setEnabled(has and not over and self.selected() is not None)
        if over:
            tip = _("Séance terminée : ajoutez les personnes venues dans l'émargement.")
            self.register_button.setToolTip(tip)
            self.unregister_button.setToolTip(tip)
        else:
            self.register_button.setToolTip(_("Une personne de la maison ou une personne "
                                              "extérieure (Ctrl+I)"))
            self.unregister_button.setToolTip(_("Après confirmation ; la première personne "
                                                "en liste d'attente prend la place (Suppr)"))

    # --- actions ---

    def register(self) -> None:
        if self.session is None or self.over() or not self.may_write:
            return
        dialog = RegistrationDialog(self.services, self.tasks, session=self.session,
                                    parent=self)
        self.last_dialog = dialog
        accepted = run_dialog(dialog)
        message = dialog.done_message
        self.last_dialog = None
        dispose(dialog)
        if accepted:
            self.changed.emit(message)

    def unregister(self) -> None:
        r = self.selected()
        s = self.session
        if r is None or s is None or self.over() or not self.may_write:
            return
        days = days_text(h.day for h in s.half_days)
        if r.status is RegistrationStatus.WAITING:
            question = _("Retirer {name} de la liste d'attente de « {title} » ({days}) ?")
        else:
            question = _("Désinscrire {name} de « {title} » ({days}) ? Sa place revient à la "
                         "première personne en liste d'attente, s'il y en a une.")
        if not messages.confirm(self, question.format(name=r.name, title=s.workshop_title,
                                                      days=days),
                                title=_("Désinscrire"), yes=_("Désinscrire"),
                                no=_("Garder l'inscription"), destructive=True):
            return
        try:
            promoted = self.services.workshops.cancel_registration(registration_id=r.id)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.changed.emit("")
            return
        text = (_("{name} est retiré·e de la liste d'attente.") if r.status is
                RegistrationStatus.WAITING else _("{name} est désinscrit·e.")).format(name=r.name)
        if promoted is not None:
            text += " " + _("{name} passe de la liste d'attente aux inscrits.").format(
                name=promoted.name)
        self.changed.emit(text)


# --- sessions and their registrations -----------------------------------------------------------


class SessionsPanel(QWidget):
    """A list of sessions with their actions, and the chosen one's registrations beside it.
    With `workshop_column`, the list names each session's workshop (the upcoming sessions);
    without, it is one workshop's (and « Nouvelle séance… » is offered).
    `changed(message)` after a write: the screen loads everything again."""

    changed = Signal(str)
    loaded = Signal()
    attendance_requested = Signal(int)

    def __init__(self, services, tasks, *, workshop_column: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.workshop: WorkshopRecord | None = None
        self.workshop_column = workshop_column
        self.may_write = can(services.ctx.actor, Area.WORKSHOPS, Access.WRITE)
        self._select_id: int | None = None
        self.last_preview = None
        self._build()

    def _build(self) -> None:
        columns: list[Column[SessionRecord]] = []
        if self.workshop_column:
            columns.append(Column(_("Atelier"), lambda s: s.workshop_title))
        columns += [
            Column(_("Dates"), lambda s: days_text((h.day for h in s.half_days), short=True),
                   sort_key=lambda s: (s.first_day, s.id),
                   tooltip=lambda s: days_text(h.day for h in s.half_days)),
            Column(_("Demi-journées"), lambda s: half_days_text(s.half_days),
                   tooltip=lambda s: "\n".join(_half_day_tip(h) for h in s.half_days)
                   + "\n" + _("Durée : {hours}").format(hours=minutes_text(s.minutes))),
            Column(_("Lieu"), place_text),
            Column(_("Inscrits"), lambda s: f"{s.registered} / {s.capacity}",
                   sort_key=lambda s: s.registered, align=_CENTER,
                   tooltip=places_text),
            Column(_("Attente"), lambda s: str(s.waiting) if s.waiting else "",
                   sort_key=lambda s: s.waiting, align=_CENTER),
        ]
        attendance_column = len(columns)
        columns.append(Column(_("Émargement"), lambda s: attendance_state(s, self.model.now)))
        self.model = _SessionsModel(columns, attendance_column)
        widths = ((210, 150, 160, 120, 60, 56) if self.workshop_column
                  else (175, 185, 160, 65, 60))
        self.table, _proxy = record_table(_("Séances"), self.model, sortable=False, proxy=False,
                                          widths=widths)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(lambda _i: self.edit_session())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection())
        self.title = _section(_("Séances"), _("Titre des séances"))
        self.empty = _note(_("Aucune séance"))

        self.new_button = _button(_("Nouvelle séance…"), self.new_session, _("Nouvelle séance"),
                                  _("Une séance de l'atelier choisi, dans une salle "
                                    "(Ctrl+Maj+N)"))
        self.new_button.setVisible(not self.workshop_column and self.may_write)
        self.edit_button = _button(_("Modifier la séance…"), self.edit_session,
                                   _("Modifier la séance"), _("Entrée ou double-clic"))
        self.delete_button = _button(_("Supprimer la séance…"), self.delete_session,
                                     _("Supprimer la séance"),
                                     _("Après confirmation ; la salle est libérée (Suppr)"))
        self.attendance_button = _button(_("Émargement…"), self.open_attendance,
                                         _("Émargement"),
                                         _("Les présences par demi-journée (Ctrl+E)"))
        self.sheet_button = _button(_("Feuille d'émargement (PDF)…"), self.sign_in_sheet,
                                    _("Feuille d'émargement (PDF)"),
                                    _("À faire signer par demi-journée ; numérotée et archivée "
                                      "(Ctrl+P)"))
        self.certificates_button = _button(_("Attestations (PDF)…"), self.certificates,
                                           _("Attestations (PDF)"),
                                           _("Une attestation de présence par participant "
                                             "venu ; archivées"))
        for b in (self.edit_button, self.delete_button, self.attendance_button,
                  self.certificates_button):
            b.setVisible(self.may_write)
        row1 = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.delete_button):
            row1.addWidget(b)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        for b in (self.attendance_button, self.sheet_button, self.certificates_button):
            row2.addWidget(b)
        row2.addStretch(1)

        left = QWidget()
        v = QVBoxLayout(left)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.title)
        v.addWidget(self.table, 1)
        v.addWidget(self.empty)
        v.addLayout(row1)
        v.addLayout(row2)

        self.registrations = RegistrationsPanel(self.services, self.tasks)
        self.registrations.changed.connect(self.changed)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.registrations)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([880 if self.workshop_column else 780, 420])
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.update_buttons()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.edit_session()
                return True
            if event.key() == Qt.Key.Key_Delete:
                self.delete_session()
                return True
        return super().eventFilter(watched, event)

    # --- content ---

    def set_workshop(self, workshop: WorkshopRecord | None) -> None:
        self.workshop = workshop
        self.title.setText(_("Séances de « {title} »").format(title=workshop.title)
                           if workshop is not None else _("Séances"))
        self.update_buttons()

    def show_sessions(self, records, now: dt.datetime) -> None:
        keep = self._select_id
        if keep is None:
            current = self.selected()
            keep = current.id if current is not None else None
        self._select_id = None
        self.model.now = now
        self.table.selectionModel().blockSignals(True)
        self.model.set_records(records)
        self.table.selectionModel().blockSignals(False)
        if keep is None or not self.select_session(keep):
            # the next session (else the last one): what the desk asks about
            coming = [r for r in records if not session_over(r, now)]
            default = coming[0] if coming else (records[-1] if records else None)
            if default is None or not self.select_session(default.id):
                self._selection()
        if records:
            self.empty.setVisible(False)
        else:
            if self.workshop_column:
                self.empty.setText(_("Aucune séance à venir."))
            elif self.workshop is None:
                self.empty.setText(_("Choisissez un atelier pour voir ses séances."))
            else:
                self.empty.setText(_("Aucune séance. « Nouvelle séance… » (Ctrl+Maj+N) la "
                                     "programme et réserve la salle.") if self.may_write
                                   else _("Aucune séance."))
            self.empty.setVisible(True)
        self.loaded.emit()

    def keep_selection(self, session_id: int | None) -> None:
        """The session to select once the list is loaded again."""
        self._select_id = session_id

    def select_session(self, session_id: int) -> bool:
        found = select_record(self.table, self.model, lambda s: s.id == session_id)
        if found:
            self._selection()
        return found

    def selected(self) -> SessionRecord | None:
        return selected_record(self.table, self.model)

    def _selection(self) -> None:
        self.registrations.set_session(self.selected())
        self.update_buttons()

    def update_buttons(self) -> None:
        s = self.selected()
        now = _now(self.services)
        w = self.workshop
        self.new_button.setEnabled(w is not None and w.active)
        self.new_button.setToolTip(
            _("Choisissez d'abord un atelier.") if w is None else
            _("Une séance de « {title} », dans une salle (Ctrl+Maj+N)").format(title=w.title)
            if w.active else
            _("« {title} » n'est plus proposé : cochez « Proposé » dans l'atelier pour en "
              "programmer une séance.").format(title=w.title))
        chosen = s is not None
        hint = _("Choisissez d'abord une séance dans la liste.")
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen and not s.attendance_recorded)
        self.sheet_button.setEnabled(chosen)
        started = chosen and session_started(s, now)
        self.attendance_button.setEnabled(started)
        self.certificates_button.setEnabled(chosen and s.attendance_recorded)
        if not chosen:
            for b in (self.edit_button, self.delete_button, self.sheet_button,
                      self.attendance_button, self.certificates_button):
                b.setToolTip(hint)
            return
        self.edit_button.setToolTip(_("Entrée ou double-clic"))
        self.delete_button.setToolTip(
            _("Les présences sont enregistrées : la séance reste.") if s.attendance_recorded
            else _("Après confirmation ; la salle est libérée (Suppr)"))
        self.sheet_button.setToolTip(_("À faire signer par demi-journée ; numérotée et "
                                       "archivée (Ctrl+P)"))
        self.attendance_button.setToolTip(
            _("Les présences par demi-journée (Ctrl+E)") if started
            else _("L'émargement s'ouvre quand la séance a commencé."))
        self.certificates_button.setToolTip(
            _("Une attestation de présence par participant venu ; archivées")
            if s.attendance_recorded
            else _("Les attestations s'établissent une fois les présences enregistrées."))

    # --- actions ---

    def _run(self, dialog) -> tuple[bool, str, int | None]:
        self.last_dialog = dialog
        accepted = run_dialog(dialog)
        result = accepted, dialog.done_message, dialog.saved_id
        self.last_dialog = None
        dispose(dialog)
        return result

    def new_session(self) -> None:
        if self.workshop is None or not self.workshop.active or not self.may_write:
            return
        try:
            dialog = SessionDialog(self.services, self.tasks, workshop_id=self.workshop.id,
                                   parent=self)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        accepted, message, saved_id = self._run(dialog)
        if accepted:
            self._select_id = saved_id
            self.changed.emit(message)

    def edit_session(self) -> None:
        s = self.selected()
        if s is None or not self.may_write:
            return
        try:
            dialog = SessionDialog(self.services, self.tasks, session_id=s.id, parent=self)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.changed.emit("")
            return
        accepted, message, saved_id = self._run(dialog)
        if accepted:
            self._select_id = saved_id
            self.changed.emit(message)

    def delete_session(self) -> None:
        s = self.selected()
        if s is None or not self.may_write:
            return
        days = days_text(h.day for h in s.half_days)
        people = s.registered + s.waiting
        question = _("Supprimer la séance de « {title} » ({days}) ?").format(
            title=s.workshop_title, days=days)
        if s.space_id is not None:
            question += " " + _("La réservation de « {room} » est annulée.").format(
                room=s.space_name)
        if people:
            question += " " + ngettext("Son inscription est supprimée : prévenez la personne.",
                                       "Ses {n} inscriptions sont supprimées : prévenez les "
                                       "personnes.", people).format(n=people)
        if not messages.confirm(self, question, title=_("Supprimer la séance"),
                                yes=_("Supprimer la séance"), no=_("Garder la séance"),
                                destructive=True):
            return
        try:
            self.services.workshops.delete_session(session_id=s.id)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        self.changed.emit(_("Séance de « {title} » du {days} supprimée.").format(
            title=s.workshop_title, days=days) + (
            " " + _("Réservation annulée : {room}.").format(room=s.space_name)
            if s.space_id is not None else ""))

    def open_attendance(self) -> None:
        s = self.selected()
        if s is None or not session_started(s, _now(self.services)):
            return
        self.attendance_requested.emit(s.id)

    def sign_in_sheet(self) -> None:
        s = self.selected()
        if s is None:
            return
        workshops = self.services.workshops
        self.sheet_button.setEnabled(False)

        def shown(result) -> None:
            self.update_buttons()
            document, content = result
            self.last_preview = show_pdf(self, content, title=_(
                "Feuille d'émargement {number} — {title}").format(
                number=document.number, title=s.workshop_title), filename=document.filename)
            self.changed.emit(_("Feuille d'émargement {number} archivée.").format(
                number=document.number))

        def failed(exc: BaseException) -> None:
            self.update_buttons()
            messages.show_error(self, exc)

        self.tasks.run(lambda: workshops.sign_in_sheet(session_id=s.id),
                       on_success=guarded(self, shown), on_error=guarded(self, failed))

    def certificates(self) -> None:
        s = self.selected()
        if s is None or not s.attendance_recorded:
            return
        workshops = self.services.workshops
        self.certificates_button.setEnabled(False)

        def shown(result) -> None:
            self.update_buttons()
            document, content = result
            self.last_preview = show_pdf(self, content, title=_(
                "Attestations de présence {number} — {title}").format(
                number=document.number, title=s.workshop_title), filename=document.filename)
            self.changed.emit(_("Attestations de présence {number} archivées.").format(
                number=document.number))

        def failed(exc: BaseException) -> None:
            self.update_buttons()
            messages.show_error(self, exc)

        self.tasks.run(lambda: workshops.certificates(session_id=s.id),
                       on_success=guarded(self, shown), on_error=guarded(self, failed))


def _half_day_tip(h) -> str:
    from maison_app.views.workshops.session_dialog import half_day_line

    return half_day_line(h)


# --- tab « Ateliers » ------------------------------------------------------------------------------


class WorkshopsTab(QWidget):
    """The workshops, the chosen one's sessions and the chosen session's registrations."""

    changed = Signal(str)
    workshops_loaded = Signal()

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.may_write = can(services.ctx.actor, Area.WORKSHOPS, Access.WRITE)
        self._select_id: int | None = None
        self.ever_loaded = False
        self.next_sessions: dict[int, SessionRecord] = {}
        self._build()

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setAccessibleName(_("Rechercher un atelier"))
        self.search.setPlaceholderText(_("Rechercher un titre, un·e animateur·rice…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.load)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.installEventFilter(self)
        self.axis = QComboBox()
        self.axis.setAccessibleName(_("Axe"))
        self.axis.addItem(_("Tous les axes"), None)
        for axis in WorkshopAxis:
            self.axis.addItem(axis.label, axis.value)
        self.axis.currentIndexChanged.connect(lambda _i: self.load())
        self.inactive = QCheckBox(_("Inactifs aussi"))
        self.inactive.setAccessibleName(_("Inactifs aussi"))
        self.inactive.setToolTip(_("Montrer aussi les ateliers qui ne sont plus proposés"))
        self.inactive.toggled.connect(lambda _on: self.load())
        self.count = QLabel()
        self.count.setAccessibleName(_("Nombre d'ateliers"))
        self.count.setStyleSheet(NOTE_STYLE)
        self.new_button = _button(_("Nouvel atelier…"), self.new_workshop, _("Nouvel atelier"),
                                  _("Ctrl+N"))
        self.edit_button = _button(_("Modifier l'atelier…"), self.edit_workshop,
                                   _("Modifier l'atelier"), _("Entrée ou double-clic"))
        self.delete_button = _button(_("Supprimer l'atelier…"), self.delete_workshop,
                                     _("Supprimer l'atelier"),
                                     _("Un atelier sans séance ; un atelier qui en a se retire "
                                       "de la liste (« Proposé » décoché)"))
        for b in (self.new_button, self.edit_button, self.delete_button):
            b.setVisible(self.may_write)
        filters = QHBoxLayout()
        filters.addWidget(self.search)
        filters.addWidget(self.axis)
        filters.addWidget(self.inactive)
        filters.addWidget(self.count)
        filters.addStretch(1)
        filters.addWidget(self.new_button)
        filters.addWidget(self.edit_button)
        filters.addWidget(self.delete_button)

        columns = [
            Column(_("Titre"), lambda w: w.title if w.active else _("{title} (inactif)").format(
                title=w.title), sort_key=lambda w: search_key(w.title),
                tooltip=lambda w: w.description or w.title),
            Column(_("Axe"), lambda w: w.axis.label, sort_key=lambda w: search_key(w.axis.label)),
            Column(_("Animé par"), lambda w: facilitator_text(w.facilitator),
                   sort_key=lambda w: search_key(w.facilitator.name)),
            Column(_("Places"), lambda w: str(w.capacity), sort_key=lambda w: w.capacity,
                   align=_CENTER),
            Column(_("Prix"), lambda w: price_text(w.price_cents),
                   sort_key=lambda w: w.price_cents, align=_RIGHT),
            Column(_("Séances"), lambda w: str(w.sessions), sort_key=lambda w: w.sessions,
                   align=_CENTER),
            Column(_("Prochaine séance"), self._next_text,
                   sort_key=lambda w: self._next_key(w), tooltip=self._next_tip),
        ]
        self.model = _WorkshopsModel(columns)
        self.table, _proxy = record_table(_("Ateliers"), self.model,
                                          widths=(330, 230, 210, 60, 80, 65))
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(lambda _i: self.edit_workshop())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection())
        self.empty = _note(_("Aucun atelier"))

        self.sessions = SessionsPanel(self.services, self.tasks, workshop_column=False)
        self.sessions.changed.connect(self.changed)

        top = QWidget()
        v = QVBoxLayout(top)
        v.setContentsMargins(0, 0, 0, 0)
        v.addLayout(filters)
        v.addWidget(self.table, 1)
        v.addWidget(self.empty)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.sessions)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(splitter)
        self._update_buttons()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if watched is self.table and enter:
                self.edit_workshop()
                return True
            if watched is self.table and key == Qt.Key.Key_Delete:
                self.delete_workshop()
                return True
            if watched is self.search and enter:
                self._search_timer.stop()
                self.load()
                return True
            if watched is self.search and key == Qt.Key.Key_Down and self.model.rowCount():
                enter_table(self.table)
                return True
        return super().eventFilter(watched, event)

    # --- loading ---

    def _next_text(self, w: WorkshopRecord) -> str:
        s = self.next_sessions.get(w.id)
        if s is None:
            return "—"
        return _("{days} · {places}").format(
            days=days_text((h.day for h in s.half_days), short=True),
            places=_("complet") if s.free_places == 0 else ngettext(
                "{n} place libre", "{n} places libres", s.free_places).format(n=s.free_places))

    def _next_key(self, w: WorkshopRecord):
        s = self.next_sessions.get(w.id)
        return (s is None, s.first_day if s is not None else dt.date.max)

    def _next_tip(self, w: WorkshopRecord) -> str:
        s = self.next_sessions.get(w.id)
        if s is None:
            return _("Aucune séance à venir")
        return "\n".join((days_text(h.day for h in s.half_days), place_text(s),
                          places_text(s)))

    def _filters(self) -> dict:
        axis = self.axis.currentData()
        return {"query": self.search.text(),
                "axis": WorkshopAxis(axis) if axis is not None else None,
                "active_only": not self.inactive.isChecked()}

    def refresh(self) -> None:
        self.load()

    def load(self) -> None:
        self._search_timer.stop()
        workshops = self.services.workshops
        filters = self._filters()
        day = today(self.services)

        def load():
            return (filters, workshops.workshops(**filters),
                    workshops.sessions(start=day))

        self.tasks.run(load, on_success=guarded(self, self._show),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"workshops-{id(self)}")

    def _show(self, result) -> None:
        filters, records, upcoming = result
        if filters != self._filters():
            return
        self.ever_loaded = True
        now = _now(self.services)
        self.next_sessions = {}
        for s in upcoming:  # by first day: the first one not over of each workshop
            if s.workshop_id not in self.next_sessions and not session_over(s, now):
                self.next_sessions[s.workshop_id] = s
        keep = self._select_id
        if keep is None:
            current = self.selected()
            keep = current.id if current is not None else None
        self._select_id = None
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.model.set_records(records)
        found = keep is not None and select_record(self.table, self.model,
                                                   lambda w: w.id == keep)
        if not found and records and keep is None:
            self.table.selectRow(0)
        selection.blockSignals(False)
        self.table.viewport().update()
        self._selection(reload=True)
        n = len(records)
        self.count.setText(ngettext("{n} atelier", "{n} ateliers", n).format(n=n))
        if n:
            self.empty.setVisible(False)
        else:
            filtered = (bool(self.search.text().strip()) or self.axis.currentIndex() > 0)
            self.empty.setText(
                _("Aucun atelier ne correspond à ces filtres.") if filtered else
                _("Aucun atelier. « Nouvel atelier… » (Ctrl+N) crée le premier.")
                if self.may_write else _("Aucun atelier."))
            self.empty.setVisible(True)
        self.workshops_loaded.emit()

    def select_workshop(self, workshop_id: int) -> bool:
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        found = select_record(self.table, self.model, lambda w: w.id == workshop_id)
        selection.blockSignals(False)
        self.table.viewport().update()
        if found:
            self._selection(reload=True)
        return found

    def selected(self) -> WorkshopRecord | None:
        return selected_record(self.table, self.model)

    def _selection(self, reload: bool = False) -> None:
        w = self.selected()
        previous = self.sessions.workshop
        self.sessions.set_workshop(w)
        self._update_buttons()
        if w is None:
            self.sessions.show_sessions([], _now(self.services))
            return
        if reload or previous is None or previous.id != w.id:
            self.load_sessions()

    def load_sessions(self) -> None:
        w = self.selected()
        if w is None:
            return
        workshops = self.services.workshops
        services = self.services

        def load():
            return w.id, _now(services), workshops.sessions(workshop_id=w.id)

        self.tasks.run(load, on_success=guarded(self, self._show_sessions),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"workshop-sessions-{id(self)}")

    def _show_sessions(self, result) -> None:
        workshop_id, now, records = result
        current = self.selected()
        if current is None or current.id != workshop_id:
            return
        self.sessions.show_sessions(records, now)

    def show_session(self, workshop_id: int, session_id: int) -> None:
        """Select a workshop's session (from the banner): the filters let it show."""
        self.sessions.keep_selection(session_id)
        if self.select_workshop(workshop_id):
            return
        self._select_id = workshop_id
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.axis.blockSignals(True)
        self.axis.setCurrentIndex(0)
        self.axis.blockSignals(False)
        self.inactive.blockSignals(True)
        self.inactive.setChecked(True)
        self.inactive.blockSignals(False)
        self.load()

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- actions ---

    def _run(self, dialog: WorkshopDialog) -> None:
        self.last_dialog = dialog
        accepted = run_dialog(dialog)
        message, saved_id = dialog.done_message, dialog.saved_id
        self.last_dialog = None
        dispose(dialog)
        if accepted:
            self._select_id = saved_id
            self.changed.emit(message)

    def new_workshop(self) -> None:
        if self.may_write:
            self._run(WorkshopDialog(self.services, self.tasks, parent=self))

    def edit_workshop(self) -> None:
        w = self.selected()
        if w is None or not self.may_write:
            return
        try:
            dialog = WorkshopDialog(self.services, self.tasks, workshop_id=w.id, parent=self)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.load()
            return
        self._run(dialog)

    def delete_workshop(self) -> None:
        w = self.selected()
        if w is None or not self.may_write:
            return
        if not messages.confirm(self, _("Supprimer l'atelier « {title} » ?").format(
                title=w.title), title=_("Supprimer l'atelier"), yes=_("Supprimer l'atelier"),
                no=_("Garder l'atelier"), destructive=True):
            return
        try:
            self.services.workshops.delete_workshop(workshop_id=w.id)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        self.changed.emit(_("Atelier « {title} » supprimé.").format(title=w.title))


# --- tab « Séances à venir » ------------------------------------------------------------------------


class UpcomingTab(QWidget):
    """Every session from today on, by date, with the same actions."""

    changed = Signal(str)

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.sessions = SessionsPanel(services, tasks, workshop_column=True)
        self.sessions.title.setText(_("Séances à partir d'aujourd'hui"))
        self.sessions.changed.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.sessions)

    def refresh(self) -> None:
        workshops = self.services.workshops
        services = self.services

        def load():
            return _now(services), workshops.sessions(start=today(services))

        self.tasks.run(load, on_success=guarded(self, self._show),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"upcoming-{id(self)}")

    def _show(self, result) -> None:
        now, records = result
        self.sessions.show_sessions(records, now)


# --- the screen ---------------------------------------------------------------------------------


class WorkshopsScreen(QWidget):
    """Needs the app's `Services` and the shared `TaskRunner`."""

    unrecorded_loaded = Signal()

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.may_write = can(services.ctx.actor, Area.WORKSHOPS, Access.WRITE)
        self._unrecorded: tuple[SessionRecord, ...] = ()
        self.last_attendance = None
        self.setAccessibleName(_("Ateliers"))
        heading = QLabel(_("Ateliers"))
        heading.setStyleSheet("font-size: 20px; font-weight: 600;")

        self.notice = QLabel()
        self.notice.setObjectName("workshopsNotice")
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(_("Message des ateliers"))
        self.notice.setVisible(False)

        self._build_unrecorded()

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Parties des ateliers"))
        self.tabs.setDocumentMode(True)
        self.workshops = WorkshopsTab(services, tasks)
        self.upcoming = UpcomingTab(services, tasks)
        self.tabs.addTab(self.workshops, _("Ateliers"))
        self.tabs.addTab(self.upcoming, _("Séances à venir"))
        self.figures = None
        try:
            from maison_app.views.workshops.figures_tab import FiguresTab
        except ImportError:  # the figures come with their own module
            FiguresTab = None
        if FiguresTab is not None:
            self.figures = FiguresTab(services, tasks, self)
            self.tabs.addTab(self.figures, _("Chiffres"))
        for tab in (self.workshops, self.upcoming):
            tab.changed.connect(self._changed)
            tab.sessions.attendance_requested.connect(self.open_attendance)
        self.tabs.currentChanged.connect(self._shown)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.notice)
        layout.addWidget(self.unrecorded_panel)
        layout.addWidget(self.tabs, 1)

        add_shortcuts(self, [
            ("Ctrl+N", self.new_workshop),
            ("Ctrl+Shift+N", lambda: self.current_sessions()
             and self.current_sessions().new_session()),
            ("Ctrl+P", lambda: self.current_sessions()
             and self.current_sessions().sign_in_sheet()),
            ("Ctrl+E", lambda: self.current_sessions()
             and self.current_sessions().open_attendance()),
            ("Ctrl+I", lambda: self.current_sessions()
             and self.current_sessions().registrations.register()),
            (QKeySequence.StandardKey.Find, self.focus_search),
            (QKeySequence.StandardKey.Refresh, self.refresh),
        ])
        self.refresh()

    # --- the sessions to record ---

    def _build_unrecorded(self) -> None:
        self.unrecorded_panel = AlertPanel(title_name=_("Séances passées sans émargement"),
                                           max_height=UNRECORDED_MAX_HEIGHT, stretch_column=1)
        self.unrecorded_links: dict[int, QLabel] = {}

    def _show_unrecorded(self, sessions: tuple[SessionRecord, ...]) -> None:
        self._unrecorded = tuple(sessions)
        self.unrecorded_links = {}
        rows = []
        for s in self._unrecorded:
            line = unrecorded_line(s)
            link = link_label(line, str(s.id), lambda href: self.select_session(int(href)),
                              tooltip=_("Montrer cette séance"),
                              accessible_name=_("Montrer la séance : {line}").format(line=line))
            self.unrecorded_links[s.id] = link
            row = [link, None]
            if self.may_write:
                row.append(_button(_("Émargement…"), lambda i=s.id: self.open_attendance(i),
                                   _("Émarger : {line}").format(line=line),
                                   _("Noter les présences de cette séance")))
            rows.append(row)
        n = len(self._unrecorded)
        self.unrecorded_panel.set_rows(ngettext(
            "Séance passée sans émargement : {n} — notez les présences pour les attestations "
            "et les chiffres",
            "Séances passées sans émargement : {n} — notez les présences pour les attestations "
            "et les chiffres", n).format(n=n), rows)
        self.unrecorded_loaded.emit()

    def unrecorded_lines(self) -> list[str]:
        return [unrecorded_line(s) for s in self._unrecorded]

    def select_session(self, session_id: int) -> None:
        """Show a session of the banner in the « Ateliers » tab."""
        s = next((s for s in self._unrecorded if s.id == session_id), None)
        if s is None:
            try:
                s = self.services.workshops.session(session_id=session_id)
            except MaisonError as exc:
                messages.show_error(self, exc)
                return
        self.tabs.setCurrentWidget(self.workshops)
        self.workshops.show_session(s.workshop_id, s.id)
        self.workshops.sessions.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- tabs and loading ---

    def current_sessions(self) -> SessionsPanel | None:
        tab = self.tabs.currentWidget()
        return getattr(tab, "sessions", None)

    def _shown(self, index: int) -> None:
        tab = self.tabs.widget(index)
        if tab is not None and hasattr(tab, "refresh"):
            tab.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.workshops.ever_loaded and not event.spontaneous():
            self.refresh()  # back on the screen: another desk may have changed something

    def refresh(self) -> None:
        workshops = self.services.workshops
        self.tasks.run(workshops.unrecorded, on_success=guarded(self, self._show_unrecorded),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"unrecorded-{id(self)}")
        self._shown(self.tabs.currentIndex())

    def say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def notice_text(self) -> str:
        return self.notice.text() if not self.notice.isHidden() else ""

    def _changed(self, message: str) -> None:
        if message:
            self.say(message)
        sessions = self.current_sessions()
        if sessions is not None and sessions._select_id is None:
            current = sessions.selected()
            sessions.keep_selection(current.id if current is not None else None)
        self.refresh()

    # --- actions ---

    def new_workshop(self) -> None:
        self.tabs.setCurrentWidget(self.workshops)
        self.workshops.new_workshop()

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.workshops)
        self.workshops.focus_search()

    def open_attendance(self, session_id: int) -> None:
        """The attendance of a session (its own dialog); the lists again afterwards."""
        from maison_app.views.workshops.attendance_dialog import AttendanceDialog

        try:
            dialog = AttendanceDialog(self.services, session_id, self, tasks=self.tasks)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.refresh()
            return
        self.last_attendance = dialog
        run_dialog(dialog)
        self.last_attendance = None
        dispose(dialog)
        self.refresh()
