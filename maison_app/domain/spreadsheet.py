"""Spreadsheets as France writes them: reading CSV and XLSX files of members, naming their
columns, reading their cells; writing the exports back; and the records of an import.

Reading accepts what people's spreadsheets really hold:

- CSV in UTF-8 with or without BOM, in Windows-1252 (Excel's "CSV (séparateur : point-virgule)"),
  UTF-16 (Excel's "Texte Unicode"), even a file whose lines mix UTF-8 and Windows-1252;
  separators `;`, `,` or tab, found by looking at the lines;
- XLSX (the first sheet), date cells, numbers that lost their leading zero (phone numbers,
  postcodes of the Ain or the Aisne);
- empty lines, stray and non-breaking spaces, a title line above the column names, column
  names in French or English, with or without accents, in any case, with punctuation;
- dates as 07/03/2026, 7/3/26, 2026-03-07; amounts as "12,50", "1 234,50 €".

A file that is an image, a PDF, an old .xls, an empty file or a text that is not a table is
refused with a French sentence saying what to do. Nothing here touches a database or Qt.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import enum
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from maison_app.domain.enums import (
    AffiliationRole,
    LegalForm,
    MemberKind,
    PaymentMethod,
)
from maison_app.domain.errors import ValidationError
from maison_app.domain.members import OrganisationDetail, PersonDetail, parse_euros
from maison_app.domain.text import search_key
from maison_app.i18n import N_, _, format_money, ngettext

MAX_FILE_BYTES = 50 * 1024 * 1024
HEADER_SEARCH_ROWS = 10  # a title line or two may sit above the column names
SNIFF_LINES = 40

# --- reading a file into rows -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SheetRow:
    """A non-empty line of the file and its number as the spreadsheet shows it (1 = the
    first line). CSV cells are text; XLSX cells may be numbers, dates or booleans."""

    line: int
    cells: tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Table:
    format: str  # "CSV" or "XLSX"
    rows: tuple[SheetRow, ...]
    encoding: str | None = None  # "UTF-8", "UTF-8 (BOM)", "Windows-1252"… (CSV only)
    separator: str | None = None  # ";", ",", "\t" (CSV only)
    sheet: str | None = None  # the sheet read (XLSX only)
    other_sheets: tuple[str, ...] = ()  # the sheets left aside


def separator_label(separator: str | None) -> str:
    return {";": _("« ; » (point-virgule)"), ",": _("« , » (virgule)"),
            "\t": _("tabulation")}.get(separator or "", _("aucun (une seule colonne)"))


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, field="file")


_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", N_("une image PNG")),
    (b"\xff\xd8\xff", N_("une image JPEG")),
    (b"GIF87a", N_("une image GIF")),
    (b"GIF89a", N_("une image GIF")),
    (b"%PDF", N_("un document PDF")),
    (b"BM", N_("une image BMP")),
    (b"\x1f\x8b", N_("une archive compressée (gzip)")),
    (b"Rar!", N_("une archive RAR")),
    (b"7z\xbc\xaf", N_("une archive 7-Zip")),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc, and password-protected .xlsx
_ZIP = b"PK\x03\x04"


def read_table(data: bytes, *, filename: str = "") -> Table:
    """The rows of a CSV or XLSX file (by its content, whatever its name says).

    Raises ValidationError(field="file") with a French sentence for a file that cannot be a
    table of members: empty, binary, an old Excel file, an unknown encoding."""
    name = Path(filename).name or _("le fichier")
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(_("« {name} » est trop gros ({size} Mo) pour une liste de membres : "
                        "50 Mo au plus.").format(name=name, size=len(data) // (1024 * 1024)))
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _refuse(_("« {name} » est vide : il ne contient aucune ligne.").format(name=name))
    if data.startswith(_ZIP):
        return _read_xlsx(data, name)
    if data.startswith(_OLE):
        raise _refuse(_(
            "« {name} » est un classeur Excel ancien (.xls) ou protégé par un mot de passe. "
            "Ouvrez-le dans votre tableur, retirez le mot de passe s'il y en a un, et "
            "enregistrez-le au format .xlsx ou CSV.").format(name=name))
    for magic, what in _SIGNATURES:
        if data.startswith(magic) and (magic != b"BM" or b"\x00" in data[:64]):
            raise _refuse(_(
                "« {name} » n'est pas un tableau : c'est {what}. Choisissez un fichier "
                ".csv ou .xlsx (enregistré depuis Excel, LibreOffice ou un export).").format(
                name=name, what=_(what)))
    text, encoding = decode(data, name=name)
    return _read_csv(text, encoding, name)


def read_file(path: Path) -> Table:
    """`read_table` of a file on disk; an unreadable file is refused in French."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _refuse(_("« {name} » est trop gros pour une liste de membres : 50 Mo au "
                            "plus.").format(name=path.name))
        data = path.read_bytes()
    except FileNotFoundError:
        raise _refuse(_("Le fichier « {path} » n'existe pas.").format(path=path)) from None
    except IsADirectoryError:
        raise _refuse(_("« {path} » est un dossier, pas un fichier.").format(path=path)) from None
    except OSError as exc:
        raise _refuse(_("Le fichier « {path} » ne peut pas être lu : {reason}").format(
            path=path, reason=exc.strerror or exc)) from None
    return read_table(data, filename=path.name)




