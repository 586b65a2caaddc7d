"""An organisation's record: the "Fiche" (name, legal form, SIRET, NAF code, ESUS
agrément, contact), its people ("Personnes") and its memberships ("Adhésions").

It behaves like the person's record (see person_dialog.py, which holds the shared frame):
Enter saves, refused values are named under their field, a likely duplicate (same SIRET,
or same name and e-mail) is shown before "Créer quand même ?", Escape asks before dropping
unsaved changes, exec() returns Accepted when anything was saved."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from maison_app.domain.enums import LegalForm, MemberKind
from maison_app.domain.members import OrganisationDetail
from maison_app.i18n import _
from maison_app.views.members.person_dialog import (
    MemberRecordDialog,
    notes_field,
    optional_text,
)


class OrganisationDialog(MemberRecordDialog):
    kind = MemberKind.ORGANISATION

    def __init__(self, services, tasks, *, organisation_id: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, tasks, record_id=organisation_id, parent=parent)

    @property
    def links_tab_title(self) -> str:
        return _("Personnes")

    # --- the Fiche --------------------------------------------------------------------

    def build_form(self, form: QFormLayout) -> None:
        add = self.errors.add_row
        self.name = QLineEdit()
        add(form, _("Nom *"), "name", self.name, _("Nom de la structure"))
        self.legal_form = QComboBox()
        self.legal_form.addItem(_("— non précisée —"), None)
        for legal_form in LegalForm:
            self.legal_form.addItem(legal_form.label, legal_form)
        add(form, _("Forme juridique"), "legal_form", self.legal_form)
        self.siret = QLineEdit()
        self.siret.setPlaceholderText(_("14 chiffres, par exemple 732 829 320 00074"))
        add(form, _("SIRET"), "siret", self.siret)
        self.naf_code = QLineEdit()
        self.naf_code.setPlaceholderText(_("par exemple 88.99B"))
        self.naf_code.setMaximumWidth(140)
        add(form, _("Code NAF"), "naf_code", self.naf_code)
        self.esus = QCheckBox(_("Agréée entreprise solidaire d'utilité sociale (ESUS)"))
        add(form, _("Agrément ESUS"), "esus_agrement", self.esus)
        self.email = QLineEdit()
        self.email.setPlaceholderText(_("contact@exemple.fr"))
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
        self.notes = notes_field()
        add(form, _("Notes"), "notes", self.notes)

    def first_field(self) -> QWidget:
        return self.name

    def values(self) -> dict[str, object]:
        return {"name": self.name.text(), "legal_form": self.legal_form.currentData(),
                "siret": self.siret.text(), "naf_code": self.naf_code.text(),
                "esus": self.esus.isChecked(), "email": self.email.text(),
                "phone": self.phone.text(), "address": self.address.text(),
                "postcode": self.postcode.text(), "city": self.city.text(),
                "notes": self.notes.toPlainText()}

    def detail(self) -> OrganisationDetail:
        return OrganisationDetail(
            id=self.record_id, name=self.name.text().strip(),
            legal_form=self.legal_form.currentData(), siret=optional_text(self.siret.text()),
            naf_code=optional_text(self.naf_code.text()), esus_agrement=self.esus.isChecked(),
            email=optional_text(self.email.text()), phone=optional_text(self.phone.text()),
            address=optional_text(self.address.text()),
            postcode=optional_text(self.postcode.text()),
            city=optional_text(self.city.text()), notes=optional_text(self.notes.toPlainText()))

    def fill(self, d: OrganisationDetail) -> None:
        self.name.setText(d.name or "")
        self.legal_form.setCurrentIndex(max(0, self.legal_form.findData(d.legal_form))
                                        if d.legal_form else 0)
        self.siret.setText(d.siret or "")
        self.naf_code.setText(d.naf_code or "")
        self.esus.setChecked(bool(d.esus_agrement))
        self.email.setText(d.email or "")
        self.phone.setText(d.phone or "")
        self.address.setText(d.address or "")
        self.postcode.setText(d.postcode or "")
        self.city.setText(d.city or "")
        self.notes.setPlainText(d.notes or "")

    def load(self, record_id: int) -> OrganisationDetail:
        return self.services.members.organisation(organisation_id=record_id)

    def store(self, detail: OrganisationDetail, *, allow_duplicate: bool) -> int:
        return self.services.members.save_organisation(detail, allow_duplicate=allow_duplicate)

    def describe(self, record_id: int) -> str:
        d = self.services.members.organisation(organisation_id=record_id)
        parts = [d.name, d.legal_form.label if d.legal_form else "",
                 _("SIRET {siret}").format(siret=d.siret) if d.siret else "", d.email or "",
                 d.city or ""]
        return " — ".join(p for p in parts if p)

    def title_of(self, d: OrganisationDetail) -> str:
        return d.name

    def new_title(self) -> str:
        return _("Nouvelle structure")

    def subtitle_of(self, d: OrganisationDetail) -> str:
        parts = [d.legal_form.label if d.legal_form else "",
                 _("SIRET {siret}").format(siret=_spaced_siret(d.siret)) if d.siret else ""]
        return " · ".join(p for p in parts if p)


def _spaced_siret(siret: str) -> str:
    """"73282932000074" → "732 829 320 00074", as it is printed on a Kbis."""
    if len(siret) != 14:
        return siret
    return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
