"""Importing people and organisations from a spreadsheet (CSV or XLSX).

The receptionist or the administrator chooses a file (or drops it on the dialog); the
dialog shows, before anything is written, how the columns were understood (column of the
file → field), every line with what will be done to it and, for a line in error, why,
with the line number of the spreadsheet; the counts to create, to update, in error. The
button « Importer N lignes » writes every valid line at once (all or nothing), after a
confirmation when some lines are in error (they are left out). The result is shown at the
end; closing the dialog then refreshes the members list.

Reading the file and writing it go through the task runner."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QStandardPaths, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import MemberKind
from maison_app.domain.errors import MaisonError
from maison_app.domain.permissions import Access, Area
from maison_app.domain.spreadsheet import (
    ColumnMapping,
    Field,
    ImportPreview,
    ImportReport,
    ImportRow,
    RowAction,
)
from maison_app.i18n import _, format_number, ngettext
from maison_app.services.permissions import can
from maison_app.ui import messages
from maison_app.ui.table_model import Column, RecordTableModel, record_table

BANNER_STYLES = {
    "info": "background: #eef3f8; border: 1px solid #b5c8dc;",
    "ok": "background: #e3f1e8; border: 1px solid #9cc8ab;",
    "warn": "background: #fff4e0; border: 1px solid #e0b870;",
    "error": "background: #fde7e9; border: 1px solid #d9a3a8;",
}
ERROR_BACKGROUND = QColor("#fde7e9")
ERROR_TEXT = QColor("#8c1d18")
QUIET_TEXT = QColor("#6b6b6b")
ACTION_COLOURS = {
    RowAction.CREATE: QColor("#1e6b34"),
    RowAction.UPDATE: QColor("#1d4f91"),
}


def _ask_import_path(parent: QWidget) -> str:
    """The file to import ("" if cancelled). Tests replace it (or call `load`)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path, _filter = QFileDialog.getOpenFileName(
        parent, _("Choisir le fichier à importer"), location or str(Path.home()),
        _("Tableaux CSV ou Excel (*.csv *.xlsx *.txt);;Tous les fichiers (*)"))
    return path


class _TintedModel(RecordTableModel):
    """A record table whose rows may be coloured (lines in error, columns left aside)."""

    def __init__(self, columns, *, background=None, foreground=None) -> None:
        super().__init__(columns)
        self._background = background
        self._foreground = foreground

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid():
            record = self.record(index.row())
            if role == Qt.ItemDataRole.BackgroundRole and self._background:
                colour = self._background(record, index.column())
                return QBrush(colour) if colour is not None else None
            if role == Qt.ItemDataRole.ForegroundRole and self._foreground:
                colour = self._foreground(record, index.column())
                return QBrush(colour) if colour is not None else None
        return super().data(index, role)


def _kind_label(row: ImportRow) -> str:
    if row.kind is MemberKind.PERSON:
        return _("Personne")
    if row.kind is MemberKind.ORGANISATION:
        return _("Structure")
    return ""


def _row_background(row: ImportRow, _column: int):
    return ERROR_BACKGROUND if row.action is RowAction.ERROR else None


def _row_foreground(row: ImportRow, column: int):
    if row.action is RowAction.ERROR:
        return ERROR_TEXT
    if row.action in (RowAction.UNCHANGED, RowAction.SKIP):
        return QUIET_TEXT
    if column == 1:
        return ACTION_COLOURS.get(row.action)
    return None


