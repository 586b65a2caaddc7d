"""Importing people and organisations from a spreadsheet, and exporting the members list.

An import is two steps. `preview` reads the file (domain/spreadsheet.py), checks every line
with the rules of the forms (clean_person, clean_organisation, the checks of
domain/members), finds the records it matches in the base and says, line by line, what
will be created, updated, left alone, or refused and why. Nothing is written. `apply` then
writes every valid line in ONE unit of work: all of them, or nothing (the plan is made
again inside that unit of work; if the base changed meanwhile in a way that matters, it
is refused and nothing is written).

Matching, so that importing the same file twice creates nothing new:

- a person: the same e-mail and the same name (accents and case aside); else the one
  person of that name without a different e-mail, phone or postcode (several: the line is
  refused, the file must say which with an e-mail);
- an organisation: the same SIRET; else the same name and e-mail; else the same name with
  no different SIRET.

Updating fills the values the file gives; an empty cell never erases a value of the base.
A person with a "Structure" is linked to it by an affiliation (role from a "Rôle" column,
else salarié·e), the structure created if unknown. With a "Collège" column, the line's
member gets that year's membership (year from "Année", else from "Date d'adhésion", else
this year; fee from "Cotisation", else the college's fee), and a "Montant payé" above what
is recorded becomes a payment (which needs its date and its method).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from maison_app.db import audit
from maison_app.db.members import College, CollegeFee, Membership, Payment
from maison_app.db.models import Affiliation, Organisation, Person
from maison_app.domain.enums import AffiliationRole, LegalForm, MemberKind
from maison_app.domain.errors import Conflict, ValidationError
from maison_app.domain.members import (
    MemberFilter,
    MemberSort,
    OrganisationDetail,
    PersonDetail,
)
from maison_app.domain.permissions import Access, Area
from maison_app.domain.spreadsheet import (
    ColumnMapping,
    Field,
    ImportPreview,
    ImportReport,
    ImportRow,
    MembershipDraft,
    Money,
    RowAction,
    cell_text,
    header_key,
    locate_columns,
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
    siret_text,
    split_full_name,
    write_table,
)
from maison_app.domain.text import full_name, search_key
from maison_app.i18n import PARIS, _, format_date, format_money, ngettext
from maison_app.services.context import ServiceContext
from maison_app.services.members import MembersService, clean_organisation, clean_person
from maison_app.services.memberships import MembershipService
from maison_app.services.people import person_keys
from maison_app.services.permissions import requires

CHUNK = 500
EXPORT_PAGE = 1000

# the fields of a person and of an organisation a file may fill, with their labels
_PERSON_FIELDS = {
    "last_name": Field.LAST_NAME, "first_name": Field.FIRST_NAME, "email": Field.EMAIL,
    "phone": Field.PHONE, "address": Field.ADDRESS, "postcode": Field.POSTCODE,
    "city": Field.CITY, "notes": Field.NOTES, "consent_date": Field.CONSENT_DATE,
}
_ORGANISATION_FIELDS = {
    "name": Field.ORGANISATION, "legal_form": Field.LEGAL_FORM, "siret": Field.SIRET,
    "naf_code": Field.NAF_CODE, "esus_agrement": Field.ESUS, "email": Field.EMAIL,
    "phone": Field.PHONE, "address": Field.ADDRESS, "postcode": Field.POSTCODE,
    "city": Field.CITY, "notes": Field.NOTES,
}


_MEMBERSHIP_FIELDS = {Field.YEAR, Field.FEE, Field.PAID, Field.PAID_ON, Field.METHOD}


def _today(ctx: ServiceContext) -> dt.date:
    return ctx.now().astimezone(PARIS).date()


def _show(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, LegalForm):
        return value.label
    if isinstance(value, dt.date):
        return format_date(value, "short")
    return str(value)


# --- reading the lines of the file ----------------------------------------------------------


@dataclass
class _Draft:
    """A line as read from the file, before it meets the base."""

    line: int
    cells: tuple[str, ...]
    kind: MemberKind | None = None
    person: PersonDetail | None = None
    person_given: frozenset[str] = frozenset()
    organisations: list[OrganisationDetail] = dc_field(default_factory=list)
    organisation_given: frozenset[str] = frozenset()
    role: AffiliationRole | None = None
    membership: MembershipDraft | None = None
    joined_on: dt.date | None = None
    errors: list[str] = dc_field(default_factory=list)
    notes: list[str] = dc_field(default_factory=list)

    @property
    def name(self) -> str:
        if self.kind is MemberKind.ORGANISATION and self.organisations:
            return self.organisations[0].name
        if self.person is not None:
            return self.person.name
        return ", ".join(o.name for o in self.organisations)


def _validated(detail, clean, fields: dict[str, Field], headers: dict[Field, str],
               errors: list[str]):
    """Run the form's rule (`clean`) and collect EVERY refusal, not only the first: a
    refused value is put aside and the rule run again. Returns the cleaned detail."""
    for _attempt in range(len(fields) + 2):
        try:
            values = clean(detail)
        except ValidationError as exc:
            name = exc.field or ""
            f = fields.get(name)
            where = (headers.get(f) or f"« {f.label} »") if f is not None else None
            errors.append(f"{where} : {exc.message}" if where else exc.message)
            if name not in fields or name in ("last_name", "name"):
                return None
            detail = replace(detail, **{name: None})
            continue
        return replace(detail, **{k: v for k, v in values.items() if hasattr(detail, k)})
    return None


class _LineReader:
    """Reads one line of the file into a _Draft, with the mapping of its columns."""

    def __init__(self, columns: Sequence[ColumnMapping], *, year: int) -> None:
        self.columns = columns
        self.year = year
        self.headers: dict[Field, str] = {}
        for c in columns:
            if c.field is not None:
                self.headers.setdefault(c.field, f"« {c.header} »")
        self.fields = {c.field for c in columns if c.field is not None}

    def raw(self, cells: Sequence[object], f: Field) -> object:
        """The first non-empty cell of the columns mapped to `f`."""
        for c in self.columns:
            if c.field is f and c.index < len(cells):
                value = cells[c.index]
                if value is not None and cell_text(value) != "":
                    return value
        return None

    def text(self, cells: Sequence[object], f: Field) -> str:
        return cell_text(self.raw(cells, f))

    def _try(self, cells: Sequence[object], errors: list[str], f: Field,
             parse: Callable[[object], object]) -> object:
        value = self.raw(cells, f)
        if value is None:
            return None
        try:
            return parse(value)
        except ValidationError as exc:
            errors.append(f"{self.headers.get(f, f.label)} : {exc.message}")
            return None

    def read(self, line: int, cells: Sequence[object]) -> _Draft:
        shown = tuple(cell_text(cells[c.index]) if c.index < len(cells) else ""
                      for c in self.columns)
        d = _Draft(line=line, cells=shown)
        errors = d.errors
        text = lambda f: self.text(cells, f)

        # who: a person, an organisation, or both
        first, last = text(Field.FIRST_NAME), text(Field.LAST_NAME)
        if not (first or last) and text(Field.FULL_NAME):
            first, last = split_full_name(text(Field.FULL_NAME))
        org_cell = text(Field.ORGANISATION)
        kind = None
        kind_text = text(Field.KIND)
        legal_form_from_kind = None
        if kind_text:
            try:
                kind = parse_kind(kind_text, field="kind")
            except ValidationError as exc:
                try:  # "SCOP", "Association" in a "Type" column: a structure and its form
                    legal_form_from_kind = parse_legal_form(kind_text, field="legal_form")
                    kind = MemberKind.ORGANISATION
                except ValidationError:
                    errors.append(f"{self.headers[Field.KIND]} : {exc.message}")
        if kind is None:
            kind = MemberKind.PERSON if (first or last) else (
                MemberKind.ORGANISATION if org_cell else None)
        if kind is None:
            if not errors:
                errors.append(_("Ni nom ni structure : la ligne ne dit pas qui importer."))
            return d
        d.kind = kind

        # contact details: the person's, or the organisation's on a structure's line
        address = ", ".join(x for x in (text(Field.ADDRESS), text(Field.ADDRESS_2)) if x)
        contact = {
            "email": text(Field.EMAIL) or None,
            "phone": phone_text(self.raw(cells, Field.PHONE)) or None,
            "address": address or None,
            "postcode": postcode_text(self.raw(cells, Field.POSTCODE)) or None,
            "city": text(Field.CITY) or None,
            "notes": text(Field.NOTES) or None,
        }
        # the organisation's own fields
        org_fields: dict[str, object] = {}
        siret = self._try(cells, errors, Field.SIRET, lambda v: siret_text(v, field="siret"))
        if siret:
            org_fields["siret"] = siret
        if text(Field.NAF_CODE):
            org_fields["naf_code"] = text(Field.NAF_CODE)
        legal_form = self._try(cells, errors, Field.LEGAL_FORM,
                               lambda v: parse_legal_form(v, field="legal_form"))
        legal_form = legal_form or legal_form_from_kind
        if legal_form is not None:
            org_fields["legal_form"] = legal_form
        if self.raw(cells, Field.ESUS) is not None:
            esus = self._try(cells, errors, Field.ESUS, lambda v: parse_bool(v, field="esus"))
            if esus is not None:
                org_fields["esus_agrement"] = esus

        person_values: dict[str, object] = {}
        if first or last:
            person_values = {"first_name": first, "last_name": last}
            if kind is MemberKind.PERSON:
                person_values.update({k: v for k, v in contact.items() if v})
                consent = self.raw(cells, Field.CONSENT_DATE)
                if consent is not None:
                    try:
                        person_values["consent_date"] = parse_date(consent, field="consent_date")
                    except ValidationError as exc:
                        try:
                            parse_bool(consent, field="consent_date")
                            d.notes.append(_("{column} : « {text} » sans date, non repris "
                                             "(indiquez la date du consentement).").format(
                                column=self.headers[Field.CONSENT_DATE],
                                text=cell_text(consent)))
                        except ValidationError:
                            errors.append(f"{self.headers[Field.CONSENT_DATE]} : {exc.message}")
        elif kind is MemberKind.PERSON:
            errors.append(_("Le nom de la personne est obligatoire."))

        names = [n.strip() for n in org_cell.split(";")] if org_cell else []
        names = [n for n in names if n]
        if kind is MemberKind.ORGANISATION:
            if not names:
                errors.append(_("Le nom de la structure est obligatoire."))
            elif len(names) > 1:
                names = [org_cell]
            org_fields.update({k: v for k, v in contact.items() if v})
        elif org_fields and not names:
            errors.append(_("Un SIRET, un code NAF, une forme juridique ou un agrément ESUS "
                            "va avec le nom de la structure : remplissez la colonne de la "
                            "structure, ou videz ces cellules."))
            org_fields = {}
        elif org_fields and len(names) > 1:
            errors.append(_("SIRET, code NAF, forme juridique ou agrément ESUS ne se donnent "
                            "que pour une seule structure : la ligne en nomme {n}.").format(
                n=len(names)))
            org_fields = {}

        if person_values:
            d.person = _validated(PersonDetail(**person_values), clean_person, _PERSON_FIELDS,
                                  self.headers, errors)
            d.person_given = frozenset(k for k, v in person_values.items() if v not in (None, ""))
        for i, name in enumerate(names):
            values = {"name": name, **(org_fields if i == 0 else {})}
            org = _validated(OrganisationDetail(**values), clean_organisation,
                             _ORGANISATION_FIELDS, self.headers, errors)
            if org is not None:
                d.organisations.append(org)
            if i == 0:
                d.organisation_given = frozenset(
                    k for k, v in values.items() if v not in (None, "") or k == "esus_agrement")

        # the link of the person to the structure
        if d.person is not None and names:
            d.role = self._try(cells, errors, Field.ROLE, lambda v: parse_role(v, field="role"))

        # the membership
        d.joined_on = self._try(cells, errors, Field.JOINED_ON,
                                lambda v: parse_date(v, field="joined_on"))
        year = self._try(cells, errors, Field.YEAR, lambda v: parse_year(v, field="year"))
        fee = self._try(cells, errors, Field.FEE, lambda v: parse_amount(v, field="fee"))
        paid = self._try(cells, errors, Field.PAID, lambda v: parse_amount(v, field="paid"))
        paid_on = self._try(cells, errors, Field.PAID_ON, lambda v: parse_date(v, field="paid_on"))
        method = self._try(cells, errors, Field.METHOD, lambda v: parse_method(v, field="method"))
        college = text(Field.COLLEGE)
        if college:
            d.membership = MembershipDraft(
                college=college, college_id=None,
                year=year or (d.joined_on.year if d.joined_on else self.year),
                fee_cents=fee, paid_cents=paid, paid_on=paid_on or d.joined_on, method=method)
        elif any(v is not None for v in (year, fee, paid)) and Field.COLLEGE in self.fields:
            errors.append(_("{column} : le collège manque ; sans lui l'adhésion ne peut pas "
                            "être enregistrée.").format(column=self.headers[Field.COLLEGE]))
        return d


# --- meeting the base --------------------------------------------------------------------------


def _chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i:i + size]


@dataclass
class _Known:
    """The records of the base the file may match, loaded in a few queries."""

    people_by_email: dict[str, list[Person]] = dc_field(default_factory=dict)
    people_by_key: dict[str, list[Person]] = dc_field(default_factory=dict)
    orgs_by_siret: dict[str, list[Organisation]] = dc_field(default_factory=dict)
    orgs_by_key: dict[str, list[Organisation]] = dc_field(default_factory=dict)
    colleges: dict[str, College] = dc_field(default_factory=dict)
    fees: dict[tuple[int, int], int] = dc_field(default_factory=dict)
    links: set[tuple[int, int, AffiliationRole | None]] = dc_field(default_factory=set)
    memberships: dict[tuple[MemberKind, int, int], Membership] = dc_field(default_factory=dict)

    @classmethod
    def load(cls, s: Session, drafts: Sequence[_Draft]) -> _Known:
        k = cls()
        emails, keys, sirets, org_keys, years = set(), set(), set(), set(), set()
        for d in drafts:
            if d.person is not None:
                keys.add(_person_key(d.person))
                if d.person.email:
                    emails.add(d.person.email.lower())
            for o in d.organisations:
                org_keys.add(search_key(o.name))
                if o.siret:
                    sirets.add(o.siret)
            if d.membership is not None:
                years.add(d.membership.year)
        alive = Person.anonymised.is_(False)
        for part in _chunks(emails):
            for p in s.scalars(select(Person).where(func.lower(Person.email).in_(part), alive)
                               .order_by(Person.id)):
                k.people_by_email.setdefault(p.email.lower(), []).append(p)
        for part in _chunks(keys):
            for p in s.scalars(select(Person).where(Person.sort_key.in_(part), alive)
                               .order_by(Person.id)):
                k.people_by_key.setdefault(p.sort_key, []).append(p)
        for part in _chunks(sirets):
            for o in s.scalars(select(Organisation).where(Organisation.siret.in_(part))
                               .order_by(Organisation.id)):
                k.orgs_by_siret.setdefault(o.siret, []).append(o)
        for part in _chunks(org_keys):
            for o in s.scalars(select(Organisation).where(Organisation.search_key.in_(part))
                               .order_by(Organisation.id)):
                k.orgs_by_key.setdefault(o.search_key, []).append(o)
        for c in s.scalars(select(College).order_by(College.position, College.name)):
            k.colleges.setdefault(header_key(c.name), c)
        if years:
            for fee in s.scalars(select(CollegeFee).where(CollegeFee.year.in_(years))):
                k.fees[(fee.college_id, fee.year)] = fee.fee_cents
        # the links and memberships of the records the file may match
        person_ids = {p.id for group in (*k.people_by_email.values(), *k.people_by_key.values())
                      for p in group}
        org_ids = {o.id for group in (*k.orgs_by_siret.values(), *k.orgs_by_key.values())
                   for o in group}
        for part in _chunks(person_ids):
            for a in s.execute(select(Affiliation.person_id, Affiliation.organisation_id,
                                      Affiliation.role).where(Affiliation.person_id.in_(part))):
                k.links.add((a.person_id, a.organisation_id, a.role))
                k.links.add((a.person_id, a.organisation_id, None))
        if years:
            for col, ids, kind in ((Membership.person_id, person_ids, MemberKind.PERSON),
                                   (Membership.organisation_id, org_ids,
                                    MemberKind.ORGANISATION)):
                for part in _chunks(ids):
                    for m in s.scalars(select(Membership).where(col.in_(part),
                                                                Membership.year.in_(years))):
                        k.memberships[(kind, m.person_id or m.organisation_id, m.year)] = m
        return k


def _person_key(p: PersonDetail) -> str:
    return person_keys(p.first_name, p.last_name, p.email, [])[1]


def _differs(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and a != b


@dataclass
class _OrgEntity:
    """An organisation the file names (once, however many lines name it)."""

    key: str
    detail: OrganisationDetail
    given: set[str]
    line: int  # the first line that named it
    existing: Organisation | None = None
    note: str | None = None  # about the match

    def changes(self) -> list[str]:
        return _changes(self.existing, self.detail, self.given, _ORGANISATION_FIELDS)


def _changes(existing, detail, given: Iterable[str], fields: dict[str, Field]) -> list[str]:
    """"téléphone : — → 05 49 …" for each value of the file that differs from the base."""
    if existing is None:
        return []
    out = []
    for name, f in fields.items():
        if name not in given or name == "name":
            continue
        new = getattr(detail, name)
        if new in (None, ""):
            continue
        old = getattr(existing, name)
        if name == "email" and old and old.lower() == new.lower():
            continue
        if old != new:
            out.append(f"{f.label} : {_show(old)} → {_show(new)}")
    return out


@dataclass
class _Planned:
    """What one line will do."""

    draft: _Draft
    person: Person | None = None  # the matched person
    person_changes: list[str] = dc_field(default_factory=list)
    orgs: list[_OrgEntity] = dc_field(default_factory=list)
    new_links: list[_OrgEntity] = dc_field(default_factory=list)
    membership: MembershipDraft | None = None
    membership_existing: Membership | None = None
    membership_changes: list[str] = dc_field(default_factory=list)
    payment_cents: int = 0
    action: RowAction = RowAction.UNCHANGED
    errors: list[str] = dc_field(default_factory=list)
    notes: list[str] = dc_field(default_factory=list)

    @property
    def main_org(self) -> _OrgEntity | None:
        return self.orgs[0] if self.draft.kind is MemberKind.ORGANISATION and self.orgs else None


class _Planner:
    """Plans every line against the base (read in `s`); used by the preview and again,
    inside the writing unit of work, by the import itself."""

    def __init__(self, s: Session, drafts: Sequence[_Draft], *, today: dt.date) -> None:
        self.today = today
        self.drafts = drafts
        self.known = _Known.load(s, drafts)
        self.entities: dict[str, _OrgEntity] = {}
        self.aliases: dict[str, str] = {}  # name key → entity key

    # -- organisations --

    def _match_org(self, o: OrganisationDetail) -> tuple[Organisation | None, str | None]:
        key = search_key(o.name)
        if o.siret and self.known.orgs_by_siret.get(o.siret):
            return self.known.orgs_by_siret[o.siret][0], None
        named = self.known.orgs_by_key.get(key, [])
        if o.email:
            same = [x for x in named if (x.email or "").lower() == o.email.lower()
                    and not _differs(x.siret, o.siret)]
            if same:
                return same[0], None
        same = [x for x in named if not _differs(x.siret, o.siret)]
        if not same:
            return None, None
        note = None
        if len(same) > 1:
            note = _("Plusieurs structures s'appellent « {name} » : la plus ancienne fiche est "
                     "utilisée.").format(name=o.name)
        return same[0], note

    def _entity(self, o: OrganisationDetail, given: Iterable[str], line: int,
                register: bool) -> _OrgEntity:
        """The organisation `o` names: one already named by the file, or a new one
        (registered only for a valid line)."""
        name_key = search_key(o.name)
        siret_key = f"siret:{o.siret}" if o.siret else None
        entity = self.entities.get(siret_key) if siret_key else None
        if entity is None and name_key in self.aliases:
            named = self.entities[self.aliases[name_key]]
            if not _differs(named.detail.siret, o.siret):
                entity = named  # the same structure, perhaps first named without its SIRET
        if entity is None:
            existing, note = self._match_org(o)
            key = siret_key or f"name:{name_key}"
            entity = _OrgEntity(key=key, detail=o, given=set(given), line=line,
                                existing=existing, note=note)
            if register:
                self.entities[key] = entity
                self.aliases.setdefault(name_key, key)
            return entity
        if register and siret_key:
            self.entities.setdefault(siret_key, entity)
        if register:  # fill what the first line did not give
            filled = {}
            for name in given:
                value = getattr(o, name)
                if value not in (None, "") and name not in entity.given:
                    filled[name] = value
            if filled:
                entity.detail = replace(entity.detail, **filled)
                entity.given |= set(filled)
                if "siret" in filled and entity.existing is None:  # known by its SIRET?
                    entity.existing, entity.note = self._match_org(entity.detail)
        return entity

    # -- people --

    def _match_person(self, p: PersonDetail, errors: list[str], notes: list[str]
                      ) -> Person | None:
        key = _person_key(p)
        if p.email:
            by_email = self.known.people_by_email.get(p.email.lower(), [])
            same = [x for x in by_email if x.sort_key == key]
            if same:
                return same[0]
        candidates = [x for x in self.known.people_by_key.get(key, [])
                      if not (p.email and x.email)
                      and not _differs(x.phone, p.phone) and not _differs(x.postcode, p.postcode)]
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            errors.append(_(
                "Plusieurs fiches « {name} » existent déjà et rien ne dit laquelle est la bonne : "
                "ajoutez l'adresse e-mail dans le fichier, ou fusionnez d'abord ces fiches "
                "(Adhérents, doublons).").format(name=p.name))
            return None
        if p.email and self.known.people_by_email.get(p.email.lower()):
            others = ", ".join(full_name(x.first_name, x.last_name)
                               for x in self.known.people_by_email[p.email.lower()][:3])
            notes.append(_("Cette adresse e-mail est aussi celle de {others} : une fiche "
                           "séparée est créée (fusionnez-les ensuite si c'est la même "
                           "personne).").format(others=others))
        return None

    # -- membership --

    def _membership(self, plan: _Planned, member_id: int | None, kind: MemberKind) -> None:
        m = plan.draft.membership
        if m is None:
            return
        errors = plan.errors
        college = self.known.colleges.get(header_key(m.college))
        if college is None:
            names = ", ".join(c.name for c in self.known.colleges.values())
            errors.append(_("Collège inconnu « {college} » : les collèges sont {names} (voir "
                            "Paramètres).").format(college=m.college, names=names or "—"))
            return
        fee = m.fee_cents
        existing = None
        if member_id is not None:
            existing = self.known.memberships.get((kind, member_id, m.year))
        if fee is None:
            fee = existing.fee_cents if existing is not None else self.known.fees.get(
                (college.id, m.year))
            if fee is None:
                errors.append(_("La cotisation du collège « {college} » pour {year} n'est pas "
                                "fixée : ajoutez une colonne « Cotisation » ou fixez-la dans "
                                "les paramètres.").format(college=college.name, year=m.year))
                return
        paid_before = existing.paid_cents if existing is not None else 0
        if m.paid_cents is not None and m.paid_cents > fee:
            errors.append(_("Le montant payé ({paid}) dépasse la cotisation ({fee}).").format(
                paid=format_money(m.paid_cents), fee=format_money(fee)))
            return
        if fee < paid_before:
            errors.append(_("La cotisation ({fee}) est inférieure à ce qui a déjà été payé "
                            "({paid}).").format(fee=format_money(fee),
                                                paid=format_money(paid_before)))
            return
        payment = max((m.paid_cents or 0) - paid_before, 0)
        if payment:
            if m.method is None:
                errors.append(_("Un montant payé demande son mode de paiement : ajoutez une "
                                "colonne « Mode de paiement » (chèque, virement, espèces…)."))
            if m.paid_on is None:
                errors.append(_("Un montant payé demande sa date : ajoutez une colonne « Date "
                                "de paiement » (ou « Date d'adhésion »)."))
            elif m.paid_on > self.today:
                errors.append(_("La date de paiement ({date}) est dans le futur.").format(
                    date=format_date(m.paid_on, "short")))
            if errors:
                return
        plan.membership = replace(m, college=college.name, college_id=college.id, fee_cents=fee)
        plan.membership_existing = existing
        plan.payment_cents = payment
        if existing is None:
            plan.notes.append(_("nouvelle {what}").format(what=plan.membership.describe()))
        else:
            if existing.college_id != college.id:
                plan.membership_changes.append(_("collège de l'adhésion {year} → {college}").format(
                    year=m.year, college=college.name))
            if existing.fee_cents != fee:
                plan.membership_changes.append(_("cotisation {year} : {old} → {new}").format(
                    year=m.year, old=format_money(existing.fee_cents), new=format_money(fee)))
        if payment:
            plan.notes.append(_("paiement de {amount} le {date} ({method})").format(
                amount=format_money(payment), date=format_date(m.paid_on, "short"),
                method=m.method.label))
        elif m.paid_cents is not None and m.paid_cents < paid_before:
            plan.notes.append(_("La base compte déjà {paid} payés pour {year} : rien n'est "
                                "retiré.").format(paid=format_money(paid_before), year=m.year))

    # -- the lines --

    def plan(self) -> list[_Planned]:
        plans = [_Planned(draft=d, errors=list(d.errors), notes=list(d.notes))
                 for d in self.drafts]
        self._duplicates(plans)
        # structures' own lines first, so that the people's lines find them
        order = sorted(plans, key=lambda p: (p.draft.kind is not MemberKind.ORGANISATION,
                                             p.draft.line))
        for plan in order:
            if not plan.errors and plan.action is not RowAction.SKIP:
                self._plan_line(plan)
        for plan in plans:
            if plan.errors:
                plan.action = RowAction.ERROR
        self._describe_entities(plans)
        return plans

    def _duplicates(self, plans: list[_Planned]) -> None:
        """The same person (name and e-mail; without e-mail, no other phone or postcode)
        or structure (SIRET, else name) twice in the file: the same line again is left
        out; with other values, it is an error (which one is right?)."""
        seen: dict[tuple, list[_Planned]] = {}
        for plan in plans:
            d = plan.draft
            if d.kind is MemberKind.PERSON and d.person is not None:
                key = ("p", _person_key(d.person), (d.person.email or "").lower())
            elif d.kind is MemberKind.ORGANISATION and d.organisations:
                o = d.organisations[0]
                key = ("o", o.siret or search_key(o.name))
            else:
                continue
            earlier = seen.setdefault(key, [])
            first = next((e for e in earlier if key[0] == "o" or key[2] or not (
                _differs(e.draft.person.phone, d.person.phone)
                or _differs(e.draft.person.postcode, d.person.postcode))), None)
            if first is None:
                earlier.append(plan)
                continue
            same = (first.draft.person, first.draft.organisations, first.draft.role,
                    first.draft.membership) == (d.person, d.organisations, d.role, d.membership)
            who = d.name
            if same:
                plan.action = RowAction.SKIP
                plan.notes = [_("Même ligne que la ligne {line} : ignorée.").format(
                    line=first.draft.line)]
            else:
                plan.errors.append(_(
                    "« {name} » figure déjà ligne {line}, avec d'autres valeurs : gardez une "
                    "seule ligne pour cette fiche.").format(name=who, line=first.draft.line))

    def _plan_line(self, plan: _Planned) -> None:
        d = plan.draft
        # the organisations (not registered until the line is known to be valid)
        orgs = [self._entity(o, d.organisation_given if i == 0 else {"name"}, d.line,
                             register=False) for i, o in enumerate(d.organisations)]
        main_existing = None
        if d.kind is MemberKind.ORGANISATION:
            main_existing = orgs[0].existing if orgs else None
        if d.person is not None:
            plan.person = self._match_person(d.person, plan.errors, plan.notes)
            if plan.errors:
                return
            plan.person_changes = _changes(plan.person, d.person, d.person_given,
                                           _PERSON_FIELDS)
        if d.kind is MemberKind.PERSON:
            self._membership(plan, plan.person.id if plan.person else None, MemberKind.PERSON)
        else:
            self._membership(plan, main_existing.id if main_existing else None,
                             MemberKind.ORGANISATION)
        if plan.errors:
            return
        # valid: register the organisations and plan the links
        plan.orgs = [self._entity(o, d.organisation_given if i == 0 else {"name"}, d.line,
                                  register=True) for i, o in enumerate(d.organisations)]
        if d.person is not None:
            for entity in plan.orgs:
                if not self._linked(plan.person, entity, d.role):
                    plan.new_links.append(entity)

    def _linked(self, person: Person | None, entity: _OrgEntity,
                role: AffiliationRole | None) -> bool:
        if person is None or entity.existing is None:
            return False
        return (person.id, entity.existing.id, role) in self.known.links

    def _describe_entities(self, plans: list[_Planned]) -> None:
        """The action and the notes of each valid line, once the organisations are known.
        A structure several lines name is created (or updated) by the first of them."""
        described: set[str] = set()
        for plan in sorted(plans, key=lambda p: p.draft.line):
            if plan.action in (RowAction.ERROR, RowAction.SKIP):
                continue
            d = plan.draft
            main = plan.main_org
            new_record = (plan.person is None if d.kind is MemberKind.PERSON
                          else main is not None and main.existing is None)
            notes: list[str] = []
            changes: list[str] = []  # values of the base the line changes
            writes = new_record
            if d.kind is MemberKind.PERSON:
                if plan.person is None:
                    notes.append(_("Nouvelle personne"))
                changes += plan.person_changes
            elif d.person is not None and plan.person is None:  # a structure's contact
                notes.append(_("nouvelle personne « {name} »").format(name=d.person.name))
                writes = True
            for entity in plan.orgs:
                if entity.key in described:
                    continue
                described.add(entity.key)
                if entity.existing is None:
                    if entity is main:
                        notes.insert(0, _("Nouvelle structure"))
                    else:
                        notes.append(_("structure « {name} » créée").format(
                            name=entity.detail.name))
                        writes = True
                    continue
                org_changes = entity.changes()
                changes += org_changes if entity is main else [
                    f"{entity.detail.name} — {c}" for c in org_changes]
                if entity.note:
                    notes.append(entity.note)
            for entity in plan.new_links:
                role = d.role or AffiliationRole.SALARIE
                notes.append(_("rattachement à « {name} » ({role})").format(
                    name=entity.detail.name, role=role.label.lower()))
                writes = True
            if plan.membership is not None:
                writes = writes or plan.membership_existing is None or bool(plan.payment_cents)
                changes += plan.membership_changes
            writes = writes or bool(changes)
            if new_record:
                plan.action = RowAction.CREATE
            elif writes:
                plan.action = RowAction.UPDATE
            else:
                plan.action = RowAction.UNCHANGED
                notes.append(_("Déjà à jour dans la base."))
            plan.notes = notes + changes + plan.notes


def _row(plan: _Planned) -> ImportRow:
    d = plan.draft
    person = d.person
    if person is not None:
        person = replace(person, id=plan.person.id if plan.person else None)
    orgs = tuple(replace(e.detail, id=e.existing.id if e.existing else None)
                 for e in plan.orgs) if plan.orgs else tuple(d.organisations)
    return ImportRow(
        line=d.line, kind=d.kind, action=plan.action, name=d.name, person=person,
        organisations=orgs, role=d.role, membership=plan.membership or d.membership,
        errors=tuple(plan.errors), notes=tuple(plan.notes), cells=d.cells,
        given=d.person_given | frozenset(f"organisation.{g}" for g in d.organisation_given)
        | ({"membership.fee"} if d.membership and d.membership.fee_cents is not None else set()),
        joined_on=d.joined_on)


def _draft(row: ImportRow) -> _Draft:
    """The line again, as read from the file, for the plan made inside the import."""
    given = row.given
    return _Draft(
        line=row.line, cells=row.cells, kind=row.kind,
        person=replace(row.person, id=None) if row.person is not None else None,
        person_given=frozenset(g for g in given if "." not in g),
        organisations=[replace(o, id=None) for o in row.organisations],
        organisation_given=frozenset(g.removeprefix("organisation.") for g in given
                                     if g.startswith("organisation.")),
        role=row.role,
        membership=replace(row.membership, college_id=None, fee_cents=row.membership.fee_cents
                           if "membership.fee" in given else None) if row.membership else None,
        joined_on=row.joined_on)


# --- the service ---------------------------------------------------------------------------------


class MemberIOService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @requires(Area.MEMBERSHIP, Access.WRITE)
    def preview(self, *, path: Path) -> ImportPreview:
        """Read `path` (CSV or XLSX) and say, line by line, what importing it would do.
        Nothing is written. A file that is not a table is refused (ValidationError)."""
        path = Path(path)
        table = read_file(path)
        layout = locate_columns(table, name=path.name)
        year = self.ctx.now().astimezone(PARIS).year
        reader = _LineReader(layout.columns, year=year)
        drafts = [reader.read(row.line, row.cells) for row in layout.rows]
        with self.ctx.reading() as s:
            plans = _Planner(s, drafts, today=_today(self.ctx)).plan()
            rows = tuple(_row(p) for p in plans)
        notes = []
        if table.other_sheets:
            notes.append(ngettext(
                "Seule la première feuille (« {sheet} ») est lue ; l'autre est ignorée.",
                "Seule la première feuille (« {sheet} ») est lue ; les {n} autres sont "
                "ignorées.", len(table.other_sheets)).format(sheet=table.sheet,
                                                           n=len(table.other_sheets)))
        if layout.header_line > 1:
            notes.append(_("Les noms de colonnes sont lus ligne {line} ; les lignes au-dessus "
                           "sont ignorées.").format(line=layout.header_line))
        fields = {c.field for c in layout.columns}
        membership_columns = [c.header for c in layout.columns if c.field in _MEMBERSHIP_FIELDS]
        if membership_columns and Field.COLLEGE not in fields:
            notes.append(_("Sans colonne « Collège », aucune adhésion n'est enregistrée : "
                           "{columns} ne sont pas repris.").format(
                columns=", ".join(f"« {h} »" for h in membership_columns)))
        if any(r.membership for r in rows) and Field.YEAR not in fields:
            notes.append(_("Sans colonne « Année », l'adhésion est celle de l'année de la date "
                           "d'adhésion, ou de {year}.").format(year=year))
        return ImportPreview(
            path=str(path), file_name=path.name, format=table.format, encoding=table.encoding,
            separator=table.separator, sheet=table.sheet, other_sheets=table.other_sheets,
            header_line=layout.header_line, columns=layout.columns, rows=rows, year=year,
            file_notes=tuple(notes))

    @requires(Area.MEMBERSHIP, Access.WRITE)
    def apply(self, *, preview: ImportPreview) -> ImportReport:
        """Write every valid line of `preview`, in one unit of work: all or nothing. Lines
        in error and duplicate lines are left out."""
        ok = [r for r in preview.rows if r.ok]
        if not any(r.writes for r in ok):
            return ImportReport(file_name=preview.file_name, rows_unchanged=len(ok),
                                rows_skipped=len(preview.rows) - len(ok))
        counts: dict[str, int] = dict.fromkeys(
            ("people_created", "people_updated", "organisations_created",
             "organisations_updated", "affiliations_created", "memberships_created",
             "memberships_updated", "payments_created"), 0)
        with self.ctx.writing() as s:
            plans = _Planner(s, [_draft(r) for r in ok], today=_today(self.ctx)).plan()
            for before, plan in zip(ok, plans, strict=True):
                again = _row(plan)
                if again.errors or (before.person and again.person
                                    and before.person.id != again.person.id) \
                        or [o.id for o in before.organisations] != \
                        [o.id for o in again.organisations]:
                    raise Conflict(_(
                        "La base a changé depuis l'aperçu (ligne {line} : {why}). Rien n'a été "
                        "importé : ouvrez de nouveau le fichier pour voir l'aperçu à jour."
                    ).format(line=before.line, why=again.message or _("autre fiche trouvée")))
            self._write(s, plans, counts)
            written = sum(1 for p in plans if p.action in (RowAction.CREATE, RowAction.UPDATE))
            report = ImportReport(
                file_name=preview.file_name, rows_written=written,
                rows_unchanged=len(ok) - written, rows_skipped=len(preview.rows) - len(ok),
                **counts)
            audit.record(s, action="import", entity="person", summary=_(
                "import de « {name} » : {what}").format(name=preview.file_name,
                                                       what=", ".join(report.lines()))[:2000])
        return report

    def _write(self, s: Session, plans: list[_Planned], counts: dict[str, int]) -> None:
        """Write the plan, a few flushes for the whole file (not a few per line)."""
        now = self.ctx.now()
        plans = [p for p in plans if p.action in (RowAction.CREATE, RowAction.UPDATE)]
        # the organisations, once each
        orgs: dict[str, Organisation] = {}
        for plan in plans:
            for entity in plan.orgs:
                if entity.key in orgs:
                    continue
                if entity.existing is None:
                    values = clean_organisation(entity.detail)
                    org = Organisation(**values, search_key=search_key(values["name"]))
                    s.add(org)
                    counts["organisations_created"] += 1
                else:
                    org = entity.existing
                    if entity.changes():
                        _overlay(org, entity.detail, entity.given, _ORGANISATION_FIELDS)
                        counts["organisations_updated"] += 1
                orgs[entity.key] = org
        # the people
        persons: dict[int, Person] = {}  # by line
        for plan in plans:
            d = plan.draft
            if d.person is None:
                continue
            person = plan.person
            if person is None:  # its keys hold its structures' names: all of them new links
                person = Person(**clean_person(d.person))
                person.search_key, person.sort_key = person_keys(
                    person.first_name, person.last_name, person.email,
                    [e.detail.name for e in plan.new_links])
                s.add(person)
                counts["people_created"] += 1
            elif plan.person_changes:
                _overlay(person, d.person, d.person_given, _PERSON_FIELDS)
                counts["people_updated"] += 1
            persons[d.line] = person
        s.flush()
        # their links to the structures, and their search keys (which hold those names)
        touched: dict[int, Person] = {}
        for plan in plans:
            person = persons.get(plan.draft.line)
            if person is None:
                continue
            for entity in plan.new_links:
                s.add(Affiliation(person_id=person.id, organisation_id=orgs[entity.key].id,
                                  role=plan.draft.role or AffiliationRole.SALARIE))
                counts["affiliations_created"] += 1
            if plan.person is not None and (plan.new_links or plan.person_changes):
                touched[person.id] = person
        s.flush()
        names: dict[int, list[str]] = {}
        for part in _chunks(touched):
            for pid, name in s.execute(
                    select(Affiliation.person_id, Organisation.name)
                    .join(Organisation, Organisation.id == Affiliation.organisation_id)
                    .where(Affiliation.person_id.in_(part))):
                names.setdefault(pid, []).append(name)
        for pid, person in touched.items():
            person.search_key, person.sort_key = person_keys(
                person.first_name, person.last_name, person.email, names.get(pid, []))
        # the memberships and their payments
        payments: list[tuple[Membership, _Planned]] = []
        for plan in plans:
            m = plan.membership
            if m is None:
                continue
            if plan.draft.kind is MemberKind.PERSON:
                member = {"person_id": persons[plan.draft.line].id}
            else:
                member = {"organisation_id": orgs[plan.main_org.key].id}
            membership = plan.membership_existing
            if membership is None:
                membership = Membership(year=m.year, college_id=m.college_id,
                                        fee_cents=m.fee_cents, paid_cents=plan.payment_cents,
                                        created_at=now, **member)
                s.add(membership)
                counts["memberships_created"] += 1
            else:
                if plan.membership_changes:
                    membership.college_id, membership.fee_cents = m.college_id, m.fee_cents
                    counts["memberships_updated"] += 1
                membership.paid_cents += plan.payment_cents
            if plan.payment_cents:
                payments.append((membership, plan))
        s.flush()
        for membership, plan in payments:  # paid_cents above is the sum of these
            s.add(Payment(membership_id=membership.id, amount_cents=plan.payment_cents,
                          paid_on=plan.membership.paid_on, method=plan.membership.method))
            counts["payments_created"] += 1
        s.flush()

    # --- exports ---------------------------------------------------------------------------

    @requires(Area.MEMBERSHIP, Access.READ)
    def export(self, *, filter: MemberFilter, path: Path) -> int:
        """The members list as `filter` shows it, every page, to `path`: .csv (UTF-8 with
        BOM, `;`: Excel opens it with its accents) or .xlsx. Returns the rows written.
        The file can be imported again: it then creates nothing."""
        members = MembersService(self.ctx)
        year = filter.year if filter.year is not None else self.ctx.now().astimezone(PARIS).year
        person = filter.kind is MemberKind.PERSON

        def rows() -> Iterator[list[object]]:
            offset = 0
            while True:
                page = members.page(filter=filter, sort=MemberSort.NAME, offset=offset,
                                    limit=EXPORT_PAGE)
                if not page:
                    return
                details = self._details(person, [r.id for r in page])
                for r in page:
                    extra = details.get(r.id)
                    if extra is None:
                        continue
                    member = [r.college or "", year if r.college else "",
                              r.status.label if r.status else "",
                              Money(r.fee_cents) if r.fee_cents is not None else None,
                              Money(r.paid_cents) if r.fee_cents is not None else None,
                              Money(max(r.fee_cents - r.paid_cents, 0))
                              if r.fee_cents is not None else None]
                    yield [*extra, *member]
                if len(page) < EXPORT_PAGE:
                    return
                offset += EXPORT_PAGE

        if person:
            headers = [_("Nom"), _("Prénom"), _("Courriel"), _("Téléphone"), _("Adresse"),
                       _("Code postal"), _("Ville"), _("Structure"), _("Date de consentement")]
        else:
            headers = [_("Structure"), _("Forme juridique"), _("SIRET"), _("Code NAF"),
                       _("Agrément ESUS"), _("Courriel"), _("Téléphone"), _("Adresse"),
                       _("Code postal"), _("Ville")]
        headers += [_("Collège"), _("Année"), _("Statut"), _("Cotisation"), _("Montant payé"),
                    _("Reste dû")]
        title = _("Personnes") if person else _("Structures")
        return write_table(path, headers, rows(), title=title)

    def _details(self, person: bool, ids: list[int]) -> dict[int, list[object]]:
        """The columns of the export the list's rows do not carry (first and last name
        apart, the address…), read for a page at once."""
        with self.ctx.reading() as s:
            if person:
                orgs: dict[int, list[str]] = {}
                for pid, name in s.execute(
                        select(Affiliation.person_id, Organisation.name)
                        .join(Organisation, Organisation.id == Affiliation.organisation_id)
                        .where(Affiliation.person_id.in_(ids))
                        .order_by(Organisation.search_key, Organisation.id)):
                    if name not in orgs.setdefault(pid, []):
                        orgs[pid].append(name)
                return {p.id: [p.last_name, p.first_name, p.email, p.phone, p.address,
                               p.postcode, p.city, "; ".join(orgs.get(p.id, [])),
                               p.consent_date]
                        for p in s.scalars(select(Person).where(Person.id.in_(ids)))}
            return {o.id: [o.name, LegalForm(o.legal_form).label if o.legal_form else "",
                           o.siret, o.naf_code, _("oui") if o.esus_agrement else _("non"),
                           o.email, o.phone, o.address, o.postcode, o.city]
                    for o in s.scalars(select(Organisation).where(Organisation.id.in_(ids)))}

    @requires(Area.MEMBERSHIP, Access.READ)
    def export_renewals(self, *, year: int, path: Path) -> int:
        """The members to remind for `year` (MembershipService.renewals_due), for a
        mailing: name, e-mail, phone, college, status, fee, paid, still due."""
        due = MembershipService(self.ctx).renewals_due(year=year)
        headers = [_("Nom"), _("Type"), _("Courriel"), _("Téléphone"), _("Collège"), _("Année"),
                   _("Statut"), _("Cotisation"), _("Montant payé"), _("Reste dû")]
        rows = ([r.name, _("Personne") if r.kind is MemberKind.PERSON else _("Structure"),
                 r.email, r.phone, r.college, r.year, r.status.label, Money(r.fee_cents),
                 Money(r.paid_cents), Money(max(r.fee_cents - r.paid_cents, 0))] for r in due)
        return write_table(path, headers, rows, title=_("Relances {year}").format(year=year))


def _overlay(record, detail, given: Iterable[str], fields: dict[str, Field]) -> None:
    """Set on `record` the values of the file (never an empty one)."""
    for name in fields:
        if name not in given:
            continue
        value = getattr(detail, name)
        if value in (None, ""):
            continue
        old = getattr(record, name)
        if name == "email" and old and old.lower() == value.lower():
            continue
        if old != value:
            setattr(record, name, value)
    if isinstance(record, Organisation):
        record.search_key = search_key(record.name)
