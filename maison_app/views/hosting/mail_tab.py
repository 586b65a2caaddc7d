"""The « Courrier » tab of the Hébergement screen: the reception's log of the mail received
for the domiciled organisations (and people).

Every letter, registered letter or parcel gets a line (« Courrier reçu… », Ctrl+N; the
dialog can record a whole delivery one letter after the other); the recipient is told
(« Avisé »), then comes to fetch it (« Retiré », after a confirmation naming how many).
Several lines are marked at once (Ctrl+click, Shift+click, Ctrl+A). A line entered by
mistake is corrected (« Corriger… », Enter) or deleted (« Supprimer », Del, after a
confirmation). Mail waiting three months or more is shown on a coloured background, and a
banner counts it.

The list loads through the task runner (the log, the mail waiting too long and the people
domiciled today, for the dialog); the writes call the service on the GUI thread."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QObject,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import MailKind
from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.domain.hosting import (
    MAIL_UNCOLLECTED_MONTHS,
    MailRecord,
    add_months,
    mail_overdue,
)
from maison_app.domain.permissions import Access, Area, allowed
from maison_app.domain.text import search_key, search_terms
from maison_app.i18n import _, format_date, ngettext
from maison_app.ui import messages
from maison_app.ui.common import DateField, guarded, today
from maison_app.ui.forms import FormErrors, dialog_buttons, show_error
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import Column, RecordTableModel, record_table

Recipient = tuple[int | None, int | None, str]  # (organisation_id, person_id, name)

SEARCH_DELAY_MS = 200
NOTE_STYLE = "color: #555; font-size: 90%;"
DONE_STYLE = ("#mailBanner { background: #e3f1e8; border: 1px solid #9cc8ab; "
              "border-radius: 4px; padding: 6px 8px; }")
OVERDUE_STYLE = ("#mailOverdue { background: #fdecea; border: 1px solid #e0a19b; "
                 "border-radius: 4px; padding: 6px 8px; color: #7a1c14; }")
OVERDUE_BACKGROUND = "#fbe3e0"
OVERDUE_TEXT = "#7a1c14"
TO_NOTIFY_TEXT = "#8a5a00"
GREY = "#6b6b6b"


def _day(day: dt.date | None) -> str:
    return format_date(day) if day is not None else ""


def waiting_text(mail: MailRecord, day: dt.date) -> str:
    """What the « Retiré le » column says of a line: the day, or how long it has waited."""
    if mail.collected_on is not None:
        return format_date(mail.collected_on)
    days = (day - mail.received_on).days
    if days <= 0:
        return _("en attente (arrivé aujourd'hui)")
    if days < 60:
        return ngettext("en attente depuis {n} jour", "en attente depuis {n} jours",
                        days).format(n=days)
    months = 2
    while add_months(mail.received_on, months + 1) <= day:
        months += 1
    return _("en attente depuis {n} mois").format(n=months)


def mail_line(mail: MailRecord) -> str:
    """"Ébène Traduction — lettre du 20 novembre 2026 (URSSAF)" for confirmations."""
    text = _("{recipient} — {kind} du {day}").format(
        recipient=mail.recipient, kind=mail.kind.label.lower(),
        day=format_date(mail.received_on))
    return f"{text} ({mail.sender})" if mail.sender else text


def overdue_text(overdue: Sequence[MailRecord]) -> str:
    """« 3 courriers attendent depuis plus de 3 mois : Ébène Traduction (2), … »."""
    n = len(overdue)
    head = ngettext("{n} courrier attend depuis plus de {months} mois",
                    "{n} courriers attendent depuis plus de {months} mois", n).format(
        n=n, months=MAIL_UNCOLLECTED_MONTHS)
    counts = Counter(m.recipient for m in overdue)
    who = ", ".join(name if k == 1 else f"{name} ({k})"
                    for name, k in sorted(counts.items(), key=lambda c: search_key(c[0])))
    advice = ngettext("Relancez le destinataire, ou retournez le courrier à l'expéditeur.",
                      "Relancez les destinataires, ou retournez le courrier à l'expéditeur.",
                      len(counts))
    return _("{head} : {who}. {advice}").format(head=head, who=who, advice=advice)


class MailModel(RecordTableModel[MailRecord]):
    """The lines of the log; one waiting too long is on a red background, a waiting line
    nobody was told about yet says « à aviser » in amber."""

    NOTIFIED_COLUMN = 4

    def __init__(self, columns, day, parent=None) -> None:
        super().__init__(columns, parent=parent)
        self.day = day  # a callable: today

    def overdue(self, row: int) -> bool:
        return mail_overdue(self.record(row), self.day())

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid():
            row = index.row()
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(OVERDUE_BACKGROUND)) if self.overdue(row) else None
            if role == Qt.ItemDataRole.ForegroundRole:
                mail = self.record(row)
                if self.overdue(row):
                    return QBrush(QColor(OVERDUE_TEXT))
                if index.column() == self.NOTIFIED_COLUMN and mail.waiting \
                        and mail.notified_on is None:
                    return QBrush(QColor(TO_NOTIFY_TEXT))
                if not mail.waiting:
                    return QBrush(QColor(GREY))
                return None
            if role == Qt.ItemDataRole.ToolTipRole and self.overdue(row):
                return _("En attente depuis plus de {months} mois : relancez le destinataire, "
                         "ou retournez le courrier à l'expéditeur.").format(
                    months=MAIL_UNCOLLECTED_MONTHS)
            if role == Qt.ItemDataRole.AccessibleTextRole and index.column() == 0 \
                    and self.overdue(row):
                return _("{day}, en attente depuis plus de {months} mois").format(
                    day=_day(self.record(row).received_on), months=MAIL_UNCOLLECTED_MONTHS)
        return super().data(index, role)


# --- the dialog ----------------------------------------------------------------------------------


class RecipientPicker(QComboBox):
    """The domiciled organisations and people: pick one in the list, or type a few letters
    of the name (accents and case do not matter) and choose among the suggestions.

    Enter here chooses (the one recipient the letters name, or the suggestion highlighted)
    and emits `picked`, the dialog then goes on to the next field; it never saves the
    form. When the letters name nobody, or several, `refused` carries the ValidationError."""

    picked = Signal()
    refused = Signal(object)

    def __init__(self, recipients: Sequence[Recipient], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recipients = list(recipients)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        for i, (_org, _person, name) in enumerate(self.recipients):
            self.addItem(name, i)
        self.setCurrentIndex(-1)
        self.lineEdit().setPlaceholderText(_("Tapez quelques lettres du nom…"))
        self._suggestions = QStringListModel(self)
        self._completer = QCompleter(self._suggestions, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(self._completer)
        self.lineEdit().textEdited.connect(self._suggest)

    def matches(self, text: str) -> list[int]:
        """The rows whose name holds every typed word (accent-insensitive)."""
        terms = search_terms(text)
        return [i for i, (_o, _p, name) in enumerate(self.recipients)
                if all(t in search_key(name) for t in terms)]

    def _suggest(self, text: str) -> None:
        rows = self.matches(text) if text.strip() else []
        self._suggestions.setStringList([self.recipients[i][2] for i in rows])
        if rows:
            self._completer.complete()
        else:
            self._completer.popup().hide()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.pick()
            return
        super().keyPressEvent(event)

    def pick(self) -> bool:
        """Resolve what was typed to one recipient (its full name in the field)."""
        self._completer.popup().hide()
        try:
            org, person, _name = self.chosen()
        except ValidationError as exc:
            self.refused.emit(exc)
            if len(self.matches(self.currentText())) > 1:  # choose among them, once the
                QTimer.singleShot(0, self, lambda: self._suggest(self.currentText()))  # key ends
            return False
        self.select(org, person)
        self.picked.emit()
        return True

    def select(self, organisation_id: int | None, person_id: int | None) -> None:
        for i, (org, person, _name) in enumerate(self.recipients):
            if (org, person) == (organisation_id, person_id):
                self.setCurrentIndex(i)
                return

    def chosen(self) -> Recipient:
        """The recipient the field names; ValidationError (field "recipient") otherwise."""
        text = self.currentText().strip()
        if not text:
            raise ValidationError(_("Choisissez le destinataire dans la liste des structures "
                                    "et personnes domiciliées."), field="recipient")
        key = search_key(text)
        exact = [r for r in self.recipients if search_key(r[2]) == key]
        if len(exact) == 1:
            return exact[0]
        rows = self.matches(text)
        if len(rows) == 1:
            return self.recipients[rows[0]]
        if not rows:
            raise ValidationError(_("Aucune structure ou personne domiciliée ne correspond à "
                                    "« {text} ». Seules les conventions signées avec la "
                                    "domiciliation figurent dans la liste.").format(text=text),
                                  field="recipient")
        raise ValidationError(ngettext(
            "{n} destinataire correspond à « {text} » : choisissez dans la liste.",
            "{n} destinataires correspondent à « {text} » : choisissez dans la liste.",
            len(rows)).format(n=len(rows), text=text), field="recipient")


class MailDialog(QDialog):
    """A new line of the log (`mail` None) or the correction of one. `recipients` are
    those domiciled today (the line's own recipient is added when it no longer is).
    `saved` holds what was saved (a new line may be followed by the next one)."""

    def __init__(self, services, *, recipients: Sequence[Recipient],
                 mail: MailRecord | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.mail = mail
        self.saved: list[MailRecord] = []  # what was saved, with its id
        self.day = today(services)
        recipients = list(recipients)
        if mail is not None and not any((o, p) == (mail.organisation_id, mail.person_id)
                                        for o, p, _n in recipients):
            recipients.append((mail.organisation_id, mail.person_id, mail.recipient))
        title = _("Courrier reçu") if mail is None else _("Corriger une ligne du courrier")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(520)

        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.recipient = RecipientPicker(recipients)
        self.errors.add_row(form, _("Destinataire"), "recipient", self.recipient)
        self.received_on = DateField(self.day if mail is None else mail.received_on)
        self.errors.add_row(form, _("Reçu le"), "received_on", self.received_on,
                            _("Date de réception"))
        self.kind = QComboBox()
        for kind in MailKind:
            self.kind.addItem(kind.label, kind.value)
        self.errors.add_row(form, _("Type"), "kind", self.kind, _("Type de courrier"))
        self.sender = QLineEdit()
        self.sender.setMaxLength(200)
        self.sender.setPlaceholderText(_("par exemple : URSSAF, impôts, banque (facultatif)"))
        self.errors.add_row(form, _("Expéditeur"), "sender", self.sender)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(56)
        self.notes.setPlaceholderText(_("par exemple : avis de passage, à remettre en main "
                                        "propre"))
        self.errors.add_row(form, _("Notes"), "notes", self.notes)
        self.notified_on = self.collected_on = None
        if mail is not None:
            self.notified_on = DateField(mail.notified_on)
            self.errors.add_row(form, _("Avisé le"), "notified_on", self.notified_on,
                                _("Date de l'avis"))
            self.collected_on = DateField(mail.collected_on)
            self.errors.add_row(form, _("Retiré le"), "collected_on", self.collected_on,
                                _("Date du retrait"))

        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(NOTE_STYLE)
        self.hint.setAccessibleName(_("Aide du courrier"))
        if not recipients:
            self.hint.setText(_("Personne n'est domicilié aujourd'hui : la liste vient des "
                                "conventions signées avec la domiciliation."))
        elif mail is None:
            self.hint.setText(_("Tapez quelques lettres du nom du destinataire, puis Entrée. "
                                "Pour un lot de courrier, « Enregistrer et saisir le "
                                "suivant » (Ctrl+Entrée) garde la date et le type."))
        self.hint.setVisible(bool(self.hint.text()))
        self.done_note = QLabel()
        self.done_note.setWordWrap(True)
        self.done_note.setStyleSheet("color: #1e6b3a;")
        self.done_note.setAccessibleName(_("Courrier enregistré"))
        self.done_note.setVisible(False)

        buttons, self.ok_button = dialog_buttons(
            self, _("Enregistrer") if mail is None else _("Enregistrer la correction"),
            self.save)
        self.cancel_button = next(b for b in buttons.buttons() if b is not self.ok_button)
        self.next_button = None
        if mail is None:
            self.next_button = QPushButton(_("Enregistrer et saisir le suivant"))
            self.next_button.setAccessibleName(_("Enregistrer et saisir le suivant"))
            self.next_button.setAutoDefault(False)
            self.next_button.setToolTip(_("Ctrl+Entrée"))
            self.next_button.clicked.connect(self.save_and_next)
            buttons.addButton(self.next_button, buttons.ButtonRole.ActionRole)
            for keys in ("Ctrl+Return", "Ctrl+Enter"):
                QShortcut(QKeySequence(keys), self).activated.connect(self.save_and_next)

        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(self.done_note)
        layout.addWidget(buttons)
        self._fill(mail)
        self.recipient.picked.connect(self._picked)
        self.recipient.refused.connect(self._refused)
        self.recipient.lineEdit().setFocus(Qt.FocusReason.OtherFocusReason)

    def _refused(self, error: ValidationError) -> None:
        self.errors.show(error)
        self._fit()

    def _fit(self) -> None:
        """Grow to show a message that appeared (wrapped labels: height for the width)."""
        layout = self.layout()
        layout.activate()
        needed = layout.heightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        if needed > self.height():
            self.resize(self.width(), needed)

    def _picked(self) -> None:
        """Enter in the recipient field: chosen; on to the sender (date and type are
        usually right)."""
        self.errors.clear()
        self.sender.setFocus(Qt.FocusReason.TabFocusReason)

    def _fill(self, mail: MailRecord | None) -> None:
        if mail is None:
            self.kind.setCurrentIndex(self.kind.findData(MailKind.LETTER.value))
            return
        self.recipient.select(mail.organisation_id, mail.person_id)
        self.kind.setCurrentIndex(self.kind.findData(mail.kind.value))
        self.sender.setText(mail.sender)
        self.notes.setPlainText(mail.notes)

    def record(self) -> MailRecord:
        """The line as the form says (ValidationError for an unknown recipient or an
        unreadable date)."""
        org, person, name = self.recipient.chosen()
        return MailRecord(
            id=self.mail.id if self.mail else None, organisation_id=org, person_id=person,
            recipient=name, received_on=self.received_on.date(field="received_on"),
            kind=MailKind(self.kind.currentData()), sender=self.sender.text(),
            notified_on=(self.notified_on.date(field="notified_on") if self.notified_on
                         else None),
            collected_on=(self.collected_on.date(field="collected_on") if self.collected_on
                          else None),
            notes=self.notes.toPlainText())

    def _save(self) -> MailRecord | None:
        self.errors.clear()
        try:
            record = self.record()
            if self.mail is None:
                record = dataclasses.replace(record, id=self.services.mail.receive(record))
            else:
                self.services.mail.update(record)
            self.saved.append(record)
        except MaisonError as exc:
            show_error(self, self.errors, exc)
            self._fit()
            return None
        return record

    def save(self) -> None:
        if self._save() is not None:
            self.accept()

    def save_and_next(self) -> None:
        """Saves this letter and empties the form for the next one (same day, same type)."""
        if self.mail is not None:
            return
        record = self._save()
        if record is None:
            return
        n = len(self.saved)
        self.done_note.setText(ngettext(
            "Enregistré : {what}. {n} courrier saisi dans ce lot.",
            "Enregistré : {what}. {n} courriers saisis dans ce lot.", n).format(
            what=mail_line(record), n=n))
        self.done_note.setVisible(True)
        self._fit()
        self.cancel_button.setText(_("Fermer"))
        self.cancel_button.setAccessibleName(_("Fermer"))
        self.recipient.setCurrentIndex(-1)
        self.recipient.clearEditText()
        self.sender.clear()
        self.notes.clear()
        self.recipient.lineEdit().setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def saved_ids(self) -> list[int]:
        return [m.id for m in self.saved]

    def saved_count(self) -> int:
        return len(self.saved)


# --- the tab -------------------------------------------------------------------------------------


class MailTab(QWidget):
    """Needs the app's `Services` and the shared `TaskRunner`. `loaded` is emitted each
    time the list is back (tests wait for it)."""

    loaded = Signal()

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.recipients: tuple[Recipient, ...] | None = None
        self.overdue: tuple[MailRecord, ...] = ()
        self._select_ids: set[int] | None = None  # the lines to select once the list is back
        self.may_write = allowed(services.ctx.actor.role, Area.MAIL, Access.WRITE)
        self._build()
        self.refresh()

    # --- layout -------------------------------------------------------------------------

    def _build(self) -> None:
        intro = QLabel(_("Le courrier reçu pour les structures domiciliées à la Maison : "
                         "notez chaque lettre, recommandé ou colis à son arrivée, puis quand "
                         "le destinataire a été avisé et quand il l'a retiré."))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #444;")

        self.overdue_banner = QLabel()
        self.overdue_banner.setObjectName("mailOverdue")
        self.overdue_banner.setStyleSheet(OVERDUE_STYLE)
        self.overdue_banner.setWordWrap(True)
        self.overdue_banner.setAccessibleName(_("Courrier en attente depuis longtemps"))
        self.overdue_banner.setVisible(False)

        self.banner = QLabel()
        self.banner.setObjectName("mailBanner")
        self.banner.setStyleSheet(DONE_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(_("Message du courrier"))
        self.banner.setVisible(False)

        self.search = QLineEdit()
        self.search.setAccessibleName(_("Rechercher dans le courrier"))
        self.search.setPlaceholderText(_("Rechercher un destinataire ou un expéditeur…  "
                                         "(Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.waiting_only = QCheckBox(_("En attente seulement"))
        self.waiting_only.setAccessibleName(_("En attente seulement"))
        self.waiting_only.setToolTip(_("Décochez pour voir aussi le courrier déjà retiré."))
        self.waiting_only.setChecked(True)
        self.waiting_only.toggled.connect(lambda _c: self.refresh())
        self.count_label = QLabel()
        self.count_label.setAccessibleName(_("Nombre de courriers"))
        self.count_label.setStyleSheet("color: #555;")
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addSpacing(12)
        filters.addWidget(self.waiting_only)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        day = self._today
        self.model = MailModel([
            Column(_("Reçu le"), lambda m: _day(m.received_on),
                   sort_key=lambda m: (m.received_on, m.id or 0)),
            Column(_("Destinataire"), lambda m: m.recipient,
                   sort_key=lambda m: search_key(m.recipient)),
            Column(_("Type"), lambda m: m.kind.label),
            Column(_("Expéditeur"), lambda m: m.sender,
                   sort_key=lambda m: search_key(m.sender)),
            Column(_("Avisé le"), lambda m: _day(m.notified_on) if m.notified_on else
                   (_("à aviser") if m.waiting else ""),
                   sort_key=lambda m: m.notified_on or dt.date.min),
            Column(_("Retiré le"), lambda m: waiting_text(m, day()),
                   sort_key=lambda m: m.collected_on or dt.date.max),
            Column(_("Notes"), lambda m: " ".join(m.notes.split())),
        ], day, parent=self)
        self.table, self.proxy = record_table(_("Courrier reçu"), self.model,
                                              widths=(135, 230, 100, 200, 135, 200))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.correct_selected())
        self.table.installEventFilter(self)

        def button(text: str, slot, tip: str = "") -> QPushButton:
            b = QPushButton(text)
            b.setAccessibleName(text)
            if tip:
                b.setToolTip(tip)
            b.clicked.connect(slot)
            return b

        self.new_button = button(_("Courrier reçu…"), self.new_mail,
                                 _("Enregistrer un courrier arrivé (Ctrl+N)"))
        self.notify_button = button(_("Avisé"), self.notify_selected)
        self.collect_button = button(_("Retiré"), self.collect_selected)
        self.correct_button = button(_("Corriger…"), self.correct_selected)
        self.delete_button = button(_("Supprimer"), self.delete_selected)
        font = self.new_button.font()
        font.setBold(True)
        self.new_button.setFont(font)
        chosen_label = QLabel(_("Marquer les lignes choisies :"))
        chosen_label.setStyleSheet("color: #555;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addSpacing(24)
        buttons.addWidget(chosen_label)
        buttons.addWidget(self.notify_button)
        buttons.addWidget(self.collect_button)
        buttons.addStretch(1)
        buttons.addWidget(self.correct_button)
        buttons.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.overdue_banner)
        layout.addWidget(self.banner)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        add_shortcuts(self, [(QKeySequence.StandardKey.Refresh, self.refresh),
                             (QKeySequence.StandardKey.Find, self.focus_search),
                             ("Ctrl+N", self.new_mail)])
        self._update_buttons()

    def _today(self) -> dt.date:
        return today(self.services)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress \
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                          Qt.KeyboardModifier.KeypadModifier):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.correct_selected()
                return True
            if event.key() == Qt.Key.Key_Delete:
                self.delete_selected()
                return True
        return super().eventFilter(watched, event)

    # --- the list -----------------------------------------------------------------------

    def refresh(self) -> None:
        self._timer.stop()
        mail = self.services.mail
        waiting_only = self.waiting_only.isChecked()
        query = self.search.text()

        def load():
            return mail.log(waiting_only=waiting_only, query=query), mail.overdue(), \
                mail.recipients()

        self.tasks.run(load, on_success=guarded(self, self._show),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"mail-{id(self)}")

    def _show(self, result) -> None:
        lines, overdue, recipients = result
        keep = self._select_ids if self._select_ids is not None else {
            m.id for m in self.selected()}
        self._select_ids = None
        self.recipients = tuple(recipients)
        self.overdue = tuple(overdue)
        self.model.set_records(lines)
        self._select(keep)

        if overdue:
            self.overdue_banner.setText(overdue_text(overdue))
        self.overdue_banner.setVisible(bool(overdue))
        n = len(lines)
        if self.waiting_only.isChecked():
            text = ngettext("{n} courrier en attente", "{n} courriers en attente",
                            n).format(n=n)
        else:
            text = ngettext("{n} courrier", "{n} courriers", n).format(n=n)
        to_notify = sum(1 for m in lines if m.waiting and m.notified_on is None)
        if to_notify:
            text += ngettext(", dont {n} à aviser", ", dont {n} à aviser",
                             to_notify).format(n=to_notify)
        self.count_label.setText(text)
        self._update_buttons()
        self.loaded.emit()

    def _select(self, ids: set[int]) -> None:
        self.table.clearSelection()
        if not ids:
            return
        selection = QItemSelection()
        first = None
        for row, mail in enumerate(self.model.records()):
            if mail.id in ids:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                selection.select(index, index)
                first = index if first is None or index.row() < first.row() else first
        if first is None:
            return
        flags = (QItemSelectionModel.SelectionFlag.Select
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.table.selectionModel().select(selection, flags)
        self.table.selectionModel().setCurrentIndex(
            first, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.scrollTo(first)

    def selected(self) -> list[MailRecord]:
        rows = sorted(self.proxy.mapToSource(i).row()
                      for i in self.table.selectionModel().selectedRows())
        return [self.model.record(r) for r in rows]

    def _update_buttons(self) -> None:
        chosen = self.selected()
        waiting = [m for m in chosen if m.waiting]
        self.new_button.setEnabled(self.may_write)
        self.notify_button.setEnabled(self.may_write and bool(waiting))
        self.collect_button.setEnabled(self.may_write and bool(waiting))
        self.correct_button.setEnabled(self.may_write and len(chosen) == 1)
        self.delete_button.setEnabled(self.may_write and len(chosen) == 1)
        if not chosen:
            tip = _("Choisissez d'abord une ou plusieurs lignes dans la liste.")
        elif not waiting:
            tip = _("Ces courriers sont déjà retirés.")
        else:
            tip = ""
        self.notify_button.setToolTip(tip or ngettext(
            "Noter que le destinataire a été prévenu aujourd'hui ({n} courrier)",
            "Noter que les destinataires ont été prévenus aujourd'hui ({n} courriers)",
            len(waiting)).format(n=len(waiting)))
        self.collect_button.setToolTip(tip or ngettext(
            "Noter que le courrier a été retiré aujourd'hui ({n} courrier)",
            "Noter que les courriers ont été retirés aujourd'hui ({n} courriers)",
            len(waiting)).format(n=len(waiting)))
        one = _("Choisissez une seule ligne.") if len(chosen) > 1 else ""
        self.correct_button.setToolTip(one or (
            _("Choisissez d'abord une ligne dans la liste.") if not chosen
            else _("Entrée ou double-clic")))
        self.delete_button.setToolTip(one or (
            _("Choisissez d'abord une ligne dans la liste.") if not chosen
            else _("Supprimer une ligne saisie par erreur (Suppr)")))

    def _done(self, text: str, select: Sequence[int] = ()) -> None:
        self._select_ids = set(select)
        self.banner.setText(text)
        self.banner.setVisible(True)
        self.refresh()

    # --- actions ------------------------------------------------------------------------

    def _recipients(self) -> tuple[Recipient, ...]:
        if self.recipients is None:  # the list is not back yet: ask now
            self.recipients = self.services.mail.recipients()
        return self.recipients

    def _dialog(self, mail: MailRecord | None) -> MailDialog:
        """The dialog of a line (tests replace this to drive it)."""
        return MailDialog(self.services, recipients=self._recipients(), mail=mail, parent=self)

    def new_mail(self) -> None:
        if not self.may_write:
            return
        try:
            dialog = self._dialog(None)
        except MaisonError as exc:
            messages.show_error(self, exc)
            return
        dialog.exec()
        n = dialog.saved_count()
        if n == 1:
            self._done(_("Courrier enregistré : {what}. Pensez à aviser le destinataire.")
                       .format(what=mail_line(dialog.saved[0])), dialog.saved_ids)
        elif n > 1:
            self._done(ngettext("{n} courrier enregistré. Pensez à aviser les destinataires.",
                                "{n} courriers enregistrés. Pensez à aviser les destinataires.",
                                n).format(n=n), dialog.saved_ids)

    def correct_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or not self.may_write:
            return
        dialog = self._dialog(chosen[0])
        if dialog.exec() and dialog.saved:
            self._done(_("Ligne corrigée : {what}.").format(what=mail_line(dialog.saved[0])),
                       dialog.saved_ids)

    def _waiting_selected(self) -> list[MailRecord]:
        return [m for m in self.selected() if m.waiting]

    def notify_selected(self) -> None:
        lines = self._waiting_selected()
        if not lines or not self.may_write:
            return
        day = today(self.services)
        try:
            self.services.mail.notify(mail_ids=[m.id for m in lines], on=day)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.refresh()
            return
        n = len(lines)
        self._done(ngettext("{n} courrier noté avisé aujourd'hui ({day}).",
                            "{n} courriers notés avisés aujourd'hui ({day}).", n).format(
            n=n, day=format_date(day)), [m.id for m in lines])

    def collect_selected(self) -> None:
        lines = self._waiting_selected()
        if not lines or not self.may_write:
            return
        day = today(self.services)
        n = len(lines)
        listed = "\n".join(f"• {mail_line(m)}" for m in lines[:10])
        if n > 10:
            listed += "\n" + ngettext("… et {n} autre", "… et {n} autres", n - 10).format(
                n=n - 10)
        question = ngettext(
            "Noter {n} courrier comme retiré aujourd'hui ({day}) ?",
            "Noter {n} courriers comme retirés aujourd'hui ({day}) ?", n).format(
            n=n, day=format_date(day)) + "\n\n" + listed
        if not messages.confirm(self, question, title=_("Courrier retiré"),
                                yes=ngettext("Retiré ({n})", "Retirés ({n})", n).format(n=n)):
            return
        try:
            self.services.mail.collect(mail_ids=[m.id for m in lines], on=day)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.refresh()
            return
        self._done(ngettext("{n} courrier retiré aujourd'hui ({day}).",
                            "{n} courriers retirés aujourd'hui ({day}).", n).format(
            n=n, day=format_date(day)))

    def delete_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or not self.may_write:
            return
        mail = chosen[0]
        question = _("Supprimer cette ligne du courrier ?\n\n{what}\n\nSeulement pour une ligne "
                     "saisie par erreur : un courrier remis au destinataire se note avec "
                     "« Retiré ».").format(what=mail_line(mail))
        if not messages.confirm(self, question, title=_("Supprimer une ligne du courrier"),
                                yes=_("Supprimer"), destructive=True):
            return
        try:
            self.services.mail.delete(mail_id=mail.id)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.refresh()
            return
        self._done(_("Ligne supprimée : {what}.").format(what=mail_line(mail)))

