"""Likely duplicates and their merge: the groups of people (same name and e-mail) or
organisations (same SIRET, or same name and e-mail) that look like one, the records of the
chosen group side by side, and the merge of one into the other after a confirmation that
says what moves (visits, memberships, links), which fields are filled and which years'
memberships are joined.

Listing is open to everyone who reads people; merging to the roles that may write
memberships (the service checks again)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from maison_app.domain.enums import MemberKind
from maison_app.domain.errors import MaisonError
from maison_app.domain.members import DuplicateGroup, OrganisationDetail, PersonDetail
from maison_app.domain.permissions import Access, Area
from maison_app.i18n import _, ngettext
from maison_app.services.permissions import can
from maison_app.ui import messages
from maison_app.ui.table_model import Column, RecordTableModel, record_table

NOTE_STYLE = "color: #555;"


def _detail_line(record: PersonDetail | OrganisationDetail) -> str:
    """What tells two records apart: e-mail, phone, city, organisations or SIRET."""
    if isinstance(record, PersonDetail):
        extra = ", ".join(dict.fromkeys(a.organisation_name for a in record.affiliations))
    else:
        extra = " · ".join(p for p in (record.legal_form.label if record.legal_form else "",
                                       record.siret or "") if p)
    return extra


def _record_name(record: PersonDetail | OrganisationDetail) -> str:
    return record.name


class DuplicatesDialog(QDialog):
    """`merged` lists the (kept id, removed id) of the merges made while it was open."""

    groups_loaded = Signal()  # tests listen to it
    records_loaded = Signal()

    def __init__(self, services, tasks, *, kind: MemberKind = MemberKind.PERSON,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.kind = kind
        self.merged: list[tuple[int, int]] = []
        self.can_merge = can(services.ctx.actor, Area.MEMBERSHIP, Access.WRITE)
        self._records: list[PersonDetail | OrganisationDetail] = []
        self._group: DuplicateGroup | None = None
        title = _("Doublons probables")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(960, 680)
        self._build()
        self.tabs.setCurrentIndex(0 if kind is MemberKind.PERSON else 1)
        self.load()

    # --- layout -----------------------------------------------------------------------

    def _build(self) -> None:
        self.tabs = QTabBar()
        self.tabs.setAccessibleName(_("Type de fiches"))
        self.tabs.addTab(_("Personnes"))
        self.tabs.addTab(_("Structures"))
        self.tabs.setExpanding(False)
        self.tabs.currentChanged.connect(self._tab_changed)
        intro = QLabel()
        intro.setWordWrap(True)
        intro.setStyleSheet(NOTE_STYLE)
        intro.setText(_("Ces fiches semblent désigner la même personne (même nom et même "
                        "e-mail) ou la même structure (même SIRET, ou même nom et même "
                        "e-mail). Choisissez la fiche à garder : l'autre y est fusionnée avec "
                        "ses passages, adhésions, paiements et rattachements, puis supprimée."))
        self.summary = QLabel()
        self.summary.setAccessibleName(_("Nombre de groupes"))
        self.summary.setStyleSheet("font-weight: 600;")

        self.groups_model: RecordTableModel[DuplicateGroup] = RecordTableModel([
            Column(_("Nom"), lambda g: g.names[0] if g.names else ""),
            Column(_("Fiches"), lambda g: str(len(g.ids)), sort_key=lambda g: len(g.ids),
                   align=Qt.AlignmentFlag.AlignCenter),
            Column(_("Raison"), lambda g: g.reason),
        ])
        self.groups, self.groups_proxy = record_table(
            _("Groupes de doublons"), self.groups_model, widths=(240, 70))
        self.groups.selectionModel().selectionChanged.connect(lambda *_: self._group_chosen())

        self.records_model: RecordTableModel[PersonDetail | OrganisationDetail] = RecordTableModel([
            Column(_("N°"), lambda r: str(r.id), sort_key=lambda r: r.id),
            Column(_("Nom"), _record_name),
            Column(_("E-mail"), lambda r: r.email or ""),
            Column(_("Téléphone"), lambda r: r.phone or ""),
            Column(_("Ville"), lambda r: r.city or ""),
            Column(_("Structure(s) · SIRET"), _detail_line),
        ])
        self.records, _proxy = record_table(_("Fiches du groupe"), self.records_model,
                                            proxy=False, widths=(60, 200, 250, 130, 140))

        self.keep = QComboBox()
        self.remove = QComboBox()
        form = QFormLayout()
        for label, combo, name in (
            (_("Fiche à garder :"), self.keep, _("Fiche à garder")),
            (_("Fiche à fusionner dans celle-ci :"), self.remove,
             _("Fiche à fusionner dans celle à garder")),
        ):
            combo.setAccessibleName(name)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setEnabled(self.can_merge)
            form.addRow(label, combo)
        self.keep.currentIndexChanged.connect(lambda _i: self._keep_changed())
        self.remove.currentIndexChanged.connect(lambda _i: self._update_buttons())
        self.merge_button = QPushButton(_("Fusionner…"))
        self.merge_button.setAccessibleName(_("Fusionner"))
        self.merge_button.setAutoDefault(False)
        self.merge_button.clicked.connect(self.merge)
        self.merge_button.setVisible(self.can_merge)
        self.not_allowed = QLabel(_("Seule l'administration peut fusionner des fiches : "
                                    "signalez-lui ces doublons."))
        self.not_allowed.setAccessibleName(_("Fusion réservée"))
        self.not_allowed.setWordWrap(True)
        self.not_allowed.setStyleSheet(NOTE_STYLE)
        self.not_allowed.setVisible(not self.can_merge)
        self.result = QLabel()
        self.result.setAccessibleName(_("Résultat de la fusion"))
        self.result.setWordWrap(True)
        self.result.setStyleSheet("color: #1e6b34; font-weight: 600;")
        merge_row = QHBoxLayout()
        merge_row.addLayout(form)
        merge_row.addSpacing(12)
        merge_row.addWidget(self.merge_button, 0, Qt.AlignmentFlag.AlignBottom)
        merge_row.addStretch(1)

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.summary)
        upper_layout.addWidget(self.groups, 1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        records_title = QLabel(_("Les fiches du groupe choisi"))
        records_title.setStyleSheet("font-weight: 600;")
        lower_layout.addWidget(records_title)
        lower_layout.addWidget(self.records, 1)
        lower_layout.addLayout(merge_row)
        lower_layout.addWidget(self.not_allowed)
        lower_layout.addWidget(self.result)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)

        buttons = QDialogButtonBox()
        close = buttons.addButton(_("Fermer"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAccessibleName(_("Fermer"))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self._update_buttons()

    # --- loading --------------------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        kind = MemberKind.PERSON if index == 0 else MemberKind.ORGANISATION
        if kind is not self.kind:
            self.kind = kind
            self.result.clear()
            self.load()

    def load(self) -> None:
        members, kind = self.services.members, self.kind
        self.summary.setText(_("Recherche des doublons…"))
        self.tasks.run(lambda: members.duplicates(kind=kind),
                       on_success=lambda groups: self._show_groups(kind, groups),
                       on_error=lambda exc: messages.show_error(self, exc),
                       key=f"duplicates-{id(self)}")

    def _show_groups(self, kind: MemberKind, groups: tuple[DuplicateGroup, ...]) -> None:
        if kind is not self.kind:
            return
        self.groups_model.set_records(groups)
        n = len(groups)
        person = kind is MemberKind.PERSON
        if n:
            self.summary.setText(ngettext("{n} groupe de fiches en double",
                                          "{n} groupes de fiches en double", n).format(n=n))
            self.groups.selectRow(0)
        else:
            self.summary.setText(_("Aucun doublon probable parmi les personnes.") if person
                                 else _("Aucun doublon probable parmi les structures."))
            self._show_records(None, [])
        self.groups_loaded.emit()

    def selected_group(self) -> DuplicateGroup | None:
        index = self.groups.currentIndex()
        if not index.isValid() or not self.groups.selectionModel().hasSelection():
            return None
        return self.groups_model.record(self.groups_proxy.mapToSource(index).row())

    def _group_chosen(self) -> None:
        group = self.selected_group()
        if group is None or group is self._group:
            return
        members = self.services.members

        def details():
            out = []
            for record_id in group.ids:
                try:
                    out.append(members.person(person_id=record_id)
                               if group.kind is MemberKind.PERSON
                               else members.organisation(organisation_id=record_id))
                except MaisonError:  # merged or deleted meanwhile
                    continue
            return out

        self.tasks.run(details, on_success=lambda records: self._show_records(group, records),
                       on_error=lambda exc: messages.show_error(self, exc),
                       key=f"duplicates-records-{id(self)}")

    def _show_records(self, group: DuplicateGroup | None,
                      records: list[PersonDetail | OrganisationDetail]) -> None:
        self._group = group
        self._records = list(records)
        self.records_model.set_records(self._records)
        for combo in (self.keep, self.remove):
            combo.blockSignals(True)
            combo.clear()
            for r in self._records:
                combo.addItem(_("{name} (n° {id})").format(name=r.name, id=r.id)
                              + (f" — {r.email}" if r.email else ""), r.id)
            combo.blockSignals(False)
        if len(self._records) >= 2:
            self.keep.setCurrentIndex(0)  # the oldest record, by default
            self.remove.setCurrentIndex(1)
        self._update_buttons()
        self.records_loaded.emit()

    def _keep_changed(self) -> None:
        if self.keep.currentData() == self.remove.currentData() and self.remove.count() > 1:
            other = next(i for i in range(self.remove.count())
                         if self.remove.itemData(i) != self.keep.currentData())
            self.remove.setCurrentIndex(other)
        self._update_buttons()

    def _update_buttons(self) -> None:
        keep, remove = self.keep.currentData(), self.remove.currentData()
        self.merge_button.setEnabled(self.can_merge and keep is not None and remove is not None
                                     and keep != remove)

    # --- merging ----------------------------------------------------------------------------

    def choose(self, *, keep_id: int, remove_id: int) -> None:
        """Pick the two records (as a person does with the two lists)."""
        self.keep.setCurrentIndex(self.keep.findData(keep_id))
        self.remove.setCurrentIndex(self.remove.findData(remove_id))

    def merge(self) -> None:
        keep_id, remove_id = self.keep.currentData(), self.remove.currentData()
        if keep_id is None or remove_id is None or keep_id == remove_id:
            return
        members, kind = self.services.members, self.kind
        try:
            preview = members.merge_preview(kind=kind, keep_id=keep_id, remove_id=remove_id)
        except MaisonError as exc:
            messages.warn(self, exc.message)
            self.load()
            return
        lines = preview.lines()
        text = _("La fiche « {remove} » (n° {remove_id}) sera fusionnée dans la fiche "
                 "« {keep} » (n° {keep_id}), puis supprimée.").format(
                     remove=preview.remove_name, remove_id=preview.remove_id,
                     keep=preview.keep_name, keep_id=preview.keep_id)
        text += "\n\n"
        if lines:
            text += _("Repris par la fiche gardée :") + "\n" + "\n".join(f"• {line}" for line in lines)
        else:
            text += _("La fiche supprimée n'a ni passage, ni adhésion, ni rattachement à "
                      "reprendre.")
        text += "\n\n" + _("Une fusion ne se défait pas.")
        if not messages.confirm(self, text, title=_("Fusionner les fiches"), yes=_("Fusionner"),
                                destructive=True):
            return
        try:
            done = members.merge(kind=kind, keep_id=keep_id, remove_id=remove_id)
        except MaisonError as exc:
            messages.warn(self, exc.message)
            self.load()
            return
        self.merged.append((keep_id, remove_id))
        self.result.setText(_("« {remove} » fusionnée dans « {keep} » (n° {id}).").format(
            remove=done.remove_name, keep=done.keep_name, id=done.keep_id))
        self._group = None
        self.load()
