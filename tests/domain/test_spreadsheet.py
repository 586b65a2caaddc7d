"""Reading spreadsheets as France writes them: encodings, separators, column names, dates,
amounts, numbers a tableur mangled; refusing what is not a table; writing exports."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from maison_app.domain.enums import (
    AffiliationRole,
    LegalForm,
    MemberKind,
    PaymentMethod,
)
from maison_app.domain.errors import ValidationError
from maison_app.domain.spreadsheet import (
    Field,
    Money,
    column_letter,
    decode,
    field_for_header,
    locate_columns,
    map_columns,
    parse_amount,
    parse_bool,
    parse_date,
    parse_kind,
    parse_legal_form,
    parse_method,
    parse_role,
    parse_year,
    phone_text,
    postcode_text,
    read_file,
    read_table,
    siret_text,
    sniff_separator,
    split_full_name,
    write_table,
)

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def xlsx_bytes(rows, *, title="Adhérents", extra_sheets=()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for name in extra_sheets:
        wb.create_sheet(name)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- encodings -----------------------------------------------------------------------------


def test_windows_1252_with_semicolons():
    data = "Nom;Prénom;Ville\nLefèvre;Hélène;Niort\n".encode("cp1252")
    table = read_table(data, filename="a.csv")
    assert (table.format, table.encoding, table.separator) == ("CSV", "Windows-1252", ";")
    assert table.rows[1].cells == ("Lefèvre", "Hélène", "Niort")


def test_utf8_with_bom_and_commas():
    data = codecs.BOM_UTF8 + "Nom,Prénom,Cotisation\nLefèvre,Hélène,\"12,50\"\n".encode()
    table = read_table(data, filename="a.csv")
    assert (table.encoding, table.separator) == ("UTF-8 (avec BOM)", ",")
    assert table.rows[0].cells[0] == "Nom"  # no BOM glued to the first name
    assert table.rows[1].cells == ("Lefèvre", "Hélène", "12,50")


def test_utf8_without_bom_and_tabs():
    table = read_table("Nom\tPrénom\nŒuvre\tZoé\n".encode(), filename="a.txt")
    assert (table.encoding, table.separator) == ("UTF-8", "\t")
    assert table.rows[1].cells == ("Œuvre", "Zoé")


def test_utf16_from_excel_unicode_text():
    data = "Nom\tPrénom\r\nLefèvre\tHélène\r\n".encode("utf-16")
    table = read_table(data, filename="a.txt")
    assert table.encoding == "UTF-16"
    assert table.rows[1].cells == ("Lefèvre", "Hélène")


def test_lines_in_utf8_and_windows_1252_mixed():
    data = "Nom;Prénom\n".encode() + "Lefèvre;Hélène\n".encode("cp1252") + "Müller;Zoé\n".encode()
    text, label = decode(data)
    assert label == "UTF-8 et Windows-1252 mélangés"
    assert text.splitlines() == ["Nom;Prénom", "Lefèvre;Hélène", "Müller;Zoé"]


def test_windows_1252_is_not_taken_for_utf8_by_chance():
    # "é·" in Windows-1252 is E9 B7: not a UTF-8 sequence
    text, label = decode("Collège;Salarié·es\n".encode("cp1252"))
    assert (text, label) == ("Collège;Salarié·es\n", "Windows-1252")


@pytest.mark.parametrize("data, words", [
    (b"", "vide"),
    (b"   \r\n\r\n;;;\r\n", "vide"),
    (codecs.BOM_UTF8 + b"\r\n", "vide"),
    (PNG, "image PNG"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "document PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    (b"Nom;Pr\x00nom\n", "binaires"),
    (b"Nom;Pr\x81nom\x8d\n", "encodage"),
])
def test_refused_files_say_why(data, words):
    with pytest.raises(ValidationError) as caught:
        read_table(data, filename="adherents.csv")
    assert words in caught.value.message
    assert caught.value.field == "file"


def test_a_zip_that_is_not_a_workbook_and_an_ods_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "bonjour")
    with pytest.raises(ValidationError, match="archive ZIP"):
        read_table(buf.getvalue(), filename="a.xlsx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<x/>")
    with pytest.raises(ValidationError, match="LibreOffice"):
        read_table(buf.getvalue(), filename="a.ods")


def test_read_file_refuses_a_missing_file(tmp_path):
    with pytest.raises(ValidationError, match="n'existe pas"):
        read_file(tmp_path / "absent.csv")


# --- separators and lines ----------------------------------------------------------------------


def test_semicolon_wins_over_decimal_commas():
    text = "Nom;Cotisation;Payé\nA;12,50;10,00\nB;20,00;5,50\nC;7,5;0\n"
    assert sniff_separator(text) == ";"


def test_comma_file_with_quoted_amounts():
    text = 'Nom,Cotisation\n"Lefèvre, Hélène","12,50"\nMartin,20\n'
    assert sniff_separator(text) == ","


def test_a_single_column_has_no_separator():
    assert sniff_separator("Nom\nLefèvre\nMartin\n") is None
    table = read_table("Nom\nLefèvre\n".encode(), filename="a.csv")
    assert table.rows[1].cells == ("Lefèvre",)


def test_empty_lines_are_skipped_and_line_numbers_kept():
    data = "Nom;Prénom\n\n;;\nLefèvre;Hélène\r\n\r\nMartin;\"Zoé\nsur deux lignes\"\nRoux;Paul\n"
    table = read_table(data.encode(), filename="a.csv")
    assert [r.line for r in table.rows] == [1, 4, 6, 7]  # a quoted line break stays one row


def test_xlsx_first_sheet_date_cells_and_row_numbers():
    data = xlsx_bytes([["Nom", "Date d'adhésion", "Tél"], ["Lefèvre", dt.datetime(2026, 3, 7),
                                                          549123456], [None], ["Martin"]],
                      extra_sheets=("Notes",))
    table = read_table(data, filename="a.xlsx")
    assert (table.format, table.sheet, table.other_sheets) == ("XLSX", "Adhérents", ("Notes",))
    assert [r.line for r in table.rows] == [1, 2, 4]
    assert table.rows[1].cells[1] == dt.datetime(2026, 3, 7)
    assert parse_date(table.rows[1].cells[1], field="d") == dt.date(2026, 3, 7)
    assert phone_text(table.rows[1].cells[2]) == "0549123456"


def test_an_xlsx_with_an_empty_first_sheet_is_refused():
    with pytest.raises(ValidationError, match="est vide"):
        read_table(xlsx_bytes([]), filename="a.xlsx")


# --- column names ------------------------------------------------------------------------------


@pytest.mark.parametrize("header, field", [
    ("Nom", Field.LAST_NAME),
    ("NOM DE FAMILLE", Field.LAST_NAME),
    ("  nom  ", Field.LAST_NAME),
    ("Prénom", Field.FIRST_NAME),
    ("PRENOM", Field.FIRST_NAME),
    ("Courriel", Field.EMAIL),
    ("E-mail", Field.EMAIL),
    ("Mail", Field.EMAIL),
    ("Adresse e-mail", Field.EMAIL),
    ("Téléphone", Field.PHONE),
    ("Tél.", Field.PHONE),
    ("Portable", Field.PHONE),
    ("Téléphone 2", Field.PHONE),
    ("Adresse", Field.ADDRESS),
    ("Complément d'adresse", Field.ADDRESS_2),
    ("Code postal", Field.POSTCODE),
    ("CP", Field.POSTCODE),
    ("C.P.", Field.POSTCODE),
    ("Ville", Field.CITY),
    ("Commune", Field.CITY),
    ("Structure", Field.ORGANISATION),
    ("Organisation", Field.ORGANISATION),
    ("Raison sociale", Field.ORGANISATION),
    ("SIRET", Field.SIRET),
    ("N° SIRET", Field.SIRET),
    ("Code NAF", Field.NAF_CODE),
    ("APE", Field.NAF_CODE),
    ("Code APE", Field.NAF_CODE),
    ("Forme juridique", Field.LEGAL_FORM),
    ("Collège", Field.COLLEGE),
    ("COLLEGE", Field.COLLEGE),
    ("Date d'adhésion", Field.JOINED_ON),
    ("Date d'adhésion (jj/mm/aaaa)", Field.JOINED_ON),
    ("Cotisation", Field.FEE),
    ("Cotisation 2026", Field.FEE),
    ("Cotisation (€)", Field.FEE),
    ("Montant payé", Field.PAID),
    ("Mode de paiement", Field.METHOD),
    ("Année", Field.YEAR),
    ("Nom et prénom", Field.FULL_NAME),
    ("Type", Field.KIND),
    ("Rôle", Field.ROLE),
    ("Remarques", Field.NOTES),
    ("Date de consentement", Field.CONSENT_DATE),
    ("Statut", None),
    ("", None),
    (None, None),
])
def test_headers_are_recognised_whatever_their_spelling(header, field):
    assert field_for_header(header) is field


def test_a_name_column_in_a_file_of_organisations_is_the_organisation():
    columns = map_columns(["Nom", "SIRET", "Forme juridique", "Ville"])
    assert [c.field for c in columns] == [Field.ORGANISATION, Field.SIRET, Field.LEGAL_FORM,
                                          Field.CITY]
    columns = map_columns(["Nom", "Prénom", "Structure", "SIRET"])
    assert columns[0].field is Field.LAST_NAME


def test_the_header_line_may_sit_under_a_title():
    data = "Liste des adhérents 2026;;\n;;\nNom;Prénom;Courriel\nLefèvre;Hélène;h@x.fr\n"
    layout = locate_columns(read_table(data.encode(), filename="a.csv"))
    assert layout.header_line == 3
    assert [r.line for r in layout.rows] == [4]


def test_a_text_that_is_not_a_table_is_refused():
    table = read_table("Bonjour,\nvoici la liste demandée.\nCordialement\n".encode("cp1252"),
                       filename="lettre.csv")
    with pytest.raises(ValidationError, match="ne ressemble pas à une liste de membres"):
        locate_columns(table, name="lettre.csv")


def test_a_header_without_lines_is_refused():
    with pytest.raises(ValidationError, match="que la ligne des noms de colonnes"):
        locate_columns(read_table(b"Nom;Prenom\n", filename="a.csv"), name="a.csv")


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == \
        ["A", "Z", "AA", "AB", "ZZ", "AAA"]


# --- cells -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, date", [
    ("07/03/2026", dt.date(2026, 3, 7)),
    ("7/3/26", dt.date(2026, 3, 7)),
    (" 07-03-2026 ", dt.date(2026, 3, 7)),
    ("07.03.2026", dt.date(2026, 3, 7)),
    ("2026-03-07", dt.date(2026, 3, 7)),
    ("2026-03-07 00:00:00", dt.date(2026, 3, 7)),
    ("1/1/99", dt.date(1999, 1, 1)),
    (dt.datetime(2026, 3, 7, 0, 0), dt.date(2026, 3, 7)),
    (dt.date(2026, 3, 7), dt.date(2026, 3, 7)),
    ("", None),
    (None, None),
])
def test_dates_as_written_in_france(text, date):
    assert parse_date(text, field="d") == date


@pytest.mark.parametrize("text, words", [
    ("31/02/2026", "n'existe pas"),
    ("13/13/2026", "n'existe pas"),
    ("mars 2026", "jj/mm/aaaa"),
    ("2026/13", "jj/mm/aaaa"),
])
def test_bad_dates_are_explained(text, words):
    with pytest.raises(ValidationError, match=words) as caught:
        parse_date(text, field="joined_on")
    assert caught.value.field == "joined_on"


@pytest.mark.parametrize("value, cents", [
    ("12,50", 1250), ("1 234,50 €", 123450), ("1\u202f234,50\u00a0€", 123450), ("20", 2000),
    ("12.5", 1250), (12.5, 1250), (20, 2000), (19.99, 1999), ("", None), (None, None),
])
def test_amounts_with_decimal_commas(value, cents):
    assert parse_amount(value, field="fee") == cents


def test_bad_amounts():
    with pytest.raises(ValidationError, match="illisible"):
        parse_amount("douze euros", field="fee")
    with pytest.raises(ValidationError, match="centime"):
        parse_amount("12,505", field="fee")


def test_years():
    assert parse_year("2026", field="y") == 2026
    assert parse_year(2026, field="y") == 2026
    assert parse_year(2026.0, field="y") == 2026
    with pytest.raises(ValidationError, match="quatre chiffres"):
        parse_year("26", field="y")


def test_numbers_a_tableur_mangled():
    assert phone_text(549123456) == "0549123456"
    assert phone_text("549123456") == "0549123456"
    assert phone_text("05 49 12 34 56") == "05 49 12 34 56"
    assert postcode_text(1000) == "01000"
    assert postcode_text("79000") == "79000"
    assert siret_text(73282932000074, field="siret") == "73282932000074"
    assert siret_text(7282932000074.0, field="siret") == "07282932000074"
    with pytest.raises(ValidationError, match="notation scientifique"):
        siret_text("7,32829E+13", field="siret")


def test_choices_in_french():
    assert parse_legal_form("Association loi 1901", field="f") is LegalForm.ASSOCIATION
    assert parse_legal_form("SCOP SARL", field="f") is LegalForm.SCOP
    assert parse_legal_form("SAS/SARL ESUS", field="f") is LegalForm.ESUS
    assert parse_legal_form("Collectivité", field="f") is LegalForm.COLLECTIVITE
    assert parse_legal_form("SARL", field="f") is LegalForm.AUTRE
    with pytest.raises(ValidationError, match="Forme juridique inconnue"):
        parse_legal_form("Club", field="f")
    assert parse_role("Présidente", field="r") is AffiliationRole.DIRIGEANT
    assert parse_role("salarié·e", field="r") is AffiliationRole.SALARIE
    assert parse_kind("Personne morale", field="k") is MemberKind.ORGANISATION
    assert parse_kind("particulier", field="k") is MemberKind.PERSON
    assert parse_method("CB", field="m") is PaymentMethod.CARTE
    assert parse_method("Chèque", field="m") is PaymentMethod.CHEQUE
    assert parse_method("HelloAsso", field="m") is PaymentMethod.PLATEFORME
    assert parse_bool("Oui", field="b") is True
    assert parse_bool("", field="b") is False
    with pytest.raises(ValidationError, match="oui ou non"):
        parse_bool("peut-être", field="b")


def test_full_names():
    assert split_full_name("Hélène LEFÈVRE") == ("Hélène", "Lefèvre")
    assert split_full_name("LE GALL Anne-Marie") == ("Anne-Marie", "Le Gall")
    assert split_full_name("Zoé Martin") == ("Zoé", "Martin")
    assert split_full_name("Martin") == ("", "Martin")


# --- writing ----------------------------------------------------------------------------------


def test_csv_export_opens_in_excel_with_accents(tmp_path):
    path = tmp_path / "export.csv"
    n = write_table(path, ["Nom", "Prénom", "Cotisation", "Date", "Téléphone"],
                    [["Lefèvre", "Hélène", Money(1250), dt.date(2026, 3, 7), "+33 5 49 12 34 56"],
                     ["=HYPERLINK(\"x\")", "Zoé", Money(5), None, ""]], title="Personnes")
    assert n == 2
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nom", "Prénom", "Cotisation", "Date", "Téléphone"]
    assert rows[1] == ["Lefèvre", "Hélène", "12,50", "07/03/2026", "'+33 5 49 12 34 56"]
    assert rows[2][0].startswith("'=")  # never a formula
    assert rows[2][2] == "0,05"
    assert b"\r\n" in data
    # read back, the guard is taken off
    table = read_table(data, filename="export.csv")
    from maison_app.domain.spreadsheet import cell_text
    assert cell_text(table.rows[1].cells[4]) == "+33 5 49 12 34 56"


def test_xlsx_export_keeps_text_dates_and_amounts(tmp_path):
    path = tmp_path / "export.xlsx"
    write_table(path, ["Nom", "Téléphone", "Cotisation", "Date"],
                [["=1+1", "05 49 12 34 56", Money(1250), dt.date(2026, 3, 7)]], title="Personnes")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws.title == "Personnes"
    assert [c.value for c in ws[1]] == ["Nom", "Téléphone", "Cotisation", "Date"]
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"
    assert ws["B2"].value == "05 49 12 34 56"
    assert ws["C2"].value == 12.5
    assert ws["D2"].value.date() == dt.date(2026, 3, 7)


def test_an_export_needs_a_known_suffix(tmp_path):
    with pytest.raises(ValidationError, match=".csv ou .xlsx"):
        write_table(tmp_path / "export.ods", ["Nom"], [], title="x")
