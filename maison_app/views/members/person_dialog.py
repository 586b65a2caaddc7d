"""A person's record: the "Fiche" (name, contact, consent), the organisations they belong to
("Structures") and their memberships ("Adhésions").

The same machinery serves the organisation's record (organisation_dialog.py): this module
holds it (MemberRecordDialog, AffiliationsTab) and PersonDialog.

How it behaves:
- "Enregistrer" (Enter in a field) saves the Fiche and keeps the dialog open; a refused
  value is named under its field and what was typed stays. A record that looks like one
  already known (same name and e-mail, same SIRET) shows who, and asks "Créer quand même ?".
- A new record has only its Fiche until it is saved; the other tabs open then, on the same
  dialog, with a line saying so.
- "Fermer" or Escape closes; unsaved changes of the Fiche are not dropped without asking.
  exec() returns Accepted when anything was saved (the Fiche, a link, a membership…);
  `saved_id` is then the record's id.
- Without the right to write people (Area.PEOPLE), every field is read-only and the buttons
  that change something are hidden."""

from __future__ import annotations

from collections.abc import Callable

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
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import AffiliationRole, MemberKind
from maison_app.domain.errors import LikelyDuplicate, MaisonError, ValidationError
from maison_app.domain.members import AffiliationRecord, PersonDetail
from maison_app.domain.permissions import Access, Area, allowed
from maison_app.domain.text import MIN_QUERY_LENGTH
from maison_app.i18n import _, format_date, ngettext
from maison_app.ui import messages
from maison_app.ui.common import BANNER_STYLE, NOTE_STYLE, DateField, guarded
from maison_app.ui.forms import FormErrors, show_error
from maison_app.ui.table_model import Column, RecordTableModel, record_table
from maison_app.views.members.membership_panel import MembershipPanel

SEARCH_DELAY_MS = 200
MAX_CANDIDATES_SHOWN = 5
FICHE, LINKS, MEMBERSHIPS = 0, 1, 2


def optional_text(value: str) -> str | None:
    return value.strip() or None


def notes_field() -> QPlainTextEdit:
    notes = QPlainTextEdit()
    notes.setTabChangesFocus(True)
    notes.setFixedHeight(70)
    return notes


# --- the links between people and organisations, from either side ---------------------------


