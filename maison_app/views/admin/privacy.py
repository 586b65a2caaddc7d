"""The "Protection des données" tab of the Administration screen: the two requests a person
may make about their data (RGPD).

- Access: « Exporter les données… » writes everything the house holds about the person into
  a folder the administrator chooses, as a JSON file (complete, for a machine) and a PDF (to
  hand over or send); « Aperçu PDF » shows the PDF first.
- Erasure: « Anonymiser… » erases the person's name and contact details for good, after a
  confirmation; their visits stay, without a name, for the statistics.

The search goes through the task runner, like the reception's; the export and the erasure
call the service on the GUI thread (one person, a few rows)."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from maison_app.documents import personal_data
from maison_app.domain.errors import MaisonError
from maison_app.domain.permissions import Access, Area, allowed
from maison_app.domain.privacy import PersonalDataExport
from maison_app.domain.records import PersonHit, SearchResult
from maison_app.domain.text import MIN_QUERY_LENGTH
from maison_app.i18n import _, ngettext
from maison_app.ui import messages
from maison_app.ui.table_model import Column, RecordTableModel, record_table

SEARCH_DELAY_MS = 200
BANNER_STYLE = ("#privacyBanner { background: #e3f1e8; border: 1px solid #9cc8ab; "
                "border-radius: 4px; padding: 6px 8px; }")


def ask_folder(parent: QWidget) -> str:
    """The folder to write the export into ("" if cancelled). Tests replace it."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return QFileDialog.getExistingDirectory(
        parent, _("Dossier où enregistrer les données"), location or str(Path.home()))


def file_stem(person_id: int) -> str:
    return f"donnees-personnelles-{person_id}"