def _control_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n") or ch == "\x7f")
    return bad / len(sample)


def decode(data: bytes, *, name: str = "") -> tuple[str, str]:
    """(text, label of the encoding). UTF-8 (BOM or not), UTF-16 with its BOM, else
    Windows-1252; lines of UTF-8 among Windows-1252 ones are each read in their own."""
    name = name or _("le fichier")
    binary = _refuse(_(
        "« {name} » n'est pas un fichier texte (il contient des données binaires) : ce n'est "
        "ni un CSV ni un classeur Excel. Choisissez un fichier .csv ou .xlsx.").format(name=name))
    text: str | None = None
    if data.startswith(codecs.BOM_UTF8):
        try:
            text, label = data[3:].decode("utf-8"), _("UTF-8 (avec BOM)")
        except UnicodeDecodeError:
            raise _refuse(_("« {name} » se dit en UTF-8 mais contient des caractères "
                            "illisibles : enregistrez-le de nouveau en « CSV UTF-8 ».").format(
                name=name)) from None
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, label = data.decode("utf-16"), _("UTF-16")
        except UnicodeDecodeError:
            raise binary from None
    else:
        if b"\x00" in data[:8192]:
            raise binary
        try:
            text, label = data.decode("utf-8"), _("UTF-8")
        except UnicodeDecodeError:
            text = None
        if text is None:
            # some lines may be UTF-8 (with accents) and others Windows-1252: files
            # pasted together from two exports; each line is then read in its own
            lines: list[str] = []
            mixed = False
            for raw in data.splitlines(keepends=True):
                try:
                    line = raw.decode("utf-8")
                    mixed = mixed or not raw.isascii()
                except UnicodeDecodeError:
                    line = _cp1252(raw, name)
                lines.append(line)
            if mixed:
                text, label = "".join(lines), _("UTF-8 et Windows-1252 mélangés")
            else:
                text, label = _cp1252(data, name), _("Windows-1252")
    if _control_share(text) > 0.002:
        raise binary
    return text, label


def _cp1252(data: bytes, name: str) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise _refuse(_(
            "L'encodage des caractères de « {name} » est inconnu (ni UTF-8 ni Windows-1252). "
            "Ouvrez-le dans votre tableur et enregistrez-le en « CSV UTF-8 » ou en .xlsx."
        ).format(name=name)) from None


def sniff_separator(text: str) -> str | None:
    """";", "," or tab: the one that cuts the first lines into the same number of columns
    (two at least) most often; None for a single column."""
    sample = [line for line in text.splitlines()[: SNIFF_LINES * 3] if line.strip()]
    sample = sample[:SNIFF_LINES]
    best: tuple[tuple[int, int], str] | None = None
    for candidate in (";", "\t", ","):
        widths = Counter(len(row) for row in csv.reader(sample, delimiter=candidate)
                         if len(row) >= 2)
        if not widths:
            continue
        width, n = max(widths.items(), key=lambda item: (item[1], item[0]))
        score = (n, width)
        if best is None or score > best[0]:
            best = (score, candidate)
    return best[1] if best else None


