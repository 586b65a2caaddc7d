"""MemberIOService: importing messy spreadsheets of people and organisations (preview line
by line, then all or nothing, never twice the same record), exporting the members list and
the renewals so that Excel opens them and a re-import creates nothing."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from maison_app.db.members import Membership, Payment
from maison_app.db.models import Affiliation, AuditEntry, Organisation, Person
from maison_app.domain.enums import (
    AffiliationRole,
    LegalForm,
    MemberKind,
    PaymentMethod,
    Role,
)
from maison_app.domain.errors import Conflict, PermissionDenied, ValidationError
from maison_app.domain.members import MemberFilter, OrganisationDetail, PersonDetail
from maison_app.domain.spreadsheet import Field, RowAction
from maison_app.services.context import Actor

YEAR = 2026  # the test clock's year

# --- messy files, as people send them (also used by the screen's tests) ----------------------

MESSY_HEADER = ("  NOM ;Prénom ;E-MAIL;Tél.;Adresse;CP;Commune;Structure;N° SIRET;Collège;"
                "Cotisation (€);Montant payé;Mode de paiement;Date d'adhésion;Remarque interne")
MESSY_LINES = [
    # 2: a member who pays in full, with her structure
    ("  Lefèvre ; Hélène ;helene.lefevre@exemple.fr;549123456;12 rue Ricard;79000;Niort;"
     "Élan Coopératif;732 829 320 00074;Bénévoles;20,00;20;chèque;07/03/2026;x"),
    # 3: an empty line
    ";;;;;;;;;;;;;;",
    # 4: a bad e-mail
    "Dupont;Jean;jean.dupont@exemple;05 49 00 00 00;;79000;Niort;;;;;;;;",
    # 5: a date that does not exist and a bad SIRET on a structure of the file
    ("Martin;Zoé;zoe.martin@exemple.fr;;;79000;Niort;Tiers-Lieu du Marais;12345678901234;"
     "Bénévoles;12,50;;;31/02/2026;"),
    # 6: line 2 again
    ("  Lefèvre ; Hélène ;helene.lefevre@exemple.fr;549123456;12 rue Ricard;79000;Niort;"
     "Élan Coopératif;732 829 320 00074;Bénévoles;20,00;20;chèque;07/03/2026;x"),
    # 7: a second person of the same structure, named without its SIRET
    ("Bernard;Chloé;chloe.bernard@exemple.fr;06 12 34 56 78;;79180;Chauray;élan coopératif;;;;"
     ";;;"),
    # 8: empty
    "",
    # 9: a person without structure nor membership
    "Garnier;Luc;luc.garnier@exemple.fr;;;;;;;;;;;;",
]


def messy_csv(path: Path, *, encoding: str = "cp1252", lines=None) -> Path:
    """A Windows-1252 file with `;`, a title, stray spaces, empty lines, errors."""
    text = "\r\n".join([MESSY_HEADER, *(MESSY_LINES if lines is None else lines)]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def write_csv(path: Path, rows, *, delimiter=";", encoding="utf-8", bom=False) -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buf.getvalue().encode(encoding)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
    return path


def write_xlsx(path: Path, rows) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


def count(services, model) -> int:
    with services.ctx.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def people(services) -> dict[str, Person]:
    with services.ctx.reading() as s:
        return {f"{p.first_name} {p.last_name}": p for p in s.scalars(select(Person))}


def college_id(services, name="Bénévoles") -> int:
    return next(c.id for c in services.memberships.colleges() if c.name == name)


def by_line(preview):
    return {r.line: r for r in preview.rows}


# --- the preview ---------------------------------------------------------------------------------


def test_preview_of_a_messy_windows_1252_file(services, tmp_path):
    preview = services.member_io.preview(path=messy_csv(tmp_path / "adhérents.csv"))
    assert (preview.format, preview.encoding, preview.separator) == ("CSV", "Windows-1252", ";")
    assert preview.file_name == "adhérents.csv"
    mapping = {c.header: c.field for c in preview.columns}
    assert mapping["NOM"] is Field.LAST_NAME
    assert mapping["Prénom"] is Field.FIRST_NAME
    assert mapping["E-MAIL"] is Field.EMAIL
    assert mapping["Tél."] is Field.PHONE
    assert mapping["CP"] is Field.POSTCODE
    assert mapping["Commune"] is Field.CITY
    assert mapping["N° SIRET"] is Field.SIRET
    assert mapping["Cotisation (€)"] is Field.FEE
    assert preview.unmapped == ("Remarque interne",)
    rows = by_line(preview)
    assert sorted(rows) == [2, 4, 5, 6, 7, 9]  # empty lines 3 and 8 skipped
    assert [rows[n].action for n in sorted(rows)] == [
        RowAction.CREATE, RowAction.ERROR, RowAction.ERROR, RowAction.SKIP, RowAction.CREATE,
        RowAction.CREATE]
    assert (preview.to_create, preview.to_update, preview.with_errors, preview.skipped) == \
        (3, 0, 2, 1)
    helene = rows[2]
    assert helene.kind is MemberKind.PERSON
    assert (helene.person.first_name, helene.person.last_name) == ("Hélène", "Lefèvre")
    assert helene.person.phone == "05 49 12 34 56"  # the 0 the tableur dropped, and the format
    assert helene.person.id is None
    assert [o.siret for o in helene.organisations] == ["73282932000074"]
    assert helene.membership.year == YEAR and helene.membership.fee_cents == 2000
    assert helene.membership.paid_cents == 2000
    assert helene.membership.method is PaymentMethod.CHEQUE
    assert any("paiement de 20,00" in n for n in helene.notes)
    # errors in French, naming the column as the file names it
    assert rows[4].errors == (("« E-MAIL » : Cette adresse e-mail n'est pas valide (exemple : "
                               "prenom.nom@exemple.fr)."),)
    assert any(e.startswith("« N° SIRET » : ") and "clé de contrôle" in e for e in rows[5].errors)
    assert any(e.startswith("« Date d'adhésion » : ") and "31/02/2026" in e
               for e in rows[5].errors)
    assert len(rows[5].errors) == 2  # every error of the line, not only the first
    assert "ligne 2" in rows[6].notes[0]
    # the structure named twice (once without its SIRET) is one structure
    assert any("Élan Coopératif" in n and "créée" in n for n in helene.notes)
    assert not any("créée" in n for n in rows[7].notes)
    assert count(services, Person) == 0  # a preview writes nothing


def test_preview_of_a_utf8_bom_file_with_commas(services, tmp_path):
    path = write_csv(tmp_path / "a.csv", [
        ["Prénom", "Nom de famille", "Courriel", "Code postal", "Ville", "Cotisation"],
        ["Noël", "Müller", "noel@exemple.fr", "79000", "Niort", "12,50"],
        ["  Zoé  ", "  Abadie", " zoe@exemple.fr ", "79 000", "  Niort  ", ""],
    ], delimiter=",", bom=True)
    preview = services.member_io.preview(path=path)
    assert (preview.encoding, preview.separator) == ("UTF-8 (avec BOM)", ",")
    rows = by_line(preview)
    assert rows[2].person.name == "Noël Müller"
    assert (rows[3].person.first_name, rows[3].person.last_name, rows[3].person.email,
            rows[3].person.postcode, rows[3].person.city) == (
        "Zoé", "Abadie", "zoe@exemple.fr", "79000", "Niort")
    # a fee without a college cannot become a membership: the file is told so
    assert rows[2].action is rows[3].action is RowAction.CREATE
    assert rows[2].membership is None
    assert any("Sans colonne « Collège »" in n and "« Cotisation »" in n
               for n in preview.file_notes)


def test_refused_files(services, tmp_path):
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError, match="vide"):
        services.member_io.preview(path=empty)
    png = tmp_path / "photo.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)))
    with pytest.raises(ValidationError, match="image PNG"):
        services.member_io.preview(path=png)
    letter = tmp_path / "lettre.csv"
    letter.write_text("Bonjour,\nCi-joint la liste.\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="ne ressemble pas à une liste"):
        services.member_io.preview(path=letter)
    only_header = write_csv(tmp_path / "entete.csv", [["Nom", "Prénom"]])
    with pytest.raises(ValidationError, match="aucune ligne à importer"):
        services.member_io.preview(path=only_header)


def test_a_siret_without_an_organisation_name_is_explained(services, tmp_path):
    path = write_csv(tmp_path / "a.csv", [
        ["Nom", "Prénom", "Structure", "SIRET"],
        ["Martin", "Paul", "", "73282932000074"],
        ["Dupont", "Léa", "Coop A; Coop B", "73282932000074"],
    ])
    rows = by_line(services.member_io.preview(path=path))
    assert rows[2].action is RowAction.ERROR
    assert any("remplissez la colonne de la structure" in e for e in rows[2].errors)
    assert any("une seule structure : la ligne en nomme 2" in e for e in rows[3].errors)


def test_duplicate_lines_with_different_values_are_errors(services, tmp_path):
    path = write_csv(tmp_path / "a.csv", [
        ["Nom", "Prénom", "Courriel", "Téléphone"],
        ["Lefèvre", "Hélène", "h@exemple.fr", "05 49 12 34 56"],
        ["LEFEVRE", "helene", "H@exemple.fr", "06 00 00 00 00"],
    ])
    rows = by_line(services.member_io.preview(path=path))
    assert rows[2].action is RowAction.CREATE
    assert rows[3].action is RowAction.ERROR
    assert "ligne 2" in rows[3].errors[0]


def test_xlsx_with_date_cells_and_numbers(services, tmp_path):
    ms = services.memberships
    ms.save_fee(college_id=college_id(services), year=2025, fee_cents=1500)
    path = write_xlsx(tmp_path / "adherents.xlsx", [
        ["Liste des adhérents"],
        [],
        ["Nom", "Prénom", "Portable", "Code postal", "Collège", "Date d'adhésion",
         "Montant payé", "Mode de paiement"],
        ["Lefèvre", "Hélène", 612345678, 1000, "benevoles", dt.datetime(2025, 3, 7), 15,
         "Virement"],
        ["Martin", "Zoé", None, 79000, "Bénévoles", "pas de date", None, None],
    ])
    preview = services.member_io.preview(path=path)
    assert (preview.format, preview.header_line) == ("XLSX", 3)
    rows = by_line(preview)
    helene = rows[4]
    assert helene.action is RowAction.CREATE
    assert helene.person.phone == "06 12 34 56 78"
    assert helene.person.postcode == "01000"
    m = helene.membership
    assert (m.college, m.year, m.fee_cents, m.paid_cents, m.paid_on, m.method) == (
        "Bénévoles", 2025, 1500, 1500, dt.date(2025, 3, 7), PaymentMethod.VIREMENT)
    assert rows[5].action is RowAction.ERROR
    assert "pas de date" in rows[5].errors[0]

    report = services.member_io.apply(preview=preview)
    assert (report.people_created, report.memberships_created, report.payments_created) == \
        (1, 1, 1)
    with services.ctx.reading() as s:
        payment = s.scalar(select(Payment))
        assert (payment.amount_cents, payment.paid_on, payment.method) == (
            1500, dt.date(2025, 3, 7), PaymentMethod.VIREMENT)


# --- the import ------------------------------------------------------------------------------


def test_import_writes_the_valid_lines_and_twice_creates_nothing(services, tmp_path):
    path = messy_csv(tmp_path / "adhérents.csv")
    preview = services.member_io.preview(path=path)
    report = services.member_io.apply(preview=preview)
    assert (report.people_created, report.organisations_created, report.affiliations_created,
            report.memberships_created, report.payments_created) == (3, 1, 2, 1, 1)
    assert report.rows_skipped == 3  # two in error, one duplicate
    assert "3 personnes créées" in report.summary()
    found = people(services)
    assert sorted(found) == ["Chloé Bernard", "Hélène Lefèvre", "Luc Garnier"]
    assert found["Hélène Lefèvre"].address == "12 rue Ricard"
    assert found["Hélène Lefèvre"].search_key.endswith("elan cooperatif")  # keys kept up
    with services.ctx.reading() as s:
        org = s.scalar(select(Organisation))
        assert (org.name, org.siret, org.search_key) == ("Élan Coopératif", "73282932000074",
                                                         "elan cooperatif")
        links = s.scalars(select(Affiliation)).all()
        assert {a.role for a in links} == {AffiliationRole.SALARIE}
        m = s.scalar(select(Membership))
        assert (m.year, m.fee_cents, m.paid_cents) == (YEAR, 2000, 2000)
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "import"))
        assert entry.actor == "accueil-test"
        assert "adhérents.csv" in entry.summary and "3 personnes créées" in entry.summary

    before = {model: count(services, model) for model in
              (Person, Organisation, Affiliation, Membership, Payment)}
    again = services.member_io.preview(path=path)
    assert again.to_create == again.to_update == 0
    assert again.unchanged == 3
    report = services.member_io.apply(preview=again)
    assert report.rows_written == 0
    assert {model: count(services, model) for model in before} == before


def test_all_or_nothing_when_a_write_fails(services, tmp_path, monkeypatch):
    from maison_app.services import member_io

    preview = services.member_io.preview(path=messy_csv(tmp_path / "a.csv"))
    def failing(**values):  # the payments come last: everything else is flushed by then
        raise RuntimeError("panne au milieu de l'import")

    monkeypatch.setattr(member_io, "Payment", failing)
    with pytest.raises(RuntimeError):
        services.member_io.apply(preview=preview)
    for model in (Person, Organisation, Affiliation, Membership, Payment):
        assert count(services, model) == 0
    with services.ctx.reading() as s:
        assert s.scalar(select(func.count()).where(AuditEntry.action == "import")) == 0


def test_a_base_changed_since_the_preview_is_refused(services, tmp_path):
    path = write_csv(tmp_path / "a.csv", [["Nom", "Prénom", "Courriel"],
                                          ["Lefèvre", "Hélène", "h@exemple.fr"],
                                          ["Martin", "Zoé", "zoe@exemple.fr"]])
    preview = services.member_io.preview(path=path)
    services.members.save_person(PersonDetail(first_name="Zoé", last_name="Martin",
                                              email="zoe@exemple.fr"))
    with pytest.raises(Conflict, match="a changé depuis l'aperçu"):
        services.member_io.apply(preview=preview)
    assert sorted(people(services)) == ["Zoé Martin"]  # nothing of the file written


def test_updates_fill_values_and_never_erase(services, tmp_path):
    pid = services.members.save_person(PersonDetail(
        first_name="Hélène", last_name="Lefèvre", email="H.Lefevre@exemple.fr",
        phone="05 49 12 34 56", city="Niort"))
    path = write_csv(tmp_path / "a.csv", [
        ["Nom", "Prénom", "Courriel", "Téléphone", "Ville", "Adresse"],
        ["LEFÈVRE", "hélène", "h.lefevre@exemple.fr", "", "Chauray", "3 rue des Lilas"],
    ])
    preview = services.member_io.preview(path=path)
    row = preview.rows[0]
    assert (row.action, row.person.id) == (RowAction.UPDATE, pid)
    assert "Ville : Niort → Chauray" in row.notes
    assert "Adresse : — → 3 rue des Lilas" in row.notes
    services.member_io.apply(preview=preview)
    p = services.members.person(person_id=pid)
    assert (p.phone, p.city, p.address, p.email) == (
        "05 49 12 34 56", "Chauray", "3 rue des Lilas", "H.Lefevre@exemple.fr")
    assert count(services, Person) == 1


def test_people_matching(services, tmp_path):
    m = services.members
    shared = m.save_person(PersonDetail(first_name="Jean", last_name="Dupont",
                                        email="famille.dupont@exemple.fr"))
    no_email = m.save_person(PersonDetail(first_name="Luc", last_name="Garnier",
                                          phone="05 49 00 00 01"))
    for phone in ("05 49 00 00 02", "05 49 00 00 03"):
        m.save_person(PersonDetail(first_name="Anne", last_name="Roux", phone=phone))
    path = write_csv(tmp_path / "a.csv", [
        ["Nom", "Prénom", "Courriel", "Téléphone", "CP"],
        ["Dupont", "Marie", "famille.dupont@exemple.fr", "", ""],  # a shared mailbox
        ["Garnier", "Luc", "luc@exemple.fr", "", ""],  # known without e-mail: completed
        ["Roux", "Anne", "", "", "79000"],  # two of them: which one?
        ["Roux", "Anne", "", "06 00 00 00 00", "79180"],  # another one: phone, postcode
    ])
    rows = by_line(services.member_io.preview(path=path))
    assert rows[2].action is RowAction.CREATE
    assert "Jean Dupont" in " ".join(rows[2].notes)
    assert (rows[3].action, rows[3].person.id) == (RowAction.UPDATE, no_email)
    assert rows[4].action is RowAction.ERROR
    assert "Plusieurs fiches « Anne Roux »" in rows[4].errors[0]
    assert rows[5].action is RowAction.CREATE  # not line 4 again: another postcode
    assert shared not in {r.person.id for r in rows.values()}
    # the phone says which Anne Roux
    path = write_csv(tmp_path / "b.csv", [["Nom", "Prénom", "Téléphone"],
                                          ["Roux", "Anne", "05 49 00 00 03"]])
    assert services.member_io.preview(path=path).rows[0].action is RowAction.UNCHANGED


def test_a_file_of_organisations(services, tmp_path):
    existing = services.members.save_organisation(OrganisationDetail(name="Ressourcerie du Marais"))
    path = write_csv(tmp_path / "structures.csv", [
        ["Nom", "Forme juridique", "SIRET", "Code NAF", "Agrément ESUS", "Courriel", "Ville"],
        ["Élan Coopératif", "SCIC SAS", "73282932000074", "8899b", "oui", "contact@elan.fr",
         "Niort"],
        ["Ressourcerie du Marais", "Association loi 1901", "", "", "", "", "Coulon"],
        ["La Poste Niort", "Autre", "35600000000048", "53.10Z", "non", "", "Niort"],
        ["Bricolo", "Club", "123", "ABC", "peut-être", "x@", ""],
    ])
    preview = services.member_io.preview(path=path)
    assert preview.columns[0].field is Field.ORGANISATION
    rows = by_line(preview)
    assert rows[2].kind is MemberKind.ORGANISATION
    elan = rows[2].organisations[0]
    assert (elan.legal_form, elan.naf_code, elan.esus_agrement, elan.email) == (
        LegalForm.SCIC, "88.99B", True, "contact@elan.fr")
    assert (rows[3].action, rows[3].organisations[0].id) == (RowAction.UPDATE, existing)
    assert rows[4].action is RowAction.CREATE  # La Poste's SIRET exception
    assert rows[5].action is RowAction.ERROR
    assert len(rows[5].errors) == 5  # legal form, ESUS, SIRET, NAF, e-mail
    report = services.member_io.apply(preview=preview)
    assert (report.organisations_created, report.organisations_updated) == (2, 1)
    detail = services.members.organisation(organisation_id=existing)
    assert (detail.legal_form, detail.city) == (LegalForm.ASSOCIATION, "Coulon")
    # again: nothing new; matched on the SIRET even when renamed
    rename = write_csv(tmp_path / "b.csv", [["Structure", "SIRET"],
                                            ["Élan Coopératif Niortais", "732 829 320 00074"]])
    row = services.member_io.preview(path=rename).rows[0]
    assert row.action is RowAction.UNCHANGED  # the name is never changed by an import
    assert count(services, Organisation) == 3


def test_structure_lines_with_a_type_column_and_a_contact(services, tmp_path):
    path = write_csv(tmp_path / "a.csv", [
        ["Type", "Structure", "Nom", "Prénom", "Courriel", "Rôle"],
        ["Personne morale", "Atelier Vélo", "Garnier", "Luc", "velo@exemple.fr", "Président"],
        ["SCOP", "Coop des Champs", "", "", "", ""],
        ["personne", "Atelier Vélo", "Roux", "Anne", "anne@exemple.fr", "bénévole"],
        ["Club", "X", "", "", "", ""],
    ])
    preview = services.member_io.preview(path=path)
    rows = by_line(preview)
    assert rows[2].kind is MemberKind.ORGANISATION
    assert rows[2].organisations[0].email == "velo@exemple.fr"
    assert rows[2].person.name == "Luc Garnier" and rows[2].person.email is None
    assert rows[3].organisations[0].legal_form is LegalForm.SCOP
    assert rows[4].kind is MemberKind.PERSON and rows[4].role is AffiliationRole.BENEVOLE
    assert rows[5].action is RowAction.ERROR and "Type inconnu" in rows[5].errors[0]
    services.member_io.apply(preview=preview)
    assert count(services, Organisation) == 2
    with services.ctx.reading() as s:
        roles = {(p.first_name, a.role) for a, p in s.execute(
            select(Affiliation, Person).join(Person, Person.id == Affiliation.person_id))}
    assert roles == {("Luc", AffiliationRole.DIRIGEANT), ("Anne", AffiliationRole.BENEVOLE)}


def test_memberships_and_payments(services, tmp_path):
    ms = services.memberships
    ms.save_fee(college_id=college_id(services), year=YEAR, fee_cents=2000)
    rows = [["Nom", "Prénom", "Courriel", "Collège", "Année", "Montant payé", "Date de paiement",
             "Mode de paiement"],
            ["Lefèvre", "Hélène", "h@exemple.fr", "Bénévoles", "2026", "5", "02/03/2026", "espèces"],
            ["Martin", "Zoé", "z@exemple.fr", "Inconnus", "2026", "", "", ""],
            ["Roux", "Anne", "a@exemple.fr", "Bénévoles", "2026", "10", "", ""],
            ["Abadie", "Paul", "p@exemple.fr", "Bénévoles", "2026", "30", "02/03/2026", "CB"],
            ["Morel", "Léa", "l@exemple.fr", "Bénévoles", "2026", "5", "02/12/2026", "CB"]]
    preview = services.member_io.preview(path=write_csv(tmp_path / "a.csv", rows))
    got = by_line(preview)
    assert got[2].action is RowAction.CREATE
    assert "Collège inconnu « Inconnus »" in got[3].errors[0]
    assert "Bénévoles" in got[3].errors[0]
    assert any("mode de paiement" in e for e in got[4].errors)
    assert any("sa date" in e for e in got[4].errors)
    assert "dépasse la cotisation" in got[5].errors[0]
    assert "dans le futur" in got[6].errors[0]
    services.member_io.apply(preview=preview)
    helene = people(services)["Hélène Lefèvre"].id
    (m,) = services.memberships.memberships_of(kind=MemberKind.PERSON, member_id=helene)
    assert (m.fee_cents, m.paid_cents, len(m.payments)) == (2000, 500, 1)
    # the spreadsheet now says 15 paid: a payment of the difference, once
    rows = [rows[0], ["Lefèvre", "Hélène", "h@exemple.fr", "Bénévoles", "2026", "15,00",
                      "20/11/2026", "chèque"]]
    preview = services.member_io.preview(path=write_csv(tmp_path / "b.csv", rows))
    assert preview.rows[0].action is RowAction.UPDATE
    assert any("paiement de 10,00" in n for n in preview.rows[0].notes)
    services.member_io.apply(preview=preview)
    assert services.member_io.preview(path=tmp_path / "b.csv").rows[0].action \
        is RowAction.UNCHANGED
    (m,) = services.memberships.memberships_of(kind=MemberKind.PERSON, member_id=helene)
    assert (m.paid_cents, [p.amount_cents for p in m.payments]) == (1500, [500, 1000])


def test_a_fee_not_set_is_an_error(services, tmp_path):
    path = write_csv(tmp_path / "a.csv", [["Nom", "Collège"], ["Lefèvre", "Partenaires"]])
    row = services.member_io.preview(path=path).rows[0]
    assert row.action is RowAction.ERROR
    assert "n'est pas fixée" in row.errors[0]


# --- exports ------------------------------------------------------------------------------------


@pytest.fixture
def house(services):
    m, ms = services.members, services.memberships
    elan = m.save_organisation(OrganisationDetail(
        name="Élan Coopératif", legal_form=LegalForm.SCIC, siret="73282932000074",
        naf_code="88.99B", esus_agrement=True, city="Niort", phone="05 49 11 22 33"))
    ress = m.save_organisation(OrganisationDetail(name="Ressourcerie; du Marais"))
    helene = m.save_person(PersonDetail(first_name="Hélène", last_name="Lefèvre",
                                        email="helene@exemple.fr", phone="+33 5 49 12 34 56",
                                        address="12 rue Ricard", postcode="01000", city="Niort",
                                        consent_date=dt.date(2026, 1, 5)))
    zoe = m.save_person(PersonDetail(first_name="Zoé", last_name="Œuvray", city="Coulon"))
    m.add_affiliation(person_id=helene, organisation_id=elan, role=AffiliationRole.DIRIGEANT)
    m.add_affiliation(person_id=zoe, organisation_id=elan, role=AffiliationRole.BENEVOLE)
    ben = college_id(services)
    ms.save_fee(college_id=ben, year=YEAR, fee_cents=2000)
    mid = ms.create_membership(kind=MemberKind.PERSON, member_id=helene, year=YEAR,
                               college_id=ben)
    ms.record_payment(membership_id=mid, amount_cents=1250, paid_on=dt.date(2026, 3, 2),
                      method=PaymentMethod.CHEQUE)
    ms.create_membership(kind=MemberKind.PERSON, member_id=zoe, year=YEAR - 1, college_id=ben,
                         fee_cents=1000)
    ms.create_membership(kind=MemberKind.ORGANISATION, member_id=elan, year=YEAR,
                         college_id=college_id(services, "Entreprises adhérentes"), fee_cents=0)
    return {"elan": elan, "ress": ress, "helene": helene, "zoe": zoe}


def read_export_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)  # Excel opens it with its accents
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def totals(services):
    return {model.__name__: count(services, model) for model in
            (Person, Organisation, Affiliation, Membership, Payment)}


def test_export_people_to_csv_and_back(services, house, tmp_path):
    path = tmp_path / "personnes.csv"
    assert services.member_io.export(filter=MemberFilter(kind=MemberKind.PERSON), path=path) == 2
    rows = read_export_csv(path)
    assert rows[0][:4] == ["Nom", "Prénom", "Courriel", "Téléphone"]
    helene = dict(zip(rows[0], rows[1], strict=True))
    assert helene["Nom"] == "Lefèvre" and helene["Prénom"] == "Hélène"
    assert helene["Téléphone"] == "'+33 5 49 12 34 56"  # not a formula for Excel
    assert helene["Code postal"] == "01000"
    assert helene["Structure"] == "Élan Coopératif"
    assert helene["Date de consentement"] == "05/01/2026"
    assert (helene["Collège"], helene["Année"], helene["Statut"]) == ("Bénévoles", "2026",
                                                                      "Partiellement payé")
    assert (helene["Cotisation"], helene["Montant payé"], helene["Reste dû"]) == (
        "20,00", "12,50", "7,50")
    assert rows[2][0] == "Œuvray"
    before = totals(services)
    preview = services.member_io.preview(path=path)
    assert preview.with_errors == 0
    assert preview.to_create == preview.to_update == 0, [r.notes for r in preview.rows]
    services.member_io.apply(preview=preview)
    assert totals(services) == before


def test_export_organisations_to_xlsx_and_back(services, house, tmp_path):
    path = tmp_path / "structures.xlsx"
    n = services.member_io.export(filter=MemberFilter(kind=MemberKind.ORGANISATION), path=path)
    assert n == 2
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    elan = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert (elan["Structure"], elan["Forme juridique"], elan["SIRET"], elan["Code NAF"],
            elan["Agrément ESUS"], elan["Téléphone"]) == (
        "Élan Coopératif", "SCIC", "73282932000074", "88.99B", "oui", "05 49 11 22 33")
    assert elan["Cotisation"] == 0
    before = totals(services)
    preview = services.member_io.preview(path=path)
    assert (preview.with_errors, preview.to_create, preview.to_update) == (0, 0, 0)
    services.member_io.apply(preview=preview)
    assert totals(services) == before


def test_export_follows_the_filter(services, house, tmp_path):
    path = tmp_path / "a.csv"
    n = services.member_io.export(filter=MemberFilter(kind=MemberKind.PERSON, query="oeuvray"),
                                  path=path)
    assert n == 1
    assert [r[0] for r in read_export_csv(path)[1:]] == ["Œuvray"]


def test_export_of_many_people_goes_through_every_page(services, tmp_path, monkeypatch):
    from maison_app.services import member_io

    monkeypatch.setattr(member_io, "EXPORT_PAGE", 7)
    for i in range(20):
        services.members.save_person(PersonDetail(first_name=f"P{i:02d}", last_name="Test"))
    path = tmp_path / "a.csv"
    assert services.member_io.export(filter=MemberFilter(), path=path) == 20
    assert len(read_export_csv(path)) == 21


def test_export_renewals(services, house, tmp_path):
    path = tmp_path / "relances.csv"
    assert services.member_io.export_renewals(year=YEAR, path=path) == 2
    rows = read_export_csv(path)
    assert rows[0] == ["Nom", "Type", "Courriel", "Téléphone", "Collège", "Année", "Statut",
                       "Cotisation", "Montant payé", "Reste dû"]
    assert rows[1] == ["Hélène Lefèvre", "Personne", "helene@exemple.fr", "'+33 5 49 12 34 56",
                       "Bénévoles", "2026", "Partiellement payé", "20,00", "12,50", "7,50"]
    assert rows[2][0] == "Zoé Œuvray" and rows[2][6] == "Non renouvelé"
    xlsx = tmp_path / "relances.xlsx"
    assert services.member_io.export_renewals(year=YEAR, path=xlsx) == 2
    assert openpyxl.load_workbook(xlsx).active.title == "Relances 2026"


def test_export_refuses_an_unknown_suffix(services, tmp_path):
    with pytest.raises(ValidationError, match=".csv ou .xlsx"):
        services.member_io.export(filter=MemberFilter(), path=tmp_path / "a.pdf")


# --- permissions ------------------------------------------------------------------------------


def test_reception_may_export_but_not_import(services, tmp_path):
    desk = services.for_actor(Actor(login="accueil", role=Role.ACCUEIL))
    path = messy_csv(tmp_path / "a.csv")
    with pytest.raises(PermissionDenied):
        desk.member_io.preview(path=path)
    preview = services.member_io.preview(path=path)
    with pytest.raises(PermissionDenied):
        desk.member_io.apply(preview=preview)
    assert desk.member_io.export(filter=MemberFilter(), path=tmp_path / "x.csv") == 0
    admin = services.for_actor(Actor(login="admin", role=Role.ADMINISTRATION))
    assert admin.member_io.apply(preview=preview).people_created == 3
