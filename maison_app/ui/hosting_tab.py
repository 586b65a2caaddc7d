"""The "Hébergement" tab of the settings: the programmes of the incubator (pépinière, hôtel
d'entreprises…) and what every hosting agreement starts from — the VAT rate, the notice,
who signs for the house — and the house's own texts of the conventions (preamble,
insurance article, special clauses, règlement intérieur).

Like the other tabs of the dialog, nothing is written before "Enregistrer", and "Annuler"
throws everything away: programmes added, changed or deactivated here are kept as drafts
until then. The texts are checked (`hosting_texts.check_texts`) before anything of the
dialog is written, so a refusal leaves the settings as they were, with the message under
the field. Without the right to change the settings, the tab is read-only; a role that may
not see the programmes sees the texts only.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.errors import MaisonError, ValidationError
from maison_app.domain.hosting import HostingTexts, ProgrammeRecord
from maison_app.domain.text import search_key
from maison_app.i18n import _, ngettext
from maison_app.services.hosting_texts import (
    MAX_NOTICE_MONTHS,
    MAX_SIGNATORY_LENGTH,
    MIN_NOTICE_MONTHS,
    VAT_RATES_BP,
    check_texts,
    default_internal_rules,
    vat_label,
)
from maison_app.ui import messages
from maison_app.ui.forms import FieldWithError, FormErrors, dialog_buttons
from maison_app.ui.shortcuts import add_shortcuts
from maison_app.ui.table_model import Column, RecordTableModel, record_table
from maison_app.ui.table_with_buttons import table_with_buttons

HINT_STYLE = "color: #444; font-size: 90%;"
MAX_PROGRAMME_NAME = 100
MAX_PROGRAMME_MONTHS = 120
TEXT_HEIGHT = 96  # at least; more when the dialog is taller


def months_text(months: int | None) -> str:
    if months is None:
        return _("sans limite")
    return ngettext("{n} mois", "{n} mois", months).format(n=months)


def _hint(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    label.setAccessibleName(name)
    return label


class _TextEdit(QPlainTextEdit):
    """A text of the conventions: modest preferred height, so the tab fits on a laptop
    screen; it grows with the dialog."""

    def sizeHint(self):  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        hint.setHeight(TEXT_HEIGHT + 24)
        return hint


class _RowCapture:
    """Stands in for a QFormLayout in FormErrors.add_row: the slot it makes is placed by
    hand (a text's page), its error still shown by field name."""

    def addRow(self, label: str, widget: QWidget) -> None:  # noqa: N802 - Qt's name
        pass


@dataclass
class _Draft:
    """A programme as the tab shows it, and as it is in the database (`saved`, None while
    it is new)."""

    key: int  # the programme's id, or a negative number while new
    record: ProgrammeRecord
    saved: ProgrammeRecord | None


class ProgrammeDialog(QDialog):
    """A new programme, or the name, longest stay and description of one. The name is
    refused under its field when empty, too long or taken; the stay when it is not a number
    of months from 1 to 120 (empty: no limit)."""

    def __init__(self, title: str, ok_label: str, record: ProgrammeRecord, taken, parent=None
                 ) -> None:
        super().__init__(parent)
        self.record = record
        self.taken = taken  # name -> bool: another programme of the tab has it
        self.value: ProgrammeRecord | None = None
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(460)
        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit(record.name)
        self.name.setMaxLength(MAX_PROGRAMME_NAME + 20)  # longer is refused with a message
        self.name.setPlaceholderText(_("par exemple : Pépinière"))
        self.errors.add_row(form, _("Nom du programme *"), "name", self.name,
                            _("Nom du programme"))
        self.max_months = QLineEdit("" if record.max_months is None else str(record.max_months))
        self.max_months.setMaxLength(6)
        self.max_months.setPlaceholderText(_("vide : sans limite"))
        self.errors.add_row(form, _("Durée maximale (mois)"), "max_months", self.max_months,
                            _("Durée maximale en mois"))
        self.description = QPlainTextEdit(record.description)
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(80)
        self.errors.add_row(form, _("Description"), "description", self.description,
                            _("Description du programme"))
        buttons, self.ok_button = dialog_buttons(self, ok_label, self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_hint(
            _("La durée maximale est celle d'un séjour dans le programme (23 mois pour une "
              "pépinière, par exemple) : un projet qui en approche est signalé. Laissez vide "
              "s'il n'y a pas de limite."),
            _("À propos de la durée maximale")))
        layout.addWidget(buttons)
        self.name.selectAll()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _checked(self) -> ProgrammeRecord:
        name = " ".join(self.name.text().split())
        if not name:
            raise ValidationError(_("Le nom du programme est obligatoire."), field="name")
        if len(name) > MAX_PROGRAMME_NAME:
            raise ValidationError(_("Ce nom est trop long ({n} caractères au plus).").format(
                n=MAX_PROGRAMME_NAME), field="name")
        if self.taken(name):
            raise ValidationError(_("Un programme porte déjà ce nom."), field="name")
        text = self.max_months.text().strip()
        months: int | None = None
        if text:
            if not text.isdigit() or not 1 <= int(text) <= MAX_PROGRAMME_MONTHS:
                raise ValidationError(
                    _("Indiquez un nombre de mois de 1 à {n}, ou laissez vide : sans "
                      "limite.").format(n=MAX_PROGRAMME_MONTHS), field="max_months")
            months = int(text)
        return replace(self.record, name=name, max_months=months,
                       description=self.description.toPlainText().strip())

    def accept(self) -> None:  # noqa: D102 - Qt override: check, or stay open
        self.errors.clear()
        try:
            self.value = self._checked()
        except ValidationError as error:
            self.errors.show(error)
            return
        super().accept()


class HostingSettingsTab(QWidget):
    """Needs `services.hosting_texts`; `projects` (`services.projects`, or None) for the
    programmes. `editable`: may this user change the settings?"""

    grew = Signal()  # an error message appeared: the dialog makes room for it

    def __init__(self, hosting_texts, projects=None, *, editable: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hosting_texts = hosting_texts
        self.projects = projects
        self.editable = editable
        self.loaded: HostingTexts = hosting_texts.texts()
        self._new_keys = itertools.count(-1, -1)
        self._drafts: list[_Draft] | None = None  # None: no programmes shown
        if projects is not None:
            try:
                self._drafts = [_Draft(key=p.id, record=p, saved=p)
                                for p in projects.programmes(include_inactive=True)]
            except MaisonError:  # a role that may not see them: the texts only
                self._drafts = None
        self.errors = FormErrors()
        self._slots: dict[str, FieldWithError] = {}
        self._build()
        self.show_texts(self.loaded)
        if self._drafts is not None:
            self._show_programmes()

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        if not self.editable:
            layout.addWidget(_hint(
                _("Seule l'administration peut modifier les réglages de l'hébergement."),
                _("Réglages de l'hébergement en lecture seule")))
        if self._drafts is not None:
            layout.addWidget(self._build_programmes())
        layout.addWidget(self._build_defaults())
        layout.addWidget(self._build_texts(), 1)

    def _button(self, text: str, name: str, slot, tip: str = "") -> QPushButton:
        b = QPushButton(text)
        b.setAccessibleName(name)
        if tip:
            b.setToolTip(tip)
        b.clicked.connect(slot)
        return b

    def _build_programmes(self) -> QGroupBox:
        box = QGroupBox(_("Programmes d'accompagnement"))
        self.model: RecordTableModel[_Draft] = RecordTableModel([
            Column(_("Programme"), lambda d: d.record.name),
            Column(_("Durée maximale"), lambda d: months_text(d.record.max_months),
                   align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            Column(_("État"), lambda d: _("actif") if d.record.active else _("désactivé")),
            Column(_("Description"), lambda d: " ".join(d.record.description.split()),
                   tooltip=lambda d: d.record.description),
        ], parent=self)
        self.table, _proxy = record_table(_("Programmes d'accompagnement"), self.model,
                                          sortable=False, proxy=False, widths=(150, 110, 80))
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.selectionModel().currentRowChanged.connect(
            lambda *_args: self._update_buttons())
        self.table.doubleClicked.connect(lambda _index: self.edit_programme())
        add_shortcuts(self.table, [("Return", self.edit_programme), ("Enter", self.edit_programme),
                                   ("F2", self.edit_programme), ("Insert", self.add_programme)],
                      context=Qt.ShortcutContext.WidgetShortcut)
        self.add_button = self._button(_("Ajouter…"), _("Ajouter un programme"),
                                       self.add_programme, _("Ajouter (Inser)"))
        self.edit_button = self._button(_("Modifier…"), _("Modifier le programme"),
                                        self.edit_programme, _("Modifier (Entrée)"))
        self.toggle_button = self._button(_("Désactiver"),
                                          _("Désactiver ou réactiver le programme"),
                                          self.toggle_programme)
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(table_with_buttons(
            self.table, (self.add_button, self.edit_button, self.toggle_button)))
        box_layout.addWidget(_hint(
            _("Désactivé : plus proposé aux nouveaux projets ; les projets inscrits le "
              "gardent."),
            _("À propos des programmes")))
        return box

    def _build_defaults(self) -> QGroupBox:
        box = QGroupBox(_("Conventions d'hébergement"))
        self.vat = QComboBox()
        for rate in VAT_RATES_BP:
            self.vat.addItem(vat_label(rate), rate)
        self.vat.setEnabled(self.editable)
        self.notice = QSpinBox()
        self.notice.setRange(MIN_NOTICE_MONTHS, MAX_NOTICE_MONTHS)
        self.notice.setSuffix(_(" mois"))
        self.notice.setReadOnly(not self.editable)
        self.signatory = QLineEdit()
        self.signatory.setMaxLength(MAX_SIGNATORY_LENGTH + 20)  # longer: refused, said
        if self.editable:
            self.signatory.setPlaceholderText(_("par exemple : Mme Claire Dupuis, présidente"))
        self.signatory.setReadOnly(not self.editable)
        labels = {}
        for name, label, accessible, field in (
            ("vat_bp", _("Taux de TVA"), _("Taux de TVA des redevances"), self.vat),
            ("default_notice_months", _("Préavis"), _("Préavis par défaut"), self.notice),
            ("host_signatory", _("Signataire pour la maison"), _("Signataire pour la maison"),
             self.signatory),
        ):
            self._slots[name] = self.errors.add_row(_RowCapture(), label, name, field,
                                                    accessible)
            labels[name] = QLabel(label)
            labels[name].setBuddy(field)
        self.notice.findChild(QLineEdit).setAccessibleName(self.notice.accessibleName())
        # the rate and the notice side by side, each with its error under it
        rates = QHBoxLayout()
        rates.setContentsMargins(0, 0, 0, 0)
        rates.addWidget(self._slots["vat_bp"], 0, Qt.AlignmentFlag.AlignTop)
        notice_label = labels["default_notice_months"]
        notice_label.setContentsMargins(16, 0, 0, 0)
        rates.addWidget(notice_label, 0, Qt.AlignmentFlag.AlignTop)
        rates.addWidget(self._slots["default_notice_months"], 1, Qt.AlignmentFlag.AlignTop)
        for name, field in (("vat_bp", self.vat), ("default_notice_months", self.notice)):
            # the field keeps its width; its error may use the rest of the line
            self._slots[name].layout().setAlignment(field, Qt.AlignmentFlag.AlignLeft)
        notice_label.setMinimumHeight(self.notice.sizeHint().height())
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(labels["vat_bp"], rates)
        form.addRow(labels["host_signatory"], self._slots["host_signatory"])
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(form)
        box_layout.addWidget(_hint(
            _("Taux et préavis proposés dans chaque nouvelle convention, qui peut les changer. "
              "Le signataire (nom et qualité) est imprimé sous « Pour la maison » dans les "
              "conventions et les attestations."),
            _("À propos des conventions d'hébergement")))
        return box

    def _build_texts(self) -> QGroupBox:
        box = QGroupBox(_("Textes des conventions"))
        self.text_tabs = QTabWidget()
        self.text_tabs.setAccessibleName(_("Textes des conventions"))
        self.texts: dict[str, QPlainTextEdit] = {}
        self._text_pages: dict[str, QWidget] = {}
        for name, tab_label, accessible, hint in (
            ("preamble", _("Préambule"), _("Préambule des conventions"),
             _("Imprimé en tête de chaque convention, après la désignation des parties et "
               "avant le premier article. Vide : le préambule type est imprimé (la pépinière, "
               "un séjour temporaire accompagné vers l'autonomie).")),
            ("insurance_text", _("Assurances"), _("Article sur les assurances"),
             _("Remplace le texte standard de l'article « Assurances » de chaque convention. "
               "Vide : le texte standard est imprimé.")),
            ("special_clauses", _("Clauses particulières"), _("Clauses particulières"),
             _("Imprimées dans chaque convention après les articles standard, sous le titre "
               "« Clauses particulières ». Vide : aucune.")),
            ("internal_rules", _("Règlement intérieur"), _("Règlement intérieur"),
             _("Joint en annexe à chaque convention : l'occupant s'engage à le respecter. "
               "Vide : l'annexe dit seulement que le règlement a été remis à l'occupant.")),
        ):
            edit = _TextEdit()
            edit.setAccessibleName(accessible)
            edit.setTabChangesFocus(True)
            edit.setReadOnly(not self.editable)
            edit.setMinimumHeight(TEXT_HEIGHT)
            slot = self.errors.add_row(
                _RowCapture(), accessible, name, edit, accessible)  # type: ignore[arg-type]
            self._slots[name] = slot
            self.texts[name] = edit
            page = QWidget()
            page_layout = QVBoxLayout(page)
            page_layout.addWidget(_hint(hint, _("Où s'imprime : {text}").format(
                text=accessible)))
            page_layout.addWidget(slot, 1)
            if name == "internal_rules":
                self.rules_reset = self._button(
                    _("Reprendre le règlement type"), _("Reprendre le règlement type"),
                    self.reset_internal_rules,
                    _("Remplace le texte par le modèle de règlement intérieur fourni"))
                self.rules_reset.setEnabled(self.editable)
                line = QHBoxLayout()
                line.addStretch(1)
                line.addWidget(self.rules_reset)
                page_layout.addLayout(line)
            self._text_pages[name] = page
            self.text_tabs.addTab(page, tab_label)
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.text_tabs)
        return box

    # --- the texts ------------------------------------------------------------------------

    def show_texts(self, texts: HostingTexts) -> None:
        index = self.vat.findData(texts.vat_bp)
        self.vat.setCurrentIndex(index if index >= 0 else 0)
        self.notice.setValue(texts.default_notice_months)
        self.signatory.setText(texts.host_signatory)
        for name, edit in self.texts.items():
            edit.setPlainText(getattr(texts, name))

    def texts_from_form(self) -> HostingTexts:
        return HostingTexts(
            preamble=self.texts["preamble"].toPlainText(),
            special_clauses=self.texts["special_clauses"].toPlainText(),
            internal_rules=self.texts["internal_rules"].toPlainText(),
            host_signatory=self.signatory.text(),
            vat_bp=self.vat.currentData(),
            default_notice_months=self.notice.value(),
            insurance_text=self.texts["insurance_text"].toPlainText(),
        )

    def reset_internal_rules(self) -> None:
        if not self.editable:
            return
        edit = self.texts["internal_rules"]
        model = default_internal_rules()
        current = edit.toPlainText().strip()
        if current == model:
            return
        if current and not messages.confirm(
                self, _("Le règlement intérieur saisi sera remplacé par le règlement type. "
                        "Continuer ?"),
                title=_("Reprendre le règlement type"), yes=_("Remplacer")):
            return
        edit.setPlainText(model)

    def show_error(self, error: ValidationError) -> bool:
        """The message under its field (the text's page shown); False when not ours."""
        if not self.errors.show(error):
            return False
        for name, page in self._text_pages.items():
            if name == error.field:
                self.text_tabs.setCurrentWidget(page)
        self._slots[error.field].field.setFocus()
        self.grew.emit()
        return True

    # --- the programmes -------------------------------------------------------------------

    def selected(self) -> _Draft | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def _select(self, key: int | None) -> None:
        for row, d in enumerate(self.model.records()):
            if d.key == key:
                self.table.setCurrentIndex(self.model.index(row, 0))
                self.table.selectRow(row)

    def _show_programmes(self, select_key: int | None = None) -> None:
        if select_key is None and self.selected() is not None:
            select_key = self.selected().key
        self.model.set_records(self._drafts or [])
        self._select(select_key)
        rows = min(max(len(self._drafts or []), 4), 8) + 1  # a spare line: the list has an end
        header = self.table.horizontalHeader().sizeHint().height()
        row_height = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(header + rows * row_height + 2 * self.table.frameWidth())
        self._update_buttons()

    def _update_buttons(self) -> None:
        d = self.selected()
        self.add_button.setEnabled(self.editable)
        self.edit_button.setEnabled(self.editable and d is not None)
        self.toggle_button.setEnabled(self.editable and d is not None)
        self.toggle_button.setText(_("Réactiver") if d is not None and not d.record.active
                                   else _("Désactiver"))

    def _taken(self, draft: _Draft | None):
        def taken(name: str) -> bool:
            key = search_key(name)  # "pepiniere" is "Pépinière", as the service says
            return any(d is not draft and search_key(d.record.name) == key
                       for d in self._drafts or [])
        return taken

    def _ask(self, title: str, ok_label: str, record: ProgrammeRecord, draft: _Draft | None
             ) -> ProgrammeRecord | None:
        dialog = ProgrammeDialog(title, ok_label, record, self._taken(draft), self)
        try:
            return dialog.value if dialog.exec() else None
        finally:
            dialog.setParent(None)  # gone with its last reference, not left in the tab
            dialog.deleteLater()

    def add_programme(self) -> None:
        if not self.editable or self._drafts is None:
            return
        record = self._ask(_("Nouveau programme"), _("Ajouter"),
                           ProgrammeRecord(id=None, name=""), None)
        if record is None:
            return
        draft = _Draft(key=next(self._new_keys), record=record, saved=None)
        self._drafts.append(draft)
        self._show_programmes(draft.key)

    def edit_programme(self) -> None:
        draft = self.selected()
        if draft is None or not self.editable:
            return
        record = self._ask(_("Modifier le programme"), _("Valider"), draft.record, draft)
        if record is None:
            return
        draft.record = record
        self._show_programmes(draft.key)

    def toggle_programme(self) -> None:
        draft = self.selected()
        if draft is None or not self.editable:
            return
        draft.record = replace(draft.record, active=not draft.record.active)
        self._show_programmes(draft.key)

    def programme_names(self) -> list[str]:
        """The programmes as listed (with "(désactivé)" after those not offered)."""
        return [d.record.name if d.record.active
                else _("{name} (désactivé)").format(name=d.record.name)
                for d in self._drafts or []]

    # --- checking and saving (by the dialog's "Enregistrer") -------------------------------

    def check(self) -> bool:
        """The texts are acceptable; False with the message under the first wrong field."""
        self.errors.clear()
        if not self.editable:
            return True
        try:
            check_texts(self.texts_from_form())
        except ValidationError as error:
            if not self.show_error(error):
                messages.warn(self, error.message)
            return False
        return True

    def save(self) -> bool:
        """Write what changed. False when something was refused (said next to the field or
        in a message); what was saved before the refusal stays saved and is not written
        twice."""
        if not self.editable:
            return True
        draft: _Draft | None = None
        try:
            for draft in self._drafts or []:
                if draft.saved != draft.record:
                    new_id = self.projects.save_programme(draft.record)
                    draft.record = replace(draft.record, id=new_id)
                    draft.saved = draft.record
            draft = None
            wanted = check_texts(self.texts_from_form())
            if wanted != check_texts(self.loaded):
                self.loaded = self.hosting_texts.save_texts(wanted)
        except ValidationError as error:
            if draft is not None:
                self._show_programmes(draft.key)
                messages.warn(self, _("Programme « {name} » : {message}").format(
                    name=draft.record.name, message=error.message))
            elif not self.show_error(error):
                messages.warn(self, error.message)
            return False
        except MaisonError as error:
            messages.show_error(self, error)
            return False
        return True