def _is_empty(cells: Sequence[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _read_csv(text: str, encoding: str, name: str) -> Table:
    text = text.lstrip("\ufeff")
    separator = sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator or "\x1f")
    rows: list[SheetRow] = []
    try:
        for line, cells in enumerate(reader, start=1):  # one record = one spreadsheet row
            if not _is_empty(cells):
                rows.append(SheetRow(line, tuple(cells)))
    except csv.Error:
        raise _refuse(_("« {name} » n'est pas un tableau lisible (guillemets mal fermés ?) : "
                        "ouvrez-le dans votre tableur et enregistrez-le de nouveau en CSV."
                        ).format(name=name)) from None
    if not rows:
        raise _refuse(_("« {name} » est vide : il ne contient aucune ligne.").format(name=name))
    return Table(format="CSV", rows=tuple(rows), encoding=encoding, separator=separator)


def _read_xlsx(data: bytes, name: str) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").decode("ascii", "replace") \
                if "mimetype" in names else ""
    except zipfile.BadZipFile:
        raise _refuse(_("« {name} » est une archive abîmée : ce n'est pas un classeur "
                        "lisible.").format(name=name)) from None
    if "opendocument" in mimetype:
        raise _refuse(_("« {name} » est un classeur LibreOffice (.ods) : enregistrez-le au "
                        "format .xlsx ou CSV, puis importez ce fichier.").format(name=name))
    if "xl/workbook.xml" not in names:
        raise _refuse(_("« {name} » est une archive ZIP, pas un classeur Excel : choisissez "
                        "un fichier .csv ou .xlsx.").format(name=name))
    import openpyxl  # only when a workbook is read

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise _refuse(_("Le classeur « {name} » est illisible (abîmé ?) : ouvrez-le dans votre "
                        "tableur et enregistrez-le de nouveau.").format(name=name)) from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise _refuse(_("Le classeur « {name} » n'a aucune feuille.").format(name=name))
        sheet = sheets[0]
        sheet.reset_dimensions()  # a wrong stored size would cut the sheet short
        rows = []
        for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if cells and not _is_empty(cells):
                rows.append(SheetRow(line, tuple(cells)))
        title = sheet.title
        others = tuple(s.title for s in sheets[1:])
    finally:
        workbook.close()
    if not rows:
        raise _refuse(_("La première feuille (« {sheet} ») du classeur « {name} » est vide."
                        ).format(sheet=title, name=name))
    return Table(format="XLSX", rows=tuple(rows), sheet=title, other_sheets=others)


# --- column names --------------------------------------------------------------------------


class Field(enum.StrEnum):
    """What a column of a members file may hold."""

    KIND = "kind"
    LAST_NAME = "last_name"
    FIRST_NAME = "first_name"
    FULL_NAME = "full_name"
    EMAIL = "email"
    PHONE = "phone"
    ADDRESS = "address"
    ADDRESS_2 = "address_2"
    POSTCODE = "postcode"
    CITY = "city"
    NOTES = "notes"
    CONSENT_DATE = "consent_date"
    ORGANISATION = "organisation"
    LEGAL_FORM = "legal_form"
    SIRET = "siret"
    NAF_CODE = "naf_code"
    ESUS = "esus_agrement"
    ROLE = "role"
    COLLEGE = "college"
    YEAR = "year"
    JOINED_ON = "joined_on"
    FEE = "fee"
    PAID = "paid"
    PAID_ON = "paid_on"
    METHOD = "method"

    @property
    def label(self) -> str:
        return _(_FIELD_LABELS[self])


_FIELD_LABELS = {
    Field.KIND: N_("Type (personne ou structure)"),
    Field.LAST_NAME: N_("Nom"),
    Field.FIRST_NAME: N_("Prénom"),
    Field.FULL_NAME: N_("Prénom et nom"),
    Field.EMAIL: N_("E-mail"),
    Field.PHONE: N_("Téléphone"),
    Field.ADDRESS: N_("Adresse"),
    Field.ADDRESS_2: N_("Complément d'adresse"),
    Field.POSTCODE: N_("Code postal"),
    Field.CITY: N_("Ville"),
    Field.NOTES: N_("Notes"),
    Field.CONSENT_DATE: N_("Date de consentement"),
    Field.ORGANISATION: N_("Structure"),
    Field.LEGAL_FORM: N_("Forme juridique"),
    Field.SIRET: N_("SIRET"),
    Field.NAF_CODE: N_("Code NAF"),
    Field.ESUS: N_("Agrément ESUS"),
    Field.ROLE: N_("Rôle dans la structure"),
    Field.COLLEGE: N_("Collège"),
    Field.YEAR: N_("Année d'adhésion"),
    Field.JOINED_ON: N_("Date d'adhésion"),
    Field.FEE: N_("Cotisation"),
    Field.PAID: N_("Montant payé"),
    Field.PAID_ON: N_("Date de paiement"),
    Field.METHOD: N_("Mode de paiement"),
}

# Column names people write, French first; compared once normalised (see header_key).
_SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.KIND: ("type", "type de membre", "type d'adhérent", "type de fiche", "nature",
                 "personne physique ou morale", "physique/morale", "catégorie de membre"),
    Field.LAST_NAME: ("nom", "nom de famille", "nom d'usage", "nom usuel", "nom de naissance",
                      "last name", "lastname", "surname", "family name", "name"),
    Field.FIRST_NAME: ("prénom", "prénoms", "first name", "firstname", "given name",
                       "prenom usuel"),
    Field.FULL_NAME: ("nom prénom", "nom et prénom", "prénom nom", "prénom et nom",
                      "nom complet", "identité", "nom, prénom", "full name", "adhérent",
                      "adhérente", "membre", "contact", "personne"),
    Field.EMAIL: ("e-mail", "email", "courriel", "mail", "mél", "adresse mail",
                  "adresse e-mail", "adresse email", "adresse électronique", "adresse courriel",
                  "e-mail personnel", "email address", "e-mail du contact"),
    Field.PHONE: ("téléphone", "tél", "tel", "tél.", "téléphone portable", "téléphone mobile",
                  "téléphone fixe", "portable", "mobile", "port", "gsm", "numéro de téléphone",
                  "n° de téléphone", "tél portable", "tél mobile", "tél fixe", "phone",
                  "telephone number", "mobile phone"),
    Field.ADDRESS: ("adresse", "adresse postale", "adresse 1", "adresse ligne 1", "rue",
                    "voie", "n° et rue", "numéro et rue", "address", "street", "address line 1"),
    Field.ADDRESS_2: ("complément d'adresse", "adresse 2", "adresse ligne 2", "complément",
                      "lieu-dit", "address line 2"),
    Field.POSTCODE: ("code postal", "cp", "c.p.", "code post", "postal code", "postcode",
                     "zip", "zip code"),
    Field.CITY: ("ville", "commune", "localité", "city", "town"),
    Field.NOTES: ("notes", "note", "remarques", "remarque", "commentaire", "commentaires",
                  "observations", "observation", "comments"),
    Field.CONSENT_DATE: ("date de consentement", "consentement", "consentement rgpd",
                         "date consentement rgpd", "date du consentement"),
    Field.ORGANISATION: ("structure", "structures", "organisation", "organisme", "raison sociale",
                         "entreprise", "société", "association", "employeur",
                         "nom de la structure", "nom de structure", "dénomination",
                         "dénomination sociale", "structure employeuse", "organization",
                         "company", "collectivité"),
    Field.LEGAL_FORM: ("forme juridique", "statut juridique", "forme", "legal form",
                       "type de structure"),
    Field.SIRET: ("siret", "n° siret", "numéro siret", "no siret", "num siret",
                  "siret de l'établissement", "numéro de siret"),
    Field.NAF_CODE: ("code naf", "naf", "ape", "code ape", "naf/ape", "code naf/ape",
                     "code ape/naf", "activité principale (ape)", "naf code"),
    Field.ESUS: ("agrément esus", "esus", "agréé esus", "agrément"),
    Field.ROLE: ("rôle", "role", "fonction", "qualité", "lien avec la structure",
                 "rôle dans la structure", "poste"),
    Field.COLLEGE: ("collège", "college", "collège de vote", "collège scic", "collège d'associés",
                    "catégorie d'associés"),
    Field.YEAR: ("année", "annee d'adhésion", "année de cotisation", "exercice", "millésime",
                 "year", "année adhésion"),
    Field.JOINED_ON: ("date d'adhésion", "adhésion le", "date adhésion", "adhéré le",
                      "date d'entrée", "date d'inscription"),
    Field.FEE: ("cotisation", "montant cotisation", "montant de la cotisation",
                "cotisation due", "montant dû", "montant de l'adhésion", "fee",
                "cotisation annuelle"),
    Field.PAID: ("montant payé", "payé", "réglé", "montant réglé", "déjà payé", "versé",
                 "montant versé", "paid", "amount paid", "encaissé", "montant encaissé"),
    Field.PAID_ON: ("date de paiement", "date paiement", "date de règlement", "payé le",
                    "réglé le", "date d'encaissement", "date du paiement"),
    Field.METHOD: ("mode de paiement", "mode de règlement", "moyen de paiement",
                   "type de paiement", "règlement", "payé par", "réglé par", "mode"),
}