class AffiliationsTab(QWidget):
    """The links of one person (to organisations) or one organisation (to people): the
    list, removing one after a confirmation, and adding one by searching the other side.
    `changed` after every write; `loaded` after every refresh (tests wait for it)."""

    changed = Signal()
    loaded = Signal()
    search_done = Signal()

    def __init__(self, services, tasks, *, side: MemberKind, can_write: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.side = side  # whose links these are
        self.can_write = can_write
        self.owner_id: int | None = None
        self._pending_query: str | None = None  # asked, answer not back yet
        self._add_waiting = False  # "Rattacher" pressed before the answer came
        self._build()
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)

    @property
    def _person_side(self) -> bool:
        return self.side is MemberKind.PERSON

    def _build(self) -> None:
        other = _("Structure") if self._person_side else _("Personne")
        self.model: RecordTableModel[AffiliationRecord] = RecordTableModel([
            Column(other, (lambda a: a.organisation_name) if self._person_side
                   else (lambda a: a.person_name)),
            Column(_("Rôle"), lambda a: a.role.label),
            Column(_("Depuis"), lambda a: format_date(a.since, "short") if a.since else "",
                   sort_key=lambda a: a.since.toordinal() if a.since else 0),
            Column(_("Jusqu'au"), lambda a: format_date(a.until, "short") if a.until else "",
                   sort_key=lambda a: a.until.toordinal() if a.until else 0),
        ])
        name = (_("Structures de la personne") if self._person_side
                else _("Personnes de la structure"))
        self.view, _proxy = record_table(name, self.model, sortable=False, proxy=False,
                                         widths=(260, 160, 90))
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        self.view.doubleClicked.connect(lambda _i: self.open_other())
        self.empty = QLabel(_("Cette personne n'est rattachée à aucune structure.")
                            if self._person_side else
                            _("Aucune personne n'est rattachée à cette structure."))
        self.empty.setStyleSheet(NOTE_STYLE)
        self.open_button = QPushButton(_("Ouvrir la fiche…"))
        self.open_button.setAccessibleName(
            _("Ouvrir la fiche de la structure") if self._person_side
            else _("Ouvrir la fiche de la personne"))
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(self.open_other)
        self.remove_button = QPushButton(_("Retirer le rattachement…"))
        self.remove_button.setAccessibleName(_("Retirer le rattachement"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)
        self.remove_button.setVisible(self.can_write)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addStretch(1)
        row.addWidget(self.remove_button)

        # adding a link
        self.errors = FormErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            _("Nom de la structure…") if self._person_side
            else _("Nom, prénom ou e-mail de la personne…"))
        self.search.textChanged.connect(self._query_changed)
        self.search.installEventFilter(self)
        search_name = (_("Rechercher une structure") if self._person_side
                       else _("Rechercher une personne"))
        field = "organisation" if self._person_side else "person"
        self.errors.add_row(form, _("Structure") if self._person_side else _("Personne"),
                            field, self.search, search_name)
        self.results = QListWidget()
        self.results.setAccessibleName(_("Structures trouvées") if self._person_side
                                       else _("Personnes trouvées"))
        self.results.setFixedHeight(96)
        self.results.itemDoubleClicked.connect(lambda _item: self.add())
        form.addRow("", self.results)
        self.hint = QLabel()
        self.hint.setAccessibleName(_("Aide de la recherche"))
        self.hint.setStyleSheet(NOTE_STYLE)
        form.addRow("", self.hint)
        self.role = QComboBox()
        for role in AffiliationRole:
            self.role.addItem(role.label, role)
        self.errors.add_row(form, _("Rôle"), "role", self.role)
        self.since = DateField()
        self.errors.add_row(form, _("Depuis"), "since", self.since,
                            _("Rattachement depuis"))
        self.until = DateField()
        self.errors.add_row(form, _("Jusqu'au"), "until", self.until,
                            _("Rattachement jusqu'au"))
        self.add_button = QPushButton(_("Rattacher"))
        self.add_button.setAccessibleName(_("Rattacher"))
        self.add_button.clicked.connect(self.add)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        self.add_box = QGroupBox(_("Rattacher à une structure") if self._person_side
                                 else _("Rattacher une personne"))
        box_layout = QVBoxLayout(self.add_box)
        box_layout.addLayout(form)
        box_layout.addLayout(add_row)
        self.add_box.setVisible(self.can_write)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        layout.addLayout(row)
        layout.addWidget(self.add_box)
        self._update()

    # --- loading ----------------------------------------------------------------------

    def set_owner(self, owner_id: int) -> None:
        self.owner_id = owner_id
        self.refresh()
        if self.can_write:
            self.run_search()  # organisations: the first ones, alphabetically, to pick from

    def _fetch(self, owner_id: int) -> tuple[AffiliationRecord, ...]:
        m = self.services.members
        if self._person_side:
            return m.person(person_id=owner_id).affiliations
        return m.organisation(organisation_id=owner_id).affiliations

    def refresh(self) -> None:
        if self.owner_id is None:
            return
        owner_id = self.owner_id
        self.tasks.run(lambda: self._fetch(owner_id), on_success=guarded(self, self._show),
                       on_error=guarded(self, lambda exc: messages.show_error(self, exc)),
                       key=f"affiliations-{id(self)}")

    def _show(self, records: tuple[AffiliationRecord, ...]) -> None:
        self.model.set_records(records)
        self.empty.setVisible(not records)
        self._update()
        self.loaded.emit()

    def records(self) -> list[AffiliationRecord]:
        return self.model.records()

    def selected(self) -> AffiliationRecord | None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().selectedRows():
            return None
        return self.model.record(index.row())

    def _update(self) -> None:
        chosen = self.selected() is not None
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    # --- search -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
                row = self.results.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
                self.results.setCurrentRow(max(0, min(self.results.count() - 1, row)))
                return True
        return super().eventFilter(watched, event)

    def _query_changed(self, _text: str) -> None:
        self.results.clear()  # never attach a result of the previous words
        self._timer.start()

    def run_search(self) -> None:
        self._timer.stop()
        query = self.search.text()
        if self._person_side:
            members = self.services.members

            def find() -> list[tuple[int, str]]:
                return list(members.find_organisations(query=query))
        else:
            if len(query.strip()) < MIN_QUERY_LENGTH:
                self._show_results([], _("Tapez au moins deux lettres du nom, du prénom ou de "
                                         "l'e-mail de la personne."))
                return
            people = self.services.people

            def find() -> list[tuple[int, str]]:
                result = people.search(query=query, limit=30)
                return [(h.id, " — ".join(x for x in (h.name, h.organisations or h.email or "")
                                          if x)) for h in result.hits]
        self._pending_query = query
        self.tasks.run(find,
                       on_success=guarded(self, lambda found: self._show_results(found, None,
                                                                                 query)),
                       on_error=guarded(self, self._search_failed),
                       key=f"affiliation-search-{id(self)}")

    def _search_failed(self, exc: BaseException) -> None:
        self._pending_query = None
        self._add_waiting = False
        messages.show_error(self, exc)

    def _show_results(self, found: list[tuple[int, str]], hint: str | None,
                      query: str | None = None) -> None:
        if query is not None and query != self.search.text():
            return  # typed on since: a newer search is coming
        self._pending_query = None
        self.results.clear()
        for other_id, label in found:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, other_id)
            self.results.addItem(item)
        if found:
            self.results.setCurrentRow(0)
        if hint is None:
            if not found:
                hint = (_("Aucune structure ne porte ce nom : créez-la d'abord dans la liste "
                          "des structures.") if self._person_side else
                        _("Aucune personne ne correspond à cette recherche."))
            else:
                hint = _("Choisissez dans la liste, le rôle, puis « Rattacher ».")
        self.hint.setText(hint)
        self.search_done.emit()
        if self._add_waiting:
            self._add_waiting = False
            self.add()

    # --- writes -----------------------------------------------------------------------

    def add(self) -> None:
        if self.owner_id is None:
            return
        if self._timer.isActive() or self._pending_query is not None:
            self._add_waiting = True  # the list is not there yet: attach when it comes
            if self._timer.isActive():
                self.run_search()
            return
        self.errors.clear()
        item = self.results.currentItem()
        try:
            if item is None:
                raise ValidationError(
                    _("Choisissez une structure dans la liste.") if self._person_side
                    else _("Choisissez une personne dans la liste."),
                    field="organisation" if self._person_side else "person")
            other_id = item.data(Qt.ItemDataRole.UserRole)
            since = self.since.date(field="since")
            until = self.until.date(field="until")
            person_id, organisation_id = ((self.owner_id, other_id) if self._person_side
                                          else (other_id, self.owner_id))
            self.services.members.add_affiliation(
                person_id=person_id, organisation_id=organisation_id,
                role=self.role.currentData(), since=since, until=until)
        except MaisonError as exc:
            show_error(self, self.errors, exc)
            return
        self.since.clear()
        self.until.clear()
        self.changed.emit()
        self.refresh()

    def remove_selected(self) -> None:
        a = self.selected()
        if a is None:
            return
        text = _("Retirer le rattachement de {person} à {organisation} ({role}) ?").format(
            person=a.person_name, organisation=a.organisation_name, role=a.role.label)
        if not messages.confirm(self, text, title=_("Retirer le rattachement"),
                                yes=_("Retirer"), destructive=True):
            return
        try:
            self.services.members.remove_affiliation(affiliation_id=a.id)
        except MaisonError as exc:
            messages.warn(self, exc.message)
        self.changed.emit()
        self.refresh()

    def open_other(self) -> None:
        a = self.selected()
        if a is None:
            return
        if self._person_side:
            from maison_app.views.members.organisation_dialog import OrganisationDialog

            dialog: QDialog = OrganisationDialog(self.services, self.tasks,
                                                 organisation_id=a.organisation_id, parent=self)
        else:
            dialog = PersonDialog(self.services, self.tasks, person_id=a.person_id, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.changed.emit()
        self.refresh()


# --- the record dialog, for a person or an organisation ---------------------------------------


class MemberRecordDialog(QDialog):
    """The frame shared by PersonDialog and OrganisationDialog. Subclasses build the Fiche
    and say how to read, fill and save their record."""

    kind: MemberKind
    links_tab_title: str

    def __init__(self, services, tasks, *, record_id: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.record_id = record_id
        self.saved_id: int | None = None
        self._something_saved = False
        self._snapshot: dict[str, object] = {}
        self.current = None  # the record as last loaded
        self.can_write = allowed(services.ctx.actor.role, Area.PEOPLE, Access.WRITE)
        self.setMinimumSize(760, 640)
        self.setSizeGripEnabled(True)
        self._build()
        if record_id is not None:
            self._fill(self._load(record_id))
        else:
            self._snapshot = self.values()
        self._after_load()
        self.first_field().setFocus(Qt.FocusReason.OtherFocusReason)

    # --- what a subclass gives --------------------------------------------------------

    def build_form(self, form: QFormLayout) -> None:
        raise NotImplementedError

    def first_field(self) -> QWidget:
        raise NotImplementedError

    def values(self) -> dict[str, object]:
        """The Fiche as typed (for the unsaved-changes check)."""
        raise NotImplementedError

    def detail(self):
        """The record to save, from the fields (ValidationError for a bad date)."""
        raise NotImplementedError

    def fill(self, detail) -> None:
        raise NotImplementedError

    def load(self, record_id: int):
        raise NotImplementedError

    def store(self, detail, *, allow_duplicate: bool) -> int:
        raise NotImplementedError

    def describe(self, record_id: int) -> str:
        """One line naming a likely duplicate."""
        raise NotImplementedError

    def title_of(self, detail) -> str:
        raise NotImplementedError

    def new_title(self) -> str:
        raise NotImplementedError

    def subtitle_of(self, detail) -> str:
        return ""

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setAccessibleName(_("Titre de la fiche"))
        self.heading.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.subtitle = QLabel()
        self.subtitle.setAccessibleName(_("Code adhérent") if self.kind is MemberKind.PERSON
                                        else _("Identification de la structure"))
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle.setStyleSheet("color: #444; font-size: 13px;")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.subtitle, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.banner = QLabel()
        self.banner.setObjectName("memberBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(_("Message"))
        self.banner.setVisible(False)

        self.errors = FormErrors()
        fiche = QWidget()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.build_form(form)
        fiche_layout = QVBoxLayout(fiche)
        fiche_layout.addLayout(form)
        fiche_layout.addStretch(1)
        if not self.can_write:
            for w in fiche.findChildren(QWidget):
                if isinstance(w, (QLineEdit, QPlainTextEdit)):
                    w.setReadOnly(True)
                elif isinstance(w, (QComboBox,)) or w.inherits("QAbstractButton"):
                    w.setEnabled(False)
            note = QLabel(_("Consultation seulement : votre rôle ne permet pas de modifier "
                            "les fiches."))
            note.setStyleSheet(NOTE_STYLE)
            form.addRow("", note)

        self.links = AffiliationsTab(self.services, self.tasks, side=self.kind,
                                     can_write=self.can_write)
        self.links.changed.connect(self._linked_changed)
        self.memberships = MembershipPanel(self.services, self.tasks, kind=self.kind)
        self.memberships.changed.connect(self._linked_changed)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(_("Onglets de la fiche"))
        self.tabs.addTab(fiche, _("Fiche"))
        self.tabs.addTab(self.links, self.links_tab_title)
        self.tabs.addTab(self.memberships, _("Adhésions"))
        self.tabs.currentChanged.connect(self._tab_changed)

        self.save_button = QPushButton(_("Enregistrer"))
        self.save_button.setAccessibleName(_("Enregistrer la fiche"))
        self.save_button.setToolTip(_("Enregistre la fiche (Entrée)"))
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(_("Fermer"))
        self.close_button.setAccessibleName(_("Fermer la fiche"))
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
        layout.addLayout(top)
        layout.addWidget(line)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self._tab_changed(FICHE)

    def _tab_changed(self, index: int) -> None:
        # The Fiche is saved by its button (Enter); the other tabs save each change at once.
        # Enter attaches on the links' tab.
        self.save_button.setVisible(index == FICHE and self.can_write)
        self.save_button.setDefault(index == FICHE and self.can_write)
        self.links.add_button.setDefault(index == LINKS)

    # --- loading ----------------------------------------------------------------------

    def _load(self, record_id: int):
        return self.load(record_id)

    def _fill(self, detail) -> None:
        self.current = detail
        self.fill(detail)
        self._snapshot = self.values()

    def _after_load(self) -> None:
        exists = self.record_id is not None
        for index in (LINKS, MEMBERSHIPS):
            self.tabs.setTabEnabled(index, exists)
            self.tabs.setTabToolTip(index, "" if exists else
                                    _("Enregistrez d'abord la fiche."))
        if exists:
            detail = self.current
            title = self.title_of(detail)
            self.subtitle.setText(self.subtitle_of(detail))
            self.links.set_owner(self.record_id)
            self.memberships.set_member(self.record_id)
        else:
            title = self.new_title()
            self.subtitle.setText("")
        self.heading.setText(title)
        self.setWindowTitle(title)
        self.setAccessibleName(title)

    # --- state ------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.can_write and self.values() != self._snapshot

    def _linked_changed(self) -> None:
        self._something_saved = True
        self.saved_id = self.record_id

    def announce(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(True)

    # --- saving -----------------------------------------------------------------------

    def save(self) -> bool:
        """Save the Fiche; True when it was saved."""
        if not self.can_write:
            return False
        self.errors.clear()
        try:
            detail = self.detail()
            try:
                record_id = self.store(detail, allow_duplicate=False)
            except LikelyDuplicate as duplicate:
                if not self._confirm_duplicate(duplicate, new=detail.id is None):
                    return False
                record_id = self.store(detail, allow_duplicate=True)
        except MaisonError as exc:
            if isinstance(exc, ValidationError):
                self.tabs.setCurrentIndex(FICHE)
            show_error(self, self.errors, exc)
            return False
        was_new = self.record_id is None
        self.record_id = self.saved_id = record_id
        self._something_saved = True
        self._fill(self._load(record_id))  # as stored: "0549..." becomes "05 49 ..."
        self._after_load()
        if was_new:
            self.announce(_("Fiche créée. Les onglets « {links} » et « Adhésions » sont "
                            "maintenant ouverts ; « Fermer » quand vous avez fini.").format(
                links=self.links_tab_title))
        else:
            self.announce(_("Fiche enregistrée."))
        return True

    def _confirm_duplicate(self, duplicate: LikelyDuplicate, *, new: bool) -> bool:
        lines = []
        for candidate in duplicate.candidates[:MAX_CANDIDATES_SHOWN]:
            try:
                lines.append("• " + self.describe(candidate))
            except MaisonError:
                continue
        more = len(duplicate.candidates) - MAX_CANDIDATES_SHOWN
        if more > 0:
            lines.append(ngettext("… et {n} autre", "… et {n} autres", more).format(n=more))
        question = _("Créer quand même ?") if new else _("Enregistrer quand même ?")
        text = "\n\n".join(p for p in (duplicate.message, "\n".join(lines), question) if p)
        return messages.confirm(
            self, text, title=_("Doublon probable"),
            yes=_("Créer quand même") if new else _("Enregistrer quand même"),
            no=_("Annuler"), destructive=True)

    # --- closing ----------------------------------------------------------------------

    def reject(self) -> None:
        """Fermer, Escape, the window's cross: ask before dropping unsaved changes."""
        if self.is_dirty() and not messages.confirm(
                self, _("Les modifications de la fiche ne sont pas enregistrées. "
                        "Les abandonner ?"),
                title=_("Modifications non enregistrées"), yes=_("Abandonner les modifications"),
                no=_("Continuer la saisie"), destructive=True):
            return
        self.done(QDialog.DialogCode.Accepted if self._something_saved
                  else QDialog.DialogCode.Rejected)



class PersonDialog(MemberRecordDialog):
    kind = MemberKind.PERSON

    def __init__(self, services, tasks, *, person_id: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, tasks, record_id=person_id, parent=parent)

    @property
    def links_tab_title(self) -> str:
        return _("Structures")

    # --- the Fiche --------------------------------------------------------------------

    def build_form(self, form: QFormLayout) -> None:
        add: Callable = self.errors.add_row
        self.first_name = QLineEdit()
        add(form, _("Prénom"), "first_name", self.first_name)
        self.last_name = QLineEdit()
        add(form, _("Nom *"), "last_name", self.last_name, _("Nom"))
        self.email = QLineEdit()
        self.email.setPlaceholderText(_("prenom.nom@exemple.fr"))
        add(form, _("E-mail"), "email", self.email)
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(_("05 49 12 34 56"))
        add(form, _("Téléphone"), "phone", self.phone)
        self.address = QLineEdit()
        self.address.setPlaceholderText(_("numéro et rue"))
        add(form, _("Adresse"), "address", self.address)
        self.postcode = QLineEdit()
        self.postcode.setMaximumWidth(100)
        add(form, _("Code postal"), "postcode", self.postcode)
        self.city = QLineEdit()
        add(form, _("Ville"), "city", self.city)
        self.consent_date = DateField()
        add(form, _("Date de consentement"), "consent_date", self.consent_date)
        consent_help = QLabel(_("Le jour où la personne a accepté que ses coordonnées soient "
                                "conservées (facultatif)."))
        consent_help.setStyleSheet(NOTE_STYLE)
        form.addRow("", consent_help)
        self.notes = notes_field()
        add(form, _("Notes"), "notes", self.notes)

    def first_field(self) -> QWidget:
        return self.first_name

    def values(self) -> dict[str, object]:
        return {"first_name": self.first_name.text(), "last_name": self.last_name.text(),
                "email": self.email.text(), "phone": self.phone.text(),
                "address": self.address.text(), "postcode": self.postcode.text(),
                "city": self.city.text(), "consent_date": self.consent_date.text(),
                "notes": self.notes.toPlainText()}

    def detail(self) -> PersonDetail:
        return PersonDetail(
            id=self.record_id, first_name=self.first_name.text().strip(),
            last_name=self.last_name.text().strip(), email=optional_text(self.email.text()),
            phone=optional_text(self.phone.text()), address=optional_text(self.address.text()),
            postcode=optional_text(self.postcode.text()), city=optional_text(self.city.text()),
            notes=optional_text(self.notes.toPlainText()),
            consent_date=self.consent_date.date(field="consent_date"))

    def fill(self, d: PersonDetail) -> None:
        self.first_name.setText(d.first_name or "")
        self.last_name.setText(d.last_name or "")
        self.email.setText(d.email or "")
        self.phone.setText(d.phone or "")
        self.address.setText(d.address or "")
        self.postcode.setText(d.postcode or "")
        self.city.setText(d.city or "")
        self.consent_date.set_date(d.consent_date)
        self.notes.setPlainText(d.notes or "")

    def load(self, record_id: int) -> PersonDetail:
        return self.services.members.person(person_id=record_id)

    def store(self, detail: PersonDetail, *, allow_duplicate: bool) -> int:
        return self.services.members.save_person(detail, allow_duplicate=allow_duplicate)

    def describe(self, record_id: int) -> str:
        d = self.services.members.person(person_id=record_id)
        orgs = ", ".join(dict.fromkeys(a.organisation_name for a in d.affiliations))
        parts = [d.name, d.email or "", d.city or "", orgs,
                 _("code {code}").format(code=d.member_code)]
        return " — ".join(p for p in parts if p)

    def title_of(self, d: PersonDetail) -> str:
        return d.name

    def new_title(self) -> str:
        return _("Nouvelle personne")

    def subtitle_of(self, d: PersonDetail) -> str:
        return _("Code adhérent : {code}").format(code=d.member_code)
