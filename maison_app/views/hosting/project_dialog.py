"""An accompanied project: the « Projet » tab (name, programme, stage, referent, entry, the
people who carry it, the organisation once created, and how it left the programme) and the
« Suivi » tab (its follow-up meetings, latest first).

How it behaves:
- « Enregistrer » (Enter in a field) saves the project and keeps the dialog open; a refused
  value is named under its field and what was typed stays.
- A new project has only its « Projet » tab until it is saved; « Suivi » opens then, on the
  same dialog, with a line saying so. Each meeting is written at once (its own small dialog).
- « Fermer » or Escape closes; unsaved changes are not dropped without asking. exec()
  returns Accepted when anything was saved (the project, a meeting); `saved_id` is then the
  project's id.

The rules (name required, programme, exit after entry…) are the service's: the dialog only
reads what was typed (dates jj/mm/aaaa, jobs « 1,5 ») and shows the service's refusals."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import ProjectOutcome, ProjectStage
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.domain.hosting import (
    STAY_WARNING_DAYS,
    FollowUpRecord,
    Holder,
    ProgrammeRecord,
    ProjectRecord,
)
from maison_app.domain.permissions import Access, Area, allowed
from maison_app.domain.text import MIN_QUERY_LENGTH
from maison_app.i18n import _, babel_locale, format_date, ngettext
from maison_app.ui import messages
from maison_app.ui.common import BANNER_STYLE, NOTE_STYLE, DateInput, guarded, today
from maison_app.ui.forms import FormErrors, dialog_buttons, show_error
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import Column, RecordTableModel, record_table
from maison_app.views.spaces.holders_list import HolderSearch

SEARCH_DELAY_MS = 200
PROJECT_TAB, FOLLOW_UP_TAB = 0, 1
PAST_COLOUR = "#b3261e"
NEAR_COLOUR = "#8a5a00"
OK_COLOUR = "#1e6b3a"

_FTE = re.compile(r"^\d+([.,]\d+)?$")


# --- jobs created, in hundredths of a full-time equivalent --------------------------------------


def parse_fte(text: str | None, *, field: str) -> int | None:
    """Hundredths of an FTE from « 1,5 », « 2 », « 0.25 »; None when empty; a French message
    next to `field` otherwise."""
    raw = re.sub(r"[\s\u00a0\u202f]", "", text or "")
    raw = re.sub(r"(?i)(etp|équivalents?temps?plein)$", "", raw)
    if not raw:
        return None
    if not _FTE.match(raw):
        raise ValidationError(_("Nombre d'emplois illisible : écrivez-le en équivalents temps "
                                "plein, par exemple 2 ou 1,5."), field=field)
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern above already refuses it
        raise ValidationError(_("Nombre d'emplois illisible."), field=field) from None
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("Les emplois se comptent au centième d'ETP près, par exemple "
                                "1,25."), field=field)
    return int(value * 100)


def fte_text(hundredths: int | None) -> str:
    """150 → « 1,5 », 200 → « 2 » (as typed, which parse_fte reads back)."""
    if hundredths is None:
        return ""
    from babel.numbers import format_decimal

    return format_decimal(Decimal(hundredths) / 100, format="0.##", locale=babel_locale())


def stay_text(max_months: int | None, entry: dt.date | None, day: dt.date
              ) -> tuple[str, str]:
    """The line under the entry date: « Durée maximale : 23 mois — jusqu'au 31 octobre 2027 »,
    and its colour (red when past, amber when near)."""
    if max_months is None:
        return _("Durée maximale : pas de limite pour ce programme."), "#555"
    months = ngettext("{n} mois", "{n} mois", max_months).format(n=max_months)
    if entry is None:
        return _("Durée maximale : {months}, à compter de la date d'entrée.").format(
            months=months), "#555"
    limit = ProjectRecord(id=None, name="", programme_id=0, entry_date=entry,
                          max_months=max_months).stay_limit
    text = _("Durée maximale : {months} — jusqu'au {day}").format(months=months,
                                                                 day=format_date(limit))
    if limit < day:
        return text + _(" (dépassée)"), PAST_COLOUR
    if (limit - day).days <= STAY_WARNING_DAYS:
        left = (limit - day).days
        return text + ngettext(" (dans {n} jour)", " (dans {n} jours)", left).format(
            n=left), NEAR_COLOUR
    return text, "#555"


def _button(label: str, slot, name: str | None = None) -> QPushButton:
    button = QPushButton(label)
    button.setAccessibleName(name or label.rstrip("…"))
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


def _text_edit(height: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


def _first_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return ""
    return lines[0] + (" …" if len(lines) > 1 else "")


# --- choosing the organisation -------------------------------------------------------------------


class OrganisationPicker(QDialog):
    """Search the organisations and choose one (Enter or double-click on it, or « Choisir »).
    After an accepted exec(), `chosen` is (id, name)."""

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = _("Choisir la structure du projet")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumSize(440, 420)
        self.chosen: tuple[int, str] | None = None
        intro = QLabel(_("La structure créée par le projet (association, SCOP, SAS…). Si elle "
                         "n'est pas encore dans la base, créez-la d'abord dans « Adhérents »."))
        intro.setWordWrap(True)
        intro.setStyleSheet(NOTE_STYLE)
        self.search = HolderSearch(services, tasks, self, draggable=False)
        self.search.activated.connect(lambda oid, name: self._choose(oid, name))
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {PAST_COLOUR};")
        self.error.setAccessibleName(_("Erreur du choix de la structure"))
        self.error.setVisible(False)
        buttons, self.ok_button = dialog_buttons(self, _("Choisir"), self.accept_choice)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept_choice(self) -> None:
        holder = self.search.chosen()
        if holder is None:
            self.error.setText(_("Choisissez une structure dans la liste."))
            self.error.setVisible(True)
            return
        self._choose(holder.organisation_id, holder.name)

    def _choose(self, organisation_id: int, name: str) -> None:
        self.chosen = (organisation_id, name)
        self.accept()


# --- a follow-up meeting -------------------------------------------------------------------------


class FollowUpDialog(QDialog):
    """A new follow-up meeting (`follow_up` None) or the changes to one. After an accepted
    exec(), `saved_id` is the meeting's id."""

    def __init__(self, services, *, project_id: int, project_name: str = "",
                 follow_up: FollowUpRecord | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.project_id = project_id
        self.follow_up = follow_up
        self.saved_id: int | None = None
        if follow_up is None:
            title = _("Nouveau rendez-vous de suivi")
        else:
            title = _("Rendez-vous du {day}").format(day=format_date(follow_up.date))
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(520)

        heading = QLabel(_("Projet « {name} »").format(name=project_name) if project_name
                         else "")
        heading.setStyleSheet("font-weight: 600;")
        heading.setVisible(bool(project_name))
        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.date = DateInput(_("Date du rendez-vous"),
                              follow_up.date if follow_up else today(services))
        self.errors.add_row(form, _("Date"), "date", self.date, _("Date du rendez-vous"))
        self.topic = QLineEdit(follow_up.topic if follow_up else "")
        self.topic.setMaxLength(200)
        self.topic.setPlaceholderText(_("par exemple : point sur le prévisionnel"))
        self.errors.add_row(form, _("Sujet *"), "topic", self.topic, _("Sujet"))
        self.notes = _text_edit(110)
        self.notes.setPlainText(follow_up.notes if follow_up else "")
        self.notes.setPlaceholderText(_("Ce qui s'est dit, les décisions"))
        self.errors.add_row(form, _("Notes"), "notes", self.notes, _("Notes du rendez-vous"))
        self.next_steps = _text_edit(80)
        self.next_steps.setPlainText(follow_up.next_steps if follow_up else "")
        self.next_steps.setPlaceholderText(_("Qui fait quoi d'ici le prochain rendez-vous"))
        self.errors.add_row(form, _("Prochaines étapes"), "next_steps", self.next_steps)
        buttons, self.ok_button = dialog_buttons(
            self, _("Ajouter le rendez-vous") if follow_up is None else _("Enregistrer"),
            self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(buttons)
        (self.topic if follow_up is None else self.date).setFocus(
            Qt.FocusReason.OtherFocusReason)

    def record(self) -> FollowUpRecord:
        day = self.date.date(field="date")
        if day is None:
            raise ValidationError(_("Indiquez la date du rendez-vous."), field="date")
        old = self.follow_up
        return FollowUpRecord(
            id=old.id if old else None, project_id=self.project_id, date=day,
            topic=self.topic.text(), notes=self.notes.toPlainText(),
            next_steps=self.next_steps.toPlainText(), author=old.author if old else "")

    def save(self) -> None:
        self.errors.clear()
        try:
            self.saved_id = self.services.projects.save_follow_up(self.record())
        except MaisonError as exc:
            show_error(self, self.errors, exc)
            return
        self.accept()


# --- the « Suivi » tab ---------------------------------------------------------------------------


class FollowUpsTab(QWidget):
    """The meetings of a project, latest first, with what was said about the selected one."""

    changed = Signal()  # a meeting was added, changed or deleted
    loaded = Signal()  # tests listen to it

    def __init__(self, services, tasks, *, can_write: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.can_write = can_write
        self.project_id: int | None = None
        self.project_name = ""
        self._select_id: int | None = None

        self.model = RecordTableModel([
            Column(_("Date"), lambda f: format_date(f.date, "short"), sort_key=lambda f: f.date,
                   tooltip=lambda f: format_date(f.date)),
            Column(_("Sujet"), lambda f: f.topic),
            Column(_("Notes"), lambda f: _first_line(f.notes), tooltip=lambda f: f.notes),
            Column(_("Prochaines étapes"), lambda f: _first_line(f.next_steps),
                   tooltip=lambda f: f.next_steps),
        ])
        self.view, self.proxy = record_table(_("Rendez-vous de suivi"), self.model,
                                             widths=(90, 200, 220))
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.view.installEventFilter(self)

        self.empty = QLabel(_("Aucun rendez-vous de suivi pour l'instant : « Nouveau "
                              "rendez-vous… » note le premier."))
        self.empty.setAccessibleName(_("Aucun rendez-vous"))
        self.empty.setStyleSheet(NOTE_STYLE)
        self.empty.setWordWrap(True)
        self.empty.setVisible(False)

        self.detail = QTextBrowser()
        self.detail.setAccessibleName(_("Détail du rendez-vous"))
        self.detail.setOpenLinks(False)
        self.detail.setMaximumHeight(150)
        self.detail.setPlaceholderText(_("Choisissez un rendez-vous pour lire ses notes."))

        self.new_button = _button(_("Nouveau rendez-vous…"), self.new_follow_up)
        self.new_button.setToolTip(_("Noter un rendez-vous de suivi (Ctrl+N)"))
        self.edit_button = _button(_("Modifier…"), self.edit_selected,
                                   _("Modifier le rendez-vous"))
        self.edit_button.setToolTip(_("Entrée ou double-clic"))
        self.delete_button = _button(_("Supprimer"), self.delete_selected,
                                     _("Supprimer le rendez-vous"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        if not can_write:
            for b in (self.new_button, self.edit_button, self.delete_button):
                b.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        self._selected()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.view and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.edit_selected()
            return True
        if (watched is self.view and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Delete):
            self.delete_selected()
            return True
        return super().eventFilter(watched, event)

    def set_project(self, project_id: int, name: str) -> None:
        self.project_id = project_id
        self.project_name = name
        self.refresh()

    def refresh(self) -> None:
        if self.project_id is None:
            return
        project_id = self.project_id
        projects = self.services.projects
        self.tasks.run(lambda: projects.follow_ups(project_id=project_id),
                       on_success=guarded(self, self._show),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"follow-ups-{id(self)}")

    def _show(self, records) -> None:
        keep = self._select_id
        if keep is None:
            current = self.selected()
            keep = current.id if current else None
        self._select_id = None
        self.model.set_records(records)
        self.empty.setVisible(not records)
        rows = [f.id for f in self.model.records()]
        if keep in rows:
            self.view.selectRow(self.proxy.mapFromSource(self.model.index(rows.index(keep),
                                                                          0)).row())
        elif rows:
            self.view.selectRow(0)  # the latest
        self._selected()
        self.loaded.emit()

    def records(self) -> list[FollowUpRecord]:
        return self.model.records()

    def selected(self) -> FollowUpRecord | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.record(self.proxy.mapToSource(rows[0]).row())

    def _selected(self) -> None:
        f = self.selected()
        self.edit_button.setEnabled(f is not None)
        self.delete_button.setEnabled(f is not None)
        if f is None:
            self.detail.clear()
            return
        head = f"<b>{html.escape(format_date(f.date))} — {html.escape(f.topic)}</b>"
        if f.author:
            by = html.escape(_("noté par {who}").format(who=f.author))
            head += f" <span style='color:#555'>({by})</span>"
        parts = [head]
        for title, text in ((_("Notes"), f.notes), (_("Prochaines étapes"), f.next_steps)):
            if text.strip():
                body = html.escape(text.strip()).replace("\n", "<br>")
                parts.append(f"<b>{html.escape(title)}</b><br>{body}")
        self.detail.setHtml("<br><br>".join(parts))

    # --- actions ------------------------------------------------------------------------

    def _dialog(self, follow_up: FollowUpRecord | None) -> FollowUpDialog:
        return FollowUpDialog(self.services, project_id=self.project_id,
                              project_name=self.project_name, follow_up=follow_up, parent=self)

    def new_follow_up(self) -> None:
        if self.project_id is None or not self.can_write:
            return
        dialog = self._dialog(None)
        saved = dialog.exec() and dialog.saved_id is not None
        saved_id = dialog.saved_id
        dialog.deleteLater()
        if saved:
            self._select_id = saved_id
            self.refresh()
            self.changed.emit()

    def edit_selected(self) -> None:
        f = self.selected()
        if f is None or not self.can_write:
            return
        dialog = self._dialog(f)
        saved = dialog.exec() and dialog.saved_id is not None
        saved_id = dialog.saved_id
        dialog.deleteLater()
        if saved:
            self._select_id = saved_id
            self.refresh()
            self.changed.emit()

    def delete_selected(self) -> None:
        f = self.selected()
        if f is None or not self.can_write:
            return
        if not messages.confirm(
                self, _("Supprimer le rendez-vous du {day} « {topic} » ?\n\nSes notes et ses "
                        "prochaines étapes sont perdues.").format(day=format_date(f.date),
                                                                   topic=f.topic),
                title=_("Supprimer un rendez-vous"), yes=_("Supprimer"), destructive=True):
            return
        try:
            self.services.projects.delete_follow_up(follow_up_id=f.id)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        self.refresh()
        self.changed.emit()


# --- the dialog ----------------------------------------------------------------------------------


class ProjectDialog(QDialog):
    """See the module's docstring."""

    saved = Signal(int)  # the project's id, after each save

    def __init__(self, services, tasks, *, project_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.project_id = project_id
        self.saved_id: int | None = None
        self._something_saved = False
        self.current: ProjectRecord | None = None
        self.today = today(services)
        self.can_write = allowed(services.ctx.actor.role, Area.PROJECTS, Access.WRITE)
        self._organisation: tuple[int, str] | None = None
        self._pending_query: str | None = None
        self._add_waiting = False
        self.programmes: tuple[ProgrammeRecord, ...] = services.projects.programmes()
        self.setMinimumSize(900, 640)
        self.setSizeGripEnabled(True)
        self._build()
        if project_id is not None:
            self._fill(services.projects.project(project_id=project_id))
        else:
            self._fill_programmes(None)
            self.entry.set_date(self.today)
            self._snapshot = self.values()
        self._after_load()
        self._load_referents()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- layout -------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setAccessibleName(_("Titre du projet"))
        self.heading.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.subtitle = QLabel()
        self.subtitle.setAccessibleName(_("Résumé du projet"))
        self.subtitle.setStyleSheet("color: #444;")
        self.subtitle.setWordWrap(True)

        self.banner = QLabel()
        self.banner.setObjectName("memberBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(_("Message"))
        self.banner.setVisible(False)

        self.errors = FormErrors()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Onglets du projet"))
        self.tabs.addTab(self._project_page(), _("Projet"))
        self.follow_ups = FollowUpsTab(self.services, self.tasks, can_write=self.can_write)
        self.follow_ups.changed.connect(self._follow_ups_changed)
        self.tabs.addTab(self.follow_ups, _("Suivi"))
        self.tabs.currentChanged.connect(self._tab_changed)
        add_shortcuts(self.follow_ups, [("Ctrl+N", self.follow_ups.new_follow_up)])

        self.save_button = QPushButton(_("Enregistrer"))
        self.save_button.setAccessibleName(_("Enregistrer le projet"))
        self.save_button.setToolTip(_("Enregistre le projet (Entrée)"))
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(_("Fermer"))
        self.close_button.setAccessibleName(_("Fermer le projet"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subtitle)
        layout.addWidget(line)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self._tab_changed(PROJECT_TAB)

    def _project_page(self) -> QWidget:
        add = self.errors.add_row
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit()
        self.name.setMaxLength(200)
        self.name.setPlaceholderText(_("par exemple : Recyclerie du Marais"))
        add(form, _("Nom du projet *"), "name", self.name, _("Nom du projet"))
        self.programme = QComboBox()
        self.programme.setPlaceholderText(_("Choisissez un programme"))
        self.programme.currentIndexChanged.connect(lambda _i: self._update_stay())
        add(form, _("Programme *"), "programme_id", self.programme, _("Programme"))
        self.stage = QComboBox()
        for stage in ProjectStage:
            self.stage.addItem(stage.label, stage)
        add(form, _("Étape"), "stage", self.stage)
        self.referent = QComboBox()
        self.referent.setEditable(True)
        self.referent.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.referent.lineEdit().setPlaceholderText(_("la personne de l'équipe qui suit le "
                                                      "projet"))
        add(form, _("Référent·e"), "referent", self.referent)
        self.entry = DateInput(_("Date d'entrée"))
        self.entry.textChanged.connect(lambda _t: self._update_stay())
        add(form, _("Entrée dans le programme *"), "entry_date", self.entry, _("Date d'entrée"))
        self.stay = QLabel()
        self.stay.setAccessibleName(_("Durée maximale"))
        self.stay.setWordWrap(True)
        form.addRow("", self.stay)

        # the organisation, once created
        self.organisation_label = QLabel()
        self.organisation_label.setAccessibleName(_("Structure du projet"))
        self.organisation_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_organisation_button = _button(_("Choisir…"), self.choose_organisation,
                                                  _("Choisir la structure"))
        self.choose_organisation_button.setToolTip(_("La structure (association, SCOP, SAS…) "
                                                     "que le projet a créée"))
        self.clear_organisation_button = _button(_("Retirer"), self.clear_organisation,
                                                 _("Retirer la structure"))
        org_row = QWidget()
        org_layout = QHBoxLayout(org_row)
        org_layout.setContentsMargins(0, 0, 0, 0)
        org_layout.addWidget(self.organisation_label, 1)
        org_layout.addWidget(self.choose_organisation_button)
        org_layout.addWidget(self.clear_organisation_button)
        self.errors.add_row(form, _("Structure créée"), "organisation_id", org_row,
                            _("Structure créée"))
        self.description = _text_edit(90)
        self.description.setPlaceholderText(_("L'activité, le public, où en est le projet"))
        add(form, _("Description"), "description", self.description)

        # the exit
        exit_box = QGroupBox(_("Sortie du programme"))
        exit_box.setAccessibleName(_("Sortie du programme"))
        exit_form = QFormLayout(exit_box)
        exit_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        exit_hint = QLabel(_("À remplir quand le projet quitte le programme : il sort alors "
                             "de la liste des projets en cours."))
        exit_hint.setWordWrap(True)
        exit_hint.setStyleSheet(NOTE_STYLE)
        exit_form.addRow(exit_hint)
        self.exit = DateInput(_("Date de sortie"))
        self.exit.textChanged.connect(lambda _t: self._update_stay())
        add(exit_form, _("Date de sortie"), "exit_date", self.exit)
        self.outcome = QComboBox()
        self.outcome.addItem(_("— pas encore sorti —"), None)
        for outcome in ProjectOutcome:
            self.outcome.addItem(outcome.label, outcome)
        add(exit_form, _("Issue"), "outcome", self.outcome, _("Issue du projet"))
        self.jobs = QLineEdit()
        self.jobs.setMaximumWidth(120)
        self.jobs.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.jobs.setPlaceholderText(_("ex. 1,5"))
        self.jobs.setToolTip(_("En équivalents temps plein (ETP) : 1,5 pour un plein temps et "
                               "un mi-temps"))
        add(exit_form, _("Emplois créés (ETP)"), "jobs_fte_hundredths", self.jobs,
            _("Emplois créés"))

        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(exit_box)
        left.addStretch(1)

        page = QWidget()
        columns = QHBoxLayout(page)
        columns.addLayout(left, 3)
        columns.addWidget(self._holders_box(), 2)
        return page

    def _holders_box(self) -> QGroupBox:
        box = QGroupBox(_("Porteur·ses du projet"))
        self.holders = QListWidget()
        self.holders.setAccessibleName(_("Porteur·ses du projet"))
        self.holders.setMinimumHeight(70)
        self.holders.itemSelectionChanged.connect(self._update_holder_buttons)
        self.holders.installEventFilter(self)
        self.no_holder = QLabel(_("Personne pour l'instant : cherchez les porteur·ses "
                                  "ci-dessous."))
        self.no_holder.setAccessibleName(_("Aucun porteur·se"))
        self.no_holder.setWordWrap(True)
        self.no_holder.setStyleSheet(NOTE_STYLE)
        self.remove_holder_button = _button(_("Retirer"), self.remove_holder,
                                            _("Retirer la personne"))
        self.remove_holder_button.setToolTip(_("Retirer du projet la personne choisie dans la "
                                               "liste (Suppr)"))
        holder_form = QFormLayout()
        holder_form.setContentsMargins(0, 0, 0, 0)
        holder_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        holder_form.addRow(self.no_holder)
        self.errors.add_row(holder_form, "", "holders", self.holders,
                            _("Porteur·ses du projet"))

        add_title = QLabel(_("Ajouter une personne"))
        add_title.setStyleSheet("font-weight: 600;")
        self.person_search = QLineEdit()
        self.person_search.setAccessibleName(_("Rechercher une personne"))
        self.person_search.setPlaceholderText(_("Nom, prénom ou e-mail…"))
        self.person_search.setClearButtonEnabled(True)
        self.person_search.textChanged.connect(self._query_changed)
        self.person_search.installEventFilter(self)
        add_title.setBuddy(self.person_search)
        self.person_results = QListWidget()
        self.person_results.setAccessibleName(_("Personnes trouvées"))
        self.person_results.setMinimumHeight(110)
        self.person_results.setMaximumHeight(150)
        self.person_results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.person_results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.person_results.itemDoubleClicked.connect(lambda _item: self.add_holder())
        self.person_results.installEventFilter(self)
        self.person_hint = QLabel(_("Tapez au moins deux lettres, puis Entrée pour ajouter "
                                    "la personne choisie. Une personne absente de la base se "
                                    "crée d'abord dans « Adhérents »."))
        self.person_hint.setAccessibleName(_("Aide de la recherche de personnes"))
        self.person_hint.setWordWrap(True)
        self.person_hint.setStyleSheet(NOTE_STYLE)
        self.add_holder_button = _button(_("Ajouter au projet"), self.add_holder,
                                         _("Ajouter comme porteur·se"))

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_holder_button)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_holder_button)
        v = QVBoxLayout(box)
        v.addLayout(holder_form, 1)
        v.addLayout(row)
        v.addSpacing(6)
        v.addWidget(add_title)
        v.addWidget(self.person_search)
        v.addWidget(self.person_results)
        v.addWidget(self.person_hint)
        v.addLayout(add_row)
        if not self.can_write:
            for w in (add_title, self.person_search, self.person_results, self.person_hint,
                      self.add_holder_button, self.remove_holder_button):
                w.setVisible(False)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_person_search)
        return box

    def _tab_changed(self, index: int) -> None:
        on_project = index == PROJECT_TAB
        self.save_button.setVisible(on_project and self.can_write)
        self.save_button.setDefault(on_project and self.can_write)
        self.follow_ups.new_button.setDefault(not on_project)

    # --- content ------------------------------------------------------------------------

    def _fill_programmes(self, current_id: int | None) -> None:
        self.programme.clear()
        for p in self.programmes:
            if not p.active and p.id != current_id:
                continue
            label = p.name if p.active else _("{name} (fermé)").format(name=p.name)
            self.programme.addItem(label, p.id)
        self.programme.setCurrentIndex(self.programme.findData(current_id)
                                       if current_id is not None else -1)

    def _fill(self, project: ProjectRecord) -> None:
        self.current = project
        self._fill_programmes(project.programme_id)
        self.name.setText(project.name)
        self.stage.setCurrentIndex(max(self.stage.findData(project.stage), 0))
        self.referent.setEditText(project.referent)
        self.entry.set_date(project.entry_date)
        self.description.setPlainText(project.description)
        self._organisation = ((project.organisation_id, project.organisation_name)
                              if project.organisation_id is not None else None)
        self._show_organisation()
        self.holders.clear()
        for h in project.holders:
            self._append_holder(h.person_id, h.name)
        self._holders_changed()
        self.exit.set_date(project.exit_date)
        self.outcome.setCurrentIndex(max(self.outcome.findData(project.outcome), 0)
                                     if project.outcome is not None else 0)
        self.jobs.setText(fte_text(project.jobs_fte_hundredths))
        self._snapshot = self.values()
        self._update_stay()

    def _after_load(self) -> None:
        exists = self.project_id is not None
        self.tabs.setTabEnabled(FOLLOW_UP_TAB, exists)
        self.tabs.setTabToolTip(FOLLOW_UP_TAB, "" if exists else
                                _("Enregistrez d'abord le projet."))
        if exists:
            p = self.current
            title = _("Projet « {name} »").format(name=p.name)
            self.follow_ups.set_project(p.id, p.name)
            self.subtitle.setText(self._summary(p))
        else:
            title = _("Nouveau projet")
            self.subtitle.setText(_("Le suivi des rendez-vous s'ouvre une fois le projet "
                                    "enregistré."))
        self.heading.setText(title)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._show_organisation()
        self._update_holder_buttons()

    def _summary(self, p: ProjectRecord) -> str:
        parts = [p.programme_name or "", p.stage.label]
        if p.exit_date is not None:
            parts.append(_("sorti le {day}").format(day=format_date(p.exit_date)))
        elif p.entry_date is not None:
            parts.append(_("entré le {day}").format(day=format_date(p.entry_date)))
        parts.append(_("dernier suivi le {day}").format(day=format_date(p.last_follow_up))
                     if p.last_follow_up else _("aucun rendez-vous de suivi"))
        return " · ".join(x for x in parts if x)

    def _load_referents(self) -> None:
        """The team's names to pick the referent from: the user accounts when this role may
        read them, and the referents already named on projects."""
        services = self.services
        may_read_users = allowed(services.ctx.actor.role, Area.USERS, Access.READ)

        def names() -> list[str]:
            found: list[str] = []
            if may_read_users:
                found += [u.name for u in services.accounts.users() if u.active]
            found += [p.referent for p in services.projects.projects(active_only=False)]
            unique: dict[str, str] = {}
            for n in found:
                if n.strip():
                    unique.setdefault(n.strip().casefold(), n.strip())
            return sorted(unique.values(), key=str.casefold)

        self.tasks.run(names, on_success=guarded(self, self._show_referents),
                       on_error=guarded(self, lambda _exc: None),  # a suggestion list only
                       key=f"referents-{id(self)}")

    def _show_referents(self, names: list[str]) -> None:
        typed = self.referent.currentText()
        self.referent.blockSignals(True)
        self.referent.clear()
        self.referent.addItems(names)
        self.referent.setCurrentIndex(-1)
        self.referent.setEditText(typed)
        self.referent.blockSignals(False)

    def _update_stay(self) -> None:
        programme = next((p for p in self.programmes if p.id == self.programme.currentData()),
                         None)
        if programme is None:
            self.stay.setText(_("Durée maximale : selon le programme choisi."))
            self.stay.setStyleSheet(NOTE_STYLE)
            return
        out = self.exit.value()
        # a project already out is measured on its exit day: the limit is history
        text, colour = stay_text(programme.max_months, self.entry.value(),
                                 out if out is not None else self.today)
        if out is not None:
            colour = "#555"
        self.stay.setText(text)
        self.stay.setStyleSheet(f"color: {colour};")

    def _show_organisation(self) -> None:
        if self._organisation is None:
            self.organisation_label.setText(_("— pas encore créée —"))
            self.organisation_label.setStyleSheet("color: #777;")
        else:
            self.organisation_label.setText(self._organisation[1])
            self.organisation_label.setStyleSheet("")
        self.clear_organisation_button.setVisible(self.can_write
                                                  and self._organisation is not None)
        self.choose_organisation_button.setVisible(self.can_write)
        self.choose_organisation_button.setText(_("Choisir…") if self._organisation is None
                                                else _("Changer…"))

    def choose_organisation(self) -> None:
        picker = OrganisationPicker(self.services, self.tasks, parent=self)
        chosen = picker.chosen if picker.exec() else None
        picker.deleteLater()
        if chosen is not None:
            self._organisation = chosen
            self._show_organisation()

    def clear_organisation(self) -> None:
        self._organisation = None
        self._show_organisation()

    # --- holders ------------------------------------------------------------------------

    def holder_list(self) -> list[Holder]:
        return [Holder(self.holders.item(i).data(Qt.ItemDataRole.UserRole),
                       self.holders.item(i).text()) for i in range(self.holders.count())]

    def _append_holder(self, person_id: int, name: str) -> None:
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, person_id)
        self.holders.addItem(item)

    def _holders_changed(self) -> None:
        self.no_holder.setVisible(self.holders.count() == 0)
        self._update_holder_buttons()

    def _update_holder_buttons(self) -> None:
        self.remove_holder_button.setEnabled(bool(self.holders.selectedItems()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if watched is self.person_search:
                if enter:  # adds the person found (the dialog's Enter would save)
                    self.add_holder()
                    return True
                if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.person_results.count():
                    row = self.person_results.currentRow() + (1 if key == Qt.Key.Key_Down
                                                              else -1)
                    self.person_results.setCurrentRow(
                        max(0, min(self.person_results.count() - 1, row)))
                    return True
            elif watched is self.person_results and enter:
                self.add_holder()
                return True
            elif watched is self.holders and key == Qt.Key.Key_Delete:
                self.remove_holder()
                return True
        return super().eventFilter(watched, event)

    def _query_changed(self, _text: str) -> None:
        self.person_results.clear()  # never add a result of the previous words
        self._search_timer.start()

    def run_person_search(self) -> None:
        self._search_timer.stop()
        query = self.person_search.text()
        if len(query.strip()) < MIN_QUERY_LENGTH:
            self._pending_query = None
            self._show_people([], query)
            return
        people = self.services.people

        def find() -> list[tuple[int, str, str]]:
            result = people.search(query=query, limit=30)
            return [(h.id, h.name, h.organisations or h.email or "") for h in result.hits]

        self._pending_query = query
        self.tasks.run(find, on_success=guarded(self, lambda found: self._show_people(found,
                                                                                      query)),
                       on_error=guarded(self, self._search_failed),
                       key=f"project-people-{id(self)}")

    def _search_failed(self, exc: BaseException) -> None:
        self._pending_query = None
        self._add_waiting = False
        messages.show_error(self, exc)

    def _show_people(self, found: list[tuple[int, str, str]], query: str) -> None:
        if query != self.person_search.text():
            return  # typed on since: a newer search is coming
        self._pending_query = None
        self.person_results.clear()
        taken = {h.person_id for h in self.holder_list()}
        for person_id, name, detail in found:
            label = f"{name} — {detail}" if detail else name
            if person_id in taken:
                label = _("{label} (déjà porteur·se)").format(label=label)
            item = QListWidgetItem(label)
            item.setToolTip(label)
            item.setData(Qt.ItemDataRole.UserRole, (person_id, name))
            self.person_results.addItem(item)
        if found:
            self.person_results.setCurrentRow(0)
        if len(query.strip()) < MIN_QUERY_LENGTH:
            hint = _("Tapez au moins deux lettres du nom, du prénom ou de l'e-mail.")
        elif not found:
            hint = _("Personne ne correspond à « {q} ». Une personne absente de la base se "
                     "crée d'abord dans « Adhérents ».").format(q=query.strip())
        else:
            hint = _("Entrée ou « Ajouter au projet » ajoute la personne choisie.")
        self.person_hint.setText(hint)
        if self._add_waiting:
            self._add_waiting = False
            self.add_holder()

    def add_holder(self) -> None:
        if not self.can_write:
            return
        if self._search_timer.isActive() or self._pending_query is not None:
            self._add_waiting = True  # the list is not there yet: add when it comes
            if self._search_timer.isActive():
                self.run_person_search()
            return
        item = self.person_results.currentItem()
        if item is None:
            self.person_hint.setText(_("Cherchez la personne, choisissez-la dans la liste, "
                                       "puis « Ajouter au projet »."))
            self.person_search.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        person_id, name = item.data(Qt.ItemDataRole.UserRole)
        if person_id not in {h.person_id for h in self.holder_list()}:
            self._append_holder(person_id, name)
            self._holders_changed()
        self.person_search.clear()
        self.person_results.clear()
        self.person_hint.setText(_("{name} est porteur·se du projet (à enregistrer).").format(
            name=name))
        self.person_search.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_holder(self) -> None:
        if not self.can_write:
            return
        for item in self.holders.selectedItems():
            self.holders.takeItem(self.holders.row(item))
        self._holders_changed()

    # --- state --------------------------------------------------------------------------

    def values(self) -> dict[str, object]:
        """The form as typed (for the unsaved-changes check)."""
        return {
            "name": self.name.text(), "programme": self.programme.currentData(),
            "stage": self.stage.currentData(), "referent": self.referent.currentText(),
            "entry": self.entry.text(), "description": self.description.toPlainText(),
            "organisation": self._organisation[0] if self._organisation else None,
            "holders": [h.person_id for h in self.holder_list()],
            "exit": self.exit.text(), "outcome": self.outcome.currentData(),
            "jobs": self.jobs.text(),
        }

    def is_dirty(self) -> bool:
        return self.can_write and self.values() != self._snapshot

    def announce(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(True)

    def record(self) -> ProjectRecord:
        """The project as the form says (ValidationError for what cannot be read)."""
        programme_id = self.programme.currentData()
        if programme_id is None:
            raise ValidationError(_("Choisissez le programme qui accompagne le projet."),
                                  field="programme_id")
        entry = self.entry.date(field="entry_date")
        exit_day = self.exit.date(field="exit_date")
        jobs = parse_fte(self.jobs.text(), field="jobs_fte_hundredths")
        outcome = self.outcome.currentData()
        old = self.current
        return ProjectRecord(
            id=self.project_id, name=self.name.text(), programme_id=int(programme_id),
            stage=ProjectStage(self.stage.currentData()),
            referent=self.referent.currentText().strip(), entry_date=entry, exit_date=exit_day,
            outcome=ProjectOutcome(outcome) if outcome is not None else None,
            jobs_fte_hundredths=jobs,
            organisation_id=self._organisation[0] if self._organisation else None,
            organisation_name=self._organisation[1] if self._organisation else "",
            holders=tuple(self.holder_list()), description=self.description.toPlainText(),
            notes=old.notes if old else None)

    # --- saving -------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the project; True when it was saved."""
        if not self.can_write:
            return False
        self.errors.clear()
        try:
            project_id = self.services.projects.save_project(self.record())
        except MaisonError as exc:
            if isinstance(exc, ValidationError):
                self.tabs.setCurrentIndex(PROJECT_TAB)
            show_error(self, self.errors, exc)
            return False
        was_new = self.project_id is None
        self.project_id = self.saved_id = project_id
        self._something_saved = True
        self._fill(self.services.projects.project(project_id=project_id))
        self._after_load()
        self.saved.emit(project_id)
        if was_new:
            self.announce(_("Projet créé. L'onglet « Suivi » est maintenant ouvert pour noter "
                            "les rendez-vous ; « Fermer » quand vous avez fini."))
        else:
            self.announce(_("Projet enregistré."))
        return True

    def _follow_ups_changed(self) -> None:
        """A meeting was written: the project's last follow-up has changed."""
        self._something_saved = True
        self.saved_id = self.project_id
        try:
            fresh = self.services.projects.project(project_id=self.project_id)
        except MaisonError:
            return
        self.current = fresh
        self.subtitle.setText(self._summary(fresh))

    # --- closing ------------------------------------------------------------------------

    def reject(self) -> None:
        """Fermer, Escape, the window's cross: ask before dropping unsaved changes."""
        if self.is_dirty() and not messages.confirm(
                self, _("Les modifications du projet ne sont pas enregistrées. "
                        "Les abandonner ?"),
                title=_("Modifications non enregistrées"), yes=_("Abandonner les modifications"),
                no=_("Continuer la saisie"), destructive=True):
            return
        self.done(QDialog.DialogCode.Accepted if self._something_saved
                  else QDialog.DialogCode.Rejected)