def header_key(text: object) -> str:
    """"Date d'adhésion (jj/mm/aaaa) *" → "date d adhesion": accents, case, punctuation
    and spaces folded."""
    raw = "" if text is None else str(text)
    raw = raw.replace("°", " ").replace("º", " ")
    return re.sub(r"[^a-z0-9]+", " ", search_key(raw)).strip()


def _compact(key: str) -> str:
    return key.replace(" ", "")


_LOOKUP: dict[str, Field] = {}
for _field, _names in _SYNONYMS.items():
    for _name in _names:
        _LOOKUP.setdefault(_compact(header_key(_name)), _field)


def field_for_header(text: object) -> Field | None:
    """The field a column name means, or None."""
    raw = "" if text is None else str(text)
    candidates = [raw, re.sub(r"\(.*?\)|\[.*?\]", " ", raw)]
    for candidate in candidates:
        key = header_key(candidate)
        if not key:
            continue
        for variant in (key, re.sub(r"\s*\b(19|20)\d{2}$", "", key),  # "Cotisation 2025"
                        re.sub(r"\s*\d$", "", key),  # "Téléphone 2", "Adresse 1"
                        re.sub(r"\s*\b(euros?|eur|e|ttc)$", "", key)):
            found = _LOOKUP.get(_compact(variant))
            if found is not None:
                return found
    return None


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """A column of the file and the field it fills (None: left aside)."""

    index: int
    header: str
    field: Field | None

    @property
    def label(self) -> str:
        return self.field.label if self.field is not None else _("(colonne ignorée)")

    @property
    def letter(self) -> str:
        return column_letter(self.index)


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA": the spreadsheet's name of a column."""
    out = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


_IDENTIFYING = {Field.LAST_NAME, Field.FIRST_NAME, Field.FULL_NAME, Field.ORGANISATION}
_ORGANISATION_ONLY = {Field.SIRET, Field.NAF_CODE, Field.LEGAL_FORM, Field.ESUS}