class ImportDialog(QDialog):
    """Needs the app's `Services` and the shared `TaskRunner`. `load(path)` reads a file
    without the file chooser; `exec()` returns Accepted once something was imported."""

    loaded = Signal()  # a preview (or a refusal of the file) is shown
    imported = Signal()  # the import is done

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.preview: ImportPreview | None = None
        self.report: ImportReport | None = None
        self.can_import = can(services.ctx.actor, Area.MEMBERSHIP, Access.WRITE)
        title = _("Importer des personnes et des structures")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setAcceptDrops(True)
        self.resize(1280, 720)
        self._build()
        self._show_start()

    # --- layout -------------------------------------------------------------------------

    def _build(self) -> None:
        intro = QLabel(_(
            "Un fichier CSV (séparateur « ; » ou « , ») ou Excel (.xlsx), une ligne par "
            "personne ou par structure ; la première ligne donne le nom des colonnes : Nom, "
            "Prénom, Courriel, Téléphone, Adresse, Code postal, Ville, Structure, SIRET, "
            "Forme juridique, Collège, Cotisation, Montant payé… Rien n'est enregistré avant "
            "que vous cliquiez sur « Importer ». Les fiches déjà connues (même e-mail, même "
            "SIRET) sont mises à jour, pas recréées."))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #444;")

        self.choose_button = QPushButton(_("Choisir un fichier…"))
        self.choose_button.setAccessibleName(_("Choisir un fichier"))
        self.choose_button.setToolTip(_("Ctrl+O — vous pouvez aussi déposer le fichier sur "
                                        "cette fenêtre"))
        self.choose_button.clicked.connect(self.choose_file)
        self.choose_button.setDefault(True)
        self.file_label = QLabel()
        self.file_label.setAccessibleName(_("Fichier choisi"))
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Open), self, self.choose_file)

        self.banner = QFrame()
        self.banner.setObjectName("importBanner")
        self.banner_text = QLabel()
        self.banner_text.setAccessibleName(_("Message de l'import"))
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(10, 6, 10, 6)
        banner_layout.addWidget(self.banner_text)

        self.counts = QLabel()
        self.counts.setAccessibleName(_("Nombre de lignes"))
        self.counts.setStyleSheet("font-weight: 600;")

        # the columns of the file and what they fill
        self.mapping_model: _TintedModel = _TintedModel(
            [Column(_("Colonne du fichier"), lambda c: f"{c.letter} · {c.header}"),
             Column(_("Devient"), lambda c: c.label)],
            foreground=lambda c, _col: QUIET_TEXT if c.field is None else None)
        self.mapping_view, _proxy = record_table(_("Colonnes reconnues"), self.mapping_model,
                                                 sortable=False, proxy=False, widths=(140,))
        mapping_title = QLabel(_("Colonnes reconnues"))
        mapping_title.setStyleSheet("font-weight: 600;")
        mapping_title.setBuddy(self.mapping_view)
        mapping_box = QWidget()
        mapping_layout = QVBoxLayout(mapping_box)
        mapping_layout.setContentsMargins(0, 0, 0, 0)
        mapping_layout.addWidget(mapping_title)
        mapping_layout.addWidget(self.mapping_view, 1)

        # the lines of the file
        self.rows_model: _TintedModel = _TintedModel(
            [Column(_("Ligne"), lambda r: str(r.line),
                    align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
             Column(_("Résultat"), lambda r: r.action.label),
             Column(_("Type"), _kind_label),
             Column(_("Nom"), lambda r: r.name),
             Column(_("Structure"), lambda r: r.organisation_names
                    if r.kind is MemberKind.PERSON else ""),
             Column(_("E-mail"), self._email_of),
             Column(_("Erreurs, ou ce qui sera fait"), lambda r: r.message,
                    tooltip=lambda r: "\n".join(r.errors or r.notes))],
            background=_row_background, foreground=_row_foreground)
        self.rows_view, _proxy = record_table(_("Lignes du fichier"), self.rows_model,
                                              sortable=False, proxy=False,
                                              widths=(48, 112, 74, 150, 150, 180))
        self.rows_view.selectionModel().selectionChanged.connect(lambda *_: self._show_detail())
        self.only_errors = QCheckBox(_("Seulement les lignes en erreur"))
        self.only_errors.setAccessibleName(_("Seulement les lignes en erreur"))
        self.only_errors.toggled.connect(lambda _on: self._fill_rows())
        rows_title = QLabel(_("Lignes du fichier"))
        rows_title.setStyleSheet("font-weight: 600;")
        rows_title.setBuddy(self.rows_view)
        rows_head = QHBoxLayout()
        rows_head.addWidget(rows_title)
        rows_head.addStretch(1)
        rows_head.addWidget(self.only_errors)
        self.detail = QLabel()
        self.detail.setAccessibleName(_("Détail de la ligne"))
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setStyleSheet("padding: 6px; background: #f6f6f4; border-radius: 4px;")
        self.detail.setMinimumHeight(48)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        rows_box = QWidget()
        rows_layout = QVBoxLayout(rows_box)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        rows_layout.addLayout(rows_head)
        rows_layout.addWidget(self.rows_view, 1)
        rows_layout.addWidget(self.detail)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(mapping_box)
        splitter.addWidget(rows_box)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 980])
        splitter.setChildrenCollapsible(False)

        self.import_button = QPushButton(_("Importer"))
        self.import_button.setAccessibleName(_("Importer"))
        self.import_button.setAutoDefault(False)
        self.import_button.clicked.connect(self.import_rows)
        self.close_button = QPushButton(_("Fermer"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self._close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.counts)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    # --- what the dialog says -----------------------------------------------------------

    def _say(self, text: str, kind: str = "info") -> None:
        self.banner.setStyleSheet(f"#importBanner {{ {BANNER_STYLES[kind]} border-radius: 4px; }}")
        self.banner_text.setText(text)
        self.banner.setVisible(bool(text))

    def _show_start(self) -> None:
        self.file_label.setText(_("Aucun fichier choisi."))
        if self.can_import:
            self._say("", "info")
        else:
            self._say(_("Votre rôle ne permet pas d'importer des adhérents : demandez à "
                        "l'administration."), "warn")
            self.choose_button.setEnabled(False)
        self.counts.setText("")
        self.detail.setText(_("Choisissez une ligne pour voir le détail."))
        self._update_buttons()

    def message(self) -> str:
        return self.banner_text.text() if self.banner.isVisibleTo(self) else ""

    def _update_buttons(self) -> None:
        p = self.preview
        n = p.to_write if p is not None and self.report is None else 0
        self.import_button.setText(ngettext("Importer {n} ligne", "Importer {n} lignes", n).format(
            n=format_number(n)) if n else _("Importer"))
        self.import_button.setAccessibleName(_("Importer"))
        self.import_button.setEnabled(self.can_import and n > 0
                                      and self.choose_button.isEnabled())
        if p is None:
            tip = _("Choisissez d'abord un fichier.")
        elif self.report is not None:
            tip = _("Ce fichier est importé.")
        elif n == 0:
            tip = _("Aucune ligne à importer : elles sont en erreur ou déjà à jour.")
        else:
            tip = ""
        self.import_button.setToolTip(tip)
        close = _("Fermer") if self.report is not None or p is None else _("Annuler")
        self.close_button.setText(close)
        self.close_button.setAccessibleName(close)
        self.only_errors.setEnabled(p is not None and p.with_errors > 0)

    # --- choosing and reading the file --------------------------------------------------

    def choose_file(self) -> None:
        if not self.choose_button.isEnabled():
            return
        chosen = _ask_import_path(self)
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path) -> None:
        """Read `path` and show what importing it would do (through the task runner)."""
        path = Path(path)
        self.preview = None
        self.report = None
        self.rows_model.set_records([])
        self.mapping_model.set_records([])
        self.counts.setText("")
        self.file_label.setText(str(path))
        self._say(_("Lecture de « {name} »…").format(name=path.name), "info")
        self.choose_button.setEnabled(False)
        self._update_buttons()
        member_io = self.services.member_io
        self.tasks.run(lambda: member_io.preview(path=path), on_success=self._show_preview,
                       on_error=self._load_failed, key=f"import-preview-{id(self)}")

    def _load_failed(self, exc: BaseException) -> None:
        self.choose_button.setEnabled(self.can_import)
        self._update_buttons()
        if isinstance(exc, MaisonError):
            self._say(exc.message + "\n" + _("Choisissez un autre fichier, ou corrigez "
                                              "celui-ci et ouvrez-le de nouveau."), "error")
            self.loaded.emit()
            return
        self._say("", "info")
        messages.show_error(self, exc)

    def _show_preview(self, preview: ImportPreview) -> None:
        self.preview = preview
        self.choose_button.setEnabled(self.can_import)
        self.file_label.setText(_("{name} — {how}").format(name=preview.path,
                                                            how=preview.describe_file()))
        self.mapping_model.set_records(preview.columns)
        self._fill_rows()
        self.counts.setText(preview.summary())
        self.counts.setAccessibleDescription(preview.summary())
        lines = []
        if preview.with_errors:
            lines.append(ngettext(
                "{n} ligne est en erreur (en rouge) : elle ne sera pas importée. Corrigez-la "
                "dans le fichier puis ouvrez-le de nouveau, ou importez les autres lignes "
                "sans elle.",
                "{n} lignes sont en erreur (en rouge) : elles ne seront pas importées. "
                "Corrigez-les dans le fichier puis ouvrez-le de nouveau, ou importez les "
                "autres lignes sans elles.", preview.with_errors).format(n=preview.with_errors))
            kind = "warn"
        elif preview.to_write:
            lines.append(_("Toutes les lignes sont valides. Vérifiez l'aperçu, puis cliquez "
                           "sur « Importer »."))
            kind = "ok"
        else:
            lines.append(_("Rien à importer : toutes les lignes sont déjà dans la base."))
            kind = "info"
        if preview.unmapped:
            lines.append(_("Colonnes ignorées : {names}.").format(
                names=", ".join(preview.unmapped)))
        lines += preview.file_notes
        self._say("\n".join(lines), kind)
        self._update_buttons()
        first_error = next((i for i, r in enumerate(self.rows_model.records())
                            if r.action is RowAction.ERROR), None)
        if first_error is not None:
            self.rows_view.selectRow(first_error)
        self._show_detail()
        self.loaded.emit()

    def _fill_rows(self) -> None:
        p = self.preview
        keep = self._selected()
        if p is None:
            self.rows_model.set_records([])
            return
        rows = p.error_rows if self.only_errors.isChecked() else p.rows
        self.rows_model.set_records(rows)
        if keep is not None and keep in rows:
            self.rows_view.selectRow(list(rows).index(keep))
        self._show_detail()

    def _email_of(self, row: ImportRow) -> str:
        """The e-mail as the file gives it (a refused one too, so that it can be seen)."""
        if self.preview is not None:
            for i, column in enumerate(self.preview.columns):
                if column.field is Field.EMAIL and i < len(row.cells) and row.cells[i]:
                    return row.cells[i]
        return ""

    def rows(self) -> list[ImportRow]:
        return self.rows_model.records()

    def columns(self) -> list[ColumnMapping]:
        return self.mapping_model.records()

    def _selected(self) -> ImportRow | None:
        selected = self.rows_view.selectionModel().selectedRows()
        return self.rows_model.record(selected[0].row()) if selected else None

    def _show_detail(self) -> None:
        row = self._selected()
        if row is None:
            self.detail.setText(_("Choisissez une ligne pour voir le détail.")
                                if self.preview is not None else "")
            return
        head = _("Ligne {line} — {name} — {action}").format(
            line=row.line, name=row.name or "—", action=row.action.label)
        items = row.errors or row.notes
        self.detail.setText("\n".join([head, *("• " + item for item in items)]))

    # --- importing ----------------------------------------------------------------------

    def import_rows(self) -> bool:
        """Write every valid line (after a confirmation when some are in error)."""
        p = self.preview
        if p is None or not p.to_write or self.report is not None or not self.can_import:
            return False
        if p.with_errors:
            question = ngettext(
                "{errors} ligne est en erreur : elle ne sera pas importée.\n\n"
                "Importer maintenant les {n} autres lignes à créer ou à mettre à jour ? "
                "Vous pourrez importer la ligne en erreur plus tard, une fois corrigée "
                "(les lignes déjà importées ne seront pas recréées).",
                "{errors} lignes sont en erreur : elles ne seront pas importées.\n\n"
                "Importer maintenant les {n} autres lignes à créer ou à mettre à jour ? "
                "Vous pourrez importer les lignes en erreur plus tard, une fois corrigées "
                "(les lignes déjà importées ne seront pas recréées).",
                p.with_errors).format(errors=p.with_errors, n=p.to_write)
            if not messages.confirm(self, question, title=_("Importer sans les lignes en erreur"),
                                    yes=ngettext("Importer {n} ligne", "Importer {n} lignes",
                                                 p.to_write).format(n=p.to_write)):
                return False
        member_io = self.services.member_io
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self._say(_("Import en cours…"), "info")
        self.tasks.run(lambda: member_io.apply(preview=p), on_success=self._imported,
                       on_error=self._import_failed)
        return True

    def _imported(self, report: ImportReport) -> None:
        self.report = report
        self.choose_button.setEnabled(self.can_import)
        text = report.summary()
        if self.preview is not None and self.preview.with_errors:
            text += "\n" + ngettext(
                "La ligne en erreur n'a pas été importée : corrigez-la dans le fichier, puis "
                "importez-le de nouveau.",
                "Les {n} lignes en erreur n'ont pas été importées : corrigez-les dans le "
                "fichier, puis importez-le de nouveau.",
                self.preview.with_errors).format(n=self.preview.with_errors)
        self._say(text, "ok")
        self.counts.setText(_("Import terminé."))
        self._update_buttons()
        self.close_button.setFocus()
        self.imported.emit()

    def _import_failed(self, exc: BaseException) -> None:
        self.choose_button.setEnabled(self.can_import)
        self._update_buttons()
        if isinstance(exc, MaisonError):
            self._say(exc.message, "error")
            return
        messages.show_error(self, exc)

    def _close(self) -> None:
        if self.report is not None:
            self.accept()
        else:
            self.reject()

    def reject(self) -> None:
        if self.report is not None:  # something was imported: the list must refresh
            self.accept()
            return
        super().reject()

    # --- a file dropped on the dialog ---------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) == 1 and urls[0].isLocalFile() and self.choose_button.isEnabled():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()
            self.load(Path(urls[0].toLocalFile()))