class PrivacyTab(QWidget):
    """Needs the app's `Services` and the shared `TaskRunner`."""

    results_shown = Signal()  # tests listen to it

    def __init__(self, services, tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self._last_result: SearchResult | None = None
        self._build()
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self._show_hint(self._start_hint())

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        intro = QLabel(_(
            "Toute personne peut demander ce que la Maison conserve sur elle, et demander son "
            "effacement. « Exporter les données… » enregistre tout ce que la base contient sur "
            "la personne, dans un fichier JSON et un PDF lisible à lui remettre. "
            "« Anonymiser… » efface définitivement son nom et ses coordonnées ; ses passages "
            "restent, sans nom, pour les statistiques."))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #444;")

        self.banner = QLabel()
        self.banner.setObjectName("privacyBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setAccessibleName(_("Message de la protection des données"))
        self.banner.setVisible(False)

        self.search = QLineEdit()
        self.search.setAccessibleName(_("Rechercher une personne"))
        self.search.setPlaceholderText(
            _("Rechercher une personne (nom, prénom, structure, e-mail)…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._query_changed)

        self.hint = QLabel()
        self.hint.setAccessibleName(_("Aide de la recherche"))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")

        self.model: RecordTableModel[PersonHit] = RecordTableModel([
            Column(_("Nom"), lambda h: h.name),
            Column(_("Structure"), lambda h: h.organisations),
            Column(_("E-mail"), lambda h: h.email or ""),
        ])
        self.table, _proxy = record_table(_("Personnes"), self.model, sortable=False,
                                          proxy=False, widths=(220, 260))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.export_button = self._button(_("Exporter les données…"), self.export_selected)
        self.preview_button = self._button(_("Aperçu PDF"), self.preview_selected)
        self.erase_button = self._button(_("Anonymiser…"), self.erase_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        buttons.addWidget(self.erase_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addWidget(self.search)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def _button(self, label: str, slot) -> QPushButton:
        button = QPushButton(label)
        button.setAccessibleName(label)
        button.clicked.connect(slot)
        return button

    @staticmethod
    def _start_hint() -> str:
        return _("Tapez au moins deux lettres du nom, du prénom, de la structure "
                 "ou de l'e-mail.")

    def _show_hint(self, text: str) -> None:
        self.hint.setText(text)

    def _announce(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(True)

    def _update_buttons(self) -> None:
        person = self.selected_person()
        actor = self.services.ctx.actor
        may_read = allowed(actor.role, Area.PRIVACY, Access.READ)
        may_write = allowed(actor.role, Area.PRIVACY, Access.WRITE)
        choose_first = _("Choisissez d'abord une personne dans la liste.") if person is None else ""
        for button, may in ((self.export_button, may_read), (self.preview_button, may_read),
                            (self.erase_button, may_write)):
            button.setEnabled(may and person is not None)
            button.setToolTip(choose_first)

    # --- search -----------------------------------------------------------------------

    def _query_changed(self, text: str) -> None:
        if len(text.strip()) < MIN_QUERY_LENGTH:
            self._search_timer.stop()
            self._last_result = None
            self.model.set_records([])
            self._show_hint(self._start_hint() if not text.strip() else
                            _("Encore une lettre : la recherche commence à deux lettres."))
            self._update_buttons()
            return
        self._search_timer.start()

    def run_search(self) -> None:
        query = self.search.text()
        if len(query.strip()) < MIN_QUERY_LENGTH:
            return
        people = self.services.people
        self.tasks.run(lambda: people.search(query=query), on_success=self._show_results,
                       on_error=lambda exc: messages.show_error(self, exc),
                       key="privacy-search")

    def _show_results(self, result: SearchResult) -> None:
        if result.query != self.search.text():
            return  # the text changed meanwhile; a newer search is on its way
        self._last_result = result
        keep = self.selected_person()
        self.model.set_records(result.hits)
        n = len(result.hits)
        if n == 0:
            self._show_hint(_("Aucune personne ne correspond à « {q} ».").format(
                q=result.query.strip()))
        elif result.truncated:
            self._show_hint(_("Plus de {n} personnes correspondent : précisez la "
                              "recherche.").format(n=n))
        else:
            self._show_hint(ngettext("{n} personne trouvée.", "{n} personnes trouvées.",
                                     n).format(n=n))
        ids = [h.id for h in result.hits]
        if keep is not None and keep.id in ids:
            self.table.selectRow(ids.index(keep.id))
        elif n == 1:
            self.table.selectRow(0)
        self._update_buttons()
        self.results_shown.emit()

    def selected_person(self) -> PersonHit | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.record(rows[0].row())

    def select_person(self, person_id: int) -> bool:
        for row, hit in enumerate(self.model.records()):
            if hit.id == person_id:
                self.table.selectRow(row)
                return True
        return False

    # --- the export -------------------------------------------------------------------

    def _export(self, person: PersonHit) -> tuple[PersonalDataExport, bytes] | None:
        try:
            export = self.services.privacy.export(person_id=person.id)
            identity = self.services.settings.identity()
        except MaisonError as exc:
            messages.show_error(self, exc)
            return None
        pdf = personal_data.render(identity=identity, export=export,
                                   author=self.services.ctx.actor.login)
        return export, pdf

    def export_selected(self) -> list[Path] | None:
        """Ask a folder, write the JSON file and the PDF there; the two paths."""
        person = self.selected_person()
        if person is None:
            return None
        chosen = ask_folder(self)
        if not chosen:
            return None
        made = self._export(person)
        if made is None:
            return None
        export, pdf = made
        folder = Path(chosen)
        json_path = folder / f"{file_stem(export.person_id)}.json"
        pdf_path = folder / f"{file_stem(export.person_id)}.pdf"
        try:
            json_path.write_text(
                json.dumps(export.as_json_dict(), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8")
            pdf_path.write_bytes(pdf)
        except OSError as exc:
            messages.warn(self, _("Les données n'ont pas pu être enregistrées dans {path} : "
                                  "{reason}").format(path=folder, reason=exc.strerror or exc))
            return None
        self._announce(_("Données de {name} enregistrées dans {folder} : {json} (complet, "
                         "pour un logiciel) et {pdf} (lisible, à remettre à la "
                         "personne).").format(name=export.person_name, folder=folder,
                                              json=json_path.name, pdf=pdf_path.name))
        return [json_path, pdf_path]

    def preview_selected(self) -> None:
        person = self.selected_person()
        if person is None:
            return
        made = self._export(person)
        if made is None:
            return
        export, pdf = made
        from maison_app.ui.pdf_preview import PdfPreviewDialog

        dialog = PdfPreviewDialog(pdf, title=personal_data.document_title(export),
                                  suggested_filename=f"{file_stem(export.person_id)}.pdf",
                                  parent=self)
        dialog.exec()

    # --- the erasure ------------------------------------------------------------------

    def erase_selected(self) -> bool:
        person = self.selected_person()
        if person is None:
            return False
        question = _(
            "Anonymiser {name} ?\n\n"
            "Son nom, ses coordonnées et les notes de sa fiche seront effacés définitivement. "
            "Ses passages à l'accueil sont conservés, sans nom, pour les statistiques.\n\n"
            "Cette opération ne peut pas être annulée. Exportez d'abord ses données si la "
            "personne les a demandées.").format(name=person.name)
        if not messages.confirm(self, question, title=_("Anonymiser une personne"),
                                yes=_("Anonymiser"), destructive=True):
            return False
        try:
            report = self.services.privacy.erase(person_id=person.id)
        except MaisonError as exc:
            messages.show_error(self, exc)
            self.run_search()
            return False
        self._announce("\n".join(
            [_("{name} est anonymisé·e.").format(name=person.name), *report.lines]))
        self.table.clearSelection()
        self.run_search()
        return True