def map_columns(headers: Sequence[object]) -> tuple[ColumnMapping, ...]:
    """The field of each column. A file of organisations that names its column "Nom"
    (with SIRET, NAF or legal form columns, and no first names) gets it as the
    organisation's name."""
    columns = [ColumnMapping(i, cell_text(h) or _("Colonne {letter}").format(
        letter=column_letter(i)), field_for_header(h)) for i, h in enumerate(headers)]
    fields = {c.field for c in columns}
    if (Field.LAST_NAME in fields and not fields & {Field.FIRST_NAME, Field.FULL_NAME,
                                                    Field.ORGANISATION}
            and fields & _ORGANISATION_ONLY):
        columns = [ColumnMapping(c.index, c.header, Field.ORGANISATION)
                   if c.field is Field.LAST_NAME else c for c in columns]
    return tuple(columns)


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the table sits in the file: its line of column names, the columns, the data."""

    header_line: int
    columns: tuple[ColumnMapping, ...]
    rows: tuple[SheetRow, ...]

    @property
    def unmapped(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns if c.field is None)


def locate_columns(table: Table, *, name: str = "") -> Layout:
    """Find the line of column names (the first line, or a later one under a title) and
    map the columns; a file with no recognisable column, or no line under them, is
    refused."""
    name = name or _("le fichier")
    best: tuple[int, int] | None = None  # (recognised, -index)
    for i, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        recognised = {f for f in (field_for_header(c) for c in row.cells) if f is not None}
        if not recognised & _IDENTIFYING:
            continue
        score = (len(recognised), -i)
        if best is None or score > best:
            best = score
    if best is None:
        raise _refuse(_(
            "« {name} » ne ressemble pas à une liste de membres : aucune colonne de nom n'a "
            "été reconnue dans ses premières lignes. La première ligne du tableau doit "
            "donner le nom de chaque colonne, par exemple : Nom ; Prénom ; Courriel ; "
            "Téléphone ; Structure ; SIRET.").format(name=name))
    index = -best[1]
    header = table.rows[index]
    columns = map_columns(header.cells)
    rows = table.rows[index + 1:]
    if not rows:
        raise _refuse(_("« {name} » ne contient que la ligne des noms de colonnes (ligne "
                        "{line}) : aucune ligne à importer.").format(name=name,
                                                                     line=header.line))
    return Layout(header_line=header.line, columns=columns, rows=rows)


# --- cells ------------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007]+")
_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@])")


def cell_text(value: object) -> str:
    """A cell as clean text: trimmed, spaces (no-break ones too) single, no leading "'"
    that a tableur or an export put before "=", "+", "-" or "@"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, dt.datetime):
        value = value.date() if not (value.hour or value.minute or value.second) else value
        if isinstance(value, dt.datetime):
            return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(Decimal(str(value))).replace(".", ",")
    text = _SPACES.sub(" ", str(value).replace("\r\n", "\n")).strip()
    return _FORMULA_GUARD.sub("", text)


_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_DATE_YMD = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})$")
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def parse_date(value: object, *, field: str) -> dt.date | None:
    """07/03/2026, 7/3/26, 07-03-2026, 07.03.2026, 2026-03-07 (a time after it is
    dropped), or a date cell; None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _TIME_TAIL.sub("", cell_text(value))
    if not text:
        return None
    m = _DATE_DMY.match(text)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        year_n = int(year)
        if len(year) == 2:
            year_n += 2000 if year_n < 70 else 1900
    else:
        m = _DATE_YMD.match(text)
        if not m:
            raise ValidationError(_(
                "Date illisible « {text} » : écrivez-la jj/mm/aaaa (exemple : 07/03/2026)."
            ).format(text=text), field=field)
        year_n, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return dt.date(year_n, month, day)
    except ValueError:
        raise ValidationError(_("La date « {text} » n'existe pas (jour ou mois impossible)."
                                ).format(text=text), field=field) from None


def parse_year(value: object, *, field: str) -> int | None:
    if isinstance(value, dt.date):
        return value.year
    text = cell_text(value)
    if not text:
        return None
    if not re.fullmatch(r"(19|20|21)\d{2}", text):
        raise ValidationError(_("Année illisible « {text} » : écrivez-la sur quatre chiffres "
                                "(exemple : 2026).").format(text=text), field=field)
    year = int(text)
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Année invalide."), field=field)
    return year


def parse_amount(value: object, *, field: str) -> int | None:
    """Cents of "12,50", "1 234,50 €", 12.5 (a number cell); None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Montant illisible : écrivez par exemple 25 ou 12,50."),
                              field=field)
    if isinstance(value, int):
        return parse_euros(value, field=field)
    if isinstance(value, float):
        return parse_euros(Decimal(str(round(value, 2))), field=field)
    text = cell_text(value)
    if not text or text in {"-", "—"}:
        return None
    return parse_euros(text, field=field)


_TRUE = {"oui", "o", "yes", "y", "x", "vrai", "true", "1", "agree", "agreee", "ok"}
_FALSE = {"non", "n", "no", "faux", "false", "0", "", "-"}


def parse_bool(value: object, *, field: str) -> bool:
    if isinstance(value, bool):
        return value
    key = header_key(cell_text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValidationError(_("Réponse illisible « {text} » : écrivez oui ou non.").format(
        text=cell_text(value)), field=field)


def phone_text(value: object) -> str:
    """A phone number whose leading 0 the tableur dropped (549123456) gets it back."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value))
    text = cell_text(value)
    if re.fullmatch(r"[1-9]\d{8}", text):
        return "0" + text
    return text


def postcode_text(value: object) -> str:
    """79000, and 1000 read back as 01000 (the Ain's postcodes lose their 0 in a tableur)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value))
    text = cell_text(value)
    if re.fullmatch(r"\d{4}", text):
        return "0" + text
    return text


_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?[eE]\+?\d+$")


def siret_text(value: object, *, field: str) -> str:
    """The SIRET as digits; a number cell is read back with its leading 0; one written in
    scientific notation by a tableur (7,32829E+13) has lost digits and is refused."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = str(int(value))
        return digits.zfill(14) if len(digits) == 13 else digits
    text = cell_text(value)
    if _SCIENTIFIC.match(text.replace(" ", "")):
        raise ValidationError(_(
            "Le SIRET « {text} » a été abîmé par le tableur (notation scientifique : des "
            "chiffres sont perdus). Mettez la colonne au format Texte et saisissez de nouveau "
            "les 14 chiffres.").format(text=text), field=field)
    return text


def _choices(text: object, table: dict[str, object], *, field: str, message: str):
    key = header_key(cell_text(text))
    if not key:
        return None
    found = table.get(key)
    if found is None:
        found = table.get(_compact(key))
    if found is None:
        raise ValidationError(message.format(text=cell_text(text)), field=field)
    return found


def _table(entries: dict[object, Iterable[str]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for value, names in entries.items():
        for name in names:
            key = header_key(name)
            out[key] = value
            out[_compact(key)] = value
    return out


_LEGAL_FORMS = _table({
    LegalForm.ASSOCIATION: ("association", "asso", "association loi 1901", "loi 1901",
                            "association 1901", "association loi 1908", "fondation"),
    LegalForm.SCOP: ("scop", "sa scop", "sarl scop", "sas scop", "scop sa", "scop sarl",
                     "scop sas", "société coopérative de production",
                     "société coopérative et participative"),
    LegalForm.SCIC: ("scic", "sas scic", "sa scic", "sarl scic", "scic sas", "scic sa",
                     "scic sarl", "société coopérative d'intérêt collectif"),
    LegalForm.COOPERATIVE: ("coopérative", "coop", "cooperative", "cae",
                            "coopérative d'activité et d'emploi", "cuma", "sca"),
    LegalForm.ESUS: ("esus", "sas esus", "sarl esus", "sas/sarl esus", "sas ou sarl esus",
                     "entreprise esus", "sas agréée esus", "sarl agréée esus"),
    LegalForm.EI: ("ei", "entreprise individuelle", "micro-entreprise", "micro entreprise",
                   "auto-entrepreneur", "auto entrepreneur", "micro-entrepreneur", "eirl"),
    LegalForm.COLLECTIVITE: ("collectivité", "collectivité territoriale", "commune", "mairie",
                             "communauté d'agglomération", "communauté de communes",
                             "département", "région", "epci", "établissement public"),
    LegalForm.RESEAU: ("réseau", "reseau", "réseau de l'ess", "fédération", "union"),
    LegalForm.AUTRE: ("autre", "other", "sarl", "sas", "sasu", "sa", "eurl", "sci", "gie",
                      "groupement"),
})
_ROLES = _table({
    AffiliationRole.SALARIE: ("salarié", "salariée", "salarié·e", "salarie e", "salarié(e)",
                              "employé", "employée", "salarié·es", "salarie"),
    AffiliationRole.DIRIGEANT: ("dirigeant", "dirigeante", "dirigeant·e", "dirigeant(e)",
                                "président", "présidente", "co-président", "co-présidente",
                                "gérant", "gérante", "directeur", "directrice", "trésorier",
                                "trésorière", "secrétaire", "administrateur",
                                "administratrice", "élu", "élue"),
    AffiliationRole.BENEVOLE: ("bénévole", "benevole", "bénévoles", "volontaire"),
    AffiliationRole.PORTEUR: ("porteur de projet", "porteuse de projet",
                              "porteur·se de projet", "porteur", "porteuse", "créateur",
                              "créatrice", "porteur(se) de projet"),
})
_KINDS = _table({
    MemberKind.PERSON: ("personne", "personne physique", "physique", "individu", "individuel",
                        "individuelle", "particulier", "adhérent individuel", "pp", "p",
                        "personnes", "person"),
    MemberKind.ORGANISATION: ("structure", "organisation", "personne morale", "morale",
                              "entreprise", "association", "collectivité", "pm", "s",
                              "structures", "organisme", "organization", "company"),
})
_METHODS = _table({
    PaymentMethod.CHEQUE: ("chèque", "cheque", "chq", "ch", "chèques"),
    PaymentMethod.VIREMENT: ("virement", "vir", "virement bancaire", "vrt"),
    PaymentMethod.ESPECES: ("espèces", "especes", "espèce", "liquide", "cash", "esp"),
    PaymentMethod.CARTE: ("carte", "carte bancaire", "cb", "carte bleue", "tpe"),
    PaymentMethod.PRELEVEMENT: ("prélèvement", "prelevement", "prélèvement sepa", "sepa"),
    PaymentMethod.PLATEFORME: ("plateforme en ligne", "plateforme", "en ligne", "internet",
                               "helloasso", "hello asso", "paypal", "site internet"),
})


def parse_legal_form(value: object, *, field: str) -> LegalForm | None:
    return _choices(value, _LEGAL_FORMS, field=field, message=_(
        "Forme juridique inconnue « {text} » : association, SCOP, SCIC, coopérative, "
        "SAS/SARL ESUS, entreprise individuelle, collectivité, réseau ou autre."))


def parse_role(value: object, *, field: str) -> AffiliationRole | None:
    return _choices(value, _ROLES, field=field, message=_(
        "Rôle inconnu « {text} » : salarié·e, dirigeant·e, bénévole ou porteur·se de projet."))


def parse_kind(value: object, *, field: str) -> MemberKind | None:
    return _choices(value, _KINDS, field=field, message=_(
        "Type inconnu « {text} » : « personne » ou « structure »."))


def parse_method(value: object, *, field: str) -> PaymentMethod | None:
    return _choices(value, _METHODS, field=field, message=_(
        "Mode de paiement inconnu « {text} » : chèque, virement, espèces, carte, "
        "prélèvement ou plateforme en ligne."))


def split_full_name(text: str) -> tuple[str, str]:
    """(first name, last name) of "Hélène LEFÈVRE", "LEFÈVRE Hélène" or "Hélène Lefèvre":
    the words in capitals are the last name; otherwise the last word is."""
    words = text.split()
    if not words:
        return "", ""
    upper = [w for w in words if len(w) > 1 and w.isupper()]
    if upper and len(upper) < len(words):
        last = " ".join(w for w in words if w in upper)
        first = " ".join(w for w in words if w not in upper)
        return first, last.title() if last.isupper() else last
    if len(words) == 1:
        return "", words[0]
    return " ".join(words[:-1]), words[-1]


# --- writing an export -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in cents in an export: "12,50" in a CSV, a number cell in a workbook."""

    cents: int


def export_format(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return "CSV"
    if suffix == ".xlsx":
        return "XLSX"
    raise ValidationError(_("Donnez au fichier l'extension .csv ou .xlsx (par exemple "
                            "adherents.csv)."), field="file")


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Money):
        return f"{value.cents // 100},{value.cents % 100:02d}" if value.cents >= 0 \
            else "-" + _csv_value(Money(-value.cents))
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):  # never a formula in the tableur
        text = "'" + text
    return text


def write_table(path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]], *,
                title: str) -> int:
    """Write `rows` under `headers` to `path`: CSV in UTF-8 with a BOM and `;` (Excel
    opens it with its accents), or XLSX (by the suffix). Returns the rows written."""
    path = Path(path)
    fmt = export_format(path)
    try:
        if fmt == "CSV":
            return _write_csv(path, headers, rows)
        return _write_xlsx(path, headers, rows, title)
    except OSError as exc:
        raise ValidationError(_("Le fichier « {path} » ne peut pas être écrit : {reason}").format(
            path=path, reason=exc.strerror or exc), field="file") from None


def _write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_value(v) for v in row])
            n += 1
    return n


def _write_xlsx(path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]],
                title: str) -> int:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\\/*?:\[\]]", " ", title)[:31] or "Export")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: object) -> WriteOnlyCell:
        if isinstance(value, Money):
            c = WriteOnlyCell(sheet, value=value.cents / 100)
            c.number_format = '#,##0.00\\ "€"'
            return c
        if isinstance(value, dt.date):
            c = WriteOnlyCell(sheet, value=value)
            c.number_format = "DD/MM/YYYY"
            return c
        if isinstance(value, str):
            c = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            c.data_type = "s"  # text stays text: "=…" is never a formula, "05…" keeps its 0
            return c
        return WriteOnlyCell(sheet, value=value)

    header_cells = []
    for h in headers:
        c = cell(h)
        c.font = bold
        header_cells.append(c)
    sheet.append(header_cells)
    n = 0
    for row in rows:
        sheet.append([cell(v) for v in row])
        n += 1
    workbook.save(path)
    return n


# --- the records of an import of members --------------------------------------------------------


class RowAction(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    SKIP = "skip"  # the same line again in the file
    ERROR = "error"

    @property
    def label(self) -> str:
        return _(_ROW_ACTION_LABELS[self])


_ROW_ACTION_LABELS = {
    RowAction.CREATE: N_("À créer"),
    RowAction.UPDATE: N_("À mettre à jour"),
    RowAction.UNCHANGED: N_("Inchangée"),
    RowAction.SKIP: N_("Doublon ignoré"),
    RowAction.ERROR: N_("En erreur"),
}


@dataclass(frozen=True, slots=True)
class MembershipDraft:
    """The membership a line asks for: a college and a year, the fee (None: the college's
    fee for that year), what is paid so far (None: not said)."""

    college: str
    college_id: int | None
    year: int
    fee_cents: int | None
    paid_cents: int | None
    paid_on: dt.date | None
    method: PaymentMethod | None

    def describe(self) -> str:
        text = _("adhésion {year}, collège « {college} »").format(year=self.year,
                                                                  college=self.college)
        if self.fee_cents is not None:
            text += _(", cotisation {fee}").format(fee=format_money(self.fee_cents))
        if self.paid_cents:
            text += _(", payé {paid}").format(paid=format_money(self.paid_cents))
        return text


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One line of the file, read and checked: what it holds (the values of the file,
    validated like the forms do), what the import will do with it, and why not if not.

    `person`/`organisations` carry the values of the file; their `id` is the record of
    the base they will update (None: a new record)."""

    line: int
    kind: MemberKind | None
    action: RowAction
    name: str
    person: PersonDetail | None = None
    organisations: tuple[OrganisationDetail, ...] = ()
    role: AffiliationRole | None = None
    membership: MembershipDraft | None = None
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    cells: tuple[str, ...] = ()
    given: frozenset[str] = frozenset()  # the fields the file filled ("organisation.siret"…)
    joined_on: dt.date | None = None

    @property
    def ok(self) -> bool:
        return self.action not in (RowAction.ERROR, RowAction.SKIP)

    @property
    def writes(self) -> bool:
        return self.action in (RowAction.CREATE, RowAction.UPDATE)

    @property
    def organisation_names(self) -> str:
        return ", ".join(o.name for o in self.organisations)

    @property
    def message(self) -> str:
        """The errors, or else what will be done."""
        return " ; ".join(self.errors or self.notes)


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What importing a file would do, before anything is written."""

    path: str
    file_name: str
    format: str
    encoding: str | None
    separator: str | None
    sheet: str | None
    other_sheets: tuple[str, ...]
    header_line: int
    columns: tuple[ColumnMapping, ...]
    rows: tuple[ImportRow, ...]
    year: int  # the year of memberships when the file gives none
    file_notes: tuple[str, ...] = ()

    def _count(self, action: RowAction) -> int:
        return sum(1 for r in self.rows if r.action is action)

    @property
    def to_create(self) -> int:
        return self._count(RowAction.CREATE)

    @property
    def to_update(self) -> int:
        return self._count(RowAction.UPDATE)

    @property
    def unchanged(self) -> int:
        return self._count(RowAction.UNCHANGED)

    @property
    def skipped(self) -> int:
        return self._count(RowAction.SKIP)

    @property
    def with_errors(self) -> int:
        return self._count(RowAction.ERROR)

    @property
    def to_write(self) -> int:
        return self.to_create + self.to_update

    @property
    def error_rows(self) -> tuple[ImportRow, ...]:
        return tuple(r for r in self.rows if r.action is RowAction.ERROR)

    @property
    def unmapped(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns if c.field is None)

    def describe_file(self) -> str:
        if self.format == "XLSX":
            text = _("XLSX, feuille « {sheet} »").format(sheet=self.sheet or "")
            if self.other_sheets:
                text += " " + ngettext("(l'autre feuille est ignorée)",
                                       "(les {n} autres feuilles sont ignorées)",
                                       len(self.other_sheets)).format(n=len(self.other_sheets))
            return text
        return _("CSV, {encoding}, séparateur {separator}").format(
            encoding=self.encoding, separator=separator_label(self.separator))

    def summary(self) -> str:
        """"12 lignes : 8 à créer, 2 à mettre à jour, 1 inchangée, 1 en erreur"."""
        n = len(self.rows)
        parts = [ngettext("{n} à créer", "{n} à créer", self.to_create).format(n=self.to_create),
                 ngettext("{n} à mettre à jour", "{n} à mettre à jour",
                          self.to_update).format(n=self.to_update)]
        if self.unchanged:
            parts.append(ngettext("{n} inchangée", "{n} inchangées",
                                  self.unchanged).format(n=self.unchanged))
        if self.skipped:
            parts.append(ngettext("{n} doublon ignoré", "{n} doublons ignorés",
                                  self.skipped).format(n=self.skipped))
        parts.append(ngettext("{n} en erreur", "{n} en erreur",
                              self.with_errors).format(n=self.with_errors))
        return ngettext("{n} ligne : {parts}", "{n} lignes : {parts}", n).format(
            n=n, parts=", ".join(parts))

    def mapping_text(self) -> str:
        """"Nom → Nom ; Courriel → E-mail ; …" and the columns left aside."""
        used = " ; ".join(f"{c.header} → {c.label}" for c in self.columns if c.field)
        if self.unmapped:
            used += "\n" + _("Colonnes ignorées : {names}").format(names=", ".join(self.unmapped))
        return used


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import wrote."""

    file_name: str
    people_created: int = 0
    people_updated: int = 0
    organisations_created: int = 0
    organisations_updated: int = 0
    affiliations_created: int = 0
    memberships_created: int = 0
    memberships_updated: int = 0
    payments_created: int = 0
    rows_written: int = 0
    rows_unchanged: int = 0
    rows_skipped: int = 0  # in error, or a duplicate line
    details: tuple[str, ...] = field(default_factory=tuple)

    def lines(self) -> list[str]:
        """What was written, the counts that are not zero."""
        counts = (
            (self.people_created, ngettext("{n} personne créée", "{n} personnes créées",
                                           self.people_created)),
            (self.people_updated, ngettext("{n} personne mise à jour",
                                           "{n} personnes mises à jour", self.people_updated)),
            (self.organisations_created, ngettext("{n} structure créée", "{n} structures créées",
                                                  self.organisations_created)),
            (self.organisations_updated, ngettext("{n} structure mise à jour",
                                                  "{n} structures mises à jour",
                                                  self.organisations_updated)),
            (self.affiliations_created, ngettext("{n} rattachement à une structure",
                                                 "{n} rattachements à une structure",
                                                 self.affiliations_created)),
            (self.memberships_created, ngettext("{n} adhésion créée", "{n} adhésions créées",
                                                self.memberships_created)),
            (self.memberships_updated, ngettext("{n} adhésion modifiée", "{n} adhésions modifiées",
                                                self.memberships_updated)),
            (self.payments_created, ngettext("{n} paiement enregistré", "{n} paiements enregistrés",
                                             self.payments_created)),
            (self.rows_unchanged, ngettext("{n} ligne déjà à jour", "{n} lignes déjà à jour",
                                           self.rows_unchanged)),
            (self.rows_skipped, ngettext("{n} ligne non importée (erreur ou doublon)",
                                         "{n} lignes non importées (erreurs ou doublons)",
                                         self.rows_skipped)),
        )
        out = [text.format(n=n) for n, text in counts if n]
        return out or [_("rien n'a changé")]

    def summary(self) -> str:
        return _("Import de « {name} » terminé : {what}.").format(
            name=self.file_name, what=", ".join(self.lines()))
